import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseReports
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Parties in the browser")
struct PartyTests {
    static func parties(_ html: String) -> Set<Int> {
        Set(html.matches(of: /id="party-(\d+)"/).compactMap { Int($0.1) })
    }

    @Test func theOfficerFindsAPartyByNameAndSeesWhatTheyInventedAndLicensed() async throws {
        let fixture = try await WebFixture.shared.value
        let all = Set(
            try await fixture.rows("SELECT id::int FROM parties WHERE office_id = 1").map {
                try $0.decode(Int.self, at: 0)
            })
        let inventor = try #require(fixture.account(.inventor).party)
        let name = try await fixture.rows("SELECT name FROM parties WHERE id = \(inventor.rawValue)")[0].decode(
            String.self, at: 0)
        let surname = String(try #require(name.split(separator: " ").last)).uppercased()
        let matching = Set(
            try await fixture.rows(
                "SELECT id::int FROM parties WHERE office_id = 1 AND strpos(lower(name), lower('\(surname)')) > 0"
            ).map { try $0.decode(Int.self, at: 0) })
        let invented = try await fixture.rows(
            "SELECT d.reference FROM disclosures d JOIN disclosure_inventors i ON i.office_id = d.office_id AND i.disclosure_id = d.id WHERE i.party_id = \(inventor.rawValue)"
        ).map { try $0.decode(String.self, at: 0) }
        let (licensee, licensed) = try await fixture.rows(
            """
            SELECT ap.party_id::int, a.reference FROM agreement_parties ap
            JOIN agreements a ON a.office_id = ap.office_id AND a.id = ap.agreement_id
            WHERE ap.office_id = 1 AND a.kind = 'exclusive-licence' ORDER BY a.id LIMIT 1
            """)[0].decode(Int.self, String.self)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let list = try await browser.get("/parties")
            #expect(list.status == .ok)
            #expect(Self.parties(list.text) == all, "every party of the office, once")
            let found = try await browser.get("/parties?q=\(Browser.encode(surname))")
            #expect(Self.parties(found.text) == matching, "the name in any case")
            #expect(matching.contains(Int(inventor.rawValue)))
            let page = try await browser.get("/parties/\(inventor.rawValue)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>\(name)"))
            #expect(page.text.contains(Localizer(.english)("web.party.role.inventor")))
            #expect(!invented.isEmpty)
            for reference in invented { #expect(page.text.contains(">\(reference)</a>"), "inventor of \(reference)") }
            let company = try await browser.get("/parties/\(licensee)")
            #expect(company.text.contains(">\(licensed)</a>"), "counterparty of \(licensed)")
        }
    }

    @Test func anotherOfficesPartyAndAnInventorAnswerNotFound() async throws {
        let fixture = try await WebFixture.shared.value
        let firms = try await fixture.int("SELECT id::int FROM parties WHERE office_id = 2 ORDER BY id LIMIT 1")
        let own = try await fixture.int("SELECT id::int FROM parties WHERE office_id = 1 ORDER BY id LIMIT 1")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            #expect(try await browser.get("/parties/\(firms)").status == .notFound)
            #expect(!Self.parties(try await browser.get("/parties").text).contains(firms))
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.inventor))
            #expect(try await browser.get("/parties").status == .notFound)
            #expect(try await browser.get("/parties/\(own)").status == .notFound)
            #expect(!(try await browser.get("/").text.contains("href=\"/parties\"")), "not in an inventor's navigation")
        }
    }
}

