import IPCase
import PostgresClient

/// One workflow history row written in bulk (demo loading, imports): the entity, the event and
/// the states it moved between, with the event's data.
public struct HistoryEntry: Sendable, Hashable {
    /// `disclosure`, `right`, `deal` or `agreement`.
    public var entity: String
    /// The entity's key.
    public var id: Int64
    /// The workflow event's name.
    public var event: String
    /// The state before.
    public var from: String
    /// The state after.
    public var to: String
    /// The event's data.
    public var details: PostgresJSON?

    /// Creates a history row.
    public init(entity: String, id: Int64, event: String, from: String, to: String, details: PostgresJSON? = nil) {
        self.entity = entity
        self.id = id
        self.event = event
        self.from = from
        self.to = to
        self.details = details
    }
}

extension OfficeSession {
    /// Creates many rights in one statement (`INSERT … SELECT FROM unnest(…)`) and returns their
    /// keys in the order given (references are unique per office). Rights are written in the
    /// state they carry.
    public func createRights(_ rights: [Right]) async throws -> [ID<Right>] {
        guard !rights.isEmpty else { return [] }
        let priorities = try rights.map { try PostgresJSON(encoding: $0.priorityClaims) }
        let rows = try await naming("rights") {
            try await connection.query(
                """
                INSERT INTO rights (office_id, reference, title, jurisdiction, kind, state, disclosure_id, family_id,
                                    parent_right_id, attorney_id, application_number, filing_date, priority_claims,
                                    publication_date, grant_date, registration_number)
                SELECT \(office), * FROM unnest(
                    \(rights.map(\.reference))::text[], \(rights.map(\.title))::text[],
                    \(rights.map(\.jurisdiction.code))::text[], \(rights.map(\.kind))::text[],
                    \(rights.map(\.state))::text[], \(rights.map(\.disclosure))::bigint[],
                    \(rights.map(\.family))::bigint[], \(rights.map(\.parentPCT))::bigint[],
                    \(rights.map(\.responsibleAttorney))::bigint[], \(rights.map(\.applicationNumber))::text[],
                    \(rights.map(\.filingDate))::date[], \(priorities)::jsonb[],
                    \(rights.map(\.publicationDate))::date[], \(rights.map(\.grantDate))::date[],
                    \(rights.map(\.registrationNumber))::text[])
                RETURNING reference, id
                """)
        }
        var keys: [String: ID<Right>] = [:]
        for row in rows {
            let (reference, id) = try row.decode(String.self, ID<Right>.self)
            keys[reference] = id
        }
        return try rights.map { right in
            guard let id = keys[right.reference] else { throw StoreError.notFound(record: "right \(right.reference)") }
            return id
        }
    }

    /// Sets the PCT application national rights were entered from.
    public func setParents(_ links: [(right: ID<Right>, parent: ID<Right>)]) async throws {
        guard !links.isEmpty else { return }
        _ = try await connection.execute(
            """
            UPDATE rights r SET parent_right_id = l.parent
            FROM unnest(\(links.map(\.right))::bigint[], \(links.map(\.parent))::bigint[]) AS l(child, parent)
            WHERE r.office_id = \(office) AND r.id = l.child
            """)
    }

    /// Appends many right events in one statement (no workflow, no jobs: the caller replays
    /// the workflow and queues the recomputation).
    public func insertRightEvents(_ events: [(right: ID<Right>, event: RightEvent)]) async throws {
        guard !events.isEmpty else { return }
        _ = try await naming("right events") {
            try await connection.execute(
                """
                INSERT INTO right_events (office_id, right_id, kind, event_date, year, reference)
                SELECT \(office), * FROM unnest(
                    \(events.map(\.right))::bigint[], \(events.map(\.event.kind))::text[],
                    \(events.map(\.event.date))::date[], \(events.map { $0.event.year.map(Int16.init) })::smallint[],
                    \(events.map(\.event.reference))::text[])
                """)
        }
    }

    /// Appends many workflow history rows in one statement.
    public func appendHistory(_ entries: [HistoryEntry]) async throws {
        guard !entries.isEmpty else { return }
        _ = try await connection.execute(
            """
            INSERT INTO workflow_history (office_id, entity_type, entity_id, event, from_state, to_state, details)
            SELECT \(office), * FROM unnest(
                \(entries.map(\.entity))::text[], \(entries.map(\.id))::bigint[], \(entries.map(\.event))::text[],
                \(entries.map(\.from))::text[], \(entries.map(\.to))::text[], \(entries.map(\.details))::jsonb[])
            """)
    }

    /// Queues one deadline recomputation per right (the daemon's `recompute-deadlines` jobs).
    @discardableResult
    public func enqueueRecomputation(of rights: [ID<Right>]) async throws -> [Int64] {
        try await enqueue(
            rights.map {
                NewJob(
                    kind: .recomputeDeadlines,
                    payload: try PostgresJSON(encoding: WorkflowEffect.recomputeDeadlines(for: .right($0))))
            })
    }

