import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Disclosures: the inventor submits, the office assesses")
struct DisclosureTests {
    @Test func anInventorSubmitsADisclosureAndSeesOnlyTheirOwn() async throws {
        let fixture = try await WebFixture.shared.value
        let inventor = fixture.account(.inventor)
        let party = try #require(inventor.party)
        let coInventor = try await fixture.int(
            "SELECT id::int FROM parties WHERE office_id = 1 AND 'inventor' = ANY(roles) AND id <> \(party.rawValue) ORDER BY id LIMIT 1")
        let others = try await fixture.rows(
            """
            SELECT d.id FROM disclosures d WHERE d.office_id = 1 AND NOT EXISTS (
                SELECT FROM disclosure_inventors i WHERE i.office_id = 1 AND i.disclosure_id = d.id AND i.party_id = \(party.rawValue))
            ORDER BY d.id LIMIT 1
            """
        ).map { try $0.decode(Int64.self, at: 0) }
        let notMine = try #require(others.first)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(inventor)
            #expect(try await browser.get("/disclosures/new").status == .ok)
            // Every problem named at once, nothing written.
            let before = try await fixture.int("SELECT count(*)::int FROM disclosures WHERE office_id = 1")
            let bad = try await browser.post(
                "/disclosures", [("title", ""), ("inventors", "\(party.rawValue)=70"), ("trl", "12"), ("ipc", "A61K 31/713, banana")])
            #expect(bad.status == .unprocessableContent)
            for field in ["title", "trl: 12", "ipc: banana", "100"] { #expect(bad.text.contains(field), "names \(field)") }
            #expect(try await fixture.int("SELECT count(*)::int FROM disclosures WHERE office_id = 1") == before)
            let notListed = try await browser.post(
                "/disclosures", [("title", "Sorbent"), ("inventors", "\(coInventor)=100")])
            #expect(notListed.status == .unprocessableContent, "an inventor submits only disclosures they are an inventor of")

            try await browser.get("/disclosures/new")
            let created = try await browser.post(
                "/disclosures",
                [("title", "Сорбент для очистки воды"), ("department", "Химия"), ("inventors", "\(party.rawValue)=60\n\(coInventor)=40"),
                 ("funding", "grant-programme"), ("trl", "4"), ("ipc", "C02F 1/28")])
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let row = try await fixture.rows(
                "SELECT title, state, trl, funding_sources::text FROM disclosures WHERE office_id = 1 AND id = \(id)")[0]
            #expect(try row.decode(String.self, at: 0) == "Сорбент для очистки воды")
            #expect(try row.decode(String.self, at: 1) == "received")
            #expect(try row.decode(Int.self, at: 2) == 4)
            #expect(try await fixture.int(
                "SELECT sum(share_bp)::int FROM disclosure_inventors WHERE office_id = 1 AND disclosure_id = \(id)") == 10_000)
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("Сорбент для очистки воды"))
            #expect(!page.text.contains("/events\""), "an inventor does not assess")
            let list = try await browser.get("/disclosures")
            #expect(list.text.contains("disclosure-\(id)\""))
            #expect(!list.text.contains("disclosure-\(notMine)\""), "another inventor's disclosure is not listed")
            #expect(try await browser.get("/disclosures/\(notMine)").status == .notFound)
            #expect(try await browser.get("/").text.contains("disclosure-\(id)\""), "the dashboard lists it")
        }
    }

    @Test func anOfficerAssessesADisclosureWithTheAllowedEventsOnly() async throws {
        let fixture = try await WebFixture.shared.value
        let id = try await fixture.int("SELECT id::int FROM disclosures WHERE office_id = 1 AND state = 'received' ORDER BY id LIMIT 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/disclosures/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"start-assessment\""))
            #expect(!page.text.contains("value=\"approve-for-protection\""), "not allowed while received")
            // A disallowed event posted anyway: refused, nothing written.
            let refused = try await browser.post("/disclosures/\(id)/events", [("event", "approve-for-protection")])
            #expect(refused.status == .conflict)
            #expect(try await fixture.rows("SELECT state FROM disclosures WHERE id = \(id)")[0].decode(String.self, at: 0) == "received")
            try await browser.get("/disclosures/\(id)")
            let started = try await browser.post("/disclosures/\(id)/events", [("event", "start-assessment")])
            #expect(started.status == .seeOther)
            #expect(try await fixture.rows("SELECT state FROM disclosures WHERE id = \(id)")[0].decode(String.self, at: 0) == "under-assessment")
            let next = try await browser.get("/disclosures/\(id)")
            #expect(next.text.contains("value=\"put-on-hold\""))
            let noDate = try await browser.post("/disclosures/\(id)/events", [("event", "put-on-hold")])
            #expect(noDate.status == .unprocessableContent)
            #expect(noDate.text.contains("until"))
        }
        // The viewer reads it but gets no buttons and cannot post them.
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.viewer))
            let page = try await browser.get("/disclosures/\(id)")
            #expect(page.status == .ok)
            #expect(!page.text.contains("name=\"event\""))
            #expect(try await browser.post("/disclosures/\(id)/events", [("event", "abandon")]).status == .notFound)
        }
    }
}
