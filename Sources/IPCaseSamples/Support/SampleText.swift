import IPCase

/// Date arithmetic and number formatting for the generator (internal; allocation-light).
enum SampleText {
    /// `value` in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    static func padded(_ value: Int, _ width: Int) -> String {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let count = max(width, digits)
        return String(unsafeUninitializedCapacity: count) { buffer in
            var remaining = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer[index] = UInt8(48 + remaining % 10)
                remaining /= 10
            }
            return count
        }
    }

    /// `value` with `separator` between groups of three digits: `11,987,654`, `4 123 456`.
    static func grouped(_ value: Int, separator: Character) -> String {
        let plain = String(value)
        var text = ""
        text.reserveCapacity(plain.utf8.count + plain.utf8.count / 3)
        for (offset, character) in plain.enumerated() {
            if offset > 0, (plain.count - offset) % 3 == 0 { text.append(separator) }
            text.append(character)
        }
        return text
    }
}

/// Month arithmetic of PCT Rule 80.2–80.3 (same day number, else the last day of the month).
enum SampleDates {
    /// `date` plus `months` calendar months, clamped to the end of the target month.
    @inline(__always)
    static func add(months: Int, to date: CivilDate) -> CivilDate {
        let (year, month, day) = date.components
        let total = year * 12 + (month - 1) + months
        let targetYear = total >= 0 ? total / 12 : (total - 11) / 12
        let targetMonth = total - targetYear * 12 + 1
        let last = CivilDate.daysInMonth(year: targetYear, month: targetMonth)
        return Self.date(year: targetYear, month: targetMonth, day: min(day, last))
    }

    /// The date of valid components, without validation (Howard Hinnant's days_from_civil).
    @inline(__always)
    static func date(year: Int, month: Int, day: Int) -> CivilDate {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return CivilDate(daysSinceEpoch: Int32(era * 146_097 + doe - 719_468))
    }

    /// `date` plus `years` years (29 February becomes 28 February in common years).
    @inline(__always)
    static func add(years: Int, to date: CivilDate) -> CivilDate { add(months: years * 12, to: date) }

    /// The last day of the month of `date`.
    static func endOfMonth(_ date: CivilDate) -> CivilDate {
        let (year, month, _) = date.components
        return Self.date(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))
    }

    /// 1 January of `year`.
    static func newYear(_ year: Int) -> CivilDate { date(year: year, month: 1, day: 1) }

    /// The nearest working day (Monday–Friday): a Saturday or Sunday moves to the next Monday,
    /// or, with `backward`, to the Friday before (for acts bound by a time limit). Monotone, so
    /// it never reorders two dates.
    @inline(__always)
    static func workday(_ date: CivilDate, backward: Bool = false) -> CivilDate {
        switch date.weekday {
        case .saturday: date.adding(days: backward ? -1 : 2)
        case .sunday: date.adding(days: backward ? -2 : 1)
        case .monday, .tuesday, .wednesday, .thursday, .friday: date
        }
    }

    /// The later of two dates.
    @inline(__always)
    static func later(_ a: CivilDate, _ b: CivilDate) -> CivilDate { a < b ? b : a }
}
