import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import Testing

/// A worker holding a slow batch: its lease heartbeat keeps other workers off, and a worker that
/// lost its lease anyway cannot complete the jobs.
@Suite("job lease heartbeat", .serialized)
struct LeaseHeartbeatTests {
    /// A worker of `database` with a `lease`, stopping when nothing is due, whose batches wait for `gate`.
    func slowWorker(_ name: String, database: QueueDatabase, lease: Duration, gate: AsyncStream<Void>) throws
        -> JobWorker
    {
        var configuration = try ConfigurationLoader(
            filePath: nil, environment: ["IPCASE_DATABASE_URL": database.url, "IPCASE_QUEUE_SWEEP_INTERVAL_SECONDS": "1"]
        ).load()
        configuration.lease = lease
        let context = DaemonContext(
            configuration: ConfigurationStore(configuration), health: DaemonHealth(), metrics: DaemonMetrics(),
            notifier: SystemdNotifier(environment: [:]), logger: Logger(label: "test"))
        let doorbell = JobDoorbell()
        doorbell.open()
        return JobWorker(
            name: name, databaseURL: configuration.databaseURL, context: context, doorbell: doorbell,
            mode: .untilIdle,
            beforeProcessing: { _ in
                for await _ in gate {}  // returns once the test finishes the stream
            })
    }

    /// Starts a slow worker with a 6 s lease (extended every 2 s: a loaded host may delay the heartbeat by up to 4 s) on `database` and returns once it holds the five
    /// seeded jobs; finishing the returned continuation lets its batch go on.
    func startHolding(_ name: String, database: QueueDatabase) async throws
        -> (running: Task<Void, Error>, release: AsyncStream<Void>.Continuation)
    {
        let (gate, release) = AsyncStream<Void>.makeStream()
        let worker = try slowWorker(name, database: database, lease: .seconds(6), gate: gate)
        let running = Task { try await worker.run() }
        #expect(
            try await eventually {
                try await database.count("SELECT count(*) FROM jobs WHERE status = 'running' AND locked_by = \(name)")
                    == 5
            })
        return (running, release)
    }

    /// The jobs' `(status, locked_by, attempts)`, one line each, sorted.
    func jobStates(_ database: QueueDatabase) async throws -> [String] {
        try await database.admin.query("SELECT status, coalesce(locked_by, '-'), attempts FROM jobs ORDER BY id").map {
            let (status, worker, attempts) = try $0.decode(String.self, String.self, Int.self)
            return "\(status) \(worker) \(attempts)"
        }
    }

    @Test("a batch slower than its lease keeps it: no second worker can claim it, and it is completed once")
    func slowBatchKeepsItsLease() async throws {
        let database = try await QueueDatabase.make()
        try await database.seed(rights: 1)
        // Claimed: remember the lease it was given.
        let (running, release) = try await startHolding("slow", database: database)
        let firstLease = try await database.admin.query(
            "SELECT max(lease_until) FROM jobs WHERE locked_by = 'slow'")[0].decode(Date.self, at: 0)
        // The heartbeat moves every lease past it…
        #expect(
            try await eventually {
                try await database.count(
                    "SELECT count(*) FROM jobs WHERE locked_by = 'slow' AND lease_until > \(firstLease)") == 5
            })
        // …and keeps them ahead once it has run out, while the batch is still held.
        #expect(
            try await eventually {
                try await database.admin.query("SELECT now() > \(firstLease)")[0].decode(Bool.self, at: 0)
            })
        // The heartbeat has moved every lease past it: a second worker reclaims and claims nothing.
        #expect(try await database.count("SELECT count(*) FROM jobs WHERE lease_until > now()") == 5)
        let (reclaimed, claimed) = try await Store(connection: database.admin).withService(actor: "test") { session in
            let reclaimed = try await session.reclaimExpiredJobs()
            let claimed = try await session.claimJobs(limit: 100, lease: .seconds(30), worker: "second")
            return (reclaimed, claimed.count)
        }
        #expect(reclaimed == 0)
        #expect(claimed == 0)

        release.finish()
        try await running.value
        // Done once, by the worker that claimed them, on the first attempt.
        #expect(try await jobStates(database) == Array(repeating: "done slow 1", count: 5))
        #expect(try await database.storedDeadlines() == database.expectedDeadlines())
    }

    @Test("a worker whose jobs were reclaimed and claimed by another cannot complete them")
    func workerThatLostItsLeaseDoesNotComplete() async throws {
        let database = try await QueueDatabase.make()
        try await database.seed(rights: 1)
        let (running, release) = try await startHolding("stale", database: database)
        // As if its heartbeat could not reach the server: the lease expires, the jobs are
        // reclaimed and another worker claims them.
        let store = Store(connection: database.admin)
        let jobs = try await store.withService(actor: "test") { session in
            _ = try await session.connection.execute(
                "UPDATE jobs SET lease_until = now() - interval '1 second' WHERE locked_by = 'stale'")
            _ = try await session.reclaimExpiredJobs()
            return try await session.claimJobs(limit: 100, lease: .seconds(30), worker: "next")
        }
        #expect(jobs.count == 5)

        release.finish()
        try await running.value
        // The stale worker's commit completed nothing: the jobs are still the next worker's.
        #expect(try await jobStates(database) == Array(repeating: "running next 2", count: 5))

        let processor = JobBatchProcessor(
            retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)), worker: "next",
            logger: Logger(label: "test"))
        let outcome = try await processor.process(jobs, on: database.admin)
        #expect(outcome.completed == 5)
        #expect(try await jobStates(database) == Array(repeating: "done next 2", count: 5))
        #expect(try await database.storedDeadlines() == database.expectedDeadlines())
    }
}
