import Foundation
import IPCase
import PostgresClient

/// The conditions of a docket listing, applied in SQL (parameterized; the office's docket index
/// serves the office and due-date conditions).
public struct DocketQuery: Sendable, Hashable {
    /// The day "within" and "overdue" count from.
    public var asOf: CivilDate
    /// Only this office (`nil`: every office the session may read).
    public var office: ID<Office>?
    /// Only deadlines of these attorneys: a party key (`"42"`) or text their name contains
    /// (case-insensitive). The text is resolved first to the keys of every matching party (of
    /// `office`, when given), so the attorney docket index serves the listing; a name that
    /// matches several attorneys lists the deadlines of all of them, one that matches nobody none.
    public var attorney: String?
    /// Only these jurisdictions (empty: all).
    public var jurisdictions: [Jurisdiction] = []
    /// Only these deadline types (empty: all).
    public var types: [String] = []
    /// Only these statuses, e.g. `open` (empty: all).
    public var statuses: [String] = []
    /// Only deadlines due from `asOf` through `asOf + within` days.
    public var within: Int?
    /// Only open deadlines whose due date has passed (with `within`: those as well).
    public var overdue: Bool = false
    /// Only deadlines no second person has verified.
    public var unverified: Bool = false
    /// Only the deadlines of this funded project (its reports, deliverables, registration).
    public var project: ID<FundedProject>?
    /// Only the deadlines of this right (its page in the web workspace).
    public var right: ID<Right>?
    /// Only the deadlines of this agreement (its obligations: royalty reports, milestones,
    /// option exercise; its page in the web workspace).
    public var agreement: ID<Agreement>?

    /// Creates a query that keeps everything as of `asOf`.
    public init(asOf: CivilDate) { self.asOf = asOf }
}

/// One deadline with what a docket shows of its right, office and attorney.
public struct DocketRow: Sendable, Hashable {
    /// The deadline's key.
    public var id: Int64
    /// Its office and the office's name.
    public var office: ID<Office>
    /// The office's name.
    public var officeName: String
    /// The right it belongs to (`nil` for an agreement's obligation).
    public var right: ID<Right>?
    /// The agreement it belongs to (an obligation: royalty report, milestone, option exercise).
    public var agreement: ID<Agreement>?
    /// The funded project it belongs to (a report to the funder, a deliverable, a registration).
    public var project: ID<FundedProject>? = nil
    /// The right's jurisdiction.
    public var jurisdiction: Jurisdiction?
    /// The right's kind.
    public var rightKind: RightKind?
    /// The right's (or agreement's, or project's) reference.
    public var reference: String
    /// The application number.
    public var applicationNumber: String?
    /// The right's title.
    public var title: String
    /// The deadline type, e.g. `annuity`.
    public var type: String
    /// The fee year (3, 3.5), `nil` when the rule does not recur.
    public var year: FeeYear?
    /// The rule.
    public var ruleID: String
    /// The trigger key.
    public var triggerKey: String
    /// The date to act by.
    public var due: CivilDate
    /// The last possible date.
    public var final: CivilDate
    /// When action first becomes possible.
    public var windowOpens: CivilDate?
    /// `open`, `done`, `waived`, `missed` or `superseded`.
    public var status: String
    /// Statutory or internal.
    public var statutory: Bool
    /// The responsible attorney's name.
    public var attorneyName: String?
    /// The legal source.
    public var citation: String
    /// `confirmed` or `unconfirmed`.
    public var ruleStatus: String
    /// The one-line derivation.
    public var explanation: String
    /// The row version (optimistic concurrency).
    public var version: Int
    /// Who verified its dates, and when (`nil` until a second person has).
    public var verifiedBy: String?
    /// When it was verified.
    public var verifiedAt: Date?
    /// The dates it had before its last move, and why it moved (`nil` if it never moved).
    public var movedFromDue: CivilDate?
    public var movedFromFinal: CivilDate?
    public var movedReason: String?
}

extension OfficeSession {
    /// The session office's deadlines that pass `query`, by due date (the office condition is
    /// this session's office whatever `query.office` says).
    public func docket(_ query: DocketQuery) async throws -> [DocketRow] {
        var scoped = query
        scoped.office = office
        return try await DocketSQL.run(scoped, on: connection)
    }

