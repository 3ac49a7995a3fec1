/// Where a configuration value came from.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// The built-in default.
    case defaultValue
    /// A line of a configuration file (line 0: the file as a whole).
    case file(path: String, line: Int)
    /// An environment variable.
    case environment(variable: String)
    /// A command-line option.
    case commandLine(option: String)

    /// `path:line`, `environment NAME`, `option --name` or `default`.
    public var description: String {
        switch self {
        case .defaultValue: "default"
        case .file(let path, let line): line > 0 ? "\(path):\(line)" : path
        case .environment(let variable): "environment \(variable)"
        case .commandLine(let option): "option \(option)"
        }
    }
}

/// One problem in the configuration, naming where it is and which field.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the offending value was written (file and line, variable or option).
    public var source: ConfigSource
    /// The field, `section.key`, when known.
    public var field: String?
    /// What is wrong, never containing a secret value.
    public var message: String

    /// An issue at `source` about `field`.
    public init(source: ConfigSource, field: String?, message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    /// `source: field: message`, e.g. `/etc/ipcase/ipcased.conf:7: queue.workers: must be between 1 and 64`.
    public var description: String {
        switch (source, field) {
        case (.defaultValue, let field?): "\(field): \(message)"
        case (_, let field?): "\(source): \(field): \(message)"
        case (_, nil): "\(source): \(message)"
        }
    }
}

/// The configuration is unusable; `issues` lists every problem found.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in file order.
    public var issues: [ConfigurationIssue]

    /// An error with the given issues.
    public init(issues: [ConfigurationIssue]) {
        self.issues = issues
    }

    /// One issue per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
