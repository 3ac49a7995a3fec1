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
        guard let url = DatabaseURLOption.resolve(option: databaseURL) else {
            throw CLIError.usage(DatabaseURLOption.missingMessage(command: "ipcase"))
        }
        return try await Self.connect(url: url)
    }

    static func connect(url: String) async throws -> Store {
        var logger = Logger(label: "ipcase")
        logger.logLevel = .warning
        do {
            return try await Store.connect(url: url, applicationName: "ipcase", logger: logger)
        } catch {
            throw CLIError(error) ?? CLIError.failure("cannot connect to the database: \(error)")
        }
    }
}

/// The database options of a command that only reads (the docket, ICS feeds, reports,
/// compliance): a streaming replica serves it when one is given, else the database itself. A
/// replica is behind the primary by its replay lag (usually milliseconds).
struct ReadStoreOptions: ParsableArguments {
    @OptionGroup var primary: StoreOptions
    @Option(
        name: .customLong("read-database-url"),
        help: "A read replica to serve this from (default: $IPCASE_READ_DATABASE_URL, else the database).")
    var readDatabaseURL: String?

    /// The environment variable naming the replica.
    static let environmentVariable = "IPCASE_READ_DATABASE_URL"

    /// Connects to the replica, or to the database when none is given.
    func connect() async throws -> Store {
        if let url = readDatabaseURL.flatMap({ $0.isEmpty ? nil : $0 })
            ?? ProcessInfo.processInfo.environment[Self.environmentVariable].flatMap({ $0.isEmpty ? nil : $0 })
        {
            return try await StoreOptions.connect(url: url)
        }
        return try await primary.connect()
    }
}

/// Who acts: the name the audit trail records for every change a command makes. Every command
/// that writes takes it.
struct ActorOption: ParsableArguments {
    @Option(
        name: .customLong("actor"),
        help: "Who acts, as the audit trail records it (default: $USER, else ipcase).")
    var actor: String?

    /// The name given, else the login user.
    var name: String { actor.flatMap { $0.isEmpty ? nil : $0 } ?? Self.loginUser }

    /// `$USER`, else `ipcase`.
    static var loginUser: String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "ipcase" }
}

/// Whether standard output / error is a terminal.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static func error(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
