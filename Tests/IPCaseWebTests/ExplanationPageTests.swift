import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseReports
import IPCaseStore
import PostgresClient
import Testing

@testable import IPCaseWeb

@Suite("Deadline explanations in the page's language")
struct ExplanationPageTests {
    /// `text` as the page must show it (escaped by the test itself, not by the code under test).
    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// The text of `html` without its tags, entities unescaped.
    static func text(_ html: Substring) -> String {
        html.replacing(/<[^>]*>/, with: "").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func aRightsPageInRussianExplainsItsNationalPhaseInRussianWithTheCitationQuoted() async throws {
        let fixture = try await WebFixture.shared.value
        let viewer = fixture.account(.viewer)
        let found = try await fixture.rows(
            """
            SELECT d.id, d.right_id::int, d.rule_id, d.citation FROM deadlines d
            WHERE d.office_id = \(viewer.office.rawValue) AND d.rule_id LIKE 'WO.national-phase.%'
              AND d.status = 'open' AND d.explanation = '' ORDER BY d.id LIMIT 1
            """)
        let row = try #require(found.first, "the sample portfolio has an open PCT national phase")
        let (id, right, ruleID, citation) = try row.decode(Int64.self, Int.self, String.self, String.self)
        // The line the engine gives for it in Russian, from the right's events as stored.
        let store = try await Store.connect(url: fixture.ownerURL)
        let rights = try await store.withOffice(viewer.office, actor: "test") { session in
            try await session.rightsWithEvents([ID(rawValue: Int64(right))])
        }
        await store.connection.close()
        let processed = try #require(rights.first)
        let deadline = try #require(
            DeadlineEngine().deadlines(
                jurisdiction: processed.jurisdiction, kind: processed.kind, events: processed.events
            )
            .first { $0.ruleID == ruleID })
        let russian = deadline.explanation(phrases: Localizer(.russian).explanationPhrases)
        #expect(russian.text.contains(" с даты наиболее раннего приоритета "))

        try await withBrowser(try fixture.app(), language: "ru") { browser in
            try await browser.signIn(viewer)
            let page = try await browser.get("/rights/\(right)")
            #expect(page.status == .ok)
            let start = try #require(page.text.firstRange(of: "id=\"deadline-\(id)\""), "the page lists the deadline")
            let line = page.text[start.upperBound...].prefix { $0 != "\n" }
            let cell = try #require(line.firstRange(of: /<small>.*?<\/small>/).map { line[$0] })
            #expect(Self.text(cell) == russian.text)
            #expect(cell.contains("<span lang=\"en\">\(Self.html(citation))</span>"))
            #expect(!page.text.contains("months from earliest priority"))
        }
        // In English the same page shows the English line, as the command line prints it.
        try await withBrowser(try fixture.app(), language: "en") { browser in
            try await browser.signIn(viewer)
            let page = try await browser.get("/rights/\(right)")
            #expect(page.text.contains("<small lang=\"en\">\(Self.html(deadline.explanation))</small>"))
        }
    }
}
