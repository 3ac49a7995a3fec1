import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (`systemctl reload ipcased`) and publishes it to a `ConfigurationStore`.
///
/// Each reload sends `RELOADING=1` with `MONOTONIC_USEC=`, loads the configuration again
/// (same file, environment and options as at start), and then `READY=1`. An invalid file is
/// rejected with its errors logged and the previous configuration stays in effect. Settings
/// that need a restart keep their old values and a warning names them. The shared log level
/// follows `log.level` at once.
public struct ConfigurationReloadService: Service {
    /// What a reload did.
    public enum Outcome: Sendable, Hashable {
        /// The new configuration is in effect; `ignored` lists changed settings that need a restart.
        case applied(changed: [ConfigKey], ignored: [ConfigKey])
        /// The configuration was read again and nothing changed.
        case unchanged
        /// The new configuration was invalid; the previous one stays.
        case rejected(ConfigurationError)
    }

    private let store: ConfigurationStore
    private let notifier: SystemdNotifier
    private let logLevel: SharedLogLevel?
    private let load: @Sendable () throws(ConfigurationError) -> DaemonConfiguration
    private let logger: Logger

    /// A reloader.
    /// - Parameters:
    ///   - store: receives the new configuration.
    ///   - notifier: for `RELOADING=1` and `READY=1`.
    ///   - logLevel: updated to the new `log.level`, if given.
    ///   - load: reads the configuration again (usually `ConfigurationLoader.load`).
    ///   - logger: receives the outcome.
    public init(
        store: ConfigurationStore,
        notifier: SystemdNotifier,
        logLevel: SharedLogLevel? = nil,
        load: @escaping @Sendable () throws(ConfigurationError) -> DaemonConfiguration,
        logger: Logger
    ) {
        self.store = store
        self.notifier = notifier
        self.logLevel = logLevel
        self.load = load
        self.logger = logger
    }

    /// Waits for SIGHUP and reloads on each, until graceful shutdown.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown { [self] in
            for await _ in signals {
                self.reload()
            }
        }
    }

    /// Reloads once (what SIGHUP does).
    @discardableResult
    public func reload() -> Outcome {
        send(.reloadingNow(), .status("reloading configuration"))
        let old = store.current
        let outcome: Outcome
        do {
            let loaded = try load()
            let changed = loaded.changedKeys(from: old)
            let ignored = changed.filter(\.requiresRestart)
            var effective = loaded
            for key in ignored { effective.keepStartupValue(of: key, from: old) }
            if changed.isEmpty {
                outcome = .unchanged
            } else {
                store.publish(effective)
                logLevel?.current = effective.logLevel
                outcome = .applied(changed: changed, ignored: ignored)
            }
        } catch {
            outcome = .rejected(error)
        }
        switch outcome {
        case .applied(let changed, let ignored):
            logger.notice(
                "Configuration reloaded",
                metadata: ["config.changed": "\(changed.map(\.rawValue).joined(separator: ","))"])
            if !ignored.isEmpty {
                logger.warning(
                    "Configuration changes need a restart to take effect",
                    metadata: ["config.ignored": "\(ignored.map(\.rawValue).joined(separator: ","))"])
            }
            send(.ready, .status("configuration reloaded"))
        case .unchanged:
            logger.info("Configuration reloaded without changes")
            send(.ready, .status("configuration reloaded"))
        case .rejected(let error):
            for issue in error.issues {
                logger.error("Configuration reload rejected", metadata: ["config.issue": "\(issue)"])
            }
            send(.ready, .status("configuration reload rejected; previous configuration kept"))
        }
        return outcome
    }

    private func send(_ states: SystemdNotifyState...) {
        do {
            try notifier.notify(states)
        } catch {
            logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
        }
    }
}

extension DaemonConfiguration {
    /// Puts back the start-up value of a setting that needs a restart.
    mutating func keepStartupValue(of key: ConfigKey, from old: DaemonConfiguration) {
        switch key {
        case .databaseURL: databaseURL = old.databaseURL
        case .workers: workers = old.workers
        case .metricsListen: metricsListen = old.metricsListen
        case .shutdownTimeoutSeconds: shutdownTimeout = old.shutdownTimeout
        case .batchSize, .leaseSeconds, .maxAttempts, .sweepIntervalSeconds, .reminderOffsetsDays,
            .decisionLeadDays, .decisionEscalationDays, .webhookURL,
            .webhookSecret, .webhookTimeoutSeconds, .sendmailPath, .mailFrom, .mailTimeoutSeconds,
            .notificationMaxAttempts, .notificationInitialBackoffSeconds, .notificationMaxBackoffSeconds, .logLevel:
            return
        }
        sources[key] = old.sources[key]
    }
}
