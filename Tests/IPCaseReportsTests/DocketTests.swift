import Foundation
import IPCase
import IPCaseReports
import IPCaseTestSupport
import Testing

/// A small docket on 2026-03-02 (a Monday): one overdue in grace, one due in 3 days, one in 20,
/// one in 200, one done, one waived; two attorneys, three jurisdictions.
enum SampleDocket {
    static let asOf = day("2026-03-02")

    static func entry(
        _ id: Int64, right: Int64, jurisdiction: Jurisdiction?, number: String?, title: String, type: String,
        year: String? = nil, rule: String, due: String, final: String? = nil, status: DocketEntry.Status = .open,
        attorney: (String, String)? = ("Aigerim Seitkali", "a.seitkali@example.kz"),
        ruleStatus: DocketEntry.RuleStatus = .confirmed, office: ID<Office> = 1, explanation: String = ""
    ) -> DocketEntry {
        DocketEntry(
            id: id,
            key: DocketEntry.key(
                office: office, right: ID<Right>(right), ruleID: rule, trigger: "filed-2023-03-14", year: year),
            office: office, officeName: "Satbayev University TTO", jurisdiction: jurisdiction, rightKind: .patent,
            rightReference: "R-\(right)", applicationNumber: number, title: title, type: type, year: year, ruleID: rule,
            due: day(due), final: final.map(day), status: status, attorneyName: attorney?.0,
            attorneyEmail: attorney?.1, citation: "Citation for \(rule)", ruleStatus: ruleStatus,
            explanation: explanation)
    }

    static let entries: [DocketEntry] = [
        entry(
            1, right: 10, jurisdiction: .kazakhstan, number: "2023/0123.1", title: "Сорбент для очистки нефти",
            type: "renewal", year: "4", rule: "KZ.annuity", due: "2026-02-27", final: "2026-08-27",
            explanation: "year 4: 3 years from filing 2023-03-14 …"),
        entry(
            2, right: 11, jurisdiction: .pct, number: "PCT/KZ2024/050001", title: "Catalyst, process; and use",
            type: "national_phase", rule: "PCT.national_phase", due: "2026-03-05", final: "2026-09-05",
            attorney: ("Daniyar Ospanov", "d.ospanov@example.kz")),
        entry(
            3, right: 12, jurisdiction: .eurasian, number: "202391234", title: "Wind turbine blade",
            type: "office_action_response", rule: "EA.office_action", due: "2026-03-22", ruleStatus: .unconfirmed),
        entry(
            4, right: 13, jurisdiction: .kazakhstan, number: "2022/0456.2", title: "Drip irrigation valve",
            type: "renewal", year: "5", rule: "KZ.annuity", due: "2026-09-18"),
        entry(
            5, right: 14, jurisdiction: .european, number: "23712345.6", title: "Sorbent", type: "renewal", year: "3",
            rule: "EP.renewal", due: "2026-02-28", status: .done),
        entry(
            6, right: 15, jurisdiction: .unitedStates, number: "18/123,456", title: "Battery separator",
            type: "maintenance_fee", year: "3.5", rule: "US.maintenance", due: "2026-03-10", status: .waived,
            attorney: ("Daniyar Ospanov", "d.ospanov@example.kz")),
    ]
}

