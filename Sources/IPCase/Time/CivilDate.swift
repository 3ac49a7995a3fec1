/// A calendar date without time or time zone (proleptic Gregorian), stored as days since 1970-01-01.
///
/// The deadline engine's hot path works on `daysSinceEpoch`; year, month and day are derived
/// arithmetically (no Foundation `Calendar`).
///
/// ```swift
/// let filed = try CivilDate(year: 2024, month: 2, day: 29)
/// filed.description            // "2024-02-29"
/// try CivilDate(iso: "2023-02-30") // throws CivilDate.Invalid
/// ```
public struct CivilDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before).
    public let daysSinceEpoch: Int32

    /// Creates a date from its days since 1970-01-01.
    @inlinable
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Creates a date from year, month (1–12) and day, refusing dates that do not exist.
    ///
    /// - Throws: ``CivilDate/Invalid`` naming the impossible date, e.g. 2023-02-30.
    public init(year: Int, month: Int, day: Int) throws(Invalid) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { throw Invalid(text: CivilDate.format(year: year, month: month, day: day)) }
        self.init(unchecked: year, month, day)
    }

    /// Creates a date from components known to be valid (internal fast path).
    @inlinable
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`, refusing other shapes and impossible dates.
    public init(iso text: some StringProtocol) throws(Invalid) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { throw Invalid(text: String(text)) }
        try self.init(year: year, month: month, day: day)
    }

    /// Year, month (1–12) and day of month.
    @inlinable
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The year.
    public var year: Int { components.year }
    /// The month, 1–12.
    public var month: Int { components.month }
    /// The day of the month, 1–31.
    public var day: Int { components.day }

    /// The day of the week.
    @inlinable
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = (Int(daysSinceEpoch) % 7 + 7 + 3) % 7  // 0 = Monday
        return Weekday(rawValue: index + 1)!
    }

    /// The date `days` days later (earlier when negative).
    @inlinable
    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    @inlinable
    public func days(to other: CivilDate) -> Int {
        Int(other.daysSinceEpoch - daysSinceEpoch)
    }

    @inlinable
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    /// Whether `year` is a Gregorian leap year.
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month of a year.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func format(year: Int, month: Int, day: Int) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// A date that does not exist or is not written `YYYY-MM-DD`.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text that was refused.
        public let text: String
        public var description: String { "'\(text)' is not a valid date (YYYY-MM-DD)" }
    }
}

extension CivilDate: CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        return CivilDate.format(year: year, month: month, day: day)
    }
}

extension CivilDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(iso: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A day of the week, ISO numbering (Monday = 1 … Sunday = 7).
public enum Weekday: Int, Sendable, Hashable, Codable, CaseIterable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// English name, e.g. "Sunday".
    public var name: String {
        switch self {
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        case .sunday: "Sunday"
        }
    }
}