@Suite("Offices in the browser")
struct OfficeTests {
    @Test func anAdminSeesTheOfficesUsersAndAnOfficerDoesNot() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.admin))
            let page = try await browser.get("/offices")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"office-1\""))
            #expect(page.text.contains(Localizer(.english)("web.offices.current")))
            #expect(page.text.contains("id=\"members\""))
            for role in [WebRole.admin, .officer, .viewer, .inventor] {
                #expect(page.text.contains("<td>\(fixture.account(role).login)</td>"), "\(role) is a member")
            }
            #expect(!page.text.contains(fixture.account(.attorney).login), "the firm's attorney is not")
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let page = try await browser.get("/offices")
            #expect(page.status == .ok)
            #expect(!page.text.contains("id=\"members\""))
            #expect(!page.text.contains(fixture.account(.viewer).login))
        }
    }

    @Test func anAdminSetsTheLanguageOfTheOfficesNoticesAndNoOneElseCan() async throws {
        let fixture = try await WebFixture.shared.value
        @Sendable func language() async throws -> Int {
            try await fixture.int(
                "SELECT array_position(ARRAY['en', 'kk', 'ru'], language)::int FROM offices WHERE office_id = 1")
        }
        #expect(try await language() == 1)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            #expect(try await browser.post("/offices/language", [("language", "kk")]).status == .notFound)
            #expect(!(try await browser.get("/offices")).text.contains("action=\"/offices/language\""))
        }
        #expect(try await language() == 1, "an officer changes nothing")
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.admin))
            let page = try await browser.get("/offices")
            #expect(page.text.contains("<option value=\"en\" lang=\"en\" selected>"))
            let bad = try await browser.post("/offices/language", [("language", "de")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(Localizer(.english)("web.error.language")))
            #expect(try await language() == 1, "a bad language writes nothing")
            #expect(try await browser.post("/offices/language", [("language", "kk")]).status == .seeOther)
            #expect(try await language() == 2)
            #expect((try await browser.get("/offices")).text.contains("<option value=\"kk\" lang=\"kk\" selected>"))
            #expect(try await browser.post("/offices/language", [("language", "en")]).status == .seeOther)
        }
        #expect(try await language() == 1)
    }

    @Test func aUserOfTwoOfficesSwitchesFromTheOfficesPage() async throws {
        let fixture = try await WebFixture.shared.value
        let account = try await fixture.user("t-offices", [(1, .viewer), (2, .officer)])
        let agreement = try await fixture.int("SELECT id::int FROM agreements WHERE office_id = 1 ORDER BY id LIMIT 1")
        let t = Localizer(.english)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(account)
            let page = try await browser.get("/offices")
            #expect(page.text.contains("id=\"office-1\"") && page.text.contains("id=\"office-2\""))
            let firm = try #require(
                page.text.firstRange(of: "id=\"office-2\"").map { page.text[$0.lowerBound...].prefix(600) })
            #expect(firm.contains(t("web.role.officer")) && firm.contains("name=\"office\" value=\"2\""))
            #expect(try await browser.get("/agreements/\(agreement)").status == .ok)
            #expect(page.text.contains("<option value=\"2\">"), "the header's switcher offers the firm")
            let switched = try await browser.post("/office", [("office", "2")])
            #expect(switched.status == .seeOther)
            let after = try await browser.get("/offices")
            let now = try #require(
                after.text.firstRange(of: "id=\"office-2\"").map { after.text[$0.lowerBound...].prefix(300) })
            #expect(now.contains(t("web.offices.current")))
            #expect(
                try await browser.get("/agreements/\(agreement)").status == .notFound,
                "the university's, seen from the firm")
        }
    }
}

@Suite("The texts of the record pages")
struct RecordTextTests {
    /// Every text the record pages look up by a record's state, kind or role is in every
    /// language (the templates' own are checked by TemplateTextTests).
    @Test func everyStateKindAndRoleHasItsTextInEveryLanguage() {
        var keys = AgreementWorkflow.State.allCases.map { "web.agreement.state.\($0.rawValue)" }
        keys += Agreement.Kind.allCases.map { "agreement.\($0.rawValue)" }
        keys += Payment.Kind.allCases.map { "web.payment.kind.\($0.rawValue)" }
        keys += Party.Kind.allCases.map { "web.party.kind.\($0.rawValue)" }
        keys += Party.Role.allCases.map { "web.party.role.\($0.rawValue)" }
        keys += Party.Sector.allCases.map { "sector.\($0.rawValue)" }
        keys += Region.allCases.map { "region.\($0.rawValue)" }
        keys += ReportingInterval.allCases.map { "web.interval.\($0.rawValue)" }
        keys += RunningRoyalty.Base.allCases.map { "web.terms.base.\($0.rawValue)" }
        let obligations: [ObligationDeadline.Kind] = [.royaltyReport, .milestone, .optionExercise]
        keys += obligations.map { "web.obligation.\($0.rawValue)" }
        keys += WebRole.allCases.map { "web.role.\($0.rawValue)" }
        let recipients: [Distribution.Recipient] = [
            .sponsor(1), .administration, .patentCosts, .inventor(1), .department, .institution,
        ]
        keys += recipients.map { "web.distribution.recipient.\($0.kind)" }
        for language in Language.allCases {
            let catalog = Catalog.standard(language)
            let missing = keys.filter { !catalog.keys.contains($0) }
            #expect(missing.isEmpty, "\(language) lacks \(missing)")
        }
    }
}
