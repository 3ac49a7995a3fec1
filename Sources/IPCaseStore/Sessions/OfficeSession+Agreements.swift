import IPCase
import PostgresClient

extension OfficeSession {
    /// Creates an agreement with its counterparties and rights and returns it with its key.
    public func createAgreement(_ agreement: Agreement) async throws -> Agreement {
        try await naming("agreement \(agreement.reference)") {
            let rows = try await connection.query(
                """
                INSERT INTO agreements (office_id, reference, kind, state, field_of_use, territory, starts_on, ends_on,
                                        until_last_right_expires, executed_on, financial_terms, obligations,
                                        deal_id, option_id)
                VALUES (\(office), \(agreement.reference), \(agreement.kind), \(agreement.state),
                        \(agreement.fieldOfUse), \(agreement.territory.countries), \(agreement.term.startsOn),
                        \(agreement.term.endsOn), \(agreement.term.untilLastRightExpires), \(agreement.executedOn),
                        \(try agreement.financialTerms.map { try PostgresJSON(encoding: $0) }),
                        \(try PostgresJSON(encoding: agreement.obligations)), \(agreement.deal), \(agreement.option))
                RETURNING id
                """)
            var created = agreement
            created.id = try rows[0].decode(ID<Agreement>.self, at: 0)
            try await replaceAgreementLinks(of: created)
            return created
        }
    }

