import IPCase
import IPCaseStore
import PostgresClient

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

/// The queue statements the workers send in pipelines, beside those of ``ServiceSession``.
public enum JobStatements {
    /// Marks jobs done if `worker` still holds them; returns one row per job completed.
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
            UPDATE jobs SET lease_until = now() + make_interval(secs => \(lease.secondsValue))
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
    /// per job still held by `worker`: true when it was parked as dead.
    public static func fail(_ failures: [JobFailure], maxAttempts: Int, worker: String) -> PostgresQuery {
        """
        UPDATE jobs j
        SET status = CASE WHEN j.attempts >= least(j.max_attempts, \(maxAttempts)) THEN 'dead' ELSE 'queued' END,
            run_at = now() + make_interval(secs => f.delay), lease_until = NULL, locked_by = NULL,
            last_error = f.error,
            finished_at = CASE WHEN j.attempts >= least(j.max_attempts, \(maxAttempts)) THEN now() END
        FROM unnest(\(failures.map(\.job))::bigint[], \(failures.map(\.error))::text[],
                    \(failures.map { $0.retryAfter.secondsValue })::float8[]) AS f(id, error, delay)
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
    /// Whole and fractional seconds.
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
