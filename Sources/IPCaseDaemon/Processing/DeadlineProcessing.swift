import Foundation
import IPCase
import IPCaseStore
import Logging

/// The daemon's processing, run once from the command line (`ipcase demo`): the same
/// `JobBatchProcessor` the `ipcased` workers use, then one sweep by `DeadlineSweeper`.
public enum DeadlineProcessing {
    /// What one run did.
    public struct Result: Sendable, Hashable {
        /// Jobs completed, failed and parked as dead.
        public var completed = 0, failed = 0, dead = 0
        /// Deadlines written and superseded.
        public var written = 0, superseded = 0
        /// Deadlines whose final date had passed, now missed (rights lapsed through the workflow).
        public var missed = 0

        static func + (lhs: Result, rhs: Result) -> Result {
            Result(
                completed: lhs.completed + rhs.completed, failed: lhs.failed + rhs.failed, dead: lhs.dead + rhs.dead,
                written: lhs.written + rhs.written, superseded: lhs.superseded + rhs.superseded,
                missed: lhs.missed + rhs.missed)
        }
    }

    /// Claims and processes every due job in batches, then sweeps once as of `asOf` (reminders,
    /// escalations, missed deadlines and lapses, as `ipcased` would on that day).
    public static func processPendingJobs(
        store: Store, asOf: CivilDate, batchSize: Int = 500, logger: Logger = Logger(label: "ipcase.processing")
    ) async throws -> Result {
        let worker = "ipcase-demo"
        let processor = JobBatchProcessor(retry: .standard, worker: worker, logger: logger)
        var result = Result()
        try await drain(store: store, processor: processor, batchSize: batchSize, into: &result)
        let (year, month, day) = asOf.components
        var noon = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"))
        (noon.year, noon.month, noon.day, noon.hour) = (year, month, day, 12)
        let sweep = try await DeadlineSweeper(store: store, logger: logger).sweep(at: noon.date ?? Date())
        result.missed = sweep.missed
        // Lapses recorded by the sweep queue recomputations of their rights, as in the daemon.
        try await drain(store: store, processor: processor, batchSize: batchSize, into: &result)
        return result
    }

    /// Claims and processes every due job in batches (what the daemon's workers do), without the
    /// sweep: an import's deadlines are written once this returns. With several stores (one
    /// connection each), they drain the queue side by side as the daemon's workers do, each under
    /// its own worker name (SKIP LOCKED claims never hand a job to two of them).
    public static func processQueuedJobs(
        stores: [Store], batchSize: Int = 500, logger: Logger = Logger(label: "ipcase.processing")
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    let processor = JobBatchProcessor(
                        retry: .standard, worker: "ipcase-import:\(index + 1)", logger: logger)
                    var result = Result()
                    try await drain(store: store, processor: processor, batchSize: batchSize, into: &result)
                    return result
                }
            }
            var total = Result()
            for try await part in group { total = total + part }
            return total
        }
    }

    /// Processes due jobs in batches until none is left (failed jobs wait for their backoff).
    private static func drain(
        store: Store, processor: JobBatchProcessor, batchSize: Int, into result: inout Result
    ) async throws {
        while true {
            let jobs = try await store.withService(actor: processor.worker) { session in
                try await session.claimJobs(limit: batchSize, lease: .seconds(300), worker: processor.worker)
            }
            if jobs.isEmpty { return }
            let outcome = try await processor.process(jobs, on: store.connection)
            result.completed += outcome.completed
            result.failed += outcome.failed
            result.dead += outcome.dead
            result.written += outcome.deadlinesWritten
            result.superseded += outcome.deadlinesSuperseded
            if outcome.completed == 0 { return }
        }
    }
}
