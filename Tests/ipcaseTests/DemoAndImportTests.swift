import Foundation
import IPCase
import IPCaseSamples
import IPCaseStore
import IPCaseTestSupport
import PostgresClient
import Testing

/// The rights.csv header the import documents (``SampleCSV/rightsColumns``).
private func rightsCSV(count: Int, bad: (row: Int, filingDate: String)? = nil) -> String {
    var csv = CSVText.record(RecordFile.rights.columns)
    for index in 0..<count {
        let fileRow = index + 2
        let day = String(format: "2023-%02d-%02d", index % 12 + 1, index % 28 + 1)
        let filing = bad?.row == fileRow ? bad!.filingDate : day
        let isPCT = index % 10 == 0
        csv += CSVText.record([
            "Test Office", String(format: "T-%05d", index), "F-\(index / 10)", isPCT ? "WO" : "KZ",
            isPCT ? "pct-application" : "patent", "Invention number \(index), with a comma",
            String(format: "2023/%05d.1", index), filing, "", "", "", "", "", "", index % 3 == 0 ? "H01L 31/04" : "",
            "filed",
        ])
    }
    return csv
}

@Suite("ipcase end to end: demo and CSV import", .serialized)
struct DemoAndImportTests {
    @Test func demoCompletesAndPrintsDocketPipelineAndIndicators() async throws {
        let output = try await Binary.run(["demo", "--as-of", "2025-06-30"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("Docket of Yesil Patent Attorneys LLP"))
        #expect(output.stdout.contains("DUE"))
        #expect(output.stdout.contains("WO.national-phase"))
        #expect(output.stdout.contains("Deal pipeline"))
        #expect(output.stdout.contains("negotiating"))
        #expect(output.stdout.contains("AUTM licensing survey"))
        #expect(!output.stdout.contains("\u{1B}["), "no colors when standard output is not a terminal")
        #expect(output.stderr.contains("starting a throwaway PostgreSQL"))
        #expect(output.stderr.contains("done"))
    }

    @Test("a CSV file that would lose rows (an unclosed quote, invalid UTF-8, a NUL) is refused naming the row")
    func malformedCSVIsRefusedNamingTheRow() async throws {
        let (url, office) = try await Databases.empty()
        func importing(_ data: Data) async throws -> Binary.Output {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("rights.csv")
            try data.write(to: file)
            return try await Binary.run(
                ["import", "rights", file.path, "--office", String(office.rawValue), "--quiet"], database: url)
        }
        let valid = rightsCSV(count: 6)
        // The last row's title never closes its quote: SwiftCSV alone would read it as one field.
        let unclosed = valid.replacingOccurrences(of: "Invention number 5, with a comma\"", with: "Invention number 5, with a comma")
        var output = try await importing(Data(unclosed.utf8))
        #expect(output.status == 2)
        #expect(output.stderr.contains("rights.csv row 7: a quoted field is never closed"), "\(output.stderr)")
        #expect(output.stderr.contains("nothing was written"))
        // A quote missing in the middle: the row where the damage shows names the row it began on.
        let middle = valid.replacingOccurrences(of: "Invention number 2, with a comma\"", with: "Invention number 2, with a comma")
        output = try await importing(Data(middle.utf8))
        #expect(output.status == 2)
        #expect(output.stderr.contains("text after the closing quote of a field opened on row 4"), "\(output.stderr)")
        // Latin-1 bytes in row 3.
        var bytes = Data(valid.utf8)
        let third = try #require(valid.range(of: "Invention number 1"))
        bytes[valid.utf8.distance(from: valid.startIndex, to: third.lowerBound)] = 0xC9
        output = try await importing(bytes)
        #expect(output.status == 2)
        #expect(output.stderr.contains("rights.csv row 3: byte "), "\(output.stderr)")
        #expect(output.stderr.contains("is not valid UTF-8"))
        // A NUL inside a title is a field error, not a database error.
        let nul = valid.replacingOccurrences(of: "Invention number 0,", with: "Invention\u{0} number 0,")
        output = try await importing(Data(nul.utf8))
        #expect(output.status == 2)
        #expect(output.stderr.contains("rights.csv row 2, column title: contains a NUL character"), "\(output.stderr)")
        #expect(!output.stderr.contains("PostgresError"))
        // Nothing of any of them was written.
        let list = try await Binary.run(["rights", "list", "--office", String(office.rawValue)], database: url)
        #expect(!list.stdout.contains("T-00000"), "\(list.stdout)")
    }

    @Test func importWithOneBadRowAmongAThousandWritesNothingAndNamesTheRow() async throws {
        let (url, office) = try await Databases.empty()
        let file = try temporaryFile("rights.csv", rightsCSV(count: 1000, bad: (517, "2023-02-30")))
        let output = try await Binary.run(
            ["import", "rights", file, "--office", String(office.rawValue), "--quiet"], database: url)
        #expect(output.status == 2)
        #expect(output.stderr.contains("rights.csv row 517, column filing_date: '2023-02-30' is not a valid date"))
        #expect(output.stderr.contains("1 problem(s); nothing was written"))
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights") == 0)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM right_families") == 0)
    }

    @Test func cleanImportOfTenThousandRightsWritesThemAll() async throws {
        let (url, office) = try await Databases.empty()
        let file = try temporaryFile("rights.csv", rightsCSV(count: 10_000))
        let output = try await Binary.run(["import", "rights", file, "--office", String(office.rawValue)], database: url)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("imported 10000 rights from 10000 rows"))
        #expect(output.stderr.contains("writing 10000/10000"), "plain progress lines when not on a terminal")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights") == 10_000)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM right_families") == 1_000)
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM rights WHERE title = 'Invention number 7, with a comma' AND state = 'draft'")
                == 1)
    }

    @Test func importedEventsMoveTheRightAndARefusedEventWritesNothing() async throws {
        let (url, office) = try await Databases.empty()
        let rights = try temporaryFile("rights.csv", rightsCSV(count: 2))
        #expect(
            try await Binary.run(["import", "rights", rights, "--office", String(office.rawValue)], database: url).status == 0
        )
        var events = CSVText.record(RecordFile.events.columns)
        events += CSVText.record(["T-00001", "filed", "2023-02-02", "", "2023/00001.1", ""])
        events += CSVText.record(["T-00001", "office-action", "2024-01-10", "", "", ""])
        let good = try temporaryFile("events.csv", events)
        let output = try await Binary.run(["import", "events", good, "--office", String(office.rawValue)], database: url)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM rights WHERE reference = 'T-00001' AND state = 'filed'") == 1)
        #expect(
            try await Databases.count(url, "SELECT count(*)::int FROM jobs WHERE kind = 'recompute-deadlines'") == 1)

        var refused = CSVText.record(RecordFile.events.columns)
        refused += CSVText.record(["T-00000", "filed", "2023-01-01", "", "2023/00000.1", ""])
        refused += CSVText.record(["T-00000", "granted", "2023-01-02", "", "", ""])
        let bad = try temporaryFile("events.csv", refused)
        let rejected = try await Binary.run(["import", "events", bad, "--office", String(office.rawValue)], database: url)
        #expect(rejected.status == 2)
        #expect(rejected.stderr.contains("events.csv row 3, column event:"))
        #expect(rejected.stderr.contains("allowed:"))
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM right_events WHERE right_id = (SELECT id FROM rights WHERE reference = 'T-00000')"
            ) == 0)
    }

    @Test(arguments: [
        (["deadlines", "list", "--format", "xml"], "--format"),
        (["deadlines", "list", "--within", "soon"], "--within"),
        (["deadlines", "list", "--no-such-option"], "Unknown option"),
        (["import", "widgets", "x.csv", "--office", "1"], "'widgets' is not one of"),
        (["report", "--from", "2025-02-30", "--to", "2025-12-31"], "--from"),
    ])
    func badUsageExitsWithTwoAndSaysWhy(arguments: [String], message: String) async throws {
        let output = try await Binary.run(arguments, database: "postgresql://nobody@127.0.0.1:1/none")
        #expect(output.status == 2)
        #expect(output.stderr.contains(message))
    }
}

