import Foundation
import IPCase
import PostgresClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several real `ipcased` processes against one database.
@Suite("ipcased exactly once", .serialized)
struct ExactlyOnceTests {
    @Test("three daemons process 10 000 recorded events: every expected deadline exists once and every job is done")
    func threeDaemonsProcessEveryEventOnce() async throws {
        let database = try await QueueDatabase.make()
        try await database.seed(rights: 2_000)
        #expect(try await database.jobCounts() == ["queued": 10_000])

        let daemons = try (1...3).map { _ in
            try DaemonProcess(
                ["run", "--once"], databaseURL: database.url,
                environment: ["IPCASE_QUEUE_BATCH_SIZE": "100", "IPCASE_QUEUE_WORKERS": "2"])
        }
        for daemon in daemons {
            let exit = await daemon.exit(timeout: .seconds(120))
            #expect(exit?.reason == .exit && exit?.status == 0, "ipcased run --once failed:\n\(daemon.log)")
        }

        #expect(try await database.jobCounts() == ["done": 10_000])
        let expected = try await database.expectedDeadlines()
        let stored = try await database.storedDeadlines()
        #expect(expected.count > 10_000)
        #expect(stored.count == expected.count)
        #expect(stored == expected)
        // The unique key makes duplicates impossible; nothing was superseded either.
        #expect(try await database.count("SELECT count(*) FROM deadlines WHERE status = 'superseded'") == 0)
        // Met deadlines (an annuity paid, an office action answered) are done.
        #expect(try await database.count("SELECT count(*) FROM deadlines WHERE status = 'done'") > 0)
        // More than one daemon took part.
        let processes = try await database.count(
            "SELECT count(DISTINCT split_part(locked_by, ':', 2)) FROM jobs WHERE status = 'done'")
        #expect(processes >= 2)
    }

    @Test("a poison job (its right's stored data is inconsistent) is parked as dead with its error; the others proceed")
    func poisonJobIsParkedAsDeadWhileOthersProceed() async throws {
        let database = try await QueueDatabase.make()
        let rights = try await database.seed(rights: 40)
        let poisoned = rights[7]
        _ = try await database.admin.execute(
            "UPDATE rights SET priority_claims = '[{\"country\": 1}]' WHERE id = \(poisoned)")
        // Two attempts: the first failure is retried after a backoff, the second parks it. One
        // batch holds every job, so the run ends before the backoff, however slow the host.
        let environment = ["IPCASE_QUEUE_MAX_ATTEMPTS": "2", "IPCASE_QUEUE_BATCH_SIZE": "200"]
        let first = try DaemonProcess(["run", "--once"], databaseURL: database.url, environment: environment)
        #expect(await first.exit()?.status == 0, "\(first.log)")
        #expect(try await database.jobCounts() == ["done": 195, "queued": 5])
        let retried = try await database.admin.query(
            "SELECT attempts, last_error FROM jobs WHERE status = 'queued'")
        for row in retried {
            let (attempts, error) = try row.decode(Int.self, String.self)
            #expect(attempts == 1)
            #expect(error.contains("stored priority claims do not decode"))
        }

        // After the backoff (≤ 1 s) the second attempt parks the jobs as dead.
        try await Task.sleep(for: .milliseconds(1100))
        let second = try DaemonProcess(["run", "--once"], databaseURL: database.url, environment: environment)
        #expect(await second.exit()?.status == 0, "\(second.log)")
        #expect(try await database.jobCounts() == ["done": 195, "dead": 5])
        let reference = try await database.admin.query("SELECT reference FROM rights WHERE id = \(poisoned)")[0]
            .decode(String.self, at: 0)
        let dead = try await database.admin.query(
            "SELECT payload::text, attempts, last_error FROM jobs WHERE status = 'dead'")
        for row in dead {
            let (payload, attempts, error) = try row.decode(String.self, Int.self, String.self)
            #expect(payload.contains("\(poisoned)"))
            #expect(attempts == 2)
            #expect(error == "right \(reference): stored priority claims do not decode")
        }
        #expect(second.log.contains("jobs parked as dead"))
        // Every other right has its deadlines; the poisoned one has none.
        let expected = try await database.expectedDeadlines().filter { !$0.hasPrefix("\(poisoned)|") }
        let stored = try await database.storedDeadlines()
        #expect(stored == expected, "\(Set(stored).symmetricDifference(expected).sorted().prefix(10))")
    }
}
