import Foundation
import IPCase
import IPCaseDaemon
import IPCaseReports
import IPCaseStore
import IPCaseTestSupport
import NIOCore
import ServiceLifecycle
import Testing

@testable import IPCaseWeb

/// The workspace in a real browser: the server on a free loopback port, Debian's Chromium
/// (headless) driven by Selenium through `Browser/driver.py`, a screenshot of every step in
/// `.build/test-artifacts/browser/`.
///
/// Needs `chromium` and `chromium-driver` (apt) and selenium for python3 (pip); `.ci/run`
/// installs them. Without one of them the test fails, saying what to install.
@Suite("The workspace in Chromium")
struct BrowserTests {
    @Test(.timeLimit(.minutes(10)))
    func signInDocketActionsEventsLanguagesAndSignOut() async throws {
        let started = ContinuousClock.now
        let tools = try await Chromium.Tools.find()
        // A database of its own: what this test writes (a language, a completed deadline, a
        // deadline's version) is not what the other suites check meanwhile.
        let fixture = try await WebFixture.make(prefix: "ipcase_browser")
        print("browser tests: the database in \(ContinuousClock.now - started)")
        let web = try fixture.app {
            $0.host = "127.0.0.1"
            $0.port = 0
            // Plain http, as the demo serves. (Chromium 156 counts http://127.0.0.1 as a
            // trustworthy origin and keeps Secure cookies for it too: the test passes either way.)
            $0.secureCookies = false
        }
        try await withServer(web) { base in
            let browser = try await Chromium.start(base: base, tools: tools)
            do {
                try await Self.scenarios(browser, fixture)
                await browser.close()
            } catch {
                await browser.close()
                throw error
            }
        }
        print("browser tests: \(ContinuousClock.now - started) in all")
    }

    static func scenarios(_ browser: Chromium, _ fixture: WebFixture) async throws {
        let en = Localizer(.english), kk = Localizer(.kazakh), ru = Localizer(.russian)
        let attorney = fixture.account(.attorney), officer = fixture.account(.officer)

        // Signed out, the sign-in page in English (the browser's Accept-Language); its
        // language buttons switch it (a cookie).
        var page = try await browser.open("/")
        #expect(page.path == "/signin", "signed out, / sends to sign-in")
        #expect(page.lang == "en")
        #expect(try await browser.texts("main h1") == [en("web.signin.title")])
        try await browser.screenshot("signin")
        page = try await browser.click("button[name=language][value=ru]")
        #expect(page.path == "/signin")
        #expect(page.lang == "ru")
        #expect(try await browser.texts("main h1") == [ru("web.signin.title")])
        try await browser.screenshot("signin-russian")
        page = try await browser.click("button[name=language][value=en]")
        #expect(page.lang == "en")

        // 1. The attorney (the firm, office 2) signs in: the dashboard, then the docket.
        page = try await browser.signIn(attorney)
        #expect(page.path == "/")
        #expect(page.cookies["ipcase_session"] != nil, "signed in: the session cookie")
        #expect(page.cookies["ipcase_signin"] == nil, "the sign-in form's cookie is spent")
        #expect(try await browser.texts(".who").first?.contains("Demo attorney") == true)
        #expect(try await browser.texts("#pipeline") == [en("web.dashboard.records")], "the office's record counts")
        try await browser.screenshot("dashboard")
        page = try await browser.click("nav a[href='/docket']")
        #expect(page.path == "/docket")
        let open = try await browser.deadlines()
        #expect(open.count > 10, "the firm's open deadlines")
        try await browser.screenshot("docket")

        try await browser.type("form.filters input[name=jurisdiction]", "EP")
        page = try await browser.click("form.filters button[type=submit]")
        #expect(page.path == "/docket")
        #expect(page.url.contains("jurisdiction=EP"))
        let ep = try await browser.deadlines()
        let expected = try await fixture.rows(
            """
            SELECT d.id FROM deadlines d JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
            WHERE d.office_id = 2 AND r.jurisdiction = 'EP' AND d.status = 'open' ORDER BY d.id
            """
        ).map { try $0.decode(Int64.self, at: 0) }
        #expect(ep.count >= 2)
        #expect(ep.sorted() == expected, "the EP filter shows exactly the office's open EP deadlines")
        #expect(ep.count < open.count)
        let rights = try await browser.texts("tr[id^=deadline-] td:nth-child(3)")
        #expect(!rights.isEmpty && rights.allSatisfy { $0.split(separator: "\n").first?.hasSuffix(" EP") == true },
            "every row is an EP right's: \(rights.prefix(3))")
        try await browser.screenshot("docket-ep")

