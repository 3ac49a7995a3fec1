import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseStore
import IPCaseTestSupport
import PostgresClient
import PostgresServer
import Testing

/// Issue 12 §8: the docket, its feed, reports and compliance lists can be read from a streaming
/// replica while everything is written to the primary.
@Suite("reads from a hot standby", .serialized)
struct ReadReplicaTests {
    func ipcase(_ arguments: [String], primary: String) async throws -> Binary.Output {
        try await Binary.run(arguments, database: primary)
    }

    func ok(_ arguments: [String], primary: String) async throws -> String {
        let result = try await ipcase(arguments, primary: primary)
        #expect(result.status == 0, "ipcase \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    @Test("events recorded on the primary reach the docket read from the standby; the standby refuses writes")
    func docketFromTheStandby() async throws {
        let primary = try await ThrowawayPostgres.startLocal()
        let url = try await primary.createDatabase(prefix: "replica")
        let database = String(url.split(separator: "/").last!)
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        _ = try await Migrator.embedded(logger: Databases.quiet).migrate(on: store.connection)
        _ = try await ok(["offices", "create", "--name", "Replica TTO", "--region", "astana", "--kind", "university"], primary: url)
        _ = try await ok(
            [
                "rights", "create", "--office", "1", "--ref", "KZ-REP-1", "--jurisdiction", "KZ", "--kind", "patent",
                "--title", "Sorbent",
            ], primary: url)

        // The standby is copied now (pg_basebackup); what follows reaches it by streaming only.
        let standby = try await primary.startStandby()
        let replica = await standby.url(database: database)
        _ = try await ok(
            ["events", "record", "--office", "1", "--right", "1", "--event", "filed=2026-06-02", "--number", "2026/0001.1"],
            primary: url)
        _ = try await DeadlineProcessing.processPendingJobs(
            store: store, asOf: try CivilDate(iso: "2026-12-03"), logger: Databases.quiet)
        // The insert position: with the throwaway server's asynchronous commits the write position
        // can still be short of the last commit record.
        let written = try await store.connection.query("SELECT pg_current_wal_insert_lsn()::text")[0].decode(String.self, at: 0)
        let reader = try await PostgresConnection.connect(url: replica)
        let replayed = try await eventually(timeout: .seconds(30)) {
            try await reader.query("SELECT pg_last_wal_replay_lsn() >= \(written)::pg_lsn")[0].decode(Bool.self, at: 0)
        }
        #expect(replayed, "the standby did not replay \(written)")
        #expect(try await reader.query("SELECT pg_is_in_recovery()")[0].decode(Bool.self, at: 0))
        await reader.close()

        // Read from the standby only: the primary's URL given is one nobody listens on.
        let nowhere = "postgresql://postgres@127.0.0.1:1/\(database)"
        let docket = try await ok(
            ["deadlines", "list", "--office", "1", "--as-of", "2026-12-03", "--within", "12m", "--read-database-url", replica],
            primary: nowhere)
        #expect(docket.contains("KZ 2026/0001.1") && docket.contains("2027-06-02"), "\(docket)")
        var environment = ProcessInfo.processInfo.environment
        environment["IPCASE_DATABASE_URL"] = nowhere
        environment["IPCASE_READ_DATABASE_URL"] = replica
        let feed = try await ProcessOutput.run(
            URL(fileURLWithPath: Binary.path), ["deadlines", "list", "--office", "1", "--format", "ics", "--within", "12m",
                                                "--as-of", "2026-12-03"], environment: environment)
        #expect(feed.status == 0 && feed.stdout.contains("BEGIN:VEVENT"), "\(feed.stderr)")
        let report = try await ok(
            ["report", "--office", "1", "--from", "2026-01-01", "--to", "2026-12-31", "--read-database-url", replica],
            primary: nowhere)
        #expect(!report.isEmpty)
        // Writes go to the primary: the standby refuses them.
        let write = try await ipcase(
            ["parties", "create", "--office", "1", "--name", "X", "--kind", "person", "--sector", "other"], primary: replica)
        #expect(write.status != 0 && write.stderr.contains("this database is a read-only replica; write to the primary"), "\(write.stderr)")

        await store.connection.close()
        await standby.destroy()
        await primary.destroy()
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
private func eventually(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