    /// Keys of the office's rights by reference, for the references given.
    public func rightIDs(references: [String]) async throws -> [String: ID<Right>] {
        var found: [String: ID<Right>] = [:]
        for row in try await connection.query(
            "SELECT reference, id FROM rights WHERE office_id = \(office) AND reference = ANY(\(references)::text[])")
        {
            let (reference, id) = try row.decode(String.self, ID<Right>.self)
            found[reference] = id
        }
        return found
    }

    /// Rights of the office by reference with their kind and state, for the references given.
    public func rightSummaries(references: [String]) async throws -> [String: (
        id: ID<Right>, kind: RightKind, state: RightWorkflow.State
    )] {
        var found: [String: (id: ID<Right>, kind: RightKind, state: RightWorkflow.State)] = [:]
        for row in try await connection.query(
            "SELECT reference, id, kind, state FROM rights WHERE office_id = \(office) AND reference = ANY(\(references)::text[])"
        ) {
            let (reference, id, kind, state) = try row.decode(
                String.self, ID<Right>.self, RightKind.self, RightWorkflow.State.self)
            found[reference] = (id, kind, state)
        }
        return found
    }

    /// Keys of the office's parties by exact name.
    public func partyIDs() async throws -> [String: ID<Party>] {
        var found: [String: ID<Party>] = [:]
        for row in try await connection.query("SELECT name, id FROM parties WHERE office_id = \(office) ORDER BY id") {
            let (name, id) = try row.decode(String.self, ID<Party>.self)
            if found[name] == nil { found[name] = id }
        }
        return found
    }

    /// Keys of the office's families by reference.
    public func familyIDs() async throws -> [String: ID<RightFamily>] {
        var found: [String: ID<RightFamily>] = [:]
        for row in try await connection.query("SELECT reference, id FROM right_families WHERE office_id = \(office)") {
            let (reference, id) = try row.decode(String.self, ID<RightFamily>.self)
            found[reference] = id
        }
        return found
    }

    /// Keys of the office's disclosures by reference.
    public func disclosureIDs() async throws -> [String: ID<Disclosure>] {
        var found: [String: ID<Disclosure>] = [:]
        for row in try await connection.query("SELECT reference, id FROM disclosures WHERE office_id = \(office)") {
            let (reference, id) = try row.decode(String.self, ID<Disclosure>.self)
            found[reference] = id
        }
        return found
    }

    /// Keys of the office's agreements by reference.
    public func agreementIDs() async throws -> [String: ID<Agreement>] {
        var found: [String: ID<Agreement>] = [:]
        for row in try await connection.query("SELECT reference, id FROM agreements WHERE office_id = \(office)") {
            let (reference, id) = try row.decode(String.self, ID<Agreement>.self)
            found[reference] = id
        }
        return found
    }

    /// Creates many payments in one statement and queues the recomputation of their agreements'
    /// obligations.
    public func createPayments(_ payments: [Payment]) async throws {
        guard !payments.isEmpty else { return }
        _ = try await naming("payments") {
            try await connection.execute(
                """
                INSERT INTO payments (office_id, agreement_id, kind, received_on, amount_minor, currency, reference)
                SELECT \(office), * FROM unnest(
                    \(payments.map(\.agreement))::bigint[], \(payments.map(\.kind))::text[],
                    \(payments.map(\.receivedOn))::date[], \(payments.map(\.amount.minorUnits))::bigint[],
                    \(payments.map(\.amount.currency.code))::text[], \(payments.map(\.reference))::text[])
                """)
        }
        try await enqueueObligationRecomputation(of: payments.map(\.agreement))
    }
}

extension OfficeSession {
    /// Links deals to the agreements they led to (after both exist) and sets their state (an
    /// executed deal needs its agreement).
    public func linkDeals(_ links: [(deal: ID<Deal>, agreement: ID<Agreement>, state: DealWorkflow.State)]) async throws
    {
        guard !links.isEmpty else { return }
        _ = try await connection.execute(
            """
            UPDATE deals d SET agreement_id = l.agreement, state = l.state
            FROM unnest(\(links.map(\.deal))::bigint[], \(links.map(\.agreement))::bigint[],
                        \(links.map(\.state))::text[]) AS l(deal, agreement, state)
            WHERE d.office_id = \(office) AND d.id = l.deal
            """)
    }
}

extension ServiceSession {
    /// The references among `references` that name a right of some office other than `office`.
    public func rightReferences(_ references: [String], ofOfficesOtherThan office: ID<Office>) async throws
        -> Set<String>
    {
        Set(
            try await connection.query(
                """
                SELECT DISTINCT reference FROM rights
                WHERE office_id <> \(office) AND reference = ANY(\(references)::text[])
                """
            ).map { try $0.decode(String.self, at: 0) })
    }
}
