import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("ICS subscriptions")
struct CalendarTests {
    /// Makes a subscription on the docket page with `filters`; its address's path.
    static func subscribe(_ browser: Browser, filters: String) async throws -> String {
        try await browser.get("/docket?" + filters)
        let made = try await browser.post("/calendar", [("name", "mine"), ("filters", filters)])
        #expect(made.status == .created)
        let match = try #require(made.text.firstMatch(of: /id="new-calendar">https?:\/\/[^<\/]*(\/calendar\/[A-Za-z0-9_-]{43}\.ics)</))
        return String(match.1)
    }

    /// The feed at `path`, read with no cookie (a calendar client).
    static func feed(_ browser: Browser, _ path: String) async throws -> TestResponse {
        try await browser.client.execute(uri: path, method: .get, headers: [:], body: nil)
    }

    /// The content lines of an iCalendar text, unfolded (RFC 5545 §3.1).
    static func unfolded(_ text: String) -> [String] {
        var lines: [String] = []
        for physical in text.components(separatedBy: "\r\n") where !physical.isEmpty {
            if physical.hasPrefix(" "), !lines.isEmpty { lines[lines.count - 1] += physical.dropFirst() } else { lines.append(physical) }
        }
        return lines
    }

    /// The deadline ids of the docket as `/docket.json` lists it with `filters`.
    static func docketIDs(_ browser: Browser, filters: String) async throws -> Set<Int> {
        let response = try await browser.get("/docket.json?" + filters)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        let deadlines = try #require(object["deadlines"] as? [[String: Any]])
        return Set(deadlines.compactMap { $0["id"] as? Int })
    }

    @Test func aSubscriptionServesTheDocketAsICSUntilRevoked() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let filters = "status=open&within=400&overdue=1"
            let path = try await Self.subscribe(browser, filters: filters)
            #expect(browser.lastPage.contains("<code>\(filters.replacingOccurrences(of: "&", with: "&amp;"))</code>"))

            // Other tests complete deadlines meanwhile: compare with a docket that held still.
            var checked = false
            for _ in 0..<5 {
                let before = try await Self.docketIDs(browser, filters: filters)
                let response = try await Self.feed(browser, path)
                let after = try await Self.docketIDs(browser, filters: filters)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                let text = response.text
                guard before == after else { continue }
                #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
                #expect(text.hasSuffix("END:VCALENDAR\r\n"))
                #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
                let physical = text.components(separatedBy: "\r\n")
                #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "folded at 75 octets")
                #expect(physical.contains { $0.hasPrefix(" ") }, "long lines are folded")
                let lines = Self.unfolded(text)
                let events = lines.filter { $0 == "BEGIN:VEVENT" }.count
                #expect(events == before.count, "one event per deadline of the docket")
                #expect(lines.filter { $0.hasPrefix("DTSTART;VALUE=DATE:") }.count == events)
                let uids = lines.filter { $0.hasPrefix("UID:") }
                #expect(uids.count == events && uids.allSatisfy { $0.hasPrefix("UID:deadline-o1_") }, "the office's only")
                #expect(Set(uids).count == uids.count)
                let ids = Set(lines.compactMap { line -> Int? in
                    guard line.hasPrefix("DESCRIPTION:"), let range = line.range(of: #"Deadline ID: \d+"#, options: .regularExpression)
                    else { return nil }
                    return Int(line[range].dropFirst("Deadline ID: ".count))
                })
                #expect(ids == before)
                #expect(lines.contains { $0.hasPrefix("SUMMARY:Due: ") })
                #expect(lines.contains { $0.hasPrefix("DESCRIPTION:") && $0.contains("Citation: ") })
                // Nothing of the firm's office.
                let firm = try await fixture.rows("SELECT reference FROM rights WHERE office_id = 2 ORDER BY id LIMIT 50")
                    .map { try $0.decode(String.self, at: 0) }
                #expect(!firm.isEmpty && firm.allSatisfy { !text.contains("(\($0))") })
                // The same subscription read again: the same events (UIDs stable).
                let again = Self.unfolded(try await Self.feed(browser, path).text).filter { $0.hasPrefix("UID:") }
                let still = try await Self.docketIDs(browser, filters: filters)
                #expect(Set(again) == Set(uids) || before != still)
                checked = true
                break
            }
            #expect(checked, "the docket held still for one read")

            // Revoked from the docket page: not found from then on.
            let token = String(path.dropFirst("/calendar/".count).dropLast(4))
            let id = try await fixture.int(
                "SELECT id::int FROM web_calendar_tokens WHERE token_hash = sha256(convert_to('\(token)', 'UTF8'))")
            try await browser.get("/docket")
            #expect(browser.lastPage.contains(#"action="/calendar/subscriptions/\#(id)/revoke""#))
            #expect(try await browser.post("/calendar/subscriptions/\(id)/revoke", [("back", "/docket")], csrf: false).status == .forbidden)
            #expect(try await Self.feed(browser, path).status == .ok, "not revoked without the CSRF token")
            try await browser.get("/docket")
            #expect(try await browser.post("/calendar/subscriptions/\(id)/revoke", [("back", "/docket")]).status == .seeOther)
            #expect(try await Self.feed(browser, path).status == .notFound)
            #expect(try await fixture.int("SELECT count(*)::int FROM web_calendar_tokens WHERE id = \(id) AND revoked_at IS NOT NULL") == 1)
        }
    }

    @Test func unknownAndMalformedAddressesAreNotFound() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser async throws in
            let unknown = "/calendar/\(Secrets.token()).ics"
            let bare = "/calendar/\(Secrets.token())"
            for path in [unknown, bare, "/calendar/short.ics"] {
                #expect(try await Self.feed(browser, path).status == .notFound, "\(path)")
            }
        }
    }

    @Test func theFirmsSubscriptionHasTheFirmsDeadlinesOnly() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))
            let path = try await Self.subscribe(browser, filters: "status=open")
            let lines = Self.unfolded(try await Self.feed(browser, path).text)
            let uids = lines.filter { $0.hasPrefix("UID:") }
            #expect(!uids.isEmpty && uids.allSatisfy { $0.hasPrefix("UID:deadline-o2_") })
        }
    }

    @Test func anInventorMakesNoSubscriptionAndAWebTokenIsNoFeed() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.inventor))
            #expect(try await browser.post("/calendar", [("name", "x"), ("filters", "")]).status == .notFound)
            // An API token's secret in the calendar's address reads nothing.
            try await browser.get("/tokens")
            let made = try await browser.post("/tokens", [("name", "not a calendar")])
            let match = try #require(made.text.firstMatch(of: /id="new-token">([A-Za-z0-9_-]{43})</))
            #expect(try await Self.feed(browser, "/calendar/\(match.1).ics").status == .notFound)
        }
    }
}
