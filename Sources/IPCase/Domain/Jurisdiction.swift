/// An office or route that grants rights, by its WIPO ST.3 code: `KZ`, `EA`, `WO`, `EP`, `US` …
///
/// Jurisdictions are data (rules and calendars name them), so this is an open set of codes
/// rather than an enum; ``isValidCode(_:)`` checks the shape only.
public struct Jurisdiction: TwoLetterCode {
    /// The two-letter upper-case code.
    public let code: String

    /// Creates a jurisdiction from a two-letter code (case-insensitive).
    /// - Returns: `nil` when the code is not two ASCII letters.
    public init?(_ code: String) {
        let upper = code.uppercased()
        guard Jurisdiction.isValidCode(upper) else { return nil }
        self.code = upper
    }

    init(trusted code: String) { self.code = code }

    /// Whether `code` is two upper-case ASCII letters.
    public static func isValidCode(_ code: String) -> Bool {
        code.utf8.count == 2 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }

    public static let kazakhstan = Jurisdiction(trusted: "KZ")
    public static let eurasian = Jurisdiction(trusted: "EA")
    public static let pct = Jurisdiction(trusted: "WO")
    public static let european = Jurisdiction(trusted: "EP")
    public static let unitedStates = Jurisdiction(trusted: "US")
    public static let russia = Jurisdiction(trusted: "RU")

    /// What the code is, for errors.
    public static let noun = "two-letter office code"
}

/// A two-letter upper-case code — an office's WIPO ST.3 code (``Jurisdiction``), an ISO 3166-1
/// country (``Country``): written and read as the bare code (`"KZ"`), ordered by it.
public protocol TwoLetterCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The two-letter upper-case code.
    var code: String { get }
    /// The value of a code, case-insensitive; `nil` when it is not one.
    init?(_ code: String)
    /// What the code is, for errors: "two-letter country code".
    static var noun: String { get }
}

extension TwoLetterCode {
    public var description: String { code }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a \(Self.noun)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
