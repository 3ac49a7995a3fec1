import Foundation
import IPCase
import PostgresClient

/// The kinds of job the store enqueues (the daemon handles them). Raw values are stored.
public enum JobKind: String, Sendable, Hashable, CaseIterable, PostgresTextEnum {
    /// Compute or recompute a record's deadlines; payload: the `WorkflowEffect` JSON.
    case recomputeDeadlines = "recompute-deadlines"
    /// Look at a record again on a date (on-hold review, cure period); payload: the effect.
    case followUp = "follow-up"
    /// Tell people about a workflow event; payload: the effect (a `Notice`).
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

extension JobKind {
    /// Whether a second job of this kind and payload, queued while a first has not started,
    /// adds nothing: a recomputation reads the record's data as it is when it runs. (The index
    /// `enqueue` finds the queued job by, Schema/0099, is for this kind: another coalescing kind
    /// needs its own.)
    public var coalesces: Bool { self == .recomputeDeadlines }
}

extension OfficeSession {
    /// Queues jobs for the office in this transaction and wakes the workers at commit
    /// (`pg_notify`, delivered only if the transaction commits). Returns their keys, one per
    /// distinct job.
    ///
    /// A job whose kind ``JobKind/coalesces`` is queued once: the same recomputation asked for
    /// twice in `jobs`, or already queued (not yet claimed) to run no later, is not queued again;
    /// the queued job is locked until this transaction ends, so no worker starts it before the
    /// change that asked for it is visible (Schema/0099). Its key is returned instead.
    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        var distinct: [NewJob] = []
        var position: [NewJob: Int] = [:]
        for job in jobs {
            guard job.kind.coalesces else {
                distinct.append(job)
                continue
            }
            let key = NewJob(kind: job.kind, payload: job.payload)
            if let index = position[key] {
                // The earlier of the two runs covers both (`nil` is now).
                if let runOn = distinct[index].runOn, job.runOn.map({ $0 < runOn }) ?? true {
                    distinct[index].runOn = job.runOn
                }
            } else {
                position[key] = distinct.count
                distinct.append(job)
            }
        }
        let rows = try await connection.query(
            """
            WITH wanted AS (
                SELECT ord, kind, payload, coalesces,
                       coalesce(run_on::timestamp AT TIME ZONE (SELECT time_zone FROM offices WHERE office_id = \(office)),
                                now()) AS run_at
                FROM unnest(\(distinct.map(\.kind))::text[], \(distinct.map(\.payload))::jsonb[],
                            \(distinct.map(\.runOn))::date[], \(distinct.map(\.kind.coalesces))::boolean[])
                     WITH ORDINALITY AS j(kind, payload, run_on, coalesces, ord)
            ), covered AS (
                SELECT w.ord, q.id FROM wanted w
                CROSS JOIN LATERAL (
                    SELECT q.id FROM jobs q
                    WHERE w.coalesces AND q.office_id = \(office) AND q.status = 'queued'
                      AND q.kind = 'recompute-deadlines' AND q.kind = w.kind AND q.payload = w.payload
                      AND q.run_at <= w.run_at
                    ORDER BY q.id LIMIT 1 FOR UPDATE SKIP LOCKED) q
            ), inserted AS (
                INSERT INTO jobs (office_id, kind, payload, run_at)
                SELECT \(office), kind, payload, run_at FROM wanted
                WHERE ord NOT IN (SELECT ord FROM covered) ORDER BY ord
                RETURNING id
            )
            SELECT id FROM covered UNION ALL SELECT id FROM inserted
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

    /// Marks jobs done (in the transaction that commits their results). Only jobs still
    /// leased by `worker` are completed; returns how many.
    @discardableResult
    public func completeJobs(_ jobs: [Int64], worker: String) async throws -> Int {
        try await connection.execute(JobStatements.complete(jobs, worker: worker))
    }

    /// Records failures: each job is retried after its wait, or parked as dead with its error
    /// once it used `min(jobs.max_attempts, maxAttempts)` attempts. Returns how many were parked.
    @discardableResult
    public func failJobs(_ failures: [JobFailure], maxAttempts: Int, worker: String) async throws -> Int {
        try await connection.query(JobStatements.fail(failures, maxAttempts: maxAttempts, worker: worker))
            .filter { try $0.decode(Bool.self, at: 0) }.count
    }
}

/// A claimed job that failed, with the error to record and the wait before its next attempt.
public struct JobFailure: Sendable, Hashable {
    /// The job.
    public var job: Int64
    /// What went wrong (stored in `jobs.last_error`, shown by `ipcase`); never secrets.
    public var error: String
    /// The wait before the job is due again, when it has attempts left.
    public var retryAfter: Duration

    /// A failure.
    public init(job: Int64, error: String, retryAfter: Duration) {
        self.job = job
        self.error = error
        self.retryAfter = retryAfter
    }
}

/// The queue statements the daemon's workers send, some in the pipeline that commits a batch;
/// ``ServiceSession``'s queue methods run the same statements.
public enum JobStatements {
    /// Marks jobs done if `worker` still holds them (the affected rows are the jobs completed).
    public static func complete(_ jobs: [Int64], worker: String) -> PostgresQuery {
        """
        UPDATE jobs SET status = 'done', finished_at = now(), lease_until = NULL, last_error = NULL
        WHERE id = ANY(\(jobs)::bigint[]) AND status = 'running' AND locked_by = \(worker)
        """
    }

    /// The heartbeat: extends the lease of the jobs `worker` still holds, skipping those another
    /// transaction has locked (the batch's own commit completing them: the heartbeat never waits
    /// for it, so the two cannot deadlock). Returns one row: jobs extended, and jobs still held
    /// (running and locked by `worker`, extended or being completed).
    public static func extendLease(of jobs: [Int64], by lease: Duration, worker: String) -> PostgresQuery {
        """
        WITH extended AS (
            UPDATE jobs SET lease_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = ANY(ARRAY(SELECT id FROM jobs
                                 WHERE id = ANY(\(jobs)::bigint[]) AND status = 'running' AND locked_by = \(worker)
                                 FOR UPDATE SKIP LOCKED))
            RETURNING id)
        SELECT (SELECT count(*) FROM extended)::int8,
               (SELECT count(*) FROM jobs
                WHERE id = ANY(\(jobs)::bigint[]) AND status = 'running' AND locked_by = \(worker))::int8
        """
    }

    /// Records failures: each job is queued again after its wait, or parked as `dead` with its
    /// error once it used `min(jobs.max_attempts, maxAttempts)` attempts. Returns one boolean
    /// per job still held by `worker`: true when it was parked as dead. The wait counts from
    /// when the failure is recorded (`clock_timestamp()`), not from the start of a batch's
    /// transaction, which may be longer ago than the wait.
    public static func fail(_ failures: [JobFailure], maxAttempts: Int, worker: String) -> PostgresQuery {
        """
        UPDATE jobs j
        SET status = CASE WHEN j.attempts >= least(j.max_attempts, \(maxAttempts)) THEN 'dead' ELSE 'queued' END,
            run_at = clock_timestamp() + make_interval(secs => f.delay), lease_until = NULL, locked_by = NULL,
            last_error = f.error,
            finished_at = CASE WHEN j.attempts >= least(j.max_attempts, \(maxAttempts)) THEN now() END
        FROM unnest(\(failures.map(\.job))::bigint[], \(failures.map(\.error))::text[],
                    \(failures.map { $0.retryAfter.seconds })::float8[]) AS f(id, error, delay)
        WHERE j.id = f.id AND j.status = 'running' AND j.locked_by = \(worker)
        RETURNING j.status = 'dead'
        """
    }

    /// Puts back the jobs a worker of this name left running (after its connection was lost),
    /// without counting the attempt as a failure.
    public static func release(worker: String) -> PostgresQuery {
        """
        UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_until = NULL,
               locked_by = NULL, run_at = now()
        WHERE status = 'running' AND locked_by = \(worker)
        """
    }

    /// Whether any job is due now (queued and not in the future, or running with an expired lease).
    public static let anyDue: PostgresQuery = """
        SELECT EXISTS (SELECT FROM jobs WHERE status = 'queued' AND run_at <= now())
            OR EXISTS (SELECT FROM jobs WHERE status = 'running' AND lease_until < now())
        """

    /// Queue depth (queued and running) and the age in seconds of the oldest due queued job.
    /// Each count is served by its partial index (`jobs_claim`, `jobs_lease`), so the query does
    /// not scan the done jobs (a worker runs it between batches, where a scan would delay a wake-up).
    public static let depth: PostgresQuery = """
        SELECT (SELECT count(*) FROM jobs WHERE status = 'queued') + (SELECT count(*) FROM jobs WHERE status = 'running'),
               coalesce((SELECT extract(epoch FROM now() - min(run_at))::float8 FROM jobs
                         WHERE status = 'queued' AND run_at <= now()), 0)
        """
}

extension Duration {
    /// Whole and fractional seconds, for `make_interval(secs => …)`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
