import IPCase
import PostgresClient

extension RenewalDecisionWorkflow.State: PostgresTextEnum {}
extension RenewalDecisionWorkflow.Choice: PostgresTextEnum {}

/// A renewal decision as stored: the fee deadline it is for and what the office decided.
public struct RenewalDecision: Sendable, Hashable, Codable {
    /// The decision's key.
    public var id: Int64
    /// Its office.
    public var office: ID<Office>
    /// The right whose fee it decides.
    public var right: ID<Right>
    /// The right's docket reference.
    public var rightReference: String
    /// The open fee deadline it was opened for.
    public var deadline: Int64
    /// The deadline's rule, e.g. `KZ.annuity`.
    public var ruleID: String
    /// The fee year (a US half year is kept as its whole year: 3 for 3.5), `nil` when none.
    public var feeYear: Int?
    /// The fee's due date.
    public var dueDate: CivilDate
    /// Its final date (the end of the grace period).
    public var finalDate: CivilDate
    /// Where the decision is.
    public var state: RenewalDecisionWorkflow.State
    /// What the office chose, once it did.
    public var choice: RenewalDecisionWorkflow.Choice?
    /// Who chose.
    public var decidedBy: String?
    /// When, in UTC (`2026-03-01T09:30:00Z`).
    public var decidedAt: String?
    /// Why.
    public var reason: String?

    /// How messages name it: `renewal decision 7 (right KZ-1, year 5)`.
    public var label: String {
        "renewal decision \(id) (right \(rightReference)\(feeYear.map { ", year \($0)" } ?? ""))"
    }

    /// The workflow in the decision's state.
    public var workflow: RenewalDecisionWorkflow {
        RenewalDecisionWorkflow(id: id, label: label, finalDate: finalDate, state: state)
    }
}

/// What one pass over the renewal decisions of an office changed.
public struct RenewalDecisionSettlement: Sendable, Hashable {
    /// Decisions moved into the last call (due date passed unpaid, grace running).
    public var lastCalls = 0
    /// Decisions lapsed after their final date.
    public var lapsed = 0
    /// Rights abandoned because their decision was to drop them.
    public var abandonedRights = 0

    /// Nothing yet.
    public init() {}
}

/// The deadline types a renewal decision is opened for: renewal fees and annuities, US
/// maintenance fees (the sweeper's fee types).
let renewalDecisionFeeTypes = [DeadlineType.renewal.rawValue, DeadlineType.maintenanceFee.rawValue]

/// Opens the decisions of the open fee deadlines due by `asOf` + `leadDays` whose final date has
/// not passed, in `office` (or every office the session sees); existing ones are left as they
/// are. Each opening is appended to the workflow history. Returns how many were opened.
func openDecisions(
    on connection: PostgresConnection, office: ID<Office>?, asOf: CivilDate, leadDays: Int
)
    async throws -> Int
{
    try await connection.query(
        """
        WITH opened AS (
            INSERT INTO renewal_decisions (office_id, right_id, deadline_id, rule_id, fee_year, due_date, final_date)
            SELECT d.office_id, d.right_id, d.id, d.rule_id, nullif(trunc(d.year), 0)::smallint, d.due_date,
                   d.final_date
            FROM deadlines d
            WHERE (\(office)::bigint IS NULL OR d.office_id = \(office)) AND d.status = 'open' AND d.right_id IS NOT NULL AND d.type = ANY(\(renewalDecisionFeeTypes)::text[])
              AND d.due_date <= \(asOf.adding(days: max(leadDays, 0))) AND d.final_date >= \(asOf)
            ON CONFLICT (office_id, deadline_id) DO NOTHING
            RETURNING office_id, id),
        history AS (
            INSERT INTO workflow_history (office_id, entity_type, entity_id, event, from_state, to_state, occurred_on)
            SELECT office_id, 'renewal-decision', id, 'open', 'none', 'pending', \(asOf) FROM opened
            RETURNING 1)
        SELECT count(*)::int FROM history
        """
    )[0].decode(Int.self, at: 0)
}

extension ServiceSession {
    /// Opens renewal decisions in every office for the open renewal, annuity and maintenance-fee
    /// deadlines due within `leadDays` of `asOf` (idempotent: one decision per deadline).
    /// Returns how many were opened.
    @discardableResult
    public func openRenewalDecisions(asOf: CivilDate, leadDays: Int = 90) async throws -> Int {
        try await openDecisions(on: connection, office: nil, asOf: asOf, leadDays: leadDays)
    }
}

