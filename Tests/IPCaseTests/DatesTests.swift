import Testing

@testable import IPCase

@Suite("Civil dates and periods")
struct DatesTests {
    struct MonthCase: CustomTestStringConvertible, Sendable {
        let start: String
        let months: Int
        let end: String
        let clamped: Bool
        let source: String
        var testDescription: String { "\(start) + \(months) months = \(end) (\(source))" }
    }

    @Test(
        "Month arithmetic keeps the day number, else the month's last day, without carry-through",
        arguments: [
            MonthCase(
                start: "2023-01-31", months: 1, end: "2023-02-28", clamped: true,
                source: "PCT Rule 80.2; EPC Rule 131(4)"),
            MonthCase(
                start: "2024-01-31", months: 1, end: "2024-02-29", clamped: true,
                source: "PCT Rule 80.2; EPC Rule 131(4)"),
            MonthCase(
                start: "2024-02-29", months: 12, end: "2025-02-28", clamped: true,
                source: "reference: 29 Feb + 12 months"),
            MonthCase(
                start: "2023-02-28", months: 12, end: "2024-02-28", clamped: false,
                source: "reference: no end-of-month carry-through"),
            MonthCase(
                start: "2023-11-30", months: 3, end: "2024-02-29", clamped: true,
                source: "MPEP 710.01(a): 3 months from 30 Nov"),
            MonthCase(
                start: "2024-02-28", months: 3, end: "2024-05-28", clamped: false,
                source: "MPEP 710.01(a): from 28 Feb, 28 May not 31 May"),
            MonthCase(start: "2023-03-14", months: 30, end: "2025-09-14", clamped: false, source: "PCT Art. 22(1)"),
            MonthCase(
                start: "2025-03-31", months: -3, end: "2024-12-31", clamped: false, source: "EPC Rule 51(1) window"),
            MonthCase(
                start: "2025-05-31", months: -3, end: "2025-02-28", clamped: true, source: "counting back clamps too"),
        ])
    func monthArithmetic(_ example: MonthCase) throws {
        let start = try CivilDate(iso: example.start)
        let result = start.adding(months: example.months)
        #expect(result.date == (try CivilDate(iso: example.end)))
        #expect(result.clamped == example.clamped)
    }

    @Test("Periods parse the rule-file form and read as words")
    func periodsParseAndDescribe() throws {
        #expect(try Period(parsing: "30m") == Period(months: 30))
        #expect(try Period(parsing: "3y6m") == Period(years: 3, months: 6))
        #expect(try Period(parsing: "-3m") == Period(months: -3))
        #expect(try Period(parsing: "2w3d").totalDays == 17)
        #expect(try Period(parsing: "3y6m").description == "3 years 6 months")
        #expect(Period(months: 1).description == "1 month")
        #expect(
            try CivilDate(iso: "2023-03-14").adding(try Period(parsing: "2w")).date
                == (try CivilDate(iso: "2023-03-28")))
    }

    @Test("Malformed periods are refused", arguments: ["", "m", "3", "3x", "6m3y", "3m3m", "--3m"])
    func malformedPeriodsAreRefused(_ text: String) {
        #expect(throws: Period.Invalid.self) { try Period(parsing: text) }
    }

    @Test("End-of-month helpers")
    func endOfMonth() throws {
        #expect(try CivilDate(iso: "2024-02-10").lastDayOfMonth == (try CivilDate(iso: "2024-02-29")))
        #expect(try CivilDate(iso: "2023-04-30").isLastDayOfMonth)
        #expect(try !CivilDate(iso: "2023-04-29").isLastDayOfMonth)
    }

    @Test("The engine's fast date forms agree with CivilDate on every day from 1899 to 2301")
    func fastDateFormsAgree() throws {
        let table = MonthTable.shared
        var day = try CivilDate(iso: "1899-01-01")
        let last = try CivilDate(iso: "2301-12-31")
        while day <= last {
            let (year, month, dayOfMonth) = day.components
            let fast = YearMonthDay(year: year, month: month, day: dayOfMonth)
            #expect(fast.daysSinceEpoch == day.daysSinceEpoch)
            #expect(table.day(MonthTable.index(fast), dayOfMonth) == day.daysSinceEpoch)
            #expect(table.length(MonthTable.index(fast)) == CivilDate.daysInMonth(year: year, month: month))
            #expect(YearMonthDay.length(year: year, month: month) == CivilDate.daysInMonth(year: year, month: month))
            day = day.adding(days: 1)
        }
    }

    @Test("Fast month shifting agrees with CivilDate.adding(months:) over generated dates")
    func fastMonthShiftingAgrees() throws {
        var random = SplitMix(seed: 7)
        for _ in 0..<20_000 {
            let date = CivilDate(daysSinceEpoch: Int32(random.next() % 60_000))
            let months = Int(random.next() % 481) - 240
            let expected = date.adding(months: months)
            let (fast, clamped) = YearMonthDay(date).adding(months: months)
            #expect(fast.date == expected.date)
            #expect(clamped == expected.clamped)
        }
    }
}

/// A deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Civil dates: fast components")
struct FastComponentsTests {
    @Test("YearMonthDay(date) agrees with CivilDate.components from year 1 to 9999")
    func fastComponentsAgree() throws {
        var day = try CivilDate(iso: "0001-01-01")
        let last = try CivilDate(iso: "9999-12-31")
        var mismatches: [CivilDate] = []
        while day <= last {
            let fast = YearMonthDay(day)
            let (year, month, dayOfMonth) = day.components
            if fast.year != year || fast.month != month || fast.day != dayOfMonth { mismatches.append(day) }
            day = day.adding(days: 1)
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}