    /// The plan PostgreSQL chooses for ``docket(_:)`` with these values (`EXPLAIN`, one line per
    /// row), for benchmarks that check an index serves it.
    public func docketPlan(_ query: DocketQuery) async throws -> [String] {
        var scoped = query
        scoped.office = office
        return try await DocketSQL.plan(scoped, on: connection)
    }
}

extension ServiceSession {
    /// Deadlines across offices (or of `query.office`) that pass `query`, by due date.
    public func docket(_ query: DocketQuery) async throws -> [DocketRow] {
        try await DocketSQL.run(query, on: connection)
    }

    /// The rights of every office the session may read that have no computed deadlines
    /// (`DocketSQL.manualRights(office:on:)`).
    public func rightsWithoutComputedDeadlines() async throws -> [ManualRight] {
        try await DocketSQL.manualRights(office: nil, on: connection)
    }
}

extension OfficeSession {
    /// The office's rights that have no computed deadlines: their deadlines are entered by hand
    /// (no rules for their jurisdiction and kind), so no docket lists them. Rights that ended
    /// are left out.
    public func rightsWithoutComputedDeadlines() async throws -> [ManualRight] {
        try await DocketSQL.manualRights(office: office, on: connection)
    }
}

/// A right whose deadlines are entered by hand.
public typealias ManualRight = (office: ID<Office>, reference: String, jurisdiction: Jurisdiction, kind: RightKind)

enum DocketSQL {
    static func manualRights(office: ID<Office>?, on connection: PostgresConnection) async throws -> [ManualRight] {
        try await connection.query(
            """
            SELECT office_id, reference, jurisdiction, kind FROM rights
            WHERE deadlines = 'manual' AND (\(office)::bigint IS NULL OR office_id = \(office))
              AND state NOT IN ('expired', 'abandoned', 'withdrawn', 'refused', 'revoked')
            ORDER BY office_id, reference
            """
        ).map { try $0.decode(ID<Office>.self, String.self, Jurisdiction.self, RightKind.self) }
    }


    /// The listing, in one statement: `query.attorney` (a party key, or text of the name: every
    /// party of the office, or of every office, whose name contains it) is resolved to party keys
    /// by an initplan, evaluated once, so `d.attorney_id = ANY(…)` stays an index condition and
    /// deadlines_attorney_open_due serves an attorney's docket in one round trip.
    static func statement(_ query: DocketQuery) -> PostgresQuery {
        let unlimited = query.within == nil && !query.overdue
        let key = query.attorney.flatMap { Int64($0) }
        return """
            SELECT d.id, d.office_id, o.name, d.right_id, r.jurisdiction, r.kind,
                   coalesce(r.reference, a.reference, fp.reference, ''), r.application_number,
                   coalesce(r.title, a.reference, fp.title, ''),
                   d.type, d.year, d.rule_id, d.trigger_key, d.due_date, d.final_date, d.window_opens,
                   d.status, d.statutory, p.name, d.citation, d.rule_status, d.explanation, d.version,
                   d.agreement_id, d.verified_by, d.verified_at, d.moved_from_due, d.moved_from_final, d.moved_reason,
                   d.project_id
            FROM deadlines d
            JOIN offices o ON o.office_id = d.office_id
            LEFT JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
            LEFT JOIN agreements a ON a.office_id = d.office_id AND a.id = d.agreement_id
            LEFT JOIN funded_projects fp ON fp.office_id = d.office_id AND fp.id = d.project_id
            LEFT JOIN parties p ON p.office_id = d.office_id AND p.id = d.attorney_id
            WHERE (\(query.office)::bigint IS NULL OR d.office_id = \(query.office))
              AND (\(query.attorney)::text IS NULL
                   OR d.attorney_id = ANY(ARRAY(
                          SELECT ap.id FROM parties ap
                          WHERE (\(query.office)::bigint IS NULL OR ap.office_id = \(query.office))
                            AND (ap.id = \(key) OR (\(key)::bigint IS NULL
                                                    AND strpos(lower(ap.name), lower(\(query.attorney))) > 0)))))
              AND (cardinality(\(query.jurisdictions.map(\.code))::text[]) = 0
                   OR r.jurisdiction = ANY(\(query.jurisdictions.map(\.code))::text[]))
              AND (cardinality(\(query.types)::text[]) = 0 OR d.type = ANY(\(query.types)::text[]))
              AND (cardinality(\(query.statuses)::text[]) = 0 OR d.status = ANY(\(query.statuses)::text[]))
              AND (NOT \(query.unverified) OR d.verified_at IS NULL)
              AND (\(query.project)::bigint IS NULL OR d.project_id = \(query.project))
              AND (\(query.right)::bigint IS NULL OR d.right_id = \(query.right))
              AND (\(query.agreement)::bigint IS NULL OR d.agreement_id = \(query.agreement))
              AND (\(unlimited)
                   OR (\(query.overdue) AND d.status = 'open' AND d.due_date < \(query.asOf)::date)
                   OR (\(query.within)::integer IS NOT NULL
                       AND d.due_date BETWEEN \(query.asOf)::date AND \(query.asOf)::date + \(query.within)::integer))
            ORDER BY d.due_date, coalesce(r.reference, a.reference, fp.reference), d.id
            """
    }

