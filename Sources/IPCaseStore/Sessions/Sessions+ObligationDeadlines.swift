import IPCase
import PostgresClient

/// What an obligation deadline belongs to: an agreement (royalty reports, milestones, option
/// exercise) or a funded project (reports to the funder, deliverables, state registration).
public enum ObligationHolder: Sendable, Hashable {
    case agreement(ID<Agreement>)
    case project(ID<FundedProject>)

    /// The kinds of holder, each with its `deadlines` column.
    public enum Kind: Sendable, Hashable {
        case agreement, project

        /// The column of `deadlines` that holds its key (program text, never input).
        var column: String { self == .agreement ? "agreement_id" : "project_id" }
        /// How a superseded deadline's reason names it.
        var noun: String { self == .agreement ? "agreement" : "project" }
    }

    /// Which kind it is.
    public var kind: Kind {
        switch self {
        case .agreement: .agreement
        case .project: .project
        }
    }

    /// The key of the agreement or project.
    public var key: Int64 {
        switch self {
        case .agreement(let id): id.rawValue
        case .project(let id): id.rawValue
        }
    }
}

/// An obligation deadline of a stored agreement or project, with whom to remind.
public struct ObligationDeadlineRecord: Sendable, Hashable {
    /// The office of the agreement or project.
    public var office: ID<Office>
    /// The agreement or project it belongs to.
    public var holder: ObligationHolder
    /// The person responsible (the manager of the deal the agreement came from, the project's
    /// manager), `nil` to remind the office's supervisor.
    public var responsible: ID<Party>?
    /// The computed obligation.
    public var deadline: ObligationDeadline

    /// A record of `deadline` of `holder`.
    public init(office: ID<Office>, holder: ObligationHolder, responsible: ID<Party>?, deadline: ObligationDeadline) {
        self.office = office
        self.holder = holder
        self.responsible = responsible
        self.deadline = deadline
    }
}

