import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseReports
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Payments and distributions in the browser")
struct PaymentTests {
    /// The keys of the payments a page lists (`id="payment-…"`).
    static func payments(_ html: String) -> Set<Int> {
        Set(html.matches(of: /id="payment-(\d+)"/).compactMap { Int($0.1) })
    }

    @Test func thePaymentsShowTheirAmountsInTheLanguagesFormat() async throws {
        let fixture = try await WebFixture.shared.value
        let all = Set(
            try await fixture.rows("SELECT id::int FROM payments WHERE office_id = 1").map {
                try $0.decode(Int.self, at: 0)
            })
        let (id, minor, reference) = try await fixture.rows(
            """
            SELECT p.id::int, p.amount_minor, a.reference FROM payments p
            JOIN agreements a ON a.office_id = p.office_id AND a.id = p.agreement_id
            WHERE p.office_id = 1 AND p.currency = 'KZT' AND p.amount_minor >= 100000000
            ORDER BY p.id LIMIT 1
            """)[0].decode(Int.self, Int64.self, String.self)
        // 1 234 567,89 ₸: groups and the sign after a no-break space, a decimal comma.
        let nbsp = "\u{00A0}"
        var digits = String(minor / 100)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        let cents = minor % 100
        let russian = groups.joined(separator: nbsp) + "," + (cents < 10 ? "0" : "") + String(cents) + nbsp + "₸"
        try await withBrowser(try fixture.app(), language: "ru") { browser in
            try await browser.signIn(fixture.account(.viewer))
            let list = try await browser.get("/payments")
            #expect(list.status == .ok)
            #expect(Self.payments(list.text) == all, "every payment of the office, once")
            let row = try #require(
                list.text.firstRange(of: "id=\"payment-\(id)\"").map {
                    list.text[$0.lowerBound...].prefix(while: { $0 != "\n" })
                })
            #expect(row.contains(russian), "\(russian) in \(row)")
            #expect(row.contains(reference))
            let page = try await browser.get("/payments/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(russian))
            #expect(!page.text.contains("id=\"distribute\""), "a viewer does not distribute")
        }
    }

