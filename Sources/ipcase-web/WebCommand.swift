import ArgumentParser
import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import IPCaseWeb
import Logging
import ServiceLifecycle

@main
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipcase-web",
        abstract: "The IPCase web workspace: docket, rights and the office's work in a browser (kk, ru, en).",
        discussion: """
            Settings come from /etc/ipcase/ipcase-web.conf (or --config), then IPCASE_WEB_* environment \
            variables (database.url → IPCASE_WEB_DATABASE_URL), then flags. Put TLS in front (nginx: \
            Deploy/nginx-ipcase-web.conf); the server listens on 127.0.0.1:8080 by default.

            Users are provisioned by the database owner:
              ipcase-web users add --login aliya@example.kz --name "Aliya N." --office 1 --role officer
            prints a generated password once (or reads one from standard input with --password-stdin).
            """,
        subcommands: [Serve.self, CheckConfig.self, Users.self],
        defaultSubcommand: Serve.self)
}

/// Where the configuration comes from, shared by the subcommands.
struct ConfigOptions: ParsableArguments {
    static let defaultPath = "/etc/ipcase/ipcase-web.conf"

    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file (default: \(defaultPath) if it exists).", valueName: "path"))
    var configPath: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp("PostgreSQL URL of the web login; overrides the file and IPCASE_WEB_DATABASE_URL (visible in `ps`: prefer those).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("listen"), help: ArgumentHelp("host:port to listen on (default 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    /// The settings, or a list of what is wrong with them (exit status 2).
    func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WebConfiguration {
        var values: [String: String] = [:]
        var problems: [String] = []
        let path = configPath ?? (FileManager.default.fileExists(atPath: Self.defaultPath) ? Self.defaultPath : nil)
        if let path {
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                for entry in try ConfigFile(parsing: text, path: path).entries {
                    switch entry.value {
                    case .string(let text): values[entry.field] = text
                    default: values[entry.field] = entry.value.description
                    }
                }
            } catch let error as ConfigurationError {
                problems += error.issues.map(\.description)
            } catch {
                problems.append("\(path): \(error.localizedDescription)")
            }
        }
        for key in Self.keys {
            let variable = "IPCASE_WEB_" + key.replacingOccurrences(of: ".", with: "_").uppercased()
            if let value = environment[variable] { values[key] = value }
        }
        if let databaseURL { values["database.url"] = databaseURL }
        if let listen {
            let parts = listen.split(separator: ":", maxSplits: 1).map(String.init)
            values["listen.host"] = parts.first
            if parts.count == 2 { values["listen.port"] = parts[1] }
        }
        for key in values.keys where !Self.keys.contains(key) {
            problems.append("\(key): not a setting of ipcase-web (\(Self.keys.joined(separator: ", ")))")
        }
        var configuration = WebConfiguration(databaseURL: values["database.url"] ?? "")
        func integer(_ key: String, _ assign: (Int) -> Void) {
            guard let text = values[key] else { return }
            if let number = Int(text) { assign(number) } else { problems.append("\(key): \(text) is not a whole number") }
        }
        if let host = values["listen.host"] { configuration.host = host }
        integer("listen.port") { configuration.port = $0 }
        integer("database.pool_size") { configuration.poolSize = $0 }
        if let secure = values["security.secure_cookies"] {
            guard let flag = Bool(secure) else {
                throw ValidationError("security.secure_cookies: \(secure) is not true or false")
            }
            configuration.secureCookies = flag
        }
        integer("security.session_idle_seconds") { configuration.sessionIdleSeconds = $0 }
        integer("security.account_attempts") { configuration.accountAttempts = $0 }
        integer("security.account_lock_seconds") { configuration.accountLockSeconds = $0 }
        integer("security.address_attempts") { configuration.addressAttempts = $0 }
        integer("security.address_window_seconds") { configuration.addressWindowSeconds = $0 }
        integer("security.max_upload_bytes") { configuration.maxUploadBytes = $0 }
        integer("security.bcrypt_cost") { configuration.bcryptCost = $0 }
        problems += configuration.problems
        guard problems.isEmpty else {
            printError("ipcase-web: invalid configuration:")
            for problem in problems { printError("  \(problem)") }
            throw ExitCode(2)
        }
        return configuration
    }

    static let keys = [
        "database.url", "database.pool_size", "listen.host", "listen.port", "security.secure_cookies",
        "security.session_idle_seconds", "security.account_attempts", "security.account_lock_seconds",
        "security.address_attempts", "security.address_window_seconds", "security.max_upload_bytes",
        "security.bcrypt_cost",
    ]
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the workspace until SIGTERM or SIGINT (then finish the requests under way).")

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let configuration = try config.load()
        var logger = Logger(label: "ipcase-web")
        logger.logLevel = .info
        let pool = StorePool(url: configuration.databaseURL, size: configuration.poolSize, logger: logger)
        let web = try WebApp(configuration: configuration, pool: pool, logger: logger)
        logger.info("ipcase-web listening", metadata: ["address": "\(configuration.host):\(configuration.port)"])
        let group = ServiceGroup(
            configuration: .init(services: [web.application()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await pool.close()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check the configuration and print the effective settings (the database password redacted).")

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        print(try config.load().redactedDescription)
    }
}
