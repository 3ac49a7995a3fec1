import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseCLI
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("CSV import by upload")
struct ImportTests {
    static let header =
        "office,ref,family,jurisdiction,kind,title,application_number,filing_date,priority_date,priority_office,priority_number,parent_ref,disclosure,attorney,ipc,state"

    /// A rights.csv row of the university office with reference `reference`.
    static func right(_ reference: String, jurisdiction: String = "KZ", kind: String = "patent", filed: String = "2024-03-01")
        -> String
    {
        ",\(reference),,\(jurisdiction),\(kind),Uploaded right \(reference),,\(filed),,,,,,,,"
    }

    static func unique() -> String { "WEB\(UInt32.random(in: 0...UInt32.max))" }

    /// Uploads `csv` as `kind` from the import page; the response to the upload.
    static func upload(_ browser: Browser, kind: String = "rights", _ csv: String, csrf: Bool = true) async throws
        -> TestResponse
    {
        try await browser.get("/import")
        return try await browser.postFile(
            "/import", [("kind", kind)], file: ("file", "rights.csv", csv), csrf: csrf)
    }

    /// The job's page once its task is done (it refreshes itself until then).
    static func settled(_ browser: Browser, _ location: String) async throws -> TestResponse {
        for _ in 0..<600 {
            let page = try await browser.get(location)
            if !page.text.contains(#"http-equiv="refresh""#) { return page }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("\(location) still running")
    }

    /// The university's rights, but those the other tests here upload meanwhile.
    static func rights(_ fixture: WebFixture) async throws -> Int {
        try await fixture.int("SELECT count(*)::int FROM rights WHERE office_id = 1 AND reference NOT LIKE 'WEB%'")
    }

    @Test func aBadRowShowsEveryProblemBesideItsRowAndNothingIsWritten() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            let prefix = Self.unique()
            let csv = [
                Self.header, Self.right("\(prefix)-1"),
                Self.right("\(prefix)-2", jurisdiction: "XX", filed: "2023-02-30"),
                Self.right("\(prefix)-3", kind: "gadget"),
            ].joined(separator: "\n")
            let before = try await Self.rights(fixture)
            let uploaded = try await Self.upload(browser, csv)
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.location)
            #expect(location.hasPrefix("/import/"))
            let page = try await Self.settled(browser, location)
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains(#"id="import-refused""#))
            #expect(!page.text.contains("import-confirm"), "no confirmation for a file with problems")
            // Each bad row (spreadsheet numbering: the header is row 1) with its problems and values.
            let row3 = try #require(Self.tableRow(page.text, "row-3"))
            #expect(row3.contains("<strong>jurisdiction</strong>: XX has no deadline rules for a patent"))
            #expect(row3.contains("<strong>filing_date</strong>: &#39;2023-02-30&#39; is not a valid date"))
            #expect(row3.contains("Uploaded right \(prefix)-2"), "the row's values beside its problems")
            #expect(row3.contains(#"<div class="bad"><dt>jurisdiction</dt><dd>XX</dd></div>"#))
            let row4 = try #require(Self.tableRow(page.text, "row-4"))
            #expect(row4.contains("<strong>kind</strong>: &#39;gadget&#39; is not one of"))
            #expect(Self.tableRow(page.text, "row-2") == nil, "the good row has no problem")
            #expect(try await Self.rights(fixture) == before, "nothing written")
            // The job is its user's: another user of the office does not find it.
            let admin = Browser(browser.client)
            try await admin.signIn(fixture.account(.admin))
            #expect(try await admin.get(location).status == .notFound)
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0)
        }
    }

    @Test func aRowProblemIsShownInTheUsersLanguage() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app(), language: "ru") { browser in
            try await browser.signIn(fixture.account(.officer))
            let prefix = Self.unique()
            let csv = [Self.header, Self.right("\(prefix)-1", kind: "gadget", filed: "2023-02-30")].joined(
                separator: "\n")
            let uploaded = try await Self.upload(browser, csv)
            let page = try await Self.settled(browser, try #require(uploaded.location))
            #expect(page.status == .unprocessableContent)
            let row = try #require(Self.tableRow(page.text, "row-2"))
            #expect(row.contains("<strong>filing_date</strong>: «2023-02-30» не является допустимой датой"))
            #expect(row.contains("<strong>kind</strong>: «gadget» — недопустимое значение; допустимые значения: patent"))
            #expect(!row.contains("is not a valid date") && !row.contains("is not one of"), "no English left")
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0)
        }
    }

    /// The `<tr id="…">` … `</tr>` of `html`.
    static func tableRow(_ html: String, _ id: String) -> String? {
        guard let start = html.range(of: #"<tr id="\#(id)">"#) else { return nil }
        guard let end = html[start.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test func aGoodFileIsCheckedThenWrittenOnConfirmationAsTheWebUser() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            let officer = fixture.account(.officer)
            try await browser.signIn(officer)
            let prefix = Self.unique()
            let csv = [Self.header, Self.right("\(prefix)-1"), Self.right("\(prefix)-2", filed: "2024-05-02")]
                .joined(separator: "\r\n") + "\r\n"
            let uploaded = try await Self.upload(browser, csv)
            let location = try #require(uploaded.location)
            let checked = try await Self.settled(browser, location)
            #expect(checked.status == .ok)
            #expect(checked.text.contains("2 rows of rights.csv make 2 records to write"))
            #expect(checked.text.contains(#"id="import-confirm""#))
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0,
                "the check writes nothing")

            // The confirmation needs the session's CSRF token.
            #expect(try await browser.post("\(location)/apply", [], csrf: false).status == .forbidden)
            try await browser.get(location)
            let confirmed = try await browser.post("\(location)/apply", [])
            #expect(confirmed.status == .seeOther)
            let done = try await Self.settled(browser, location)
            #expect(done.status == .ok)
            #expect(done.text.contains("Imported in one transaction: 2 records from 2 rows"))
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 2)
            let audited = try await fixture.int(
                """
                SELECT count(*)::int FROM audit_log WHERE office_id = 1 AND table_name = 'rights' AND action = 'INSERT'
                AND actor = 'web/\(officer.login)' AND after->>'reference' LIKE '\(prefix)%'
                """)
            #expect(audited == 2, "the audit trail names the web user")
            // Confirmed twice: refused, nothing written again.
            try await browser.get(location)
            #expect(try await browser.post("\(location)/apply", []).status == .conflict)
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 2)
        }
    }

    /// In process, and over a real socket with the body far past the limit (the server answers
    /// before reading it all).
    @Test(arguments: [false, true])
    func anUploadOverTheLimitIs413AndNothingIsWritten(overASocket: Bool) async throws {
        let fixture = try await WebFixture.shared.value
        let web = try fixture.app { $0.maxUploadBytes = overASocket ? 4096 : 2048 }
        try await withBrowser(web, setup: overASocket ? .live : .router) { browser in
            try await browser.signIn(fixture.account(.officer))
            let prefix = Self.unique()
            let rows = (1...(overASocket ? 4000 : 40)).map { Self.right("\(prefix)-\($0)") }
            let response = try await Self.upload(browser, ([Self.header] + rows).joined(separator: "\n"))
            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("larger than the largest upload accepted (\(overASocket ? 4 : 2) KiB)"))
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0)
        }
    }

    @Test func anUploadWithoutTheCSRFTokenIsRefused() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.admin))
            let response = try await Self.upload(browser, [Self.header, Self.right(Self.unique())].joined(separator: "\n"), csrf: false)
            #expect(response.status == .forbidden)
            #expect(response.location == nil, "no job was made")
        }
    }

    @Test func aJobUnderWayShowsItsProgressAndRefreshesItself() async throws {
        let fixture = try await WebFixture.shared.value
        let web = try fixture.app()
        let officer = fixture.account(.officer)
        let user = try await fixture.int("SELECT id::int FROM web_users WHERE login = '\(officer.login)'")
        // A job as an upload makes it, moved on by hand (no task of its own works on it).
        let id = web.imports.add(
            user: Int64(user), office: 1, kind: .events, fileName: "events.csv", bytes: Data("x".utf8), now: Date())
        try await withBrowser(web) { browser in
            try await browser.signIn(officer)
            web.imports.set(id, .checking(done: 3000, total: 12000))
            let checking = try await browser.get("/import/\(id)")
            #expect(checking.text.contains(#"<meta http-equiv="refresh" content="1">"#))
            #expect(checking.text.contains(#"<progress value="3000" max="12000"></progress> 3000 of 12000 rows"#))
            #expect(checking.text.contains("Checking the rows"))
            web.imports.set(id, .importing(phase: "writing", done: 100, total: 400))
            let writing = try await browser.get("/import/\(id)")
            #expect(writing.text.contains("Writing…") && writing.text.contains("100 of 400 rows"))
            web.imports.set(id, .imported(.init(rows: 400, records: 400, written: 400, jobs: 120)))
            let done = try await browser.get("/import/\(id)")
            #expect(!done.text.contains("http-equiv"), "done: no more refreshing")
            #expect(done.text.contains("400 records from 400 rows; 120 deadline jobs queued"))
        }
    }

    @Test func anUploadWithoutAFileOrKindIsAskedAgain() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.officer))
            try await browser.get("/import")
            let none = try await browser.postFile("/import", [("kind", "rights")], file: ("file", "", ""))
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains("Choose a CSV file to upload."))
            #expect(none.text.contains(#"<option value="rights" selected>"#), "the kind chosen is kept")
            let kind = try await browser.postFile("/import", [("kind", "gadgets")], file: ("file", "x.csv", "a\n1"))
            #expect(kind.status == .unprocessableContent)
            #expect(kind.text.contains("This field is missing or wrong: kind."))
        }
    }

    @Test(arguments: [WebRole.viewer, .inventor, .attorney])
    func onlyAdminsAndOfficersImport(_ role: WebRole) async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(role))
            #expect(try await browser.get("/import").status == .notFound)
            try await browser.get("/")
            #expect(!browser.lastPage.contains(#"href="/import""#), "no Import in the navigation")
            let prefix = Self.unique()
            let response = try await browser.postFile(
                "/import", [("kind", "rights")], file: ("file", "rights.csv", [Self.header, Self.right(prefix)].joined(separator: "\n")))
            #expect(response.status == .notFound)
            #expect(try await fixture.int("SELECT count(*)::int FROM rights WHERE reference LIKE '\(prefix)%'") == 0)
        }
    }

    @Test func aMultipartBodyIsReadFieldByField() throws {
        let body = [
            "--XyZ", #"Content-Disposition: form-data; name="_csrf""#, "", "token", "--XyZ",
            #"Content-Disposition: form-data; name="file"; filename="C:\\data\\my; rights.csv""#, "Content-Type: text/csv",
            "", "a,b\r\n1,2", "--XyZ--", "",
        ].joined(separator: "\r\n")
        let upload = try Upload(.init(string: body), contentType: "multipart/form-data; boundary=XyZ")
        #expect(upload.form["_csrf"] == "token")
        #expect(upload.files["file"]?.name == "my; rights.csv")
        #expect(upload.files["file"].map { String(decoding: $0.bytes, as: UTF8.self) } == "a,b\r\n1,2")
        #expect(Upload.boundary(of: #"multipart/form-data; boundary="a;b""#) == "a;b")
        #expect(Upload.boundary(of: "application/x-www-form-urlencoded") == nil)
        #expect(throws: Upload.Malformed.self) { try Upload(.init(string: body), contentType: "text/csv") }
    }
}
