/// A person or organization the office deals with: inventors, attorneys, licensees, investors …
public struct Party: Hashable, Sendable, Codable {
    /// A natural person or a legal entity.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case person = "person"
        case organization = "organization"
    }

    /// What a party is to the office; a party may hold several roles.
    public enum Role: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
        /// An inventor, or the author of a design, a selection achievement or a work of copyright
        /// (a computer program, a database).
        case inventor = "inventor"
        case attorney = "attorney"
        case licensee = "licensee"
        case assignee = "assignee"
        case investor = "investor"
        case funder = "funder"

        public static func < (lhs: Role, rhs: Role) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The Triple-Helix sector a party belongs to, for indicator reports.
    public enum Sector: String, Hashable, Sendable, Codable, CaseIterable {
        case academia = "academia"
        case industry = "industry"
        case government = "government"
        case other = "other"
    }

    /// The database key.
    public var id: ID<Party>
    /// Person or organization.
    public var kind: Kind
    /// Full name of the person or legal name of the organization.
    public var name: String
    /// The roles, sorted and without duplicates.
    public private(set) var roles: [Role]
    /// The Triple-Helix sector.
    public var sector: Sector
    /// The Kazakh region, for parties in Kazakhstan.
    public var region: Region?
    /// The country of residence or seat.
    public var country: Country
    /// Where reminders and notices reach the party (an attorney's reminders go here).
    public var email: String?
    /// A telephone number, for people to call (never used by the daemon).
    public var phone: String?

    /// Creates a party; `roles` are sorted and de-duplicated.
    public init(
        id: ID<Party>, kind: Kind, name: String, roles: [Role], sector: Sector,
        region: Region? = nil, country: Country = .kazakhstan, email: String? = nil, phone: String? = nil
    ) {
        self.email = email
        self.phone = phone
        self.id = id
        self.kind = kind
        self.name = name
        self.roles = Array(Set(roles)).sorted()
        self.sector = sector
        self.region = region
        self.country = country
    }

    /// Whether the party holds `role`.
    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Replaces the roles (sorted and de-duplicated).
    public mutating func setRoles(_ newRoles: [Role]) { roles = Array(Set(newRoles)).sorted() }
}

/// A country by its ISO 3166-1 alpha-2 code (`KZ`, `RU`, `DE` …). Unlike ``Jurisdiction`` it
/// never names a regional office such as `EP` or `WO`.
public struct Country: TwoLetterCode {
    /// The two-letter upper-case code.
    public let code: String

    /// Creates a country from a two-letter code (case-insensitive); `nil` unless two ASCII letters.
    public init?(_ code: String) {
        let upper = code.uppercased()
        guard Jurisdiction.isValidCode(upper) else { return nil }
        self.code = upper
    }

    init(trusted code: String) { self.code = code }

    public static let kazakhstan = Country(trusted: "KZ")
    public static let russia = Country(trusted: "RU")
    public static let unitedStates = Country(trusted: "US")
    public static let china = Country(trusted: "CN")
    public static let germany = Country(trusted: "DE")

    /// What the code is, for errors.
    public static let noun = "two-letter country code"
}