        // 2. A deadline done, with a reason: back on the filtered docket, without it.
        let done = ep[0]
        try await browser.type("#deadline-\(done) input[name=reason]", "paid, browser test")
        page = try await browser.click("#deadline-\(done) button[value=done]")
        #expect(page.path == "/docket")
        #expect(page.url.contains("jurisdiction=EP"), "back on the page the action came from")
        #expect(!(try await browser.deadlines()).contains(done))
        let row = try await fixture.rows("SELECT status, completed_reason FROM deadlines WHERE id = \(done)")[0]
        #expect(try row.decode(String.self, at: 0) == "done")
        #expect(try row.decode(String.self, at: 1) == "paid, browser test")
        #expect(
            try await fixture.int(
                """
                SELECT count(*)::int FROM audit_log WHERE table_name = 'deadlines' AND record_id = \(done)
                  AND actor = 'web/\(attorney.login)'
                """) == 1, "the audit trail names the web user")
        try await browser.screenshot("deadline-done")

        // 5. A stale page: the deadline changed since the docket was shown; Done is refused
        // with a message, and nothing is written.
        let stale = ep[1]
        let shown = try await browser.attributes("#deadline-\(stale) input[name=version]", "value")
        let before = try await fixture.int("SELECT version FROM deadlines WHERE id = \(stale)")
        #expect(!shown.isEmpty && shown.allSatisfy { $0 == String(before) }, "the forms carry the version shown: \(shown)")
        _ = try await fixture.rows("UPDATE deadlines SET version = version + 1 WHERE id = \(stale) RETURNING id")
        let changed = try await fixture.int("SELECT version FROM deadlines WHERE id = \(stale)")
        #expect(changed > before)
        let audited = try await fixture.int("SELECT count(*)::int FROM audit_log WHERE table_name = 'deadlines' AND record_id = \(stale)")
        try await browser.type("#deadline-\(stale) input[name=reason]", "paid, but the page is old")
        page = try await browser.click("#deadline-\(stale) button[value=done]")
        #expect(try await browser.texts("main h1") == [en("web.error.refused")])
        #expect(try await browser.texts("main .message[role=alert]").first?.hasPrefix(en("web.error.conflict")) == true)
        let kept = try await fixture.rows("SELECT status, version, completed_reason FROM deadlines WHERE id = \(stale)")[0]
        #expect(try kept.decode(String.self, at: 0) == "open")
        #expect(try kept.decode(Int.self, at: 1) == changed)
        #expect(try kept.decode(String?.self, at: 2) == nil)
        #expect(
            try await fixture.int("SELECT count(*)::int FROM audit_log WHERE table_name = 'deadlines' AND record_id = \(stale)")
                == audited, "nothing written")
        try await browser.screenshot("refused-stale")
        page = try await browser.click("main a")  // back
        #expect(page.path == "/docket")
        #expect(page.url.contains("jurisdiction=EP"), "back to the filtered docket")
        let remaining = try await browser.deadlines()
        #expect(remaining.contains(stale), "still open")

        // 4. Kazakh, then Russian, with the language buttons: kept as the user's, on the same
        // page with the same filter.
        page = try await browser.click("button[name=language][value=kk]")
        #expect(page.lang == "kk")
        #expect(page.path == "/docket")
        #expect(page.url.contains("jurisdiction=EP"), "the filter is kept")
        #expect(try await browser.deadlines() == remaining)
        #expect(try await browser.texts("main h1") == [kk("web.nav.docket")])
        #expect(try await browser.texts("#signout") == [kk("web.signout")])
        #expect(try await fixture.rows("SELECT language FROM web_users WHERE login = '\(attorney.login)'")[0]
            .decode(String?.self, at: 0) == "kk")
        try await browser.screenshot("kazakh")
        page = try await browser.click("button[name=language][value=ru]")
        #expect(page.lang == "ru")
        #expect(try await browser.texts("main h1") == [ru("web.nav.docket")])
        #expect(try await browser.texts("#signout") == [ru("web.signout")])
        #expect(try await browser.texts("main th").contains(ru("web.docket.due")))
        try await browser.screenshot("russian")
        page = try await browser.click("button[name=language][value=en]")
        #expect(page.lang == "en")
        #expect(try await browser.texts("main h1") == [en("web.nav.docket")])

        // 6. Signing out: back at sign-in, the cookie and the session gone, / sends to sign-in.
        let token = try #require(page.cookies["ipcase_session"])
        page = try await browser.click("#signout")
        #expect(page.path == "/signin")
        #expect(page.cookies["ipcase_session"] == nil, "the session cookie is gone")
        #expect(
            try await fixture.int(
                "SELECT count(*)::int FROM web_sessions WHERE token_hash = sha256(convert_to('\(token)', 'UTF8'))") == 0,
            "the session row is gone")
        page = try await browser.open("/docket")
        #expect(page.path == "/signin", "signed out, a page sends to sign-in")
        try await browser.screenshot("signed-out")

        // 3. The officer (the university, office 1) records an office action on a KZ
        // application; once the daemon's processing has run, the right's page shows the
        // response deadline it brings.
        let right = try await fixture.int(
            """
            SELECT r.id::int FROM rights r WHERE r.office_id = 1 AND r.jurisdiction = 'KZ' AND r.state = 'filed'
              AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.office_id = 1 AND d.right_id = r.id
                              AND d.type = 'office_action_response')
            ORDER BY r.id LIMIT 1
            """)
        page = try await browser.signIn(officer)
        #expect(page.path == "/")
        page = try await browser.open("/rights/\(right)")
        #expect(page.path == "/rights/\(right)")
        let listedBefore = try await browser.deadlines()
        #expect(try await browser.attributes("#record-event input[name=date]", "value") == ["2025-06-30"], "today")
        try await browser.screenshot("right")
        try await browser.choose("#record-event select[name=kind]", "office-action")
        try await browser.type("#record-event input[name=reference]", "OA-BROWSER-1")
        page = try await browser.click("#record-event button[type=submit]")
        #expect(page.path == "/rights/\(right)")
        #expect(try await browser.texts("main .message").isEmpty, "no refusal")
        #expect(try await browser.texts(".timeline li").contains { $0.contains("office action") && $0.contains("OA-BROWSER-1") })
        let events = try await fixture.rows(
            """
            SELECT recorded_by FROM right_events WHERE office_id = 1 AND right_id = \(right) AND kind = 'office-action'
              AND event_date = DATE '2025-06-30' AND reference = 'OA-BROWSER-1'
            """)
        #expect(try events.map { try $0.decode(String.self, at: 0) } == ["web/\(officer.login)"])
        try await browser.screenshot("right-event-recorded")

        let owner = try await Store.connect(url: fixture.ownerURL, logger: WebFixture.quiet)
        _ = try await DeadlineProcessing.processPendingJobs(store: owner, asOf: WebFixture.asOf, logger: WebFixture.quiet)
        await owner.connection.close()
        page = try await browser.open("/rights/\(right)")
        let stored = try await fixture.rows(
            "SELECT id FROM deadlines WHERE office_id = 1 AND right_id = \(right) ORDER BY id"
        ).map { try $0.decode(Int64.self, at: 0) }
        let response = try await fixture.rows(
            """
            SELECT id FROM deadlines WHERE office_id = 1 AND right_id = \(right)
              AND type = 'office_action_response' AND status = 'open'
            """
        ).map { try $0.decode(Int64.self, at: 0) }
        let listed = try await browser.deadlines()
        #expect(response.count == 1, "the office action's response deadline")
        #expect(listed.sorted() == stored, "the page lists every deadline of the right")
        #expect(Set(listed).isSuperset(of: response) && !listedBefore.contains(response.first ?? -1))
        #expect(try await browser.texts("#deadline-\(response.first ?? -1) td:nth-child(3)").first?
            .contains("office action response") == true)
        try await browser.screenshot("right-deadlines")

        // 8. The officer uploads a rights.csv with a bad row: its problems are shown beside
        // it, with its values, and nothing is written.
        let prefix = "BROWSER\(UInt32.random(in: 0...UInt32.max))"
        let header = RecordFile.rights.columns.joined(separator: ",")
        let csv = [
            header, ",\(prefix)-1,,KZ,patent,Good upload,,2024-03-01,,,,,,,,",
            ",\(prefix)-2,,XX,patent,Bad upload,,2023-02-30,,,,,,,,",
        ].joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-rights.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        page = try await browser.click("nav a[href='/import']")
        #expect(page.path == "/import")
        try await browser.choose("#import-form select[name=kind]", "rights")
        try await browser.upload("#import-form input[name=file]", file.path)
        page = try await browser.click("#import-check")
        #expect(page.path.hasPrefix("/import/"))
        var refused: [String] = []
        for _ in 0..<100 {
            refused = try await browser.texts("#import-refused")
            if !refused.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
            page = try await browser.open(page.path)
        }
        #expect(refused.first?.contains(en("web.import.refused")) == true)
        let cells = try await browser.texts("#row-3 td")
        #expect(cells.count == 3)
        #expect(cells.first == "3", "the row as a spreadsheet numbers it")
        #expect(cells.dropFirst().first?.contains("jurisdiction: XX has no deadline rules for a patent") == true)
        #expect(cells.dropFirst().first?.contains("filing_date: '2023-02-30' is not a valid date") == true)
        #expect(cells.last?.contains("Bad upload") == true && cells.last?.contains("XX") == true, "the row's values beside")
        #expect(try await browser.texts("#row-2").isEmpty, "the good row has no problem")
        #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0)
        try await browser.screenshot("import-bad-row")

        // 9. An ICS subscription with the docket's filters: its address shown once, listed
        // with a revoke button.
        page = try await browser.open("/docket?within=60")
        #expect(try await browser.script("return document.querySelector('#calendar').open") as? Bool == false,
            "folded until asked for")
        _ = try await browser.script("document.querySelector('#calendar summary').click()")
        try await browser.type("#calendar input[name=name]", "Browser test")
        page = try await browser.click("#calendar-make")
        let address = try await browser.texts("#new-calendar").first ?? ""
        #expect(address.hasPrefix("http://127.0.0.1:") && address.hasSuffix(".ics") && address.contains("/calendar/"))
        #expect(try await browser.texts("#calendar tbody tr").contains { $0.contains("Browser test") && $0.contains("within=60") })
        try await browser.screenshot("docket-calendar")
        page = try await browser.open("/rights/\(right)")

        // 10. The officer follows the licence of the inventor's disclosure to its largest
        // payment and distributes it by the policy; the inventor finds their statement from
        // the dashboard, their own line only.
        let inventor = fixture.account(.inventor)
        let party = try #require(inventor.party)
        let licence = try await fixture.int(
            """
            SELECT a.id::int FROM agreements a WHERE a.office_id = 1
              AND EXISTS (SELECT FROM agreement_rights ar
                          JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                          JOIN disclosure_inventors i ON i.office_id = r.office_id AND i.disclosure_id = r.disclosure_id
                          WHERE ar.office_id = a.office_id AND ar.agreement_id = a.id AND i.party_id = \(party.rawValue))
            ORDER BY (SELECT count(*) FROM payments p WHERE p.agreement_id = a.id) DESC, a.id LIMIT 1
            """)
        let payment = try await fixture.int(
            "SELECT id::int FROM payments WHERE agreement_id = \(licence) ORDER BY amount_minor DESC, id LIMIT 1")
        page = try await browser.click("nav a[href='/agreements']")
        #expect(page.path == "/agreements")
        page = try await browser.click("#agreement-\(licence) a")
        #expect(page.path == "/agreements/\(licence)")
        try await browser.screenshot("agreement")
        page = try await browser.click("#payment-\(payment) a")
        #expect(page.path == "/payments/\(payment)")
        page = try await browser.click("#distribute button[type=submit]")
        #expect(page.path == "/payments/\(payment)")
        #expect(try await browser.texts("main .message").isEmpty, "no refusal")
        #expect(try await browser.attributes("#distribute", "id").isEmpty, "distributed once")
        try await browser.screenshot("payment-distributed")
        let share = try await fixture.rows(
            """
            SELECT l.amount_minor FROM distribution_lines l
            JOIN distributions d ON d.office_id = l.office_id AND d.id = l.distribution_id
            WHERE d.payment_id = \(payment) AND d.superseded_at IS NULL AND l.party_id = \(party.rawValue)
            """
        ).map { try $0.decode(Int64.self, at: 0) }
        #expect(share.count == 1, "the inventor has a line")
        page = try await browser.signIn(inventor)
        #expect(page.path == "/")
        page = try await browser.click("#my-distributions")
        #expect(page.path == "/distributions")
        #expect(try await browser.texts(".statement .share") == share.map { en.money(Money(minorUnits: $0, .kzt)) })
        #expect(try await browser.texts("table.statement tbody tr").count == 1, "their own line only")
        try await browser.screenshot("inventor-statement")

        // 7. The CSP held on every page: no console errors about it. And the console is read
        // indeed: an inline script added now is refused, and that is logged.
        let csp = browser.console.filter(\.isCSP)
        #expect(csp.isEmpty, "CSP violations: \(csp)")
        // Nor any other error but the statuses of responses (the refused page's 409, the
        // favicon the workspace has none of).
        let severe = browser.console.filter { $0.level == "SEVERE" && !$0.isResponseStatus }
        #expect(severe.isEmpty, "console errors: \(severe)")
        _ = try await browser.script(
            "var s = document.createElement('script'); s.textContent = 'document.title = 1'; document.body.appendChild(s)")
        let probe = try await browser.attributes("html", "lang")  // an answer carries the log so far
        let here = page.path
        #expect(browser.console.contains { $0.isCSP && $0.path == here },
            "an inline script is refused and the console says so: \(browser.console.suffix(3)) \(probe)")
        #expect(try await browser.title() != "1", "the inline script did not run")
    }
}