extension ServiceSession {
    /// Writes the complete current obligation deadlines of some agreements or projects (all of
    /// one `kind`): one upsert by the holder's key (office, agreement or project, rule, trigger,
    /// period) that rewrites only rows whose values changed, marks an open deadline done when
    /// something met it (a payment, a recorded registration; a missed one too: late is still
    /// received, noted "(late)") and reopens a superseded one produced again; then one `UPDATE`
    /// that supersedes the open deadlines of these holders no longer produced (never deleted;
    /// done, waived and missed ones stay).
    ///
    /// Contractual obligations are stored as not statutory, with the clause as citation.
    /// - Parameters:
    ///   - records: every obligation deadline now produced for `holders`.
    ///   - holders: the agreements or projects recomputed (one with nothing left has its open
    ///     ones superseded).
    ///   - kind: whether they are agreements or projects; a record or holder of the other kind
    ///     is a programming error.
    public func replaceObligationDeadlines(
        _ records: [ObligationDeadlineRecord], of holders: [(office: ID<Office>, holder: ObligationHolder)],
        kind: ObligationHolder.Kind
    ) async throws -> DeadlineUpsertResult {
        precondition(records.allSatisfy { $0.holder.kind == kind } && holders.allSatisfy { $0.holder.kind == kind })
        var result = DeadlineUpsertResult(inserted: 0, updated: 0, superseded: 0)
        let deadlines = records.map(\.deadline)
        let periods = deadlines.map { FeeYear($0.period ?? 0) }
        let column = kind.column
        if !records.isEmpty {
            let rows = try await connection.query(
                """
                INSERT INTO deadlines AS d (office_id, \(identifier: column), rule_id, type, year, trigger_key,
                                            nominal_date, due_date, final_date, statutory, attorney_id, citation,
                                            explanation, status, completed_at, completed_reason)
                SELECT o, h, ru, ty, yr, tk, dd, dd, dd, false, at, ci, ex,
                       CASE WHEN cb IS NULL THEN 'open' ELSE 'done' END,
                       CASE WHEN cb IS NULL THEN NULL ELSE now() END,
                       CASE WHEN cb IS NULL THEN NULL ELSE 'met by ' || cb END
                FROM unnest(\(records.map(\.office))::bigint[], \(records.map(\.holder.key))::bigint[],
                            \(deadlines.map(\.ruleID))::text[], \(deadlines.map(\.type))::text[],
                            \(periods)::numeric[], \(deadlines.map(\.triggerKey))::text[],
                            \(deadlines.map(\.due))::date[], \(records.map(\.responsible))::bigint[],
                            \(deadlines.map(\.citation))::text[], \(deadlines.map(\.explanation))::text[],
                            \(deadlines.map(\.closedBy))::text[])
                     AS n(o, h, ru, ty, yr, tk, dd, at, ci, ex, cb)
                ON CONFLICT (office_id, \(identifier: column), rule_id, trigger_key, year)
                    WHERE \(identifier: column) IS NOT NULL
                DO UPDATE SET type = excluded.type, nominal_date = excluded.nominal_date,
                              due_date = excluded.due_date, final_date = excluded.final_date,
                              attorney_id = excluded.attorney_id, citation = excluded.citation,
                              explanation = excluded.explanation,
                              status = CASE WHEN d.status IN ('open', 'superseded')
                                                  OR (d.status = 'missed' AND excluded.status = 'done')
                                            THEN excluded.status ELSE d.status END,
                              completed_at = CASE WHEN d.status IN ('open', 'superseded')
                                                        OR (d.status = 'missed' AND excluded.status = 'done')
                                                  THEN excluded.completed_at ELSE d.completed_at END,
                              completed_reason = CASE WHEN d.status IN ('open', 'superseded')
                                                      THEN excluded.completed_reason
                                                      WHEN d.status = 'missed' AND excluded.status = 'done'
                                                      THEN excluded.completed_reason || ' (late)'
                                                      ELSE d.completed_reason END
                WHERE d.status = 'superseded'
                   OR (d.status IN ('open', 'missed') AND excluded.status = 'done')
                   OR (d.type, d.due_date, d.attorney_id, d.citation, d.explanation)
                      IS DISTINCT FROM
                      (excluded.type, excluded.due_date, excluded.attorney_id, excluded.citation, excluded.explanation)
                RETURNING d.xmax = 0
                """)
            for row in rows {
                if try row.decode(Bool.self, at: 0) { result.inserted += 1 } else { result.updated += 1 }
            }
        }
        if !holders.isEmpty {
            let reason = "no longer produced by the \(kind.noun)'s obligations"
            result.superseded = try await connection.execute(
                """
                UPDATE deadlines d SET status = 'superseded', completed_at = now(), completed_reason = \(reason)
                WHERE (d.office_id, d.\(identifier: column)) IN (
                          SELECT * FROM unnest(\(holders.map(\.office))::bigint[], \(holders.map(\.holder.key))::bigint[]))
                  AND d.status = 'open'
                  AND NOT EXISTS (
                      SELECT FROM unnest(\(records.map(\.office))::bigint[], \(records.map(\.holder.key))::bigint[],
                                         \(deadlines.map(\.ruleID))::text[], \(deadlines.map(\.triggerKey))::text[],
                                         \(periods)::numeric[])
                           AS k(office_id, holder_id, rule_id, trigger_key, year)
                      WHERE k.office_id = d.office_id AND k.holder_id = d.\(identifier: column)
                        AND k.rule_id = d.rule_id AND k.trigger_key = d.trigger_key AND k.year = d.year)
                """)
        }
        return result
    }
}

extension OfficeSession {
    /// Queues one obligation recomputation per agreement (a `recompute-deadlines` job for the
    /// agreement), e.g. after a payment was recorded or its obligations changed.
    @discardableResult
    public func enqueueObligationRecomputation(of agreements: [ID<Agreement>]) async throws -> [Int64] {
        var seen: Set<ID<Agreement>> = []
        return try await enqueue(
            agreements.filter { seen.insert($0).inserted }.map {
                NewJob(
                    kind: .recomputeDeadlines,
                    payload: try PostgresJSON(encoding: WorkflowEffect.recomputeDeadlines(for: .agreement($0))))
            })
    }
}
