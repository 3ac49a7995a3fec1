import IPCase
import PostgresClient

/// A right event as stored: the event with its key and who recorded it when.
public struct StoredRightEvent: Sendable, Hashable {
    /// The event's key (part of the trigger key of deadlines it triggers).
    public var id: Int64
    /// The right it happened to.
    public var right: ID<Right>
    /// What happened, when.
    public var event: RightEvent
    /// Who recorded it.
    public var recordedBy: String
    /// Where it was read, when it came from a file: `file#element` (a register import).
    public var source: String?

    /// Creates a stored event.
    public init(id: Int64, right: ID<Right>, event: RightEvent, recordedBy: String, source: String? = nil) {
        self.id = id
        self.right = right
        self.event = event
        self.recordedBy = recordedBy
        self.source = source
    }
}

extension OfficeSession {
    /// Creates a right and returns it with its key.
    public func createRight(_ right: Right) async throws -> Right {
        try await naming("right \(right.reference)") {
            let rows = try await connection.query(
                """
                INSERT INTO rights (office_id, reference, title, jurisdiction, kind, state, disclosure_id, family_id,
                                    parent_right_id, attorney_id, application_number, filing_date, priority_claims,
                                    publication_date, publication_number, grant_date, registration_number,
                                    expiry_date, restorable_until, deadlines, entity_size)
                VALUES (\(office), \(right.reference), \(right.title), \(right.jurisdiction), \(right.kind),
                        \(right.state), \(right.disclosure), \(right.family), \(right.parentPCT),
                        \(right.responsibleAttorney), \(right.applicationNumber), \(right.filingDate),
                        \(try PostgresJSON(encoding: right.priorityClaims)), \(right.publicationDate),
                        \(right.publicationNumber), \(right.grantDate), \(right.registrationNumber),
                        \(right.expiryDate), \(right.restorableUntil), \(right.deadlines.rawValue),
                        \(right.entitySize?.rawValue))
                RETURNING id
                """)
            var created = right
            created.id = try rows[0].decode(ID<Right>.self, at: 0)
            try await linkFurtherDisclosures([(created.id, right.furtherDisclosures)])
            return created
        }
    }

