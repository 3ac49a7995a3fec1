import Foundation
import Logging
import PostgresClient

/// Where the database is: `--database-url`, else `IPCASE_DATABASE_URL`.
public enum DatabaseURLOption {
    /// The environment variable read when no `--database-url` is given.
    public static let environmentVariable = "IPCASE_DATABASE_URL"

    /// The URL from the option, else from the environment, else `nil` (empty values count as absent).
    public static func resolve(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let option, !option.isEmpty { return option }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// The one-line usage error when neither is given.
    public static func missingMessage(command: String) -> String {
        "\(command): no database given; pass --database-url postgresql://USER@HOST/DB or set \(environmentVariable)"
    }
}

/// The body of `ipcase migrate` and `ipcased migrate`, shared and testable.
public enum MigrateCommandRunner {
    /// Applies the embedded migrations (or, with `statusOnly`, lists them) and writes one line per fact.
    ///
    /// - Throws: ``MigrationError`` naming the file, or `PostgresError` (e.g. cannot connect).
    public static func run(
        databaseURL: String, statusOnly: Bool, logger: Logger, output: (String) -> Void
    ) async throws {
        let migrator = try Migrator.embedded(logger: logger)
        let connection = try await PostgresConnection.connect(url: databaseURL, applicationName: "ipcase-migrate", logger: logger)
        do {
            if statusOnly {
                for status in try await migrator.status(on: connection) { output(status.description) }
            } else {
                let report = try await migrator.migrate(on: connection)
                for migration in report.applied { output("applied   \(migration.fileName)") }
                let total = report.alreadyApplied + report.applied.count
                output(
                    report.applied.isEmpty
                        ? "the database is up to date (\(total) \(total == 1 ? "migration" : "migrations") applied)"
                        : "applied \(report.applied.count) of \(total) \(total == 1 ? "migration" : "migrations")")
            }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }
}
