import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseDaemon
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Docket, deadlines and rights in the browser")
struct PagesTests {
    /// The ids, versions and statuses of the deadlines a docket page lists.
    static func listed(_ html: String) -> [Int64] {
        html.matches(of: /id="deadline-(\d+)"/).compactMap { Int64($0.1) }
    }

    @Test func theDocketFiltersLikeTheCommandLineAndNamesABadField() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))
            let all = try await browser.get("/docket?status=open&status=done")
            #expect(all.status == .ok)
            let ids = Self.listed(all.text)
            #expect(ids.count > 10, "the firm's docket lists its deadlines")
            let ep = try await browser.get("/docket?jurisdiction=EP&status=open")
            let epIDs = Self.listed(ep.text)
            #expect(!epIDs.isEmpty)
            let expected = try await fixture.rows(
                """
                SELECT d.id FROM deadlines d JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
                WHERE d.office_id = 2 AND r.jurisdiction = 'EP' AND d.status = 'open' ORDER BY d.id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            #expect(epIDs.sorted() == expected, "the EP filter lists exactly the office's open EP deadlines")
            let within = try await browser.get("/docket?within=30")
            let due = try await fixture.rows(
                """
                SELECT id FROM deadlines WHERE office_id = 2 AND status = 'open'
                  AND due_date BETWEEN DATE '2025-06-30' AND DATE '2025-06-30' + 30 ORDER BY id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            #expect(Self.listed(within.text).sorted() == due, "within 30 days: the open deadlines due by 2025-07-30")
            let bad = try await browser.get("/docket?jurisdiction=XX1&within=soon")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("jurisdiction: XX1"))
            #expect(bad.text.contains("within: soon"))
        }
    }

    @Test func theDocketAsJSONListsWhatThePageListsForTheSessionOnly() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            // Without a session: 401 in JSON, no redirect to a page.
            let signedOut = try await browser.get("/docket.json")
            #expect(signedOut.status == .unauthorized)
            #expect(signedOut.headers[.contentType] == "application/json; charset=utf-8")
            #expect(signedOut.text.contains("signed out"))
            try await browser.signIn(fixture.account(.attorney))
            let response = try await browser.get("/docket.json?within=30&status=open")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.contentSecurityPolicy] != nil, "the security headers, as on every response")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(document["schema"] as? String == "ipcase.docket/1")
            #expect(document["as_of"] as? String == WebFixture.asOf.description)
            let deadlines = try #require(document["deadlines"] as? [[String: Any]])
            let ids = deadlines.compactMap { ($0["id"] as? NSNumber)?.int64Value }
            #expect(document["count"] as? Int == ids.count)
            let due = try await fixture.rows(
                """
                SELECT id FROM deadlines WHERE office_id = 2 AND status = 'open'
                  AND due_date BETWEEN DATE '2025-06-30' AND DATE '2025-06-30' + 30 ORDER BY id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            #expect(!due.isEmpty)
            #expect(ids.sorted() == due, "the session office's open deadlines due by 2025-07-30, none of another office")
            let page = try await browser.get("/docket?within=30&status=open")
            #expect(ids == Self.listed(page.text), "the same deadlines in the same order as the page")
            #expect(deadlines.allSatisfy { ($0["office"] as? Int) == 2 })
            // One attorney (by party key): only theirs.
            let attorney = try #require(fixture.account(.attorney).party)
            // Open before the request: what it lists is among these (others may close meanwhile).
            let theirs = try await fixture.rows(
                """
                SELECT id FROM deadlines WHERE office_id = 2 AND status = 'open' AND attorney_id = \(attorney.rawValue)
                  AND due_date BETWEEN DATE '2025-06-30' AND DATE '2025-06-30' + 3650 ORDER BY id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            let mine = try await browser.get("/docket.json?attorney=\(attorney.rawValue)&within=3650&status=open")
            let mineIDs = try #require(
                (try JSONSerialization.jsonObject(with: Data(mine.text.utf8)) as? [String: Any])?["deadlines"]
                    as? [[String: Any]]
            ).compactMap { ($0["id"] as? NSNumber)?.int64Value }
            // Other tests complete deadlines of the same office meanwhile: a deadline the page
            // missed must be one that is no longer open, and none may be listed that is not theirs.
            #expect(Set(mineIDs).isSubset(of: Set(theirs)))
            for id in Set(theirs).subtracting(mineIDs) {
                #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(id)")[0].decode(String.self, at: 0) != "open")
            }
            // A wrong filter: 422 naming it, in JSON.
            let bad = try await browser.get("/docket.json?within=soon")
            #expect(bad.status == .unprocessableContent)
            let problems = try #require(
                (try JSONSerialization.jsonObject(with: Data(bad.text.utf8)) as? [String: Any])?["problems"] as? [String])
            #expect(problems.contains { $0.contains("within: soon") })
        }
        // An inventor gets none of the office's docket.
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.inventor))
            #expect(try await browser.get("/docket.json").status == .notFound)
        }
    }

    @Test func anAttorneyCompletesADeadlineAndAStalePageIsRefusedWithNothingWritten() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))
            let docket = try await browser.get("/docket")
            let id = try #require(Self.listed(docket.text).last)
            let version = try await fixture.int("SELECT version FROM deadlines WHERE id = \(id)")
            // Without the reason: refused, naming the field.
            let missing = try await browser.post("/deadlines/\(id)/done", [("version", String(version)), ("back", "/docket")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("reason"))
            // A page older than the deadline (a wrong version): refused, nothing written.
            let stale = try await browser.post(
                "/deadlines/\(id)/done", [("version", String(version + 7)), ("reason", "paid"), ("back", "/docket")])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Someone changed this record"))
            #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(id)")[0].decode(String.self, at: 0) == "open")
            let done = try await browser.post(
                "/deadlines/\(id)/done", [("version", String(version)), ("reason", "paid on 2025-06-29"), ("back", "/docket")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/docket")
            let row = try await fixture.rows("SELECT status, completed_reason FROM deadlines WHERE id = \(id)")[0]
            #expect(try row.decode(String.self, at: 0) == "done")
            #expect(try row.decode(String.self, at: 1) == "paid on 2025-06-29")
            let actor = try await fixture.rows(
                "SELECT actor FROM audit_log WHERE table_name = 'deadlines' AND record_id = \(id) ORDER BY id DESC LIMIT 1")
            #expect(try actor.first?.decode(String.self, at: 0) == "web/\(fixture.account(.attorney).login)",
                "the audit trail names the web user, not the server's login")
        }
    }

    @Test func aFormPostWithoutTheSessionsCSRFTokenIsRefusedAndWritesNothing() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))
            let docket = try await browser.get("/docket")
            let id = try #require(Self.listed(docket.text).first)
            let version = try await fixture.int("SELECT version FROM deadlines WHERE id = \(id)")
            let none = try await browser.post("/deadlines/\(id)/waive", [("version", String(version)), ("reason", "x")], csrf: false)
            #expect(none.status == .forbidden)
            let forged = try await browser.post(
                "/deadlines/\(id)/waive", [("version", String(version)), ("reason", "x"), ("_csrf", Secrets.token())], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(id)")[0].decode(String.self, at: 0) == "open")
        }
    }

    @Test func aViewerReadsTheDocketButHasNoActionsAndCannotPostThem() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.viewer))
            let docket = try await browser.get("/docket?status=open")
            #expect(docket.status == .ok)
            #expect(!docket.text.contains("/done\""), "no done/waive forms for a viewer")
            let id = try #require(Self.listed(docket.text).first)
            let version = try await fixture.int("SELECT version FROM deadlines WHERE id = \(id)")
            let refused = try await browser.post("/deadlines/\(id)/done", [("version", String(version)), ("reason", "x")])
            #expect(refused.status == .notFound)
            #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(id)")[0].decode(String.self, at: 0) == "open")
        }
    }

    @Test func anotherOfficesRecordAnswersNotFound() async throws {
        let fixture = try await WebFixture.shared.value
        let firmRight = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 2 ORDER BY id LIMIT 1")
        let firmDeadline = try await fixture.rows("SELECT id, version FROM deadlines WHERE office_id = 2 AND status = 'open' LIMIT 1")[0]
        let (deadline, version) = try firmDeadline.decode(Int64.self, Int.self)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))  // of the university, office 1
            let page = try await browser.get("/rights/\(firmRight)")
            #expect(page.status == .notFound)
            try await browser.get("/")  // a page of the own office, for its form token
            let post = try await browser.post("/deadlines/\(deadline)/done", [("version", String(version)), ("reason", "x")])
            #expect(post.status == .notFound)
            let rights = try await browser.get("/rights")
            #expect(!rights.text.contains("href=\"/rights/\(firmRight)\""))
        }
        #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(deadline)")[0].decode(String.self, at: 0) == "open")
    }

    @Test func anInventorSeesNoneOfTheOfficesDocketOrRights() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.inventor))
            #expect(try await browser.get("/docket").status == .notFound)
            #expect(try await browser.get("/rights").status == .notFound)
            let right = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 ORDER BY id LIMIT 1")
            #expect(try await browser.get("/rights/\(right)").status == .notFound)
        }
    }

    @Test func anEventRecordedOnARightGetsItsDeadlinesOnceProcessed() async throws {
        let fixture = try await WebFixture.shared.value
        // A KZ application filed, not yet published: recording its publication queues a recompute.
        let right = try await fixture.int(
            """
            SELECT r.id::int FROM rights r WHERE r.office_id = 1 AND r.jurisdiction = 'KZ' AND r.state = 'filed'
            ORDER BY r.id LIMIT 1
            """)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/rights/\(right)")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"record-event\""))
            let bad = try await browser.post("/rights/\(right)/events", [("kind", "published"), ("date", "30.06.2025")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("date"))
            let queuedBefore = try await fixture.int("SELECT count(*)::int FROM jobs WHERE office_id = 1")
            let recorded = try await browser.post(
                "/rights/\(right)/events", [("kind", "examination-requested"), ("date", "2025-06-20")])
            #expect(recorded.status == .seeOther)
            let events = try await fixture.rows(
                "SELECT kind, recorded_by FROM right_events WHERE right_id = \(right) AND kind = 'examination-requested' AND event_date = '2025-06-20'")
            #expect(events.count == 1)
            #expect(try events.first?.decode(String.self, at: 1) == "web/\(fixture.account(.officer).login)")
            #expect(try await fixture.int("SELECT count(*)::int FROM jobs WHERE office_id = 1") > queuedBefore,
                "the event queued the right's recompute for the daemon")
            // The daemon's processing (in process here), then the right's page lists what it wrote.
            let owner = try await Store.connect(url: fixture.ownerURL, logger: WebFixture.quiet)
            _ = try await DeadlineProcessing.processPendingJobs(store: owner, asOf: WebFixture.asOf, logger: WebFixture.quiet)
            await owner.connection.close()
            let stored = try await fixture.rows("SELECT id FROM deadlines WHERE office_id = 1 AND right_id = \(right) ORDER BY id")
                .map { try $0.decode(Int64.self, at: 0) }
            let after = try await browser.get("/rights/\(right)")
            #expect(!stored.isEmpty)
            #expect(Self.listed(after.text).sorted() == stored, "the page lists every deadline of the right")
            #expect(after.text.contains("examination-requested"))
        }
    }

    @Test func everyResponseCarriesTheSecurityHeadersAndTextIsEscaped() async throws {
        let fixture = try await WebFixture.shared.value
        let title = "<script>alert('x')</script> & Ко"
        let right = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 ORDER BY id DESC LIMIT 1")
        _ = try await fixture.rows("UPDATE rights SET title = '\(title.replacingOccurrences(of: "'", with: "''"))' WHERE id = \(right) AND office_id = 1 RETURNING id")
        try await withBrowser(try fixture.app()) { browser in
            let signin = try await browser.get("/signin")
            for response in [signin, try await browser.get("/nowhere")] {
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("default-src 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/rights/\(right)")
            #expect(!page.text.contains("<script>"), "no markup from data")
            #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Ко"))
            #expect(!page.text.contains("<script"), "and no script of our own either: the CSP allows none")
        }
    }
}

@Suite("The dashboard")
struct DashboardTests {
    @Test func theDashboardCountsTheOfficesRecords() async throws {
        let fixture = try await WebFixture.shared.value
        let rights = try await fixture.int("SELECT count(*)::int FROM rights WHERE office_id = 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let dashboard = try await browser.get("/")
            #expect(dashboard.text.contains("The office&#39;s records"), "the records section")
            #expect(dashboard.text.contains("<li><span>rights</span> <strong>\(rights)</strong></li>"))
        }
    }
}

@Suite("Docket lines")
struct DocketLineTests {
    @Test func anUnverifiedDeadlineShowsNoVerifierAndOffersVerification() async throws {
        let fixture = try await WebFixture.shared.value
        let id = try await fixture.int(
            "SELECT id::int FROM deadlines WHERE office_id = 2 AND status = 'open' AND verified_at IS NULL ORDER BY due_date LIMIT 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))
            let page = try await browser.get("/docket?status=open")
            let line = try #require(page.text.firstRange(of: "id=\"deadline-\(id)\"").map { page.text[$0.lowerBound...] })
            let row = line[..<(line.firstRange(of: "</tr>")?.lowerBound ?? line.endIndex)]
            #expect(!row.contains("✓"), "nobody has verified it")
            #expect(row.contains("/deadlines/\(id)/verify"))
        }
    }
}

@Suite("Searching rights")
struct RightSearchTests {
    @Test func theSearchFindsARightByItsNumberOrReferenceInAnyCaseAndOnlyInTheOffice() async throws {
        let fixture = try await WebFixture.shared.value
        let row = try await fixture.rows(
            "SELECT id, application_number, reference FROM rights WHERE office_id = 1 AND application_number IS NOT NULL ORDER BY id LIMIT 1")[0]
        let (id, number, reference) = try row.decode(Int64.self, String.self, String.self)
        let matching = try await fixture.rows(
            "SELECT id FROM rights WHERE office_id = 1 AND strpos(lower(application_number), lower('\(number)')) > 0 ORDER BY id"
        ).map { try $0.decode(Int64.self, at: 0) }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/rights?q=\(Browser.encode(number))")
            let listed = page.text.matches(of: /<td><a href="\/rights\/(\d+)">/).compactMap { Int64($0.1) }
            #expect(listed.sorted() == matching, "exactly the rights whose number contains it")
            #expect(listed.contains(id))
            let lower = try await browser.get("/rights?q=\(Browser.encode(reference.lowercased()))")
            #expect(lower.text.contains("href=\"/rights/\(id)\""), "the reference in lower case finds it")
            let none = try await browser.get("/rights?q=no-such-right-anywhere")
            #expect(none.text.matches(of: /<td><a href="\/rights\/\d+">/).isEmpty)
        }
    }
}
