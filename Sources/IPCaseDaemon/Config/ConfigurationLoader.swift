import Foundation
import Logging

/// Reads the configuration from a file, `IPCASE_*` environment variables and command-line options.
///
/// Later sources win: defaults < file < environment < command line. The same loader is
/// called again on SIGHUP to reload.
///
/// ```swift
/// let loader = ConfigurationLoader(
///     filePath: "/etc/ipcase/ipcased.conf", environment: ProcessInfo.processInfo.environment,
///     overrides: [.databaseURL: "postgresql:///ipcase"])
/// let configuration = try loader.load()
/// ```
public struct ConfigurationLoader: Sendable {
    /// The file read when no `--config` is given, if it exists.
    public static let defaultPath = "/etc/ipcase/ipcased.conf"

    /// The file to read; `nil` reads `defaultPath` when it exists.
    public var filePath: String?
    /// The environment (for `IPCASE_*` overrides).
    public var environment: [String: String]
    /// Command-line values, applied last.
    public var overrides: [ConfigKey: String]

    /// A loader; an explicit `filePath` must exist, the default path may be absent.
    public init(filePath: String?, environment: [String: String], overrides: [ConfigKey: String] = [:]) {
        self.filePath = filePath
        self.environment = environment
        self.overrides = overrides
    }

    /// Reads the file (if any) and resolves the configuration.
    /// - Throws: `ConfigurationError` listing every problem with its file and line or variable.
    public func load() throws(ConfigurationError) -> DaemonConfiguration {
        let path = filePath ?? Self.defaultPath
        let file: ConfigFile?
        if filePath == nil && !FileManager.default.fileExists(atPath: path) {
            file = nil
        } else {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? "cannot be read as UTF-8 text"
                throw ConfigurationError(issues: [
                    ConfigurationIssue(
                        source: .file(path: path, line: 0), field: nil, message: "cannot read: \(reason)")
                ])
            }
            file = try ConfigFile(parsing: text, path: path)
        }
        return try Self.resolve(file: file, environment: environment, overrides: overrides)
    }

    /// Resolves a configuration from an already parsed file, the environment and options.
    public static func resolve(
        file: ConfigFile?, environment: [String: String], overrides: [ConfigKey: String]
    ) throws(ConfigurationError) -> DaemonConfiguration {
        var resolver = Resolver()
        if let file {
            for entry in file.entries {
                let source = ConfigSource.file(path: file.path, line: entry.line)
                guard let key = ConfigKey(rawValue: entry.field) else {
                    resolver.issue(source, entry.field, Self.unknownFieldMessage(entry.field))
                    continue
                }
                resolver.settings[key] = Resolver.Setting(value: .typed(entry.value), source: source)
            }
        }
        for key in ConfigKey.allCases {
            if let text = environment[key.environmentVariable] {
                resolver.settings[key] = .init(
                    value: .text(text), source: .environment(variable: key.environmentVariable))
            }
        }
        for (key, text) in overrides {
            let option = "--" + key.rawValue.replacing(".", with: "-").replacing("_", with: "-")
            resolver.settings[key] = .init(value: .text(text), source: .commandLine(option: option))
        }
        resolver.missingSource = file.map { .file(path: $0.path, line: 0) } ?? .defaultValue
        return try resolver.resolve()
    }

    private static func unknownFieldMessage(_ field: String) -> String {
        let section = field.split(separator: ".").first.map(String.init) ?? field
        let known = ConfigKey.allCases.filter { $0.section == section }.map(\.key)
        if known.isEmpty {
            let sections = Array(Set(ConfigKey.allCases.map(\.section))).sorted()
            return "unknown setting; sections are " + sections.map { "[\($0)]" }.joined(separator: ", ")
        }
        return "unknown setting; [\(section)] has " + known.joined(separator: ", ")
    }
}

private struct Resolver {
    enum RawValue {
        case typed(ConfigValue)
        case text(String)
    }

    struct Setting {
        var value: RawValue
        var source: ConfigSource
    }

    var settings: [ConfigKey: Setting] = [:]
    var issues: [ConfigurationIssue] = []
    var missingSource: ConfigSource = .defaultValue

