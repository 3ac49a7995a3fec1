/// Month and year arithmetic on civil dates, as the law counts periods.
///
/// PCT Rule 80.2–80.3, EPC Rule 131(4), Paris Art. 4C(2): a period of months or years ends in
/// the later month on the day with the same number as the start day; if that month has no such
/// day, on its last day. Month ends do not carry through: 28 Feb 2023 + 12 months is
/// 28 Feb 2024, not 29 Feb.
///
/// ```swift
/// let start = try CivilDate(iso: "2023-01-31")
/// start.adding(months: 1).date      // 2023-02-28, clamped: true
/// start.lastDayOfMonth               // 2023-01-31
/// ```
extension CivilDate {
    /// The date `months` calendar months later (earlier when negative), clamped to the last day
    /// of the target month; `clamped` says whether the start day did not exist there.
    @inlinable
    public func adding(months: Int) -> (date: CivilDate, clamped: Bool) {
        let (year, month, day) = components
        return CivilDate.shifted(year: year, month: month, day: day, months: months)
    }

    /// The date `years` years later (earlier when negative), clamped like ``adding(months:)``.
    @inlinable
    public func adding(years: Int) -> (date: CivilDate, clamped: Bool) {
        adding(months: years * 12)
    }

    /// The date at the end of `period` from this date: months (clamped) first, then days.
    @inlinable
    public func adding(_ period: Period) -> (date: CivilDate, clamped: Bool) {
        let shifted = period.totalMonths == 0 ? (self, false) : adding(months: period.totalMonths)
        return (shifted.0.adding(days: period.totalDays), shifted.1)
    }

    /// The last day of this date's month.
    @inlinable
    public var lastDayOfMonth: CivilDate {
        let (year, month, _) = components
        return CivilDate(unchecked: year, month, CivilDate.daysInMonth(year: year, month: month))
    }

    /// Whether this date is the last day of its month.
    @inlinable
    public var isLastDayOfMonth: Bool {
        let (year, month, day) = components
        return day == CivilDate.daysInMonth(year: year, month: month)
    }

    /// The first day of a year.
    @inlinable
    public static func firstOfYear(_ year: Int) -> CivilDate {
        CivilDate(unchecked: year, 1, 1)
    }

    /// Month arithmetic on components: the hot path of the deadline engine (no allocation).
    @inlinable
    static func shifted(year: Int, month: Int, day: Int, months: Int) -> (date: CivilDate, clamped: Bool) {
        let total = year * 12 + (month - 1) + months
        let targetYear = total >= 0 ? total / 12 : (total - 11) / 12
        let targetMonth = total - targetYear * 12 + 1
        let length = daysInMonth(year: targetYear, month: targetMonth)
        if day > length {
            return (CivilDate(unchecked: targetYear, targetMonth, length), true)
        }
        return (CivilDate(unchecked: targetYear, targetMonth, day), false)
    }

    /// The last day of the month `months` months after this date's month.
    @inlinable
    static func endOfMonth(year: Int, month: Int, plusMonths months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let targetYear = total >= 0 ? total / 12 : (total - 11) / 12
        let targetMonth = total - targetYear * 12 + 1
        return CivilDate(unchecked: targetYear, targetMonth, daysInMonth(year: targetYear, month: targetMonth))
    }
}

