import IPCaseStore
import Logging
import PostgresClient

/// Keeps a worker's claim alive while it processes a batch: every third of the lease it extends
/// the lease of the jobs the worker still holds, on a connection of its own (the worker's is busy
/// in the batch's transaction), so that a slow batch is not reclaimed and claimed twice.
///
/// The connection is opened the first time a batch outlives a third of the lease (a quick batch
/// never needs it) and kept for the next ones. A worker that lost its lease anyway (the heartbeat
/// could not reach the server in time) cannot complete the jobs: completion requires
/// `status = 'running' AND locked_by = worker` (`JobStatements.complete(_:worker:)`), so the
/// worker that claimed them next completes them; the deadlines written twice are the same upserts.
///
/// ```swift
/// let heartbeat = LeaseHeartbeat(worker: name, databaseURL: url, logger: logger)
/// let outcome = try await heartbeat.holding(ids, lease: .seconds(60), claimedAt: start) {
///     try await processor.process(jobs, on: connection)
/// }
/// ```
public actor LeaseHeartbeat {
    private let worker: String
    private let logger: Logger
    private let link: DatabaseLink<PostgresConnection>

    /// A heartbeat for `worker`'s jobs.
    public init(worker: String, databaseURL: DatabaseURL, logger: Logger) {
        self.worker = worker
        self.logger = logger
        self.link = DatabaseLink(
            service: "lease heartbeat", logger: logger,
            open: {
                try await PostgresConnection.connect(
                    url: databaseURL.secret.revealed(), applicationName: "ipcased heartbeat", logger: logger)
            },
            close: { await $0.close() })
    }

    /// Runs `body` while extending the lease of `jobs` every `lease / 3` (counted from `claimedAt`).
    /// - Returns: what `body` returns; the heartbeat stops when it does.
    public nonisolated func holding<T: Sendable>(
        _ jobs: [Int64], lease: Duration, claimedAt: ContinuousClock.Instant,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        guard !jobs.isEmpty else { return try await body() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.beat(jobs, lease: lease, from: claimedAt) }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Extends the leases every `lease / 3` until cancelled or no job is held any more.
    private func beat(_ jobs: [Int64], lease: Duration, from claimedAt: ContinuousClock.Instant) async {
        let interval = lease / 3
        var next = claimedAt + interval
        while true {
            do {
                try await Task.sleep(until: next, clock: .continuous)
            } catch {
                return  // The batch is over.
            }
            next = ContinuousClock.now + interval
            // A failure is logged by the link, which reconnects for the next beat.
            guard let (extended, held) = try? await extend(jobs, lease: lease) else { continue }
            logger.debug("leases extended", metadata: ["jobs": "\(extended)", "held": "\(held)"])
            if held < jobs.count {
                logger.warning(
                    "lost the lease of jobs in the batch: another worker claimed them",
                    metadata: ["jobs.lost": "\(jobs.count - held)", "jobs": "\(jobs.count)"])
            }
            if held == 0 { return }
        }
    }

    /// One extension; returns the jobs extended and the jobs still held, `nil` when the database
    /// could not be reached.
    func extend(_ jobs: [Int64], lease: Duration) async throws -> (extended: Int, held: Int)? {
        let worker = self.worker
        return try await link.withConnection { connection in
            try await connection.query(JobStatements.extendLease(of: jobs, by: lease, worker: worker))[0]
                .decode(Int.self, Int.self)
        }
    }
}
