import Foundation
import IPCase
import IPCaseReports
import IPCaseStore
import Logging
import PostgresClient

/// What one batch did.
public struct BatchOutcome: Sendable, Hashable {
    /// Jobs completed (committed with their results).
    public var completed = 0
    /// Jobs that failed and will be retried.
    public var failed = 0
    /// Jobs parked as dead.
    public var dead = 0
    /// Deadlines written (inserted or changed).
    public var deadlinesWritten = 0
    /// Deadlines the engine produced unchanged (not written).
    public var deadlinesUnchanged = 0
    /// Deadlines superseded.
    public var deadlinesSuperseded = 0
    /// Missed deadlines met by an event recorded since, dated in time (now done).
    public var missedMet = 0
    /// Lapses the sweeper made for such a deadline, withdrawn.
    public var lapsesRescinded = 0
    /// Open deadlines whose due or final date moved (each keeps its previous dates and why).
    public var deadlinesMoved = 0

    /// An empty outcome.
    public init() {}

    static func + (lhs: BatchOutcome, rhs: BatchOutcome) -> BatchOutcome {
        var sum = lhs
        sum.completed += rhs.completed
        sum.failed += rhs.failed
        sum.dead += rhs.dead
        sum.deadlinesWritten += rhs.deadlinesWritten
        sum.deadlinesUnchanged += rhs.deadlinesUnchanged
        sum.deadlinesSuperseded += rhs.deadlinesSuperseded
        sum.missedMet += rhs.missedMet
        sum.lapsesRescinded += rhs.lapsesRescinded
        sum.deadlinesMoved += rhs.deadlinesMoved
        return sum
    }
}

/// Carries out a batch of claimed jobs in one transaction: the deadlines of every right the
/// batch touches are recomputed with the engine, compared with the rows already stored, and only
/// new or changed ones are written, with one upsert (most recomputations change 0–2 deadlines of
/// a right); open deadlines no longer produced are superseded by key; the jobs are completed (or
/// failed) in the same commit.
///
/// Round trips per batch: `BEGIN`, one pipeline that locks the rights (in key order, so that
/// two workers never deadlock and a concurrently recorded event is either seen or re-queued
/// after this commit) and loads all their events and open deadlines, the upsert, one pipeline
/// with the other writes, `COMMIT`.
///
/// A right that cannot be processed (its stored data does not decode, the engine's output
/// breaks an invariant) fails its own jobs only; if the database still refuses the batch, the
/// batch is split per right so that one poison job never blocks the others.
public struct JobBatchProcessor: Sendable {
    /// The engine.
    public var engine: DeadlineEngine
    /// Whether to store each deadline's rendered explanation (costly; off by default: rendered on demand).
    public var explanations: Bool
    /// Where notices and follow-ups go (e-mail or the webhook, as configured), `nil` to only log them.
    public var notices: NoticeRoute?
    /// The backoff of failed jobs (its `maxAttempts` parks a job as dead).
    public var retry: RetryPolicy
    /// The worker's name, written into `jobs.locked_by`.
    public var worker: String
    /// Where problems are logged.
    public var logger: Logger

    /// A processor.
    public init(
        engine: DeadlineEngine = DeadlineEngine(), explanations: Bool = false, notices: NoticeRoute? = nil,
        retry: RetryPolicy, worker: String, logger: Logger
    ) {
        self.engine = engine
        self.explanations = explanations
        self.notices = notices
        self.retry = retry
        self.worker = worker
        self.logger = logger
    }

    /// A job sorted by what it needs.
    enum Work {
        /// A right's deadlines; `reason` when what they are counted by changed (a recount).
        case right(ID<Office>, ID<Right>, reason: String?)
        /// An agreement's obligations (see AgreementObligations.swift).
        case agreement(ID<Office>, ID<Agreement>)
        /// A funded project's obligations (see ProjectObligations.swift).
        case project(ID<Office>, ID<FundedProject>)
        case notice(ClaimedJob, subject: String)
        case nothing
        case invalid(String)
    }