    @Test func anOfficerDistributesAPaymentAndTheInventorSeesOnlyTheirOwnStatement() async throws {
        let fixture = try await WebFixture.shared.value
        let inventor = fixture.account(.inventor)
        let party = try #require(inventor.party)
        let theirs = try await AgreementTests.inventorsAgreements(fixture, party: party)
        let list = theirs.map(String.init).joined(separator: ",")
        // The largest payment under the inventor's licence, and one under an agreement not theirs.
        let mine = try await fixture.int(
            "SELECT id::int FROM payments WHERE agreement_id = ANY('{\(list)}'::int[]) ORDER BY amount_minor DESC, id LIMIT 1"
        )
        let notMine = try await fixture.int(
            """
            SELECT p.id::int FROM payments p WHERE p.office_id = 1 AND NOT (p.agreement_id = ANY('{\(list)}'::int[]))
              AND p.kind = 'royalty'
              AND EXISTS (SELECT FROM agreement_rights ar
                          JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                          JOIN disclosure_inventors i ON i.office_id = r.office_id AND i.disclosure_id = r.disclosure_id
                          WHERE ar.office_id = p.office_id AND ar.agreement_id = p.agreement_id)
            ORDER BY p.amount_minor DESC, p.id LIMIT 1
            """)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            for payment in [mine, notMine] {
                let page = try await browser.get("/payments/\(payment)")
                #expect(page.text.contains("id=\"distribute\""))
                let posted = try await browser.post("/payments/\(payment)/distribution", [])
                #expect(posted.status == .seeOther)
                #expect(posted.location == "/payments/\(payment)")
            }
            let page = try await browser.get("/payments/\(mine)")
            #expect(!page.text.contains("id=\"distribute\""), "split once")
            #expect(page.text.contains(Localizer(.english)("web.distribution.recipient.administration")))
        }
        let stored = try await fixture.rows(
            "SELECT id::int, payment_id::int FROM distributions WHERE superseded_at IS NULL AND payment_id IN (\(mine), \(notMine))"
        )
        #expect(stored.count == 2)
        let statement = try #require(
            try stored.first { try $0.decode(Int.self, at: 1) == mine }?.decode(Int.self, at: 0))
        let other = try #require(
            try stored.first { try $0.decode(Int.self, at: 1) == notMine }?.decode(Int.self, at: 0))
        let share = try await fixture.rows(
            "SELECT amount_minor FROM distribution_lines WHERE distribution_id = \(statement) AND party_id = \(party.rawValue)"
        )
        #expect(share.count == 1, "the inventor has a line")
        let amount = Localizer(.english).money(Money(minorUnits: try share[0].decode(Int64.self, at: 0), .kzt))
        let others = try await fixture.rows(
            """
            SELECT p.name FROM distribution_lines l JOIN parties p ON p.office_id = l.office_id AND p.id = l.party_id
            WHERE l.distribution_id = \(statement) AND l.party_id <> \(party.rawValue)
            """
        ).map { try $0.decode(String.self, at: 0) }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(inventor)
            let dashboard = try await browser.get("/")
            #expect(dashboard.text.contains("id=\"my-distributions\""), "the dashboard links to the statements")
            let page = try await browser.get("/distributions")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"statement-\(statement)\""))
            #expect(!page.text.contains("id=\"statement-\(other)\""), "not a statement of another's payment")
            #expect(page.text.contains("class=\"share\">\(amount)<"), "their share, \(amount)")
            for name in others { #expect(!page.text.contains(name), "not the other inventors' lines") }
            #expect(!page.text.contains("href=\"/parties/"), "no links to the office's parties")
            #expect(try await browser.get("/payments").status == .notFound)
            #expect(try await browser.get("/payments/\(mine)").status == .notFound)
            try await browser.get("/distributions")  // a page of the session, for its form token
            let post = try await browser.post("/payments/\(notMine)/distribution", [])
            #expect(post.status == .notFound)
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/distributions")
            #expect(
                page.text.contains("id=\"statement-\(statement)\"") && page.text.contains("id=\"statement-\(other)\""))
            #expect(page.text.contains("href=\"/parties/\(party.rawValue)\""), "the inventor's line names them")
        }
    }

    @Test func aPaymentWithNoInventorsBehindItIsRefusedWithAMessageAndNothingWritten() async throws {
        let fixture = try await WebFixture.shared.value
        // Under an agreement none of whose rights comes from a disclosure with inventors.
        let payment = try await fixture.int(
            """
            SELECT p.id::int FROM payments p WHERE p.office_id = 1
              AND NOT EXISTS (SELECT FROM agreement_rights ar
                              JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                              JOIN disclosure_inventors i ON i.office_id = r.office_id AND i.disclosure_id = r.disclosure_id
                              WHERE ar.office_id = p.office_id AND ar.agreement_id = p.agreement_id)
            ORDER BY p.id LIMIT 1
            """)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.admin))
            try await browser.get("/payments/\(payment)")
            let refused = try await browser.post("/payments/\(payment)/distribution", [])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("role=\"alert\"") && refused.text.contains("at least one inventor"), "says why")
            #expect(refused.text.contains("id=\"distribute\""), "the payment's page again, still to distribute")
        }
        #expect(try await fixture.int("SELECT count(*)::int FROM distributions WHERE payment_id = \(payment)") == 0)
    }

    @Test func onlyAnOfficerOrAnAdminDistributesAndAnotherOfficesPaymentIsNotFound() async throws {
        let fixture = try await WebFixture.shared.value
        let payment = try await fixture.int(
            """
            SELECT p.id::int FROM payments p WHERE p.office_id = 1
              AND NOT EXISTS (SELECT FROM distributions d WHERE d.payment_id = p.id)
            ORDER BY p.amount_minor, p.id LIMIT 1
            """)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.viewer))
            try await browser.get("/payments/\(payment)")
            #expect(try await browser.post("/payments/\(payment)/distribution", []).status == .notFound)
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))  // of the firm, office 2
            #expect(try await browser.get("/payments/\(payment)").status == .notFound)
            #expect(Self.payments(try await browser.get("/payments").text).isEmpty)
            #expect(try await browser.post("/payments/\(payment)/distribution", []).status == .notFound)
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            try await browser.get("/payments/\(payment)")
            // Without the session's CSRF token: refused, nothing written.
            #expect(try await browser.post("/payments/\(payment)/distribution", [], csrf: false).status == .forbidden)
        }
        #expect(try await fixture.int("SELECT count(*)::int FROM distributions WHERE payment_id = \(payment)") == 0)
    }
}