    mutating func issue(_ source: ConfigSource, _ field: String?, _ message: String) {
        issues.append(ConfigurationIssue(source: source, field: field, message: message))
    }

    mutating func issue(_ key: ConfigKey, _ message: String) {
        issue(settings[key]?.source ?? missingSource, key.rawValue, message)
    }

    func source(_ key: ConfigKey) -> ConfigSource { settings[key]?.source ?? .defaultValue }

    mutating func integer(_ key: ConfigKey, default fallback: Int, in range: ClosedRange<Int>) -> Int {
        guard let setting = settings[key] else { return fallback }
        let parsed: Int?
        switch setting.value {
        case .typed(.integer(let number)): parsed = number
        case .typed(.string), .typed(.boolean), .typed(.array): parsed = nil
        case .text(let text): parsed = Int(text.trimmingCharacters(in: .whitespaces))
        }
        guard let number = parsed else {
            issue(key, "expected an integer")
            return fallback
        }
        guard range.contains(number) else {
            issue(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            return fallback
        }
        return number
    }

    mutating func text(_ key: ConfigKey) -> String? {
        guard let setting = settings[key] else { return nil }
        switch setting.value {
        case .typed(.string(let text)), .text(let text):
            if text.contains("\0") {
                issue(key, "must not contain NUL characters")
                return nil
            }
            return text
        case .typed(.integer), .typed(.boolean), .typed(.array):
            issue(key, "expected a quoted string")
            return nil
        }
    }

    mutating func integers(_ key: ConfigKey) -> [Int]? {
        guard let setting = settings[key] else { return nil }
        switch setting.value {
        case .typed(.array(let items)):
            var numbers: [Int] = []
            for item in items {
                guard case .integer(let number) = item else {
                    issue(key, "expected an array of integers, like [60, 30, 14, 7, 1]")
                    return nil
                }
                numbers.append(number)
            }
            return numbers
        case .text(let text):
            var numbers: [Int] = []
            for part in text.split(separator: ",") {
                guard let number = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    issue(key, "expected comma-separated integers, like 60,30,14,7,1")
                    return nil
                }
                numbers.append(number)
            }
            return numbers
        case .typed(.integer), .typed(.string), .typed(.boolean):
            issue(key, "expected an array of integers, like [60, 30, 14, 7, 1]")
            return nil
        }
    }

