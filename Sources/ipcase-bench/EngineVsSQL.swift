import ArgumentParser
import IPCase
import PostgresClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ipcase-bench engine-sql`: the deadline engine next to the same annuities generated in SQL.
struct EngineVsSQLBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-sql",
        abstract: "The engine (1M rights, KZ/EP/US, one core) next to EP renewal schedules generated set-based in SQL.",
        discussion: """
            The SQL side is what trigger-based docketing systems do: for each EP direct filing,
            generate_series(3, 20) renewal years, due at the end of the month of the (year − 1)th
            anniversary (interval arithmetic), grace to the end of the sixth month after. It does
            not roll past closed days (the engine does), so dates are compared on the nominal due
            date. The server runs the query on one core (parallel workers off), the engine on one
            thread; both rates are rights per second.

              swift build -c release --product ipcase-bench
              .build/release/ipcase-bench engine-sql --rights 1000000 --sql-rights 200000
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Rights per engine round (mixed KZ/EP/US).")
    var rights = 1_000_000

    @Option(help: "EP rights per SQL round (SQL is slow: keep it smaller; the rate is per right).")
    var sqlRights = 200_000

    @Option(help: "Seed of the generated portfolio.")
    var seed: UInt64 = 42

    func run() async throws {
        let engine = DeadlineEngine()
        let portfolio = Portfolio(size: 4096, seed: seed)
        try portfolio.verify(engine: engine)
        var report = Report(title: "Engine vs SQL")
        report.context.append(
            "engine: \(rights) rights/round, one thread, CPU time; SQL: \(sqlRights) EP rights/round, PostgreSQL, wall time, max_parallel_workers_per_gather = 0"
        )

        // The engine, mixed and EP direct filings only.
        let mixed = portfolio.indices(for: .all)
        let direct = portfolio.rights.indices.filter {
            portfolio.rights[$0].mix == .europeanPatents && portfolio.rights[$0].events.contains { $0.kind == .filed }
        }
        let mixedRate = try await rounds(harness) { round in
            let result = Self.measure(engine: engine, portfolio: portfolio, indices: mixed, rights: round < 0 ? 100_000 : rights)
            try verify(result.deadlines == Self.expected(portfolio, mixed, result.rights), "engine deadline count")
            return Double(result.rights) / result.cpuSeconds
        }
        report.figures.append(
            Figure(
                name: "engine, mixed KZ/EP/US", unit: "rights/s", samples: mixedRate, goal: .atLeast(1_000_000),
                note: "full schedules (priority, publication/PCT entry, annuities with grace and rolling, term), counts verified"))
        let engineEP = try await rounds(harness) { round in
            let result = Self.measure(engine: engine, portfolio: portfolio, indices: direct, rights: round < 0 ? 100_000 : rights)
            try verify(result.deadlines == Self.expected(portfolio, direct, result.rights), "engine EP deadline count")
            return Double(result.rights) / result.cpuSeconds
        }
        report.figures.append(
            Figure(name: "engine, EP direct filings", unit: "rights/s", samples: engineEP, goal: nil,
                   note: "21 deadlines per right (priority, publication, renewal years 3–20, term), rolled past closed days"))

        // The SQL side.
        try await BenchDatabase.with(harness, migrated: false) { database in
            try await sqlSide(database.connection, engine: engine, portfolio: portfolio, direct: direct,
                              engineEP: engineEP, report: &report)
        }
        try report.emit(harness)
    }

    func sqlSide(
        _ connection: PostgresConnection, engine: DeadlineEngine, portfolio: Portfolio, direct: [Int],
        engineEP: [Double], report: inout Report
    ) async throws {
        try await connection.executeScript(
            """
            SET max_parallel_workers_per_gather = 0;
            CREATE UNLOGGED TABLE bench_ep_rights (id bigint PRIMARY KEY, filed date NOT NULL);
            """)
        let filings = direct.map { portfolio.rights[$0].events.first { $0.kind == .filed }!.date }
        let loaded = try await connection.copyFrom(
            "COPY bench_ep_rights (id, filed) FROM STDIN",
            rows: (0..<sqlRights).lazy.map { index -> [any PostgresEncodable] in
                [index, filings[index % filings.count].description]
            })
        try verify(loaded == sqlRights, "loaded \(loaded) EP rights, expected \(sqlRights)")
        try await connection.executeScript("ANALYZE bench_ep_rights")
        let schedule = """
            SELECT r.id, y AS year,
                   (date_trunc('month', r.filed + make_interval(years => y - 1))
                        + interval '1 month' - interval '1 day')::date AS nominal,
                   (date_trunc('month', r.filed + make_interval(years => y - 1))
                        + interval '7 months' - interval '1 day')::date AS final
            FROM bench_ep_rights r, generate_series(3, 20) AS y
            """
        let sqlRate = try await rounds(harness) { _ in
            var row: PostgresRow?
            let elapsed = try await seconds {
                row = try await connection.query(
                    PostgresQuery(
                        unsafeSQL:
                            "SELECT count(*), max(id) - min(id) + 1, sum(final - nominal) FROM (\(schedule)) s"
                    )).first
            }
            let (count, distinct, _) = try row!.decode(Int.self, Int.self, Int.self)
            try verify(count == sqlRights * 18, "SQL produced \(count) annuities, expected \(sqlRights * 18)")
            try verify(distinct == sqlRights, "SQL covered \(distinct) right keys, expected \(sqlRights)")
            return Double(sqlRights) / elapsed
        }
        report.figures.append(
            Figure(name: "SQL generate_series, EP renewals", unit: "rights/s", samples: sqlRate, goal: nil,
                   note: "18 annuities per right (years 3–20, end of month + 6-month grace), no holiday rolling"))
        // Ratios per round pair (medians of each side drive the headline ratio).
        let ratios = zip(engineEP.sorted(), sqlRate.sorted()).map { $0 / $1 }
        report.figures.append(
            Figure(name: "engine ÷ SQL (EP)", unit: "×", samples: ratios, goal: .atLeast(20),
                   note: "engine EP rate ÷ SQL rate, sorted rounds paired; the engine also computes 3 more deadlines per right and rolls dates"))

        // No duplicates in the SQL set, and the nominal dates agree with the engine's.
        let duplicates = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) FROM (SELECT id, year FROM (\(schedule)) s GROUP BY id, year HAVING count(*) > 1) d")
        )[0].decode(Int.self, at: 0)
        try verify(duplicates == 0, "SQL produced \(duplicates) duplicate (right, year) pairs")
        let sample = Swift.min(filings.count, sqlRights, 500)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT id, year, nominal::text, final::text FROM (\(schedule)) s WHERE id < \(sample)"))
        var sqlDates: [Int: [Int: (String, String)]] = [:]
        for row in rows {
            let (id, year, nominal, final) = try row.decode(Int.self, Int.self, String.self, String.self)
            sqlDates[id, default: [:]][year] = (nominal, final)
        }
        var compared = 0
        var finalsEqual = 0
        for index in 0..<sample {
            let right = portfolio.rights[direct[index % direct.count]]
            let schedule = engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events)
            for deadline in schedule {
                guard let year = deadline.year, year.halfYears % 2 == 0 else { continue }
                let number = Int(year.halfYears / 2)
                guard let (nominal, final) = sqlDates[index]?[number] else {
                    throw VerificationFailure("SQL has no year \(number) for right \(index)")
                }
                try verify(
                    nominal == deadline.nominal.description,
                    "right \(index) year \(number): SQL nominal \(nominal), engine \(deadline.nominal)")
                if final == deadline.final?.description { finalsEqual += 1 }
                compared += 1
            }
        }
        try verify(compared == sample * 18, "compared \(compared) annuities, expected \(sample * 18)")
        report.details.append(
            "verified: counts (engine vs rules, SQL = 18 × rights, one row per right and year, no duplicates);"
                + " \(compared) nominal dates of \(sample) rights equal between SQL and engine;"
                + " \(finalsEqual)/\(compared) grace-period ends equal (the engine rolls them past closed days, SQL does not)")
    }

    struct Result {
        var deadlines: Int
        var rights: Int
        var cpuSeconds: Double
    }

    /// Deadlines the rules must produce for the first `rights` rights cycling through `indices`.
    static func expected(_ portfolio: Portfolio, _ indices: [Int], _ rights: Int) -> Int {
        let perCycle = indices.reduce(0) { $0 + portfolio.rights[$1].expectedCount }
        let remainder = indices.prefix(rights % indices.count).reduce(0) { $0 + portfolio.rights[$1].expectedCount }
        return perCycle * (rights / indices.count) + remainder
    }

    /// Computes `rights` schedules cycling through `indices` into a reused buffer.
    static func measure(engine: DeadlineEngine, portfolio: Portfolio, indices: [Int], rights: Int) -> Result {
        var buffer: [Deadline] = []
        buffer.reserveCapacity(64)
        var deadlines = 0
        var position = 0
        let start = EngineBench.threadCPUTime()
        for _ in 0..<rights {
            let right = portfolio.rights[indices[position]]
            position += 1
            if position == indices.count { position = 0 }
            buffer.removeAll(keepingCapacity: true)
            deadlines += engine.deadlines(
                jurisdiction: right.jurisdiction, kind: right.kind, events: right.events, into: &buffer)
        }
        return Result(deadlines: deadlines, rights: rights, cpuSeconds: EngineBench.threadCPUTime() - start)
    }
}
