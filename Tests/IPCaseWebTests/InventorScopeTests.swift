import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

@testable import IPCaseWeb

/// The inventor's scope is the database's (Schema/0117), not only the server's: the web login
/// with an inventor's live session token, straight through SQL.
@Suite("An inventor's scope in the database's policies")
struct InventorScopeTests {
    /// `count(*)` of each table as the web login in one transaction naming `token`, optionally
    /// under `role`.
    static func counts(
        _ fixture: WebFixture, token: String, office: Int, role: String?, tables: [String]
    ) async throws -> [String: Int] {
        let connection = try await PostgresConnection.connect(url: fixture.webURL)
        defer { Task { await connection.close() } }
        return try await connection.withTransaction { connection in
            _ = try await connection.query(
                "SELECT set_config('ipcase.web_session', \(token), true), set_config('ipcase.office_id', \(String(office)), true)")
            if let role { _ = try await connection.query("SELECT set_config('role', \(role), true)") }
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"))[0]
                    .decode(Int.self, at: 0)
            }
            return counts
        }
    }

    static let tables = [
        "disclosures", "disclosure_inventors", "rights", "right_events", "deadlines", "agreements", "deals",
        "parties", "payments", "distributions", "distribution_lines", "patent_costs", "startups", "offices",
    ]

    @Test func anInventorsSessionReadsOnlyWhatComesFromTheirDisclosuresAndNothingWithoutItsRole() async throws {
        let fixture = try await WebFixture.shared.value
        let inventor = fixture.account(.inventor)
        let party = try #require(inventor.party).rawValue
        let office = Int(inventor.office.rawValue)
        let token = try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(inventor)
            return try #require(browser.cookies[WebApp.sessionCookie])
        }

        // What the scope should hold, as the superuser reads it.
        let mine = "SELECT disclosure_id FROM disclosure_inventors WHERE office_id = \(office) AND party_id = \(party)"
        let rights = """
            SELECT id FROM rights WHERE office_id = \(office) AND disclosure_id IN (\(mine))
            UNION SELECT right_id FROM right_disclosures WHERE office_id = \(office) AND disclosure_id IN (\(mine))
            """
        let expected = [
            "disclosures": try await fixture.int("SELECT count(*)::int FROM (\(mine)) m"),
            "rights": try await fixture.int("SELECT count(*)::int FROM (\(rights)) r"),
            "right_events": try await fixture.int(
                "SELECT count(*)::int FROM right_events WHERE office_id = \(office) AND right_id IN (\(rights))"),
            "deals": 0, "patent_costs": 0, "startups": 0, "offices": 1,
        ]
        #expect(expected["disclosures"]! > 0, "the demo inventor is on disclosures")
        #expect(expected["rights"]! > 0 && expected["right_events"]! > 0, "rights were filed from them")
        let allRights = try await fixture.int("SELECT count(*)::int FROM rights WHERE office_id = \(office)")
        #expect(allRights > expected["rights"]!, "the office has rights that are not from the inventor's disclosures")
        let all = try await fixture.int("SELECT count(*)::int FROM disclosures WHERE office_id = \(office)")
        #expect(all > expected["disclosures"]!, "the office has disclosures that are not the inventor's")

        let scoped = try await Self.counts(fixture, token: token, office: office, role: "ipcase_web_inventor", tables: Self.tables)
        for (table, count) in expected { #expect(scoped[table] == count, "\(table) under the inventor's role") }
        // Co-inventors and agreement parties only, never the office's whole list of parties.
        let parties = try await fixture.int("SELECT count(*)::int FROM parties WHERE office_id = \(office)")
        #expect(scoped["parties"]! >= 1 && scoped["parties"]! < parties)
        // Of distribution lines, none to another inventor.
        let connection = try await PostgresConnection.connect(url: fixture.webURL)
        let foreignLines = try await connection.withTransaction { connection in
            _ = try await connection.query(
                """
                SELECT set_config('ipcase.web_session', \(token), true), set_config('ipcase.office_id', \(String(office)), true),
                       set_config('role', 'ipcase_web_inventor', true)
                """)
            return try await connection.query(
                "SELECT count(*)::int FROM distribution_lines WHERE recipient = 'inventor' AND party_id <> \(party)")[0]
                .decode(Int.self, at: 0)
        }
        await connection.close()
        #expect(foreignLines == 0)

        // The same token under the plain web login: an inventor's session reads nothing at all.
        let plain = try await Self.counts(fixture, token: token, office: office, role: nil, tables: Self.tables)
        for table in Self.tables where table != "offices" { #expect(plain[table] == 0, "\(table) without the inventor's role") }
    }

    @Test func anOfficersSessionUnderTheWebLoginReadsTheWholeOffice() async throws {
        let fixture = try await WebFixture.shared.value
        let officer = fixture.account(.officer)
        let office = Int(officer.office.rawValue)
        let token = try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(officer)
            return try #require(browser.cookies[WebApp.sessionCookie])
        }
        let counts = try await Self.counts(fixture, token: token, office: office, role: nil, tables: ["disclosures", "parties", "deals"])
        for table in ["disclosures", "parties", "deals"] {
            #expect(
                counts[table] == (try await fixture.int("SELECT count(*)::int FROM \(table) WHERE office_id = \(office)")),
                "\(table)")
        }
    }
}
