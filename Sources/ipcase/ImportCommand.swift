import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase import KIND FILE --office ID`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import rights, events, parties, agreements (with obligations), payments, costs, policies, start-ups (startups, rounds, residencies), funded projects or technology offers (offers, outreach) from CSV (all rows or none).",
        discussion: """
            Every row and column is checked first. Every problem is reported, e.g.

              rights.csv row 17, column filing_date: '2023-02-30' is not a valid date

            then nothing is written and the exit code is 2. A clean file is written
            in one transaction. Events are replayed through the right workflow in
            file order and queue deadline jobs. Formats: README "Using ipcase" and
            "Sample data and CSV formats"; samples in Deploy/samples/.

            Examples:
              ipcase import parties Deploy/samples/parties.csv --office 1 \\
                  --skip-other-offices
              ipcase import rights Deploy/samples/rights.csv --office 1 \\
                  --skip-other-offices
              ipcase import events Deploy/samples/events.csv --office 1 \\
                  --skip-other-offices
              ipcase import agreements Deploy/samples/agreements.csv \\
                  --obligations Deploy/samples/obligations.csv --office 1 \\
                  --skip-other-offices
              ipcase import costs costs.csv --office 1
              ipcase import policies policies.csv --office 1
              ipcase import startups startups.csv --office 1   # then rounds.csv, residencies.csv
              ipcase import projects projects.csv --office 1   # one stage per row
              ipcase import offers offers.csv --office 1       # then outreach.csv
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "What the file holds: rights, events, parties, agreements, obligations, payments, costs, policies, startups, rounds, residencies, projects, offers or outreach.")
    var kind: String
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The office to import into (its key).") var office: Int64
    @Flag(help: "No progress output.") var quiet = false
    @Flag(
        name: .customLong("skip-other-offices"),
        help: "Skip rows of other offices (a file shared by offices) instead of refusing them.")
    var skipOtherOffices = false
    @Option(help: "With agreements: their obligations.csv, imported in the same transaction.")
    var obligations: String?

    func run() async throws {
        guard let kind = RecordFile(rawValue: kind) else {
            throw CLIError.usage(
                "'\(kind)' is not one of \(RecordFile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let store = try await store.connect()
        let quiet = quiet
        let terminal = Terminal.stderrIsTerminal
        let progress: @Sendable (String, Int, Int) -> Void = { phase, done, total in
            guard !quiet, total > 0 else { return }
            if terminal {
                let width = 30
                let filled = done * width / total
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                FileHandle.standardError.write(
                    Data("\r\(phase) [\(bar)] \(done)/\(total)\(done == total ? "\n" : "")".utf8))
            } else if done == total {
                Terminal.error("ipcase import: \(phase) \(done)/\(total) rows")
            }
        }
        do {
            let result = try await CSVImport.run(
                kind, path: file,
                options: CSVImport.Options(
                    office: ID(rawValue: office), store: store, actor: actor.name, skipOtherOffices: skipOtherOffices,
                    obligations: obligations),
                progress: progress)
            print(
                "imported \(result.written) \(kind.rawValue) from \(result.rows) rows; \(result.jobs) deadline jobs queued"
            )
        } catch let problems as CSVImport.Problems {
            throw CLIError.usage(problems.description)
        } catch let error as StoreError {
            throw CLIError.usage("nothing was written: \(error.description)")
        }
    }
}
