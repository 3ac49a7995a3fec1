import Logging

/// What every daemon service gets: configuration, health, metrics, systemd notifier and a logger.
///
/// The database services (listener, workers, sweeper, notification sender) are built from
/// a context and added to `DaemonServiceGroup`'s `workServices`:
///
/// ```swift
/// context.health.require("database")
/// // … once connected and migrations are current:
/// context.health.setReady("database")
/// // per batch:
/// let batchSize = context.configuration.current.batchSize
/// context.metrics.jobsProcessed.increment(by: processed)
/// ```
public struct DaemonContext: Sendable {
    /// The current configuration, replaced on SIGHUP.
    public var configuration: ConfigurationStore
    /// Readiness and health, behind `READY=1` and `/healthz`.
    public var health: DaemonHealth
    /// The Prometheus metrics.
    public var metrics: DaemonMetrics
    /// The systemd notifier (a no-op outside systemd).
    public var notifier: SystemdNotifier
    /// The daemon's logger.
    public var logger: Logger

    /// A context from its parts.
    public init(
        configuration: ConfigurationStore, health: DaemonHealth, metrics: DaemonMetrics, notifier: SystemdNotifier,
        logger: Logger
    ) {
        self.configuration = configuration
        self.health = health
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
    }
}

extension DaemonConfiguration {
    /// The notification channels this configuration enables: webhook and/or e-mail.
    ///
    /// Build them again from `ConfigurationStore.current` for each batch so that a reloaded
    /// URL, secret or sender address takes effect.
    public func notificationChannels() -> [any NotificationChannel] {
        var channels: [any NotificationChannel] = []
        if let webhook { channels.append(WebhookChannel(settings: webhook)) }
        if let mail { channels.append(SendmailChannel(settings: mail)) }
        return channels
    }
}
