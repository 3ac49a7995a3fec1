import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("The JSON API with tokens")
struct APITests {
    /// Makes a token on the Tokens page as `role`'s user; returns it.
    static func token(_ browser: Browser, _ fixture: WebFixture, _ role: WebRole) async throws -> String {
        try await browser.signIn(fixture.account(role))
        try await browser.get("/tokens")
        let made = try await browser.post("/tokens", [("name", "test \(UInt16.random(in: 0...9999))")])
        #expect(made.status == .created)
        let match = try #require(made.text.firstMatch(of: /id="new-token">([A-Za-z0-9_-]{43})</))
        return String(match.1)
    }

    static func call(_ browser: Browser, _ uri: String, token: String?, method: HTTPRequest.Method = .get, json: String? = nil)
        async throws -> (status: HTTPResponse.Status, object: Any?, headers: HTTPFields)
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await browser.client.execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)), response.headers)
    }

    @Test func aTokenReadsItsOfficesDocketPageByPageAndIsRevocable() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            let token = try await Self.token(browser, fixture, .attorney)
            let none = try await Self.call(browser, "/api/v1/docket", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.contentType] == "application/problem+json")
            // The session cookie is not accepted in place of a token.
            let cookie = try await browser.get("/api/v1/docket")
            #expect(cookie.status == .unauthorized)

            var seen: [Int] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/docket?status=open&limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await Self.call(browser, uri, token: token)
                #expect(page.status == .ok)
                let object = try #require(page.object as? [String: Any])
                let items = try #require(object["items"] as? [[String: Any]])
                seen += items.compactMap { $0["id"] as? Int }
                #expect(items.allSatisfy { ($0["office"] as? Int) == 2 }, "only the token's office")
                cursor = object["next_cursor"] as? String
            } while cursor != nil
            let expected = try await fixture.int("SELECT count(*)::int FROM deadlines WHERE office_id = 2 AND status = 'open'")
            #expect(seen.count == expected, "the pages together list every open deadline once")
            #expect(Set(seen).count == seen.count)

            let bad = try await Self.call(browser, "/api/v1/docket?within=soon", token: token)
            #expect(bad.status == .unprocessableContent)
            #expect((bad.object as? [String: Any])?["field"] as? String == "within")

            let university = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 ORDER BY id LIMIT 1")
            #expect(try await Self.call(browser, "/api/v1/rights/\(university)", token: token).status == .notFound)

            // Revoked: refused from then on.
            try await browser.get("/tokens")
            let id = try await fixture.int("SELECT id::int FROM web_api_tokens WHERE token_hash = sha256(convert_to('\(token)', 'UTF8'))")
            #expect(try await browser.post("/tokens/\(id)/revoke", []).status == .seeOther)
            #expect(try await Self.call(browser, "/api/v1/docket", token: token).status == .unauthorized)
        }
    }

    @Test func aTokenRecordsAnEventAndCompletesADeadlineWithItsRevision() async throws {
        let fixture = try await WebFixture.shared.value
        let right = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 AND state = 'filed' ORDER BY id DESC LIMIT 1")
        let deadline = try await fixture.rows(
            "SELECT id, version FROM deadlines WHERE office_id = 1 AND status = 'open' ORDER BY id DESC LIMIT 1")[0]
        let (id, version) = try deadline.decode(Int64.self, Int.self)
        try await withBrowser(try fixture.app()) { browser in
            let token = try await Self.token(browser, fixture, .officer)
            let detail = try await Self.call(browser, "/api/v1/rights/\(right)", token: token)
            #expect(detail.status == .ok)
            #expect(((detail.object as? [String: Any])?["right"] as? [String: Any])?["id"] as? Int == right)
            let missing = try await Self.call(browser, "/api/v1/rights/\(right)/events", token: token, method: .post, json: #"{"kind":"published"}"#)
            #expect(missing.status == .unprocessableContent)
            #expect((missing.object as? [String: Any])?["field"] as? String == "date")
            let recorded = try await Self.call(
                browser, "/api/v1/rights/\(right)/events", token: token, method: .post,
                json: #"{"kind":"examination-requested","date":"2025-06-18"}"#)
            #expect(recorded.status == .created)
            #expect(try await fixture.int(
                "SELECT count(*)::int FROM right_events WHERE right_id = \(right) AND kind = 'examination-requested' AND event_date = '2025-06-18' AND recorded_by LIKE 'web/%'") == 1)

            let stale = try await Self.call(
                browser, "/api/v1/deadlines/\(id)/complete", token: token, method: .post,
                json: #"{"version":\#(version + 3),"as":"done","reason":"paid"}"#)
            #expect(stale.status == .conflict)
            let done = try await Self.call(
                browser, "/api/v1/deadlines/\(id)/complete", token: token, method: .post,
                json: #"{"version":\#(version),"as":"done","reason":"paid by the API"}"#)
            #expect(done.status == .ok)
            #expect(try await fixture.rows("SELECT status FROM deadlines WHERE id = \(id)")[0].decode(String.self, at: 0) == "done")
        }
        // A viewer's token reads but does not write.
        try await withBrowser(try fixture.app()) { browser in
            let token = try await Self.token(browser, fixture, .viewer)
            #expect(try await Self.call(browser, "/api/v1/rights", token: token).status == .ok)
            let refused = try await Self.call(
                browser, "/api/v1/rights/\(right)/events", token: token, method: .post, json: #"{"kind":"published","date":"2025-06-01"}"#)
            #expect(refused.status == .notFound)
        }
    }

    @Test func theOpenAPIDocumentInTheRepoIsTheOneServedAndNamesEveryRoute() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            let served = try await browser.get("/api/v1/openapi.json")
            #expect(served.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: served.body)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = Set((document["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(paths == [
                "/api/v1/docket", "/api/v1/rights", "/api/v1/rights/{id}", "/api/v1/rights/{id}/events",
                "/api/v1/deadlines/{id}/complete", "/api/v1/deadlines/{id}/verify",
            ])
        }
    }
}
