import Foundation
import IPCaseTestSupport
import Testing

@testable import IPCase

@Suite("Office calendars")
struct CalendarsTests {
    let book = RuleBook.standard

    struct DayCase: CustomTestStringConvertible, Sendable {
        let calendar: String
        let date: String
        let closed: Bool
        let why: String
        var testDescription: String { "\(calendar) \(date) \(closed ? "closed" : "open"): \(why)" }
    }

    @Test(
        "Closed and open days of each office",
        arguments: [
            DayCase(calendar: "KZ", date: "2025-03-21", closed: true, why: "Nauryz (Law on holidays Art. 1)"),
            DayCase(
                calendar: "KZ", date: "2025-03-24", closed: true,
                why: "Nauryz 22 Mar on a Saturday carried over (Art. 5)"),
            DayCase(
                calendar: "KZ", date: "2025-03-25", closed: true, why: "Nauryz 23 Mar on a Sunday carried over (Art. 5)"
            ),
            DayCase(calendar: "KZ", date: "2025-03-26", closed: false, why: "first working day after Nauryz 2025"),
            DayCase(calendar: "KZ", date: "2025-06-06", closed: true, why: "Kurban Ait 2025"),
            DayCase(
                calendar: "KZ", date: "2024-06-17", closed: false,
                why: "Kurban Ait on Sunday 16 Jun 2024 is not carried over"),
            DayCase(
                calendar: "KZ", date: "2019-08-12", closed: false,
                why: "Kurban Ait on Sunday 11 Aug 2019 is not carried over"),
            DayCase(calendar: "KZ", date: "2016-03-05", closed: false, why: "Saturday worked by decree (P1600000067)"),
            DayCase(calendar: "KZ", date: "2016-03-07", closed: true, why: "day off moved by decree from 5 Mar"),
            DayCase(
                calendar: "KZ", date: "2020-05-11", closed: false,
                why: "carry-over of Victory Day moved by decree to 8 May"),
            DayCase(calendar: "KZ", date: "2020-05-08", closed: true, why: "day off moved by decree from 11 May"),
            DayCase(calendar: "KZ", date: "2025-01-05", closed: false, why: "Sunday worked by decree (G24G0000436)"),
            DayCase(calendar: "KZ", date: "2022-12-01", closed: false, why: "First President Day abolished in 2022"),
            DayCase(calendar: "KZ", date: "2022-10-25", closed: true, why: "Republic Day since 2022"),
            DayCase(calendar: "KZ", date: "2024-12-16", closed: true, why: "Independence Day"),
            DayCase(
                calendar: "KZ", date: "2031-03-21", closed: false, why: "beyond the data (2015-2030): weekends only"),
            DayCase(
                calendar: "US", date: "2021-12-31", closed: true,
                why: "New Year 2022 on a Saturday observed Friday (5 U.S.C. 6103(b))"),
            DayCase(calendar: "US", date: "2022-12-26", closed: true, why: "Christmas on a Sunday observed Monday"),
            DayCase(calendar: "US", date: "2020-06-19", closed: false, why: "Juneteenth only since 2021"),
            DayCase(
                calendar: "US", date: "2021-06-18", closed: true, why: "Juneteenth 2021 on a Saturday observed Friday"),
            DayCase(calendar: "US", date: "2025-01-20", closed: true, why: "Inauguration Day and MLK Day"),
            DayCase(calendar: "US", date: "2024-09-02", closed: true, why: "Labor Day, first Monday of September"),
            DayCase(calendar: "US", date: "2024-11-28", closed: true, why: "Thanksgiving, fourth Thursday of November"),
            DayCase(calendar: "US", date: "2019-12-24", closed: true, why: "federal offices closed, EO 13900"),
            DayCase(calendar: "EP", date: "2024-12-27", closed: true, why: "EPO closed 24 Dec 2024 to 1 Jan 2025"),
            DayCase(calendar: "EP", date: "2025-01-02", closed: false, why: "EPO open again on 2 Jan 2025"),
            DayCase(calendar: "EP", date: "2020-04-10", closed: true, why: "Good Friday 2020 (OJ EPO 2019, A97)"),
            DayCase(calendar: "EP", date: "2020-06-11", closed: true, why: "Corpus Christi 2020 (OJ EPO 2019, A97)"),
            DayCase(calendar: "RU", date: "2024-06-12", closed: true, why: "Russia Day"),
            DayCase(calendar: "RU", date: "2024-11-02", closed: false, why: "Saturday worked by decree"),
        ])
    func closedAndOpenDays(_ example: DayCase) throws {
        let calendar = try #require(book.calendar(id: example.calendar))
        #expect(calendar.isClosed(try CivilDate(iso: example.date)) == example.closed)
    }

    @Test("Rolling moves to the next open day and says when it relied on unconfirmed data")
    func rollingFlagsUnconfirmedDays() throws {
        let kz = try #require(book.calendar(id: "KZ"))
        let nauryz = kz.roll(try CivilDate(iso: "2025-03-22"))
        #expect(nauryz.date == (try CivilDate(iso: "2025-03-26")))
        #expect(!nauryz.skippedUnconfirmed)
        // Kurban Ait 2026 is an estimate.
        let kurban = kz.roll(try CivilDate(iso: "2026-05-27"))
        #expect(kurban.date == (try CivilDate(iso: "2026-05-28")))
        #expect(kurban.skippedUnconfirmed)
        let beyond = kz.roll(try CivilDate(iso: "2031-03-22"))
        #expect(beyond.outsideData)
        #expect(beyond.date == (try CivilDate(iso: "2031-03-24")))
    }

