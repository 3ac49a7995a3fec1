import Foundation
import IPCase
import IPCaseStore
import Testing

@Suite("ipcase end to end: records and workflow events", .serialized)
struct RecordsTests {
    @Test func officePartyRightAndFiledEventRoundTripThroughTheCommands() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        let office = try await Binary.run(
            ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"],
            database: url)
        #expect(office.status == 0, "stderr: \(office.stderr)")
        #expect(office.stdout.hasPrefix("office 1: Alatau TTO"))
        let party = try await Binary.run(
            [
                "parties", "create", "--office", "1", "--name", "Aizhan Utebayeva", "--kind", "person", "--sector",
                "academia", "--role", "attorney",
            ], database: url)
        #expect(party.status == 0, "stderr: \(party.stderr)")
        let right = try await Binary.run(
            [
                "rights", "create", "--office", "1", "--ref", "ATU-1-KZ", "--jurisdiction", "KZ", "--kind", "patent",
                "--title", "Drilling fluid", "--attorney", "1",
            ], database: url)
        #expect(right.status == 0, "stderr: \(right.stderr)")
        let filed = try await Binary.run(
            [
                "events", "record", "--office", "1", "--right", "1", "--event", "filed=2025-03-14", "--number",
                "2025/0123.1",
            ],
            database: url)
        #expect(filed.status == 0, "stderr: \(filed.stderr)")
        #expect(filed.stdout.contains("draft → filed"))
        let shown = try await Binary.run(["rights", "show", "1", "--office", "1"], database: url)
        #expect(shown.stdout.split(separator: "\n").contains { $0.hasPrefix("state ") && $0.hasSuffix(" filed") })
        #expect(shown.stdout.contains("2025-03-14  filed"))
        let refused = try await Binary.run(
            ["events", "record", "--office", "1", "--right", "1", "--event", "entered-into-force=2025-04-01"],
            database: url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is 'filed'"))
        #expect(refused.stderr.contains("allowed:"))
        let renamed = try await Binary.run(
            ["rights", "update", "1", "--office", "1", "--title", "Drilling fluid, low loss", "--expect-version", "2"],
            database: url)
        #expect(renamed.status == 0, "stderr: \(renamed.stderr)")
        let stale = try await Binary.run(
            ["rights", "update", "1", "--office", "1", "--title", "Other", "--expect-version", "2"], database: url)
        #expect(stale.status == 2)
        #expect(
            try await Binary.run(["rights", "show", "1", "--office", "1"], database: url).stdout.contains("low loss"))
        let other = try await Binary.run(["rights", "show", "1", "--office", "2"], database: url)
        #expect(other.status == 1, "another office does not see the right")
        #expect(other.stderr.contains("right 1 not found in office 2"))
    }

    @Test("a computer program is submitted to the register, registered with its certificate, and its authors' deaths recorded")
    func softwareIsSubmittedAndRegistered() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        let office = try await Binary.run(
            ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"],
            database: url)
        #expect(office.status == 0, "stderr: \(office.stderr)")
        let right = try await Binary.run(
            [
                "rights", "create", "--office", "1", "--ref", "ATU-SW-1", "--jurisdiction", "KZ", "--kind", "software",
                "--title", "Seismic inversion toolkit",
            ], database: url)
        #expect(right.status == 0, "stderr: \(right.stderr)")
        func record(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            let run = try await Binary.run(["events", "record", "--office", "1", "--right", "1"] + arguments, database: url)
            return (run.status, run.stdout, run.stderr)
        }
        let submitted = try await record(["--event", "filed=2025-02-03", "--number", "2025/01234-AP"])
        #expect(submitted.status == 0, "stderr: \(submitted.stderr)")
        #expect(submitted.stdout.contains("draft → submitted"))
        // A register has no publication or examination: refused, naming what is allowed.
        let published = try await record(["--event", "published=2025-02-10"])
        #expect(published.status == 2)
        #expect(published.stderr.contains("is 'submitted'; 'published' is not allowed; allowed: granted, abandoned, withdrawn, refused"))
        let noCertificate = try await record(["--event", "granted=2025-02-24"])
        #expect(noCertificate.status == 2)
        #expect(noCertificate.stderr.contains("needs a registration number"))
        let registered = try await record(["--event", "granted=2025-02-24", "--number", "41577"])
        #expect(registered.status == 0, "stderr: \(registered.stderr)")
        #expect(registered.stdout.contains("submitted → registered"))
        let died = try await record(["--event", "author-died=2025-06-30"])
        #expect(died.status == 0, "stderr: \(died.stderr)")
        let shown = try await Binary.run(["rights", "show", "1", "--office", "1"], database: url)
        #expect(shown.stdout.split(separator: "\n").contains { $0.hasPrefix("state ") && $0.hasSuffix(" registered") })
        #expect(shown.stdout.contains("2025-06-30  author-died"))
        // The database keeps the guard too: no registered state without a certificate.
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        await #expect(throws: (any Error).self) {
            _ = try await store.connection.execute("UPDATE rights SET registration_number = NULL WHERE id = 1")
        }
        await store.connection.close()
    }

    @Test("know-how is in force while kept secret; who may know it is who holds an NDA in force that covers it")
    func knowHowAccessFollowsTheNDAsInForce() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        func run(_ arguments: [String]) async throws -> Binary.Output { try await Binary.run(arguments, database: url) }
        let setup: [[String]] = [
            ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"],
            [
                "parties", "create", "--office", "1", "--name", "KazSorb LLP", "--kind", "organization", "--sector",
                "industry", "--role", "licensee",
            ],
            [
                "rights", "create", "--office", "1", "--ref", "ATU-KH-1", "--jurisdiction", "KZ", "--kind", "know-how",
                "--title", "Sorbent activation recipe",
            ],
        ]
        for arguments in setup {
            let result = try await run(arguments)
            #expect(result.status == 0, "\(arguments.prefix(2)): \(result.stderr)")
        }
        // Know-how is never filed: no application, no title.
        let filed = try await run(["events", "record", "--office", "1", "--right", "1", "--event", "filed=2025-02-03", "--number", "X"])
        #expect(filed.status == 2)
        #expect(filed.stderr.contains("is 'draft'; 'filed' is not allowed; allowed: entered-into-force, abandoned"))
        let kept = try await run(["events", "record", "--office", "1", "--right", "1", "--event", "entered-into-force=2025-02-03"])
        #expect(kept.status == 0, "stderr: \(kept.stderr)")
        #expect(kept.stdout.contains("draft → in-force"))
        var shown = try await run(["rights", "show", "1", "--office", "1"])
        #expect(shown.stdout.contains("no NDA in force"), "\(shown.stdout)")

        let nda = try await run([
            "agreements", "create", "--office", "1", "--ref", "NDA-2025-001", "--kind", "nda", "--counterparty", "1",
            "--right", "1",
        ])
        #expect(nda.status == 0, "stderr: \(nda.stderr)")
        shown = try await run(["rights", "show", "1", "--office", "1"])
        #expect(shown.stdout.contains("no NDA in force"), "a draft NDA gives no access: \(shown.stdout)")
        let executed = try await run(["advance", "agreement", "1", "execute", "--date", "2025-03-01", "--office", "1"])
        #expect(executed.status == 0, "stderr: \(executed.stderr)")
        shown = try await run(["rights", "show", "1", "--office", "1"])
        #expect(shown.stdout.contains("NDAs in force with 1 KazSorb LLP"), "\(shown.stdout)")
        #expect(shown.stdout.contains("NDA-2025-001"))
        let json = try await run(["rights", "show", "1", "--office", "1", "--format", "json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        let covering = try #require(object["agreements"] as? [[String: Any]])
        #expect(covering.map { $0["reference"] as? String } == ["NDA-2025-001"])
        #expect(covering.first?["state"] as? String == "executed")
    }

    @Test("know-how from several disclosures: named with --disclosure or a ;-list, shown, replaced, audited, checked")
    func knowHowComesFromSeveralDisclosures() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        func run(_ arguments: [String]) async throws -> Binary.Output { try await Binary.run(arguments, database: url) }
        var setup: [[String]] = [
            ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"],
            [
                "parties", "create", "--office", "1", "--name", "Aigerim Bekova", "--kind", "person", "--sector",
                "academia", "--role", "inventor",
            ],
        ]
        for (index, title) in ["Rice-husk sorbent", "Sorbent activation", "Sorbent regeneration"].enumerated() {
            setup.append([
                "disclosures", "create", "--office", "1", "--ref", "DS-\(index + 1)", "--title", title, "--received",
                "2025-02-0\(index + 1)", "--inventor", "1=100",
            ])
        }
        setup.append([
            "rights", "create", "--office", "1", "--ref", "ATU-KH-1", "--jurisdiction", "KZ", "--kind", "know-how",
            "--title", "Sorbent process", "--disclosure", "1", "--disclosure", "3",
        ])
        for arguments in setup {
            let result = try await run(arguments)
            #expect(result.status == 0, "\(arguments.prefix(2)): \(result.stderr)")
        }
        var shown = try await run(["rights", "show", "1", "--office", "1"])
        #expect(shown.stdout.contains("further disclosures") && shown.stdout.contains("3"), "\(shown.stdout)")
        func disclosures() async throws -> (first: Int?, further: [Int]) {
            let json = try await run(["rights", "show", "1", "--office", "1", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            return (object["disclosure"] as? Int, object["furtherDisclosures"] as? [Int] ?? [-1])
        }
        #expect(try await disclosures() == (1, [3]))
        // Replaced as a whole, the one it protects first.
        let updated = try await run(["rights", "update", "1", "--office", "1", "--disclosure", "2", "--disclosure", "1"])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(try await disclosures() == (2, [1]))
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM audit_log WHERE table_name = 'right_disclosures' AND actor <> ''") == 3)
        // A key twice, an unknown one: refused, nothing changed.
        let twice = try await run(["rights", "update", "1", "--office", "1", "--disclosure", "2", "--disclosure", "2"])
        #expect(twice.status == 2 && twice.stderr.contains("--disclosure 2 is given twice"), "\(twice.stderr)")
        let unknown = try await run(["rights", "update", "1", "--office", "1", "--disclosure", "2", "--disclosure", "9"])
        #expect(unknown.status != 0 && unknown.stderr.contains("right ATU-KH-1"), "\(unknown.stderr)")
        #expect(try await disclosures() == (2, [1]))
        // The database refuses a further disclosure that is the first one.
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        await #expect(throws: (any Error).self) {
            _ = try await store.connection.execute(
                "INSERT INTO right_disclosures (office_id, right_id, disclosure_id) VALUES (1, 1, 2)")
        }
        await store.connection.close()

        // rights.csv names them as a ;-list; an unknown one is refused by row and column.
        let columns = RecordFile.rights.columns
        func file(_ disclosures: String) throws -> String {
            let row: [String: String] = [
                "ref": "IMP-KH-2", "jurisdiction": "KZ", "kind": "know-how", "title": "Pooled recipe",
                "disclosure": disclosures,
            ]
            return try temporaryFile("rights.csv", CSVText.record(columns) + CSVText.record(columns.map { row[$0] ?? "" }))
        }
        let refused = try await run(["import", "rights", try file("DS-3;DS-9;DS-3"), "--office", "1", "--quiet"])
        #expect(refused.stderr.contains("rights.csv row 2, column disclosure: 'DS-9' is not a disclosure of this office"))
        #expect(refused.stderr.contains("rights.csv row 2, column disclosure: 'DS-3' is listed twice"), "\(refused.stderr)")
        let imported = try await run(["import", "rights", try file("DS-3;DS-1;DS-2"), "--office", "1", "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            try await Databases.count(
                url,
                """
                SELECT count(*)::int FROM right_disclosures l JOIN rights r ON r.office_id = l.office_id AND r.id = l.right_id
                WHERE r.reference = 'IMP-KH-2' AND r.disclosure_id = 3 AND l.disclosure_id IN (1, 2)
                """) == 2)
        shown = try await run(["rights", "show", "2", "--office", "1"])
        #expect(shown.stdout.contains("1, 2"), "\(shown.stdout)")
    }

    @Test func advanceRefusesADealTransitionNamingStateAndAllowedEventsThenApplies() async throws {
        let url = try await Databases.demo.value
        let id = try await Databases.count(
            url, "SELECT min(id)::int FROM deals WHERE office_id = 1 AND state = 'identified'")
        let refused = try await Binary.run(
            ["advance", "deal", String(id), "agree-term-sheet", "--office", "1"], database: url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is 'identified'"))
        #expect(refused.stderr.contains("allowed: make-contact"))
        let applied = try await Binary.run(
            ["advance", "deal", String(id), "make-contact", "--office", "1"], database: url)
        #expect(applied.status == 0, "stderr: \(applied.stderr)")
        #expect(applied.stdout.contains("identified → contacted"))
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM workflow_history WHERE entity_type = 'deal' AND entity_id = \(id) AND event = 'make-contact'"
            ) >= 1)
    }
}

/// An empty migrated database (no office).
enum ThrowawayDatabase {
    static func migratedURL() async throws -> String {
        let (url, _) = try await Databases.empty(officeName: "placeholder")
        // Start from no offices: the test creates its own as office 1 after this placeholder is removed.
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        _ = try await store.connection.execute("DELETE FROM offices")
        _ = try await store.connection.execute(
            "SELECT setval(pg_get_serial_sequence('offices', 'office_id'), 1, false)")
        await store.connection.close()
        return url
    }
}