    /// Processes `jobs` (claimed by ``worker``) and commits the results.
    /// - Throws: connection errors (the jobs stay leased and come back after the lease).
    public func process(_ jobs: [ClaimedJob], on connection: PostgresConnection) async throws -> BatchOutcome {
        guard !jobs.isEmpty else { return BatchOutcome() }
        do {
            return try await processTogether(jobs, on: connection)
        } catch let error as PostgresError where error.code != .connectionClosed && jobs.count > 1 {
            logger.warning(
                "batch refused by the database; processing its rights one by one",
                metadata: ["error": "\(error)", "jobs": "\(jobs.count)"])
            var groups: [[ClaimedJob]] = []
            var index: [String: Int] = [:]
            for job in jobs {
                let key: String
                switch Self.classify(job) {
                case .right(let office, let right, _): key = "\(office)/\(right)"
                case .agreement(let office, let agreement): key = "\(office)/agreement \(agreement)"
                case .project(let office, let project): key = "\(office)/project \(project)"
                case .notice, .nothing, .invalid: key = "job \(job.id)"
                }
                if let at = index[key] {
                    groups[at].append(job)
                } else {
                    index[key] = groups.count
                    groups.append([job])
                }
            }
            var outcome = BatchOutcome()
            for group in groups {
                do {
                    outcome = outcome + (try await processTogether(group, on: connection))
                } catch let error as PostgresError where error.code != .connectionClosed {
                    let failures = group.map { job in
                        JobFailure(job: job.id, error: "database refused the result: \(error)", retryAfter: delay(job))
                    }
                    outcome = outcome + (try await recordFailures(failures, on: connection))
                }
            }
            return outcome
        }
    }

    func delay(_ job: ClaimedJob) -> Duration {
        retry.delay(afterAttempt: job.attempts, jitter: .random(in: 0..<1)) ?? retry.initialDelay
    }

    func recordFailures(_ failures: [JobFailure], on connection: PostgresConnection) async throws -> BatchOutcome {
        let rows = try await connection.query(
            JobStatements.fail(failures, maxAttempts: retry.maxAttempts, worker: worker))
        var outcome = BatchOutcome()
        for row in rows {
            if try row.decode(Bool.self, at: 0) { outcome.dead += 1 } else { outcome.failed += 1 }
        }
        return outcome
    }

    static func classify(_ job: ClaimedJob) -> Work {
        guard let kind = JobKind(rawValue: job.kind) else { return .invalid("unknown job kind '\(job.kind)'") }
        let effect: WorkflowEffect
        do {
            effect = try job.payload.decode(WorkflowEffect.self)
        } catch {
            return .invalid("the job's payload is not a workflow effect")
        }
        switch (kind, effect) {
        case (.recomputeDeadlines, .recountDeadlines(.right(let right), let reason)):
            return .right(job.office, right, reason: reason)
        case (.recomputeDeadlines, .recomputeDeadlines(let subject)),
            (.recomputeDeadlines, .scheduleDeadlines(let subject)),
            (.recomputeDeadlines, .recountDeadlines(let subject, _)):
            switch subject {
            case .right(let right): return .right(job.office, right, reason: nil)
            case .agreement(let agreement): return .agreement(job.office, agreement)
            case .project(let project): return .project(job.office, project)
            case .deal, .disclosure: return .nothing
            }
        case (.followUp, .scheduleFollowUp(let subject, let date, let reason)):
            return .notice(job, subject: "follow-up on \(subject) due \(date): \(reason)")
        case (.notify, .notify(let notice)):
            return .notice(job, subject: notice.message)
        case (.recomputeDeadlines, _), (.followUp, _), (.notify, _):
            return .invalid("a \(kind.rawValue) job carries another effect")
        }
    }

