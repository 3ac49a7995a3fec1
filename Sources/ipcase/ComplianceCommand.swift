import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase compliance --office ID [--agreement REF]`.
struct ComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Payments received and obligations (royalty reports, milestones, option exercise) per agreement.",
        discussion: """
            One line per signed agreement with the payments received (a total per
            currency), then one line per kind of obligation: the next due date, the
            reports or milestones overdue (past their due date and not met; the daemon
            marks them missed) and how many were met. A royalty payment received after a
            reporting period ended meets that period's report, also late; a report
            received without payment is closed with `ipcase deadlines done ID`. The
            deadlines come from the daemon's processing of the agreement (executing it,
            recording a payment, amending or terminating it).

            Examples:
              ipcase compliance --office 1
              ipcase compliance --office 1 --agreement LIC-2025-004 --format json
            """
    )

    @OptionGroup var store: ReadStoreOptions
    @Option(help: "The office (its key).") var office: Int64
    @Option(help: "Only the agreement with this reference.") var agreement: String?
    @Option(name: .customLong("as-of"), help: "The day overdue counts from (default today).") var asOf: String?
    @Option(help: "table or json.") var format: String = "table"

    func run() async throws {
        guard ["table", "json"].contains(format) else {
            throw CLIError.usage("--format: '\(format)' is not table or json")
        }
        let day = try asOf.map { try CLIParse.date($0, option: "--as-of") } ?? CLIParse.today()
        let store = try await store.connect()
        let agreements = try await Compliance.agreements(
            store: store, office: ID(rawValue: office), asOf: day, reference: agreement)
        print(format == "json" ? try Compliance.json(agreements) : Compliance.table(agreements), terminator: "")
    }
}
