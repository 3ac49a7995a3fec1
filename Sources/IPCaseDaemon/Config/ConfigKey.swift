/// Every setting of `ipcased`, named `section.key` as in the configuration file.
///
/// Each has an environment override: `IPCASE_` followed by the name in capitals with `.`
/// replaced by `_` (`queue.batch_size` → `IPCASE_QUEUE_BATCH_SIZE`, `database.url` →
/// `IPCASE_DATABASE_URL`).
public enum ConfigKey: String, CaseIterable, Sendable, Hashable, Comparable {
    /// `database.url`: PostgreSQL URL or conninfo (secret).
    case databaseURL = "database.url"
    /// `queue.workers`: concurrent job workers.
    case workers = "queue.workers"
    /// `queue.batch_size`: jobs claimed per batch.
    case batchSize = "queue.batch_size"
    /// `queue.lease_seconds`: how long a claimed job stays leased without a heartbeat.
    case leaseSeconds = "queue.lease_seconds"
    /// `queue.max_attempts`: attempts before a job is parked as dead.
    case maxAttempts = "queue.max_attempts"
    /// `queue.sweep_interval_seconds`: the periodic sweep, the floor under LISTEN/NOTIFY wake-ups.
    case sweepIntervalSeconds = "queue.sweep_interval_seconds"
    /// `reminders.offsets_days`: days before a due date at which reminders go out.
    case reminderOffsetsDays = "reminders.offsets_days"
    /// `decisions.lead_days`: days before a fee's due date at which its renewal decision opens.
    case decisionLeadDays = "decisions.lead_days"
    /// `decisions.escalation_days`: days before the due date from which an undecided renewal
    /// decision is escalated to the office's supervisor.
    case decisionEscalationDays = "decisions.escalation_days"
    /// `metrics.listen`: address of the metrics and health endpoint.
    case metricsListen = "metrics.listen"
    /// `webhook.url`: where notifications are POSTed (optional).
    case webhookURL = "webhook.url"
    /// `webhook.secret`: the HMAC-SHA256 signing key (secret).
    case webhookSecret = "webhook.secret"
    /// `webhook.timeout_seconds`: the timeout of one webhook request.
    case webhookTimeoutSeconds = "webhook.timeout_seconds"
    /// `mail.sendmail_path`: the `sendmail` program.
    case sendmailPath = "mail.sendmail_path"
    /// `mail.from`: the sender address of e-mail notifications (optional; e-mail is off without it).
    case mailFrom = "mail.from"
    /// `mail.timeout_seconds`: how long `sendmail` may run.
    case mailTimeoutSeconds = "mail.timeout_seconds"
    /// `notifications.max_attempts`: delivery attempts of one notification.
    case notificationMaxAttempts = "notifications.max_attempts"
    /// `notifications.initial_backoff_seconds`: wait after the first failed delivery.
    case notificationInitialBackoffSeconds = "notifications.initial_backoff_seconds"
    /// `notifications.max_backoff_seconds`: the longest wait between deliveries.
    case notificationMaxBackoffSeconds = "notifications.max_backoff_seconds"
    /// `daemon.shutdown_timeout_seconds`: how long draining may take after SIGTERM.
    case shutdownTimeoutSeconds = "daemon.shutdown_timeout_seconds"
    /// `log.level`: trace, debug, info, notice, warning, error or critical.
    case logLevel = "log.level"

    /// The environment variable that overrides this setting.
    public var environmentVariable: String {
        "IPCASE_" + rawValue.uppercased().replacing(".", with: "_")
    }

    /// Whether the value is a secret, shown redacted.
    public var isSecret: Bool {
        switch self {
        case .databaseURL, .webhookSecret: true
        case .workers, .batchSize, .leaseSeconds, .maxAttempts, .sweepIntervalSeconds, .reminderOffsetsDays,
            .decisionLeadDays, .decisionEscalationDays,
            .metricsListen, .webhookURL, .webhookTimeoutSeconds, .sendmailPath, .mailFrom, .mailTimeoutSeconds,
            .notificationMaxAttempts, .notificationInitialBackoffSeconds, .notificationMaxBackoffSeconds,
            .shutdownTimeoutSeconds, .logLevel:
            false
        }
    }

    /// Whether a change takes effect only after a restart (a SIGHUP reload keeps the old value).
    public var requiresRestart: Bool {
        switch self {
        case .databaseURL, .workers, .metricsListen, .shutdownTimeoutSeconds: true
        case .batchSize, .leaseSeconds, .maxAttempts, .sweepIntervalSeconds, .reminderOffsetsDays,
            .decisionLeadDays, .decisionEscalationDays, .webhookURL,
            .webhookSecret, .webhookTimeoutSeconds, .sendmailPath, .mailFrom, .mailTimeoutSeconds,
            .notificationMaxAttempts, .notificationInitialBackoffSeconds, .notificationMaxBackoffSeconds,
            .logLevel:
            false
        }
    }

    /// The section part of the name (`queue`).
    public var section: String { String(rawValue.split(separator: ".")[0]) }
    /// The key part of the name (`batch_size`).
    public var key: String { String(rawValue.split(separator: ".")[1]) }

    /// Orders keys as declared (the order of the example file).
    public static func < (lhs: ConfigKey, rhs: ConfigKey) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
