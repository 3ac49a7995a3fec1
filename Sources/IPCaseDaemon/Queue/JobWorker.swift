import Foundation
import IPCase
import IPCaseStore
import Logging
import PostgresClient
import ServiceLifecycle

/// How a worker runs: until shutdown, or until nothing is due (`ipcased run --once`).
public enum WorkerMode: Sendable, Hashable {
    /// Wait for work (woken by the listener, at least every sweep interval) until shutdown.
    case continuous
    /// Return once no job is due.
    case untilIdle
}

/// One job worker: claims a batch of due jobs (`FOR UPDATE SKIP LOCKED`), holds their lease
/// (renewed by a ``LeaseHeartbeat`` while the batch is processed), processes them with
/// ``JobBatchProcessor`` and commits results and completion together.
///
/// On graceful shutdown it finishes the batch in hand, then returns. A lost connection is
/// reopened by its ``DatabaseLink``; the jobs it held are put back at once (otherwise after
/// their lease).
/// Expired leases of other workers (crashed daemons) are reclaimed whenever the queue runs dry
/// and at least every sweep interval.
public struct JobWorker: Service {
    private let name: String
    private let databaseURL: DatabaseURL
    private let context: DaemonContext
    private let doorbell: JobDoorbell
    private let mode: WorkerMode
    private let explanations: Bool
    private let beforeProcessing: (@Sendable ([ClaimedJob]) async -> Void)?

    /// A worker.
    /// - Parameters:
    ///   - name: unique among all daemons (written into `jobs.locked_by`), e.g. `host:pid:1`.
    ///   - databaseURL: where the queue is.
    ///   - context: configuration (batch size, lease, attempts, sweep interval), metrics, logger.
    ///   - doorbell: wakes the worker; it starts once the doorbell is open.
    ///   - mode: continuous or `--once`.
    ///   - explanations: also store each deadline's one-line explanation (rendering costs about a
    ///     millisecond per right; by default it is left to be rendered on demand from the rule).
    ///   - beforeProcessing: called with each claimed batch before it is processed (tests use it to
    ///     make a batch slow); the lease heartbeat already runs.
    public init(
        name: String, databaseURL: DatabaseURL, context: DaemonContext, doorbell: JobDoorbell, mode: WorkerMode,
        explanations: Bool = false, beforeProcessing: (@Sendable ([ClaimedJob]) async -> Void)? = nil
    ) {
        self.name = name
        self.databaseURL = databaseURL
        self.context = context
        self.doorbell = doorbell
        self.mode = mode
        self.explanations = explanations
        self.beforeProcessing = beforeProcessing
    }

    /// Works until graceful shutdown (or, in `untilIdle` mode, until nothing is due).
    public func run() async throws {
        var logger = context.logger
        logger[metadataKey: "worker"] = "\(name)"
        let doorbell = self.doorbell
        let heartbeat = LeaseHeartbeat(worker: name, databaseURL: databaseURL, logger: logger)
        try await withGracefulShutdownHandler {
            try await doorbell.waitUntilOpen()
            let (name, databaseURL, workerLogger) = (self.name, self.databaseURL, logger)
            // Dropping the last reference closes the connection (PQfinish in its deinit).
            let link = DatabaseLink<PostgresConnection>(
                service: "worker", logger: logger,
                open: {
                    let live = try await PostgresConnection.connect(
                        url: databaseURL.secret.revealed(), applicationName: "ipcased worker", logger: workerLogger)
                    // Jobs this worker held when its connection broke: back to the queue now.
                    let released = try await live.execute(JobStatements.release(worker: name))
                    if released > 0 {
                        workerLogger.info("released jobs after reconnecting", metadata: ["jobs": "\(released)"])
                    }
                    return live
                },
                close: { await $0.close() })
            var lastReclaim = ContinuousClock.now - .seconds(3600)
            var lastDepth = lastReclaim
            while !Task.isShuttingDownGracefully {
                try Task.checkCancellation()
                let seen = doorbell.generation
                let configuration = context.configuration.current
                let next = try await link.withConnection { live -> Next in
                    if ContinuousClock.now - lastReclaim >= configuration.sweepInterval {
                        try await reclaim(on: live, logger: logger)
                        lastReclaim = .now
                    }
                    let claimed = try await runBatch(
                        on: live, heartbeat: heartbeat, configuration: configuration, logger: logger)
                    if claimed > 0 { return .again }
                    // Dry: look for crashed workers' jobs before napping.
                    try await reclaim(on: live, logger: logger)
                    lastReclaim = .now
                    if ContinuousClock.now - lastDepth >= configuration.sweepInterval {
                        try await publishDepth(on: live)
                        lastDepth = .now
                    }
                    guard mode == .untilIdle else { return .nap }
                    return try await live.query(JobStatements.anyDue)[0].decode(Bool.self, at: 0) ? .again : .stop
                }
                switch next {
                case nil, .again?:
                    continue
                case .stop?:
                    await link.close()
                    logger.info("no job is due; stopping (--once)")
                    if !doorbell.claimStop() { try? await gracefulShutdown() }
                    return
                case .nap?:
                    await doorbell.wait(after: seen, timeout: configuration.sweepInterval)
                }
            }
            await link.close()
        } onGracefulShutdown: {
            doorbell.ring()
        }
    }

