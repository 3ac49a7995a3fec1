import IPCase
import PostgresClient

extension FinancingRound.Instrument: PostgresTextEnum {}
extension Exit.Kind: PostgresTextEnum {}

extension OfficeSession {
    /// Records a start-up with its founders and the office's equity and returns it with its
    /// key; refused, naming the field, when its figures are wrong, its company is not an
    /// organization of the office, or the company is a start-up already.
    public func createStartup(_ startup: Startup) async throws -> Startup {
        let company = try await party(startup.party).value
        let record = "start-up '\(company.name)'"
        if let problem = startup.problems.first {
            throw StoreError.invalid(record: record, reason: "field \(problem.field): \(problem.reason)")
        }
        guard company.kind == .organization else {
            throw StoreError.invalid(record: record, reason: "field party: \(company.name) is a person, not a company")
        }
        for founder in startup.founders { _ = try await party(founder) }
        if let agreement = startup.agreement { _ = try await self.agreement(agreement) }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO startups (office_id, party_id, founded_on, region, shares_at_founding, office_shares,
                                      vesting, agreement_id)
                VALUES (\(office), \(startup.party), \(startup.foundedOn), \(startup.region),
                        \(startup.sharesAtFounding), \(startup.officeShares), \(startup.vesting), \(startup.agreement))
                RETURNING id
                """)
            let id = try rows[0].decode(ID<Startup>.self, at: 0)
            _ = try await connection.execute(
                """
                INSERT INTO startup_founders (office_id, startup_id, party_id)
                SELECT DISTINCT \(office), \(id), p FROM unnest(\(startup.founders)::bigint[]) AS p
                """)
            var created = startup
            created.id = id
            created.rounds = []
            created.residencies = []
            created.exit = nil
            return created
        }
    }

    /// The office's start-ups by founding date, each with its founders, rounds (in the order
    /// closed), residencies and exit.
    public func startups() async throws -> [Startup] {
        try await startups(id: nil)
    }

    /// The start-up with key `id`.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func startup(_ id: ID<Startup>) async throws -> Startup {
        guard let found = try await startups(id: id).first else {
            throw StoreError.notFound(record: "start-up \(id.rawValue)")
        }
        return found
    }

    /// Records a financing round of `startup` and returns it with its key; refused, naming the
    /// field, for a bad amount, valuation or share count, a day before the founding, or an
    /// investor not of the office.
    public func addRound(_ round: FinancingRound, to startup: ID<Startup>) async throws -> FinancingRound {
        let stored = try await self.startup(startup)
        let record = "financing round of start-up \(startup.rawValue) on \(round.closedOn)"
        if let problem = round.problems.first {
            throw StoreError.invalid(record: record, reason: "field \(problem.field): \(problem.reason)")
        }
        if round.closedOn < stored.foundedOn {
            throw StoreError.invalid(
                record: record, reason: "field date: \(round.closedOn) is before the founding on \(stored.foundedOn)")
        }
        if let exit = stored.exit, round.closedOn > exit.on {
            throw StoreError.invalid(record: record, reason: "field date: \(round.closedOn) is after its \(exit.kind.rawValue) on \(exit.on)")
        }
        for investor in round.investors { _ = try await party(investor) }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO financing_rounds (office_id, startup_id, closed_on, instrument, amount_minor, currency,
                                              pre_money_minor, new_shares)
                VALUES (\(office), \(startup), \(round.closedOn), \(round.instrument), \(round.amount.minorUnits),
                        \(round.amount.currency), \(round.preMoney?.minorUnits), \(round.newShares))
                RETURNING id
                """)
            let id = try rows[0].decode(Int64.self, at: 0)
            _ = try await connection.execute(
                """
                INSERT INTO round_investors (office_id, round_id, party_id)
                SELECT DISTINCT \(office), \(id), p FROM unnest(\(round.investors)::bigint[]) AS p
                """)
            var created = round
            created.id = id
            return created
        }
    }

    /// Records a technopark residency of `startup`; refused, naming the field, when it ends
    /// before it starts or starts before the founding.
    public func addResidency(_ residency: Residency, to startup: ID<Startup>) async throws -> Residency {
        let stored = try await self.startup(startup)
        let record = "residency of start-up \(startup.rawValue) in \(residency.technopark)"
        if residency.technopark.allSatisfy(\.isWhitespace) {
            throw StoreError.invalid(record: record, reason: "field technopark: the technopark is required")
        }
        if let to = residency.to, to < residency.from {
            throw StoreError.invalid(record: record, reason: "field to: \(to) is before the first day \(residency.from)")
        }
        if residency.from < stored.foundedOn {
            throw StoreError.invalid(
                record: record, reason: "field from: \(residency.from) is before the founding on \(stored.foundedOn)")
        }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO technopark_residencies (office_id, startup_id, technopark, from_on, to_on, regime)
                VALUES (\(office), \(startup), \(residency.technopark), \(residency.from), \(residency.to),
                        \(residency.regime))
                RETURNING id
                """)
            var created = residency
            created.id = try rows[0].decode(Int64.self, at: 0)
            return created
        }
    }

    /// Records how `startup` ended; refused, naming the field, when it has ended already, the
    /// day is before its founding or its last round, or an acquirer is not of the office.
    public func recordExit(_ exit: Exit, of startup: ID<Startup>) async throws -> Startup {
        let stored = try await self.startup(startup)
        let record = "exit of start-up \(startup.rawValue)"
        if let earlier = stored.exit {
            throw StoreError.invalid(
                record: record, reason: "field kind: it ended already (\(earlier.kind.rawValue) on \(earlier.on))")
        }
        if let last = stored.rounds.map(\.closedOn).max(), exit.on < last {
            throw StoreError.invalid(record: record, reason: "field date: \(exit.on) is before its last round on \(last)")
        }
        if exit.on < stored.foundedOn {
            throw StoreError.invalid(record: record, reason: "field date: \(exit.on) is before the founding on \(stored.foundedOn)")
        }
        if let acquirer = exit.acquirer { _ = try await party(acquirer) }
        _ = try await naming(record) {
            try await connection.execute(
                """
                UPDATE startups SET exit_kind = \(exit.kind), exit_on = \(exit.on), exit_acquirer_id = \(exit.acquirer),
                       version = version + 1
                WHERE office_id = \(office) AND id = \(startup)
                """)
        }
        return try await self.startup(startup)
    }

    private func startups(id: ID<Startup>?) async throws -> [Startup] {
        var startups = try await connection.query(
            """
            SELECT s.id, s.party_id, s.founded_on, s.region, s.shares_at_founding, s.office_shares, s.vesting,
                   s.agreement_id, s.exit_kind, s.exit_on, s.exit_acquirer_id,
                   coalesce((SELECT array_agg(f.party_id ORDER BY f.party_id) FROM startup_founders f
                             WHERE f.office_id = s.office_id AND f.startup_id = s.id), '{}')
            FROM startups s
            WHERE s.office_id = \(office) AND (\(id)::bigint IS NULL OR s.id = \(id))
            ORDER BY s.founded_on, s.id
            """
        ).map { row in
            let (key, party, founded, region, shares, officeShares, vesting, agreement) = try row.decode(
                ID<Startup>.self, ID<Party>.self, CivilDate.self, Region?.self, Int64.self, Int64.self, String?.self,
                ID<Agreement>?.self)
            let (exitKind, exitOn, acquirer, founders) = try row.decode(
                Exit.Kind?.self, CivilDate?.self, ID<Party>?.self, [ID<Party>].self, startingAt: 8)
            return Startup(
                id: key, office: office, party: party, foundedOn: founded, region: region, founders: founders,
                sharesAtFounding: shares, officeShares: officeShares, vesting: vesting, agreement: agreement,
                exit: zip(exitKind, exitOn).map { Exit(kind: $0, on: $1, acquirer: acquirer) })
        }
        guard !startups.isEmpty else { return [] }
        let keys = startups.map(\.id)
        var rounds: [ID<Startup>: [FinancingRound]] = [:]
        for row in try await connection.query(
            """
            SELECT r.startup_id, r.id, r.closed_on, r.instrument, r.amount_minor, r.currency, r.pre_money_minor,
                   r.new_shares,
                   coalesce((SELECT array_agg(i.party_id ORDER BY i.party_id) FROM round_investors i
                             WHERE i.office_id = r.office_id AND i.round_id = r.id), '{}')
            FROM financing_rounds r
            WHERE r.office_id = \(office) AND r.startup_id = ANY(\(keys)::bigint[])
            ORDER BY r.closed_on, r.id
            """)
        {
            let (startup, id, closed, instrument, amount, currency, preMoney, newShares) = try row.decode(
                ID<Startup>.self, Int64.self, CivilDate.self, FinancingRound.Instrument.self, Int64.self,
                Currency.self, Int64?.self, Int64?.self)
            rounds[startup, default: []].append(
                FinancingRound(
                    id: id, closedOn: closed, instrument: instrument, amount: Money(minorUnits: amount, currency),
                    preMoney: preMoney.map { Money(minorUnits: $0, currency) }, newShares: newShares,
                    investors: try row.decode([ID<Party>].self, at: 8)))
        }
        var residencies: [ID<Startup>: [Residency]] = [:]
        for row in try await connection.query(
            """
            SELECT startup_id, id, technopark, from_on, to_on, regime FROM technopark_residencies
            WHERE office_id = \(office) AND startup_id = ANY(\(keys)::bigint[])
            ORDER BY from_on, id
            """)
        {
            let (startup, id, technopark, from, to, regime) = try row.decode(
                ID<Startup>.self, Int64.self, String.self, CivilDate.self, CivilDate?.self, String?.self)
            residencies[startup, default: []].append(
                Residency(id: id, technopark: technopark, from: from, to: to, regime: regime))
        }
        for index in startups.indices {
            startups[index].rounds = rounds[startups[index].id] ?? []
            startups[index].residencies = residencies[startups[index].id] ?? []
        }
        return startups
    }
}

/// Both values, or `nil`.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
