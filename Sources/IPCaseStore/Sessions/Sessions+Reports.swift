import IPCase
import PostgresClient

/// A right as deadline processing needs it: where it is, what it is, who is responsible, what happened.
public struct RightForProcessing: Sendable, Hashable {
    /// The office.
    public var office: ID<Office>
    /// The right.
    public var right: ID<Right>
    /// Its jurisdiction.
    public var jurisdiction: Jurisdiction
    /// Its kind.
    public var kind: RightKind
    /// The responsible attorney.
    public var attorney: ID<Party>?
    /// Its events in date order.
    public var events: [RightEvent]
}

extension ServiceSession {
    /// Every right of `offices` (all offices when empty) with its events, for deadline processing.
    public func rightsForProcessing(offices: [ID<Office>] = []) async throws -> [RightForProcessing] {
        try await RightForProcessing.load(offices: offices, on: connection)
    }

    /// Marks every queued `recompute-deadlines` job of `offices` done (after a full recomputation).
    @discardableResult
    public func finishRecomputeJobs(offices: [ID<Office>]) async throws -> Int {
        try await connection.execute(
            """
            UPDATE jobs SET status = 'done', finished_at = now()
            WHERE status = 'queued' AND kind = 'recompute-deadlines' AND office_id = ANY(\(offices)::bigint[])
            """)
    }

    /// Offices with queued `recompute-deadlines` jobs.
    public func officesWithRecomputeJobs() async throws -> [ID<Office>] {
        try await connection.query(
            "SELECT DISTINCT office_id FROM jobs WHERE status = 'queued' AND kind = 'recompute-deadlines' ORDER BY 1"
        ).map { try $0.decode(ID<Office>.self, at: 0) }
    }

    /// Every office's key, name and the language of its notices (`en`, `kk`, `ru`).
    public func offices() async throws -> [(id: ID<Office>, name: String, language: String)] {
        try await connection.query("SELECT office_id, name, language FROM offices ORDER BY office_id").map {
            try $0.decode(ID<Office>.self, String.self, String.self)
        }
    }
}

extension OfficeSession {
    /// The office's deals counted by state.
    public func dealPipeline() async throws -> [(state: String, count: Int)] {
        try await connection.query(
            "SELECT state, count(*)::integer FROM deals WHERE office_id = \(office) GROUP BY state"
        ).map { try $0.decode(String.self, Int.self) }
    }

    /// The office's payments by date.
    public func payments() async throws -> [Payment] {
        try await connection.query(
            """
            SELECT id, agreement_id, kind, received_on, amount_minor, currency, reference
            FROM payments WHERE office_id = \(office) ORDER BY received_on, id
            """
        ).map { row in
            let (id, agreement, kind, receivedOn, minor, currency, reference) = try row.decode(
                ID<Payment>.self, ID<Agreement>.self, Payment.Kind.self, CivilDate.self, Int64.self, Currency.self,
                String?.self)
            return Payment(
                id: id, office: office, agreement: agreement, amount: Money(minorUnits: minor, currency),
                kind: kind, receivedOn: receivedOn, reference: reference)
        }
    }

    /// Every event of the office's rights, by right, in date order.
    public func allRightEvents() async throws -> [ID<Right>: [RightEvent]] {
        var events: [ID<Right>: [RightEvent]] = [:]
        for row in try await connection.query(
            """
            SELECT right_id, kind, event_date, year, reference FROM right_events
            WHERE office_id = \(office) ORDER BY event_date, id
            """)
        {
            let (right, kind, date, year, reference) = try row.decode(
                ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self)
            events[right, default: []].append(RightEvent(kind, on: date, year: year, reference: reference))
        }
        return events
    }

    /// For agreements whose history reached `states`: the day (of the history row) it last did.
    public func agreementsReaching(states: [String]) async throws -> [ID<Agreement>: CivilDate] {
        var found: [ID<Agreement>: CivilDate] = [:]
        for row in try await connection.query(
            """
            SELECT entity_id, max(coalesce((details->>'date'), at::date::text))
            FROM workflow_history
            WHERE office_id = \(office) AND entity_type = 'agreement' AND to_state = ANY(\(states)::text[])
            GROUP BY entity_id
            """)
        {
            let (id, date) = try row.decode(ID<Agreement>.self, String.self)
            if let day = try? CivilDate(iso: String(date.prefix(10))) { found[id] = day }
        }
        return found
    }
}

extension ServiceSession {
    /// Marks open deadlines whose final date is before `asOf` as missed (the daemon's sweep);
    /// returns how many.
    @discardableResult
    public func markMissed(before asOf: CivilDate) async throws -> Int {
        try await connection.execute(
            """
            UPDATE deadlines SET status = 'missed', completed_at = now(), completed_reason = 'final date passed'
            WHERE status = 'open' AND final_date < \(asOf)
            """)
    }
}

extension RightForProcessing {
    /// Rights of `offices` (all visible when empty), or only `rights` when given, with their events
    /// in date order, read on `connection` (under its session's row security).
    static func load(
        offices: [ID<Office>] = [], rights only: [ID<Right>]? = nil, on connection: PostgresConnection
    ) async throws -> [RightForProcessing] {
        if let only, only.isEmpty { return [] }
        let filter = only ?? []
        let everyRight = only == nil
        var rights: [RightForProcessing] = []
        var index: [ID<Right>: Int] = [:]
        for row in try await connection.query(
            """
            SELECT office_id, id, jurisdiction, kind, attorney_id FROM rights
            WHERE (cardinality(\(offices)::bigint[]) = 0 OR office_id = ANY(\(offices)::bigint[]))
              AND (\(everyRight) OR id = ANY(\(filter)::bigint[])) ORDER BY id
            """)
        {
            let (office, id, jurisdiction, kind, attorney) = try row.decode(
                ID<Office>.self, ID<Right>.self, Jurisdiction.self, RightKind.self, ID<Party>?.self)
            index[id] = rights.count
            rights.append(
                RightForProcessing(
                    office: office, right: id, jurisdiction: jurisdiction, kind: kind,
                    attorney: attorney, events: []))
        }
        for row in try await connection.query(
            """
            SELECT right_id, kind, event_date, year, reference FROM right_events
            WHERE (cardinality(\(offices)::bigint[]) = 0 OR office_id = ANY(\(offices)::bigint[]))
              AND (\(everyRight) OR right_id = ANY(\(filter)::bigint[]))
            ORDER BY event_date, id
            """)
        {
            let (right, kind, date, year, reference) = try row.decode(
                ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self)
            if let position = index[right] {
                rights[position].events.append(RightEvent(kind, on: date, year: year, reference: reference))
            }
        }
        return rights
    }
}

extension OfficeSession {
    /// `rights` of this office with their events (to render explanations on demand). Read by the
    /// key (office, right): the rights' primary key serves it however many rights there are.
    public func rightsWithEvents(_ rights: [ID<Right>]) async throws -> [RightForProcessing] {
        try await RightForProcessing.load(offices: [office], rights: rights, on: connection)
    }
}

extension ServiceSession {
    /// `rights` of `offices` with their events (to render explanations on demand). The offices
    /// keep the read on the rights' key (office, right) rather than a scan of every right.
    public func rightsWithEvents(_ rights: [ID<Right>], of offices: [ID<Office>]) async throws
        -> [RightForProcessing]
    {
        try await RightForProcessing.load(offices: offices, rights: rights, on: connection)
    }
}
