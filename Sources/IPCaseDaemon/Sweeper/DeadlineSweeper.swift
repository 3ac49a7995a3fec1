import Foundation
import IPCase
import IPCaseReports
import IPCaseStore
import Logging
import PostgresClient
import ServiceLifecycle

/// What one sweep did.
public struct SweepReport: Sendable, Hashable {
    /// Offices swept.
    public var offices = 0
    /// Offices skipped because another daemon was sweeping them at the same moment.
    public var officesBusy = 0
    /// Reminder messages written to the outbox.
    public var reminders = 0
    /// Escalation messages written.
    public var escalations = 0
    /// Deadlines marked missed.
    public var missed = 0
    /// Rights lapsed through the right workflow.
    public var lapsedRights = 0
    /// Options lapsed through the agreement workflow.
    public var lapsedOptions = 0
    /// Notices that could not be addressed (no attorney e-mail and no office contact).
    public var unaddressed = 0
    /// Renewal decisions opened.
    public var decisionsOpened = 0
    /// Renewal decision reminders written to the outbox.
    public var decisionReminders = 0
    /// Renewal decision escalations written.
    public var decisionEscalations = 0
    /// Renewal decisions moved into the last call.
    public var decisionLastCalls = 0
    /// Renewal decisions lapsed after their final date.
    public var decisionsLapsed = 0
    /// Rights abandoned because their renewal decision dropped them.
    public var abandonedRights = 0
    /// Open deadlines due within the next 7 days (for the metric).
    public var dueWithin7Days = 0
    /// Deadlines past their final date left open because their right's or agreement's recorded
    /// events were not processed yet (decided by a later sweep).
    public var held = 0
    /// Offices with a notice that had no one to go to.
    public var unaddressedOffices: Set<ID<Office>> = []
    /// Transactions committed, and the longest one.
    public var transactions = 0
    /// The longest transaction of the sweep.
    public var longestTransaction = Duration.zero

    /// An empty report.
    public init() {}

    static func + (lhs: SweepReport, rhs: SweepReport) -> SweepReport {
        var sum = lhs
        sum.offices += rhs.offices
        sum.officesBusy += rhs.officesBusy
        sum.reminders += rhs.reminders
        sum.escalations += rhs.escalations
        sum.missed += rhs.missed
        sum.lapsedRights += rhs.lapsedRights
        sum.lapsedOptions += rhs.lapsedOptions
        sum.unaddressed += rhs.unaddressed
        sum.decisionsOpened += rhs.decisionsOpened
        sum.decisionReminders += rhs.decisionReminders
        sum.decisionEscalations += rhs.decisionEscalations
        sum.decisionLastCalls += rhs.decisionLastCalls
        sum.decisionsLapsed += rhs.decisionsLapsed
        sum.abandonedRights += rhs.abandonedRights
        sum.dueWithin7Days += rhs.dueWithin7Days
        sum.held += rhs.held
        sum.unaddressedOffices.formUnion(rhs.unaddressedOffices)
        sum.transactions += rhs.transactions
        sum.longestTransaction = max(lhs.longestTransaction, rhs.longestTransaction)
        return sum
    }
}

/// Sweeps open deadlines into reminders, escalations and missed/lapsed status changes.
///
/// Each office is swept in bounded steps, each one transaction scoped to the office (acting as
/// `ipcased/sweeper`, so the audit trail names the daemon) and committed with its outbox rows:
/// first the reminders and escalations, a page of at most ``batchSize`` deadlines per step, then
/// the deadlines whose final date passed, ``batchSize`` per step with their consequences. So a
/// backlog never holds one long transaction, and reminders never wait behind it. "Today" is the
/// office's civil date in its time zone at the clock's instant. On graceful shutdown (or
/// cancellation) no new step starts; cancellation also cancels the step's statement, and the
/// step's transaction rolls back.
///
/// A deadline whose right or agreement has recorded events not processed yet is *held* (see
/// `OfficeSession.markMissed(before:limit:)`): the event may have met it (a fee paid), so it
/// is neither reminded, escalated nor marked missed until its recomputation committed.
///
/// Safe with many daemons on one database: each step takes the office's sweep lock
/// (`pg_try_advisory_xact_lock`; an office another daemon is sweeping is skipped), deadlines
/// that go missed are locked with `FOR UPDATE SKIP LOCKED`, and every message has a unique
/// idempotency key, so even without the lock no reminder could be written twice.
///
/// Per open deadline:
/// - **reminder** at each offset of ``ReminderSchedule`` (key `deadline:<id>:reminder:<offset>`)
///   to the responsible attorney (the deadline's, else the right's), falling back to the
///   office's contact (its supervisor); after downtime only the most recent missed offset goes out;
/// - **escalation** to the office's supervisor once the due date has passed while the final
///   date has not (key `deadline:<id>:escalation`);
/// - **missed** when the final date has passed: status `missed`, a notice (key
///   `deadline:<id>:missed`), and for an unpaid renewal or maintenance fee the right lapses
///   through `RightWorkflow` (history, audit; restorable until the date of
///   `RuleBook.restorableUntil(jurisdiction:missedDeadline:)`), for an option-exercise obligation the option lapses through
///   `AgreementWorkflow` (both through the store's workflow paths, which queue the
///   recomputation and the workflow's notices).
public struct DeadlineSweeper: Sendable {
    /// The store (its connection is used by one sweep at a time).
    public let store: Store
    /// When reminders go out.
    public var schedule: ReminderSchedule
    /// The channel new messages are written for.
    public var channel: OutboxChannel
    /// Who the audit trail and history name.
    public var actor: String
    /// Where the sweeper logs.
    public var logger: Logger
    /// Deadlines per step (one transaction).
    public var batchSize: Int
    /// When renewal decisions open, are reminded of and escalated; `nil`: the sweep leaves
    /// renewal decisions alone (the daemon's service always gives its configured policy).
    public var decisions: RenewalDecisionPolicy?

