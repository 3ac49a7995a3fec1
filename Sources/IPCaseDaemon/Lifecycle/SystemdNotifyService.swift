import Logging
import ServiceLifecycle

/// Tells systemd about the daemon's life: `READY=1` once every health component is ready,
/// `STATUS=` every `statusInterval`, and `STOPPING=1` as soon as graceful shutdown begins.
///
/// Place it last in the `ServiceGroup`: the group signals shutdown in reverse order, so this
/// service hears it first, sends `STOPPING=1` and marks health as stopping, and the work
/// services then drain.
public struct SystemdNotifyService: Service {
    private let notifier: SystemdNotifier
    private let health: DaemonHealth
    private let status: @Sendable () -> String
    private let statusInterval: Duration
    private let logger: Logger

    /// A notify service.
    /// - Parameters:
    ///   - notifier: where messages go (a no-op outside systemd).
    ///   - health: `READY=1` waits until it reports ready.
    ///   - statusInterval: how often `STATUS=` is refreshed while running.
    ///   - status: the one-line status text, e.g. live queue counts.
    ///   - logger: receives send failures.
    public init(
        notifier: SystemdNotifier,
        health: DaemonHealth,
        statusInterval: Duration = .seconds(10),
        status: @escaping @Sendable () -> String,
        logger: Logger
    ) {
        self.notifier = notifier
        self.health = health
        self.status = status
        self.statusInterval = statusInterval
        self.logger = logger
    }

    /// Sends `READY=1`, then status updates, then `STOPPING=1` on graceful shutdown or cancellation.
    public func run() async throws {
        let (notifier, health, status, statusInterval, logger) = (
            self.notifier, self.health, self.status, self.statusInterval, self.logger
        )
        let send: @Sendable ([SystemdNotifyState]) -> Void = { states in
            do {
                try notifier.notify(states)
            } catch {
                logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
            }
        }
        await cancelWhenGracefulShutdown {
            do {
                try await health.waitUntilReady()
            } catch {
                return
            }
            send([.ready, .status(status())])
            logger.info("Daemon ready")
            while true {
                do {
                    try await Task.sleep(for: statusInterval)
                } catch {
                    return
                }
                send([.status(status())])
            }
        }
        health.beginStopping()
        send([.stopping, .status("stopping: draining in-flight work")])
        logger.info("Shutdown began: draining in-flight work")
    }
}
