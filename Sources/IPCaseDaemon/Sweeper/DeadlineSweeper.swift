import Foundation
import IPCase
import IPCaseStore
import Logging
import PostgresClient

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
    /// Open deadlines due within the next 7 days (for the metric).
    public var dueWithin7Days = 0

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
        sum.dueWithin7Days += rhs.dueWithin7Days
        return sum
    }
}

/// Sweeps open deadlines into reminders, escalations and missed/lapsed status changes.
///
/// One transaction per office (scoped to it, acting as `ipcased/sweeper`, so the audit trail
/// names the daemon). "Today" is the office's civil date in its time zone at the clock's
/// instant. Safe with many daemons on one database: an office being swept by another daemon is
/// skipped (`pg_try_advisory_xact_lock`); deadlines that go missed are locked with
/// `FOR UPDATE SKIP LOCKED`; and every message has a unique idempotency key, so even without
/// the lock no reminder could be written twice.
///
/// Per open deadline:
/// - **reminder** at each offset of ``ReminderSchedule`` (key `deadline:<id>:reminder:<offset>`)
///   to the responsible attorney (the deadline's, else the right's), falling back to the
///   office's contact (its supervisor); after downtime only the most recent missed offset goes out;
/// - **escalation** to the office's supervisor once the due date has passed while the final
///   date has not (key `deadline:<id>:escalation`);
/// - **missed** when the final date has passed: status `missed`, a notice (key
///   `deadline:<id>:missed`), and for an unpaid renewal or maintenance fee the right lapses
///   through ``RightWorkflow`` (history, audit; restorable until the date of
///   ``RestorationPeriods``), for an option-exercise obligation the option lapses through
///   ``AgreementWorkflow``.
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

    /// Deadline types whose miss means an unpaid fee: the right lapses.
    public static let feeTypes: Set<String> = [
        DeadlineType.renewal.rawValue, DeadlineType.maintenanceFee.rawValue,
    ]
    /// The deadline type of an option's exercise obligation: the option lapses.
    public static let optionExerciseType = "option_exercise"

    /// A sweeper over `store`.
    public init(
        store: Store, schedule: ReminderSchedule = .standard, channel: OutboxChannel = .email,
        actor: String = "ipcased/sweeper", logger: Logger = Logger(label: "ipcased.sweeper")
    ) {
        self.store = store
        self.schedule = schedule
        self.channel = channel
        self.actor = actor
        self.logger = logger
    }

    /// Sweeps every office as of `instant`.
    public func sweep(at instant: Date) async throws -> SweepReport {
        let offices = try await store.connection.query(
            "SELECT office_id, time_zone, supervisor_email FROM offices ORDER BY office_id"
        ).map { row in try row.decode(ID<Office>.self, String.self, String?.self) }
        var report = SweepReport()
        for (office, timeZone, contact) in offices {
            if Task.isCancelled { break }
            let today = CivilDate.at(instant, timeZone: timeZone)
            report = report + (try await sweep(office: office, today: today, contact: contact))
        }
        return report
    }

    /// Sweeps one office as of its civil date `today`, in one transaction.
    public func sweep(office: ID<Office>, today: CivilDate, contact: String?) async throws
        -> SweepReport
    {
        let schedule = self.schedule
        let channel = self.channel
        let logger = self.logger
        return try await store.withOffice(office, actor: actor) { session in
            var report = SweepReport()
            let locked = try await session.connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtextextended('ipcase.sweep', \(office)))")
            guard try locked[0].decode(Bool.self, at: 0) else {
                report.officesBusy = 1
                return report
            }
            report.offices = 1

            // Final date passed: missed (rows another transaction holds are left for the next sweep).
            let missedIDs: [Int64] = try await session.connection.query(
                """
                UPDATE deadlines SET status = 'missed', completed_at = now(),
                       completed_reason = 'final date ' || final_date::text || ' passed'
                WHERE office_id = \(office) AND id = ANY(ARRAY(
                    SELECT id FROM deadlines WHERE office_id = \(office) AND status = 'open'
                      AND final_date < \(today) ORDER BY id FOR UPDATE SKIP LOCKED))
                RETURNING id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            report.missed = missedIDs.count

            let deadlines = try await Self.candidates(
                in: session, office: office, today: today, horizon: schedule.horizon,
                offsets: schedule.offsets,
                missed: missedIDs)
            let missedSet = Set(missedIDs)

            // Consequences of the misses, through the state machines.
            var consequences: [Int64: String] = [:]
            let lapses = Dictionary(
                grouping: deadlines.filter {
                    missedSet.contains($0.deadline.id) && $0.deadline.right != nil
                        && Self.feeTypes.contains($0.deadline.type)
                }, by: { $0.deadline.right! })
            for (rightID, missed) in lapses.sorted(by: { $0.key < $1.key }) {
                let first = missed.map(\.deadline).min { $0.finalDate < $1.finalDate }!
                if let text = try await Self.lapseRight(rightID, missing: first, in: session) {
                    report.lapsedRights += 1
                    for entry in missed { consequences[entry.deadline.id] = text }
                }
            }
            for entry in deadlines
            where missedSet.contains(entry.deadline.id) && entry.deadline.type == Self.optionExerciseType {
                guard let agreementID = entry.deadline.agreement else { continue }
                if let text = try await Self.lapseOption(agreementID, missing: entry.deadline, in: session) {
                    report.lapsedOptions += 1
                    consequences[entry.deadline.id] = text
                }
            }

            var messages: [OutboxMessage] = []
            for entry in deadlines {
                let deadline = entry.deadline
                let notice: DeadlineNotice
                let recipient: String?
                if missedSet.contains(deadline.id) {
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
                    logger.warning(
                        "Deadline notice has no recipient: no attorney e-mail and no office contact",
                        metadata: [
                            "deadline.id": "\(deadline.id)", "office.id": "\(office)",
                            "notice": "\(notice.topic)",
                        ])
                    continue
                }
                messages.append(
                    try notice.outboxMessage(for: deadline, recipient: recipient, channel: channel))
            }
            let added = try await session.enqueue(messages)
            for key in added {
                if key.contains(":reminder:") {
                    report.reminders += 1
                } else if key.hasSuffix(":escalation") {
                    report.escalations += 1
                }
            }
            report.dueWithin7Days = try await session.connection.query(
                """
                SELECT count(*) FROM deadlines WHERE office_id = \(office) AND status = 'open'
                  AND due_date BETWEEN \(today) AND \(today.adding(days: 7))
                """)[0].decode(Int.self, at: 0)
            return report
        }
    }

    /// A deadline that may need a notice, with the reminder offset the query found reached (the
    /// same rule as ``ReminderSchedule/offset(daysUntilDue:)``, which decides the message).
    struct Candidate: Sendable {
        var deadline: SweptDeadline
        var reminderOffset: Int?
    }

    /// Open deadlines of `office` that need a notice today whose key is not in the outbox yet:
    /// a reminder offset reached, the due date passed, or just missed (`missed`).
    static func candidates(
        in session: OfficeSession, office: ID<Office>, today: CivilDate, horizon: Int, offsets: [Int],
        missed: [Int64]
    ) async throws -> [Candidate] {
        try await session.connection.query(
            """
            SELECT d.id, d.right_id, d.agreement_id, d.rule_id, d.type, CASE WHEN d.year::numeric = 0 THEN NULL
                        WHEN d.year::numeric = trunc(d.year::numeric) THEN trunc(d.year::numeric)::bigint::text
                        ELSE d.year::numeric::text END,
                   d.due_date, d.final_date, d.citation,
                   coalesce(r.reference, a.reference, ''), r.jurisdiction::text, r.application_number,
                   coalesce(r.title, ''), p.name, p.email, x.offset_days
            FROM deadlines d
            LEFT JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
            LEFT JOIN agreements a ON a.office_id = d.office_id AND a.id = d.agreement_id
            LEFT JOIN parties p ON p.office_id = d.office_id AND p.id = coalesce(d.attorney_id, r.attorney_id)
            LEFT JOIN LATERAL (SELECT min(o) AS offset_days FROM unnest(\(offsets)::integer[]) AS o
                               WHERE d.due_date >= \(today) AND o >= d.due_date - \(today)) x ON true
            WHERE d.office_id = \(office)
              AND ((d.status = 'open' AND d.due_date <= \(today.adding(days: max(horizon, 0)))
                    AND CASE WHEN d.due_date < \(today)
                             THEN NOT EXISTS (SELECT FROM outbox o WHERE o.idempotency_key =
                                                  'deadline:' || d.id || ':escalation')
                             ELSE x.offset_days IS NOT NULL AND NOT EXISTS (
                                      SELECT FROM outbox o WHERE o.idempotency_key =
                                          'deadline:' || d.id || ':reminder:' || x.offset_days)
                        END)
                   OR d.id = ANY(\(missed)::bigint[]))
            ORDER BY d.due_date, d.id
            """
        ).map { row in
            let (id, right, agreement, ruleID, type, year, due, final, citation) = try row.decode(
                Int64.self, ID<Right>?.self, ID<Agreement>?.self, String.self, String.self, String?.self,
                CivilDate.self, CivilDate.self, String.self)
            let (reference, jurisdiction, number, title, name, email, offset) = try row.decode(
                String.self, String?.self, String?.self, String.self, String?.self, String?.self, Int?.self,
                startingAt: 9)
            return Candidate(
                deadline: SweptDeadline(
                    id: id, office: office, right: right, agreement: agreement, ruleID: ruleID, type: type,
                    year: year, dueDate: due, finalDate: final, citation: citation, reference: reference,
                    jurisdiction: jurisdiction, applicationNumber: number, title: title, attorneyName: name,
                    attorneyEmail: email),
                reminderOffset: offset)
        }
    }

    /// Lapses a right whose fee deadline was missed, through the store's workflow path (right
    /// event, state, history, audit). Returns the consequence in words, or `nil` when the right
    /// cannot lapse in its state (already lapsed, expired, not yet granted …).
    static func lapseRight(
        _ rightID: ID<Right>, missing deadline: SweptDeadline, in session: OfficeSession
    )
        async throws -> String?
    {
        let right = try await session.right(rightID).value
        guard right.workflow.allows(.lapsed) else { return nil }
        let restorableUntil = RestorationPeriods.restorableUntil(
            jurisdiction: right.jurisdiction.code, missedDeadline: deadline.finalDate)
        let lapsedOn = deadline.finalDate.adding(days: 1)
        try await session.applyRightEvent(
            rightID, .lapsed(on: lapsedOn, restorableUntil: restorableUntil))
        return restorableUntil.map {
            "The right lapsed on \(lapsedOn); it can be restored until \($0)."
        }
            ?? "The right lapsed on \(lapsedOn)."
    }

    /// Lapses an option whose exercise deadline was missed, through ``AgreementWorkflow``: the
    /// agreement's state and the workflow history in this transaction (the audit trigger
    /// records the change). Returns the consequence, or `nil` when the option cannot lapse.
    static func lapseOption(
        _ agreementID: ID<Agreement>, missing deadline: SweptDeadline, in session: OfficeSession
    )
        async throws -> String?
    {
        let stored = try await session.agreement(agreementID)
        var agreement = stored.value
        guard agreement.workflow.allows(.lapseOption) else { return nil }
        let lapsedOn = deadline.finalDate.adding(days: 1)
        let event = AgreementWorkflow.Event.lapseOption(on: lapsedOn)
        let before = agreement.state
        _ = try agreement.apply(event)
        let changed = try await session.connection.execute(
            """
            UPDATE agreements SET state = \(agreement.state.rawValue)
            WHERE office_id = \(session.office) AND id = \(agreementID) AND version = \(stored.version)
            """)
        guard changed == 1 else {
            throw StoreError.notFound(record: "agreement \(agreement.reference)")
        }
        _ = try await session.connection.execute(
            """
            INSERT INTO workflow_history (office_id, entity_type, entity_id, event, from_state, to_state, details)
            VALUES (\(session.office), 'agreement', \(agreementID), \(event.kind.rawValue), \(before.rawValue),
                    \(agreement.state.rawValue), \(try PostgresJSON(encoding: event)))
            """)
        return "The option lapsed on \(lapsedOn)."
    }
}