    private func processTogether(_ jobs: [ClaimedJob], on connection: PostgresConnection) async throws -> BatchOutcome {
        var rightJobs: [RightKey: [ClaimedJob]] = [:]
        var agreementJobs: [AgreementKey: [ClaimedJob]] = [:]
        var projectJobs: [ProjectKey: [ClaimedJob]] = [:]
        var done: [Int64] = []
        var failures: [JobFailure] = []
        var notices: [(ClaimedJob, String)] = []
        var recountReasons: [RightKey: [String]] = [:]
        for job in jobs {
            switch Self.classify(job) {
            case .right(let office, let right, let reason):
                let key = RightKey(office: office, right: right)
                rightJobs[key, default: []].append(job)
                if let reason, !(recountReasons[key]?.contains(reason) ?? false) {
                    recountReasons[key, default: []].append(reason)
                }
            case .agreement(let office, let agreement):
                agreementJobs[AgreementKey(office: office, agreement: agreement), default: []].append(job)
            case .project(let office, let project):
                projectJobs[ProjectKey(office: office, project: project), default: []].append(job)
            case .notice(let job, let subject):
                notices.append((job, subject))
                done.append(job.id)
            case .nothing: done.append(job.id)
            case .invalid(let reason): failures.append(JobFailure(job: job.id, error: reason, retryAfter: delay(job)))
            }
        }
        let keys = rightJobs.keys.sorted()
        let this = self
        let (doneIDs, failed, jobsByRight, noticesToSend) = (done, failures, rightJobs, notices)
        let jobsByAgreement = agreementJobs
        let jobsByProject = projectJobs
        let reasons = recountReasons
        return try await Store(connection: connection, logger: logger).withService(actor: "ipcased") {
            @Sendable session in
            let connection = session.connection
            var done = doneIDs
            var failures = failed
            var records: [DeadlineRecord] = []
            var unchanged = 0
            // Open deadlines the engine no longer produces: superseded by key (never deleted).
            var stale: [(office: ID<Office>, id: Int64)] = []
            // Missed deadlines that events recorded since have met, per right, and the sweeper's
            // lapse they show was wrong (with the fee that really lapsed it since, if any).
            var settle: [(key: RightKey, changes: StoredDeadline.Changes, rescind: LapseCorrection?)] = []
            // Open deadlines whose dates moved, with why.
            var moves: [DeadlineMove] = []
            if !keys.isEmpty {
                let (schedules, storedByRight, overrides) = try await this.load(keys, on: connection)
                let engines = this.engines(for: overrides)
                var buffer: [Deadline] = []
                for key in keys {
                    let jobsOfRight = jobsByRight[key] ?? []
                    do {
                        guard let schedule = try schedules[key]?.get() else {
                            throw ScheduleError(reference: "#\(key.right)", reason: "the right does not exist")
                        }
                        let engine = try engines[key.office]?.get() ?? this.engine
                        buffer.removeAll(keepingCapacity: true)
                        engine.deadlines(
                            jurisdiction: schedule.jurisdiction, kind: schedule.kind, events: schedule.events,
                            into: &buffer)
                        var produced = try schedule.records(buffer, explanations: this.explanations)
                        var correction: LapseCorrection?
                        if let lapse = schedule.sweeperLapse, let stored = storedByRight[key] {
                            // Would the fees the sweeper lapsed the right for be met without its lapse?
                            var without = schedule
                            without.events.removeAll { $0.kind == .lapsed && $0.date == lapse }
                            buffer.removeAll(keepingCapacity: true)
                            engine.deadlines(
                                jurisdiction: without.jurisdiction, kind: without.kind, events: without.events,
                                into: &buffer)
                            let counterfactual = try without.records(buffer, explanations: this.explanations)
                            if let found = LapseCorrection(
                                lapse: lapse, jurisdiction: schedule.jurisdiction.code, records: counterfactual,
                                stored: stored)
                            {
                                produced = counterfactual
                                correction = found
                            }
                        }
                        if let stored = storedByRight[key], !stored.isEmpty {
                            let changes = StoredDeadline.changes(produced, stored: stored)
                            let reason =
                                reasons[key]?.joined(separator: "; ") ?? "recomputed from the right's events"
                            moves += changes.moved.map { row, record in
                                DeadlineMove(
                                    id: row.id, office: key.office, right: key.right, fromDue: row.dueDate,
                                    fromFinal: row.finalDate, toDue: record.dueDate, toFinal: record.finalDate,
                                    reason: reason)
                            }
                            stale += changes.stale.map { (key.office, $0) }
                            records += changes.write
                            unchanged += produced.count - changes.write.count
                            if !changes.metInTime.isEmpty || !changes.metLate.isEmpty || correction != nil {
                                settle.append((key, changes, correction))
                            }
                        } else {
                            records += produced
                        }
                        done += jobsOfRight.map(\.id)
                    } catch let error as ScheduleError {
                        this.logger.error(
                            "right cannot be processed", metadata: ["right": "\(key.right)", "error": "\(error)"])
                        failures += jobsOfRight.map {
                            JobFailure(job: $0.id, error: error.description, retryAfter: this.delay($0))
                        }
                    }
                }
            }
            var outcome = BatchOutcome()
            outcome.deadlinesUnchanged = unchanged
            // The store's upsert; superseding is done here from the rows locked and loaded above
            // (linear in the batch, where an anti-join against the unnest of all keys is not).
            let written = try await session.replaceSchedules(records, of: [])
            outcome.deadlinesWritten = written.inserted + written.updated
            if !moves.isEmpty {
                let moved = try await session.recordMoves(moves)
                outcome.deadlinesMoved = moved.count
                try await this.notifyMoves(moved, in: session)
            }
            for (key, changes, correction) in settle {
                let settled = try await session.settleMissedDeadlines(
                    office: key.office, right: key.right, metInTime: changes.metInTime, metLate: changes.metLate,
                    rescind: correction.map { correction in
                        LapseRescission(
                            reason: correction.reason,
                            relapse: correction.unpaid.map { unpaid in
                                .lapsed(
                                    on: unpaid.finalDate.adding(days: 1),
                                    restorableUntil: RuleBook.standard.restorableUntil(
                                        jurisdiction: correction.jurisdiction, missedDeadline: unpaid.finalDate))
                            })
                    })
                outcome.missedMet += settled.done
                outcome.lapsesRescinded += settled.lapsesRescinded
            }
            // Agreements' obligations, after the rights (the lock order), in the same transaction.
            let agreements = try await this.processAgreements(jobsByAgreement, in: session)
            done += agreements.done
            failures += agreements.failures
            outcome.deadlinesWritten += agreements.written
            // Then funded projects' obligations.
            let projects = try await this.processProjects(jobsByProject, in: session)
            done += projects.done
            failures += projects.failures
            outcome.deadlinesWritten += projects.written
            var statements: [PostgresQuery] = []
            var slots = (supersede: -1, complete: -1, fail: -1)
            if !stale.isEmpty {
                slots.supersede = statements.count
                statements.append(BatchStatements.supersede(offices: stale.map(\.office), ids: stale.map(\.id)))
            }
            if !done.isEmpty {
                slots.complete = statements.count
                statements.append(JobStatements.complete(done, worker: this.worker))
            }
            if !failures.isEmpty {
                slots.fail = statements.count
                statements.append(
                    JobStatements.fail(failures, maxAttempts: this.retry.maxAttempts, worker: this.worker))
            }
            for (job, subject) in noticesToSend {
                if let statement = this.noticeStatement(job, subject: subject) { statements.append(statement) }
            }
            let results = try await connection.pipeline(statements)
            if slots.supersede >= 0 { outcome.deadlinesSuperseded = results[slots.supersede].affectedRows }
            outcome.deadlinesSuperseded += agreements.superseded + projects.superseded
            if slots.complete >= 0 { outcome.completed = results[slots.complete].affectedRows }
            if slots.fail >= 0 {
                for row in results[slots.fail] {
                    if try row.decode(Bool.self, at: 0) { outcome.dead += 1 } else { outcome.failed += 1 }
                }
            }
            return outcome
        }
    }

