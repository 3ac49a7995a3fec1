import Foundation
import Logging

/// The effective configuration of `ipcased`: defaults, then the file, then `IPCASE_*`
/// environment variables, then command-line options.
///
/// Secrets (`database.url`, `webhook.secret`) are never part of a description: use
/// `redactedDescription` to show the configuration.
public struct DaemonConfiguration: Sendable, Hashable {
    /// The PostgreSQL connection string.
    public var databaseURL: DatabaseURL
    /// Concurrent job workers.
    public var workers: Int
    /// Jobs claimed per batch.
    public var batchSize: Int
    /// How long a claimed job stays leased without a heartbeat.
    public var lease: Duration
    /// Attempts before a job is parked as dead.
    public var maxAttempts: Int
    /// The periodic sweep interval, the floor under LISTEN/NOTIFY wake-ups.
    public var sweepInterval: Duration
    /// Days before a due date at which reminders go out, largest first.
    public var reminderOffsetsDays: [Int]
    /// Days before a fee's due date at which its renewal decision opens (90 by default).
    public var decisionLeadDays: Int = 90
    /// Days before the due date from which an undecided renewal decision is escalated (14).
    public var decisionEscalationDays: Int = 14
    /// The address of the metrics and health endpoint.
    public var metricsListen: ListenAddress
    /// The webhook notification channel, when configured.
    public var webhook: WebhookSettings?
    /// The e-mail notification channel, when `mail.from` is configured.
    public var mail: MailSettings?
    /// The `sendmail` program (also when e-mail is off, for `check-config`).
    public var sendmailPath: String
    /// How notification deliveries are retried.
    public var notificationRetry: RetryPolicy
    /// How long draining may take after SIGTERM before work is cancelled.
    public var shutdownTimeout: Duration
    /// The log level.
    public var logLevel: Logger.Level
    /// Where each setting came from.
    public var sources: [ConfigKey: ConfigSource]

    /// The value of `key` in file syntax (secrets redacted unless `revealingSecrets`); `nil` when unset.
    public func value(of key: ConfigKey, revealingSecrets: Bool = false) -> ConfigValue? {
        func secret(_ secret: Secret, redacted: String) -> ConfigValue {
            .string(revealingSecrets ? secret.revealed() : redacted)
        }
        switch key {
        case .databaseURL: return secret(databaseURL.secret, redacted: databaseURL.description)
        case .workers: return .integer(workers)
        case .batchSize: return .integer(batchSize)
        case .leaseSeconds: return .integer(Int(lease.components.seconds))
        case .maxAttempts: return .integer(maxAttempts)
        case .sweepIntervalSeconds: return .integer(Int(sweepInterval.components.seconds))
        case .reminderOffsetsDays: return .array(reminderOffsetsDays.map(ConfigValue.integer))
        case .decisionLeadDays: return .integer(decisionLeadDays)
        case .decisionEscalationDays: return .integer(decisionEscalationDays)
        case .metricsListen: return .string(metricsListen.description)
        case .webhookURL: return webhook.map { .string($0.url.absoluteString) }
        case .webhookSecret: return webhook.map { secret($0.secret, redacted: "<redacted>") }
        case .webhookTimeoutSeconds:
            return .integer(Int((webhook?.timeout ?? Self.defaultWebhookTimeout).components.seconds))
        case .sendmailPath: return .string(sendmailPath)
        case .mailFrom: return mail.map { .string($0.from) }
        case .mailTimeoutSeconds: return .integer(Int((mail?.timeout ?? Self.defaultMailTimeout).components.seconds))
        case .notificationMaxAttempts: return .integer(notificationRetry.maxAttempts)
        case .notificationInitialBackoffSeconds:
            return .integer(Int(notificationRetry.initialDelay.components.seconds))
        case .notificationMaxBackoffSeconds: return .integer(Int(notificationRetry.maxDelay.components.seconds))
        case .shutdownTimeoutSeconds: return .integer(Int(shutdownTimeout.components.seconds))
        case .logLevel: return .string(logLevel.rawValue)
        }
    }

    /// The configuration in file syntax, one setting per line with its source as a comment, secrets redacted.
    public var redactedDescription: String {
        var lines: [String] = []
        var section = ""
        for key in ConfigKey.allCases {
            if key.section != section {
                if !lines.isEmpty { lines.append("") }
                lines.append("[\(key.section)]")
                section = key.section
            }
            let source = sources[key] ?? .defaultValue
            if let value = value(of: key) {
                lines.append("\(key.key) = \(value)  # \(source)")
            } else {
                lines.append("# \(key.key) is not set")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The settings whose values differ between `self` and `other`.
    public func changedKeys(from other: DaemonConfiguration) -> [ConfigKey] {
        ConfigKey.allCases.filter {
            value(of: $0, revealingSecrets: true) != other.value(of: $0, revealingSecrets: true)
        }
    }

    static let defaultWebhookTimeout = Duration.seconds(10)
    static let defaultMailTimeout = Duration.seconds(30)
}

/// A numeric IP address and TCP port to listen on: `127.0.0.1:9187` or `[::1]:9187`.
public struct ListenAddress: Sendable, Hashable, LosslessStringConvertible {
    /// The numeric address (IPv4 dotted quad, or IPv6 without brackets).
    public var host: String
    /// The port (0 lets the system choose).
    public var port: UInt16

    /// Whether `host` is an IPv6 address.
    public var isIPv6: Bool { host.contains(":") }

    /// An address from its parts.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`; `localhost` means 127.0.0.1. `nil` when malformed.
    public init?(_ description: String) {
        let host: Substring
        let portText: Substring
        if description.hasPrefix("[") {
            guard let close = description.firstIndex(of: "]"),
                description[description.index(after: close)...].hasPrefix(":")
            else { return nil }
            host = description[description.index(after: description.startIndex)..<close]
            portText = description[description.index(close, offsetBy: 2)...]
            var probe = in6_addr()
            guard inet_pton(AF_INET6, String(host), &probe) == 1 else { return nil }
        } else {
            guard let colon = description.lastIndex(of: ":") else { return nil }
            host = description[..<colon] == "localhost" ? "127.0.0.1" : description[..<colon]
            portText = description[description.index(after: colon)...]
            var probe = in_addr()
            guard inet_pton(AF_INET, String(host), &probe) == 1 else { return nil }
        }
        guard let port = UInt16(portText) else { return nil }
        self.host = String(host)
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Where and how webhook notifications are delivered.
public struct WebhookSettings: Sendable, Hashable {
    /// The endpoint (http or https).
    public var url: URL
    /// The HMAC-SHA256 key of the `X-IPCase-Signature` header.
    public var secret: Secret
    /// The timeout of one request.
    public var timeout: Duration

    /// Settings from their parts.
    public init(url: URL, secret: Secret, timeout: Duration) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
    }
}

/// How e-mail notifications are handed to the system's mail transfer agent.
public struct MailSettings: Sendable, Hashable {
    /// The `sendmail` program, run as `sendmail -t -oi`.
    public var sendmailPath: String
    /// The `From:` address.
    public var from: String
    /// How long one `sendmail` run may take.
    public var timeout: Duration

    /// Settings from their parts.
    public init(sendmailPath: String, from: String, timeout: Duration) {
        self.sendmailPath = sendmailPath
        self.from = from
        self.timeout = timeout
    }
}
