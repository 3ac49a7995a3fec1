import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("Signing in and out")
struct SignInTests {
    @Test func anOfficerSignsInSeesTheDashboardAndSignsOut() async throws {
        let fixture = try await WebFixture.shared.value
        let officer = fixture.account(.officer)
        try await withBrowser(try fixture.app()) { browser in
            let form = try await browser.get("/signin")
            #expect(form.status == .ok)
            #expect(browser.csrfToken != nil, "the sign-in form carries a CSRF token")
            let signIn = try await browser.post("/signin", [("login", officer.login.uppercased()), ("password", officer.password)])
            #expect(signIn.status == .seeOther)
            #expect(signIn.location == "/")
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("ipcase_session=") })
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
                #expect(cookie.contains(attribute), "session cookie: \(cookie)")
            }
            let dashboard = try await browser.get("/")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Demo officer"))
            #expect(dashboard.text.contains("Overdue ("))
            #expect(dashboard.text.contains("Due in the next 30 days ("))

            let token = try #require(browser.cookies["ipcase_session"])
            let out = try await browser.post("/signout", [])
            #expect(out.status == .seeOther)
            #expect(out.location == "/signin")
            #expect(browser.cookies["ipcase_session"] == nil)
            let after = try await browser.get("/")
            #expect(after.status == .seeOther, "signed out: back to sign-in")
            #expect(
                try await fixture.int(
                    "SELECT count(*)::int FROM web_sessions WHERE token_hash = sha256(convert_to('\(token)', 'UTF8'))") == 0,
                "the session row is gone")
        }
    }

    @Test func signInStartsANewSessionWhateverCookieTheBrowserBrought() async throws {
        let fixture = try await WebFixture.shared.value
        let officer = fixture.account(.officer)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(officer)
            let first = try #require(browser.cookies["ipcase_session"])
            try await browser.get("/signin")
            try await browser.post("/signin", [("login", officer.login), ("password", officer.password)])
            let second = try #require(browser.cookies["ipcase_session"])
            #expect(first != second, "a new session id at every sign-in")
            // A token made up by an attacker is never adopted.
            browser.cookies["ipcase_session"] = "A" + String(repeating: "b", count: 42)
            let page = try await browser.get("/")
            #expect(page.status == .seeOther)
        }
    }

    @Test func aWrongPasswordAndAnUnknownLoginGetTheSameAnswer() async throws {
        let fixture = try await WebFixture.shared.value
        let viewer = fixture.account(.viewer)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.get("/signin")
            let wrong = try await browser.post("/signin", [("login", viewer.login), ("password", "not the password")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("The login, password or code is wrong."))
            try await browser.get("/signin")
            let unknown = try await browser.post("/signin", [("login", "nobody@example.kz"), ("password", "whatever")])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.text.contains("The login, password or code is wrong."))
            try await browser.get("/signin")
            let empty = try await browser.post("/signin", [("login", viewer.login), ("password", "")])
            #expect(empty.status == .unprocessableContent)
        }
    }

    @Test func theSignInFormIsRefusedWithoutItsCSRFToken() async throws {
        let fixture = try await WebFixture.shared.value
        let officer = fixture.account(.officer)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.get("/signin")
            let refused = try await browser.post(
                "/signin", [("login", officer.login), ("password", officer.password)], csrf: false)
            #expect(refused.status == .forbidden)
            #expect(browser.cookies["ipcase_session"] == nil)
        }
    }

    @Test func anAccountIsLockedAfterFailedSignInsAndAnAddressIsLimited() async throws {
        let fixture = try await WebFixture.shared.value
        // A user of its own, so the lock does not spill into other tests.
        let account = try await fixture.user("t-lock", [(1, .viewer)], password: "correct horse battery staple")
        let (login, password) = (account.login, account.password)
        try await withBrowser(try fixture.app { $0.accountAttempts = 3 }) { browser in
            for _ in 0..<3 {
                try await browser.get("/signin")
                let wrong = try await browser.post("/signin", [("login", login), ("password", "wrong")])
                #expect(wrong.status == .unauthorized)
            }
            try await browser.get("/signin")
            let locked = try await browser.post("/signin", [("login", login), ("password", password)])
            #expect(locked.status == .tooManyRequests, "the right password is refused while the account is locked")
            #expect(locked.text.contains("locked"))
        }
        try await withBrowser(try fixture.app { $0.addressAttempts = 2 }) { browser in
            for _ in 0..<2 {
                try await browser.get("/signin")
                try await browser.post("/signin", [("login", "nobody"), ("password", "x")])
            }
            try await browser.get("/signin")
            let limited = try await browser.post("/signin", [("login", "nobody"), ("password", "x")])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func aSecondFactorIsAskedForWhenTheUserHasOne() async throws {
        let fixture = try await WebFixture.shared.value
        let login = "t-totp-\(UInt32.random(in: 0...UInt32.max))@demo.ipcase.kz"
        let password = "a long enough password"
        let secret = "k3Y8vQ2mR7tW1zX5cN9bL4"
        let store = try await Store.connect(url: fixture.ownerURL)
        let hash = await Secrets.hash(password, cost: 12)
        try await store.withService(actor: "test") { session in
            _ = try await session.createWebUser(login: login, name: "Totp", email: nil, passwordHash: hash, language: nil)
            try await session.grantWebOffice(login: login, office: 1, role: .viewer, party: nil)
            try await session.setWebTOTPSecret(login: login, secret: secret)
        }
        await store.connection.close()
        let code = TOTPCheck.code(key: Array(secret.utf8), at: WebFixture.now)
        try await withBrowser(try fixture.app()) { browser in
            try await browser.get("/signin")
            let without = try await browser.post("/signin", [("login", login), ("password", password)])
            #expect(without.status == .unauthorized)
            try await browser.get("/signin")
            let with = try await browser.post("/signin", [("login", login), ("password", password), ("code", code)])
            #expect(with.status == .seeOther)
        }
    }
}

@Suite("Pages render no placeholder text")
struct RenderingTests {
    @Test func noPageShowsNilOrAnUnfilledKey() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            var pages = [try await browser.get("/signin")]
            try await browser.signIn(fixture.account(.officer))
            let right = try await fixture.int("SELECT id::int FROM rights WHERE office_id = 1 ORDER BY id LIMIT 1")
            let agreement = try await fixture.int("SELECT id::int FROM agreements WHERE office_id = 1 ORDER BY id LIMIT 1")
            let payment = try await fixture.int("SELECT id::int FROM payments WHERE office_id = 1 ORDER BY id LIMIT 1")
            let party = try await fixture.int("SELECT id::int FROM parties WHERE office_id = 1 ORDER BY id LIMIT 1")
            for path in [
                "/", "/docket", "/rights", "/rights/\(right)", "/docket?within=x", "/agreements", "/agreements/\(agreement)",
                "/payments", "/payments/\(payment)", "/distributions", "/parties", "/parties/\(party)", "/offices", "/import",
            ] { pages.append(try await browser.get(path)) }
            for page in pages {
                #expect(!page.text.contains(">nil<") && !page.text.contains(" nil<") && !page.text.contains("Optional("))
                #expect(!page.text.contains("{{") && !page.text.contains("web."), "an unfilled template or catalog key")
            }
        }
    }
}

@Suite("The templates' texts")
struct TemplateTextTests {
    /// Every `{{t.key}}` a template shows is a text of every language's catalog (a missing one
    /// would render as nothing).
    @Test func everyTextATemplateShowsIsInEveryLanguage() throws {
        let views = try Views()
        var used: Set<String> = []
        for file in EmbeddedFiles.all where file.path.hasSuffix(".mustache") {
            for match in file.contents.matches(of: /\{\{t\.([A-Za-z0-9_-]+)\}\}/) { used.insert(String(match.1)) }
        }
        #expect(used.count > 50)
        for (language, texts) in views.texts {
            let missing = used.subtracting(texts.keys).sorted()
            #expect(missing.isEmpty, "\(language) lacks \(missing)")
        }
    }
}
