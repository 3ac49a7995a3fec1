import IPCase
import PostgresClient

/// A deadline marked missed that an event recorded later met (a payment entered after the fact).
public struct MissedDeadlineMet: Sendable, Hashable {
    /// The deadline's key.
    public var id: Int64
    /// Its type, e.g. `renewal`.
    public var type: String
    /// Its final date.
    public var finalDate: CivilDate
    /// What met it, e.g. `annuity-paid 2026-02-15`.
    public var closedBy: String
    /// The date of that event.
    public var closedOn: CivilDate

    /// Creates one.
    public init(id: Int64, type: String, finalDate: CivilDate, closedBy: String, closedOn: CivilDate) {
        self.id = id
        self.type = type
        self.finalDate = finalDate
        self.closedBy = closedBy
        self.closedOn = closedOn
    }
}

/// What settling late-recorded events did.
public struct LatePaymentOutcome: Sendable, Hashable {
    /// Missed deadlines turned done (met in time).
    public var done = 0
    /// Lapses withdrawn through the right workflow.
    public var lapsesRescinded = 0
    /// Missed deadlines met only after their final date, raised for review.
    public var raisedForReview = 0

    /// Nothing yet.
    public init() {}
}

/// A lapse recorded by the sweeper that turned out wrong.
public struct LapseRescission: Sendable, Hashable {
    /// Why, for the history ("the fee was paid in time (annuity-paid 2026-02-15) …").
    public var reason: String
    /// The lapse to record instead, when a later fee really was not paid.
    public var relapse: RightWorkflow.Event?

    /// Creates one.
    public init(reason: String, relapse: RightWorkflow.Event? = nil) {
        self.reason = reason
        self.relapse = relapse
    }
}

extension ServiceSession {
    /// Settles the missed deadlines of `right` that events recorded since have met, in this
    /// transaction (the recomputation's):
    ///
    /// - met on or before the final date: the deadline is `done` ("met by …, recorded after it
    ///   was marked missed");
    /// - `rescind`: the sweeper's lapse of the right was wrong (the fees it lapsed it for are met in
    ///   time): it is withdrawn through the right workflow (`lapse-rescinded`: history, audit,
    ///   recomputation and notice; the lapse stays in the history), and recorded again from a
    ///   later fee that really is unpaid;
    /// - met only after the final date: the deadline stays missed (the fee was late: the law asks
    ///   for a restoration request), and the office and attorney are told once.
    public func settleMissedDeadlines(
        office: ID<Office>, right: ID<Right>, metInTime: [MissedDeadlineMet], metLate: [MissedDeadlineMet],
        rescind: LapseRescission?
    ) async throws -> LatePaymentOutcome {
        var outcome = LatePaymentOutcome()
        _ = try await connection.query("SELECT set_config('ipcase.office_id', \(String(office.rawValue)), true)")
        let session = OfficeSession(connection: connection, office: office)
        if !metInTime.isEmpty {
            outcome.done = try await connection.execute(
                """
                UPDATE deadlines d SET status = 'done', completed_at = now(),
                       completed_reason = 'met by ' || m.closed_by || ' (recorded after it was marked missed)'
                FROM unnest(\(metInTime.map(\.id))::bigint[], \(metInTime.map(\.closedBy))::text[]) AS m(id, closed_by)
                WHERE d.office_id = \(office) AND d.id = m.id AND d.status = 'missed'
                """)
        }
        if let rescind {
            let today = try await connection.query(
                "SELECT (now() AT TIME ZONE time_zone)::date FROM offices WHERE office_id = \(office)"
            )[0].decode(CivilDate.self, at: 0)
            try await session.applyRightEvent(right, .lapseRescinded(on: today, reason: rescind.reason))
            if let relapse = rescind.relapse { try await session.applyRightEvent(right, relapse) }
            outcome.lapsesRescinded = 1
        }
        if !metLate.isEmpty {
            // Raised once: the reason records that it was.
            let raised = try await connection.query(
                """
                UPDATE deadlines d SET completed_reason = d.completed_reason || '; ' || m.closed_by
                           || ' is after the final date: restoration needed'
                FROM unnest(\(metLate.map(\.id))::bigint[], \(metLate.map(\.closedBy))::text[]) AS m(id, closed_by)
                WHERE d.office_id = \(office) AND d.id = m.id AND d.status = 'missed'
                  AND d.completed_reason NOT LIKE '%restoration needed'
                RETURNING d.id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            let late = metLate.filter { raised.contains($0.id) }
            let notices = try late.map { met in
                NewJob(
                    kind: .notify,
                    payload: try PostgresJSON(
                        encoding: WorkflowEffect.notify(
                            Notice(
                                subject: .right(right), audience: [.office, .responsibleAttorney],
                                message: "deadline \(met.id) (\(met.type.replacingOccurrences(of: "_", with: " "))) "
                                    + "was missed on \(met.finalDate); \(met.closedBy) is after it: "
                                    + "it stays missed, and the right needs a restoration request"))))
            }
            _ = try await session.enqueue(notices)
            outcome.raisedForReview = late.count
        }
        return outcome
    }
}
