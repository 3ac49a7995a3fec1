import Foundation
import IPCase
import PostgresClient

/// A deadline as the store keeps it: what the engine computed for a right, keyed by
/// (right, rule, trigger, year) so that recomputing never duplicates it.
public struct DeadlineRecord: Sendable, Hashable {
    /// The office of the right.
    public var office: ID<Office>
    /// The right it belongs to.
    public var right: ID<Right>
    /// The rule that produced it.
    public var ruleID: String
    /// The kind of time limit (the engine's `DeadlineType` raw value), e.g. `renewal`.
    public var type: String
    /// The fee year, `nil` when the rule does not recur (stored as 0).
    public var year: FeeYear?
    /// What triggered it: the trigger event's kind and date, e.g. `filed:2024-02-01`.
    public var triggerKey: String
    /// The date before rolling past closed days.
    public var nominalDate: CivilDate
    /// The date to act by.
    public var dueDate: CivilDate
    /// The last possible date (grace period, extension); the due date when there is none.
    public var finalDate: CivilDate
    /// When payment or action first becomes possible, where that is limited.
    public var windowOpens: CivilDate?
    /// Statutory (true) or internal.
    public var statutory: Bool
    /// The attorney to remind.
    public var attorney: ID<Party>?
    /// The legal source.
    public var citation: String
    /// Whether the rule is confirmed or still needs review (`confirmed`, `unconfirmed`).
    public var ruleStatus: String
    /// One line that explains the dates.
    public var explanation: String
    /// Why it is met, when an event met it (e.g. `annuity-paid 2026-03-01`): an open deadline is
    /// then marked done.
    public var closedBy: String?
    /// The date of the event that met it, when one did.
    public var closedOn: CivilDate?

    /// Creates a deadline record.
    public init(
        office: ID<Office>, right: ID<Right>, ruleID: String, type: String, year: FeeYear? = nil, triggerKey: String,
        nominalDate: CivilDate, dueDate: CivilDate, finalDate: CivilDate, windowOpens: CivilDate? = nil,
        statutory: Bool = true, attorney: ID<Party>? = nil, citation: String = "", ruleStatus: String = "confirmed",
        explanation: String = "", closedBy: String? = nil, closedOn: CivilDate? = nil
    ) {
        self.office = office
        self.right = right
        self.ruleID = ruleID
        self.type = type
        self.year = year
        self.triggerKey = triggerKey
        self.nominalDate = nominalDate
        self.dueDate = dueDate
        self.finalDate = finalDate
        self.windowOpens = windowOpens
        self.statutory = statutory
        self.attorney = attorney
        self.citation = citation
        self.ruleStatus = ruleStatus
        self.explanation = explanation
        self.closedBy = closedBy
        self.closedOn = closedOn
    }

    /// The record of a deadline computed by the engine for `right`.
    /// - Parameters:
    ///   - deadline: the engine's deadline.
    ///   - office: the right's office.
    ///   - right: the right.
    ///   - attorney: the responsible attorney, reminded of it.
    ///   - explained: whether to render and store the one-line explanation (rendering costs
    ///     string building; the daemon may store it or leave it to be rendered on demand).
    public init(
        _ deadline: Deadline, office: ID<Office>, right: ID<Right>, attorney: ID<Party>?, explained: Bool = true
    ) {
        self.init(
            office: office, right: right, ruleID: deadline.ruleID, type: deadline.type.rawValue, year: deadline.year,
            triggerKey: Self.triggerKey(deadline.trigger), nominalDate: deadline.nominal, dueDate: deadline.due,
            finalDate: max(deadline.final ?? deadline.due, deadline.due), windowOpens: deadline.windowOpens,
            attorney: attorney, citation: deadline.citation, ruleStatus: deadline.status.rawValue,
            explanation: explained ? deadline.explanation : "",
            closedBy: deadline.closedBy.map { "\($0.kind.rawValue) \($0.date)" }, closedOn: deadline.closedBy?.date)
    }

    /// `filed:2024-02-01`: the trigger's part of the key.
    public static func triggerKey(_ trigger: Deadline.Trigger) -> String { "\(trigger.kind.rawValue):\(trigger.date)" }
}

extension FeeYear: PostgresEncodable, PostgresDecodable {
    /// `numeric`.
    public static var postgresType: PostgresType { .numeric }
    /// `numeric[]`.
    public static var postgresArrayType: PostgresType { .numericArray }
    /// `3`, `3.5`.
    public var postgresText: String? { description }
    /// Decodes a whole or half year (`3`, `3.0`, `3.5`).
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int16(parts[0]), whole >= 0 else {
            throw PostgresDecodingFailure("not a fee year")
        }
        let fraction = parts.count == 2 ? parts[1].trimmingCharacters(in: ["0"]) : ""
        switch fraction {
        case "": self.init(halfYears: whole * 2)
        case "5": self.init(halfYears: whole * 2 + 1)
        default: throw PostgresDecodingFailure("not a whole or half fee year")
        }
    }
}