@Suite("ipcase end to end: the sample CSV files")
struct SampleFilesImportTests {
    /// The repository's Deploy/samples directory.
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Deploy/samples")

    @Test func firmRowsOfTheSampleFilesImportAndTheirEventsReachTheStatesTheFileStates() async throws {
        let (url, office) = try await Databases.empty(officeName: "Yesil Patent Attorneys LLP")
        let id = String(office.rawValue)
        for kind in ["parties", "rights"] {
            let path = Self.samples.appendingPathComponent("\(kind).csv").path
            let output = try await Binary.run(
                ["import", kind, path, "--office", id, "--skip-other-offices", "--quiet"], database: url)
            #expect(output.status == 0, "\(kind): \(output.stderr)")
        }
        let rightsText = try String(contentsOf: Self.samples.appendingPathComponent("rights.csv"), encoding: .utf8)
        let rightsRows = rightsText.components(separatedBy: "\r\n").dropFirst().filter {
            $0.hasPrefix("Yesil Patent Attorneys LLP,")
        }
        let expectedStates = Dictionary(
            uniqueKeysWithValues: rightsRows.map { line -> (String, String) in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return (String(fields[1]), String(fields.last!))
            })
        #expect(!expectedStates.isEmpty)
        // The firm's events (events.csv has no office column: keep the rows of the firm's rights).
        let eventsText = try String(contentsOf: Self.samples.appendingPathComponent("events.csv"), encoding: .utf8)
        let lines = eventsText.components(separatedBy: "\r\n")
        let firmEvents =
            [lines[0]]
            + lines.dropFirst().filter { line in
                expectedStates.keys.contains(String(line.split(separator: ",").first ?? ""))
            }
        let events = try temporaryFile("events.csv", firmEvents.joined(separator: "\r\n") + "\r\n")
        let output = try await Binary.run(["import", "events", events, "--office", id, "--quiet"], database: url)
        #expect(output.status == 0, "events: \(output.stderr)")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let rights = try await store.withOffice(office, actor: "test") { try await $0.rights() }
        await store.connection.close()
        #expect(rights.count == expectedStates.count)
        for right in rights {
            #expect(right.value.state.rawValue == expectedStates[right.value.reference], "\(right.value.reference)")
        }
    }
}

