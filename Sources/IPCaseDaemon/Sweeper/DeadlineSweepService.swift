import Foundation
import IPCaseStore
import Logging
import ServiceLifecycle

/// The deadline sweeper as a service: sweeps every `sweep_interval` (or at once when woken),
/// on its own database connection, reconnecting with backoff after a failure.
///
/// On graceful shutdown the sweep in progress completes (each office's step is one
/// transaction) and the service returns.
public struct DeadlineSweepService: Service {
    /// Raise it to sweep before the interval runs out (e.g. after deadlines were recomputed).
    public let wake: WakeSignal
    private let context: DaemonContext
    private let clock: DaemonClock
    private let outboxWake: WakeSignal?
    private let connect: @Sendable () async throws -> Store

    /// A sweeper service.
    /// - Parameters:
    ///   - context: configuration (offsets, interval, channels), metrics, logger.
    ///   - clock: where "now" comes from (fixed in tests).
    ///   - wake: wakes the sweeper early.
    ///   - outboxWake: raised after a sweep wrote messages, so the sender delivers them at once.
    ///   - connect: opens the sweeper's connection (by default to `database.url`).
    public init(
        context: DaemonContext, clock: DaemonClock = .system, wake: WakeSignal = WakeSignal(),
        outboxWake: WakeSignal? = nil, connect: (@Sendable () async throws -> Store)? = nil
    ) {
        self.context = context
        self.clock = clock
        self.wake = wake
        self.outboxWake = outboxWake
        self.connect =
            connect ?? { [context] in
                try await DaemonStoreConnector(context: context, applicationName: "ipcased-sweeper")
                    .connect()
            }
    }

    /// The channel new messages are written for: e-mail when configured, else the webhook
    /// (with neither, e-mail: the messages wait until a channel is configured).
    public static func channel(for configuration: DaemonConfiguration) -> OutboxChannel {
        if configuration.mail == nil && configuration.webhook != nil { return .webhook }
        return .email
    }

    /// Sweeps until graceful shutdown.
    public func run() async throws {
        let logger = context.logger
        var store: Store?
        var backoff = Duration.seconds(1)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = context.configuration.current
            do {
                let connected: Store
                if let store { connected = store } else { connected = try await connect() }
                store = connected
                let sweeper = DeadlineSweeper(
                    store: connected, schedule: ReminderSchedule(offsets: configuration.reminderOffsetsDays),
                    channel: Self.channel(for: configuration), logger: logger)
                let report = try await sweeper.sweep(at: clock.now())
                context.metrics.deadlinesDue7d.set(report.dueWithin7Days)
                if report.reminders + report.escalations + report.missed > 0 {
                    logger.info(
                        "Deadline sweep",
                        metadata: [
                            "sweep.reminders": "\(report.reminders)",
                            "sweep.escalations": "\(report.escalations)",
                            "sweep.missed": "\(report.missed)", "sweep.lapsed_rights": "\(report.lapsedRights)",
                            "sweep.lapsed_options": "\(report.lapsedOptions)",
                        ])
                    outboxWake?.wake()
                }
                backoff = .seconds(1)
                await wake.wait(upTo: configuration.sweepInterval)
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                try MissingPrivilegeError.stopIfMissingPrivilege(error, service: "sweeper", logger: logger)
                logger.error(
                    "Deadline sweep failed; reconnecting",
                    metadata: ["error": "\(error)", "retry.delay": "\(backoff)"])
                await store?.connection.close()
                store = nil
                let delay = backoff
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                backoff = min(backoff * 2, .seconds(30))
            }
        }
        await store?.connection.close()
    }
}

/// Opens a store on the configured database for one service.
struct DaemonStoreConnector: Sendable {
    let context: DaemonContext
    let applicationName: String

    func connect() async throws -> Store {
        let url = context.configuration.current.databaseURL.secret.revealed()
        let logger = context.logger
        return try await Store.connect(url: url, applicationName: applicationName, logger: logger)
    }
}
