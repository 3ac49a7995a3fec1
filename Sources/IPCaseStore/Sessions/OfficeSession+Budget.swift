import IPCase
import PostgresClient

extension OfficeSession {
    /// The states of a right that will pay no more fees.
    static let endedRightStates = ["expired", "lapsed", "abandoned", "withdrawn", "refused", "revoked"]

    /// The office's rights still alive (not expired, lapsed, abandoned, withdrawn, refused or
    /// revoked) as the budget forecast reads them: route, entity size, family and disclosure
    /// references, and the engine's input (recorded events plus the filing date and priority
    /// claims they lack), and the due date of the first fee a renewal decision drops, in key
    /// order. Two reads, whatever the number of rights.
    public func forecastRights() async throws -> [ForecastRight] {
        var rights: [ForecastRight] = []
        var index: [ID<Right>: Int] = [:]
        var stored: [(filing: CivilDate?, claims: [PriorityClaim])] = []
        for row in try await connection.query(
            """
            SELECT r.id, r.reference, r.jurisdiction, r.kind, r.entity_size, f.reference, d.reference, r.filing_date,
                   CASE WHEN r.priority_claims = '[]' THEN '{}'
                        ELSE ARRAY(SELECT c->>'jurisdiction' FROM jsonb_array_elements(r.priority_claims) c) END,
                   CASE WHEN r.priority_claims = '[]' THEN '{}'
                        ELSE ARRAY(SELECT coalesce(c->>'applicationNumber', '') FROM jsonb_array_elements(r.priority_claims) c) END,
                   CASE WHEN r.priority_claims = '[]' THEN '{}'
                        ELSE ARRAY(SELECT (c->>'date')::date FROM jsonb_array_elements(r.priority_claims) c) END,
                   (SELECT min(x.due_date) FROM renewal_decisions x
                    WHERE x.office_id = r.office_id AND x.right_id = r.id AND x.state IN ('instructed-drop', 'lapsed'))
            FROM rights r
            LEFT JOIN right_families f ON f.office_id = r.office_id AND f.id = r.family_id
            LEFT JOIN disclosures d ON d.office_id = r.office_id AND d.id = r.disclosure_id
            WHERE r.office_id = \(office) AND NOT r.state = ANY (\(Self.endedRightStates)::text[])
            ORDER BY r.id
            """)
        {
            let (id, reference, jurisdiction, kind, size, family, disclosure, filing) = try row.decode(
                ID<Right>.self, String.self, Jurisdiction.self, RightKind.self, String?.self, String?.self,
                String?.self, CivilDate?.self)
            let (offices, numbers, dates, dropped) = try row.decode(
                [String].self, [String].self, [CivilDate].self, CivilDate?.self, startingAt: 8)
            var claims: [PriorityClaim] = []
            for (code, (number, date)) in zip(offices, zip(numbers, dates)) {
                guard let jurisdiction = Jurisdiction(code) else {
                    throw StoreError.invalid(record: "right \(reference)", reason: "stored priority claims do not decode")
                }
                claims.append(PriorityClaim(jurisdiction: jurisdiction, applicationNumber: number, date: date))
            }
            index[id] = rights.count
            stored.append((filing, claims))
            rights.append(
                ForecastRight(
                    right: id, reference: reference, jurisdiction: jurisdiction, kind: kind,
                    entitySize: size.flatMap(EntitySize.init(rawValue:)) ?? .large, family: family,
                    disclosure: disclosure, events: [], droppedFrom: dropped))
        }
        var recorded = Array(repeating: [RightEvent](), count: rights.count)
        for row in try await connection.query(
            """
            SELECT right_id, kind, event_date, year, reference FROM right_events
            WHERE office_id = \(office) ORDER BY right_id, event_date, id
            """)
        {
            let (right, kind, date, year, reference) = try row.decode(
                ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self)
            if let position = index[right] {
                recorded[position].append(RightEvent(kind, on: date, year: year, reference: reference))
            }
        }
        for position in rights.indices {
            rights[position].events = RightEvent.engineInput(
                filingDate: stored[position].filing, priorityClaims: stored[position].claims,
                recorded: recorded[position])
        }
        return rights
    }
}
