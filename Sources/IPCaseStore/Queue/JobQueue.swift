import Foundation
import IPCase
import PostgresClient

/// The kinds of job the store enqueues (the daemon handles them). Raw values are stored.
public enum JobKind: String, Sendable, Hashable, CaseIterable, PostgresTextEnum {
    /// Compute or recompute a record's deadlines; payload: the ``WorkflowEffect`` JSON.
    case recomputeDeadlines = "recompute-deadlines"
    /// Look at a record again on a date (on-hold review, cure period); payload: the effect.
    case followUp = "follow-up"
    /// Tell people about a workflow event; payload: the effect (a ``Notice``).
    case notify = "notify"
}

/// The notification channel that wakes workers when jobs are queued (`LISTEN ipcase_jobs`).
public let jobsChannel = "ipcase_jobs"

/// A job as claimed by a worker.
public struct ClaimedJob: Sendable, Hashable {
    /// The job's key.
    public var id: Int64
    /// The office it belongs to.
    public var office: ID<Office>
    /// What to do (a ``JobKind`` raw value, or another kind a newer version enqueued).
    public var kind: String
    /// The job's data (JSON).
    public var payload: PostgresJSON
    /// Attempts so far, this one included.
    public var attempts: Int
    /// After this many attempts a failure parks the job as dead.
    public var maxAttempts: Int
}

/// A job queued for later, within the transaction that causes it.
public struct NewJob: Sendable, Hashable {
    /// What to do.
    public var kind: JobKind
    /// The job's data.
    public var payload: PostgresJSON
    /// Not before this date (midnight in the office's time zone); `nil` for now.
    public var runOn: CivilDate?

    /// Creates a job.
    public init(kind: JobKind, payload: PostgresJSON, runOn: CivilDate? = nil) {
        self.kind = kind
        self.payload = payload
        self.runOn = runOn
    }
}

extension OfficeSession {
    /// Queues jobs for the office in this transaction and wakes the workers at commit
    /// (`pg_notify`, delivered only if the transaction commits). Returns their keys.
    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO jobs (office_id, kind, payload, run_at)
            SELECT \(office), kind, payload,
                   coalesce(run_on::timestamp AT TIME ZONE (SELECT time_zone FROM offices WHERE office_id = \(office)), now())
            FROM unnest(\(jobs.map(\.kind))::text[], \(jobs.map(\.payload))::jsonb[], \(jobs.map(\.runOn))::date[])
                 AS j(kind, payload, run_on)
            RETURNING id
            """)
        _ = try await connection.query("SELECT pg_notify(\(jobsChannel), \(String(office.rawValue)))")
        return try rows.map { try $0.decode(Int64.self, at: 0) }
    }

    /// The office's jobs parked as dead, with their last error, newest first.
    public func deadJobs() async throws -> [(id: Int64, kind: String, attempts: Int, lastError: String?)] {
        try await connection.query(
            """
            SELECT id, kind, attempts, last_error FROM jobs
            WHERE office_id = \(office) AND status = 'dead' ORDER BY id DESC
            """
        ).map { row in
            let (id, kind, attempts, error) = try row.decode(Int64.self, String.self, Int.self, String?.self)
            return (id, kind, attempts, error)
        }
    }
}

extension ServiceSession {
    /// Claims up to `limit` due jobs of any office for `worker`, leasing them for `lease`.
    /// Jobs locked by another worker are skipped (`FOR UPDATE SKIP LOCKED`); the statement is
    /// the one the partial index `jobs_claim` is built for.
    public func claimJobs(limit: Int, lease: Duration, worker: String) async throws -> [ClaimedJob] {
        try await connection.query(
            """
            UPDATE jobs SET status = 'running', lease_until = now() + make_interval(secs => \(lease.seconds)),
                   locked_by = \(worker), attempts = attempts + 1
            WHERE id = ANY(ARRAY(SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now()
                                 ORDER BY run_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED))
            RETURNING id, office_id, kind, payload, attempts, max_attempts
            """
        ).map { row in
            let (id, office, kind, payload, attempts, maxAttempts) = try row.decode(
                Int64.self, ID<Office>.self, String.self, PostgresJSON.self, Int.self, Int.self)
            return ClaimedJob(
                id: id, office: office, kind: kind, payload: payload, attempts: attempts,
                maxAttempts: maxAttempts)
        }
    }

    /// Puts jobs whose lease expired (their worker died) back in the queue, or parks them as
    /// dead when they have used all their attempts. Returns how many were reclaimed.
    @discardableResult
    public func reclaimExpiredJobs(limit: Int = 1000) async throws -> Int {
        try await connection.execute(
            """
            UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                   run_at = now(), lease_until = NULL, locked_by = NULL,
                   last_error = coalesce(last_error, 'lease expired (worker ' || coalesce(locked_by, '?') || ')'),
                   finished_at = CASE WHEN attempts >= max_attempts THEN now() END
            WHERE id = ANY(ARRAY(SELECT id FROM jobs WHERE status = 'running' AND lease_until < now()
                                 ORDER BY lease_until, id LIMIT \(limit) FOR UPDATE SKIP LOCKED))
            """)
    }

    /// Extends the lease of jobs `worker` still holds (the heartbeat). Returns how many it still holds.
    @discardableResult
    public func extendLease(of jobs: [Int64], by lease: Duration, worker: String) async throws -> Int {
        try await connection.execute(
            """
            UPDATE jobs SET lease_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = ANY(\(jobs)::bigint[]) AND status = 'running' AND locked_by = \(worker)
            """)
    }

    /// Marks jobs done (in the transaction that commits their results). Only jobs still
    /// leased by `worker` are completed; returns how many.
    @discardableResult
    public func completeJobs(_ jobs: [Int64], worker: String) async throws -> Int {
        try await connection.execute(
            """
            UPDATE jobs SET status = 'done', finished_at = now(), lease_until = NULL, last_error = NULL
            WHERE id = ANY(\(jobs)::bigint[]) AND status = 'running' AND locked_by = \(worker)
            """)
    }

    /// Records a job's failure: retried after `retryAfter`, or parked as dead with the error once
    /// it has used all its attempts.
    public func failJob(_ job: Int64, error: String, retryAfter: Duration, worker: String) async throws {
        _ = try await connection.execute(
            """
            UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                   run_at = now() + make_interval(secs => \(retryAfter.seconds)),
                   lease_until = NULL, locked_by = NULL, last_error = \(error),
                   finished_at = CASE WHEN attempts >= max_attempts THEN now() END
            WHERE id = \(job) AND status = 'running' AND locked_by = \(worker)
            """)
    }
}

extension Duration {
    /// Whole and fractional seconds, for `make_interval(secs => …)`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