    /// The engine of each office with calendar overrides (the others use ``engine``): its book
    /// with the office's overrides laid over it, compiled once per distinct set and cached by the
    /// book. An override the book refuses (a calendar this release has no data for) fails that
    /// office's rights, naming it.
    func engines(for overridesByOffice: [ID<Office>: [CalendarOverride]])
        -> [ID<Office>: Result<DeadlineEngine, ScheduleError>]
    {
        var engines: [ID<Office>: Result<DeadlineEngine, ScheduleError>] = [:]
        for (office, overrides) in overridesByOffice {
            do {
                engines[office] = .success(DeadlineEngine(book: try engine.book.overlaid(with: overrides)))
            } catch {
                engines[office] = .failure(
                    ScheduleError(reference: "office \(office)", reason: "its calendar overrides: \(error.message)"))
            }
        }
        return engines
    }

    /// Writes a ``DeadlineNotice/moved(fromDue:fromFinal:reason:)`` notice per moved deadline to
    /// the outbox (to the responsible attorney, else the office's supervisor; to the webhook when
    /// that is the channel), keyed by the deadline and its new dates so that a retry adds
    /// nothing. Without a channel only logged.
    func notifyMoves(_ moved: [MovedDeadline], in session: ServiceSession) async throws {
        for (office, group) in Dictionary(grouping: moved, by: \.deadline.office).sorted(by: { $0.key < $1.key }) {
            var messages: [OutboxMessage] = []
            // In the language its recipient chose on the web, else the office's (Schema/0118).
            let chosen: [String: String]
            if case .email? = notices {
                chosen = try await session.chosenLanguages(
                    of: group.compactMap { $0.deadline.attorneyEmail ?? $0.supervisorEmail }, office: office)
            } else {
                chosen = [:]
            }
            for item in group {
                logger.info(
                    "deadline moved",
                    metadata: [
                        "deadline.id": "\(item.deadline.id)", "office.id": "\(office)", "reason": "\(item.move.reason)",
                    ])
                guard let route = notices else { continue }
                let notice = DeadlineNotice.moved(
                    fromDue: item.move.fromDue, fromFinal: item.move.fromFinal, reason: item.move.reason)
                let (channel, recipient): (OutboxChannel, String?) =
                    switch route {
                    case .webhook(let url): (.webhook, url)
                    case .email: (.email, item.deadline.attorneyEmail ?? item.supervisorEmail)
                    }
                guard let recipient, !recipient.isEmpty else { continue }
                let language =
                    chosen[recipient.lowercased()].flatMap(Language.init(rawValue:))
                    ?? Language(rawValue: item.language) ?? .english
                messages.append(
                    try notice.outboxMessage(
                        for: item.deadline, recipient: recipient, channel: channel, language: language))
            }
            try await session.enqueue(messages, office: office)
        }
    }