/// What a deadline upsert changed.
public struct DeadlineUpsertResult: Sendable, Hashable {
    /// Deadlines new to the store.
    public var inserted: Int
    /// Deadlines whose dates, texts or attorney changed, or that were superseded and are produced again.
    public var updated: Int
    /// Deadlines no longer produced, marked superseded.
    public var superseded: Int
}

extension ServiceSession {
    /// Writes the complete current schedule of some rights in two statements, whatever the
    /// batch size (the first in one pipeline with the flag that spares its inserts the row-by-row
    /// audit, see Schema/0030): one `INSERT … SELECT FROM unnest(…) ON CONFLICT (key) DO UPDATE … WHERE`
    /// (rows whose values did not change are not rewritten, so recomputation costs no WAL or
    /// audit for them; an open deadline the engine reports met is marked done; a superseded one
    /// produced again is reopened), then one `UPDATE` that supersedes the open deadlines of
    /// these rights that the schedule no longer contains (never deleted; done, waived and missed
    /// ones stay as they are).
    ///
    /// - Parameters:
    ///   - deadlines: every deadline the engine now produces for `rights`.
    ///   - rights: the rights recomputed, with their offices (a right with no deadlines left
    ///     has all its open ones superseded).
    public func replaceSchedules(
        _ deadlines: [DeadlineRecord], of rights: [(office: ID<Office>, right: ID<Right>)]
    ) async throws -> DeadlineUpsertResult {
        var inserted = 0
        var updated = 0
        if !deadlines.isEmpty {
            // Inserts of derived deadlines are not audited row by row (Schema/0030 says why);
            // every update is. The flag is on for this statement only.
            let upsert: PostgresQuery = """
                INSERT INTO deadlines AS d (office_id, right_id, rule_id, type, year, trigger_key, nominal_date,
                                            due_date, final_date, window_opens, statutory, attorney_id, citation,
                                            rule_status, explanation, status, completed_at, completed_reason)
                SELECT o, r, ru, ty, yr, tk, nd, dd, fd, wo, st, at, ci, rs, ex,
                       CASE WHEN cb IS NULL THEN 'open' ELSE 'done' END,
                       CASE WHEN cb IS NULL THEN NULL ELSE now() END,
                       CASE WHEN cb IS NULL THEN NULL ELSE 'met by ' || cb END
                FROM unnest(\(deadlines.map(\.office))::bigint[], \(deadlines.map(\.right))::bigint[],
                                     \(deadlines.map(\.ruleID))::text[], \(deadlines.map(\.type))::text[],
                                     \(deadlines.map { $0.year ?? FeeYear(halfYears: 0) })::numeric[],
                                     \(deadlines.map(\.triggerKey))::text[], \(deadlines.map(\.nominalDate))::date[],
                                     \(deadlines.map(\.dueDate))::date[], \(deadlines.map(\.finalDate))::date[],
                                     \(deadlines.map(\.windowOpens))::date[], \(deadlines.map(\.statutory))::boolean[],
                                     \(deadlines.map(\.attorney))::bigint[], \(deadlines.map(\.citation))::text[],
                                     \(deadlines.map(\.ruleStatus))::text[], \(deadlines.map(\.explanation))::text[],
                                     \(deadlines.map(\.closedBy))::text[])
                     AS n(o, r, ru, ty, yr, tk, nd, dd, fd, wo, st, at, ci, rs, ex, cb)
                ON CONFLICT (office_id, right_id, rule_id, trigger_key, year) WHERE right_id IS NOT NULL
                DO UPDATE SET type = excluded.type, nominal_date = excluded.nominal_date, due_date = excluded.due_date,
                              final_date = excluded.final_date, window_opens = excluded.window_opens,
                              statutory = excluded.statutory, attorney_id = excluded.attorney_id,
                              citation = excluded.citation, rule_status = excluded.rule_status,
                              explanation = excluded.explanation,
                              status = CASE WHEN d.status IN ('open', 'superseded')
                                            THEN excluded.status ELSE d.status END,
                              completed_at = CASE WHEN d.status IN ('open', 'superseded')
                                                  THEN excluded.completed_at ELSE d.completed_at END,
                              completed_reason = CASE WHEN d.status IN ('open', 'superseded')
                                                      THEN excluded.completed_reason ELSE d.completed_reason END
                WHERE (d.status = 'superseded')
                   OR (d.status = 'open' AND excluded.status = 'done')
                   OR (d.type, d.nominal_date, d.due_date, d.final_date, d.window_opens, d.statutory, d.attorney_id,
                       d.citation, d.rule_status, d.explanation)
                      IS DISTINCT FROM
                      (excluded.type, excluded.nominal_date, excluded.due_date, excluded.final_date,
                       excluded.window_opens, excluded.statutory, excluded.attorney_id, excluded.citation,
                       excluded.rule_status, excluded.explanation)
                RETURNING d.xmax = 0
                """
            let rows = try await connection.pipeline([
                "SELECT set_config('ipcase.derived_deadlines', 'on', true)", upsert,
                "SELECT set_config('ipcase.derived_deadlines', 'off', true)",
            ])[1]
            for row in rows {
                if try row.decode(Bool.self, at: 0) { inserted += 1 } else { updated += 1 }
            }
        }
        var superseded = 0
        if !rights.isEmpty {
            superseded = try await connection.execute(
                """
                UPDATE deadlines d SET status = 'superseded', completed_at = now(),
                       completed_reason = 'no longer produced by the rules'
                WHERE (d.office_id, d.right_id) IN (SELECT * FROM unnest(\(rights.map(\.office))::bigint[],
                                                                          \(rights.map(\.right))::bigint[]))
                  AND d.status = 'open'
                  AND NOT EXISTS (
                      SELECT FROM unnest(\(deadlines.map(\.right))::bigint[], \(deadlines.map(\.ruleID))::text[],
                                         \(deadlines.map(\.triggerKey))::text[],
                                         \(deadlines.map { $0.year ?? FeeYear(halfYears: 0) })::numeric[])
                           AS k(right_id, rule_id, trigger_key, year)
                      WHERE k.right_id = d.right_id AND k.rule_id = d.rule_id AND k.trigger_key = d.trigger_key
                        AND k.year = d.year)
                """)
        }
        return DeadlineUpsertResult(inserted: inserted, updated: updated, superseded: superseded)
    }
}

