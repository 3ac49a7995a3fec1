import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore
import IPCaseTestSupport
import Testing

/// The docket as JSON objects from `deadlines list … --format json`.
private func docket(_ arguments: [String], url: String) async throws -> [[String: Any]] {
    let output = try await Binary.run(
        ["deadlines", "list", "--as-of", "2025-06-30", "--format", "json"] + arguments, database: url)
    #expect(output.status == 0, "stderr: \(output.stderr)")
    return try jsonObject(output.stdout)["deadlines"] as? [[String: Any]] ?? []
}

/// A docket filter written out independently of the SQL: what each option means.
struct FilterCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var keep: @Sendable ([String: Any]) -> Bool
    var testDescription: String { arguments.joined(separator: " ") }
}

private func days(_ entry: [String: Any]) -> Int { entry["days_left"] as? Int ?? Int.min }
private func string(_ entry: [String: Any], _ key: String) -> String { entry[key] as? String ?? "" }

@Suite("ipcase end to end: docket, calendar, reports, distribution", .serialized)
struct DocketAndReportTests {
    static let filters: [FilterCase] = [
        FilterCase(arguments: ["--office", "2"]) { string($0, "status") == "open" && $0["office"] as? Int == 2 },
        FilterCase(arguments: ["--within", "30d"]) { string($0, "status") == "open" && (0...30).contains(days($0)) },
        FilterCase(arguments: ["--overdue"]) { string($0, "status") == "open" && days($0) < 0 },
        FilterCase(arguments: ["--within", "8w", "--overdue", "--office", "2"]) {
            string($0, "status") == "open" && $0["office"] as? Int == 2 && days($0) <= 56
        },
        FilterCase(arguments: ["--attorney", "lebedev"]) {
            string($0, "status") == "open" && string($0, "attorney_name").lowercased().contains("lebedev")
        },
        // A party key: the demo's attorney 25 is Nikolai Lebedev.
        FilterCase(arguments: ["--attorney", "25", "--office", "2"]) {
            string($0, "status") == "open" && string($0, "attorney_name") == "Nikolai Lebedev"
        },
        // A text several attorneys' names contain lists all of them ("an" is in four of five).
        FilterCase(arguments: ["--attorney", "AN"]) {
            string($0, "status") == "open" && string($0, "attorney_name").lowercased().contains("an")
        },
        FilterCase(arguments: ["--jurisdiction", "EP", "--jurisdiction", "EA"]) {
            string($0, "status") == "open" && ["EP", "EA"].contains(string($0, "jurisdiction"))
        },
        FilterCase(arguments: ["--type", "national_phase", "--within", "3m"]) {
            string($0, "status") == "open" && string($0, "type") == "national_phase" && (0...90).contains(days($0))
        },
        FilterCase(arguments: ["--status", "missed"]) { string($0, "status") == "missed" },
        FilterCase(arguments: ["--all", "--within", "30d"]) { (0...30).contains(days($0)) },
    ]

    @Test(arguments: filters)
    func docketFiltersReturnExactlyTheExpectedDeadlines(filter: FilterCase) async throws {
        let url = try await Databases.demo.value
        let everything = try await docket(["--all"], url: url)
        #expect(everything.count > 1000)
        let expected = Set(everything.filter(filter.keep).compactMap { $0["id"] as? Int })
        let listed = try await docket(filter.arguments, url: url)
        #expect(!expected.isEmpty)
        #expect(Set(listed.compactMap { $0["id"] as? Int }) == expected)
        #expect(listed.count == expected.count)
        let dues = listed.compactMap { $0["due"] as? String }
        #expect(dues == dues.sorted(), "by due date")
    }

