import Foundation
import IPCase
import PostgresClient
import PostgresServer
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Daemons killed, databases restarted, SIGTERM mid-work: nothing is lost or duplicated.
@Suite("ipcased under failure", .serialized)
struct CrashTests {
    /// Waits until at least `more` jobs were completed since `before`; returns the new count.
    func progress(_ database: QueueDatabase, after before: Int, more: Int = 1) async throws -> Int {
        var done = before
        _ = try await eventually(timeout: .seconds(30)) {
            done = try await database.count("SELECT count(*) FROM jobs WHERE status = 'done'")
            return done >= before + more
        }
        return done
    }

    @Test("a daemon killed with SIGKILL in the middle of batches 12 times and restarted loses and duplicates nothing")
    func killedDaemonsLoseAndDuplicateNothing() async throws {
        let database = try await QueueDatabase.make()
        let environment = [
            "IPCASE_QUEUE_BATCH_SIZE": "10", "IPCASE_QUEUE_LEASE_SECONDS": "5", "IPCASE_QUEUE_WORKERS": "2",
        ]
        var done = 0
        for _ in 1...12 {
            // New work arrives while the daemon is down, so each kill lands while batches run.
            try await database.seed(rights: 50)
            let daemon = try DaemonProcess(["run"], databaseURL: database.url, environment: environment)
            done = try await progress(database, after: done, more: 20)
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...40)))
            daemon.signal(SIGKILL)
            let exit = await daemon.exit(timeout: .seconds(10))
            #expect(exit?.reason == .uncaughtSignal)
        }
        let running = try await database.count("SELECT count(*) FROM jobs WHERE status = 'running'")
        // The killed daemons' leases expire; a last daemon reclaims their jobs and finishes.
        try await Task.sleep(for: .seconds(5))
        let last = try DaemonProcess(["run", "--once"], databaseURL: database.url, environment: environment)
        #expect(await last.exit()?.status == 0, "\(last.log)")

        #expect(try await database.jobCounts() == ["done": 12 * 50 * 5])
        // Kills interrupted claimed batches: their jobs were retried.
        let retried = try await database.count("SELECT count(*) FROM jobs WHERE attempts > 1")
        #expect(running > 0 || retried > 0)
        let expected = try await database.expectedDeadlines()
        #expect(try await database.storedDeadlines() == expected)
        #expect(try await database.count("SELECT count(*) FROM deadlines") == expected.count)
    }

    @Test("the PostgreSQL server restarts while the daemon works: it reconnects and finishes")
    func daemonReconnectsAfterTheServerRestarts() async throws {
        let server = try await ThrowawayPostgres.startLocal()
        do {
            let database = try await QueueDatabase.make(on: server)
            try await database.seed(rights: 300)
            let daemon = try DaemonProcess(
                ["run"], databaseURL: database.url,
                environment: ["IPCASE_QUEUE_BATCH_SIZE": "20", "IPCASE_QUEUE_LEASE_SECONDS": "5"])
            _ = try await progress(database, after: 0, more: 50)
            try await server.stopServer()
            try await Task.sleep(for: .milliseconds(500))
            try await server.startServer()

            let admin = try await PostgresConnection.connect(url: database.url)
            let again = QueueDatabase(url: database.url, admin: admin, office: database.office)
            // New work after the restart is noticed too (LISTEN again).
            try await again.seed(rights: 10)
            let finished = try await eventually(timeout: .seconds(60)) {
                try await again.jobCounts() == ["done": 1_550]
            }
            let counts = try await again.jobCounts()
            #expect(finished, "jobs: \(counts)\n\(daemon.log)")
            daemon.signal(SIGTERM)
            let exit = await daemon.exit(timeout: .seconds(20))
            #expect(exit?.reason == .exit && exit?.status == 0)
            #expect(daemon.log.contains("reconnecting"))
            let expected = try await again.expectedDeadlines()
            #expect(try await again.storedDeadlines() == expected)
            await server.destroy()
        } catch {
            await server.destroy()
            throw error
        }
    }

    @Test("SIGTERM during work: in-flight batches complete, STOPPING=1 is sent, the exit code is 0")
    func sigtermDrainsInFlightBatches() async throws {
        let database = try await QueueDatabase.make()
        try await database.seed(rights: 1_000)
        let socket = try NotifySocketListener(.abstract)
        let daemon = try DaemonProcess(
            ["run"], databaseURL: database.url,
            environment: ["NOTIFY_SOCKET": socket.address, "IPCASE_QUEUE_BATCH_SIZE": "200"])
        let ready = await socket.receiveInBackground(until: { $0.hasPrefix("READY=1") })
        #expect(ready.last?.message.hasPrefix("READY=1") == true)
        _ = try await progress(database, after: 0, more: 200)
        daemon.signal(SIGTERM)
        let stopping = await socket.receiveInBackground(until: { $0.hasPrefix("STOPPING=1") })
        #expect(stopping.last?.message.hasPrefix("STOPPING=1") == true)
        let exit = await daemon.exit(timeout: .seconds(30))
        #expect(exit?.reason == .exit && exit?.status == 0, "\(daemon.log)")

        // Nothing was left half done: no job is still leased, and each done job has its deadlines.
        let counts = try await database.jobCounts()
        #expect(counts["running"] == nil)
        #expect((counts["done"] ?? 0) > 0)
        #expect((counts["queued"] ?? 0) > 0, "the daemon stopped before the queue ran dry")
        let unfinished = try await database.count(
            """
            SELECT count(*) FROM rights r WHERE EXISTS (SELECT FROM jobs j WHERE j.status = 'done'
                AND (j.payload #>> '{recompute-deadlines,for,right,_0}')::bigint = r.id)
              AND NOT EXISTS (SELECT FROM deadlines d WHERE d.right_id = r.id)
            """)
        #expect(unfinished == 0)
    }
}
