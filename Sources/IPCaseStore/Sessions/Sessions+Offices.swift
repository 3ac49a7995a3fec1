import IPCase
import PostgresClient

/// Who is told when an office's deadline passes without completion.
public struct Supervisor: Sendable, Hashable {
    /// The supervisor's name.
    public var name: String
    /// Where escalations are sent.
    public var email: String

    /// Creates a supervisor contact.
    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

extension ServiceSession {
    /// Creates an office (a new tenant) and returns it with its key. Provisioning: only the
    /// owner role may insert offices; per-office roles cannot create tenants.
    /// - Parameters:
    ///   - office: The office (its key is ignored).
    ///   - supervisor: Who receives escalations, if anyone.
    ///   - language: The language of its notices: `en`, `kk` or `ru` (Schema/0118).
    public func createOffice(_ office: Office, supervisor: Supervisor? = nil, language: String = "en") async throws
        -> Office
    {
        try await naming("office '\(office.name)'") {
            let rows = try await connection.query(
                """
                INSERT INTO offices (name, region, kind, time_zone, calendar, supervisor_name, supervisor_email, language)
                VALUES (\(office.name), \(office.region), \(office.kind), \(office.timeZoneIdentifier),
                        \(office.calendarJurisdiction), \(supervisor?.name), \(supervisor?.email), \(language))
                RETURNING office_id
                """)
            var created = office
            created.id = try rows[0].decode(ID<Office>.self, at: 0)
            return created
        }
    }
}

extension OfficeSession {
    /// How many records of each kind the office holds: parties, disclosures, rights, deals,
    /// agreements and payments, in that order.
    public func recordCounts() async throws -> [(kind: String, count: Int)] {
        let row = try await connection.query(
            """
            SELECT (SELECT count(*)::int FROM parties WHERE office_id = \(office)),
                   (SELECT count(*)::int FROM disclosures WHERE office_id = \(office)),
                   (SELECT count(*)::int FROM rights WHERE office_id = \(office)),
                   (SELECT count(*)::int FROM deals WHERE office_id = \(office)),
                   (SELECT count(*)::int FROM agreements WHERE office_id = \(office)),
                   (SELECT count(*)::int FROM payments WHERE office_id = \(office))
            """)[0]
        let counts = try row.decode(Int.self, Int.self, Int.self, Int.self, Int.self, Int.self)
        return [
            ("parties", counts.0), ("disclosures", counts.1), ("rights", counts.2), ("deals", counts.3),
            ("agreements", counts.4), ("payments", counts.5),
        ]
    }