/// How an open deadline was completed.
public enum DeadlineCompletion: String, Sendable, Hashable, CaseIterable, PostgresTextEnum {
    /// The action was taken or the fee paid.
    case done = "done"
    /// The office decided not to act.
    case waived = "waived"
    /// The final date passed.
    case missed = "missed"
}

extension OfficeSession {
    /// Records that the session's actor checked an open deadline's dates, if nobody changed it
    /// since `version`. The verifier must be a second person: not whoever recorded the event
    /// that triggered it. A deadline whose dates move later loses the verification
    /// (Schema/0092). Returns the new version.
    @discardableResult
    public func verify(deadline id: Int64, version: Int) async throws -> Int {
        let rows = try await connection.query(
            """
            SELECT d.status, e.recorded_by
            FROM deadlines d
            LEFT JOIN LATERAL (SELECT e.recorded_by FROM right_events e
                               WHERE e.office_id = d.office_id AND e.right_id = d.right_id
                                 AND e.kind || ':' || e.event_date = d.trigger_key
                                 AND e.recorded_by = ipcase_current_actor() LIMIT 1) e ON true
            WHERE d.office_id = \(office) AND d.id = \(id) FOR UPDATE OF d
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "deadline \(id)") }
        let (status, recorder) = try row.decode(String.self, String?.self)
        guard status == "open" else {
            throw StoreError.invalid(
                record: "deadline \(id)", reason: "it is '\(status)'; only open deadlines are verified")
        }
        if let recorder {
            throw StoreError.invalid(
                record: "deadline \(id)",
                reason: "\(recorder) recorded the event that triggers it; a second person must verify it")
        }
        let updated = try await connection.query(
            """
            UPDATE deadlines SET verified_by = ipcase_current_actor(), verified_at = now()
            WHERE office_id = \(office) AND id = \(id) AND version = \(version) AND status = 'open'
            RETURNING version
            """)
        return try await checkedVersion(updated, table: "deadlines", id: id, record: "deadline \(id)", expected: version)
    }

    /// Closes an open deadline with a reason if nobody changed it since `version`.
    @discardableResult
    public func complete(deadline id: Int64, version: Int, as completion: DeadlineCompletion, reason: String)
        async throws -> Int
    {
        let rows = try await connection.query(
            """
            UPDATE deadlines SET status = \(completion), completed_at = now(), completed_reason = \(reason)
            WHERE office_id = \(office) AND id = \(id) AND version = \(version) AND status = 'open'
            RETURNING version
            """)
        return try await checkedVersion(rows, table: "deadlines", id: id, record: "deadline \(id)", expected: version)
    }
}
