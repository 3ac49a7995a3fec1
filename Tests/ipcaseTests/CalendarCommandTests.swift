import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseStore
import IPCaseTestSupport
import Testing

/// Issue 11 §4 from the command line: a decree entered with `ipcase calendar add-closed` moves
/// the office's open deadline, and the docket says from where and why.
@Suite("ipcase calendar: overrides entered by the office", .serialized)
struct CalendarCommandTests {
    func run(_ arguments: [String], _ url: String) async throws -> Binary.Output {
        try await Binary.run(arguments, database: url)
    }

    func ok(_ arguments: [String], _ url: String) async throws -> String {
        let result = try await run(arguments, url)
        #expect(result.status == 0, "ipcase \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    func process(_ url: String) async throws {
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        _ = try await DeadlineProcessing.processPendingJobs(
            store: store, asOf: try CivilDate(iso: "2026-12-03"), logger: Databases.quiet)
        await store.connection.close()
    }

    @Test("add-closed moves the grant fee a day, list shows the decree, remove moves it back; bad input exits 2")
    func closedDayMovesTheDocket() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        _ = try await ok(["offices", "create", "--name", "Decree TTO", "--region", "astana", "--kind", "university"], url)
        _ = try await ok(
            ["rights", "create", "--office", "1", "--ref", "KZ-CAL-1", "--jurisdiction", "KZ", "--kind", "patent",
             "--title", "Sorbent"], url)
        _ = try await ok(["events", "record", "--office", "1", "--right", "1", "--event", "filed=2025-06-02", "--number", "2025/0456.1"], url)
        _ = try await ok(["events", "record", "--office", "1", "--right", "1", "--event", "grant-decision=2026-11-09"], url)
        try await process(url)
        let docket = ["deadlines", "list", "--office", "1", "--as-of", "2026-12-03", "--within", "90d", "--type", "grant_fee"]
        #expect(try await ok(docket, url).contains("2027-02-09"))

        let added = try await ok(
            [
                "calendar", "add-closed", "--office", "1", "--calendar", "KZ", "--date", "2027-02-09", "--source",
                "Government decree No. 1 of 2026-12-01",
            ], url)
        #expect(added.contains("KZ closed on Tuesday 2027-02-09"))
        #expect(added.contains("1 right(s) queued for recomputation"))
        let listed = try await ok(["calendar", "list", "--office", "1", "--calendar", "KZ"], url)
        #expect(listed.contains("2027-02-09") && listed.contains("Government decree No. 1 of 2026-12-01"))

        try await process(url)
        let table = try await ok(docket, url)
        #expect(table.contains("2027-02-10"))
        #expect(table.contains("↳ moved from 2027-02-09 — KZ closed 2027-02-09 by Government decree No. 1 of 2026-12-01"))
        let json = try jsonObject(try await ok(docket + ["--format", "json"], url))
        let entry = try #require((json["deadlines"] as? [[String: Any]])?.first)
        #expect(entry["due"] as? String == "2027-02-10")
        #expect(entry["moved_from_due"] as? String == "2027-02-09")
        #expect((entry["moved_reason"] as? String)?.hasPrefix("KZ closed 2027-02-09 by Government decree") == true)
        #expect((entry["explanation"] as? String)?.contains("KZ closed 2027-02-09 by Government decree") == true)
        let ics = try await ok(docket + ["--format", "ics"], url).replacingOccurrences(of: "\r\n ", with: "")
        #expect(ics.contains("Moved: moved from 2027-02-09"), "\(ics)")

        #expect(try await ok(["calendar", "remove", "1", "--office", "1"], url).contains("1 right(s) queued"))
        try await process(url)
        #expect(try await ok(docket, url).contains("↳ moved from 2027-02-10 — KZ 2027-02-09 no longer closed"))

        for (arguments, message) in [
            (["calendar", "add-closed", "--office", "1", "--calendar", "CN", "--date", "2027-02-09", "--source", "x"],
             "--calendar 'CN' has no calendar data (calendars: EP, KZ, RU, US)"),
            (["calendar", "add-closed", "--office", "1", "--calendar", "KZ", "--date", "2027-02-30", "--source", "x"],
             "--date '2027-02-30' is not a valid date"),
            (["calendar", "add-working", "--office", "1", "--calendar", "KZ", "--date", "2041-01-05", "--source", "x"],
             "date: the KZ calendar holds 2015–2030"),
            (["calendar", "remove", "99", "--office", "1"], "calendar override 99 not found in office 1"),
        ] {
            let result = try await run(arguments, url)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test("an override this release cannot apply leaves the office's deadlines unexplained, saying why")
    func overrideThisReleaseCannotApplyIsNamed() async throws {
        let url = try await ThrowawayDatabase.migratedURL()
        _ = try await ok(["offices", "create", "--name", "Newer TTO", "--region", "astana", "--kind", "university"], url)
        _ = try await ok(
            ["rights", "create", "--office", "1", "--ref", "KZ-CAL-2", "--jurisdiction", "KZ", "--kind", "patent",
             "--title", "Sorbent"], url)
        _ = try await ok(["events", "record", "--office", "1", "--right", "1", "--event", "filed=2025-06-02", "--number", "2025/0457.1"], url)
        try await process(url)
        // As a newer release could have written it: a calendar this one has no data for.
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        _ = try await store.connection.execute(
            """
            INSERT INTO calendar_overrides (office_id, calendar_id, day, kind, source, entered_by)
            VALUES (1, 'CN', '2027-02-09', 'closed', 'CNIPA notice', 'newer-release')
            """)
        await store.connection.close()
        let json = try jsonObject(
            try await ok(["deadlines", "list", "--office", "1", "--as-of", "2026-12-03", "--format", "json"], url))
        let entries = try #require(json["deadlines"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries {
            let explanation = try #require(entry["explanation"] as? String)
            #expect(explanation.hasPrefix("not explained: the office's calendar overrides cannot be applied"))
            #expect(explanation.contains("CN"))
        }
    }
}
