import Foundation
import IPCaseStore
import Logging
import ServiceLifecycle

/// The outbox sender as a service: delivers due messages in rounds, polling every
/// `pollInterval` (retries become due on their own) or at once when woken, on its own
/// connection (a ``DatabaseLink``: reconnected after a failure).
///
/// On graceful shutdown the round in progress completes (every claimed message is attempted
/// and its result recorded) and the service returns.
public struct OutboxSenderService: Service {
    /// Raise it when messages were queued.
    public let wake: WakeSignal
    private let context: DaemonContext
    private let pollInterval: Duration
    private let worker: String
    private let connect: @Sendable () async throws -> Store

    /// Messages claimed per round at most (each is one HTTP request or `sendmail` run).
    public static let roundSize = 20

    /// A sender service.
    /// - Parameters:
    ///   - context: configuration (channels, retry policy), metrics, logger.
    ///   - wake: wakes the sender early.
    ///   - pollInterval: the longest wait between rounds.
    ///   - worker: the name in `locked_by` (host, process, `outbox` by default).
    ///   - connect: opens the sender's connection (by default to `database.url`).
    public init(
        context: DaemonContext, wake: WakeSignal = WakeSignal(), pollInterval: Duration = .seconds(5),
        worker: String? = nil, connect: (@Sendable () async throws -> Store)? = nil
    ) {
        self.context = context
        self.wake = wake
        self.pollInterval = pollInterval
        self.worker = worker ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):outbox"
        self.connect =
            connect ?? { [context] in
                try await DaemonStoreConnector(context: context, applicationName: "ipcased-outbox")
                    .connect()
            }
    }

    /// Delivers until graceful shutdown.
    public func run() async throws {
        let logger = context.logger
        let link = DatabaseLink(
            service: "outbox sender", logger: logger, open: connect, close: { await $0.connection.close() })
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = context.configuration.current
            let (worker, metrics) = (self.worker, context.metrics)
            let sent = try await link.withConnection { store in
                try await Self.sender(
                    store: store, configuration: configuration, worker: worker, metrics: metrics, logger: logger
                ).sendDue(limit: Self.roundSize)
            }
            guard let report = sent else { continue }
            if report.claimed < Self.roundSize {
                await wake.wait(upTo: min(pollInterval, configuration.sweepInterval))
            }
        }
        await link.close()
    }

    /// A sender for `configuration`: its channels and retry policy, and a lease long enough for a
    /// whole round of attempts at the channels' timeouts.
    public static func sender(
        store: Store, configuration: DaemonConfiguration, worker: String, metrics: DaemonMetrics?,
        logger: Logger
    ) -> OutboxSender {
        let timeout = max(
            configuration.webhook?.timeout ?? .zero, configuration.mail?.timeout ?? .zero, .seconds(1))
        return OutboxSender(
            store: store, channels: OutboxSender.channels(of: configuration),
            policy: configuration.notificationRetry,
            lease: timeout * roundSize + .seconds(60), worker: worker, metrics: metrics, logger: logger)
    }
}
