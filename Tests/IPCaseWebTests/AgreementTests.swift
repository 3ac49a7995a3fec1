import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseReports
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Agreements in the browser")
struct AgreementTests {
    /// The keys of the agreements a page lists (`id="agreement-…"`).
    static func agreements(_ html: String) -> Set<Int> {
        Set(html.matches(of: /id="agreement-(\d+)"/).compactMap { Int($0.1) })
    }

    /// The agreements covering a right from a disclosure `party` is an inventor of.
    static func inventorsAgreements(_ fixture: WebFixture, party: ID<Party>) async throws -> Set<Int> {
        Set(
            try await fixture.rows(
                """
                SELECT DISTINCT ar.agreement_id::int FROM agreement_rights ar
                JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                JOIN disclosure_inventors i ON i.office_id = r.office_id AND i.disclosure_id = r.disclosure_id
                WHERE ar.office_id = 1 AND i.party_id = \(party.rawValue)
                """
            ).map { try $0.decode(Int.self, at: 0) })
    }

    @Test func theOfficerSeesEveryAgreementWithItsLicenseeAndOneWithItsTermsObligationsPaymentsAndAlerts() async throws
    {
        let fixture = try await WebFixture.shared.value
        let all = Set(
            try await fixture.rows("SELECT id::int FROM agreements WHERE office_id = 1").map {
                try $0.decode(Int.self, at: 0)
            })
        // The licence with the most payments, its licensee and its obligations' deadlines.
        let id = try await fixture.int(
            """
            SELECT a.id::int FROM agreements a WHERE a.office_id = 1 AND a.kind = 'exclusive-licence'
            ORDER BY (SELECT count(*) FROM payments p WHERE p.agreement_id = a.id) DESC, a.id LIMIT 1
            """)
        let (reference, licensee) = try await fixture.rows(
            """
            SELECT a.reference, p.name FROM agreements a
            JOIN agreement_parties ap ON ap.office_id = a.office_id AND ap.agreement_id = a.id
            JOIN parties p ON p.office_id = ap.office_id AND p.id = ap.party_id
            WHERE a.id = \(id) ORDER BY ap.position LIMIT 1
            """)[0].decode(String.self, String.self)
        let payments = Set(
            try await fixture.rows("SELECT id::int FROM payments WHERE agreement_id = \(id)").map {
                try $0.decode(Int.self, at: 0)
            })
        let deadlines = Set(
            try await fixture.rows("SELECT id FROM deadlines WHERE agreement_id = \(id) AND status <> 'superseded'")
                .map { try $0.decode(Int64.self, at: 0) })
        let overdue = try await fixture.int(
            """
            SELECT count(*)::int FROM deadlines WHERE agreement_id = \(id) AND type = 'royalty_report'
              AND (status = 'missed' OR (status = 'open' AND due_date < '\(WebFixture.asOf)'))
            """)
        let received = try await fixture.rows(
            "SELECT sum(amount_minor)::bigint FROM payments WHERE agreement_id = \(id)")[0]
            .decode(Int64.self, at: 0)
        let t = Localizer(.english)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let list = try await browser.get("/agreements")
            #expect(list.status == .ok)
            #expect(Self.agreements(list.text) == all, "every agreement of the office, once")
            let row = try #require(
                list.text.firstRange(of: "id=\"agreement-\(id)\"").map { list.text[$0.lowerBound...] }.map {
                    $0.prefix(while: { $0 != "\n" })
                })
            #expect(row.contains(reference) && row.contains(licensee) && row.contains(t("agreement.exclusive-licence")))

            let page = try await browser.get("/agreements/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>\(reference)"))
            #expect(page.text.contains("href=\"/parties/"), "the licensee links to its party")
            #expect(Set(page.text.matches(of: /id="payment-(\d+)"/).compactMap { Int($0.1) }) == payments)
            #expect(
                Set(PagesTests.listed(page.text)) == deadlines, "its obligations' deadlines, as the docket has them")
            #expect(
                page.text.contains("id=\"received\">\(t.money(Money(minorUnits: received, .kzt)))<"),
                "the total received")
            #expect(page.text.contains(t("web.terms.upfront")), "its financial terms")
            #expect(overdue > 0)
            #expect(
                page.text.contains(t("web.obligation.royalty_report") + ": \(overdue) overdue since"),
                "the compliance alert")
        }
    }

    @Test func anAgreementInDefaultSaysSo() async throws {
        let fixture = try await WebFixture.shared.value
        let id = try await fixture.int(
            "SELECT id::int FROM agreements WHERE office_id = 1 AND state = 'in-default' ORDER BY id LIMIT 1")
        try await withBrowser(try fixture.app(), language: "ru") { browser in
            try await browser.signIn(fixture.account(.viewer))
            let page = try await browser.get("/agreements/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(Localizer(.russian)("web.agreement.in-default")))
            #expect(page.text.contains(Localizer(.russian)("web.agreement.state.in-default")))
        }
    }

    @Test func anotherOfficesAgreementAnswersNotFound() async throws {
        let fixture = try await WebFixture.shared.value
        let id = try await fixture.int("SELECT id::int FROM agreements WHERE office_id = 1 ORDER BY id LIMIT 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.attorney))  // of the firm, office 2
            #expect(try await browser.get("/agreements/\(id)").status == .notFound)
            let list = try await browser.get("/agreements")
            #expect(list.status == .ok)
            #expect(Self.agreements(list.text).isEmpty, "the firm has no agreements; the university's are not listed")
        }
    }

    @Test func anInventorSeesOnlyTheAgreementsOfTheirOwnDisclosures() async throws {
        let fixture = try await WebFixture.shared.value
        let inventor = fixture.account(.inventor)
        let party = try #require(inventor.party)
        let mine = try await Self.inventorsAgreements(fixture, party: party)
        #expect(!mine.isEmpty, "the demo inventor's disclosure is licensed")
        let other = try await fixture.int(
            "SELECT id::int FROM agreements WHERE office_id = 1 AND NOT (id = ANY('{\(mine.map(String.init).joined(separator: ","))}'::int[])) ORDER BY id LIMIT 1"
        )
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(inventor)
            let dashboard = try await browser.get("/")
            #expect(dashboard.text.contains("href=\"/agreements\""), "the inventor's navigation")
            let list = try await browser.get("/agreements")
            #expect(list.status == .ok)
            #expect(Self.agreements(list.text) == mine)
            for id in mine {
                let page = try await browser.get("/agreements/\(id)")
                #expect(page.status == .ok)
                #expect(
                    !page.text.contains("href=\"/parties/") && !page.text.contains("href=\"/payments/"),
                    "no links to pages not theirs")
            }
            #expect(try await browser.get("/agreements/\(other)").status == .notFound)
        }
    }
}
