import Foundation
import IPCase
import IPCaseCLI
import Synchronization

/// The CSV imports of this web server: each an uploaded file that is checked, shown, and on
/// its user's confirmation written, in a task of its own whose progress its page shows.
///
/// They live in memory, with the file, for an hour after their last step (a restart forgets
/// them: nothing is written but by the confirmed import's one transaction). A job is its user's
/// in its office only; its id is a random secret as well.
final class ImportJobs: Sendable {
    /// Where a job is.
    enum State: Sendable {
        /// The rows are being checked (`done` of `total`).
        case checking(done: Int, total: Int)
        /// The check found no problem: what would be written, waiting for confirmation.
        case checked(CSVImport.Result)
        /// Confirmed: the phase (`validating`, `writing`), `done` of `total`.
        case importing(phase: String, done: Int, total: Int)
        /// Written, in one transaction.
        case imported(CSVImport.Result)
        /// The check or the import found problems: nothing was written.
        case refused(CSVImport.Problems)
        /// Something else went wrong (the message says what): nothing was written.
        case failed(String)

        /// Whether the job's task is still at work (its page refreshes).
        var running: Bool {
            switch self {
            case .checking, .importing: true
            case .checked, .imported, .refused, .failed: false
            }
        }
    }

    /// An import.
    struct Job: Sendable {
        var id: String
        var user: Int64
        var office: ID<Office>
        var kind: RecordFile
        var fileName: String
        /// The file, until it is written or refused.
        var bytes: Data?
        var state: State
        var touched: Date
    }

    /// How long a job is kept after its last step, and how many one user keeps.
    let lifetime: TimeInterval = 3600
    let perUser = 5
    private let jobs = Mutex<[String: Job]>([:])

    /// A new job of `user` in `office` for `bytes`, checking; forgets the user's oldest jobs
    /// beyond ``perUser`` and everyone's expired ones.
    func add(user: Int64, office: ID<Office>, kind: RecordFile, fileName: String, bytes: Data, now: Date) -> String {
        let id = Secrets.token()
        jobs.withLock { jobs in
            jobs = jobs.filter { now.timeIntervalSince($0.value.touched) < lifetime || $0.value.state.running }
            let mine = jobs.values.filter { $0.user == user && !$0.state.running }.sorted { $0.touched < $1.touched }
            for old in mine.prefix(max(0, mine.count - perUser + 1)) { jobs[old.id] = nil }
            jobs[id] = Job(
                id: id, user: user, office: office, kind: kind, fileName: fileName, bytes: bytes,
                state: .checking(done: 0, total: 0), touched: now)
        }
        return id
    }

    /// The job `id` when it is `user`'s in `office`.
    func job(_ id: String, user: Int64, office: ID<Office>) -> Job? {
        jobs.withLock { jobs in
            guard let job = jobs[id], job.user == user, job.office == office else { return nil }
            return job
        }
    }

    /// Moves the job `id` to `state` (dropping its file once it is written or refused).
    func set(_ id: String, _ state: State, now: Date = Date()) {
        jobs.withLock { jobs in
            guard var job = jobs[id] else { return }
            job.state = state
            job.touched = now
            switch state {
            case .imported, .refused, .failed: job.bytes = nil
            case .checking, .checked, .importing: break
            }
            jobs[id] = job
        }
    }

    /// Starts the import of `user`'s checked job `id` in `office`: the job, now importing, or
    /// `nil` when there is no such job or it is not waiting for confirmation (confirmed twice).
    func confirm(_ id: String, user: Int64, office: ID<Office>, now: Date) -> Job? {
        jobs.withLock { jobs in
            guard var job = jobs[id], job.user == user, job.office == office, case .checked(let result) = job.state,
                job.bytes != nil
            else { return nil }
            job.state = .importing(phase: "validating", done: 0, total: result.rows)
            job.touched = now
            jobs[id] = job
            return job
        }
    }
}