    @Test("every list of an office that does not exist exits 2 naming --office", arguments: ["rights", "deals", "parties", "agreements", "disclosures", "payments"])
    func listsOfAMissingOfficeAreRefused(kind: String) async throws {
        let url = try await Databases.demo.value
        let output = try await Binary.run([kind, "list", "--office", "999"], database: url)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("--office: office 999 does not exist"), "\(output.stderr)")
    }

    @Test(
        "a filter with a value that matches nothing by construction exits 2 naming the option",
        arguments: [
            (["--type", "bogus"], "--type: 'bogus' is not a deadline type"),
            (["--jurisdiction", "XX"], "--jurisdiction: 'XX' is not a jurisdiction with rules"),
            (["--office", "999"], "--office: office 999 does not exist"),
            (["--status", "late"], "--status: 'late' is not one of"),
        ])
    func unknownFilterValuesAreRefused(arguments: [String], message: String) async throws {
        let url = try await Databases.demo.value
        let output = try await Binary.run(["deadlines", "list"] + arguments, database: url)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test func docketOfARightIsExactlyWhatTheRulesEngineGivesFromItsEvents() async throws {
        let url = try await Databases.demo.value
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let rights = try await store.withService(actor: "test") { try await $0.rightsForProcessing(offices: [1]) }
        await store.connection.close()
        let engine = DeadlineEngine(book: .standard)
        var compared = 0
        for right in rights where right.jurisdiction == .european || right.jurisdiction == .kazakhstan {
            let expected = Set(
                engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events)
                    .filter { ($0.final ?? $0.due) >= Databases.asOf && $0.closedBy == nil }
                    .map { "\($0.ruleID) \($0.due)" })
            guard !expected.isEmpty else { continue }
            let listed = try await docket(["--office", "1"], url: url)
                .filter {
                    $0["key"] as? String ?? "" == ""
                        ? false : (string($0, "key").hasPrefix("o1_r\(right.right.rawValue)_"))
                }
                .map { "\(string($0, "rule_id")) \(string($0, "due"))" }
            #expect(Set(listed) == expected, "right \(right.right)")
            compared += 1
            if compared == 3 { break }
        }
        #expect(compared == 3)
    }

    @Test func doneAndWaiveCloseADeadlineOnceWithTheReasonAudited() async throws {
        let url = try await Databases.demo.value
        let open = try await docket(["--office", "2", "--within", "90d"], url: url)
        let ids = open.compactMap { $0["id"] as? Int }
        #expect(ids.count >= 2)
        let done = try await Binary.run(["deadlines", "done", String(ids[0]), "--reason", "fee paid"], database: url)
        #expect(done.status == 0, "stderr: \(done.stderr)")
        #expect(done.stdout.contains("done"))
        let again = try await Binary.run(["deadlines", "waive", String(ids[0]), "--reason", "twice"], database: url)
        #expect(again.status == 2)
        #expect(again.stderr.contains("is 'done', not open"))
        let stale = try await Binary.run(
            ["deadlines", "waive", String(ids[1]), "--reason", "client abandons", "--expect-version", "99"],
            database: url)
        #expect(stale.status == 2)
        let waived = try await Binary.run(
            ["deadlines", "waive", String(ids[1]), "--reason", "client abandons"], database: url)
        #expect(waived.status == 0, "stderr: \(waived.stderr)")
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM deadlines WHERE id = \(ids[0]) AND status = 'done' AND completed_reason = 'fee paid'"
            ) == 1)
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM deadlines WHERE id = \(ids[1]) AND status = 'waived'") == 1)
        let listed = Set(try await docket(["--office", "2", "--within", "90d"], url: url).compactMap { $0["id"] as? Int })
        #expect(!listed.contains(ids[0]) && !listed.contains(ids[1]))
    }

    @Test func aSecondPersonVerifiesADeadlineAndAMovedDeadlineMustBeVerifiedAgain() async throws {
        let url = try await Databases.demo.value
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let row = try await store.connection.query(
            """
            SELECT d.id, e.recorded_by FROM deadlines d
            JOIN right_events e ON e.office_id = d.office_id AND e.right_id = d.right_id
                               AND e.kind || ':' || e.event_date = d.trigger_key
            WHERE d.office_id = 1 AND d.status = 'open' AND d.due_date > '2025-06-30'
            ORDER BY d.due_date, d.id LIMIT 1
            """)[0]
        let (id, recorder) = try row.decode(Int64.self, String.self)
        await store.connection.close()
        let unverified = { try await docket(["--office", "1", "--all", "--unverified"], url: url).compactMap { $0["id"] as? Int } }
        #expect(try await unverified().contains(Int(id)))

        let own = try await Binary.run(["deadlines", "verify", String(id), "--actor", recorder], database: url)
        #expect(own.status == 2)
        #expect(own.stderr.contains("a second person must verify it"), "\(own.stderr)")
        let checked = try await Binary.run(["deadlines", "verify", String(id), "--actor", "b.second"], database: url)
        #expect(checked.status == 0, "stderr: \(checked.stderr)")
        #expect(!(try await unverified().contains(Int(id))))
        let entry = try #require(try await docket(["--office", "1", "--all"], url: url).first { $0["id"] as? Int == Int(id) })
        #expect(entry["verified_by"] as? String == "b.second")
        #expect(
            try await Databases.count(
                url,
                """
                SELECT count(*)::int FROM audit_log WHERE table_name = 'deadlines' AND record_id = \(id)
                  AND actor = 'b.second' AND after->>'verified_by' = 'b.second'
                """) == 1)
        // The table marks the unverified ones.
        let table = try await Binary.run(
            ["deadlines", "list", "--office", "1", "--as-of", "2025-06-30", "--within", "3650d"], database: url)
        #expect(table.stdout.contains("not yet verified by a second person"))
        let firstColumn = table.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(firstColumn.contains(String(id)) && !firstColumn.contains("\(id)°"))
        #expect(firstColumn.contains { $0.hasSuffix("°") })

        // Its dates move (a recomputation after a calendar change, here by hand): check again.
        _ = try await Databases.count(
            url,
            """
            WITH moved AS (UPDATE deadlines SET due_date = due_date + 1, final_date = final_date + 1
                           WHERE id = \(id) RETURNING 1) SELECT count(*)::int FROM moved
            """)
        #expect(try await unverified().contains(Int(id)))
    }

    @Test func icsParsesWithPythonIcalendarAndItsUIDsAreStableAcrossRuns() async throws {
        let url = try await Databases.demo.value
        let arguments = [
            "deadlines", "list", "--as-of", "2025-06-30", "--office", "1", "--within", "365d", "--format", "ics",
        ]
        let first = try await Binary.run(arguments, database: url)
        let second = try await Binary.run(arguments, database: url)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout == second.stdout)
        let expected = try await docket(["--office", "1", "--within", "365d"], url: url).count
        #expect(expected > 0)
        let file = try temporaryFile("docket.ics", first.stdout)
        let result = try await Python.script(
            """
            import sys, datetime, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = [c for c in cal.walk('VEVENT')]
            uids = [str(e['UID']) for e in events]
            assert len(set(uids)) == len(uids), 'duplicate UIDs'
            for e in events:
                start = e.decoded('DTSTART')
                assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime), 'all-day'
                assert len(e.walk('VALARM')) > 0, 'reminders'
            print(len(events))
            print('\\n'.join(sorted(uids)))
            """, arguments: [file], packages: ["icalendar"])
        let lines = result.split(separator: "\n").map(String.init)
        #expect(Int(lines[0]) == expected)
        // Rights' deadlines (o1_r…), agreements' obligations (o1_a…) and funded projects' (o1_p…).
        #expect(
            lines.dropFirst().allSatisfy {
                ($0.hasPrefix("deadline-o1_r") || $0.hasPrefix("deadline-o1_a") || $0.hasPrefix("deadline-o1_p"))
                    && $0.hasSuffix("@ipcase")
            })
        #expect(lines.contains { $0.hasPrefix("deadline-o1_p") }, "a project's report in the feed")
    }

    @Test func htmlReportIsWellFormedAndItsFiguresMatchTheJSON() async throws {
        let url = try await Databases.demo.value
        let base = ["report", "--from", "2024-07-01", "--to", "2025-06-30", "--office", "1"]
        let json = try await Binary.run(base + ["--format", "json"], database: url)
        #expect(json.status == 0, "stderr: \(json.stderr)")
        let htmlFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ipcase-report-\(UUID().uuidString).html"
        ).path
        let html = try await Binary.run(base + ["--format", "html", "--output", htmlFile], database: url)
        #expect(html.status == 0, "stderr: \(html.stderr)")
        let report = try jsonObject(json.stdout)
        let autm = try #require(report["autm"] as? [String: Any])
        let figures = ["disclosures_received", "patents_issued", "active_licences_at_period_end", "startups_formed"]
            .compactMap { autm[$0] as? Int }
        #expect(figures.count == 4)
        #expect((autm["disclosures_received"] as? Int ?? 0) > 0)
        let text = try await Python.script(
            """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            print(' | '.join(t.strip() for t in root.itertext() if t.strip()))
            """, arguments: [htmlFile])
        #expect(text.contains("Disclosures received | \(autm["disclosures_received"] as? Int ?? -1)"))
        #expect(text.contains("Patents issued | \(autm["patents_issued"] as? Int ?? -1)"))
    }

    @Test("report --language ru|kk writes the table and the HTML in that language; the JSON stays the same; xx is refused")
    func reportInKazakhAndRussian() async throws {
        let url = try await Databases.demo.value
        let base = ["report", "--from", "2024-07-01", "--to", "2025-06-30", "--office", "1"]
        let russian = try await Binary.run(base + ["--language", "ru"], database: url)
        #expect(russian.status == 0, "stderr: \(russian.stderr)")
        #expect(russian.stdout.hasPrefix("Показатели за период 01.07.2024 – 30.06.2025"))
        #expect(!russian.stdout.contains("Disclosures received"))
        let kazakh = try await Binary.run(base + ["--language", "kk", "--format", "html"], database: url)
        #expect(kazakh.status == 0, "stderr: \(kazakh.stderr)")
        #expect(kazakh.stdout.contains("lang=\"kk\"") && kazakh.stdout.contains("Түскен өнертабыс туралы хабарламалар"))
        let json = try await Binary.run(base + ["--format", "json"], database: url)
        let jsonRussian = try await Binary.run(base + ["--format", "json", "--language", "ru"], database: url)
        #expect(json.status == 0 && json.stdout == jsonRussian.stdout)
        let refused = try await Binary.run(base + ["--language", "xx"], database: url)
        #expect(refused.status == 2 && refused.stderr.contains("--language: 'xx' is not one of kk, ru, en"), "\(refused.stderr)")
    }

    @Test("report --rates gives export income in KZT with the rates named; a bad rate table is refused row by row")
    func reportConvertsExportIncomeWithTheUsersRates() async throws {
        let url = try await Databases.demo.value
        let base = ["report", "--from", "2015-01-01", "--to", "2030-12-31", "--office", "1", "--format", "json"]
        let plain = try await Binary.run(base, database: url)
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        let exports = try #require(
            (try jsonObject(plain.stdout)["kazakhstan"] as? [String: Any])?["exports"] as? [String: Any])
        #expect(exports["income_kzt"] == nil)
        let income = try #require(exports["income"] as? [[String: Any]])
        let currencies = income.compactMap { $0["currency"] as? String }.filter { $0 != "KZT" }
        #expect(!currencies.isEmpty, "the demo has income from licensees abroad: \(income)")
        // One rate per foreign currency, 400 + 10 × its place, all from 2000 on.
        var expected: Int64 = income.first { $0["currency"] as? String == "KZT" }?["minor_units"] as? Int64 ?? 0
        var csv = "currency,date,kzt,source\n"
        for (index, code) in currencies.enumerated() {
            let rate = 400 + 10 * Int64(index)
            csv += "\(code),2000-01-01,\(rate).00,test rates\n"
            let minor = try #require(income.first { $0["currency"] as? String == code }?["minor_units"] as? Int64)
            let exponent = try #require(Currency(code: code)).minorUnitExponent
            expected += minor * rate * 100 / Int64(pow(10, Double(exponent)))
        }
        let rates = FileManager.default.temporaryDirectory.appendingPathComponent("rates-\(UUID().uuidString).csv").path
        try csv.write(toFile: rates, atomically: true, encoding: .utf8)
        let converted = try await Binary.run(base + ["--rates", rates], database: url)
        #expect(converted.status == 0, "stderr: \(converted.stderr)")
        let kzt = try #require(
            ((try jsonObject(converted.stdout)["kazakhstan"] as? [String: Any])?["exports"] as? [String: Any])?[
                "income_kzt"] as? [String: Any])
        #expect((kzt["total"] as? [[String: Any]])?.first?["minor_units"] as? Int64 == expected)
        #expect((kzt["rates_used"] as? [[String: Any]])?.compactMap { $0["currency"] as? String } == currencies)
        #expect((kzt["unconverted"] as? [Any])?.isEmpty == true)
        let table = try await Binary.run(Array(base.dropLast(2)) + ["--rates", rates], database: url)
        #expect(table.stdout.contains("in KZT at the rates supplied"))
        #expect(table.stdout.contains("\(currencies[0]) 400.00 KZT (2000-01-01, test rates)"))

        // Every problem named by row and column; no report.
        try "currency,date,kzt,source\nKZT,2025-01-01,1,x\nUSD,2025-02-30,5,x\nEUR,2025-01-01,5,5,x\nEUR,2025-01-01,abc,\nUSD,2025-01-01,5,x\nUSD,2025-01-01,6,x\n"
            .write(toFile: rates, atomically: true, encoding: .utf8)
        let refused = try await Binary.run(base + ["--rates", rates], database: url)
        #expect(refused.status != 0 && refused.stdout.isEmpty)
        let name = (rates as NSString).lastPathComponent
        for line in [
            "\(name) row 2, column currency: KZT needs no rate",
            "\(name) row 3, column date: '2025-02-30' is not a valid date",
            "\(name) row 5, column source: say where the rate comes from",
            "\(name) row 7, column date: a second USD rate for 2025-01-01 (the first is on row 6)",
            "the rate table was not used",
        ] {
            #expect(refused.stderr.contains(line), "\(line) in \(refused.stderr)")
        }
        try? FileManager.default.removeItem(atPath: rates)
    }

    @Test func distributionOfEveryRoyaltyPaymentSumsExactly() async throws {
        let url = try await Databases.demo.value
        let count = try await Databases.count(
            url, "SELECT count(*)::int FROM payments WHERE office_id = 1 AND kind = 'royalty'")
        #expect(count > 0)
        var checked = 0
        for offset in 0..<min(count, 5) {
            let id = try await Databases.count(
                url,
                "SELECT id::int FROM payments WHERE office_id = 1 AND kind = 'royalty' ORDER BY id OFFSET \(offset) LIMIT 1"
            )
            let output = try await Binary.run(
                ["distribution", "--office", "1", "--payment", String(id), "--format", "json"], database: url)
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let object = try jsonObject(output.stdout)
            let gross = try #require(object["gross_minor_units"] as? Int)
            let lines = try #require(object["lines"] as? [[String: Any]])
            #expect(lines.contains { $0["recipient"] as? String == "inventor" })
            #expect(lines.compactMap { $0["minor_units"] as? Int }.reduce(0, +) == gross)
            checked += 1
        }
        #expect(checked == min(count, 5))
    }
}
