import Foundation
import Logging
import Synchronization

/// The log level shared by every logger of the daemon, changeable at run time (SIGHUP reload).
public final class SharedLogLevel: Sendable {
    private let level: Mutex<Logger.Level>

    /// A shared level starting at `level`.
    public init(_ level: Logger.Level) {
        self.level = Mutex(level)
    }

    /// The current level.
    public var current: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
}

/// A `LogHandler` writing one line per message to standard error, for the journal.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with the syslog priority (`<6>`),
/// which journald turns into the entry's priority, and carries no timestamp (journald adds one).
/// Otherwise lines carry an ISO 8601 timestamp and the level name. Metadata follows the
/// message as `key=value`. Only `main` bootstraps logging with it:
///
/// ```swift
/// let level = SharedLogLevel(.info)
/// LoggingSystem.bootstrap { DaemonLogHandler(label: $0, level: level, journal: true) }
/// ```
public struct DaemonLogHandler: LogHandler {
    private let label: String
    private let sharedLevel: SharedLogLevel
    private let journal: Bool
    private var levelOverride: Logger.Level?

    /// The handler's metadata, added to every message.
    public var metadata: Logger.Metadata = [:]

    /// A handler for `label` following `level`.
    /// - Parameters:
    ///   - label: the logger's label.
    ///   - level: the shared, reloadable level.
    ///   - journal: write syslog priority prefixes instead of timestamps (stderr connected to journald).
    public init(label: String, level: SharedLogLevel, journal: Bool) {
        self.label = label
        self.sharedLevel = level
        self.journal = journal
    }

    /// Whether standard error is connected to the journal (systemd sets `JOURNAL_STREAM`).
    public static func isJournalStream(environment: [String: String]) -> Bool {
        environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
    }

    /// The level of this logger: the shared level unless set on this handler.
    public var logLevel: Logger.Level {
        get { levelOverride ?? sharedLevel.current }
        set { levelOverride = newValue }
    }

    /// Reads or writes one metadata entry.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line to standard error.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        let rendered =
            merged.isEmpty
            ? ""
            : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let message = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
        let line: String
        if journal {
            line = "<\(Self.syslogPriority(event.level))>\(label): \(message)\(rendered)\n"
        } else {
            let time = Date().formatted(.iso8601)
            line = "\(time) \(event.level) \(label): \(message)\(rendered)\n"
        }
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// The syslog priority (`sd-daemon(3)` prefixes) of a log level.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
