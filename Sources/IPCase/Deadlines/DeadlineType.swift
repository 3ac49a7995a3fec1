/// The stable vocabulary of deadline types, as written in rule files, JSON output and the store.
public enum DeadlineType: String, Codable, Sendable, Hashable, CaseIterable {
    case priority
    case nationalPhase = "national_phase"
    case demand
    case publication
    case searchReport = "search_report"
    case officeActionResponse = "office_action_response"
    case examinationRequest = "examination_request"
    case examinationFee = "examination_fee"
    case grantFee = "grant_fee"
    /// A renewal fee or annuity, with its year.
    case renewal
    /// A US maintenance fee, with its year (3.5, 7.5, 11.5).
    case maintenanceFee = "maintenance_fee"
    case termEnd = "term_end"
    case trademarkRenewal = "trademark_renewal"
    /// A declaration of use of a registered trademark (US Section 8).
    case declarationOfUse = "declaration_of_use"
    case provisionalConversion = "provisional_conversion"
}

/// The year a recurring deadline is for, in half years: `3`, `3.5`, `20`.
///
/// ```swift
/// FeeYear(halfYears: 7).description   // "3.5"
/// FeeYear(4).description              // "4"
/// ```
public struct FeeYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Twice the year.
    public let halfYears: Int16

    /// A year given in half years.
    @inlinable
    public init(halfYears: Int16) { self.halfYears = halfYears }

    /// A whole year.
    public init(_ year: Int) { self.halfYears = Int16(year * 2) }

    /// Whether `year` (an `annuity-paid` event's year) pays this occurrence: the whole year, or
    /// for a half year (3.5) either neighbour (3 or 4).
    @inlinable
    public func isPaid(byYear year: Int) -> Bool {
        let twice = year * 2
        return twice == Int(halfYears) || (halfYears % 2 != 0 && abs(twice - Int(halfYears)) == 1)
    }

    /// `3`, `3.5`.
    public var description: String {
        halfYears % 2 == 0 ? String(halfYears / 2) : "\(halfYears / 2).5"
    }

    public static func < (lhs: FeeYear, rhs: FeeYear) -> Bool { lhs.halfYears < rhs.halfYears }
}

extension FeeYear: Codable {
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Double.self)
        let twice = value * 2
        guard twice == twice.rounded(), twice >= 0, twice < 400 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "a year is a whole or half number, e.g. 3 or 3.5")
            )
        }
        halfYears = Int16(twice)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if halfYears % 2 == 0 {
            try container.encode(Int(halfYears / 2))
        } else {
            try container.encode(Double(halfYears) / 2)
        }
    }
}
