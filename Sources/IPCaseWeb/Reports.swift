import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The indicators report of a chosen period (the command line's, in the user's language),
    /// and its downloads: the HTML document, its JSON, and the AUTM survey's CSV.
    func addReports(to router: Router<WebContext>) {
        router.get("/report") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await reportForm(signed, query: Form(query: request.uri.query))
            }
        }
        router.get("/report/{file}") { request, context in
            let file = try context.parameters.require("file")
            return try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await reportFile(signed, file: file, query: Form(query: request.uri.query))
            }
        }
    }

    /// The period of the query (`from`, `to`), by default the twelve months up to today; the
    /// problems name the field.
    func period(_ signed: Signed, _ query: Form) async throws -> (from: String, to: String, period: ReportPeriod?, problems: [String]) {
        let t = signed.localizer
        let office = try await signed.currentOffice()
        let today = today(in: office.timeZoneIdentifier)
        let from = query.text("from") ?? today.adding(days: -364).description
        let to = query.text("to") ?? today.description
        var problems: [String] = []
        var first: CivilDate?, last: CivilDate?
        do { first = try CivilDate(iso: from) } catch { problems.append(t("web.docket.bad-date", ["field": "from"])) }
        do { last = try CivilDate(iso: to) } catch { problems.append(t("web.docket.bad-date", ["field": "to"])) }
        var period: ReportPeriod?
        if let first, let last {
            do { period = try ReportPeriod(from: first, to: last) } catch { problems.append("to: \(error)") }
        }
        return (from, to, period, problems)
    }

    func reportForm(_ signed: Signed, query: Form) async throws -> Response {
        let t = signed.localizer
        let (from, to, _, problems) = try await period(signed, query)
        let range = "from=\(from)&to=\(to)"
        return views.page(
            "report", title: t("web.nav.report"), chrome: try await chrome(signed),
            data: [
                "from": from, "to": to, "problems": problems, "hasProblems": !problems.isEmpty,
                "html": "/report/indicators.html?\(range)", "json": "/report/indicators.json?\(range)",
                "autm": "/report/autm.csv?\(range)",
            ], status: problems.isEmpty ? .ok : .unprocessableContent)
    }

    func reportFile(_ signed: Signed, file: String, query: Form) async throws -> Response {
        guard ["indicators.html", "indicators.json", "autm.csv"].contains(file) else { throw Refusal.notFound }
        let (_, _, period, problems) = try await period(signed, query)
        guard let period else { return try await reportForm(signed, query: query) }
        _ = problems
        let office = signed.record.office.office
        let portfolio = try await Reporting.officePortfolio(signed.office)
        let officeName = portfolio.offices.first?.name
        var headers = HTTPFields()
        let body: String
        switch file {
        case "indicators.html":
            let report = try IndicatorReport.compute(for: period, from: portfolio, office: office)
            body = report.html(officeName: officeName, language: signed.language)
            headers[.contentType] = "text/html; charset=utf-8"
            // The report is a document of its own, with its style sheet inline.
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
        case "indicators.json":
            body = try IndicatorReport.compute(for: period, from: portfolio, office: office).json()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"indicators-\(period.from)-\(period.to).json\""
        default:
            body = try AUTMSurvey.compute(for: period, from: portfolio, office: office, researchExpenditure: nil, rates: nil).csv()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"autm-\(period.from)-\(period.to).csv\""
        }
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
