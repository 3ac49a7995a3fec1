import Foundation
import IPCase
import IPCaseStore
import Testing

@Suite("Renewal decisions (ipcase decisions)")
struct DecisionsTests {
    /// `ipcase ARGUMENTS --office OFFICE` against `url`; its output.
    private func run(_ arguments: [String], _ url: String, _ office: ID<Office>) async throws -> Binary.Output {
        try await Binary.run(arguments + ["--office", String(office.rawValue)], database: url)
    }

    @Test func eachSubcommandWorksAndABadChoiceOrAStaleVersionIsRefusedByName() async throws {
        let (url, office) = try await Databases.empty()
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let right = try await store.withOffice(office, actor: "test") { session in
            try await session.createRight(
                Right(
                    id: 0, office: office, reference: "KZ-7", title: "Sorbent", jurisdiction: .kazakhstan,
                    kind: .patent))
        }.id
        await store.connection.close()
        for (year, due, final) in [(3, "2026-03-01", "2026-09-01"), (4, "2027-03-01", "2027-09-01")] {
            _ = try await Databases.count(
                url,
                """
                INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                       final_date)
                VALUES (\(office.rawValue), \(right.rawValue), 'kz.annuity', 'renewal', \(year), 'test', '\(due)',
                        '\(due)', '\(final)')
                RETURNING id::int
                """)
        }

        let open = ["decisions", "open", "--as-of", "2026-01-01", "--lead-days", "90"]
        #expect(try await run(open, url, office).stdout == "renewal decisions opened: 1\n")
        #expect(try await run(open, url, office).stdout == "renewal decisions opened: 0\n")

        let pending = try await run(["decisions", "list", "--state", "pending"], url, office)
        #expect(pending.status == 0 && pending.stdout.contains("KZ-7") && pending.stdout.contains("2026-03-01"))
        let csv = try await run(["decisions", "list", "--format", "csv"], url, office).stdout
        #expect(csv.hasPrefix("id,right,rule,year,due,final,state,choice,decided_by,reason,version\r\n"), "\(csv)")
        #expect(csv.contains("1,KZ-7,kz.annuity,3,2026-03-01,2026-09-01,pending,,,,1"), "\(csv)")
        #expect(try await run(["decisions", "list", "--due-before", "2026-02-01"], url, office).stdout == "none\n")
        let json = try await run(["decisions", "list", "--format", "json"], url, office).stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["state"] as? String == "pending" && rows[0]["version"] as? Int == 1)

        let shown = try await run(["decisions", "show", "1"], url, office).stdout
        #expect(shown.contains("KZ-7") && shown.contains("pending") && shown.contains("kz.annuity"), "\(shown)")

        // A bad choice names the option and what is allowed; nothing is written.
        let bad = try await run(["decisions", "decide", "1", "--choice", "maybe", "--reason", "x"], url, office)
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(
                "decisions decide: --choice 'maybe' is not one of keep, drop, offer-inventors, keep-while-licensed"),
            "\(bad.stderr)")

        let decided = try await run(
            [
                "decisions", "decide", "1", "--choice", "keep", "--reason", "core patent", "--version", "1", "--actor",
                "aliya",
            ], url, office)
        #expect(decided.status == 0, "\(decided.stderr)")
        #expect(decided.stdout.contains("keep → instructed-pay (version 2)"), "\(decided.stdout)")
        let stale = try await run(
            ["decisions", "decide", "1", "--choice", "drop", "--reason", "no licensee", "--version", "1"], url, office)
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("renewal decision 1 (right KZ-7, year 3) was changed by someone else"))
        #expect(try await run(["decisions", "show", "1"], url, office).stdout.contains("aliya"))
        let missing = try await run(["decisions", "show", "99"], url, office)
        #expect(missing.status != 0 && missing.stderr.contains("renewal decision 99"))

        let paid = try await run(["decisions", "paid", "1", "--date", "2026-02-10"], url, office)
        #expect(paid.status == 0 && paid.stdout.contains("paid on 2026-02-10"), "\(paid.stderr)")
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM right_events WHERE kind = 'annuity-paid' AND year = 3 AND event_date = '2026-02-10'"
            ) == 1)
        #expect(try await run(["decisions", "list", "--state", "paid"], url, office).stdout.contains("KZ-7"))
    }
}