/// A legal period: years, months, weeks and days, e.g. `30m`, `3y6m`, `4w`, `-3m`.
///
/// Years and months are counted with month arithmetic (``CivilDate/adding(months:)``), then
/// weeks and days are added as days.
///
/// ```swift
/// let period = try Period(parsing: "3y6m")   // 3 years 6 months
/// period.description                           // "3 years 6 months"
/// ```
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// Whole years.
    public var years: Int
    /// Months beyond the years.
    public var months: Int
    /// Whole weeks.
    public var weeks: Int
    /// Days beyond the weeks.
    public var days: Int

    /// Creates a period; negative values count backwards.
    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0) {
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
    }

    /// Years and months as months.
    @inlinable public var totalMonths: Int { years * 12 + months }
    /// Weeks and days as days.
    @inlinable public var totalDays: Int { weeks * 7 + days }
    /// Whether the period is zero.
    public var isZero: Bool { totalMonths == 0 && totalDays == 0 }

    /// Parses the compact form used in rule files: an optional `-`, then number-unit pairs with
    /// units `y`, `m`, `w`, `d` in that order, e.g. `30m`, `3y6m`, `2w`, `-3m`.
    public init(parsing text: String) throws(Invalid) {
        var bytes = Substring(text).utf8[...]
        var sign = 1
        if bytes.first == UInt8(ascii: "-") {
            sign = -1
            bytes = bytes.dropFirst()
        }
        var values = [0, 0, 0, 0]
        var lastUnit = -1
        var number: Int?
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number = (number ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                guard number! < 100_000 else { throw Invalid(text: text) }
            default:
                let unit: Int
                switch byte {
                case UInt8(ascii: "y"): unit = 0
                case UInt8(ascii: "m"): unit = 1
                case UInt8(ascii: "w"): unit = 2
                case UInt8(ascii: "d"): unit = 3
                default: throw Invalid(text: text)
                }
                guard let value = number, unit > lastUnit else { throw Invalid(text: text) }
                values[unit] = sign * value
                lastUnit = unit
                number = nil
            }
        }
        guard number == nil, lastUnit >= 0 else { throw Invalid(text: text) }
        self.init(years: values[0], months: values[1], weeks: values[2], days: values[3])
    }

    /// Words, e.g. "30 months", "3 years 6 months", "minus 3 months".
    public var description: String {
        var parts: [String] = []
        func add(_ value: Int, _ singular: String) {
            guard value != 0 else { return }
            let magnitude = abs(value)
            parts.append("\(magnitude) \(singular)\(magnitude == 1 ? "" : "s")")
        }
        add(years, "year")
        add(months, "month")
        add(weeks, "week")
        add(days, "day")
        if parts.isEmpty { return "0 days" }
        let negative = years < 0 || months < 0 || weeks < 0 || days < 0
        return (negative ? "minus " : "") + parts.joined(separator: " ")
    }

    /// The compact form, e.g. `3y6m`.
    public var compact: String {
        let negative = years < 0 || months < 0 || weeks < 0 || days < 0
        var text = negative ? "-" : ""
        if years != 0 { text += "\(abs(years))y" }
        if months != 0 { text += "\(abs(months))m" }
        if weeks != 0 { text += "\(abs(weeks))w" }
        if days != 0 { text += "\(abs(days))d" }
        return text.isEmpty || text == "-" ? "0d" : text
    }

    /// A period that is not written as number-unit pairs (`y`, `m`, `w`, `d`).
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text that was refused.
        public let text: String
        public var description: String { "'\(text)' is not a period (e.g. 30m, 3y6m, 2w, 10d)" }
    }
}

extension Period: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(compact)
    }
}

/// Year, month and day as integers: the engine's hot-path form of a date, so that month
/// arithmetic never converts back and forth through days.
@usableFromInline
struct YearMonthDay: Hashable, Sendable {
    @usableFromInline var year: Int
    @usableFromInline var month: Int
    @usableFromInline var day: Int

