import Foundation
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
    /// The day it happened.
    public var on: CivilDate?

    /// Creates a history row.
    public init(
        entity: String, id: Int64, event: String, from: String, to: String, on: CivilDate? = nil,
        details: PostgresJSON? = nil
    ) {
        self.entity = entity
        self.id = id
        self.event = event
        self.from = from
        self.to = to
        self.on = on
        self.details = details
    }
}

extension OfficeSession {
    /// Creates many rights in one statement (`INSERT … SELECT FROM unnest(…)`) and returns their
    /// keys in the order given (references are unique per office). Rights are written in the
    /// state they carry.
    public func createRights(_ rights: [Right]) async throws -> [ID<Right>] {
        guard !rights.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let priorities = try rights.map { PostgresJSON(data: try encoder.encode($0.priorityClaims)) }
        let rows = try await naming("rights") {
            try await connection.query(
                """
                INSERT INTO rights (office_id, reference, title, jurisdiction, kind, state, disclosure_id, family_id,
                                    parent_right_id, attorney_id, application_number, filing_date, priority_claims,
                                    publication_date, grant_date, registration_number, deadlines, entity_size)
                SELECT \(office), * FROM unnest(
                    \(rights.map(\.reference))::text[], \(rights.map(\.title))::text[],
                    \(rights.map(\.jurisdiction.code))::text[], \(rights.map(\.kind))::text[],
                    \(rights.map(\.state))::text[], \(rights.map(\.disclosure))::bigint[],
                    \(rights.map(\.family))::bigint[], \(rights.map(\.parentPCT))::bigint[],
                    \(rights.map(\.responsibleAttorney))::bigint[], \(rights.map(\.applicationNumber))::text[],
                    \(rights.map(\.filingDate))::date[], \(priorities)::jsonb[],
                    \(rights.map(\.publicationDate))::date[], \(rights.map(\.grantDate))::date[],
                    \(rights.map(\.registrationNumber))::text[], \(rights.map(\.deadlines.rawValue))::text[],
                    \(rights.map { $0.entitySize?.rawValue })::text[])
                RETURNING reference, id
                """)
        }
        var keys: [String: ID<Right>] = [:]
        for row in rows {
            let (reference, id) = try row.decode(String.self, ID<Right>.self)
            keys[reference] = id
        }
        let ids = try rights.map { right in
            guard let id = keys[right.reference] else { throw StoreError.notFound(record: "right \(right.reference)") }
            return id
        }
        try await naming("rights") {
            try await linkFurtherDisclosures(zip(ids, rights).map { ($0, $1.furtherDisclosures) })
        }
        return ids
    }