extension SampleFilesImportTests {
    @Test func universityRowsImportWithTheirEventsAgreementsAndPayments() async throws {
        let (url, office) = try await Databases.empty(
            officeName: "Alatau Technical University Technology Transfer Office")
        let id = String(office.rawValue)
        // Events are kept for the university's rights only (events.csv has no office column);
        // every right names an attorney of its own office, so rights.csv is taken as it is.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ipcase-samples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = try await Python.script(
            """
            import csv, sys
            src, dst, office = sys.argv[1], sys.argv[2], sys.argv[3]
            rows = list(csv.DictReader(open(src + '/rights.csv', newline='')))
            refs = set()
            with open(dst + '/rights.csv', 'w', newline='') as f:
                w = csv.DictWriter(f, fieldnames=rows[0].keys(), lineterminator='\\r\\n')
                w.writeheader()
                for r in rows:
                    if r['office'] == office:
                        refs.add(r['ref'])
                    w.writerow(r)
            events = list(csv.DictReader(open(src + '/events.csv', newline='')))
            with open(dst + '/events.csv', 'w', newline='') as f:
                w = csv.DictWriter(f, fieldnames=events[0].keys(), lineterminator='\\r\\n')
                w.writeheader()
                for e in events:
                    if e['right_ref'] in refs: w.writerow(e)
            """,
            arguments: [Self.samples.path, directory.path, "Alatau Technical University Technology Transfer Office"])
        let files = [
            ("parties", Self.samples.appendingPathComponent("parties.csv").path),
            ("rights", directory.appendingPathComponent("rights.csv").path),
            ("events", directory.appendingPathComponent("events.csv").path),
            ("agreements", Self.samples.appendingPathComponent("agreements.csv").path),
            ("payments", Self.samples.appendingPathComponent("payments.csv").path),
        ]
        for (kind, path) in files {
            let obligations =
                kind == "agreements"
                ? ["--obligations", Self.samples.appendingPathComponent("obligations.csv").path] : []
            let output = try await Binary.run(
                ["import", kind, path, "--office", id, "--skip-other-offices", "--quiet"] + obligations, database: url)
            #expect(output.status == 0, "\(kind): \(output.stderr)")
        }
        // 22 from the pipeline and the portfolio, and the know-how licence to GeoSense Analytics.
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM agreements") == 23)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM payments") == 27)
        #expect(
            try await Databases.count(url, "SELECT count(*)::int FROM agreements WHERE financial_terms IS NOT NULL") > 0
        )
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM right_events") > 0)
        let obligationRows = try String(
            contentsOf: Self.samples.appendingPathComponent("obligations.csv"), encoding: .utf8
        )
        .components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let stored = try await Databases.count(
            url,
            """
            SELECT (sum(jsonb_array_length(obligations))
                    + coalesce(sum(jsonb_array_length(financial_terms->'milestones')), 0))::int FROM agreements
            """)
        #expect(stored == obligationRows.count)

        // Every agreement with its counterparties, rights and option, as the file names them
        // (written set-based: the links and options must land on the right rows).
        let expected = try await Python.script(
            """
            import csv, sys
            for r in csv.DictReader(open(sys.argv[1], newline='')):
                if r['office'] == sys.argv[2]:
                    print('|'.join([r['ref'], r['counterparties'], r['rights'], r['option_ref']]))
            """,
            arguments: [
                Self.samples.appendingPathComponent("agreements.csv").path,
                "Alatau Technical University Technology Transfer Office",
            ]
        ).split(separator: "\n").map(String.init).sorted()
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let actual = try await store.connection.query(
            """
            SELECT a.reference || '|'
                   || coalesce((SELECT string_agg(p.name, ';' ORDER BY ap.position) FROM agreement_parties ap
                                JOIN parties p ON p.office_id = ap.office_id AND p.id = ap.party_id
                                WHERE ap.office_id = a.office_id AND ap.agreement_id = a.id), '') || '|'
                   || coalesce((SELECT string_agg(r.reference, ';' ORDER BY ar.position) FROM agreement_rights ar
                                JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                                WHERE ar.office_id = a.office_id AND ar.agreement_id = a.id), '') || '|'
                   || coalesce((SELECT o.reference FROM agreements o WHERE o.office_id = a.office_id AND o.id = a.option_id), '')
            FROM agreements a
            """
        ).map { try $0.decode(String.self, at: 0) }.sorted()
        await store.connection.close()
        #expect(actual == expected)

        // A licence granted under an option of the same file, and one under a stored agreement.
        let stored0 = try #require(expected.first?.split(separator: "|").first.map(String.init))
        let columns = RecordFile.agreements.columns
        func row(_ values: [String: String]) -> String { CSVText.record(columns.map { values[$0] ?? "" }) }
        let more = try temporaryFile(
            "agreements.csv",
            CSVText.record(columns)
                + row(["ref": "LIC-NEW", "kind": "exclusive-licence", "state": "draft", "option_ref": "OPT-NEW"])
                .replacingOccurrences(of: "LIC-NEW", with: "LIC-LATE")
                + row(["ref": "OPT-NEW", "kind": "option", "state": "draft"])
                + row(["ref": "LIC-NEW", "kind": "exclusive-licence", "state": "draft", "option_ref": "OPT-NEW"])
                + row(["ref": "LIC-OLD", "kind": "non-exclusive-licence", "state": "draft", "option_ref": stored0]))
        let refused = try await Binary.run(["import", "agreements", more, "--office", id], database: url)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("agreements.csv row 2, column option_ref: 'OPT-NEW' is neither an earlier row"),
            "\(refused.stderr)")
        let linked = try temporaryFile(
            "agreements.csv",
            CSVText.record(columns) + row(["ref": "OPT-NEW", "kind": "option", "state": "draft"])
                + row(["ref": "LIC-NEW", "kind": "exclusive-licence", "state": "draft", "option_ref": "OPT-NEW"])
                + row(["ref": "LIC-OLD", "kind": "non-exclusive-licence", "state": "draft", "option_ref": stored0]))
        let imported = try await Binary.run(["import", "agreements", linked, "--office", id], database: url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            try await Databases.count(
                url,
                """
                SELECT count(*)::int FROM agreements a JOIN agreements o ON o.office_id = a.office_id AND o.id = a.option_id
                WHERE (a.reference, o.reference) IN (('LIC-NEW', 'OPT-NEW'), ('LIC-OLD', '\(stored0)'))
                """) == 2)
    }
}