@Suite("Docket")
struct DocketTests {
    @Test func keysNameOfficeSubjectRuleTriggerAndYearAndAreSafe() {
        #expect(
            DocketEntry.key(office: 1, right: 42, ruleID: "EP.renewal", trigger: "filed-2023-03-14", year: "5")
                == "o1_r42_EP.renewal_filed-2023-03-14_y5")
        #expect(
            DocketEntry.key(office: 3, agreement: 7, ruleID: "royalty_report", trigger: "executed 2025/01/01")
                == "o3_a7_royalty%5Freport_executed%202025%2F01%2F01")
    }

    @Test(
        "Urgency by status and days to the due date",
        arguments: [
            (DocketEntry.Status.open, -1, DocketEntry.Urgency.overdue),
            (.open, 0, .dueWithinWeek),
            (.open, 7, .dueWithinWeek),
            (.open, 8, .dueWithinMonth),
            (.open, 30, .dueWithinMonth),
            (.open, 31, .later),
            (.missed, 10, .overdue),
            (.done, -5, .closed),
            (.waived, 3, .closed),
            (.superseded, 3, .closed),
        ])
    func urgencyFollowsTheDueDate(status: DocketEntry.Status, days: Int, urgency: DocketEntry.Urgency) {
        var entry = SampleDocket.entries[0]
        entry.status = status
        entry.due = SampleDocket.asOf.adding(days: days)
        #expect(entry.urgency(asOf: SampleDocket.asOf) == urgency)
    }

    /// One filter of `ipcase deadlines list` and the deadline ids it must return, in docket order.
    struct FilterCase: Sendable, CustomTestStringConvertible {
        var within: Int? = nil
        var overdue = false
        var attorney: String? = nil
        var jurisdictions: Set<Jurisdiction> = []
        var types: Set<String> = []
        var statuses: Set<DocketEntry.Status> = []
        var offices: Set<ID<Office>> = []
        var expected: [Int64]

        var testDescription: String {
            "within \(within.map(String.init) ?? "-") overdue \(overdue) attorney \(attorney ?? "-") "
                + "jurisdictions \(jurisdictions.map(\.code).sorted()) types \(types.sorted()) "
                + "statuses \(statuses.map(\.rawValue).sorted()) → \(expected)"
        }
    }

    @Test(
        "Filters return exactly the expected deadlines",
        arguments: [
            FilterCase(within: 30, expected: [2, 6, 3]),
            FilterCase(overdue: true, expected: [1]),
            FilterCase(within: 30, overdue: true, expected: [1, 2, 6, 3]),
            FilterCase(within: 30, statuses: [.open], expected: [2, 3]),
            FilterCase(attorney: "OSPANOV", expected: [2, 6]),
            FilterCase(jurisdictions: [.kazakhstan], expected: [1, 4]),
            FilterCase(types: ["renewal"], expected: [1, 5, 4]),
            FilterCase(statuses: [.open], expected: [1, 2, 3, 4]),
            FilterCase(statuses: [.done, .waived], expected: [5, 6]),
            FilterCase(offices: [2], expected: []),
            FilterCase(within: 5, attorney: "seitkali", expected: []),
        ])
    func filtersSelectExactly(_ filterCase: FilterCase) {
        var filter = DocketFilter(asOf: SampleDocket.asOf)
        filter.within = filterCase.within
        filter.overdue = filterCase.overdue
        filter.attorney = filterCase.attorney
        filter.jurisdictions = filterCase.jurisdictions
        filter.types = filterCase.types
        filter.statuses = filterCase.statuses
        filter.offices = filterCase.offices
        #expect(filter.apply(SampleDocket.entries.reversed()).map(\.id) == filterCase.expected.map { Optional($0) })
    }

    @Test func tableAlignsColumnsEvenWithCyrillicTitlesAndMarksUnconfirmedRules() throws {
        let entries = DocketFilter(asOf: SampleDocket.asOf).apply(SampleDocket.entries)
        let text = DocketRenderer.table(entries, asOf: SampleDocket.asOf)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(!text.contains("\u{1B}"), "no ANSI codes unless asked")
        let header = lines[0]
        #expect(header.hasPrefix("ID  DUE"))
        // The TYPE column starts at the same character offset on every row.
        let typeColumn = try #require(header.range(of: "TYPE")).lowerBound.utf16Offset(in: header)
        let rows = lines[2..<(2 + entries.count)]
        for (row, entry) in zip(rows, entries) {
            let start = try #require(row.range(of: entry.typeLabel)).lowerBound
            #expect(row[..<start].count == typeColumn, "\(row)")
        }
        let overdue = try #require(rows.first { $0.contains("2023/0123.1") })
        #expect(overdue.contains("3d overdue (grace)"))
        #expect(overdue.contains("Сорбент для очистки нефти"))
        #expect(rows.contains { $0.contains("EA.office_action*") })
        #expect(text.contains("* rule not yet confirmed by an attorney"))
        #expect(rows.contains { $0.contains("in 3d") && $0.contains("national phase") })
        #expect(DocketRenderer.table([], asOf: SampleDocket.asOf) == "no deadlines\n")
    }

    @Test func colorsFollowUrgencyWhenAsked() throws {
        let entries = DocketFilter(asOf: SampleDocket.asOf).apply(SampleDocket.entries)
        let lines = DocketRenderer.table(entries, asOf: SampleDocket.asOf, color: true).split(separator: "\n")
        func line(_ number: String) throws -> Substring { try #require(lines.first { $0.contains(number) }) }
        #expect(try line("2023/0123.1").hasPrefix("\u{1B}[1;31m"))  // overdue: red
        #expect(try line("PCT/KZ2024/050001").hasPrefix("\u{1B}[33m"))  // in 3 days: yellow
        #expect(try !line("202391234").contains("\u{1B}"))  // in 20 days: default
        #expect(try line("2022/0456.2").hasPrefix("\u{1B}[2m"))  // later: dim
        #expect(try line("23712345.6").hasPrefix("\u{1B}[2m"))  // done: dim
        #expect(lines.filter { $0.contains("\u{1B}[") }.allSatisfy { $0.hasSuffix("\u{1B}[0m") })
    }

    @Test func jsonHasEveryFieldWithStableKeysAndDecodesBack() throws {
        let entries = DocketFilter(asOf: SampleDocket.asOf).apply(SampleDocket.entries)
        let text = DocketRenderer.json(entries, asOf: SampleDocket.asOf)
        let document = try #require(try jsonObject(text) as? [String: Any])
        #expect(document["schema"] as? String == "ipcase.docket/1")
        #expect(document["as_of"] as? String == "2026-03-02")
        #expect(document["count"] as? Int == 6)
        let rows = try #require(document["deadlines"] as? [[String: Any]])
        let keys = Set(rows[0].keys)
        #expect(rows.allSatisfy { Set($0.keys) == keys }, "every row has the same keys, null when absent")
        #expect(
            keys.isSuperset(of: [
                "id", "key", "office", "jurisdiction", "right_label", "right_kind", "type", "year", "due", "final",
                "window_opens", "status", "attorney_name", "attorney_email", "citation", "rule_status",
                "explanation", "days_left", "urgency", "in_grace",
            ]))
        let first = rows[0]
        #expect(first["right_label"] as? String == "KZ 2023/0123.1")
        #expect(first["days_left"] as? Int == -3)
        #expect(first["urgency"] as? String == "overdue")
        #expect(first["in_grace"] as? Bool == true)
        #expect(first["window_opens"] is NSNull)
        struct Document: Decodable { let deadlines: [DocketEntry] }
        let decoded = try JSONDecoder().decode(Document.self, from: Data(text.utf8))
        #expect(decoded.deadlines == entries)
    }

    @Test func csvFollowsRFC4180AndPythonReadsItBack() async throws {
        var entries = DocketFilter(asOf: SampleDocket.asOf).apply(SampleDocket.entries)
        entries[0].explanation = "line one\nline \"two\", with comma"
        entries[1].title = " padded "
        let csv = DocketRenderer.csv(entries, asOf: SampleDocket.asOf)
        #expect(csv.hasPrefix("id,key,office,office_name,jurisdiction,"))
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.contains("\"line one\nline \"\"two\"\", with comma\""))
        #expect(csv.contains("\"Catalyst, process; and use\""))
        #expect(csv.contains("\" padded \""))

        let file = try Python.temporaryFile(csv, suffix: ".csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.DictReader(f, strict=True))))
            """
        let output = try await Python.script(script, arguments: [file.path])
        let rows = try #require(try jsonObject(output) as? [[String: String]])
        #expect(rows.count == entries.count)
        #expect(Set(rows[0].keys) == Set(DocketRenderer.csvColumns))
        for (row, entry) in zip(rows, entries) {
            #expect(row["id"] == entry.id.map(String.init))
            #expect(row["key"] == entry.key)
            #expect(row["title"] == entry.title)
            #expect(row["due"] == entry.due.description)
            #expect(row["explanation"] == entry.explanation)
            #expect(row["urgency"] == entry.urgency(asOf: SampleDocket.asOf).rawValue)
        }
    }
}
