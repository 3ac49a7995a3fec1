import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient
import PostgresServer
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM never crashes `ipcased`: at any point of a sweep or a batch, and while the database is
/// unreachable, it exits 0 and leaves nothing half-written.
///
/// The first test deploys under the documented logins, so it runs in the deployment suite (whose
/// tests share one cluster and its roles, one at a time).
extension DeploymentTests {
    /// Backlog deadlines past their final date (several seconds of sweeping in 500-deadline steps).
    static let backlog = 40_000

    @Test("SIGTERM at random points of sweeps and batches, 10 times, under the ipcased login: exit 0, nothing half-written")
    func sigtermAtRandomPointsExitsCleanly() async throws {
        let deployment = try await Deployment.make()
        defer { try? FileManager.default.removeItem(atPath: deployment.directory) }
        let admin = try await deployment.admin()
        let office = try await Store(connection: admin).withService(actor: "test") { session in
            try await session.createOffice(Office(id: 0, name: "Backlog TTO", region: .almatyCity, kind: .university))
        }
        _ = try await admin.execute(
            "UPDATE offices SET supervisor_name = 'Dana', supervisor_email = 'dana@example.kz' WHERE office_id = \(office.id)")
        let backlogRight = try await admin.query(
            """
            INSERT INTO rights (office_id, reference, jurisdiction, kind, state, filing_date, application_number)
            VALUES (\(office.id), 'US-BACKLOG', 'US', 'patent', 'filed', DATE '2024-01-10', 'US 18/000001')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await admin.execute(
            """
            INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                   final_date, status, citation)
            SELECT \(office.id), \(backlogRight), 'US.office-action', 'office_action_response', 0, 'backlog:' || n,
                   current_date - 100, current_date - 100, current_date - 10, 'open', '35 U.S.C. 133'
            FROM generate_series(1, \(Self.backlog)) AS n
            """)
        let queue = QueueDatabase(url: deployment.url("postgres"), admin: admin, office: office.id)
        let missedWithoutNotice: PostgresQuery = """
            SELECT count(*) FROM deadlines d WHERE d.status = 'missed'
              AND NOT EXISTS (SELECT FROM outbox o WHERE o.idempotency_key = 'deadline:' || d.id || ':missed')
            """
        let doneWithoutDeadlines: PostgresQuery = """
            WITH done AS MATERIALIZED (
                SELECT DISTINCT (payload #>> '{recompute-deadlines,for,right,_0}')::bigint AS id FROM jobs
                WHERE status = 'done')
            SELECT count(*) FROM done WHERE NOT EXISTS (SELECT FROM deadlines d WHERE d.right_id = done.id)
            """

        var missedCounts: [Int] = []
        let backlogMissed: PostgresQuery =
            "SELECT count(*) FROM deadlines WHERE right_id = \(backlogRight) AND status = 'missed'"
        for round in 1...10 {
            // New work arrives while the daemon is down, so every SIGTERM lands while batches run.
            try await queue.seed(rights: 60)
            let daemon = try deployment.daemon(["run"])
            _ = await eventually(timeout: .seconds(20)) { daemon.log.contains("listening for queued jobs") }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...1_200)))
            daemon.signal(SIGTERM)
            let exit = await daemon.exit(timeout: .seconds(30))
            #expect(exit?.reason == .exit && exit?.status == 0, "round \(round): \(exit.map { "\($0)" } ?? "no exit")\n\(daemon.log)")
            #expect(!daemon.log.contains("Fatal error"), "round \(round)\n\(daemon.log)")
            // Nothing half-written: every missed deadline has its notice, every done job its
            // deadlines, no job is left leased by the stopped daemon.
            #expect(try await queue.count(missedWithoutNotice) == 0, "round \(round)")
            #expect(try await queue.count(doneWithoutDeadlines) == 0, "round \(round)")
            #expect(try await queue.count("SELECT count(*) FROM jobs WHERE status = 'running'") == 0, "round \(round)")
            missedCounts.append(try await queue.count(backlogMissed))
        }
        // At least one SIGTERM stopped a sweep part-way (the sweep then went on in the next run).
        #expect(missedCounts.contains { $0 > 0 && $0 < Self.backlog }, "missed after each round: \(missedCounts)")

        let last = try deployment.daemon(["run", "--once"])
        #expect(await last.exit(timeout: .seconds(120))?.status == 0, "\(last.log)")
        #expect(try await queue.jobCounts() == ["done": 10 * 60 * 5])
        let processed = try await queue.storedDeadlines().filter { !$0.hasPrefix("\(backlogRight)|") }
        #expect(processed == (try await queue.expectedDeadlines()))
        #expect(try await queue.count(backlogMissed) == Self.backlog)
        #expect(try await queue.count(missedWithoutNotice) == 0)
        await admin.close()
    }
}

@Suite("ipcased stops cleanly on SIGTERM")
struct ShutdownTests {
    @Test("SIGTERM while the database is down: ipcased stops within seconds and exits 0")
    func sigtermWhileTheDatabaseIsDownStopsPromptly() async throws {
        let server = try await ThrowawayPostgres.startLocal()
        do {
            let database = try await QueueDatabase.make(on: server)
            try await database.seed(rights: 20)
            await database.admin.close()
            let daemon = try DaemonProcess(["run"], databaseURL: database.url)
            _ = await eventually(timeout: .seconds(20)) { daemon.log.contains("listening for queued jobs") }
            try await server.stopServer()
            // Every service is now reconnecting (or waiting to).
            _ = await eventually(timeout: .seconds(10)) { daemon.log.contains("reconnecting") }
            try await Task.sleep(for: .seconds(2))
            let signalled = ContinuousClock.now
            daemon.signal(SIGTERM)
            let exit = await daemon.exit(timeout: .seconds(30))
            let took = ContinuousClock.now - signalled
            #expect(exit?.reason == .exit && exit?.status == 0, "\(daemon.log)")
            #expect(took < .seconds(3), "stopped after \(took)\n\(daemon.log)")
            await server.destroy()
        } catch {
            await server.destroy()
            throw error
        }
    }
}
