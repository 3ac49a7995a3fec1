import IPCase
import PostgresClient

/// What a counterparty owes and has paid under one agreement.
public struct AgreementCompliance: Sendable, Hashable {
    /// The agreement.
    public var agreement: ID<Agreement>
    /// Its reference, e.g. `LIC-2025-004`.
    public var reference: String
    /// Its kind.
    public var kind: Agreement.Kind
    /// Where it is in its workflow.
    public var state: AgreementWorkflow.State
    /// Payments received, one total per currency (sorted by currency).
    public var received: [Money]
    /// Its obligations, one line per kind of deadline (royalty reports, milestones, option exercise).
    public var obligations: [ObligationStatus]
}

/// The state of one kind of obligation of an agreement on a day.
public struct ObligationStatus: Sendable, Hashable {
    /// The deadline type: `royalty_report`, `milestone` or `option_exercise`.
    public var type: String
    /// The next open deadline not yet due, if any.
    public var nextDue: CivilDate?
    /// Deadlines past due and not met: open ones whose due date has passed and missed ones (the
    /// sweeper marks a contractual deadline missed the day after it is due).
    public var overdue: Int
    /// The oldest overdue due date.
    public var overdueSince: CivilDate?
    /// Deadlines met (done).
    public var met: Int
    /// Deadlines the office waived.
    public var waived: Int
}

extension OfficeSession {
    /// The office's signed agreements (or the one with `reference`) with the payments received
    /// and the state of their obligation deadlines on `asOf`, by reference.
    /// - Throws: ``StoreError/notFound(record:)`` when `reference` names no agreement.
    public func compliance(asOf: CivilDate, reference: String? = nil) async throws -> [AgreementCompliance] {
        let results = try await connection.pipeline([
            """
            SELECT a.id, a.reference, a.kind, a.state, p.currency, sum(p.amount_minor)::bigint
            FROM agreements a
            LEFT JOIN payments p ON p.office_id = a.office_id AND p.agreement_id = a.id
            WHERE a.office_id = \(office) AND a.state <> 'draft'
              AND (\(reference)::text IS NULL OR a.reference = \(reference))
            GROUP BY a.id, a.reference, a.kind, a.state, p.currency
            ORDER BY a.reference, a.id, p.currency
            """,
            """
            SELECT d.agreement_id, d.type,
                   min(d.due_date) FILTER (WHERE d.status = 'open' AND d.due_date >= \(asOf)),
                   count(*) FILTER (WHERE d.status = 'missed' OR (d.status = 'open' AND d.due_date < \(asOf))),
                   min(d.due_date) FILTER (WHERE d.status = 'missed' OR (d.status = 'open' AND d.due_date < \(asOf))),
                   count(*) FILTER (WHERE d.status = 'done'),
                   count(*) FILTER (WHERE d.status = 'waived')
            FROM deadlines d
            JOIN agreements a ON a.office_id = d.office_id AND a.id = d.agreement_id
            WHERE d.office_id = \(office) AND d.agreement_id IS NOT NULL AND d.status <> 'superseded'
              AND (\(reference)::text IS NULL OR a.reference = \(reference))
            GROUP BY d.agreement_id, d.type
            ORDER BY d.agreement_id, d.type
            """,
        ])
        var obligations: [ID<Agreement>: [ObligationStatus]] = [:]
        for row in results[1] {
            let (agreement, type, next, overdue, since, met, waived) = try row.decode(
                ID<Agreement>.self, String.self, CivilDate?.self, Int.self, CivilDate?.self, Int.self, Int.self)
            obligations[agreement, default: []].append(
                ObligationStatus(
                    type: type, nextDue: next, overdue: overdue, overdueSince: since, met: met, waived: waived))
        }
        var list: [AgreementCompliance] = []
        for row in results[0] {
            let (id, ref, kind, state, currency, total) = try row.decode(
                ID<Agreement>.self, String.self, Agreement.Kind.self, AgreementWorkflow.State.self, Currency?.self,
                Int64?.self)
            if list.last?.agreement != id {
                list.append(
                    AgreementCompliance(
                        agreement: id, reference: ref, kind: kind, state: state, received: [],
                        obligations: obligations[id] ?? []))
            }
            if let currency, let total { list[list.count - 1].received.append(Money(minorUnits: total, currency)) }
        }
        if let reference, list.isEmpty { throw StoreError.notFound(record: "agreement \(reference)") }
        return list
    }
}
