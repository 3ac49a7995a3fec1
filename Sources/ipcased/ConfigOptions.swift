import ArgumentParser
import Foundation
import IPCaseDaemon

/// The options that locate the configuration, shared by every subcommand.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The configuration file (default: \(ConfigurationLoader.defaultPath) if it exists).",
            valueName: "path"))
    var configPath: String?

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL or conninfo; overrides the file and IPCASE_DATABASE_URL (visible in `ps`: prefer those).",
            valueName: "url"))
    var databaseURL: String?

    /// The loader for these options and the process environment.
    func loader(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigurationLoader {
        var overrides: [ConfigKey: String] = [:]
        if let databaseURL { overrides[.databaseURL] = databaseURL }
        return ConfigurationLoader(filePath: configPath, environment: environment, overrides: overrides)
    }

    /// The configuration `loader` loads; an invalid one is reported on standard error and ends
    /// the command with ``configurationErrorExitCode``.
    func load(with loader: ConfigurationLoader) throws -> DaemonConfiguration {
        do {
            return try loader.load()
        } catch {
            report(error)
            throw configurationErrorExitCode
        }
    }
}

/// Exit status for an invalid configuration (the unit's `RestartPreventExitStatus=2`).
let configurationErrorExitCode = ExitCode(2)

/// Prints every configuration issue to standard error.
func report(_ error: ConfigurationError) {
    printError("ipcased: invalid configuration:")
    for issue in error.issues {
        printError("  \(issue)")
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