    /// What the worker does after a round.
    private enum Next {
        /// Claim again at once (it claimed jobs, or `--once` and some are due).
        case again
        /// Wait for the doorbell.
        case nap
        /// `--once`: nothing is due.
        case stop
    }

    /// Claims, processes and commits one batch; returns how many jobs were claimed.
    private func runBatch(
        on connection: PostgresConnection, heartbeat: LeaseHeartbeat, configuration: DaemonConfiguration,
        logger: Logger
    ) async throws -> Int {
        let claimedAt = ContinuousClock.now
        let jobs = try await Store(connection: connection, logger: logger).withService(actor: "ipcased") { session in
            try await session.claimJobs(limit: configuration.batchSize, lease: configuration.lease, worker: name)
        }
        guard !jobs.isEmpty else { return 0 }
        let processor = JobBatchProcessor(
            explanations: explanations, notices: NoticeRoute(configuration: configuration),
            retry: RetryPolicy(
                maxAttempts: configuration.maxAttempts, initialDelay: .seconds(1),
                maxDelay: max(.seconds(1), configuration.lease * 30)),
            worker: name, logger: logger)
        // The heartbeat extends the leases every third of the lease, counted from the claim.
        let beforeProcessing = self.beforeProcessing
        let outcome = try await heartbeat.holding(jobs.map(\.id), lease: configuration.lease, claimedAt: claimedAt) {
            await beforeProcessing?(jobs)
            return try await processor.process(jobs, on: connection)
        }
        let settled = outcome.completed + outcome.failed + outcome.dead
        if settled < jobs.count {
            logger.warning(
                "jobs left to the worker that claimed them after this one lost their lease",
                metadata: ["jobs.lost": "\(jobs.count - settled)", "jobs": "\(jobs.count)"])
        }
        let metrics = context.metrics
        if outcome.completed > 0 { metrics.jobsProcessed.increment(by: Int64(outcome.completed)) }
        if outcome.failed > 0 { metrics.jobsFailed.increment(by: Int64(outcome.failed)) }
        if outcome.dead > 0 {
            metrics.jobsFailed.increment(by: Int64(outcome.dead))
            metrics.jobsDead.increment(by: Int64(outcome.dead))
            logger.error("jobs parked as dead", metadata: ["jobs": "\(outcome.dead)"])
        }
        logger.debug(
            "batch committed",
            metadata: [
                "jobs": "\(jobs.count)", "completed": "\(outcome.completed)", "failed": "\(outcome.failed)",
                "deadlines.written": "\(outcome.deadlinesWritten)",
                "deadlines.superseded": "\(outcome.deadlinesSuperseded)",
            ])
        return jobs.count
    }

    private func reclaim(on connection: PostgresConnection, logger: Logger) async throws {
        let reclaimed = try await Store(connection: connection, logger: logger).withService(actor: "ipcased") {
            try await $0.reclaimExpiredJobs()
        }
        if reclaimed > 0 { logger.notice("reclaimed jobs with an expired lease", metadata: ["jobs": "\(reclaimed)"]) }
    }

    private func publishDepth(on connection: PostgresConnection) async throws {
        let row = try await connection.query(JobStatements.depth)[0]
        let (depth, age) = try row.decode(Int.self, Double.self)
        context.metrics.queueDepth.set(Double(depth))
        context.metrics.oldestJobAgeSeconds.set(age)
    }
}
