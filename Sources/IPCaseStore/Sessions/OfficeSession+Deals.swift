import IPCase
import PostgresClient

extension OfficeSession {
    /// Creates a deal with the rights on offer and returns it with its key.
    public func createDeal(_ deal: Deal) async throws -> Deal {
        try await naming("deal \(deal.reference)") {
            let rows = try await connection.query(
                """
                INSERT INTO deals (office_id, reference, title, state, disclosure_id, counterparty_id,
                                   intended_agreement, expected_value_minor, expected_value_currency, agreement_id)
                VALUES (\(office), \(deal.reference), \(deal.title), \(deal.state), \(deal.disclosure),
                        \(deal.counterparty), \(deal.intendedAgreement), \(deal.expectedValue?.minorUnits),
                        \(deal.expectedValue?.currency), \(deal.agreement))
                RETURNING id
                """)
            var created = deal
            created.id = try rows[0].decode(ID<Deal>.self, at: 0)
            try await replaceDealRights(of: created.id, with: created.rights)
            return created
        }
    }

    /// The deal with key `id`.
    public func deal(_ id: ID<Deal>) async throws -> Versioned<Deal> {
        let rows = try await connection.query(
            "\(unescaped: Self.dealColumns) WHERE d.office_id = \(office) AND d.id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "deal \(id)") }
        return try decodeDeal(row)
    }

    /// The office's deals, by reference.
    public func deals() async throws -> [Versioned<Deal>] {
        try await connection.query(
            "\(unescaped: Self.dealColumns) WHERE d.office_id = \(office) ORDER BY d.reference, d.id"
        )
        .map(decodeDeal)
    }

    /// Saves changes to a deal's data if nobody changed it since it was read. Its state changes
    /// only through `applyDealEvent(_:_:)`.
    @discardableResult
    public func updateDeal(_ deal: Versioned<Deal>) async throws -> Versioned<Deal> {
        let value = deal.value
        let record = "deal \(value.reference)"
        return try await naming(record) {
            let rows = try await connection.query(
                """
                UPDATE deals SET reference = \(value.reference), title = \(value.title),
                       disclosure_id = \(value.disclosure), counterparty_id = \(value.counterparty),
                       intended_agreement = \(value.intendedAgreement),
                       expected_value_minor = \(value.expectedValue?.minorUnits),
                       expected_value_currency = \(value.expectedValue?.currency), agreement_id = \(value.agreement)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(deal.version)
                RETURNING version
                """)
            let version = try await checkedVersion(
                rows, table: "deals", id: value.id.rawValue, record: record, expected: deal.version)
            try await replaceDealRights(of: value.id, with: value.rights)
            return Versioned(value, version: version)
        }
    }

    func replaceDealRights(of id: ID<Deal>, with rights: [ID<Right>]) async throws {
        _ = try await connection.execute("DELETE FROM deal_rights WHERE office_id = \(office) AND deal_id = \(id)")
        guard !rights.isEmpty else { return }
        _ = try await connection.execute(
            """
            INSERT INTO deal_rights (office_id, deal_id, right_id, position)
            SELECT \(office), \(id), r, position FROM unnest(\(rights)::bigint[]) WITH ORDINALITY AS t(r, position)
            """)
    }

    static let dealColumns = """
        SELECT d.id, d.reference, d.title, d.disclosure_id, d.counterparty_id, d.intended_agreement,
               d.expected_value_minor, d.expected_value_currency, d.agreement_id, d.state, d.version,
               coalesce((SELECT array_agg(r.right_id ORDER BY r.position) FROM deal_rights r
                         WHERE r.office_id = d.office_id AND r.deal_id = d.id), '{}')
        FROM deals d
        """

    func decodeDeal(_ row: PostgresRow) throws -> Versioned<Deal> {
        let (id, reference, title, disclosure, counterparty, intended, valueMinor, valueCurrency) = try row.decode(
            ID<Deal>.self, String.self, String.self, ID<Disclosure>?.self, ID<Party>?.self, Agreement.Kind?.self,
            Int64?.self, Currency?.self)
        let (agreement, state, version, rights) = try row.decode(
            ID<Agreement>?.self, DealWorkflow.State.self, Int.self, [ID<Right>].self, startingAt: 8)
        var expected: Money?
        if let valueMinor, let valueCurrency { expected = Money(minorUnits: valueMinor, valueCurrency) }
        return Versioned(
            Deal(
                id: id, office: office, reference: reference, title: title, disclosure: disclosure, rights: rights,
                counterparty: counterparty, intendedAgreement: intended, expectedValue: expected,
                agreement: agreement, state: state),
            version: version)
    }
}

extension DealWorkflow.State: PostgresTextEnum {}
