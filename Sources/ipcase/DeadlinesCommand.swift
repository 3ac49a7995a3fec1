import ArgumentParser
import Foundation
import IPCase

/// `ipcase deadlines`: deadlines computed by the rules engine, without a database.
struct DeadlinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "The docket: list deadlines from the database, close them, or compute them without one.",
        subcommands: [Compute.self, List.self, Done.self, Waive.self, Verify.self]
    )

    /// `ipcase deadlines compute`: what-if schedules for one right.
    struct Compute: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compute",
            abstract: "Compute every deadline of a right from its events, with citations and explanations.",
            discussion: """
                Give the office, the kind of right and what happened (each event as TYPE=YYYY-MM-DD);
                every deadline is listed by due date with its rule, legal citation and a one-line
                derivation (period, month-end clamping, each closed day skipped and why).

                Example: a Kazakh patent application filed 14 March 2023 claiming a 2022 priority:

                  ipcase deadlines compute --jurisdiction KZ --kind patent \\
                      --event filed=2023-03-14 --event priority=2022-03-14

                More:
                  ipcase deadlines compute --jurisdiction WO --kind pct-application \\
                      --event filed=2024-03-14 --event priority=2023-03-14 --format json
                  ipcase deadlines compute --jurisdiction EP --kind patent --event filed=2023-03-14 \\
                      --event annuity-paid=2025-03-01:3 --all
                  ipcase deadlines compute --jurisdiction KZ --kind software --event filed=2025-02-03 \\
                      --event author-died=2025-06-30   # a program's term, from its last author's death
                  ipcase deadlines compute --jurisdiction US --kind patent --event filed=2020-01-10 \\
                      --event granted=2023-08-31 --event office-action=2023-11-30

                Events: filed, priority, pct-filed, published, search-report, search-report-transmitted,
                formal-examination-notice, office-action, response-filed, grant-decision, grant-fee-paid,
                granted, annuity-paid (TYPE=DATE:YEAR), national-phase-entered (TYPE=DATE:OFFICE), …
                Bad input prints one line naming the argument and exits with code 2.
                """
        )

        @Option(help: "Office code: KZ, EA, WO, EP, US.")
        var jurisdiction: String?

        @Option(
            help: "Right kind: patent, utility-model, design, trademark, pct-application, provisional, software, database, work.")
        var kind: String?

        @Option(name: .customLong("event"), help: "An event as TYPE=YYYY-MM-DD (repeat for each event).")
        var events: [String] = []

        @Option(help: "Output format: table or json.")
        var format: String = "table"

        @Flag(help: "Also list deadlines already met by an event.")
        var all = false

        func run() throws {
            do {
                let output = try DeadlinesCompute.run(
                    jurisdiction: jurisdiction, kind: kind, events: events, format: format, includeClosed: all)
                print(output, terminator: "")
            } catch {
                FileHandle.standardError.write(Data("ipcase: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
