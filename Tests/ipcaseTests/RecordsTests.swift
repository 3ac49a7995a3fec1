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
        func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            let run = try await Binary.run(arguments, database: url)
            return (run.status, run.stdout, run.stderr)
        }
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
