import IPCase
import PostgresClient

extension OfficeSession {
    /// Creates a disclosure with its inventors and returns it with its key.
    public func createDisclosure(_ disclosure: Disclosure) async throws -> Disclosure {
        try await naming("disclosure \(disclosure.reference)") {
            // The key first, then the row without RETURNING: an inventor's web session may read a
            // disclosure back only once its inventors are written (Schema/0117).
            var created = disclosure
            created.id = try await connection.query(
                "SELECT nextval(pg_get_serial_sequence('disclosures', 'id'))")[0].decode(ID<Disclosure>.self, at: 0)
            _ = try await connection.execute(
                """
                INSERT INTO disclosures (office_id, id, reference, title, received_on, state, hold_review_on, trl,
                                         ipc_symbols, funding_sources, department)
                VALUES (\(office), \(created.id), \(disclosure.reference), \(disclosure.title), \(disclosure.receivedOn),
                        \(disclosure.state), \(disclosure.reviewOn), \(disclosure.readiness.map { Int16($0.level) }),
                        \(disclosure.ipcSymbols.map(\.text)), \(disclosure.fundingSources), \(disclosure.department))
                """)
            try await replaceInventors(of: created.id, with: created.inventors)
            return created
        }
    }

    /// The references of the office's disclosures that start with `prefix`, every one of them
    /// even where the session may read only some disclosures (an inventor's): for the next free
    /// reference.
    public func disclosureReferences(prefix: String) async throws -> [String] {
        try await connection.query("SELECT ipcase_disclosure_references(\(prefix))").map { try $0.decode(String.self, at: 0) }
    }

    /// The disclosure with key `id`, with its inventors.
    public func disclosure(_ id: ID<Disclosure>) async throws -> Versioned<Disclosure> {
        let rows = try await connection.query(
            "\(unescaped: Self.disclosureColumns) WHERE d.office_id = \(office) AND d.id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "disclosure \(id)") }
        return try decodeDisclosure(row)
    }

    /// The office's disclosures, newest first.
    public func disclosures() async throws -> [Versioned<Disclosure>] {
        try await connection.query(
            "\(unescaped: Self.disclosureColumns) WHERE d.office_id = \(office) ORDER BY d.received_on DESC, d.id DESC"
        ).map(decodeDisclosure)
    }

    /// The disclosures `party` is an inventor of, newest first (what an inventor sees).
    public func disclosures(inventor party: ID<Party>) async throws -> [Versioned<Disclosure>] {
        try await connection.query(
            """
            \(unescaped: Self.disclosureColumns) WHERE d.office_id = \(office)
              AND EXISTS (SELECT FROM disclosure_inventors i
                          WHERE i.office_id = d.office_id AND i.disclosure_id = d.id AND i.party_id = \(party))
            ORDER BY d.received_on DESC, d.id DESC
            """
        ).map(decodeDisclosure)
    }

    /// Saves changes to a disclosure's data and inventors if nobody changed it since it was read.
    /// Its state changes only through `applyDisclosureEvent(_:_:)`.
    @discardableResult
    public func updateDisclosure(_ disclosure: Versioned<Disclosure>) async throws -> Versioned<Disclosure> {
        let value = disclosure.value
        let record = "disclosure \(value.reference)"
        return try await naming(record) {
            let rows = try await connection.query(
                """
                UPDATE disclosures SET reference = \(value.reference), title = \(value.title),
                       received_on = \(value.receivedOn), trl = \(value.readiness.map { Int16($0.level) }),
                       ipc_symbols = \(value.ipcSymbols.map(\.text)), funding_sources = \(value.fundingSources),
                       department = \(value.department)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(disclosure.version)
                RETURNING version
                """)
            let version = try await checkedVersion(
                rows, table: "disclosures", id: value.id.rawValue, record: record, expected: disclosure.version)
            try await replaceInventors(of: value.id, with: value.inventors)
            return Versioned(value, version: version)
        }
    }

    func replaceInventors(of id: ID<Disclosure>, with inventors: [InventorShare]) async throws {
        _ = try await connection.execute(
            "DELETE FROM disclosure_inventors WHERE office_id = \(office) AND disclosure_id = \(id)")
        guard !inventors.isEmpty else { return }
        _ = try await connection.execute(
            """
            INSERT INTO disclosure_inventors (office_id, disclosure_id, party_id, share_bp, position)
            SELECT \(office), \(id), party, share, position
            FROM unnest(\(inventors.map(\.party))::bigint[], \(inventors.map(\.share))::int[])
                 WITH ORDINALITY AS i(party, share, position)
            """)
    }

    static let disclosureColumns = """
        SELECT d.id, d.reference, d.title, d.received_on, d.department, d.trl, d.ipc_symbols, d.funding_sources,
               d.state, d.hold_review_on, d.version,
               coalesce((SELECT array_agg(i.party_id ORDER BY i.position, i.party_id) FROM disclosure_inventors i
                         WHERE i.office_id = d.office_id AND i.disclosure_id = d.id), '{}') AS inventor_ids,
               coalesce((SELECT array_agg(i.share_bp ORDER BY i.position, i.party_id) FROM disclosure_inventors i
                         WHERE i.office_id = d.office_id AND i.disclosure_id = d.id), '{}') AS inventor_shares
        FROM disclosures d
        """

    func decodeDisclosure(_ row: PostgresRow) throws -> Versioned<Disclosure> {
        let (id, reference, title, receivedOn, department, trl, ipc, funding) = try row.decode(
            ID<Disclosure>.self, String.self, String.self, CivilDate.self, String?.self, Int?.self, [String].self,
            [Disclosure.FundingSource].self)
        let (state, reviewOn, version, inventorIDs, shares) = try row.decode(
            DisclosureWorkflow.State.self, CivilDate?.self, Int.self, [ID<Party>].self, [BasisPoints].self,
            startingAt: 8)
        let symbols = try ipc.map { text in
            guard let symbol = IPCSymbol(text) else {
                throw StoreError.invalid(
                    record: "disclosure \(reference)", reason: "stored IPC symbol '\(text)' is not valid")
            }
            return symbol
        }
        return Versioned(
            Disclosure(
                id: id, office: office, reference: reference, title: title, receivedOn: receivedOn,
                department: department, inventors: zip(inventorIDs, shares).map { InventorShare($0, $1) },
                fundingSources: funding, readiness: trl.flatMap(TechnologyReadinessLevel.init),
                ipcSymbols: symbols, state: state, reviewOn: reviewOn),
            version: version)
    }
}

extension DisclosureWorkflow.State: PostgresTextEnum {}