    /// The agreement with key `id`.
    public func agreement(_ id: ID<Agreement>) async throws -> Versioned<Agreement> {
        let rows = try await connection.query(
            "\(unescaped: Self.agreementColumns) WHERE a.office_id = \(office) AND a.id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "agreement \(id)") }
        return try decodeAgreement(row)
    }

    /// The agreements that cover a right (licences, options, NDAs under which it is shared), by
    /// reference.
    public func agreements(covering right: ID<Right>) async throws -> [Versioned<Agreement>] {
        try await agreements(covering: right, counterparty: nil, inventor: nil)
    }

    /// The office's agreements, by reference.
    public func agreements() async throws -> [Versioned<Agreement>] {
        try await connection.query(
            "\(unescaped: Self.agreementColumns) WHERE a.office_id = \(office) ORDER BY a.reference, a.id"
        ).map(decodeAgreement)
    }

    /// The agreements covering a right that comes from a disclosure `inventor` is an inventor of
    /// (what an inventor may see), by reference.
    public func agreements(fromDisclosuresOf inventor: ID<Party>) async throws -> [Versioned<Agreement>] {
        try await agreements(covering: nil, counterparty: nil, inventor: inventor)
    }

    /// The agreements `party` is a counterparty of (a licensee's, an investor's), by reference.
    public func agreements(counterparty party: ID<Party>) async throws -> [Versioned<Agreement>] {
        try await agreements(covering: nil, counterparty: party, inventor: nil)
    }

    /// The office's agreements that cover `right`, have `counterparty` among their parties and
    /// cover a right from a disclosure of `inventor` (a condition given as `nil` is not applied),
    /// by reference.
    func agreements(covering right: ID<Right>?, counterparty: ID<Party>?, inventor: ID<Party>?) async throws
        -> [Versioned<Agreement>]
    {
        try await connection.query(
            """
            \(unescaped: Self.agreementColumns)
            WHERE a.office_id = \(office)
              AND (\(right)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM agreement_rights r
                              WHERE r.office_id = a.office_id AND r.agreement_id = a.id AND r.right_id = \(right)))
              AND (\(counterparty)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM agreement_parties p
                              WHERE p.office_id = a.office_id AND p.agreement_id = a.id
                                AND p.party_id = \(counterparty)))
              AND (\(inventor)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM agreement_rights ar
                              JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                              JOIN disclosure_inventors i
                                ON i.office_id = r.office_id AND i.disclosure_id = r.disclosure_id
                              WHERE ar.office_id = a.office_id AND ar.agreement_id = a.id
                                AND i.party_id = \(inventor)))
            ORDER BY a.reference, a.id
            """
        ).map(decodeAgreement)
    }

    /// Saves changes to an agreement's data if nobody changed it since it was read, and — unless
    /// it is a draft — queues the recomputation of its obligations (amended obligations or term).
    /// Its state changes only through ``applyAgreementEvent(_:_:)``.
    @discardableResult
    public func updateAgreement(_ agreement: Versioned<Agreement>) async throws -> Versioned<Agreement> {
        let value = agreement.value
        let record = "agreement \(value.reference)"
        return try await naming(record) {
            let rows = try await connection.query(
                """
                UPDATE agreements SET reference = \(value.reference), kind = \(value.kind),
                       field_of_use = \(value.fieldOfUse), territory = \(value.territory.countries),
                       starts_on = \(value.term.startsOn), ends_on = \(value.term.endsOn),
                       until_last_right_expires = \(value.term.untilLastRightExpires),
                       executed_on = \(value.executedOn),
                       financial_terms = \(try value.financialTerms.map { try PostgresJSON(encoding: $0) }),
                       obligations = \(try PostgresJSON(encoding: value.obligations)),
                       deal_id = \(value.deal), option_id = \(value.option)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(agreement.version)
                RETURNING version
                """)
            let version = try await checkedVersion(
                rows, table: "agreements", id: value.id.rawValue, record: record, expected: agreement.version)
            try await replaceAgreementLinks(of: value)
            if value.state != .draft { try await enqueueObligationRecomputation(of: [value.id]) }
            return Versioned(value, version: version)
        }
    }

    func replaceAgreementLinks(of agreement: Agreement) async throws {
        _ = try await connection.execute(
            "DELETE FROM agreement_parties WHERE office_id = \(office) AND agreement_id = \(agreement.id)")
        _ = try await connection.execute(
            "DELETE FROM agreement_rights WHERE office_id = \(office) AND agreement_id = \(agreement.id)")
        if !agreement.counterparties.isEmpty {
            _ = try await connection.execute(
                """
                INSERT INTO agreement_parties (office_id, agreement_id, party_id, position)
                SELECT \(office), \(agreement.id), p, position
                FROM unnest(\(agreement.counterparties)::bigint[]) WITH ORDINALITY AS t(p, position)
                """)
        }
        if !agreement.rightsCovered.isEmpty {
            _ = try await connection.execute(
                """
                INSERT INTO agreement_rights (office_id, agreement_id, right_id, position)
                SELECT \(office), \(agreement.id), r, position
                FROM unnest(\(agreement.rightsCovered)::bigint[]) WITH ORDINALITY AS t(r, position)
                """)
        }
    }

    static let agreementColumns = """
        SELECT a.id, a.reference, a.kind, a.field_of_use, a.territory, a.starts_on, a.ends_on,
               a.until_last_right_expires, a.executed_on, a.financial_terms, a.obligations, a.deal_id, a.option_id,
               a.state, a.version,
               coalesce((SELECT array_agg(p.party_id ORDER BY p.position) FROM agreement_parties p
                         WHERE p.office_id = a.office_id AND p.agreement_id = a.id), '{}'),
               coalesce((SELECT array_agg(r.right_id ORDER BY r.position) FROM agreement_rights r
                         WHERE r.office_id = a.office_id AND r.agreement_id = a.id), '{}')
        FROM agreements a
        """

    func decodeAgreement(_ row: PostgresRow) throws -> Versioned<Agreement> {
        let (id, reference, kind, fieldOfUse, territory, startsOn, endsOn, untilLast) = try row.decode(
            ID<Agreement>.self, String.self, Agreement.Kind.self, String?.self, [Country].self, CivilDate?.self,
            CivilDate?.self, Bool.self)
        let (executedOn, terms, obligations, deal, option, state, version, parties, rights) = try row.decode(
            CivilDate?.self, PostgresJSON?.self, PostgresJSON.self, ID<Deal>?.self, ID<Agreement>?.self,
            AgreementWorkflow.State.self, Int.self, [ID<Party>].self, [ID<Right>].self, startingAt: 8)
        let record = "agreement \(reference)"
        let financialTerms: FinancialTerms?
        let obligationList: [Obligation]
        do {
            financialTerms = try terms?.decode(FinancialTerms.self)
            obligationList = try obligations.decode([Obligation].self)
        } catch {
            throw StoreError.invalid(record: record, reason: "stored terms or obligations do not decode")
        }
        return Versioned(
            Agreement(
                id: id, office: office, reference: reference, kind: kind, counterparties: parties,
                rightsCovered: rights, fieldOfUse: fieldOfUse, territory: Territory(countries: territory),
                term: AgreementTerm(startsOn: startsOn, endsOn: endsOn, untilLastRightExpires: untilLast),
                financialTerms: financialTerms, obligations: obligationList, deal: deal, option: option,
                executedOn: executedOn, state: state),
            version: version)
    }
}

extension AgreementWorkflow.State: PostgresTextEnum {}