    @Test("Closed days explain themselves")
    func closedDaysExplainThemselves() throws {
        let kz = try #require(book.calendar(id: "KZ"))
        #expect(kz.closedDay(try CivilDate(iso: "2025-03-21"))?.name == "Nauryz")
        #expect(kz.closedDay(try CivilDate(iso: "2025-03-24"))?.kind == .carriedOver)
        #expect(kz.closedDay(try CivilDate(iso: "2025-03-23"))?.kind == .holiday)
        #expect(kz.closedDay(try CivilDate(iso: "2025-03-29"))?.kind == .weekend)
        #expect(kz.closedDay(try CivilDate(iso: "2025-03-26")) == nil)
        #expect(kz.workingDaySource(try CivilDate(iso: "2016-03-05"))?.contains("P1600000067") == true)
    }

    @Test("Every calendar entry names its source and the required calendars cover their years")
    func everyEntryHasASource() throws {
        for (id, years) in [("KZ", 2015...2030), ("US", 2015...2030), ("EP", 2015...2030), ("RU", 2015...2030)] {
            let calendar = try #require(book.calendar(id: id))
            #expect(calendar.years.lowerBound <= years.lowerBound && calendar.years.upperBound >= years.upperBound)
            let file = calendar.file
            #expect(!file.weekendSource.isEmpty && !file.weekendCarry.source.isEmpty)
            for entry in file.fixed { #expect(!entry.source.isEmpty, "\(id) \(entry.name)") }
            for entry in file.nthWeekday ?? [] { #expect(!entry.source.isEmpty, "\(id) \(entry.name)") }
            for entry in file.easter ?? [] { #expect(!entry.source.isEmpty, "\(id) \(entry.name)") }
            for entry in file.dates { #expect(!entry.source.isEmpty, "\(id) \(entry.name)") }
            for transfer in file.transfers { #expect(!transfer.source.isEmpty, "\(id) \(transfer.year)") }
        }
    }

    @Test("KZ has Kurban Ait for every year 2015-2030, estimates marked unconfirmed")
    func kurbanAitEveryYear() throws {
        let kz = try #require(book.calendar(id: "KZ"))
        let kurban = kz.file.dates.filter { $0.name.hasPrefix("Kurban Ait") }
        #expect(Set(kurban.map(\.date.year)) == Set(2015...2030))
        #expect(kurban.allSatisfy { $0.carry != true })
        #expect(kurban.filter { $0.date.year >= 2026 }.allSatisfy { $0.status == .unconfirmed })
    }

    @Test(
        "Closed days agree with the python holidays package, or the data says why",
        .timeLimit(.minutes(5)),
        arguments: ["KZ", "RU", "US"])
    func crossCheckAgainstPythonHolidays(_ id: String) async throws {
        let calendar = try #require(book.calendar(id: id))
        let check = try #require(calendar.file.pythonHolidays, "\(id) has no python_holidays section")
        let python = try await PythonHolidays.closedDays(
            country: check.country, years: check.firstYear...check.lastYear, categories: check.categories)
        var ours: Set<CivilDate> = []
        for year in check.firstYear...check.lastYear { ours.formUnion(calendar.closedDays(in: year)) }
        let actual = Set(ours.symmetricDifference(python).map { ($0, ours.contains($0)) }.map { "\($0.0) \($0.1)" })
        let explained = Set(check.differences.map { "\($0.date) \($0.closedHere)" })
        let unexplained = actual.subtracting(explained).sorted()
        let stale = explained.subtracting(actual).sorted()
        #expect(unexplained.isEmpty, "\(id): differences without a reason in calendars/\(id).json: \(unexplained)")
        #expect(stale.isEmpty, "\(id): listed differences that are not differences: \(stale)")
        #expect(check.differences.allSatisfy { !$0.reason.isEmpty })
    }
}

/// Python's `holidays` package, run through the shared ``Python`` runner.
enum PythonHolidays {
    static let script = """
        import datetime, json, sys
        import holidays
        country, first, last, categories = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        options = {"categories": tuple(categories.split(","))} if categories else {}
        calendar = holidays.country_holidays(country, years=range(first, last + 1), **options)
        day, closed = datetime.date(first, 1, 1), []
        while day.year <= last:
            if not calendar.is_working_day(day):
                closed.append(day.isoformat())
            day += datetime.timedelta(days=1)
        print(json.dumps(closed))
        """

    static func closedDays(country: String, years: ClosedRange<Int>, categories: [String]?) async throws
        -> Set<CivilDate>
    {
        let output = try await Python.script(
            script,
            arguments: [
                country, String(years.lowerBound), String(years.upperBound), (categories ?? []).joined(separator: ","),
            ],
            packages: ["holidays"])
        let days = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        return Set(try days.map { try CivilDate(iso: $0) })
    }
}

@Suite("Office calendars: rolling")
struct RollingTests {
    @Test("The precomputed roll agrees with walking day by day, for every day of every calendar")
    func precomputedRollAgreesWithWalking() throws {
        for calendar in RuleBook.standard.calendars.values {
            var day = CivilDate.firstOfYear(calendar.years.lowerBound - 1)
            let last = CivilDate.firstOfYear(calendar.years.upperBound + 2)
            var mismatches: [String] = []
            while day < last {
                var walk = day
                var doubtful = false
                while calendar.isClosed(walk) {
                    if calendar.closedDay(walk)?.status == .unconfirmed { doubtful = true }
                    walk = walk.adding(days: 1)
                }
                let roll = calendar.roll(day)
                if roll.date != walk || roll.skippedUnconfirmed != doubtful {
                    mismatches.append("\(calendar.id) \(day)")
                }
                day = day.adding(days: 1)
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        }
    }
}
