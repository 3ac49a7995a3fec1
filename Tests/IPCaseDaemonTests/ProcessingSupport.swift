import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient
import PostgresServer

#if canImport(Glibc)
    import Glibc
#endif

/// A migrated database with one office, filled in bulk with rights, their events and one
/// deadline job per event (as `recordEvent` would queue them), and the checks the daemon
/// tests make on it.
struct QueueDatabase {
    let url: String
    let admin: PostgresConnection
    let office: ID<Office>

    /// Creates and migrates a database on `server` (by default the shared throwaway server).
    static func make(on server: ThrowawayPostgres? = nil) async throws -> QueueDatabase {
        let server = if let server { server } else { try await ThrowawayPostgres.shared }
        let url = try await server.createDatabase(prefix: "daemon")
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        let office = try await Store(connection: admin).withService(actor: "test") { session in
            try await session.createOffice(Office(id: 0, name: "Test TTO", region: .almatyCity, kind: .university))
        }
        return QueueDatabase(url: url, admin: admin, office: office.id)
    }

    /// The five events every seeded right gets (kind, days after its filing date, fee year).
    static let eventPlan: [(kind: String, offset: Int, year: Int?)] = [
        ("filed", 0, nil), ("published", 548, nil), ("office-action", 700, nil), ("annuity-paid", 730, 3),
        ("response-filed", 760, nil),
    ]

    /// Adds `rights` rights (KZ, EP, US patents, PCT applications, EA patents in turn) with five
    /// events each and one job per event; wakes listening daemons. Returns the rights' keys.
    @discardableResult
    func seed(rights count: Int, tag: String = UUID().uuidString.prefix(8).lowercased()) async throws -> [Int64] {
        let template = try PostgresJSON(
            encoding: WorkflowEffect.recomputeDeadlines(for: .right(ID(rawValue: 987_654_321))))
        let ids = try await admin.withTransaction { connection in
            let ids = try await connection.query(
                """
                INSERT INTO rights (office_id, reference, jurisdiction, kind)
                SELECT \(office), \(tag) || '-' || g, (ARRAY['KZ','EP','US','WO','EA'])[1 + g % 5],
                       (ARRAY['patent','patent','patent','pct-application','patent'])[1 + g % 5]
                FROM generate_series(1, \(count)) g
                RETURNING id
                """
            ).map { try $0.decode(Int64.self, at: 0) }
            _ = try await connection.execute(
                """
                INSERT INTO right_events (office_id, right_id, kind, event_date, year)
                SELECT \(office), r.id, e.kind, date '2019-01-01' + ((r.id * 7) % 1500)::int + e.days, e.year
                FROM unnest(\(ids)::bigint[]) AS r(id),
                     unnest(\(Self.eventPlan.map(\.kind))::text[], \(Self.eventPlan.map(\.offset))::int[],
                            \(Self.eventPlan.map { $0.year.map(Int16.init) })::smallint[]) AS e(kind, days, year)
                """)
            _ = try await connection.execute(
                """
                INSERT INTO jobs (office_id, kind, payload)
                SELECT \(office), 'recompute-deadlines', replace(\(template.text), '987654321', r.id::text)::jsonb
                FROM unnest(\(ids)::bigint[]) AS r(id), generate_series(1, \(Self.eventPlan.count))
                """)
            _ = try await connection.query("SELECT pg_notify('ipcase_jobs', '')")
            return ids
        }
        return ids
    }

    /// One line per deadline the engine gives for every right in the database (superseded ones
    /// excluded), computed here from the stored rights and events.
    func expectedDeadlines() async throws -> [String] {
        let rights = try await admin.query(
            "SELECT office_id, id, reference, jurisdiction, kind FROM rights WHERE office_id = \(office)")
        var events: [Int64: [RightEvent]] = [:]
        for row in try await admin.query(
            "SELECT right_id, kind, event_date, year FROM right_events WHERE office_id = \(office) ORDER BY event_date, id"
        ) {
            let (right, kind, date, year) = try row.decode(Int64.self, RightEventKind.self, CivilDate.self, Int?.self)
            events[right, default: []].append(RightEvent(kind, on: date, year: year))
        }
        let engine = DeadlineEngine()
        var lines: [String] = []
        for row in rights {
            let (office, right, reference, jurisdiction, kind) = try row.decode(
                ID<Office>.self, ID<Right>.self, String.self, Jurisdiction.self, RightKind.self)
            let schedule = RightSchedule(
                office: office, right: right, reference: reference, jurisdiction: jurisdiction, kind: kind,
                attorney: nil, filingDate: nil, priorityClaims: [], recorded: events[right.rawValue] ?? [])
            let deadlines = engine.deadlines(jurisdiction: jurisdiction, kind: kind, events: schedule.events)
            for record in try schedule.records(deadlines, explanations: false) {
                lines.append(
                    "\(record.right.rawValue)|\(record.ruleID)|\(record.triggerKey)|\(Int(record.year?.halfYears ?? 0))|"
                        + "\(record.dueDate)|\(record.finalDate)|\(record.closedBy == nil ? "open" : "done")")
            }
        }
        return lines.sorted()
    }

    /// The same lines for the deadlines stored (superseded ones excluded). The daemon's sweeper
    /// marks open deadlines whose final date has passed as missed (the seeded dates are past):
    /// those count as the open deadlines processing wrote.
    func storedDeadlines() async throws -> [String] {
        try await admin.query(
            """
            SELECT right_id, rule_id, trigger_key, (year * 2)::int, due_date, final_date,
                   CASE WHEN status = 'missed' AND final_date < current_date THEN 'open' ELSE status END
            FROM deadlines
            WHERE office_id = \(office) AND status <> 'superseded'
            """
        ).map { row in
            let (right, rule, trigger, halfYears, due, final, status) = try row.decode(
                Int64.self, String.self, String.self, Int.self, CivilDate.self, CivilDate.self, String.self)
            return "\(right)|\(rule)|\(trigger)|\(halfYears)|\(due)|\(final)|\(status)"
        }.sorted()
    }

    /// Jobs by status.
    func jobCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await admin.query("SELECT status, count(*) FROM jobs GROUP BY status") {
            let (status, count) = try row.decode(String.self, Int.self)
            counts[status] = count
        }
        return counts
    }

    /// One integer from a query.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await admin.query(query)[0].decode(Int.self, at: 0)
    }
}

/// A running `ipcased` (or another of the package's executables, `program`) process, the binary
/// built next to the tests, logging to a file.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String

    /// Starts `ipcased` with `arguments` against `databaseURL`; `environment` adds or overrides
    /// settings (`IPCASE_QUEUE_…`, `NOTIFY_SOCKET`).
    init(
        _ arguments: [String], databaseURL: String, environment: [String: String] = [:], program: String = "ipcased"
    ) throws {
        logPath = NSTemporaryDirectory() + "\(program)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: DaemonProcessTests.product(program))
        process.arguments = arguments
        process.environment = [
            "PATH": "/usr/bin:/bin", "IPCASE_DATABASE_URL": databaseURL, "IPCASE_METRICS_LISTEN": "127.0.0.1:0",
            "IPCASE_QUEUE_WORKERS": "2", "IPCASE_QUEUE_SWEEP_INTERVAL_SECONDS": "1",
        ].merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(atPath: logPath) }

    var pid: Int32 { process.processIdentifier }

    /// Sends a signal.
    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status (or signal) once the process ended, `nil` after `timeout`.
    func exit(timeout: Duration = .seconds(60)) async -> (reason: Process.TerminationReason, status: Int32)? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationReason, process.terminationStatus)
    }

    /// What it logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