    /// Creates families by reference in one statement and returns their keys by reference.
    public func createFamilies(_ references: [String]) async throws -> [String: ID<RightFamily>] {
        guard !references.isEmpty else { return [:] }
        let rows = try await naming("families") {
            try await connection.query(
                """
                INSERT INTO right_families (office_id, reference)
                SELECT \(office), * FROM unnest(\(references)::text[])
                RETURNING reference, id
                """)
        }
        var keys: [String: ID<RightFamily>] = [:]
        for row in rows {
            let (reference, id) = try row.decode(String.self, ID<RightFamily>.self)
            keys[reference] = id
        }
        return keys
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
    /// the workflow and queues the recomputation). `sources` gives each event's source (where it
    /// was read, e.g. a register file and element), in order; empty for none.
    public func insertRightEvents(_ events: [(right: ID<Right>, event: RightEvent)], sources: [String?] = [])
        async throws
    {
        guard !events.isEmpty else { return }
        precondition(sources.isEmpty || sources.count == events.count, "one source per event, or none")
        let sources = sources.isEmpty ? [String?](repeating: nil, count: events.count) : sources
        _ = try await naming("right events") {
            try await connection.execute(
                """
                INSERT INTO right_events (office_id, right_id, kind, event_date, year, reference, source)
                SELECT \(office), * FROM unnest(
                    \(events.map(\.right))::bigint[], \(events.map(\.event.kind))::text[],
                    \(events.map(\.event.date))::date[], \(events.map { $0.event.year.map(Int16.init) })::smallint[],
                    \(events.map(\.event.reference))::text[], \(sources)::text[])
                """)
        }
    }

    /// Appends many workflow history rows in one statement.
    public func appendHistory(_ entries: [HistoryEntry]) async throws {
        guard !entries.isEmpty else { return }
        _ = try await connection.execute(Self.historyInsert(entries, office: office))
    }

    /// The statement that appends `entries` to the workflow history of `office`.
    static func historyInsert(_ entries: [HistoryEntry], office: ID<Office>) -> PostgresQuery {
        """
        INSERT INTO workflow_history (office_id, entity_type, entity_id, event, from_state, to_state, details,
                                      occurred_on)
        SELECT \(office), * FROM unnest(
            \(entries.map(\.entity))::text[], \(entries.map(\.id))::bigint[], \(entries.map(\.event))::text[],
            \(entries.map(\.from))::text[], \(entries.map(\.to))::text[], \(entries.map(\.details))::jsonb[],
            \(entries.map(\.on))::date[])
        """
    }

    /// The history statements of replayed right steps, in chunks of `size` rows: the details
    /// (the recorded event and the workflow event, as ``recordEvent(_:_:)`` writes them) are
    /// encoded here, which an import runs while the server inserts the events.
    static func historyInserts(_ replayed: [ReplayedStep], office: ID<Office>, size: Int) throws -> [PostgresQuery] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var statements: [PostgresQuery] = []
        for start in stride(from: 0, to: replayed.count, by: size) {
            let entries = try replayed[start..<min(start + size, replayed.count)].map { step in
                HistoryEntry(
                    entity: "right", id: step.right.rawValue,
                    event: step.transition?.kind.rawValue ?? step.event?.kind.rawValue ?? "event", from: step.from,
                    to: step.to, on: step.event?.date ?? step.transition?.date,
                    details: PostgresJSON(
                        data: try encoder.encode(HistoryDetails(event: step.event, transition: step.transition))))
            }
            statements.append(historyInsert(entries, office: office))
        }
        return statements
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

    /// Each right's `EventChronology` (its dates and recorded events), to check a file of events
    /// row by row before any is written.
    public func chronologies(of rights: [ID<Right>]) async throws -> [ID<Right>: EventChronology] {
        var events: [ID<Right>: [RightEvent]] = [:]
        for row in try await connection.query(
            """
            SELECT right_id, kind, event_date, year, reference FROM right_events
            WHERE office_id = \(office) AND right_id = ANY(\(rights)::bigint[]) ORDER BY event_date, id
            """)
        {
            let (right, kind, date, year, reference) = try row.decode(
                ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self)
            events[right, default: []].append(RightEvent(kind, on: date, year: year, reference: reference))
        }
        var found: [ID<Right>: EventChronology] = [:]
        for row in try await connection.query(
            """
            SELECT id, jurisdiction, kind, filing_date, priority_claims FROM rights
            WHERE office_id = \(office) AND id = ANY(\(rights)::bigint[])
            """)
        {
            let (id, jurisdiction, kind, filing, claims) = try row.decode(
                ID<Right>.self, Jurisdiction.self, RightKind.self, CivilDate?.self, PostgresJSON.self)
            found[id] = EventChronology(
                jurisdiction: jurisdiction, kind: kind, filingDate: filing,
                priorityDates: try claims.decode([PriorityClaim].self).map(\.date), recorded: events[id] ?? [])
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

    /// The reference and the terms' currency of each agreement of this office whose terms name
    /// amounts (`FinancialTerms.currency`); `agreements` limits it to those keys.
    public func agreementCurrencies(_ agreements: [ID<Agreement>]? = nil) async throws
        -> [ID<Agreement>: (reference: String, currency: Currency)]
    {
        var found: [ID<Agreement>: (reference: String, currency: Currency)] = [:]
        for row in try await connection.query(
            """
            SELECT id, reference, financial_terms FROM agreements
            WHERE office_id = \(office) AND financial_terms IS NOT NULL
              AND (\(agreements)::bigint[] IS NULL OR id = ANY(\(agreements)::bigint[]))
            """)
        {
            let (id, reference, terms) = try row.decode(ID<Agreement>.self, String.self, PostgresJSON.self)
            if let currency = try terms.decode(FinancialTerms.self).currency { found[id] = (reference, currency) }
        }
        return found
    }

    /// Refuses payments in another currency than their agreement's terms, naming the first.
    func refuseForeignCurrencies(_ payments: [Payment]) async throws {
        let currencies = try await agreementCurrencies(Array(Set(payments.map(\.agreement))))
        for payment in payments {
            guard let expected = currencies[payment.agreement], expected.currency != payment.amount.currency else {
                continue
            }
            throw StoreError.invalid(
                record: "payment of \(payment.amount.minorUnits) \(payment.amount.currency.code) on \(payment.receivedOn)",
                reason: "field currency: \(payment.amount.currency.code) is not the currency of agreement "
                    + "\(expected.reference)'s terms (\(expected.currency.code))")
        }
    }

    /// Creates many payments in one statement and queues the recomputation of their agreements'
    /// obligations. Each must be in its agreement's currency (``agreementCurrencies(_:)``).
    public func createPayments(_ payments: [Payment]) async throws {
        guard !payments.isEmpty else { return }
        try await refuseForeignCurrencies(payments)
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

extension OfficeSession {
    /// Creates many parties in one statement and returns their keys in the order given (names
    /// are unique per office).
    public func createParties(_ parties: [Party]) async throws -> [ID<Party>] {
        guard !parties.isEmpty else { return [] }
        // A party's roles travel as one `;`-joined text per party (an array of arrays cannot be
        // ragged); role spellings contain no `;`.
        let rows = try await naming("parties") {
            try await connection.query(
                """
                INSERT INTO parties (office_id, kind, name, sector, region, country, roles, email, phone,
                                     gender, career_stage, demographics_consented_on)
                SELECT \(office), p.kind, p.name, p.sector, p.region, p.country,
                       string_to_array(nullif(p.roles, ''), ';'), p.email, p.phone, p.gender, p.career_stage,
                       p.consented_on
                FROM unnest(\(parties.map(\.kind))::text[], \(parties.map(\.name))::text[],
                            \(parties.map(\.sector))::text[], \(parties.map(\.region))::text[],
                            \(parties.map(\.country.code))::text[],
                            \(parties.map { $0.roles.map(\.rawValue).joined(separator: ";") })::text[],
                            \(parties.map(\.email))::text[], \(parties.map(\.phone))::text[],
                            \(parties.map { $0.demographics?.gender?.rawValue })::text[],
                            \(parties.map { $0.demographics?.careerStage?.rawValue })::text[],
                            \(parties.map { $0.demographics?.consentedOn })::date[])
                     AS p(kind, name, sector, region, country, roles, email, phone, gender, career_stage,
                          consented_on)
                RETURNING name, id
                """)
        }
        return try keys(of: parties.map(\.name), in: rows, record: "party")
    }

    /// Creates many agreements with their counterparties and rights in three statements and
    /// returns their keys in the order given (references are unique per office). An agreement's
    /// `option` must be stored already; ``setAgreementOptions(_:)`` links options created in the
    /// same import.
    public func createAgreements(_ agreements: [Agreement]) async throws -> [ID<Agreement>] {
        guard !agreements.isEmpty else { return [] }
        let terms = try agreements.map { try $0.financialTerms.map { try PostgresJSON(encoding: $0) } }
        let obligations = try agreements.map { try PostgresJSON(encoding: $0.obligations) }
        return try await naming("agreements") {
            let rows = try await connection.query(
                """
                INSERT INTO agreements (office_id, reference, kind, state, field_of_use, territory, starts_on, ends_on,
                                        until_last_right_expires, executed_on, financial_terms, obligations,
                                        deal_id, option_id)
                SELECT \(office), a.reference, a.kind, a.state, a.field_of_use,
                       coalesce(string_to_array(nullif(a.territory, ''), ';'), '{}'), a.starts_on, a.ends_on,
                       a.until_last, a.executed_on, a.terms, a.obligations, a.deal, a.option
                FROM unnest(\(agreements.map(\.reference))::text[], \(agreements.map(\.kind))::text[],
                            \(agreements.map(\.state))::text[], \(agreements.map(\.fieldOfUse))::text[],
                            \(agreements.map { $0.territory.countries.map(\.code).joined(separator: ";") })::text[],
                            \(agreements.map(\.term.startsOn))::date[], \(agreements.map(\.term.endsOn))::date[],
                            \(agreements.map(\.term.untilLastRightExpires))::boolean[],
                            \(agreements.map(\.executedOn))::date[], \(terms)::jsonb[], \(obligations)::jsonb[],
                            \(agreements.map(\.deal))::bigint[], \(agreements.map(\.option))::bigint[])
                     AS a(reference, kind, state, field_of_use, territory, starts_on, ends_on, until_last, executed_on,
                          terms, obligations, deal, option)
                RETURNING reference, id
                """)
            let ids: [ID<Agreement>] = try keys(of: agreements.map(\.reference), in: rows, record: "agreement")
            var parties: (agreements: [ID<Agreement>], parties: [ID<Party>], positions: [Int]) = ([], [], [])
            var rights: (agreements: [ID<Agreement>], rights: [ID<Right>], positions: [Int]) = ([], [], [])
            for (agreement, id) in zip(agreements, ids) {
                for (position, party) in agreement.counterparties.enumerated() {
                    parties.agreements.append(id)
                    parties.parties.append(party)
                    parties.positions.append(position + 1)
                }
                for (position, right) in agreement.rightsCovered.enumerated() {
                    rights.agreements.append(id)
                    rights.rights.append(right)
                    rights.positions.append(position + 1)
                }
            }
            _ = try await connection.pipeline([
                """
                INSERT INTO agreement_parties (office_id, agreement_id, party_id, position)
                SELECT \(office), * FROM unnest(\(parties.agreements)::bigint[], \(parties.parties)::bigint[],
                                                \(parties.positions)::int[])
                """,
                """
                INSERT INTO agreement_rights (office_id, agreement_id, right_id, position)
                SELECT \(office), * FROM unnest(\(rights.agreements)::bigint[], \(rights.rights)::bigint[],
                                                \(rights.positions)::int[])
                """,
            ])
            return ids
        }
    }

    /// Links agreements to the options they were granted under, in one statement.
    public func setAgreementOptions(_ links: [(agreement: ID<Agreement>, option: ID<Agreement>)]) async throws {
        guard !links.isEmpty else { return }
        _ = try await naming("agreements") {
            try await connection.execute(
                """
                UPDATE agreements a SET option_id = l.option
                FROM unnest(\(links.map(\.agreement))::bigint[], \(links.map(\.option))::bigint[]) AS l(id, option)
                WHERE a.office_id = \(office) AND a.id = l.id
                """)
        }
    }

    /// Saves the obligations and financial terms of many agreements in one statement if nobody
    /// changed them since they were read, and queues the recomputation of the obligations of
    /// those that are not drafts. A changed agreement throws `StoreError.conflict` and nothing
    /// is saved.
    public func updateAgreementTerms(_ agreements: [Versioned<Agreement>]) async throws {
        guard !agreements.isEmpty else { return }
        let terms = try agreements.map { try $0.value.financialTerms.map { try PostgresJSON(encoding: $0) } }
        let obligations = try agreements.map { try PostgresJSON(encoding: $0.value.obligations) }
        let saved = try await naming("agreements") {
            try await connection.query(
                """
                UPDATE agreements a SET financial_terms = u.terms, obligations = u.obligations
                FROM unnest(\(agreements.map(\.value.id))::bigint[], \(agreements.map(\.version))::int[],
                            \(terms)::jsonb[], \(obligations)::jsonb[]) AS u(id, version, terms, obligations)
                WHERE a.office_id = \(office) AND a.id = u.id AND a.version = u.version
                RETURNING a.id
                """
            ).map { try $0.decode(ID<Agreement>.self, at: 0) }
        }
        if let changed = agreements.first(where: { !saved.contains($0.value.id) }) {
            let current = try await connection.query(
                "SELECT version FROM agreements WHERE office_id = \(office) AND id = \(changed.value.id)")
            throw StoreError.conflict(
                record: "agreement \(changed.value.reference)", expectedVersion: changed.version,
                currentVersion: try current.first?.decode(Int.self, at: 0))
        }
        try await enqueueObligationRecomputation(of: agreements.filter { $0.value.state != .draft }.map(\.value.id))
    }

    /// The keys `RETURNING reference, id` gave, in the order of `references`.
    func keys<T>(of references: [String], in rows: [PostgresRow], record: String) throws -> [ID<T>] {
        var keys: [String: ID<T>] = [:]
        for row in rows {
            let (reference, id) = try row.decode(String.self, ID<T>.self)
            keys[reference] = id
        }
        return try references.map { reference in
            guard let id = keys[reference] else { throw StoreError.notFound(record: "\(record) \(reference)") }
            return id
        }
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

/// One row of an events import: what happened to a right, as the import understood it.
public struct ImportedRightStep: Sendable, Hashable {
    /// The right.
    public var right: ID<Right>
    /// The workflow event, when the row moves the right (filed, published, granted …).
    public var transition: RightWorkflow.Event?
    /// The event stored in `right_events` (`nil` for `entered-into-force`, which has no docket kind).
    public var event: RightEvent?
    /// Where the event was read (`right_events.source`), e.g. `KZ-grants.xml#PatentPublication[3]/…/GrantDate`.
    public var source: String?

    /// Creates a step; at least one of `transition` and `event` is given.
    public init(right: ID<Right>, transition: RightWorkflow.Event?, event: RightEvent?, source: String? = nil) {
        self.right = right
        self.transition = transition
        self.event = event
        self.source = source
    }
}

/// What ``OfficeSession/importRightSteps(_:rowsPerStatement:)`` wrote.
public struct ImportedRightSteps: Sendable, Hashable {
    /// Rows appended to `right_events`.
    public var events = 0
    /// Rows appended to `workflow_history`.
    public var history = 0
    /// Rights whose state or dates changed.
    public var rightsUpdated = 0
    /// National rights created by national-phase entries not already in the office.
    public var rightsCreated = 0
    /// Deadline jobs queued (one per right touched).
    public var jobs = 0
}

/// A replayed import step: the right, what was recorded, and the states it moved between.
struct ReplayedStep: Sendable {
    var right: ID<Right>
    var event: RightEvent?
    var transition: RightWorkflow.Event?
    var from: String
    var to: String
}

/// A step of an import the right workflow refused; `index` is the step's position in the input.
public struct ImportStepRefused: Error, Sendable, Hashable, CustomStringConvertible {
    /// The position of the refused step in the steps given.
    public var index: Int
    /// The refusal, naming the right, its state, the event and what is allowed.
    public var error: StoreError
    public var description: String { error.description }
}

extension OfficeSession {
    /// Records many right events at once, in this transaction, with the guarantees of
    /// ``recordEvent(_:_:)``: the rights are locked, every step is replayed through the right
    /// workflow in memory (in the order given), then the events, the workflow history (one row
    /// per step, with the same details), the rights' new state and dates and one deadline job per
    /// right are written with set-based statements (`INSERT … SELECT FROM unnest(…)`, chunks of
    /// `rowsPerStatement`). A refused step throws ``ImportStepRefused`` before anything is written.
    ///
    /// A PCT application's national-phase entry creates the national right (as
    /// ``applyRightEvent(_:_:)`` does) unless the office already has a right of that jurisdiction
    /// entered from it (an import lists the national rights in rights.csv). Historic events are
    /// not announced: no notices are queued for imported history.
    public func importRightSteps(_ steps: [ImportedRightStep], rowsPerStatement: Int = 20_000) async throws
        -> ImportedRightSteps
    {
        guard !steps.isEmpty else { return ImportedRightSteps() }
        var rights = try await lockedRights(Array(Set(steps.map(\.right))))
        let originals = rights
        var events: [(right: ID<Right>, event: RightEvent)] = []
        var sources: [String?] = []
        var history: [ReplayedStep] = []
        var entries: [(pct: ID<Right>, entries: [NationalPhaseEntry])] = []
        events.reserveCapacity(steps.count)
        history.reserveCapacity(steps.count)
        for (index, step) in steps.enumerated() {
            guard var right = rights[step.right] else {
                throw ImportStepRefused(index: index, error: .notFound(record: "right \(step.right)"))
            }
            let from = right.state
            var transition = step.transition
            if let event = transition {
                switch event {
                case .filed(let date, nil): transition = .filed(on: date, applicationNumber: right.applicationNumber)
                case .granted(let date, nil):
                    transition = .granted(on: date, registrationNumber: right.registrationNumber)
                case .filed, .granted, .published, .examinationRequested, .allowed, .enteredIntoForce, .expired,
                    .lapsed, .restored, .lapseRescinded, .abandoned, .withdrawn, .refused, .revoked, .nationalPhaseEntered:
                    break
                }
                do {
                    for effect in try right.apply(transition!) {
                        if case .createNationalRights(let pct, let entered, _) = effect {
                            entries.append((pct, entered))
                        }
                    }
                } catch {
                    throw ImportStepRefused(
                        index: index, error: .workflow(record: "right \(right.reference)", reason: error.description))
                }
                rights[step.right] = right
            }
            if let event = step.event {
                events.append((step.right, event))
                sources.append(step.source)
            }
            history.append(
                ReplayedStep(
                    right: step.right, event: step.event, transition: transition, from: from.rawValue,
                    to: right.state.rawValue))
        }
        var result = ImportedRightSteps()
        let record = "right events"
        // The history's details are encoded on another task while the server inserts the events.
        let replayed = history
        let office = self.office
        async let historyStatements = Self.historyInserts(replayed, office: office, size: rowsPerStatement)
        try await naming(record) {
            for start in stride(from: 0, to: events.count, by: rowsPerStatement) {
                let end = min(start + rowsPerStatement, events.count)
                try await insertRightEvents(Array(events[start..<end]), sources: Array(sources[start..<end]))
            }
        }
        let statements = try await historyStatements
        try await naming("right history") {
            for statement in statements { _ = try await connection.execute(statement) }
        }
        result.events = events.count
        result.history = history.count
        let changed = rights.values.filter { $0 != originals[$0.id] }.sorted { $0.id < $1.id }
        for start in stride(from: 0, to: changed.count, by: rowsPerStatement) {
            try await updateWorkflowFacts(Array(changed[start..<min(start + rowsPerStatement, changed.count)]))
        }
        result.rightsUpdated = changed.count
        let created = try await createEnteredRights(entries)
        result.rightsCreated = created.count
        let touched = Set(steps.map(\.right)).union(created).sorted()
        for start in stride(from: 0, to: touched.count, by: rowsPerStatement) {
            result.jobs += try await enqueueRecomputation(
                of: Array(touched[start..<min(start + rowsPerStatement, touched.count)])
            ).count
        }
        return result
    }

    /// The office's rights with keys `ids`, locked for update (`FOR UPDATE`, in key order).
    func lockedRights(_ ids: [ID<Right>]) async throws -> [ID<Right>: Right] {
        var found: [ID<Right>: Right] = [:]
        found.reserveCapacity(ids.count)
        for row in try await connection.query(
            """
            SELECT id, reference, jurisdiction, kind, state, restorable_until, application_number, filing_date,
                   publication_date, grant_date, registration_number, title, family_id, disclosure_id, attorney_id
            FROM rights WHERE office_id = \(office) AND id = ANY(\(ids)::bigint[]) ORDER BY id FOR UPDATE
            """)
        {
            let (id, reference, jurisdiction, kind, state, restorable, number, filing) = try row.decode(
                ID<Right>.self, String.self, Jurisdiction.self, RightKind.self, RightWorkflow.State.self,
                CivilDate?.self, String?.self, CivilDate?.self)
            let (publication, grant, registration, title, family, disclosure, attorney) = try row.decode(
                CivilDate?.self, CivilDate?.self, String?.self, String.self, ID<RightFamily>?.self,
                ID<Disclosure>?.self, ID<Party>?.self, startingAt: 8)
            found[id] = Right(
                id: id, office: office, reference: reference, title: title, jurisdiction: jurisdiction, kind: kind,
                disclosure: disclosure, family: family, responsibleAttorney: attorney, applicationNumber: number,
                filingDate: filing, publicationDate: publication, grantDate: grant, registrationNumber: registration,
                state: state, restorableUntil: restorable)
        }
        return found
    }

    /// Writes the state and the facts the right workflow sets (dates, numbers, restoration deadline).
    func updateWorkflowFacts(_ rights: [Right]) async throws {
        guard !rights.isEmpty else { return }
        _ = try await naming("rights") {
            try await connection.execute(
                """
                UPDATE rights r SET state = u.state, restorable_until = u.restorable_until,
                       filing_date = u.filing_date, application_number = u.application_number,
                       publication_date = u.publication_date, grant_date = u.grant_date,
                       registration_number = u.registration_number
                FROM unnest(\(rights.map(\.id))::bigint[], \(rights.map(\.state))::text[],
                            \(rights.map(\.restorableUntil))::date[], \(rights.map(\.filingDate))::date[],
                            \(rights.map(\.applicationNumber))::text[], \(rights.map(\.publicationDate))::date[],
                            \(rights.map(\.grantDate))::date[], \(rights.map(\.registrationNumber))::text[])
                     AS u(id, state, restorable_until, filing_date, application_number, publication_date, grant_date,
                          registration_number)
                WHERE r.office_id = \(office) AND r.id = u.id
                """)
        }
    }

    /// Creates the national rights of national-phase entries that the office does not have yet
    /// (no right of that jurisdiction entered from the PCT application); returns their keys.
    func createEnteredRights(_ entries: [(pct: ID<Right>, entries: [NationalPhaseEntry])]) async throws -> [ID<Right>]
    {
        guard !entries.isEmpty else { return [] }
        var existing = Set<String>()
        for row in try await connection.query(
            """
            SELECT parent_right_id, jurisdiction FROM rights
            WHERE office_id = \(office) AND parent_right_id = ANY(\(entries.map(\.pct))::bigint[])
            """)
        {
            let (parent, jurisdiction) = try row.decode(Int64.self, String.self)
            existing.insert("\(parent) \(jurisdiction)")
        }
        var created: [Right] = []
        for (pctID, entered) in entries {
            let missing = entered.filter { existing.insert("\(pctID.rawValue) \($0.jurisdiction.code)").inserted }
            guard !missing.isEmpty else { continue }
            let pct = try await right(pctID).value
            for entry in missing {
                created.append(
                    Right(
                        id: 0, office: office, reference: "\(pct.reference)/\(entry.jurisdiction.code)",
                        title: pct.title, jurisdiction: entry.jurisdiction, kind: entry.kind,
                        disclosure: pct.disclosure, family: pct.family, parentPCT: pctID,
                        responsibleAttorney: pct.responsibleAttorney, filingDate: pct.filingDate,
                        priorityClaims: pct.priorityClaims))
            }
        }
        return try await createRights(created)
    }
}