    /// Deadline types whose miss means an unpaid fee: the right lapses.
    public static let feeTypes: Set<String> = [
        DeadlineType.renewal.rawValue, DeadlineType.maintenanceFee.rawValue,
    ]
    /// The actor the sweeper records its work as, unless told otherwise.
    public static let defaultActor = "ipcased/sweeper"
    /// The deadline type of an option's exercise obligation: the option lapses.
    public static let optionExerciseType = ObligationDeadline.Kind.optionExercise.rawValue

    /// A sweeper over `store`.
    public init(
        store: Store, schedule: ReminderSchedule = .standard, channel: OutboxChannel = .email,
        actor: String = DeadlineSweeper.defaultActor, batchSize: Int = 500,
        decisions: RenewalDecisionPolicy? = nil, logger: Logger = Logger(label: "ipcased.sweeper")
    ) {
        self.decisions = decisions
        self.store = store
        self.schedule = schedule
        self.channel = channel
        self.actor = actor
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Sweeps every office as of `instant`: first every office's reminders and escalations,
    /// then every office's misses, so one office's backlog never delays another's reminders.
    public func sweep(at instant: Date) async throws -> SweepReport {
        let offices = try await store.withService(actor: actor) { try await $0.sweptOffices() }
        var reports: [ID<Office>: SweepReport] = [:]
        for office in offices {
            if Self.stopping { break }
            let today = CivilDate.at(instant, timeZone: office.timeZone)
            let language = Language(rawValue: office.language) ?? .english
            let decided = try await renewalDecisions(office: office.id, today: today, contact: office.supervisorEmail)
            reports[office.id] =
                decided
                + (try await remind(
                    office: office.id, today: today, contact: office.supervisorEmail, language: language))
        }
        var report = SweepReport()
        for office in offices {
            if Self.stopping { break }
            let today = CivilDate.at(instant, timeZone: office.timeZone)
            let language = Language(rawValue: office.language) ?? .english
            var step = reports[office.id] ?? SweepReport()
            step =
                step
                + (try await miss(office: office.id, today: today, contact: office.supervisorEmail, language: language))
            report = report + finished(step, office: office.id)
        }
        return report
    }

    /// Sweeps one office as of its civil date `today`, in bounded steps: its reminders and
    /// escalations, then its misses; notices in `language` (the office's), or in the language a
    /// web user of the office chose when they go to that user's e-mail.
    public func sweep(office: ID<Office>, today: CivilDate, contact: String?, language: Language = .english)
        async throws -> SweepReport
    {
        var report = try await renewalDecisions(office: office, today: today, contact: contact)
        report = report + (try await remind(office: office, today: today, contact: contact, language: language))
        report = report + (try await miss(office: office, today: today, contact: contact, language: language))
        return finished(report, office: office)
    }

    /// The renewal decisions of the office, in one step before its deadline reminders: opens those
    /// due within the lead time, moves decisions past their due date into the last call and
    /// dropped ones past their final date to lapsed (the right abandoned, so its fee deadline is
    /// not lapsed as unpaid), and writes a reminder per step and an escalation per pending
    /// decision to the office's contact (keys `renewal-decision:<id>:reminder:<offset>`,
    /// `renewal-decision:<id>:escalation`: once each).
    private func renewalDecisions(office: ID<Office>, today: CivilDate, contact: String?) async throws
        -> SweepReport
    {
        var report = SweepReport()
        guard let policy = decisions else { return report }
        _ = try await step(office, into: &report) { session, step in
            step.decisionsOpened = try await session.openRenewalDecisions(asOf: today, leadDays: policy.leadDays)
            let settled = try await session.settleRenewalDecisions(today: today)
            step.decisionLastCalls = settled.lastCalls
            step.decisionsLapsed = settled.lapsed
            step.abandonedRights = settled.abandonedRights
            let pending = try await session.renewalDecisions(
                state: .pending, dueBefore: today.adding(days: policy.leadDays + 1))
            var messages: [OutboxMessage] = []
            for decision in pending.map(\.value) where decision.dueDate >= today {
                guard
                    let notice = RenewalDecisionNotice.due(
                        daysLeft: today.days(to: decision.dueDate), steps: policy.steps,
                        escalationDays: policy.escalationDays)
                else { continue }
                guard let contact, !contact.isEmpty else {
                    step.unaddressed += 1
                    step.unaddressedOffices.insert(office)
                    continue
                }
                messages.append(try notice.outboxMessage(for: decision, recipient: contact, channel: channel))
            }
            for key in try await session.enqueue(messages) {
                if key.hasSuffix(":escalation") { step.decisionEscalations += 1 } else { step.decisionReminders += 1 }
            }
        }
        return report
    }

    /// The reminders and escalations due today, page by page.
    private func remind(office: ID<Office>, today: CivilDate, contact: String?, language: Language) async throws
        -> SweepReport
    {
        var report = SweepReport()
        var cursor: SweepCursor?
        while !Self.stopping {
            let after = cursor
            let page = try await step(office, into: &report) { session, step in
                let candidates = try await session.reminderCandidates(
                    today: today, horizon: schedule.horizon, offsets: schedule.offsets, after: after,
                    limit: batchSize)
                try await notify(
                    candidates.map(\.deadline), missed: [], consequences: [:], today: today, contact: contact,
                    language: language, in: session, report: &step)
                return candidates.count == batchSize ? candidates.last.map { SweepCursor(after: $0.deadline) } : nil
            }
            guard let page, let next = page else { break }
            cursor = next
        }
        return report
    }

    /// The final dates that passed, with their consequences, a batch per step; the last step
    /// counts what is held and due.
    private func miss(office: ID<Office>, today: CivilDate, contact: String?, language: Language) async throws
        -> SweepReport
    {
        var report = SweepReport()
        while !Self.stopping {
            let more = try await step(office, into: &report) { session, step in
                let ids = try await session.markMissed(before: today, limit: batchSize)
                step.missed = ids.count
                let missed = try await session.sweptDeadlines(ids)
                let consequences = try await lapse(missed, in: session, report: &step)
                try await notify(
                    missed, missed: Set(ids), consequences: consequences, today: today, contact: contact,
                    language: language, in: session, report: &step)
                if ids.count == batchSize { return true }
                step.held = try await session.heldMissedDeadlines(before: today)
                step.dueWithin7Days = try await session.openDeadlinesDue(from: today, through: today.adding(days: 7))
                return false
            }
            guard more == true else { break }
        }
        return report
    }

    /// The daemon is stopping: no new step starts (the one in progress commits; the next sweep
    /// goes on from there, as every step is decided afresh from the stored deadlines).
    static var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    /// One office's report once both phases ran: counted swept or busy, held deadlines logged.
    private func finished(_ report: SweepReport, office: ID<Office>) -> SweepReport {
        var report = report
        if report.held > 0 {
            logger.info(
                "Deadlines past their final date held until their recorded events are processed",
                metadata: ["office.id": "\(office)", "sweep.held": "\(report.held)"])
        }
        report.offices = report.officesBusy > 0 ? 0 : 1
        report.officesBusy = min(report.officesBusy, 1)
        return report
    }

    /// One step: a transaction scoped to `office` holding its sweep lock. Returns `nil` when
    /// another daemon holds the lock (the office is counted busy), else what `body` returned.
    private func step<T: Sendable>(
        _ office: ID<Office>, into report: inout SweepReport,
        _ body: @escaping @Sendable (OfficeSession, inout SweepReport) async throws -> T
    ) async throws -> T? {
        let started = ContinuousClock.now
        let (result, step) = try await store.withOffice(office, actor: actor) { session -> (T?, SweepReport) in
            var step = SweepReport()
            guard try await session.trySweepLock() else {
                step.officesBusy = 1
                return (nil, step)
            }
            return (try await body(session, &step), step)
        }
        report = report + step
        report.transactions += 1
        report.longestTransaction = max(report.longestTransaction, ContinuousClock.now - started)
        return result
    }

    /// Lapses the rights and options whose deadlines were just missed; the consequence per deadline.
    private func lapse(_ missed: [SweptDeadline], in session: OfficeSession, report: inout SweepReport)
        async throws -> [Int64: DeadlineNotice.Consequence]
    {
        var consequences: [Int64: DeadlineNotice.Consequence] = [:]
        let lapses = Dictionary(
            grouping: missed.filter { $0.right != nil && Self.feeTypes.contains($0.type) }, by: { $0.right! })
        for (rightID, deadlines) in lapses.sorted(by: { $0.key < $1.key }) {
            let first = deadlines.min { $0.finalDate < $1.finalDate }!
            if let text = try await Self.lapseRight(rightID, missing: first, in: session) {
                report.lapsedRights += 1
                for deadline in deadlines { consequences[deadline.id] = text }
            }
        }
        for deadline in missed where deadline.type == Self.optionExerciseType {
            guard let agreementID = deadline.agreement else { continue }
            if let text = try await Self.lapseOption(agreementID, missing: deadline, in: session) {
                report.lapsedOptions += 1
                consequences[deadline.id] = text
            }
        }
        return consequences
    }

    /// Writes the notices of `deadlines` to the outbox, each in its recipient's chosen language
    /// (a web user of the office with that e-mail), else in the office's `language`.
    private func notify(
        _ deadlines: [SweptDeadline], missed: Set<Int64>, consequences: [Int64: DeadlineNotice.Consequence],
        today: CivilDate, contact: String?, language: Language, in session: OfficeSession, report: inout SweepReport
    ) async throws {
        guard !deadlines.isEmpty else { return }
        let chosen = try await session.chosenLanguages(
            of: deadlines.compactMap(\.attorneyEmail) + (contact.map { [$0] } ?? []))
        var messages: [OutboxMessage] = []
        for deadline in deadlines {
            let notice: DeadlineNotice
            let recipient: String?
            if missed.contains(deadline.id) {
                notice = .missed(consequence: consequences[deadline.id])
                recipient = contact ?? deadline.attorneyEmail
            } else if deadline.dueDate < today {
                notice = .escalation(daysOverdue: deadline.dueDate.days(to: today))
                recipient = contact ?? deadline.attorneyEmail
            } else if let offset = schedule.offset(daysUntilDue: today.days(to: deadline.dueDate)) {
                notice = .reminder(offset: offset, daysLeft: today.days(to: deadline.dueDate))
                recipient = deadline.attorneyEmail ?? contact
            } else {
                continue
            }
            guard let recipient, !recipient.isEmpty else {
                report.unaddressed += 1
                report.unaddressedOffices.insert(session.office)
                logger.debug(
                    "Deadline notice has no recipient: no attorney e-mail and no office contact",
                    metadata: [
                        "deadline.id": "\(deadline.id)", "office.id": "\(session.office)",
                        "notice": "\(notice.topic)",
                    ])
                continue
            }
            let to = chosen[recipient.lowercased()].flatMap(Language.init(rawValue:)) ?? language
            messages.append(
                try notice.outboxMessage(for: deadline, recipient: recipient, channel: channel, language: to))
        }
        for key in try await session.enqueue(messages) {
            if key.contains(":reminder:") {
                report.reminders += 1
            } else if key.hasSuffix(":escalation") {
                report.escalations += 1
            }
        }
    }

    /// Lapses a right whose fee deadline was missed, through the store's workflow path (right
    /// event, state, history, audit, the recomputation and the workflow's notice queued).
    /// Returns the consequence, or `nil` when the right cannot lapse in its state
    /// (already lapsed, expired, not yet granted …).
    static func lapseRight(
        _ rightID: ID<Right>, missing deadline: SweptDeadline, in session: OfficeSession
    ) async throws -> DeadlineNotice.Consequence? {
        let right = try await session.right(rightID).value
        guard right.workflow.allows(.lapsed) else { return nil }
        let restorableUntil = RuleBook.standard.restorableUntil(
            jurisdiction: right.jurisdiction.code, missedDeadline: deadline.finalDate)
        let lapsedOn = deadline.finalDate.adding(days: 1)
        try await session.applyRightEvent(rightID, .lapsed(on: lapsedOn, restorableUntil: restorableUntil))
        return .rightLapsed(on: lapsedOn, restorableUntil: restorableUntil)
    }

    /// Lapses an option whose exercise deadline was missed, through the store's agreement-event
    /// path (state, history, audit, the recomputation of its obligations and the workflow's
    /// effects). Returns the consequence, or `nil` when the option cannot lapse.
    static func lapseOption(
        _ agreementID: ID<Agreement>, missing deadline: SweptDeadline, in session: OfficeSession
    ) async throws -> DeadlineNotice.Consequence? {
        let agreement = try await session.agreement(agreementID).value
        guard agreement.workflow.allows(.lapseOption) else { return nil }
        let lapsedOn = deadline.finalDate.adding(days: 1)
        try await session.applyAgreementEvent(agreementID, .lapseOption(on: lapsedOn))
        return .optionLapsed(on: lapsedOn)
    }
}
