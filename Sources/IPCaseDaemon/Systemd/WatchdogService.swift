import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The watchdog timeout systemd asked for through `WATCHDOG_USEC` (and `WATCHDOG_PID`).
public struct WatchdogTimeout: Sendable, Hashable {
    /// The time after which systemd considers the service hung (`WatchdogSec=`).
    public var timeout: Duration

    /// A timeout given explicitly.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Reads `WATCHDOG_USEC`; `nil` when unset, invalid, zero, or when `WATCHDOG_PID` names another process.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - processID: this process's id, compared with `WATCHDOG_PID`.
    public init?(environment: [String: String], processID: Int32 = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pidText = environment["WATCHDOG_PID"] {
            guard let pid = Int32(pidText), pid == processID else { return nil }
        }
        self.timeout = .microseconds(Int64(clamping: usec))
    }

    /// How often to ping: half of the timeout, as `sd_watchdog_enabled(3)` recommends.
    public var pingInterval: Duration { timeout / 2 }
}

/// Sends `WATCHDOG=1` at half of the watchdog timeout until graceful shutdown.
///
/// Place it first in the `ServiceGroup` so that it is stopped last and keeps pinging while
/// the other services drain. When `isHealthy` returns `false` the ping is skipped, so a hung
/// daemon is restarted by systemd instead of pretending to be alive. `isHealthy` is about
/// liveness (e.g. "a worker made progress recently"), not readiness: a database outage that
/// the daemon rides out by reconnecting should not stop the pings.
public struct WatchdogService: Service {
    private let notifier: SystemdNotifier
    private let interval: Duration
    private let isHealthy: @Sendable () -> Bool
    private let logger: Logger

    /// A watchdog pinging at `timeout.pingInterval`.
    /// - Parameters:
    ///   - notifier: where `WATCHDOG=1` is sent.
    ///   - timeout: the watchdog timeout (usually `WatchdogTimeout(environment:)`).
    ///   - isHealthy: consulted before each ping; `false` skips it.
    ///   - logger: receives send failures and skipped pings.
    public init(
        notifier: SystemdNotifier,
        timeout: WatchdogTimeout,
        isHealthy: @escaping @Sendable () -> Bool = { true },
        logger: Logger
    ) {
        self.notifier = notifier
        self.interval = timeout.pingInterval
        self.isHealthy = isHealthy
        self.logger = logger
    }

    /// Pings immediately, then every interval; returns on graceful shutdown or cancellation.
    public func run() async throws {
        logger.debug("Watchdog started", metadata: ["watchdog.interval": "\(interval)"])
        let (notifier, interval, isHealthy, logger) = (notifier, interval, isHealthy, logger)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if isHealthy() {
                    do {
                        try notifier.notify(.watchdog)
                    } catch {
                        logger.warning("Watchdog ping failed", metadata: ["error": "\(error)"])
                    }
                } else {
                    logger.warning("Watchdog ping skipped: the daemon reports itself unhealthy")
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
        logger.debug("Watchdog stopped")
    }
}