    /// An outbox row for a notice or follow-up (see ``NoticeRoute``), keyed by its job so that a
    /// retry adds nothing; `nil` (only logged) when no channel is configured.
    func noticeStatement(_ job: ClaimedJob, subject: String) -> PostgresQuery? {
        guard let notices else {
            logger.info("notice without a notification channel configured", metadata: ["job": "\(job.id)", "notice": "\(subject)"])
            return nil
        }
        var attorneyOf: ID<Right>?
        if case .notify(let notice) = try? job.payload.decode(WorkflowEffect.self),
            notice.audience.contains(.responsibleAttorney), case .right(let right) = notice.subject
        {
            attorneyOf = right
        }
        let topic = job.kind == JobKind.followUp.rawValue ? "workflow.follow-up" : "workflow.notice"
        return notices.statement(for: job, subject: subject, topic: topic, attorneyOf: attorneyOf)
    }

    /// Locks the rights (in key order) and loads them with all their events and stored
    /// deadlines, and their offices' calendar overrides, in one round trip.
    func load(_ keys: [RightKey], on connection: PostgresConnection) async throws
        -> (
            schedules: [RightKey: Result<RightSchedule, ScheduleError>], stored: [RightKey: [String: StoredDeadline]],
            overrides: [ID<Office>: [CalendarOverride]]
        )
    {
        let offices = keys.map(\.office)
        let rights = keys.map(\.right)
        let results = try await connection.pipeline([
            BatchStatements.lockRights(offices: offices, rights: rights),
            BatchStatements.rightEvents(offices: offices, rights: rights),
            BatchStatements.storedDeadlines(offices: offices, rights: rights),
            BatchStatements.calendarOverrides(offices: Array(Set(offices)).sorted()),
        ])
        var overrides: [ID<Office>: [CalendarOverride]] = [:]
        for row in results[3] {
            let stored = try StoredCalendarOverride(row: row)
            overrides[stored.office, default: []].append(stored.override)
        }
        var stored: [RightKey: [String: StoredDeadline]] = [:]
        for row in results[2] {
            let (office, right, deadline) = try StoredDeadline.decode(row)
            stored[RightKey(office: office, right: right), default: [:]][deadline.key] = deadline
        }
        var events: [RightKey: [RightEvent]] = [:]
        events.reserveCapacity(keys.count)
        var sweeperLapses: [RightKey: CivilDate] = [:]
        for row in results[1] {
            // The reference matters to the rules: a `national-phase-entered` event names the office
            // entered, and closes that office's national-phase deadline only.
            let (office, right, kind, date, year, reference, recordedBy) = try row.decode(
                ID<Office>.self, ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self,
                String.self)
            let key = RightKey(office: office, right: right)
            events[key, default: []].append(RightEvent(kind, on: date, year: year, reference: reference))
            switch kind {
            case .lapsed: sweeperLapses[key] = recordedBy == DeadlineSweeper.defaultActor ? date : nil
            case .restored, .lapseRescinded: sweeperLapses[key] = nil
            default: break
            }
        }
        var schedules: [RightKey: Result<RightSchedule, ScheduleError>] = [:]
        schedules.reserveCapacity(keys.count)
        for row in results[0] {
            let (office, right, reference) = try row.decode(ID<Office>.self, ID<Right>.self, String.self)
            let key = RightKey(office: office, right: right)
            do {
                let (jurisdiction, kind, attorney, filingDate, claimsJSON) = try row.decode(
                    Jurisdiction.self, RightKind.self, ID<Party>?.self, CivilDate?.self, PostgresJSON.self,
                    startingAt: 3)
                let claims: [PriorityClaim]
                if claimsJSON.text == "[]" {
                    claims = []
                } else {
                    do {
                        claims = try claimsJSON.decode([PriorityClaim].self)
                    } catch {
                        throw ScheduleError(reference: reference, reason: "stored priority claims do not decode")
                    }
                }
                var schedule = RightSchedule(
                    office: office, right: right, reference: reference, jurisdiction: jurisdiction, kind: kind,
                    attorney: attorney, filingDate: filingDate, priorityClaims: claims, recorded: events[key] ?? [])
                schedule.sweeperLapse = sweeperLapses[key]
                schedules[key] = .success(schedule)
            } catch let error as ScheduleError {
                schedules[key] = .failure(error)
            } catch {
                schedules[key] = .failure(
                    ScheduleError(reference: reference, reason: "stored right does not decode: \(error)"))
            }
        }
        return (schedules, stored, overrides)
    }
}

