import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseRegister
import IPCaseStore

/// `ipcase import KIND FILE --office ID`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import rights, events, parties, agreements (with obligations), payments, costs, policies, start-ups (startups, rounds, residencies), funded projects or technology offers (offers, outreach) from CSV (all rows or none), or compare patent-office register files with the docket (register).",
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

            Register files (WIPO ST.96/ST.36, EPO OPS biblio/family/legal, EP
            Register, USPTO grant/application XML; the format is told by the
            root element) are compared with the docket: the report says what
            would be created, recorded and what differs, as a table, CSV or JSON.
            Nothing is written without --apply; with it, everything in one
            transaction through the right workflow, or nothing when any step is
            refused (the file, the element and the reason are named).

              ipcase import register KZ-2024-grants.xml --office 1
              ipcase import register ops-legal.xml ep-register.xml --office 1 \\
                  --format csv > differences.csv
              ipcase import register KZ-2024-grants.xml --office 1 --apply
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "What the file holds: rights, events, parties, agreements, obligations, payments, costs, policies, startups, rounds, residencies, projects, offers or outreach; or register (patent-office XML files).")
    var kind: String
    @Argument(help: "The CSV file (one), or with register the XML files (one or more).") var files: [String]
    @Option(help: "The office to import into (its key).") var office: Int64
    @Flag(help: "No progress output.") var quiet = false
    @Flag(
        name: .customLong("skip-other-offices"),
        help: "Skip rows of other offices (a file shared by offices) instead of refusing them.")
    var skipOtherOffices = false
    @Option(help: "With agreements: their obligations.csv, imported in the same transaction.")
    var obligations: String?
    @Flag(help: "With register: write what the report shows (default: a dry run that writes nothing).")
    var apply = false
    @Option(help: "With register: the report as table, csv or json.")
    var format: RegisterReportFormat = .table

    func validate() throws {
        if kind == "register" {
            if files.isEmpty { throw ValidationError("give one or more register files") }
            if obligations != nil || skipOtherOffices {
                throw ValidationError("--obligations and --skip-other-offices are for CSV files, not register")
            }
        } else {
            if files.count != 1 { throw ValidationError("give one CSV file (\(files.count) given)") }
            if apply || format != .table { throw ValidationError("--apply and --format are for register files") }
        }
    }

    func run() async throws {
        if kind == "register" { return try await importRegister() }
        let file = files[0]
        guard let kind = RecordFile(rawValue: kind) else {
            throw CLIError.usage(
                "'\(kind)' is not one of \(RecordFile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let store = try await store.connect()
        let progress = progressReporter()
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

    /// Progress on standard error: a bar on a terminal, the last count otherwise; nothing with `--quiet`.
    func progressReporter() -> @Sendable (String, Int, Int) -> Void {
        let quiet = quiet
        let terminal = Terminal.stderrIsTerminal
        return { phase, done, total in
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
    }

    /// `ipcase import register FILE… --office N [--apply] [--format table|csv|json]`.
    func importRegister() async throws {
        let progress = progressReporter()
        let records: [RegisterRecord]
        do {
            records = try RegisterImport.read(files, progress: progress)
        } catch let error as RegisterError {
            throw CLIError.usage(error.description)
        }
        let store = try await store.connect()
        do {
            let outcome = try await RegisterImport.run(
                records, office: ID(rawValue: office), store: store, actor: actor.name, apply: apply)
            switch format {
            case .table: print(outcome.plan.table(), terminator: "")
            case .csv: print(outcome.plan.csv(), terminator: "")
            case .json: print(try outcome.plan.json(), terminator: "")
            }
            if outcome.applied {
                Terminal.error(
                    "ipcase import register: applied: \(outcome.rightsCreated) rights created, "
                        + "\(outcome.eventsRecorded) events recorded; \(outcome.jobs) deadline jobs queued")
            } else {
                Terminal.error("ipcase import register: dry run, nothing written (--apply writes it)")
            }
        } catch let refused as RegisterImport.Refused {
            switch format {
            case .table: print(refused.plan.table(), terminator: "")
            case .csv: print(refused.plan.csv(), terminator: "")
            case .json: print(try refused.plan.json(), terminator: "")
            }
            throw CLIError.usage(refused.description)
        } catch let error as StoreError {
            throw CLIError.usage("nothing was written: \(error.description)")
        }
    }
}

/// How `ipcase import register` prints its report.
enum RegisterReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}
