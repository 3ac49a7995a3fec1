import ArgumentParser
import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import PostgresServer
import ServiceLifecycle

/// `ipcase-bench daemon`: end-to-end processing of recorded events into deadlines, and the
/// wake-up latency of an idle daemon.
struct DaemonBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract:
            "Process recorded events into deadlines with the daemon's workers; print events/s and wake-up latency.",
        discussion: """
            Loads --events events (five per right: filed, published, office action, annuity paid,
            response filed; one deadline job per right, as recording them queues it: the store
            coalesces a right's recomputations) into a throwaway
            PostgreSQL (or a new database on --database-url's server), runs --workers job workers
            in process until the queue is empty, verifies that every job is done and that the
            stored deadlines are exactly those the engine computes (none duplicated), and prints
            events and deadlines per second. Then the floor: the SQL statements the daemon sends for
            one representative batch are recorded and replayed by pgbench (--floor-clients clients,
            each transaction on the next batch's rows) on an identically seeded database; it prints
            the floor's events/s and the daemon's ratio to it (goal: 0.5 or more). Then, with the
            workers and the LISTEN/NOTIFY listener idle, records --samples single events and
            measures event committed → deadlines visible.

            --scaling runs the throughput at 1×, 10× and 100× --events (default 2 000: 2k, 20k,
            200k events; a few minutes) and prints how events/s changes with the data.

              swift run -c release ipcase-bench daemon --events 50000 --workers 2
              swift run -c release ipcase-bench daemon --scaling --events 2000

            With --latency-only, nothing is loaded and only the wake-up latency is measured (quick).

              swift run -c release ipcase-bench daemon --latency-only --samples 500
            """
    )

    @Option(help: "Events to process (a multiple of 5: five per right).")
    var events = 50_000

    @Option(help: "Job workers.")
    var workers = 2

    @Option(help: "Jobs claimed per batch.")
    var batchSize = 200

    @Option(help: "Wake-up latency samples (0: skip).")
    var samples = 200

    @Flag(help: "Throughput at 1×, 10× and 100× --events (no floor, no latency).")
    var scaling = false

    @Flag(help: "Measure only the wake-up latency (no load, no throughput run).")
    var latencyOnly = false

    @Option(help: "pgbench clients replaying the daemon's statements for the floor (0: skip the floor).")
    var floorClients = 2

    @Option(help: "Also store each deadline's rendered explanation (the daemon does not by default).")
    var explanations = false

    @Option(help: "Keep the audit trail of deadlines (false only to measure its cost: the triggers are disabled).")
    var audit = true

    @Option(
        help: "A server to create the benchmark database on (its user may CREATE DATABASE); default: a throwaway one.")
    var databaseURL: String?

    func run() async throws {
        var logger = Logger(label: "ipcase-bench")
        logger.logLevel = .warning
        let server: ThrowawayPostgres
        if let databaseURL {
            server = ThrowawayPostgres.external(url: databaseURL)
        } else {
            server = try await ThrowawayPostgres.startLocal()
        }
        do {
            print("server: \(try await Self.durable(server: server, external: databaseURL != nil))")
            try await measure(server: server, logger: logger)
        } catch {
            await server.destroy()
            throw error
        }
        await server.destroy()
    }

    func measure(server: ThrowawayPostgres, logger: Logger) async throws {
        guard events >= 5, events % 5 == 0 else { throw ValidationError("--events must be a positive multiple of 5") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
        if latencyOnly {
            let database = try await prepare(server: server, logger: logger)
            try await latency(
                configuration: database.configuration, context: database.context, office: database.office,
                admin: database.admin)
            return
        }
        if scaling {
            var rows: [(events: Int, perSecond: Double)] = []
            for factor in [1, 10, 100] {
                let run = try await throughput(events: events * factor, server: server, logger: logger)
                rows.append((events * factor, run.perSecond))
            }
            print("scaling (\(workers) workers, batch \(batchSize)):")
            for row in rows {
                print(
                    "  \(String(row.events).padding(toLength: 9, withPad: " ", startingAt: 0)) events: "
                        + "\(Int(row.perSecond)) events/s (\(String(format: "%.2f", row.perSecond / rows[0].perSecond))× the rate at 1×)"
                )
            }
            return
        }
        let run = try await throughput(events: events, server: server, logger: logger)
        if floorClients > 0 {
            let (floor, bare) = try await DaemonFloor(
                events: events, batchSize: batchSize, clients: floorClients, logger: logger
            ).measure(server: server)
            print(
                "replay floor (pgbench, \(floorClients) clients, the daemon's statements of one batch replayed on the next "
                    + "batch's rows each transaction): \(floor.events) events in \(String(format: "%.2f", floor.seconds)) s = "
                    + "\(Int(floor.perSecond)) events/s (verified: \(floor.verification))")
            print(
                "bare-schema floor (pgbench, \(floorClients) clients, the same claim / upsert / complete per batch on "
                    + "minimal tables): \(bare.events) events in \(String(format: "%.2f", bare.seconds)) s = "
                    + "\(Int(bare.perSecond)) events/s (verified: \(bare.verification))")
            print(
                "daemon / replay floor: \(String(format: "%.2f", run.perSecond / floor.perSecond)); "
                    + "daemon / bare floor: \(String(format: "%.2f", run.perSecond / bare.perSecond)) "
                    + "(\(Int(run.perSecond)) / \(Int(floor.perSecond)) / \(Int(bare.perSecond)) events/s; goal ≥ 25 000)")
        }
        if samples > 0 {
            try await latency(
                configuration: run.configuration, context: run.context, office: run.office, admin: run.admin)
        }
    }

    /// Switches the bench's own throwaway server to PostgreSQL's durable defaults (its cluster
    /// starts with fsync, synchronous_commit and full_page_writes off, for the tests), so every
    /// figure is measured as a deployment runs; returns the settings in force, to print.
    static func durable(server: ThrowawayPostgres, external: Bool) async throws -> String {
        let url = try await server.createDatabase(prefix: "benchsettings")
        let database = BenchDatabase(server: server, url: url, connection: try await PostgresConnection.connect(url: url))
        if !external { try await database.useDurableSettings() }
        let settings = try await database.durabilitySettings()
        await database.connection.close()
        return settings
    }

    /// A new migrated database with the bench office, and the daemon's configuration and context for it.
    func prepare(server: ThrowawayPostgres, logger: Logger) async throws -> (
        configuration: DaemonConfiguration, context: DaemonContext, office: ID<Office>, admin: PostgresConnection
    ) {
        let url = try await server.createDatabase(prefix: "bench")
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        if !audit {
            _ = try await admin.execute("ALTER TABLE deadlines DISABLE TRIGGER deadlines_audit_insert")
            _ = try await admin.execute("ALTER TABLE deadlines DISABLE TRIGGER deadlines_audit_update")
        }
        let office = try await Store(connection: admin).withService(actor: "bench") { session in
            try await session.createOffice(Office(id: 0, name: "Bench TTO", region: .astana, kind: .university))
        }.id
        let overrides: [ConfigKey: String] = [
            .databaseURL: url, .workers: String(workers), .batchSize: String(batchSize), .sweepIntervalSeconds: "1",
        ]
        let configuration = try ConfigurationLoader(filePath: nil, environment: [:], overrides: overrides).load()
        let context = DaemonContext(
            configuration: ConfigurationStore(configuration), health: DaemonHealth(), metrics: DaemonMetrics(),
            notifier: SystemdNotifier(environment: [:]), logger: logger)
        return (configuration, context, office, admin)
    }

    /// One throughput run on a new database: seeds, processes with the workers, verifies.
    func throughput(events: Int, server: ThrowawayPostgres, logger: Logger) async throws -> ThroughputRun {
        let (configuration, context, office, admin) = try await prepare(server: server, logger: logger)
        let rights = max(1, events / 5)
        let loadStart = ContinuousClock.now
        try await Self.seed(rights: rights, office: office, on: admin)
        print(
            "ipcase-bench daemon: \(rights * 5) events (\(rights) rights) and jobs loaded in \(format(ContinuousClock.now - loadStart))"
        )

        // Throughput: workers run until nothing is due.
        // As `ipcased run --once` runs them: in a service group that the first idle worker shuts
        // down gracefully (the others finish their batch).
        let doorbell = JobDoorbell()
        doorbell.open()
        let services = (1...workers).map { index in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: JobWorker(
                    name: "bench:\(index)", databaseURL: configuration.databaseURL, context: context,
                    doorbell: doorbell, mode: .untilIdle, explanations: explanations),
                successTerminationBehavior: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: logger))
        let started = ContinuousClock.now
        try await group.run()
        let elapsed = ContinuousClock.now - started
        let (done, notDone) = try await admin.query(
            "SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status <> 'done') FROM jobs"
        )[0].decode(Int.self, Int.self)
        let (stored, distinct) = try await admin.query(
            "SELECT count(*), count(DISTINCT (right_id, rule_id, trigger_key, year)) FROM deadlines"
        )[0].decode(Int.self, Int.self)
        let expected = try await expectedCount(office: office, on: admin)
        guard done == rights, notDone == 0, stored == expected, distinct == stored else {
            throw ValidationError(
                "verification failed: \(done) jobs done, \(notDone) not done, \(stored) deadlines stored "
                    + "(\(distinct) distinct), \(expected) expected")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "throughput: \(workers) workers, batch \(batchSize): \(rights * 5) events (\(done) jobs) in \(format(elapsed)) = "
                + "\(Int(Double(rights * 5) / seconds)) events/s, \(stored) deadlines = \(Int(Double(stored) / seconds)) deadlines/s "
                + "(verified: every job done, deadlines = engine output, no duplicates)")
        return ThroughputRun(
            perSecond: Double(rights * 5) / seconds, configuration: configuration, context: context, office: office,
            admin: admin)
    }

    /// What a throughput run measured, and what the latency run reuses.
    struct ThroughputRun {
        var perSecond: Double
        var configuration: DaemonConfiguration
        var context: DaemonContext
        var office: ID<Office>
        var admin: PostgresConnection
    }

    /// Idle workers and the listener; each sample records one event and waits for its deadlines.
    func latency(
        configuration: DaemonConfiguration, context: DaemonContext, office: ID<Office>, admin: PostgresConnection
    )
        async throws
    {
        let doorbell = JobDoorbell()
        let listener = JobListener(databaseURL: configuration.databaseURL, context: context, doorbell: doorbell)
        var results: [Duration] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            for index in 1...workers {
                let worker = JobWorker(
                    name: "latency:\(index)", databaseURL: configuration.databaseURL, context: context,
                    doorbell: doorbell, mode: .continuous, explanations: explanations)
                group.addTask { try await worker.run() }
            }
            try await doorbell.waitUntilOpen()
            let probe = try await PostgresConnection.connect(url: configuration.databaseURL.secret.revealed())
            for _ in 0..<samples {
                try await Task.sleep(for: .milliseconds(20))  // idle between samples
                let right = try await seedOne(office: office, on: admin)
                let start = ContinuousClock.now  // committed
                // By the key's index (office, right): the probe must not scan the table it waits on.
                while try await probe.query(
                    "SELECT EXISTS (SELECT FROM deadlines WHERE office_id = \(office) AND right_id = \(right))")[0]
                    .decode(Bool.self, at: 0) == false
                {
                    if ContinuousClock.now - start > .seconds(10) { throw ValidationError("no deadlines after 10 s") }
                    try await Task.sleep(for: .microseconds(200))
                }
                results.append(ContinuousClock.now - start)
            }
            group.cancelAll()
        }
        results.sort()
        let p50 = results[results.count / 2]
        let p99 = results[min(results.count - 1, results.count * 99 / 100)]
        print(
            "wake-up latency (event committed → deadlines visible, idle daemon, \(results.count) samples): "
                + "p50 \(format(p50)), p99 \(format(p99)), max \(format(results.last ?? .zero))")
    }

    /// Rights with five events each and one recomputation job per right (as `enqueue` leaves it), in one
    /// transaction.
    static func seed(rights count: Int, office: ID<Office>, on connection: PostgresConnection) async throws {
        let template = try PostgresJSON(
            encoding: WorkflowEffect.recomputeDeadlines(for: .right(ID(rawValue: 987_654_321))))
        _ = try await connection.withTransaction { connection in
            _ = try await connection.execute(
                """
                INSERT INTO rights (office_id, reference, jurisdiction, kind)
                SELECT \(office), 'B-' || g, (ARRAY['KZ','EP','US','WO','EA'])[1 + g % 5],
                       (ARRAY['patent','patent','patent','pct-application','patent'])[1 + g % 5]
                FROM generate_series(1, \(count)) g
                """)
            _ = try await connection.execute(
                """
                INSERT INTO right_events (office_id, right_id, kind, event_date, year)
                SELECT \(office), r.id, e.kind, date '2019-01-01' + ((r.id * 7) % 1500)::int + e.days, e.year
                FROM rights r,
                     (VALUES ('filed', 0, NULL::smallint), ('published', 548, NULL), ('office-action', 700, NULL),
                             ('annuity-paid', 730, 3::smallint), ('response-filed', 760, NULL)) AS e(kind, days, year)
                """)
            _ = try await connection.execute(
                """
                INSERT INTO jobs (office_id, kind, payload, run_at)
                SELECT \(office), 'recompute-deadlines', replace(\(template.text), '987654321', r.id::text)::jsonb,
                       now() - interval '1 minute'
                FROM rights r ORDER BY r.id
                """)
            return 0
        }
        _ = try await connection.execute("ANALYZE")
    }

    /// One right, its filing and a job, committed with a wake-up (as `recordEvent` does).
    func seedOne(office: ID<Office>, on connection: PostgresConnection) async throws -> Int64 {
        let template = try PostgresJSON(
            encoding: WorkflowEffect.recomputeDeadlines(for: .right(ID(rawValue: 987_654_321))))
        return try await connection.withTransaction { connection in
            let right = try await connection.query(
                """
                INSERT INTO rights (office_id, reference, jurisdiction, kind)
                VALUES (\(office), 'L-' || gen_random_uuid(), 'EP', 'patent') RETURNING id
                """)[0].decode(Int64.self, at: 0)
            _ = try await connection.execute(
                """
                INSERT INTO right_events (office_id, right_id, kind, event_date) VALUES (\(office), \(right), 'filed', '2024-03-14')
                """)
            _ = try await connection.execute(
                """
                INSERT INTO jobs (office_id, kind, payload)
                VALUES (\(office), 'recompute-deadlines', replace(\(template.text), '987654321', \(String(right)))::jsonb)
                """)
            _ = try await connection.query("SELECT pg_notify(\(jobsChannel), \(String(office.rawValue)))")
            return right
        }
    }

    /// The number of deadlines the engine gives for every right in the database.
    func expectedCount(office: ID<Office>, on connection: PostgresConnection) async throws -> Int {
        var events: [Int64: [RightEvent]] = [:]
        for row in try await connection.query(
            "SELECT right_id, kind, event_date, year FROM right_events ORDER BY event_date, id")
        {
            let (right, kind, date, year) = try row.decode(Int64.self, RightEventKind.self, CivilDate.self, Int?.self)
            events[right, default: []].append(RightEvent(kind, on: date, year: year))
        }
        let engine = DeadlineEngine()
        var total = 0
        for row in try await connection.query("SELECT id, jurisdiction, kind FROM rights") {
            let (right, jurisdiction, kind) = try row.decode(Int64.self, Jurisdiction.self, RightKind.self)
            total += engine.deadlines(jurisdiction: jurisdiction, kind: kind, events: events[right] ?? []).count
        }
        return total
    }

    func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return milliseconds >= 1000
            ? String(format: "%.2f s", milliseconds / 1000) : String(format: "%.1f ms", milliseconds)
    }
}
