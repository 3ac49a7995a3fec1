import ArgumentParser
import Foundation
import IPCaseDaemon
import IPCaseStore
import Logging

/// `ipcased migrate`: applies the Schema migrations embedded in this binary, to the database of
/// the daemon's configuration (`--config`, `IPCASE_DATABASE_URL`, `--database-url`, as `run`).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database schema migrations embedded in this program.",
        discussion: """
            Applies each pending Schema/NNNN_name.sql file in its own transaction under an advisory \
            lock, so several processes may run it at once. An applied file that was edited is refused. \
            Run it as the owner login (ipcase_owner); the daemon's own login may only read the \
            status. The database comes from the configuration, as for `run`.

            Exit status: 0 when the schema is current, 1 when a migration failed, 2 for an invalid \
            configuration.

            Examples:
              ipcased migrate --config /etc/ipcase/migrate.conf
              IPCASE_DATABASE_URL=postgresql://ipcase_owner@localhost/ipcase ipcased migrate --status
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "List applied and pending migrations without applying any.")
    var status = false

    func run() async throws {
        let configuration = try options.load(with: options.loader())
        try await MigrateCommandRunner.run(
            databaseURL: configuration.databaseURL.secret.revealed(), statusOnly: status,
            logger: Logger(label: "ipcased.migrate")
        ) { print($0) }
    }
}