/// Runs `body` with the server of `web` listening (on the port its configuration names, 0: a
/// free one), given its base URL; stops the server after.
func withServer<T: Sendable>(_ web: WebApp, _ body: (String) async throws -> T) async throws -> T {
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    let application = web.application { channel in
        bound.yield(channel.localAddress?.port ?? 0)
        bound.finish()
    }
    let group = ServiceGroup(
        configuration: .init(services: [application], gracefulShutdownSignals: [], logger: WebFixture.quiet))
    let server = Task {
        defer { bound.finish() }
        try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    let port = await iterator.next() ?? 0
    let result: Result<T, any Error>
    if port > 0 {
        do { result = .success(try await body("http://\(web.configuration.host):\(port)")) } catch { result = .failure(error) }
    } else {
        result = .failure(Failure("the server did not start listening"))
    }
    await group.triggerGracefulShutdown()
    try await server.value
    return try result.get()
}

/// Debian's Chromium, headless, under Selenium (`Browser/driver.py` through
/// ``Python/session(file:arguments:packages:environment:)``): each step an action, and what the
/// browser then shows. The browser console's entries are gathered in ``console``; the
/// screenshots are numbered in order.
final class Chromium {
    /// Where the browser is after a step.
    struct Page {
        var url: String
        var path: String
        var title: String
        var lang: String?
        var cookies: [String: String]
        var result: Any?
    }

    /// A browser console entry, with the path of the page it was read on.
    struct ConsoleEntry: CustomStringConvertible {
        var path: String
        var level: String
        var message: String
        var isCSP: Bool { message.localizedCaseInsensitiveContains("Content Security Policy") }
        var isResponseStatus: Bool { message.contains("Failed to load resource: the server responded with a status of") }
        var description: String { "\(path): \(level) \(message)" }
    }

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// `.build/test-artifacts/browser/` of this package.
    static let artifacts = sources.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/test-artifacts/browser")

    private let session: Python.Session
    private let work: URL
    private(set) var console: [ConsoleEntry] = []
    private var step = 0

    private init(session: Python.Session, work: URL) {
        self.session = session
        self.work = work
    }

    /// The path of `tool`: on PATH, in /usr/bin or in /usr/lib/chromium.
    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"])
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What the browser tests need, found: the paths of chromium and chromedriver, and
    /// selenium importable (installed by pip if it is not). Fails, saying what to install.
    struct Tools {
        var chromium: String
        var chromedriver: String

        static func find() async throws -> Tools {
            let chromium = try #require(
                Chromium.find("chromium"), "chromium is not installed: install it with `apt-get install chromium` (.ci/run does)")
            let chromedriver = try #require(
                Chromium.find("chromedriver"),
                "chromedriver is not installed: install it with `apt-get install chromium-driver` (.ci/run does)")
            do {
                _ = try await Python.script("import selenium.webdriver", packages: ["selenium"])
            } catch {
                throw Failure(
                    "selenium for python3 is missing and could not be installed: install it with "
                        + "`python3 -m pip install selenium` (.ci/run does). \(error)")
            }
            return Tools(chromium: chromium, chromedriver: chromedriver)
        }
    }

    /// Starts Chromium on `base`.
    static func start(base: String, tools: Tools) async throws -> Chromium {
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        for old in try FileManager.default.contentsOfDirectory(atPath: artifacts.path) where old.hasSuffix(".png") {
            try FileManager.default.removeItem(at: artifacts.appendingPathComponent(old))
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let session = try await Python.session(
            file: sources.appendingPathComponent("Browser/driver.py"),
            arguments: [base, tools.chromium, tools.chromedriver, work.path], packages: ["selenium"],
            // Chromium's own files in the work directory; Selenium Manager never downloads.
            environment: ["HOME": work.path, "SE_OFFLINE": "true", "SE_AVOID_STATS": "true"])
        let browser = Chromium(session: session, work: work)
        let hello = try await browser.answer(try await session.next())
        print("browser tests: Chromium \(hello["result"] as? String ?? "?") at \(base)")
        return browser
    }

    func close() async {
        _ = try? await session.request(#"{"do": "quit"}"#)
        await session.close()
        try? FileManager.default.removeItem(at: work)
    }

    /// Sends `command`; what the browser shows after it.
    @discardableResult
    func send(_ command: [String: String]) async throws -> Page {
        let line = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        let answer = try await answer(try await session.request(line))
        let path = answer["path"] as? String ?? ""
        for entry in answer["log"] as? [[String: Any]] ?? [] {
            console.append(
                ConsoleEntry(path: path, level: entry["level"] as? String ?? "", message: entry["message"] as? String ?? ""))
        }
        return Page(
            url: answer["url"] as? String ?? "", path: path, title: answer["title"] as? String ?? "",
            lang: answer["lang"] as? String, cookies: answer["cookies"] as? [String: String] ?? [:],
            result: answer["result"])
    }

    private func answer(_ line: String) async throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure("the browser driver answered \(line): \(await session.standardError)")
        }
        if let error = object["error"] as? String { throw Failure("the browser: \(error)") }
        return object
    }

    @discardableResult
    func open(_ path: String) async throws -> Page { try await send(["do": "open", "path": path]) }
    @discardableResult
    func click(_ css: String) async throws -> Page { try await send(["do": "click", "css": css]) }
    func type(_ css: String, _ text: String) async throws { try await send(["do": "type", "css": css, "text": text]) }
    func choose(_ css: String, _ value: String) async throws { try await send(["do": "choose", "css": css, "value": value]) }
    func upload(_ css: String, _ path: String) async throws { try await send(["do": "upload", "css": css, "path": path]) }
    func script(_ source: String) async throws -> Any? { try await send(["do": "script", "source": source]).result }

    func title() async throws -> String { try await send(["do": "attributes", "css": "html", "name": "lang"]).title }

    func texts(_ css: String) async throws -> [String] {
        try await send(["do": "texts", "css": css]).result as? [String] ?? []
    }

    func attributes(_ css: String, _ name: String) async throws -> [String] {
        try await send(["do": "attributes", "css": css, "name": name]).result as? [String] ?? []
    }

    /// The ids of the deadlines the page lists (`<tr id="deadline-…">`).
    func deadlines() async throws -> [Int64] {
        try await attributes("tr[id^=deadline-]", "id").compactMap { Int64($0.dropFirst("deadline-".count)) }
    }

    /// Signs in from the sign-in page.
    func signIn(_ account: WebDemo.Account) async throws -> Page {
        try await open("/signin")
        try await type("input[name=login]", account.login)
        try await type("input[name=password]", account.password)
        return try await click("form.stacked button[type=submit]")
    }

    /// Saves a PNG of the window as `NN-name.png` in ``artifacts`` and prints its path.
    func screenshot(_ name: String) async throws {
        step += 1
        let file = Self.artifacts.appendingPathComponent((step < 10 ? "0" : "") + "\(step)-\(name).png")
        try await send(["do": "screenshot", "file": file.path])
        print("browser tests: screenshot \(file.path)")
    }
}