    /// Links rights to their further disclosures (those linked already stay as they are), one
    /// statement for all.
    func linkFurtherDisclosures(_ links: [(right: ID<Right>, disclosures: [ID<Disclosure>])]) async throws {
        let pairs = links.flatMap { link in link.disclosures.map { (link.right, $0) } }
        guard !pairs.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO right_disclosures (office_id, right_id, disclosure_id)
            SELECT \(office), r, d FROM unnest(\(pairs.map(\.0))::bigint[], \(pairs.map(\.1))::bigint[]) AS t (r, d)
            ON CONFLICT (office_id, right_id, disclosure_id) DO NOTHING
            """)
    }

    /// The right with key `id`.
    public func right(_ id: ID<Right>) async throws -> Versioned<Right> {
        let rows = try await connection.query(
            "\(unescaped: Self.rightColumns) WHERE office_id = \(office) AND id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "right \(id)") }
        return try decodeRight(row)
    }

    /// The office's rights, by reference.
    public func rights() async throws -> [Versioned<Right>] {
        try await connection.query("\(unescaped: Self.rightColumns) WHERE office_id = \(office) ORDER BY reference, id")
            .map(decodeRight)
    }

    /// The office's rights whose reference, title, or application, publication or registration
    /// number contains `text` (case-insensitive), by reference; all of them when `text` is nil.
    public func rights(matching text: String?) async throws -> [Versioned<Right>] {
        guard let text, !text.isEmpty else { return try await rights() }
        return try await connection.query(
            """
            \(unescaped: Self.rightColumns) WHERE office_id = \(office)
              AND (strpos(lower(reference), lower(\(text))) > 0 OR strpos(lower(title), lower(\(text))) > 0
                   OR strpos(lower(coalesce(application_number, '')), lower(\(text))) > 0
                   OR strpos(lower(coalesce(publication_number, '')), lower(\(text))) > 0
                   OR strpos(lower(coalesce(registration_number, '')), lower(\(text))) > 0)
            ORDER BY reference, id
            """
        ).map(decodeRight)
    }

    /// Saves changes to a right's data if nobody changed it since it was read. Its state
    /// changes only through ``recordEvent(_:_:)``.
    @discardableResult
    public func updateRight(_ right: Versioned<Right>) async throws -> Versioned<Right> {
        let value = right.value
        let record = "right \(value.reference)"
        let rows = try await naming(record) {
            try await connection.query(
                """
                UPDATE rights SET reference = \(value.reference), title = \(value.title),
                       jurisdiction = \(value.jurisdiction), kind = \(value.kind),
                       disclosure_id = \(value.disclosure), family_id = \(value.family),
                       parent_right_id = \(value.parentPCT), attorney_id = \(value.responsibleAttorney),
                       application_number = \(value.applicationNumber), filing_date = \(value.filingDate),
                       priority_claims = \(try PostgresJSON(encoding: value.priorityClaims)),
                       publication_date = \(value.publicationDate), publication_number = \(value.publicationNumber),
                       grant_date = \(value.grantDate), registration_number = \(value.registrationNumber),
                       expiry_date = \(value.expiryDate), restorable_until = \(value.restorableUntil),
                       deadlines = \(value.deadlines.rawValue), entity_size = \(value.entitySize?.rawValue)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(right.version)
                RETURNING version
                """)
        }
        if !rows.isEmpty {
            try await naming(record) {
                try await connection.execute(
                    """
                    DELETE FROM right_disclosures
                    WHERE office_id = \(office) AND right_id = \(value.id)
                      AND NOT disclosure_id = ANY (\(value.furtherDisclosures)::bigint[])
                    """)
                try await linkFurtherDisclosures([(value.id, value.furtherDisclosures)])
            }
        }
        return Versioned(
            value,
            version: try await checkedVersion(
                rows, table: "rights", id: value.id.rawValue,
                record: record, expected: right.version))
    }

    /// The events recorded on a right, in date order.
    public func events(of right: ID<Right>) async throws -> [StoredRightEvent] {
        try await connection.query(
            """
            SELECT id, kind, event_date, year, reference, recorded_by, source FROM right_events
            WHERE office_id = \(office) AND right_id = \(right) ORDER BY event_date, id
            """
        ).map { row in
            let (id, kind, date, year, reference, recordedBy, source) = try row.decode(
                Int64.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self, String.self, String?.self)
            return StoredRightEvent(
                id: id, right: right, event: RightEvent(kind, on: date, year: year, reference: reference),
                recordedBy: recordedBy, source: source)
        }
    }

    static let rightColumns = """
        SELECT id, reference, title, jurisdiction, kind, disclosure_id, family_id, parent_right_id, attorney_id,
               application_number, filing_date, priority_claims, publication_date, publication_number, grant_date,
               registration_number, expiry_date, state, restorable_until, version, deadlines,
               ARRAY(SELECT l.disclosure_id FROM right_disclosures l
                     WHERE l.office_id = rights.office_id AND l.right_id = rights.id ORDER BY l.id) AS further,
               entity_size
        FROM rights
        """

    func decodeRight(_ row: PostgresRow) throws -> Versioned<Right> {
        let (id, reference, title, jurisdiction, kind, disclosure, family, parent, attorney) = try row.decode(
            ID<Right>.self, String.self, String.self, Jurisdiction.self, RightKind.self, ID<Disclosure>?.self,
            ID<RightFamily>?.self, ID<Right>?.self, ID<Party>?.self)
        let (applicationNumber, filingDate, priorities, publicationDate, publicationNumber, grantDate) = try row.decode(
            String?.self, CivilDate?.self, PostgresJSON.self, CivilDate?.self, String?.self, CivilDate?.self,
            startingAt: 9)
        let (registrationNumber, expiryDate, state, restorableUntil, version, mode) = try row.decode(
            String?.self, CivilDate?.self, RightWorkflow.State.self, CivilDate?.self, Int.self, String.self,
            startingAt: 15)
        let further = try row.decode([ID<Disclosure>].self, at: 21)
        let entity = try row.decode(String?.self, at: 22)
        let claims: [PriorityClaim]
        do {
            claims = try priorities.decode([PriorityClaim].self)
        } catch {
            throw StoreError.invalid(record: "right \(reference)", reason: "stored priority claims do not decode")
        }
        return Versioned(
            Right(
                id: id, office: office, reference: reference, title: title, jurisdiction: jurisdiction, kind: kind,
                disclosure: disclosure, family: family, parentPCT: parent, responsibleAttorney: attorney,
                applicationNumber: applicationNumber, filingDate: filingDate, priorityClaims: claims,
                publicationDate: publicationDate, publicationNumber: publicationNumber, grantDate: grantDate,
                registrationNumber: registrationNumber, expiryDate: expiryDate, state: state,
                restorableUntil: restorableUntil, deadlines: Right.DeadlineMode(rawValue: mode) ?? .computed,
                furtherDisclosures: further, entitySize: entity.flatMap(EntitySize.init(rawValue:))),
            version: version)
    }

    /// Creates a patent family and returns it with its key.
    public func createFamily(_ family: RightFamily) async throws -> RightFamily {
        try await naming("family \(family.reference)") {
            let rows = try await connection.query(
                """
                INSERT INTO right_families (office_id, reference, disclosure_id)
                VALUES (\(office), \(family.reference), \(family.disclosure)) RETURNING id
                """)
            var created = family
            created.id = try rows[0].decode(ID<RightFamily>.self, at: 0)
            return created
        }
    }

    /// The office's patent families by reference.
    public func families() async throws -> [RightFamily] {
        try await connection.query(
            "SELECT id, reference, disclosure_id FROM right_families WHERE office_id = \(office) ORDER BY reference"
        ).map { row in
            let (id, reference, disclosure) = try row.decode(ID<RightFamily>.self, String.self, ID<Disclosure>?.self)
            return RightFamily(id: id, office: office, reference: reference, disclosure: disclosure)
        }
    }
}

extension RightWorkflow.State: PostgresTextEnum {}