    @inline(__always)
    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Hinnant's civil_from_days on unsigned integers (dates from 0000-03-01): divisions by
    /// constants become multiplications, with no sign corrections.
    @inline(__always)
    init(_ date: CivilDate) {
        let shifted = Int(date.daysSinceEpoch) &+ 719_468
        guard shifted >= 0 else {
            (year, month, day) = date.components
            return
        }
        let z = UInt(bitPattern: shifted)
        let era = z / 146_097
        let dayOfEra = z &- era &* 146_097
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36524 &- dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)
        let shiftedMonth = (5 &* dayOfYear &+ 2) / 153
        day = Int(bitPattern: dayOfYear &- (153 &* shiftedMonth &+ 2) / 5 &+ 1)
        month = Int(bitPattern: shiftedMonth < 10 ? shiftedMonth &+ 3 : shiftedMonth &- 9)
        year = Int(bitPattern: yearOfEra &+ era &* 400) &+ (month <= 2 ? 1 : 0)
    }

    /// The number of days in a month (no table, no division).
    @inline(__always)
    static func length(year: Int, month: Int) -> Int {
        if month == 2 { return year & 3 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28 }
        return 30 | ((month ^ (month >> 3)) & 1)
    }

    /// Whether this is the last day of its month.
    @inline(__always)
    var isLastDayOfMonth: Bool { day == YearMonthDay.length(year: year, month: month) }

    /// `months` later, clamped to the month's last day (PCT Rule 80.2); `clamped` when it was.
    @inline(__always)
    func adding(months: Int) -> (YearMonthDay, clamped: Bool) {
        let total = year * 12 + (month - 1) + months
        let targetYear = total >= 0 ? total / 12 : (total - 11) / 12
        let targetMonth = total - targetYear * 12 + 1
        let length = YearMonthDay.length(year: targetYear, month: targetMonth)
        return day > length
            ? (YearMonthDay(year: targetYear, month: targetMonth, day: length), true)
            : (YearMonthDay(year: targetYear, month: targetMonth, day: day), false)
    }

    /// The last day of the month `months` later.
    @inline(__always)
    func endOfMonth(plusMonths months: Int) -> YearMonthDay {
        let total = year * 12 + (month - 1) + months
        let targetYear = total >= 0 ? total / 12 : (total - 11) / 12
        let targetMonth = total - targetYear * 12 + 1
        return YearMonthDay(
            year: targetYear, month: targetMonth, day: YearMonthDay.length(year: targetYear, month: targetMonth))
    }

    /// Days since 1970-01-01 (Hinnant's days_from_civil on unsigned integers, years ≥ 1).
    @inline(__always)
    var daysSinceEpoch: Int32 {
        let shiftedYear = UInt(bitPattern: month <= 2 ? year - 1 : year)
        let unsignedMonth = UInt(bitPattern: month)
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = unsignedMonth > 2 ? unsignedMonth - 3 : unsignedMonth + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + UInt(bitPattern: day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(truncatingIfNeeded: Int(bitPattern: era * 146_097 + dayOfEra) - 719_468)
    }

    /// The date.
    @inline(__always)
    var date: CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch) }
}

/// The first day of every month from 1900 to 2299 as days since 1970-01-01: with a month
/// written as an index (`year * 12 + month - 1`), month arithmetic is an addition and a date is
/// a table load plus the day. Outside the table the same answers are computed arithmetically.
@usableFromInline
struct MonthTable: @unchecked Sendable {
    // @unchecked: the table is written once in `init` and only read afterwards; it lives as long
    // as the process (one shared instance).
    static let firstIndex = 1900 * 12
    static let count = 400 * 12
    private let starts: UnsafeMutablePointer<Int32>
    /// The length of every month of the table: one load instead of two starts.
    private let lengths: UnsafeMutablePointer<UInt8>

    /// The one table.
    static let shared = MonthTable()

    private init() {
        starts = .allocate(capacity: MonthTable.count + 1)
        for offset in 0...MonthTable.count {
            let index = MonthTable.firstIndex + offset
            starts[offset] = YearMonthDay(year: index / 12, month: index % 12 + 1, day: 1).daysSinceEpoch
        }
        lengths = .allocate(capacity: MonthTable.count)
        for offset in 0..<MonthTable.count { lengths[offset] = UInt8(starts[offset + 1] - starts[offset]) }
    }

    /// The month index of a date's month.
    @inline(__always)
    static func index(_ date: YearMonthDay) -> Int { date.year &* 12 &+ date.month &- 1 }

    /// Days since 1970-01-01 of the first day of month `index`.
    @inline(__always)
    func firstDay(_ index: Int) -> Int32 {
        let offset = index &- MonthTable.firstIndex
        if UInt(bitPattern: offset) <= UInt(MonthTable.count) { return starts[offset] }
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        return YearMonthDay(year: year, month: index - year * 12 + 1, day: 1).daysSinceEpoch
    }

    /// The number of days in month `index`.
    @inline(__always)
    func length(_ index: Int) -> Int {
        let offset = index &- MonthTable.firstIndex
        if UInt(bitPattern: offset) < UInt(MonthTable.count) { return Int(lengths[offset]) }
        return Int(firstDay(index &+ 1) &- firstDay(index))
    }

    /// Days since 1970-01-01 of day `day` (1-based, valid for the month) of month `index`.
    @inline(__always)
    func day(_ index: Int, _ day: Int) -> Int32 {
        firstDay(index) &+ Int32(truncatingIfNeeded: day &- 1)
    }
}