extension OfficeSession {
    /// Opens this office's renewal decisions due within `leadDays` of `asOf`, as
    /// ``ServiceSession/openRenewalDecisions(asOf:leadDays:)`` does. Returns how many were opened.
    @discardableResult
    public func openRenewalDecisions(asOf: CivilDate, leadDays: Int = 90) async throws -> Int {
        try await openDecisions(on: connection, office: office, asOf: asOf, leadDays: leadDays)
    }

    /// The office's renewal decisions by due date and key, only those in `state` and due before
    /// `dueBefore` when given.
    public func renewalDecisions(
        state: RenewalDecisionWorkflow.State? = nil, dueBefore: CivilDate? = nil
    )
        async throws -> [Versioned<RenewalDecision>]
    {
        try await connection.query(
            """
            \(unescaped: Self.decisionColumns)
            WHERE rd.office_id = \(office) AND (\(state)::text IS NULL OR rd.state = \(state))
              AND (\(dueBefore)::date IS NULL OR rd.due_date < \(dueBefore))
            ORDER BY rd.due_date, rd.id
            """
        ).map(decodeDecision)
    }

    /// One renewal decision.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func renewalDecision(_ id: Int64) async throws -> Versioned<RenewalDecision> {
        try await decision(id, locking: false)
    }

    /// Records the office's choice, its reason and who made it (the session's actor), through
    /// `RenewalDecisionWorkflow`, with the workflow history, in this transaction.
    /// - Parameters:
    ///   - id: the decision's key.
    ///   - choice: what the office chose.
    ///   - reason: why (required).
    ///   - expectedVersion: the version the decider saw; another version is a conflict, nothing written.
    ///   - date: the day of the decision, for the history.
    /// - Throws: ``StoreError/conflict(record:expectedVersion:currentVersion:)``,
    ///   ``StoreError/workflow(record:reason:)``, ``StoreError/notFound(record:)``.
    @discardableResult
    public func decideRenewal(
        _ id: Int64, choice: RenewalDecisionWorkflow.Choice, reason: String,
        expectedVersion: Int? = nil,
        on date: CivilDate = .todayUTC
    ) async throws -> Versioned<RenewalDecision> {
        let stored = try await decision(id, locking: true)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError.conflict(
                record: stored.value.label, expectedVersion: expectedVersion, currentVersion: stored.version
            )
        }
        return try await step(stored, .decide(choice, reason: reason), on: date) {}
    }

    /// Marks the fee paid on `date`: the decision becomes `paid` and `annuity-paid` for its year
    /// is recorded for the right through ``recordEvent(_:_:)`` (which queues the recomputation
    /// that closes the fee deadline), in this transaction.
    /// - Throws: as ``decideRenewal(_:choice:reason:expectedVersion:on:)``.
    @discardableResult
    public func markRenewalPaid(_ id: Int64, on date: CivilDate, expectedVersion: Int? = nil)
        async throws
        -> Versioned<RenewalDecision>
    {
        let stored = try await decision(id, locking: true)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError.conflict(
                record: stored.value.label, expectedVersion: expectedVersion, currentVersion: stored.version
            )
        }
        return try await step(stored, .paid(on: date), on: date) {
            try await recordEvent(
                stored.value.right, RightEvent(.annuityPaid, on: date, year: stored.value.feeYear))
        }
    }

    /// Moves this office's decisions on as of `today`: pending and instructed-pay decisions whose
    /// due date passed while their deadline is open and the final date has not passed go to
    /// `last-call`; instructed-drop and last-call decisions whose final date passed with the
    /// deadline unpaid go to `lapsed`, and for a drop the right is abandoned (the day after the
    /// final date) through the right workflow. Each in the workflow history, in this transaction.
    public func settleRenewalDecisions(today: CivilDate) async throws -> RenewalDecisionSettlement {
        var settlement = RenewalDecisionSettlement()
        let due = try await connection.query(
            """
            \(unescaped: Self.decisionColumns)
            JOIN deadlines d ON d.office_id = rd.office_id AND d.id = rd.deadline_id
            WHERE rd.office_id = \(office) AND d.status IN ('open', 'missed')
              AND ((rd.state IN ('pending', 'instructed-pay') AND rd.due_date < \(today)
                    AND rd.final_date >= \(today))
                OR (rd.state IN ('instructed-drop', 'last-call') AND rd.final_date < \(today)))
            ORDER BY rd.id
            FOR UPDATE OF rd SKIP LOCKED
            """
        ).map(decodeDecision)
        for stored in due {
            if stored.value.finalDate < today {
                let dropped = stored.value.state == .instructedDrop
                _ = try await step(stored, .lapse(on: today), on: stored.value.finalDate.adding(days: 1)) {}
                settlement.lapsed += 1
                let right = try await self.right(stored.value.right).value
                if dropped, right.workflow.allows(.abandoned) {
                    try await applyRightEvent(
                        right.id, .abandoned(on: stored.value.finalDate.adding(days: 1)))
                    settlement.abandonedRights += 1
                }
            } else {
                _ = try await step(stored, .lastCall(on: today), on: today) {}
                settlement.lastCalls += 1
            }
        }
        return settlement
    }

    /// Applies `event` to the decision, runs `write` (its other changes), stores the new state
    /// and appends the history.
    private func step(
        _ stored: Versioned<RenewalDecision>, _ event: RenewalDecisionWorkflow.Event,
        on date: CivilDate,
        _ write: () async throws -> Void
    ) async throws -> Versioned<RenewalDecision> {
        let decision = stored.value
        var workflow = decision.workflow
        _ = try workflowStep(decision.label) { () throws(WorkflowError) in try workflow.apply(event) }
        try await naming(decision.label) {
            try await write()
            // One UPDATE (one version step): the state, and for a choice who made it, when and why.
            var choice: RenewalDecisionWorkflow.Choice?
            var reason: String?
            if case .decide(let chosen, let why) = event { (choice, reason) = (chosen, why) }
            _ = try await connection.execute(
                """
                UPDATE renewal_decisions SET state = \(workflow.state), choice = coalesce(\(choice), choice),
                       reason = CASE WHEN \(choice)::text IS NULL THEN reason ELSE \(reason) END,
                       decided_at = CASE WHEN \(choice)::text IS NULL THEN decided_at ELSE now() END,
                       decided_by = CASE WHEN \(choice)::text IS NULL THEN decided_by ELSE ipcase_current_actor() END
                WHERE office_id = \(office) AND id = \(decision.id)
                """)
            try await appendHistory(
                entity: "renewal-decision", id: decision.id, event: event.kind.rawValue,
                from: decision.state.rawValue,
                to: workflow.state.rawValue, on: date, details: try PostgresJSON(encoding: event))
        }
        return try await self.decision(decision.id, locking: false)
    }

    private func decision(_ id: Int64, locking: Bool) async throws -> Versioned<RenewalDecision> {
        let rows = try await connection.query(
            """
            \(unescaped: Self.decisionColumns)
            WHERE rd.office_id = \(office) AND rd.id = \(id)
            \(unescaped: locking ? "FOR UPDATE OF rd" : "")
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "renewal decision \(id)") }
        return try decodeDecision(row)
    }

    static let decisionColumns = """
        SELECT rd.id, rd.right_id, r.reference, rd.deadline_id, rd.rule_id, rd.fee_year::int, rd.due_date,
               rd.final_date, rd.state, rd.choice, rd.decided_by,
               to_char(rd.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), rd.reason, rd.version
        FROM renewal_decisions rd
        JOIN rights r ON r.office_id = rd.office_id AND r.id = rd.right_id
        """

    func decodeDecision(_ row: PostgresRow) throws -> Versioned<RenewalDecision> {
        let (id, right, reference, deadline, rule, year, due, final) = try row.decode(
            Int64.self, ID<Right>.self, String.self, Int64.self, String.self, Int?.self, CivilDate.self,
            CivilDate.self)
        let (state, choice, by, at, reason, version) = try row.decode(
            RenewalDecisionWorkflow.State.self, RenewalDecisionWorkflow.Choice?.self, String?.self,
            String?.self,
            String?.self, Int.self, startingAt: 8)
        return Versioned(
            RenewalDecision(
                id: id, office: office, right: right, rightReference: reference, deadline: deadline,
                ruleID: rule,
                feeYear: year, dueDate: due, finalDate: final, state: state, choice: choice, decidedBy: by,
                decidedAt: at, reason: reason),
            version: version)
    }
}
