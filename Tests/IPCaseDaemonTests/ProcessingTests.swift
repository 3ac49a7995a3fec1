import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import Testing

/// The batch processor in process, against a real PostgreSQL.
@Suite("Deadline job processing")
struct ProcessingTests {
    let worker = "test-worker"

    func processQueued(_ database: QueueDatabase) async throws -> BatchOutcome {
        let store = Store(connection: database.admin)
        let jobs = try await store.withService(actor: "test") { session in
            try await session.claimJobs(limit: 100, lease: .seconds(30), worker: worker)
        }
        let processor = JobBatchProcessor(
            retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)), worker: worker,
            logger: Logger(label: "test"))
        return try await processor.process(jobs, on: database.admin)
    }

    func enqueueRecompute(_ database: QueueDatabase, right: Int64) async throws {
        let payload = try PostgresJSON(encoding: WorkflowEffect.recomputeDeadlines(for: .right(ID(rawValue: right))))
        _ = try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind, payload) VALUES (\(database.office), 'recompute-deadlines', \(payload))"
        )
    }

    @Test("jobs of one right in a batch compute its schedule once; met deadlines are done; a recompute writes nothing")
    func batchWritesTheScheduleAndRecomputingIsANoOp() async throws {
        let database = try await QueueDatabase.make()
        let rights = try await database.seed(rights: 5)
        let first = try await processQueued(database)
        #expect(first.completed == 25)
        #expect(first.failed == 0 && first.dead == 0)
        let expected = try await database.expectedDeadlines()
        #expect(first.deadlinesWritten == expected.count)
        #expect(try await database.storedDeadlines() == expected)
        #expect(expected.contains { $0.hasSuffix("|done") })

        try await enqueueRecompute(database, right: rights[0])
        let again = try await processQueued(database)
        #expect(again.completed == 1)
        #expect(again.deadlinesWritten == 0)
        #expect(again.deadlinesSuperseded == 0)
        #expect(try await database.storedDeadlines() == expected)
    }

    @Test("deadlines a recompute no longer produces are superseded, never deleted; new ones are added")
    func deadlinesNoLongerProducedAreSuperseded() async throws {
        let database = try await QueueDatabase.make()
        let right = try await database.seed(rights: 1)[0]
        _ = try await processQueued(database)
        let before = try await database.count("SELECT count(*) FROM deadlines WHERE right_id = \(right)")
        #expect(before > 0)
        let jurisdiction = try await database.admin.query("SELECT jurisdiction FROM rights WHERE id = \(right)")[0]
            .decode(String.self, at: 0)

        // A data correction: the right is in fact a European patent (or Kazakh, if it was European).
        let corrected = jurisdiction == "EP" ? "KZ" : "EP"
        _ = try await database.admin.execute("UPDATE rights SET jurisdiction = \(corrected) WHERE id = \(right)")
        try await enqueueRecompute(database, right: right)
        let outcome = try await processQueued(database)
        #expect(outcome.completed == 1)
        let superseded = try await database.count(
            "SELECT count(*) FROM deadlines WHERE right_id = \(right) AND status = 'superseded' AND rule_id LIKE \(jurisdiction + ".%")"
        )
        #expect(superseded > 0)
        #expect(outcome.deadlinesSuperseded == superseded)
        // Open ones are superseded; those already met stay done.
        #expect(
            try await database.count(
                "SELECT count(*) FROM deadlines WHERE right_id = \(right) AND status = 'open' AND rule_id LIKE \(jurisdiction + ".%")"
            )
                == 0)
        #expect(try await database.count("SELECT count(*) FROM deadlines WHERE right_id = \(right)") >= before)
        let stored = try await database.storedDeadlines().filter { !$0.contains("|\(jurisdiction).") }
        #expect(stored == (try await database.expectedDeadlines()))
    }

    @Test("a national-phase entry closes the named office's deadline only; the others stay open")
    func nationalPhaseEntryClosesOnlyTheNamedOffice() async throws {
        let database = try await QueueDatabase.make()
        let office = database.office
        let right = try await database.admin.query(
            """
            INSERT INTO rights (office_id, reference, jurisdiction, kind)
            VALUES (\(office), 'PCT-1', 'WO', 'pct-application') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await database.admin.execute(
            """
            INSERT INTO right_events (office_id, right_id, kind, event_date, reference)
            VALUES (\(office), \(right), 'priority', date '2024-03-14', NULL),
                   (\(office), \(right), 'filed', date '2025-03-13', NULL),
                   (\(office), \(right), 'national-phase-entered', date '2026-09-01', 'EP')
            """)
        try await enqueueRecompute(database, right: right)
        #expect(try await processQueued(database).completed == 1)
        let status = try await database.admin.query(
            "SELECT rule_id, status FROM deadlines WHERE right_id = \(right) AND type = 'national_phase'"
        ).reduce(into: [String: String]()) { statuses, row in
            let (rule, status) = try row.decode(String.self, String.self)
            statuses[rule] = status
        }
        #expect(status["WO.national-phase.EP"] == "done")
        #expect(status["WO.national-phase.CA"] == "open")
        #expect(status["WO.national-phase.KZ"] == "open")
    }

    @Test("a registered computer program's term is computed from its last author's death, and nothing else is due")
    func copyrightTermFromTheLastAuthorsDeath() async throws {
        let database = try await QueueDatabase.make()
        let office = database.office
        let right = try await database.admin.query(
            """
            INSERT INTO rights (office_id, reference, jurisdiction, kind, state, application_number, filing_date,
                                registration_number, grant_date)
            VALUES (\(office), 'SW-1', 'KZ', 'software', 'registered', '2025/01234-AP', date '2025-02-03',
                    '41577', date '2025-02-24') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await database.admin.execute(
            """
            INSERT INTO right_events (office_id, right_id, kind, event_date, reference)
            VALUES (\(office), \(right), 'filed', date '2025-02-03', '2025/01234-AP'),
                   (\(office), \(right), 'granted', date '2025-02-24', '41577'),
                   (\(office), \(right), 'author-died', date '2030-11-02', NULL),
                   (\(office), \(right), 'author-died', date '2026-01-15', NULL)
            """)
        try await enqueueRecompute(database, right: right)
        #expect(try await processQueued(database).completed == 1)
        let rows = try await database.admin.query(
            "SELECT rule_id, due_date::text, rule_status FROM deadlines WHERE right_id = \(right)"
        ).map { try $0.decode(String.self, String.self, String.self) }
        #expect(rows.count == 1)
        #expect(rows.first?.0 == "KZ.term.copyright")
        #expect(rows.first?.1 == "2100-12-31")
        #expect(rows.first?.2 == "unconfirmed")
    }

    @Test("a job whose payload is not a workflow effect fails with a clear error and does not block the batch")
    func undecodablePayloadFailsAlone() async throws {
        let database = try await QueueDatabase.make()
        try await database.seed(rights: 2)
        _ = try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind, payload) VALUES (\(database.office), 'recompute-deadlines', '{\"x\": 1}')"
        )
        let outcome = try await processQueued(database)
        #expect(outcome.completed == 10)
        #expect(outcome.failed == 1)
        let error = try await database.admin.query("SELECT last_error FROM jobs WHERE status = 'queued'")[0]
            .decode(String.self, at: 0)
        #expect(error == "the job's payload is not a workflow effect")
    }
}

/// The doorbell that wakes idle workers.
@Suite("Job doorbell")
struct QueueDoorbellTests {
    @Test("a ring wakes a waiting worker at once; without one the wait lasts its timeout")
    func ringWakesWaiters() async throws {
        let bell = JobDoorbell()
        let seen = bell.generation
        let start = ContinuousClock.now
        // Woken by the ring, not by the 60 s timeout (the margin absorbs scheduling delays of a
        // busy test process; the listener's latency is measured by `ipcase-bench daemon`).
        async let waited: Void = bell.wait(after: seen, timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(50))
        bell.ring()
        await waited
        #expect(ContinuousClock.now - start < .seconds(30))

        let quiet = ContinuousClock.now
        await bell.wait(after: bell.generation, timeout: .milliseconds(100))
        #expect(ContinuousClock.now - quiet >= .milliseconds(100))
    }

    @Test("workers wait until the database is found usable")
    func openReleasesWorkers() async throws {
        let bell = JobDoorbell()
        #expect(!bell.isOpen)
        async let opened: Void = bell.waitUntilOpen()
        try await Task.sleep(for: .milliseconds(50))
        bell.open()
        try await opened
        #expect(bell.isOpen)
    }
}
