import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("The deal pipeline in the browser")
struct DealTests {
    @Test func theOfficerAdvancesADealWithTheAllowedEventsOnly() async throws {
        let fixture = try await WebFixture.shared.value
        let id = try await fixture.int("SELECT id::int FROM deals WHERE office_id = 1 AND state = 'identified' ORDER BY id LIMIT 1")
        let count = try await fixture.int("SELECT count(*)::int FROM deals WHERE office_id = 1")
        try await withBrowser(try fixture.app(), language: "kk") { browser in
            try await browser.signIn(fixture.account(.officer))
            let pipeline = try await browser.get("/deals")
            #expect(pipeline.status == .ok)
            #expect(pipeline.text.contains("lang=\"kk\""))
            #expect(pipeline.text.matches(of: /id="deal-\d+"/).count == count, "every deal of the office, once")
            let page = try await browser.get("/deals/\(id)")
            #expect(page.text.contains("value=\"make-contact\""))
            #expect(!page.text.contains("value=\"agree-term-sheet\""), "not allowed while identified")
            let refused = try await browser.post("/deals/\(id)/events", [("event", "agree-term-sheet")])
            #expect(refused.status == .conflict)
            #expect(try await fixture.rows("SELECT state FROM deals WHERE id = \(id)")[0].decode(String.self, at: 0) == "identified")
            try await browser.get("/deals/\(id)")
            let contacted = try await browser.post("/deals/\(id)/events", [("event", "make-contact")])
            #expect(contacted.status == .seeOther)
            #expect(try await fixture.rows("SELECT state FROM deals WHERE id = \(id)")[0].decode(String.self, at: 0) == "contacted")
            // Evaluation needs an NDA or MTA: without one it is refused, naming what is missing.
            let next = try await browser.get("/deals/\(id)")
            #expect(next.text.contains("name=\"agreement\""))
            let noNDA = try await browser.post("/deals/\(id)/events", [("event", "start-evaluation")])
            #expect(noNDA.status == .conflict)
            #expect(try await fixture.rows("SELECT state FROM deals WHERE id = \(id)")[0].decode(String.self, at: 0) == "contacted")
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))  // of the firm: the university's deal is not theirs
            #expect(try await browser.get("/deals/\(id)").status == .notFound)
        }
    }
}