    /// `EXPLAIN` of the listing: a constant prefix on the same statement, every value still a parameter.
    static func plan(_ query: DocketQuery, on connection: PostgresConnection) async throws -> [String] {
        let listing = statement(query)
        let explain = PostgresQuery(unsafeSQL: "EXPLAIN " + listing.sql, bindings: listing.bindings)
        return try await connection.query(explain)
            .map { try $0.decode(String.self, at: 0) }
    }

    static func run(_ query: DocketQuery, on connection: PostgresConnection) async throws -> [DocketRow] {
        let rows = try await connection.query(statement(query))
        return try rows.map { row in
            let (id, office, officeName, right, jurisdiction, kind, reference, number) = try row.decode(
                Int64.self, ID<Office>.self, String.self, ID<Right>?.self, Jurisdiction?.self, RightKind?.self,
                String.self, String?.self)
            let (title, type, year, ruleID, trigger, due, final, opens) = try row.decode(
                String.self, String.self, FeeYear.self, String.self, String.self, CivilDate.self, CivilDate.self,
                CivilDate?.self, startingAt: 8)
            let (status, statutory, attorney, citation, ruleStatus, explanation, version, agreement) = try row.decode(
                String.self, Bool.self, String?.self, String.self, String.self, String.self, Int.self,
                ID<Agreement>?.self, startingAt: 16)
            let (verifiedBy, verifiedAt, movedFromDue, movedFromFinal, movedReason, project) = try row.decode(
                String?.self, Date?.self, CivilDate?.self, CivilDate?.self, String?.self, ID<FundedProject>?.self,
                startingAt: 24)
            return DocketRow(
                id: id, office: office, officeName: officeName, right: right, agreement: agreement, project: project,
                jurisdiction: jurisdiction,
                rightKind: kind, reference: reference, applicationNumber: number, title: title, type: type,
                year: year.halfYears == 0 ? nil : year, ruleID: ruleID, triggerKey: trigger, due: due, final: final,
                windowOpens: opens,
                status: status, statutory: statutory, attorneyName: attorney, citation: citation,
                ruleStatus: ruleStatus, explanation: explanation, version: version, verifiedBy: verifiedBy,
                verifiedAt: verifiedAt, movedFromDue: movedFromDue, movedFromFinal: movedFromFinal,
                movedReason: movedReason)
        }
    }
}

extension OfficeSession {
    /// The current version of a deadline of this office, or ``StoreError/notFound(record:)``.
    public func deadlineVersion(_ id: Int64) async throws -> (version: Int, status: String) {
        let rows = try await connection.query(
            "SELECT version, status FROM deadlines WHERE office_id = \(office) AND id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "deadline \(id)") }
        return try row.decode(Int.self, String.self)
    }
}

extension ServiceSession {
    /// The office a deadline belongs to, or `nil` when there is no such deadline.
    public func officeOfDeadline(_ id: Int64) async throws -> ID<Office>? {
        try await connection.query("SELECT office_id FROM deadlines WHERE id = \(id)").first?
            .decode(ID<Office>.self, at: 0)
    }
}
