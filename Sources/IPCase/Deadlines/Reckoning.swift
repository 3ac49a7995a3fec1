/// A date as a month index (year × 12 + month − 1) and a day of that month: the form in which
/// month arithmetic is done without converting to and from days.
@usableFromInline
struct MonthDate: Sendable, Hashable {
    @usableFromInline var month: Int
    @usableFromInline var day: Int

    @inline(__always)
    init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    /// The month date of a day since 1970-01-01.
    @inline(__always)
    init(_ daysSinceEpoch: Int32) {
        let date = YearMonthDay(CivilDate(daysSinceEpoch: daysSinceEpoch))
        self.init(month: MonthTable.index(date), day: date.day)
    }

    /// The month date of a day since 1970-01-01, out of line: for the rare paths that have only
    /// the day, so that the conversion is not inlined into each of them.
    @inline(never)
    static func converting(_ daysSinceEpoch: Int32) -> MonthDate { MonthDate(daysSinceEpoch) }

    /// `months` later, clamped to the target month's last day (PCT Rule 80.2; EPC Rule 131(4)).
    @inline(__always)
    func adding(months count: Int, in table: MonthTable) -> (date: MonthDate, clamped: Bool) {
        let target = month &+ count
        let length = table.length(target)
        return day > length ? (MonthDate(month: target, day: length), true) : (MonthDate(month: target, day: day), false)
    }

    /// Days since 1970-01-01.
    @inline(__always)
    func daysSinceEpoch(in table: MonthTable) -> Int32 { table.day(month, day) }
}

/// A period counted from its start by month arithmetic: it ends in the month `months` later on
/// the day with the start's number, or on that month's last day when it has none (or always, for
/// a period anchored at the end of the month), and then `days` later.
///
/// An extension lengthens the period and is counted again from its start: a three-month period
/// from 31 January ends on 30 April, extended by one month it ends on 31 May, not 30 May
/// (MPEP 710.01(a)); ``end(extendedBy:in:)`` does exactly that.
@usableFromInline
struct Reckoning: Sendable {
    /// The day the period runs from (not counted).
    @usableFromInline var start: MonthDate
    @usableFromInline var months: Int
    @usableFromInline var days: Int32
    @usableFromInline var endOfMonth: Bool
    /// The period ends in December of the year it reaches (with ``endOfMonth``: on 31 December).
    @usableFromInline var endOfYear: Bool

    @inline(__always)
    init(start: MonthDate, months: Int, days: Int32 = 0, endOfMonth: Bool = false, endOfYear: Bool = false) {
        self.start = start
        self.months = months
        self.days = days
        self.endOfMonth = endOfMonth
        self.endOfYear = endOfYear
    }

    /// The end of the period, before rolling.
    @usableFromInline
    struct End {
        /// Days since 1970-01-01.
        @usableFromInline var day: Int32
        /// The end as a month date, when the period has no days part (else `nil`: convert).
        @usableFromInline var date: MonthDate?
        /// Whether the target month had no day with the start's number.
        @usableFromInline var clamped: Bool
    }

    /// The December of the year of month `index`, out of line: only terms counted to the end of a
    /// year need it. Month indexes of years 0 and later are not negative: `% 12` is the month − 1.
    @inline(never)
    static func december(of index: Int) -> Int { index &+ 11 &- index % 12 }

    /// The end of the period.
    @inline(__always)
    func end(in table: MonthTable) -> End { end(extendedBy: 0, days: 0, in: table) }

    /// The end of the period lengthened by `extra`.
    @inline(__always)
    func end(extendedBy extra: DeadlineRule.Span, in table: MonthTable) -> End {
        end(extendedBy: extra.months, days: extra.days, in: table)
    }

    @inline(__always)
    private func end(extendedBy extraMonths: Int, days extra: Int, in table: MonthTable) -> End {
        var target = start.month &+ months &+ extraMonths
        if _slowPath(endOfYear) { target = Self.december(of: target) }
        let length = table.length(target)
        var dayOfMonth = start.day
        var clamped = false
        if endOfMonth {
            dayOfMonth = length
        } else if dayOfMonth > length {
            dayOfMonth = length
            clamped = true
        }
        let day = table.day(target, dayOfMonth)
        let extraDays = days &+ Int32(truncatingIfNeeded: extra)
        if extraDays == 0 { return End(day: day, date: MonthDate(month: target, day: dayOfMonth), clamped: clamped) }
        return End(day: day &+ extraDays, date: nil, clamped: clamped)
    }
}
