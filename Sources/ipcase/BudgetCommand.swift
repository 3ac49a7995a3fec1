import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

/// `ipcase budget forecast|spending`.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Forecast what the office's rights will cost in official fees; what they cost and what was recovered.",
        subcommands: [Forecast.self, Spending.self])

    struct Forecast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every fee the rules will produce for the office's open rights, priced and summed in KZT per year.",
            discussion: """
                Each fee deadline of every right still alive (not expired, lapsed, abandoned,
                withdrawn, refused or revoked) from --from (today by default) to the end of the
                last year is priced by the fee in force on its due date (`ipcase fees list`), at
                the right's entity size, and counted in the year it is due; a fee still payable
                in its grace period is counted in the first year with its surcharge. Amounts in
                other currencies convert at your rate table (--rates, never fetched; the latest
                rate on or before the due date) and the output names the rates it used; a
                currency without a rate stays apart. A fee deadline no fee covers is listed as
                not priced, never guessed.

                Examples:
                  ipcase budget forecast --office 1 --years 10 --by jurisdiction --rates rates.csv
                  ipcase budget forecast --office 1 --by family --format csv > budget.csv
                  ipcase budget forecast --office 1 --format html --output budget.html
                  ipcase budget forecast --office 1 --years 2 --detail      # every fee, one per line
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option(help: "How many calendar years, the current one first (1–50).") var years: Int = 10
        @Option(help: "First day counted (YYYY-MM-DD); today by default.") var from: String?
        @Option(help: "Group each year by year (no grouping), jurisdiction, family or disclosure.") var by: String = "year"
        @Option(help: "A CSV of exchange rates to KZT (currency,date,kzt,source[,units]).") var rates: String?
        @Option(help: "A fee file of your own laid over the embedded ones (repeatable).") var fees: [String] = []
        @Option(help: "table, csv, json or html.") var format: String = "table"
        @Flag(help: "List every fee instead of the sums (table, csv, json).") var detail = false
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            guard (1...50).contains(years) else { throw CLIError.usage("--years \(years): give 1 to 50 years") }
            guard let grouping = BudgetForecast.Grouping(rawValue: by) else {
                throw CLIError.usage(
                    "--by: '\(by)' is not one of \(BudgetForecast.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard ["table", "csv", "json", "html"].contains(format) else {
                throw CLIError.usage("--format: '\(format)' is not one of table, csv, json, html")
            }
            let start = try from.map { try CLIParse.date($0, option: "--from") } ?? CLIParse.today()
            let table = try rates.map(RateTable.read(path:)) ?? .none
            let schedules = try FeesCommand.schedules(fees)
            let store = try await store.connect()
            let (name, rights) = try await office.reading(store) { session in
                (try await session.currentOffice().value.name, try await session.forecastRights())
            }
            let forecast: BudgetForecast
            do {
                forecast = try BudgetForecast(
                    rights: rights, from: start, years: years, by: grouping, fees: schedules, rates: table,
                    detail: detail)
            } catch {
                throw CLIError.failure("the forecast cannot be summed: \(error)")
            }
            let text: String =
                switch format {
                case "csv": forecast.csv(detail: detail)
                case "json": try forecast.json(officeName: name, detail: detail)
                case "html": forecast.html(officeName: name)
                default: forecast.text(officeName: name, detail: detail)
                }
            try ReportOutput.emit(text, to: output)
        }
    }

    struct Spending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the rights cost in a period and what licensees repaid.",
            discussion: """
                Sums the expense ledger (`ipcase costs`) of the period per calendar year and
                jurisdiction and per year and disclosure; splits the costs into recovered from
                licensees (payments matched to cost invoices, recorded up to now), invoiced but
                unpaid, reimbursable but not invoiced, and borne by the office; and gives the
                cost per licensed and per unlicensed right (licensed: covered by a licence or
                option in force on the last day). The same figures are in `ipcase report`.
                With --rates (your CSV, never fetched) the total is also given in KZT, each
                cost at the latest rate on or before the day it was incurred.

                Examples:
                  ipcase budget spending --office 1 --from 2025-01-01 --to 2025-12-31
                  ipcase budget spending --office 1 --from 2021-01-01 --to 2025-12-31 --format csv > spending.csv
                  ipcase budget spending --office 1 --from 2025-01-01 --to 2025-12-31 --format html --output spending.html
                """)
        @OptionGroup var store: ReadStoreOptions
        @OptionGroup var options: ReportOptions
        @Option(help: "table, csv, json or html.") var format: String = "table"

        func run() async throws {
            guard ["table", "csv", "json", "html"].contains(format) else {
                throw CLIError.usage("--format: '\(format)' is not one of table, csv, json, html")
            }
            let period = try options.period()
            let store = try await store.connect()
            let report = try await Reporting.patentSpending(
                store: store, period: period, office: options.officeID, rates: try options.rateTable())
            let text: String =
                switch format {
                case "csv": report.csv()
                case "json": report.json()
                case "html": report.html()
                default: report.table()
                }
            try ReportOutput.emit(text, to: options.output)
        }
    }
}

/// Where a report goes and the period it covers, as the report commands take them.
enum ReportOutput {
    /// Writes `text` to the file `output`, or to standard output without one.
    static func emit(_ text: String, to output: String?) throws {
        guard let output else {
            print(text, terminator: "")
            return
        }
        do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failure("cannot write \(output): \(error.localizedDescription)")
        }
    }

    /// The period of `--from` and `--to`.
    static func period(from: String, to: String) throws -> ReportPeriod {
        let start = try CLIParse.date(from, option: "--from")
        let end = try CLIParse.date(to, option: "--to")
        do { return try ReportPeriod(from: start, to: end) } catch {
            throw CLIError.usage("--from \(start) is after --to \(end)")
        }
    }
}