/// A right with its office, ordered as the rights' primary key (the lock order).
struct RightKey: Hashable, Comparable, Sendable {
    var office: ID<Office>
    var right: ID<Right>

    static func < (lhs: RightKey, rhs: RightKey) -> Bool {
        (lhs.office.rawValue, lhs.right.rawValue) < (rhs.office.rawValue, rhs.right.rawValue)
    }
}

/// A lapse the sweeper recorded for missed fees that, with the events recorded since, were met
/// in time: it is rescinded (and, when a later fee really is unpaid, recorded again from that
/// fee's final date).
struct LapseCorrection: Sendable {
    /// The jurisdiction, for the restoration period of a renewed lapse.
    var jurisdiction: String
    /// Why it is rescinded, for the history.
    var reason: String
    /// The earliest fee the sweeper found missed that is still unpaid, if any.
    var unpaid: StoredDeadline?

    /// The correction, when every missed fee whose final date came before the lapse (those the
    /// sweeper lapsed the right for) is met in time by `records` (computed without the lapse).
    init?(lapse: CivilDate, jurisdiction: String, records: [DeadlineRecord], stored: [String: StoredDeadline]) {
        let byKey = Dictionary(records.map { (StoredDeadline.key($0), $0) }) { first, _ in first }
        let missedFees = stored.values.filter {
            $0.status == "missed" && DeadlineSweeper.feeTypes.contains($0.type)
        }.sorted { ($0.finalDate, $0.id) < ($1.finalDate, $1.id) }
        func metInTime(_ row: StoredDeadline) -> DeadlineRecord? {
            guard let record = byKey[row.key], let on = record.closedOn, on <= record.finalDate else { return nil }
            return record
        }
        let causing = missedFees.filter { $0.finalDate < lapse }
        guard !causing.isEmpty else { return nil }
        var paid: [String] = []
        for row in causing {
            guard let record = metInTime(row), let closedBy = record.closedBy else { return nil }
            paid.append(closedBy)
        }
        self.jurisdiction = jurisdiction
        reason = "the fee was paid in time (\(paid.joined(separator: ", "))), recorded after the lapse"
        unpaid = missedFees.first { $0.finalDate >= lapse && metInTime($0) == nil }
    }
}
