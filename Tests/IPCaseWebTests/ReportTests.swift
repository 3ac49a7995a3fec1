import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore
import Testing

@testable import IPCaseWeb

@Suite("The indicators report in the browser")
struct ReportTests {
    @Test func theReportOfAPeriodIsTheCommandLinesInTheUsersLanguageWithItsDownloads() async throws {
        let fixture = try await WebFixture.shared.value
        let range = "from=2023-07-01&to=2024-06-30"  // a period the other tests write nothing in
        // What the command line computes for the same office and period, as the owner.
        let owner = try await Store.connect(url: fixture.ownerURL, logger: WebFixture.quiet)
        let period = try ReportPeriod(from: try CivilDate(iso: "2023-07-01"), to: try CivilDate(iso: "2024-06-30"))
        let expected = try await Reporting.indicators(store: owner, period: period, office: 1).json()
        await owner.connection.close()
        try await withBrowser(try fixture.app(), language: "ru") { browser in
            try await browser.signIn(fixture.account(.officer))
            let form = try await browser.get("/report")
            #expect(form.status == .ok)
            #expect(form.text.contains("/report/indicators.json?"))
            let json = try await browser.get("/report/indicators.json?\(range)")
            #expect(json.status == .ok)
            #expect(json.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(json.text == expected, "the same figures as `ipcase report --format json`")
            let html = try await browser.get("/report/indicators.html?\(range)")
            #expect(html.status == .ok)
            #expect(html.text.contains("lang=\"ru\""))
            #expect(html.text.contains("Показатели"))
            #expect(html.headers[.contentSecurityPolicy]?.contains("script") == false, "no script allowed")
            let csv = try await browser.get("/report/autm.csv?\(range)")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("Q7.1"))
            let bad = try await browser.get("/report?from=2025-13-01&to=2025-06-30")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("from"))
        }
        try await withBrowser(try fixture.app()) { browser in
            try await browser.signIn(fixture.account(.inventor))
            #expect(try await browser.get("/report/indicators.json?\(range)").status == .notFound)
        }
    }
}
