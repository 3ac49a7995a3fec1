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
    /// A person's gender and career stage, recorded only with their consent, for aggregate
    /// indicators (AUTM asks inventor gender since its 2023 definitions); `nil` when not recorded.
    public var demographics: Demographics?
    /// How many people an organization employs, when known: what the AUTM survey's licensee
    /// types are judged by (``companySize``).
    public var employees: Int?

    /// The AUTM survey's size of an organization: fewer than 500 employees is small.
    public enum CompanySize: String, Hashable, Sendable, Codable, CaseIterable {
        /// Fewer than 500 employees.
        case small
        /// 500 employees or more.
        case large
    }

    /// The organization's size by ``employees``; `nil` for a person or when not recorded.
    public var companySize: CompanySize? {
        guard kind == .organization, let employees else { return nil }
        return employees < 500 ? .small : .large
    }

    /// What a person agreed to have recorded about them, and when.
    public struct Demographics: Hashable, Sendable, Codable {
        /// The day the person consented to recording (and reporting in aggregate).
        public var consentedOn: CivilDate
        public var gender: Gender?
        public var careerStage: CareerStage?

        /// Demographics recorded with consent given on `consentedOn`.
        public init(consentedOn: CivilDate, gender: Gender? = nil, careerStage: CareerStage? = nil) {
            self.consentedOn = consentedOn
            self.gender = gender
            self.careerStage = careerStage
        }
    }

    /// A person's gender as they state it.
    public enum Gender: String, Hashable, Sendable, Codable, CaseIterable {
        case female = "female"
        case male = "male"
        case nonBinary = "non-binary"
        /// The person chose not to say.
        case undisclosed = "undisclosed"
    }

    /// Where a person is in their career.
    public enum CareerStage: String, Hashable, Sendable, Codable, CaseIterable {
        /// A student (bachelor's, master's, doctoral).
        case student = "student"
        /// Within about ten years of the doctorate: postdoctoral researchers, junior faculty.
        case earlyCareer = "early-career"
        case midCareer = "mid-career"
        /// Senior researchers, professors.
        case senior = "senior"
    }

    /// Creates a party; `roles` are sorted and de-duplicated.
    public init(
        id: ID<Party>, kind: Kind, name: String, roles: [Role], sector: Sector,
        region: Region? = nil, country: Country = .kazakhstan, email: String? = nil, phone: String? = nil,
        demographics: Demographics? = nil, employees: Int? = nil
    ) {
        self.employees = employees
        self.email = email
        self.phone = phone
        self.demographics = demographics
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
