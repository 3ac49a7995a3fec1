import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("The language buttons")
struct LanguageTests {
    /// A user of its own in office 1 (a language chosen is kept as the user's: not the fixture's
    /// users, which other tests read in English).
    static func user(_ fixture: WebFixture, role: WebRole = .officer) async throws -> WebDemo.Account {
        try await fixture.user("t-lang", [(1, role)])
    }

    /// Where the last page's language buttons go back to (its form's `back`, unescaped).
    static func languageBack(_ page: String) throws -> String {
        let form = try #require(page.firstRange(of: #"class="inline languages">"#).map { page[$0.upperBound...] })
        let value = try #require(form.firstMatch(of: /name="back" value="([^"]*)"/)?.1)
        return String(value).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func aLanguageButtonReturnsToTheSamePageWithItsQuery() async throws {
        let fixture = try await WebFixture.shared.value
        let account = try await Self.user(fixture)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(account)
            let path = "/docket?jurisdiction=KZ&within=90&status=open"
            let docket = try await browser.get(path)
            #expect(docket.status == .ok)
            let back = try Self.languageBack(docket.text)
            #expect(back == path, "the filter is kept")
            let switched = try await browser.post("/language", [("language", "kk"), ("back", back)])
            #expect(switched.status == .seeOther)
            #expect(switched.location == path)
            let again = try await browser.get(path)
            #expect(again.text.contains(#"<html lang="kk">"#))
            #expect(PagesTests.listed(again.text) == PagesTests.listed(docket.text), "the same deadlines, in Kazakh")
        }
    }

    @Test func onAPageAnsweringAPostTheLanguageButtonsReturnToAPageThatExists() async throws {
        let fixture = try await WebFixture.shared.value
        let account = try await Self.user(fixture)
        let right = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 ORDER BY id LIMIT 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(account)
            // The right's page again, with why an event was refused (a date that is no date).
            try await browser.get("/rights/\(right)")
            let refused = try await browser.post("/rights/\(right)/events", [("kind", "published"), ("date", "30.06.2025")])
            #expect(refused.status == .unprocessableContent)
            let fromRight = try Self.languageBack(refused.text)
            #expect(fromRight == "/rights/\(right)", "not the post's own address")
            #expect(try await browser.get(fromRight).status == .ok)

            // A refused deadline action: back where its own Back link goes.
            let docket = try await browser.get("/docket?jurisdiction=KZ")
            let id = try #require(PagesTests.listed(docket.text).first)
            let version = try await fixture.int("SELECT version FROM deadlines WHERE id = \(id)")
            let stale = try await browser.post(
                "/deadlines/\(id)/done", [("version", String(version + 7)), ("reason", "x"), ("back", "/docket?jurisdiction=KZ")])
            #expect(stale.status == .conflict)
            let fromDeadline = try Self.languageBack(stale.text)
            #expect(fromDeadline == "/docket?jurisdiction=KZ")
            let switched = try await browser.post("/language", [("language", "ru"), ("back", fromDeadline)])
            #expect(switched.location == "/docket?jurisdiction=KZ")
            #expect(try await browser.get(fromDeadline).status == .ok)
        }
    }
}
