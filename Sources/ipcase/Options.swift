import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore
import Logging

/// The database and office options shared by commands that read or write the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "The database (default: $IPCASE_DATABASE_URL).")
    var databaseURL: String?

    /// Connects, or a usage error when no database is given.
    func connect() async throws -> Store {
        guard let url = DatabaseURL.resolve(option: databaseURL) else {
            throw CLIError.usage(DatabaseURL.missingMessage(command: "ipcase"))
        }
        var logger = Logger(label: "ipcase")
        logger.logLevel = .warning
        do {
            return try await Store.connect(url: url, applicationName: "ipcase", logger: logger)
        } catch {
            throw CLIError(error) ?? CLIError.failure("cannot connect to the database: \(error)")
        }
    }
}

/// Whether standard output / error is a terminal.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static func error(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