    /// The session's office.
    public func currentOffice() async throws -> Versioned<Office> {
        let rows = try await connection.query(
            """
            SELECT office_id, name, region, kind, time_zone, calendar, version
            FROM offices WHERE office_id = \(office)
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "office \(office)") }
        let (id, name, region, kind, timeZone, calendar, version) = try row.decode(
            ID<Office>.self, String.self, Region.self, Office.Kind.self, String.self, Jurisdiction.self, Int.self)
        return Versioned(
            Office(
                id: id, name: name, region: region, kind: kind, timeZoneIdentifier: timeZone,
                calendarJurisdiction: calendar),
            version: version)
    }

    /// Saves changes to the session's office if nobody changed it since `office.version`.
    @discardableResult
    public func updateOffice(_ office: Versioned<Office>) async throws -> Versioned<Office> {
        let value = office.value
        guard value.id == self.office else { throw StoreError.notFound(record: "office \(value.id)") }
        let rows = try await naming("office \(value.id)") {
            try await connection.query(
                """
                UPDATE offices SET name = \(value.name), region = \(value.region), kind = \(value.kind),
                       time_zone = \(value.timeZoneIdentifier), calendar = \(value.calendarJurisdiction)
                WHERE office_id = \(value.id) AND version = \(office.version)
                RETURNING version
                """)
        }
        return Versioned(
            value,
            version: try await checkedVersion(
                rows, table: "offices", id: value.id.rawValue,
                record: "office \(value.id)", expected: office.version))
    }

    /// The office's supervisor, who receives escalations.
    public func supervisor() async throws -> Supervisor? {
        let rows = try await connection.query(
            "SELECT supervisor_name, supervisor_email FROM offices WHERE office_id = \(office)")
        guard let row = rows.first else { throw StoreError.notFound(record: "office \(office)") }
        let (name, email) = try row.decode(String?.self, String?.self)
        guard let email else { return nil }
        return Supervisor(name: name ?? "", email: email)
    }

    /// The language of the office's notices: `en`, `kk` or `ru` (Schema/0118).
    public func language() async throws -> String {
        let rows = try await connection.query("SELECT language FROM offices WHERE office_id = \(office)")
        guard let row = rows.first else { throw StoreError.notFound(record: "office \(office)") }
        return try row.decode(String.self, at: 0)
    }

    /// Sets the language of the office's notices: `en`, `kk` or `ru`.
    public func setLanguage(_ language: String) async throws {
        _ = try await naming("office \(office)") {
            try await connection.execute(
                "UPDATE offices SET language = \(language) WHERE office_id = \(office)")
        }
    }

    /// Sets or clears the office's supervisor.
    public func setSupervisor(_ supervisor: Supervisor?) async throws {
        _ = try await connection.execute(
            """
            UPDATE offices SET supervisor_name = \(supervisor?.name), supervisor_email = \(supervisor?.email)
            WHERE office_id = \(office)
            """)
    }

    /// The new version from an optimistic `UPDATE … WHERE version = $n RETURNING version`, or a
    /// ``StoreError/conflict(record:expectedVersion:currentVersion:)`` naming the version found.
    func checkedVersion(
        _ rows: [PostgresRow], table: String, id: Int64, record: String, expected: Int
    ) async throws -> Int {
        if let row = rows.first { return try row.decode(Int.self, at: 0) }
        let key = table == "offices" ? "office_id" : "id"
        let current = try await connection.query(
            "SELECT version FROM \(identifier: table) WHERE office_id = \(office) AND \(identifier: key) = \(id)")
        throw StoreError.conflict(
            record: record, expectedVersion: expected, currentVersion: try current.first?.decode(Int.self, at: 0))
    }
}

extension OfficeSession {
    /// Creates a party and returns it with its key.
    public func createParty(_ party: Party) async throws -> Party {
        try await naming("party '\(party.name)'") {
            let rows = try await connection.query(
                """
                INSERT INTO parties (office_id, kind, name, sector, region, country, roles, email, phone,
                                     gender, career_stage, demographics_consented_on, employees)
                VALUES (\(office), \(party.kind), \(party.name), \(party.sector), \(party.region),
                        \(party.country), \(party.roles), \(party.email), \(party.phone),
                        \(party.demographics?.gender), \(party.demographics?.careerStage),
                        \(party.demographics?.consentedOn), \(party.employees))
                RETURNING id
                """)
            var created = party
            created.id = try rows[0].decode(ID<Party>.self, at: 0)
            return created
        }
    }

    /// The party with key `id`.
    public func party(_ id: ID<Party>) async throws -> Versioned<Party> {
        let rows = try await connection.query(
            "\(unescaped: Self.partyColumns) WHERE office_id = \(office) AND id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "party \(id)") }
        return try Self.decodeParty(row)
    }

    /// The office's parties, by name.
    public func parties() async throws -> [Versioned<Party>] {
        try await connection.query("\(unescaped: Self.partyColumns) WHERE office_id = \(office) ORDER BY name, id")
            .map(Self.decodeParty)
    }

    /// The office's parties whose name contains `text` (in any case), by name; every party when
    /// `text` is `nil` or empty.
    public func parties(matching text: String?) async throws -> [Versioned<Party>] {
        guard let text, !text.isEmpty else { return try await parties() }
        return try await connection.query(
            """
            \(unescaped: Self.partyColumns) WHERE office_id = \(office) AND strpos(lower(name), lower(\(text))) > 0
            ORDER BY name, id
            """
        ).map(Self.decodeParty)
    }

    /// The parties with the keys given (those of the office), by name: one query for the names of
    /// a record's counterparties.
    public func parties(_ ids: [ID<Party>]) async throws -> [Versioned<Party>] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query(
            "\(unescaped: Self.partyColumns) WHERE office_id = \(office) AND id = ANY(\(ids)::bigint[]) ORDER BY name, id"
        ).map(Self.decodeParty)
    }

    /// Saves changes to a party if nobody changed it since it was read.
    @discardableResult
    public func updateParty(_ party: Versioned<Party>) async throws -> Versioned<Party> {
        let value = party.value
        let record = "party \(value.id) '\(value.name)'"
        let rows = try await naming(record) {
            try await connection.query(
                """
                UPDATE parties SET kind = \(value.kind), name = \(value.name), sector = \(value.sector),
                       region = \(value.region), country = \(value.country), roles = \(value.roles),
                       email = \(value.email), phone = \(value.phone),
                       gender = \(value.demographics?.gender), career_stage = \(value.demographics?.careerStage),
                       demographics_consented_on = \(value.demographics?.consentedOn), employees = \(value.employees)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(party.version)
                RETURNING version
                """)
        }
        return Versioned(
            value,
            version: try await checkedVersion(
                rows, table: "parties", id: value.id.rawValue,
                record: record, expected: party.version))
    }

    static let partyColumns =
        """
        SELECT id, kind, name, sector, region, country, roles, version, email, phone, gender, career_stage,
               demographics_consented_on, employees
        FROM parties
        """

    static func decodeParty(_ row: PostgresRow) throws -> Versioned<Party> {
        let (id, kind, name, sector, region, country, roles, version, email, phone) = try row.decode(
            ID<Party>.self, Party.Kind.self, String.self, Party.Sector.self, Region?.self, Country?.self,
            [Party.Role].self, Int.self, String?.self, String?.self)
        let (gender, careerStage, consentedOn) = try row.decode(
            Party.Gender?.self, Party.CareerStage?.self, CivilDate?.self, startingAt: 10)
        return Versioned(
            Party(
                id: id, kind: kind, name: name, roles: roles, sector: sector, region: region,
                country: country ?? .kazakhstan, email: email, phone: phone,
                demographics: consentedOn.map {
                    Party.Demographics(consentedOn: $0, gender: gender, careerStage: careerStage)
                }, employees: try row.decode(Int?.self, at: 13)),
            version: version)
    }
}
