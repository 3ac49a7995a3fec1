import ArgumentParser
import Foundation
import IPCaseStore
import Logging

/// `ipcase migrate`: applies the Schema migrations embedded in this binary (`ipcased migrate`
/// has its own command, which reads the daemon's configuration file).
public struct MigrateCommand: AsyncParsableCommand {
    /// The running program's name (`ipcase` or `ipcased`).
    static let program = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "ipcase"

    public static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database schema migrations embedded in this program.",
        discussion: """
            Applies each pending Schema/NNNN_name.sql file in its own transaction under an advisory \
            lock, so several processes may run it at once. An applied file that was edited is refused.

            Examples:
              \(program) migrate --database-url postgresql://ipcase@localhost/ipcase
              IPCASE_DATABASE_URL=postgresql://ipcase@localhost/ipcase \(program) migrate --status
            """
    )

    public init() {}

    @Option(name: .customLong("database-url"), help: "The database (default: $IPCASE_DATABASE_URL).")
    var databaseURL: String?

    @Flag(help: "List applied and pending migrations without applying any.")
    var status = false

    public func run() async throws {
        guard let url = DatabaseURLOption.resolve(option: databaseURL) else {
            FileHandle.standardError.write(Data((DatabaseURLOption.missingMessage(command: "\(Self.program) migrate") + "\n").utf8))
            throw ExitCode(2)
        }
        try await MigrateCommandRunner.run(
            databaseURL: url, statusOnly: status, logger: Logger(label: "\(Self.program).migrate")
        ) { print($0) }
    }
}
