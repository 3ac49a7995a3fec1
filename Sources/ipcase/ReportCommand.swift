import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseReports

/// `ipcase report`: indicators for a period.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Indicators for a period: AUTM licensing-survey metrics and Kazakh policy indicators.",
        discussion: """
            Examples:
              ipcase report --from 2025-01-01 --to 2025-12-31 --office 1
              ipcase report --from 2025-01-01 --to 2025-12-31 --format html --output \\
                  report.html
              ipcase report --from 2025-01-01 --to 2025-12-31 --format json
              ipcase report --from 2025-01-01 --to 2025-12-31 --rates rates.csv

            --rates names a CSV of your exchange rates (never fetched): columns currency, date,
            kzt, source and optionally units, e.g. 'USD,2025-01-02,525.11,NBK official rate'.
            Income from licensees abroad is then also given in KZT, each payment at the latest
            rate on or before the day it was received; the report lists the rates it used and
            any amount without one.
            """
    )

    @OptionGroup var store: ReadStoreOptions
    @Option(help: "First day of the period (YYYY-MM-DD).") var from: String
    @Option(help: "Last day of the period (YYYY-MM-DD).") var to: String
    @Option(help: "Only this office (its key); default all.") var office: Int64?
    @Option(help: "table, json or html.") var format: String = "table"
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @Option(help: "A CSV of exchange rates to KZT (currency,date,kzt,source[,units]).") var rates: String?

    func run() async throws {
        guard ["table", "json", "html"].contains(format) else {
            throw CLIError.usage("--format: '\(format)' is not one of table, json, html")
        }
        let period = try ReportOutput.period(from: from, to: to)
        let table = try rates.map(RateTable.read(path:))
        let store = try await store.connect()
        let report = try await Reporting.indicators(
            store: store, period: period, office: office.map { ID(rawValue: $0) }, rates: table)
        let text: String
        switch format {
        case "json": text = report.json()
        case "html": text = report.html()
        default: text = report.table()
        }
        try ReportOutput.emit(text, to: output)
    }
}
