import IPCase
import PostgresClient

extension Outreach.Channel: PostgresTextEnum {}
extension Outreach.Response: PostgresTextEnum {}

extension OfficeSession {
    /// Records a technology offer of the office's disclosures and rights and returns it with
    /// its key; refused, naming the field, when its reference, title or summary is empty, it
    /// markets nothing, or a disclosure or right is not the office's.
    public func createOffer(_ offer: TechnologyOffer) async throws -> TechnologyOffer {
        let record = "technology offer \(offer.reference)"
        if let problem = offer.problems.first {
            throw StoreError.invalid(record: record, reason: "field \(problem.field): \(problem.reason)")
        }
        for disclosure in offer.disclosures { _ = try await self.disclosure(disclosure) }
        for right in offer.rights { _ = try await self.right(right) }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO technology_offers (office_id, reference, title, summary, trl, sectors, offered_on)
                VALUES (\(office), \(offer.reference), \(offer.title), \(offer.summary), \(offer.readiness?.level),
                        \(offer.sectors), \(offer.offeredOn))
                RETURNING id
                """)
            let id = try rows[0].decode(ID<TechnologyOffer>.self, at: 0)
            _ = try await connection.execute(
                """
                INSERT INTO offer_disclosures (office_id, offer_id, disclosure_id)
                SELECT DISTINCT \(office), \(id), d FROM unnest(\(offer.disclosures)::bigint[]) AS d
                """)
            _ = try await connection.execute(
                """
                INSERT INTO offer_rights (office_id, offer_id, right_id)
                SELECT DISTINCT \(office), \(id), r FROM unnest(\(offer.rights)::bigint[]) AS r
                """)
            var created = offer
            created.id = id
            created.outreach = []
            return created
        }
    }

    /// The office's technology offers, newest first, each with its outreach.
    public func offers() async throws -> [TechnologyOffer] { try await offers(id: nil) }

    /// The offer with key `id`.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func offer(_ id: ID<TechnologyOffer>) async throws -> TechnologyOffer {
        guard let found = try await offers(id: id).first else {
            throw StoreError.notFound(record: "technology offer \(id.rawValue)")
        }
        return found
    }

    /// Records a contact with a company about `offer`; refused, naming the field, for a person
    /// or a day before the offer.
    public func addOutreach(_ outreach: Outreach, to offer: ID<TechnologyOffer>) async throws -> Outreach {
        let stored = try await self.offer(offer)
        let company = try await party(outreach.company).value
        let record = "outreach of offer \(stored.reference) to \(company.name)"
        guard company.kind == .organization else {
            throw StoreError.invalid(record: record, reason: "field company: \(company.name) is a person, not a company")
        }
        if outreach.on < stored.offeredOn {
            throw StoreError.invalid(
                record: record, reason: "field date: \(outreach.on) is before the offer was made on \(stored.offeredOn)")
        }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO outreach (office_id, offer_id, contacted_on, channel, company_id, contact, response)
                VALUES (\(office), \(offer), \(outreach.on), \(outreach.channel), \(outreach.company), \(outreach.contact),
                        \(outreach.response))
                RETURNING id
                """)
            var created = outreach
            created.id = try rows[0].decode(Int64.self, at: 0)
            created.deal = nil
            return created
        }
    }

    /// Records the company's answer to an outreach; refused once it became a deal (the deal's
    /// workflow carries it on).
    public func recordResponse(_ response: Outreach.Response, to outreach: Int64) async throws {
        let stored = try await self.outreach(outreach)
        if let deal = stored.deal {
            throw StoreError.invalid(
                record: "outreach \(outreach)",
                reason: "field response: it became deal \(deal.rawValue); advance the deal instead")
        }
        _ = try await connection.execute(
            """
            UPDATE outreach SET response = \(response), version = version + 1
            WHERE office_id = \(office) AND id = \(outreach)
            """)
    }

    /// Opens a deal in the pipeline for the interested company of `outreach`: the offer's title,
    /// its first disclosure and its rights, the company as counterparty; the outreach keeps the
    /// deal. Refused, naming the field, unless the company answered interested or signed an NDA,
    /// or when it became a deal already.
    public func openDeal(
        from outreach: Int64, reference: String, intendedAgreement: Agreement.Kind? = nil
    ) async throws -> Deal {
        let stored = try await self.outreach(outreach)
        let record = "outreach \(outreach)"
        if let deal = stored.deal {
            throw StoreError.invalid(record: record, reason: "field deal: it became deal \(deal.rawValue) already")
        }
        guard stored.response == .interested || stored.response == .ndaSigned else {
            throw StoreError.invalid(
                record: record,
                reason: "field response: the company answered \(stored.response.rawValue); only an interested one becomes a deal")
        }
        let offerID = try await connection.query(
            "SELECT offer_id FROM outreach WHERE office_id = \(office) AND id = \(outreach)")[0].decode(
                ID<TechnologyOffer>.self, at: 0)
        let offer = try await self.offer(offerID)
        let deal = try await createDeal(
            Deal(
                id: 0, office: office, reference: reference, title: offer.title, disclosure: offer.disclosures.first,
                rights: offer.rights, counterparty: stored.company, intendedAgreement: intendedAgreement))
        _ = try await connection.execute(
            """
            UPDATE outreach SET deal_id = \(deal.id), version = version + 1
            WHERE office_id = \(office) AND id = \(outreach)
            """)
        return deal
    }

    private func outreach(_ id: Int64) async throws -> Outreach {
        let rows = try await connection.query(
            """
            SELECT id, contacted_on, channel, company_id, contact, response, deal_id FROM outreach
            WHERE office_id = \(office) AND id = \(id)
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "outreach \(id)") }
        return try Self.decodeOutreach(row)
    }

    static func decodeOutreach(_ row: PostgresRow) throws -> Outreach {
        let (id, on, channel, company, contact, response, deal) = try row.decode(
            Int64.self, CivilDate.self, Outreach.Channel.self, ID<Party>.self, String?.self, Outreach.Response.self,
            ID<Deal>?.self)
        return Outreach(id: id, on: on, channel: channel, company: company, contact: contact, response: response, deal: deal)
    }

    private func offers(id: ID<TechnologyOffer>?) async throws -> [TechnologyOffer] {
        var offers = try await connection.query(
            """
            SELECT o.id, o.reference, o.title, o.summary, o.trl::int, o.sectors, o.offered_on,
                   coalesce((SELECT array_agg(d.disclosure_id ORDER BY d.disclosure_id) FROM offer_disclosures d
                             WHERE d.office_id = o.office_id AND d.offer_id = o.id), '{}'),
                   coalesce((SELECT array_agg(r.right_id ORDER BY r.right_id) FROM offer_rights r
                             WHERE r.office_id = o.office_id AND r.offer_id = o.id), '{}')
            FROM technology_offers o
            WHERE o.office_id = \(office) AND (\(id)::bigint IS NULL OR o.id = \(id))
            ORDER BY o.offered_on DESC, o.id DESC
            """
        ).map { row in
            let (key, reference, title, summary, trl, sectors, offered, disclosures) = try row.decode(
                ID<TechnologyOffer>.self, String.self, String.self, String.self, Int?.self, [String].self,
                CivilDate.self, [ID<Disclosure>].self)
            return TechnologyOffer(
                id: key, office: office, reference: reference, title: title, summary: summary,
                disclosures: disclosures, rights: try row.decode([ID<Right>].self, at: 8),
                readiness: trl.flatMap(TechnologyReadinessLevel.init), sectors: sectors, offeredOn: offered)
        }
        guard !offers.isEmpty else { return [] }
        var outreach: [ID<TechnologyOffer>: [Outreach]] = [:]
        for row in try await connection.query(
            """
            SELECT id, contacted_on, channel, company_id, contact, response, deal_id, offer_id FROM outreach
            WHERE office_id = \(office) AND offer_id = ANY(\(offers.map(\.id))::bigint[])
            ORDER BY contacted_on, id
            """)
        {
            outreach[try row.decode(ID<TechnologyOffer>.self, at: 7), default: []].append(try Self.decodeOutreach(row))
        }
        for index in offers.indices { offers[index].outreach = outreach[offers[index].id] ?? [] }
        return offers
    }
}