    mutating func resolve() throws(ConfigurationError) -> DaemonConfiguration {
        var databaseURL = DatabaseURL("")
        let databaseText = text(.databaseURL)
        if let databaseText, !databaseText.isEmpty {
            databaseURL = DatabaseURL(databaseText)
            if !databaseURL.isWellFormed {
                issue(.databaseURL, "expected a postgresql:// URL or a key=value connection string")
            }
        } else if settings[.databaseURL] == nil || databaseText?.isEmpty == true {
            issue(.databaseURL, "required: set it in the file, in IPCASE_DATABASE_URL or with --database-url")
        }
        let workers = integer(.workers, default: 2, in: 1...64)
        let batchSize = integer(.batchSize, default: 200, in: 1...10_000)
        let leaseSeconds = integer(.leaseSeconds, default: 60, in: 5...3_600)
        let maxAttempts = integer(.maxAttempts, default: 10, in: 1...1_000)
        let sweepSeconds = integer(.sweepIntervalSeconds, default: 30, in: 1...86_400)

        var offsets = [60, 30, 14, 7, 1]
        if let values = integers(.reminderOffsetsDays) {
            if values.isEmpty {
                issue(.reminderOffsetsDays, "needs at least one offset")
            } else if let bad = values.first(where: { !(0...3_650).contains($0) }) {
                issue(.reminderOffsetsDays, "offsets are days between 0 and 3650, got \(bad)")
            } else if Set(values).count != values.count {
                issue(.reminderOffsetsDays, "an offset is listed twice")
            } else {
                offsets = values.sorted(by: >)
            }
        }

        let decisionLeadDays = integer(.decisionLeadDays, default: 90, in: 1...3_650)
        let decisionEscalationDays = integer(.decisionEscalationDays, default: 14, in: 0...3_650)
        if decisionEscalationDays > decisionLeadDays {
            issue(.decisionEscalationDays, "must not be more than decisions.lead_days")
        }

        var listen = ListenAddress(host: "127.0.0.1", port: 9187)
        if let text = text(.metricsListen) {
            if let address = ListenAddress(text) {
                listen = address
            } else {
                issue(.metricsListen, "expected a numeric address and port, like 127.0.0.1:9187 or [::1]:9187")
            }
        }

        let webhookTimeout = integer(.webhookTimeoutSeconds, default: 10, in: 1...300)
        var webhook: WebhookSettings?
        let webhookURLText = text(.webhookURL).flatMap { $0.isEmpty ? nil : $0 }
        let webhookSecretText = text(.webhookSecret).flatMap { $0.isEmpty ? nil : $0 }
        switch (webhookURLText, webhookSecretText) {
        case (let urlText?, let secretText?):
            if let url = URL(string: urlText), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https",
                url.host?.isEmpty == false
            {
                if secretText.utf8.count < 16 {
                    issue(.webhookSecret, "must be at least 16 bytes long (e.g. `openssl rand -hex 32`)")
                }
                webhook = WebhookSettings(
                    url: url, secret: Secret(secretText), timeout: .seconds(webhookTimeout))
            } else {
                issue(.webhookURL, "expected an http:// or https:// URL with a host")
            }
        case (.some, nil):
            issue(.webhookURL, "webhook.secret is required when webhook.url is set")
        case (nil, .some):
            issue(.webhookSecret, "set webhook.url too, or remove the secret")
        case (nil, nil):
            break
        }

        let sendmailPath = text(.sendmailPath) ?? "/usr/sbin/sendmail"
        if !sendmailPath.hasPrefix("/") {
            issue(.sendmailPath, "must be an absolute path")
        }
        let mailTimeout = integer(.mailTimeoutSeconds, default: 30, in: 1...600)
        var mail: MailSettings?
        if let from = text(.mailFrom), !from.isEmpty {
            if from.contains(where: { $0.isNewline }) || !from.contains("@") {
                issue(.mailFrom, "expected one e-mail address, like \"IPCase <ipcase@example.org>\"")
            }
            mail = MailSettings(sendmailPath: sendmailPath, from: from, timeout: .seconds(mailTimeout))
        }

        let notificationAttempts = integer(.notificationMaxAttempts, default: 8, in: 1...100)
        let initialBackoff = integer(.notificationInitialBackoffSeconds, default: 5, in: 1...86_400)
        let maxBackoff = integer(.notificationMaxBackoffSeconds, default: 3_600, in: 1...604_800)
        if maxBackoff < initialBackoff {
            issue(.notificationMaxBackoffSeconds, "must not be less than notifications.initial_backoff_seconds")
        }
        let shutdownSeconds = integer(.shutdownTimeoutSeconds, default: 60, in: 1...3_600)

        var logLevel = Logger.Level.info
        if let text = text(.logLevel) {
            if let level = Logger.Level(rawValue: text.lowercased()) {
                logLevel = level
            } else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                issue(.logLevel, "expected one of \(names)")
            }
        }

        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return DaemonConfiguration(
            databaseURL: databaseURL,
            workers: workers,
            batchSize: batchSize,
            lease: .seconds(leaseSeconds),
            maxAttempts: maxAttempts,
            sweepInterval: .seconds(sweepSeconds),
            reminderOffsetsDays: offsets,
            decisionLeadDays: decisionLeadDays,
            decisionEscalationDays: decisionEscalationDays,
            metricsListen: listen,
            webhook: webhook,
            mail: mail,
            sendmailPath: sendmailPath,
            notificationRetry: RetryPolicy(
                maxAttempts: notificationAttempts, initialDelay: .seconds(initialBackoff),
                maxDelay: .seconds(maxBackoff)),
            shutdownTimeout: .seconds(shutdownSeconds),
            logLevel: logLevel,
            sources: settings.mapValues(\.source)
        )
    }
}
