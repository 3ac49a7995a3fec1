import ArgumentParser
import IPCaseCommands
import Foundation
import IPCaseCLI

/// `ipcase`: the command line for commercialization offices and patent attorneys.
@main
struct IPCaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipcase",
        abstract: "Case management for intellectual property and technology transfer.",
        discussion: """
            Deadlines of every right computed from its events by rules with legal
            citations; portfolios, deals, agreements and payments of offices.

            Examples:
              ipcase demo
              ipcase deadlines list --office 2 --within 30d --format ics > docket.ics
              ipcase import rights rights.csv --office 1
              ipcase compliance --office 1
              ipcase deadlines compute --jurisdiction EP --kind patent \\
                  --event filed=2023-03-14

            Exit codes: 0 ok, 1 failure, 2 bad usage or input.
            """,
        subcommands: [
            DemoCommand.self,
            MigrateCommand.self,
            DeadlinesCommand.self,
            CalendarCommand.self,
            ImportCommand.self,
            ReportCommand.self,
            DistributionCommand.self,
            ComplianceCommand.self,
            FeesCommand.self,
            OfficesCommand.self,
            PartiesCommand.self,
            DisclosuresCommand.self,
            RightsCommand.self,
            EventsCommand.self,
            DealsCommand.self,
            AgreementsCommand.self,
            PaymentsCommand.self,
            PoliciesCommand.self,
            StartupsCommand.self,
            OffersCommand.self,
            ProjectsCommand.self,
            CostsCommand.self,
            BudgetCommand.self,
            DecisionsCommand.self,
            ListCommand.self,
            AdvanceCommand.self,
        ]
    )

    /// Runs the command; bad usage (ArgumentParser's validation errors) and bad input exit with 2,
    /// failures with 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("ipcase: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error where CLIError(error) != nil {
            // The store's and the database's errors, in words; the details at debug level only.
            let shown = CLIError(error)!
            FileHandle.standardError.write(Data("ipcase: \(shown.description)\n".utf8))
            Foundation.exit(shown.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if code == .success || code.rawValue == 2 {
                exit(withError: error)
            }
            if error is ExitCode || error is CleanExit {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data("ipcase: \(String(describing: error))\n".utf8))
            Foundation.exit(1)
        }
    }
}
