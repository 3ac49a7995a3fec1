import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseReports

/// `ipcase report [indicators]|autm`: reports of a period.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports of a period: the indicators (the default) and the AUTM survey's answers.",
        discussion: """
            Examples:
              ipcase report --from 2025-01-01 --to 2025-12-31 --office 1   # indicators
              ipcase report autm --from 2025-01-01 --to 2025-12-31 --office 1 --format csv
            """,
        subcommands: [IndicatorsReport.self, AUTMReport.self], defaultSubcommand: IndicatorsReport.self)
}

/// `ipcase report [indicators]`: indicators for a period.
struct IndicatorsReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Indicators for a period: AUTM licensing-survey metrics and Kazakh policy indicators.",
        discussion: """
            Examples:
              ipcase report --from 2025-01-01 --to 2025-12-31 --office 1
              ipcase report --from 2025-01-01 --to 2025-12-31 --format html --output \\
                  report.html
              ipcase report --from 2025-01-01 --to 2025-12-31 --format json
              ipcase report --from 2025-01-01 --to 2025-12-31 --rates rates.csv
              ipcase report --from 2025-01-01 --to 2025-12-31 --office 1 --format html \\
                  --prepared-by "A. Seitkali, head of the TTO" --output report.html
              ipcase report --from 2025-01-01 --to 2025-12-31 --office 1 --format html \\
                  --language ru --rates rates.csv --output report-ru.html

            --language kk|ru|en (default en) writes the table and the HTML in Kazakh, Russian or
            English: every label from the message catalogs, dates as 31.12.2025 and amounts as
            1 234 567,89 ₸ in Kazakh and Russian. The JSON is the same in every language.

            --rates names a CSV of your exchange rates (never fetched): columns currency, date,
            kzt, source and optionally units, e.g. 'USD,2025-01-02,525.11,NBK official rate'.
            Every money total kept per currency (licence and commercialization income, exports,
            income by region, grant funding and co-financing, venture investment and grants to
            start-ups, patent costs) is then also given in KZT, each amount at the latest rate on
            or before its day; each total names the rates it used and any amount without one,
            and the report lists every rate used once.
            """
    )

    @OptionGroup var store: ReadStoreOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "table, json or html.") var format: String = "table"
    @Option(
        name: .customLong("prepared-by"),
        help: "Who prepares the report (name and position): with the office's name and today's date in it.")
    var preparedBy: String?
    @Option(help: "kk, ru or en: the language of the table and the HTML (the JSON is the same in all).")
    var language: String = "en"

    func run() async throws {
        guard ["table", "json", "html"].contains(format) else {
            throw CLIError.usage("--format: '\(format)' is not one of table, json, html")
        }
        let language: Language
        do { language = try Language(code: self.language) } catch { throw CLIError.usage("--language: \(error)") }
        let period = try report.period()
        let table = try report.rateTable()
        let office = report.officeID
        let store = try await store.connect()
        var indicators = try await Reporting.indicators(store: store, period: period, office: office, rates: table)
        if let preparedBy {
            let name =
                if let office {
                    try await store.withOffice(office, actor: "ipcase") { try await $0.currentOffice().value.name }
                } else {
                    "All offices"
                }
            indicators.preparation = IndicatorReport.Preparation(officeName: name, preparedOn: CLIParse.today(), preparedBy: preparedBy)
        }
        let text: String
        switch format {
        case "json": text = indicators.json()
        case "html": text = indicators.html(language: language)
        default: text = indicators.table(language: language)
        }
        try ReportOutput.emit(text, to: report.output)
    }
}

/// `ipcase report autm`: the AUTM Licensing Activity Survey's answers.
struct AUTMReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autm",
        abstract: "The AUTM Licensing Activity Survey's answers for a period, keyed by question number.",
        discussion: """
            Q3.1 research expenditures (--research-expenditure; IPCase does not record them),
            Q4.1 licences and Q4.2 options executed by licensee type (start-up; small company,
            fewer than 500 employees: `parties update --employees`; large; other or not
            recorded), exclusive / non-exclusive and with equity; Q5.4 licence income (research
            funding and patent-cost reimbursement excluded; in KZT too with --rates); Q7.1
            disclosures; Q7.4 new patent applications (first filings); Q8.1 start-ups formed;
            patents issued. The README gives each definition.

            Examples:
              ipcase report autm --from 2025-07-01 --to 2026-06-30 --office 1
              ipcase report autm --from 2025-07-01 --to 2026-06-30 --office 1 --format json \\
                  --research-expenditure "4 500 000 000 KZT" --rates rates.csv
            """
    )

    @OptionGroup var store: ReadStoreOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "table, csv or json.") var format: String = "table"
    @Option(
        name: .customLong("research-expenditure"),
        help: "Q3.1: the research expenditures of the period with their currency, e.g. \"4 500 000 000 KZT\".")
    var researchExpenditure: String?

    func run() async throws {
        guard ["table", "csv", "json"].contains(format) else {
            throw CLIError.usage("--format: '\(format)' is not one of table, csv, json")
        }
        let period = try report.period()
        var research: MoneyTotals?
        if let researchExpenditure {
            guard let money = try? Money(parsing: researchExpenditure), !money.isNegative else {
                throw CLIError.usage(
                    "--research-expenditure: '\(researchExpenditure)' is not an amount with its currency, such as \"4 500 000 000 KZT\"")
            }
            var totals = MoneyTotals()
            try totals.add(money)
            research = totals
        }
        let table = try report.rateTable()
        let store = try await store.connect()
        let office = report.officeID
        let portfolio = try await Reporting.portfolio(
            store: store, offices: try await Reporting.offices(store: store, only: office))
        let survey = try AUTMSurvey.compute(
            for: period, from: portfolio, office: office, researchExpenditure: research, rates: table)
        let text: String =
            switch format {
            case "csv": survey.csv()
            case "json": survey.json()
            default: survey.table()
            }
        try ReportOutput.emit(text, to: report.output)
    }
}

/// The options every report of a period takes: the period, the office, the rate table and where
/// the output goes.
struct ReportOptions: ParsableArguments {
    @Option(help: "First day of the period (YYYY-MM-DD).") var from: String
    @Option(help: "Last day of the period (YYYY-MM-DD).") var to: String
    @Option(help: "Only this office (its key); default all.") var office: Int64?
    @Option(help: "A CSV of exchange rates to KZT (currency,date,kzt,source[,units]).") var rates: String?
    @Option(help: "Write to this file instead of standard output.") var output: String?

    /// `--from` … `--to`.
    func period() throws -> ReportPeriod { try ReportOutput.period(from: from, to: to) }

    /// The rate table of `--rates`, if given.
    func rateTable() throws -> ExchangeRates? { try rates.map(RateTable.read(path:)) }

    /// The office of `--office`, if given.
    var officeID: ID<Office>? { office.map { ID(rawValue: $0) } }
}
