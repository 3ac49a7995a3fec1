import ArgumentParser
import Foundation
import IPCase
import IPCaseStore
import PostgresClient

/// `ipcase-bench budget`: the ten-year fee forecast of one large office, end to end.
struct BudgetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Forecast N rights' official fees for 10 years: read, engine and pricing, against the engine alone.",
        discussion: """
            One office holds --rights rights filed 2012–2025: 40 % EP, 20 % US (granted, small
            entities), 20 % KZ (granted), 20 % EA (not priced: no EA fees in the data). The
            forecast runs as `ipcase budget forecast --years 10 --by jurisdiction` does: the
            office session reads the live rights and their events (OfficeSession.forecastRights),
            then BudgetForecast computes every deadline, prices each fee deadline in the years
            and converts it at a rate table. Printed: the whole forecast, the read, the compute,
            and the floor: the engine alone over the same inputs (what pricing and summing add).

            The bench's own server is switched to PostgreSQL's durable defaults before
            measuring; the settings in force are printed beside the figures.

              swift run -c release ipcase-bench budget                   # 100 000 rights
              swift run -c release ipcase-bench budget --rights 10000 --rounds 1
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Rights in the office.")
    var rights = 100_000

    static let from = try! CivilDate(iso: "2027-01-01")

    func run() async throws {
        var report = Report(title: "Budget forecast, 10 years")
        var whole: [Double] = []
        var read: [Double] = []
        var compute: [Double] = []
        var floor: [Double] = []
        var settings = ""
        var summary = ""
        let rates = try ExchangeRates([
            ExchangeRate(currency: .eur, date: CivilDate(iso: "2026-12-01"), kzt: "600", source: "bench"),
            ExchangeRate(currency: .usd, date: CivilDate(iso: "2026-12-01"), kzt: "500", source: "bench"),
        ])
        for round in 0..<(harness.warmup + harness.rounds) {
            try await BenchDatabase.with(harness, migrated: true) { database in
                if harness.databaseURL == nil { try await database.useDurableSettings() }
                settings = try await database.durabilitySettings()
                try await seed(database.connection)
                let store = Store(connection: database.connection)
                var loaded: [ForecastRight] = []
                var forecast: BudgetForecast?
                let readTime = try await seconds {
                    loaded = try await store.withOffice(1, actor: "bench") { try await $0.forecastRights() }
                }
                let computeTime = try await seconds {
                    forecast = try BudgetForecast(rights: loaded, from: Self.from, years: 10, by: .jurisdiction, rates: rates)
                }
                let engine = DeadlineEngine()
                var buffer: [Deadline] = []
                var deadlines = 0
                let floorTime = await seconds {
                    for right in loaded {
                        buffer.removeAll(keepingCapacity: true)
                        deadlines += engine.deadlines(
                            jurisdiction: right.jurisdiction, kind: right.kind, events: right.events, into: &buffer)
                    }
                }
                let result = forecast!
                try verify(loaded.count == rights, "read \(loaded.count) rights, expected \(rights)")
                try verify(result.feeCount > rights, "only \(result.feeCount) fees priced")
                try verify(!result.unpriced.isEmpty, "the EA fees should be listed as not priced")
                summary =
                    "\(result.feeCount) fees priced (\(result.total.total)), \(result.unpriced.count) not priced, "
                    + "\(deadlines) deadlines computed"
                guard round >= harness.warmup else { return }
                read.append(readTime)
                compute.append(computeTime)
                whole.append(readTime + computeTime)
                floor.append(floorTime)
            }
        }
        report.context.append("\(rights) rights in one office, 10 years from \(Self.from); server: \(settings)")
        report.figures.append(Figure(name: "whole forecast", unit: "s", samples: whole, goal: .atMost(2)))
        report.figures.append(Figure(name: "read rights and events", unit: "s", samples: read))
        report.figures.append(Figure(name: "engine, pricing and sums", unit: "s", samples: compute))
        report.figures.append(
            Figure(name: "floor: the engine alone", unit: "s", samples: floor, note: "same inputs, no pricing"))
        report.details.append(summary)
        try report.emit(harness)
    }

    /// Office 1 with `rights` rights and their grant events.
    func seed(_ connection: PostgresConnection) async throws {
        progress("budget: generating \(rights) rights")
        try await connection.executeScript(
            """
            SET session_replication_role = replica;
            INSERT INTO offices (office_id, name, region, kind) VALUES (1, 'Office 1', 'Almaty', 'university');
            """)
        _ = try await connection.execute(
            """
            INSERT INTO rights (office_id, id, reference, jurisdiction, kind, state, filing_date, application_number,
                                entity_size, grant_date, registration_number)
            SELECT 1, n, 'R-' || n, (ARRAY['EP', 'EP', 'US', 'KZ', 'EA'])[n % 5 + 1], 'patent',
                   CASE WHEN n % 5 IN (2, 3) THEN 'granted' ELSE 'filed' END,
                   DATE '2012-01-01' + (n * 37 % 5100)::integer, 'A-' || n,
                   CASE WHEN n % 5 = 2 THEN 'small' END,
                   CASE WHEN n % 5 IN (2, 3) THEN DATE '2012-01-01' + (n * 37 % 5100)::integer + 700 END,
                   CASE WHEN n % 5 IN (2, 3) THEN 'G-' || n END
            FROM generate_series(1, \(rights)) AS n
            """)
        _ = try await connection.execute(
            """
            INSERT INTO right_events (office_id, right_id, kind, event_date, reference, recorded_by)
            SELECT 1, n, 'granted', DATE '2012-01-01' + (n * 37 % 5100)::integer + 700, 'G-' || n, 'bench'
            FROM generate_series(1, \(rights)) AS n WHERE n % 5 IN (2, 3)
            """)
        try await connection.executeScript("SET session_replication_role = origin")
        try await connection.executeScript("VACUUM ANALYZE offices, rights, right_events")
    }
}
