import Foundation
import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Revenue distribution persisted")
struct DistributionStoreTests {
    /// Awkward payments: 1 tiyn, a prime number of tiyn, a large prime; three inventors at 33.34/33.33/33.33 %.
    @Test(arguments: [Int64(1), 7, 1_000_003, 99_999_999_977])
    func storedLinesSumExactlyToThePayment(gross: Int64) async throws {
        let database = try await StoreTestDatabase.migrated()
        let owner = try await database.ownerStore()
        let office = try await owner.withService(actor: "provisioning") { session in
            try await session.createOffice(Office(id: 0, name: "TTO", region: .almatyCity, kind: .university)).id
        }
        let app = try await database.store(as: "ipcase_app")
        let stored = try await app.withOffice(office, actor: "treasurer") { session in
            var inventors: [InventorShare] = []
            for (name, share) in [("A", 3_334), ("B", 3_333), ("C", 3_333)] {
                let party = try await session.createParty(
                    Party(id: 0, kind: .person, name: name, roles: [.inventor], sector: .academia))
                inventors.append(InventorShare(party.id, BasisPoints(points: share)!))
            }
            let agreement = try await session.createAgreement(
                Agreement(id: 0, office: office, reference: "LIC-1", kind: .nonExclusiveLicence))
            _ = try await session.createPolicy(
                DistributionPolicy(
                    office: office, name: "2024", effectiveFrom: try CivilDate(iso: "2024-01-01"),
                    administrativeShare: 1_500, inventorsShare: 3_333, departmentShare: 3_333, institutionShare: 3_334))
            try await session.recordPatentCost(
                Money(minorUnits: 3, .kzt), right: nil, incurredOn: try CivilDate(iso: "2024-02-01"))
            let payment = try await session.createPayment(
                Payment(
                    id: 0, office: office, agreement: agreement.id, amount: Money(minorUnits: gross, .kzt),
                    kind: .royalty, receivedOn: try CivilDate(iso: "2024-06-30")))
            return try await session.distribute(payment.id, inventors: inventors).distribution
        }
        let sum = try await database.count(
            "SELECT sum(amount_minor)::bigint FROM distribution_lines WHERE distribution_id = \(stored.id)")
        #expect(Int64(sum) == gross)
        let lines = try await database.count(
            "SELECT count(*) FROM distribution_lines WHERE distribution_id = \(stored.id)")
        #expect(lines == stored.distribution.lines.count)
        #expect(stored.distribution.lines.contains { $0.recipient == .patentCosts })
    }

    @Test func theDatabaseRefusesLinesThatDoNotSumToTheGross() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let error = await #expect(throws: PostgresError.self) {
            try await database.admin.withTransaction { @Sendable connection in
                let id = try await connection.query(
                    """
                    INSERT INTO distributions (office_id, payment_id, policy_id, gross_minor, currency,
                                               superseded_at, superseded_by)
                    SELECT office_id, payment_id, policy_id, 100, 'KZT', now(), 'test' FROM distributions
                    WHERE office_id = \(offices.a) LIMIT 1 RETURNING id
                    """)[0].decode(Int64.self, at: 0)
                try await connection.execute(
                    """
                    INSERT INTO distribution_lines (office_id, distribution_id, line_no, recipient, amount_minor, base_minor)
                    VALUES (\(offices.a), \(id), 1, 'administration', 33, 100), (\(offices.a), \(id), 2, 'institution', 66, 100)
                    """)
            }
        }
        #expect(error?.sqlState == "23514")
        #expect(error?.message?.contains("lines sum to 99 minor units, gross is 100") == true)
    }
}

@Suite("Deadline schedules")
struct DeadlineScheduleTests {
    static func schedule(_ office: ID<Office>, _ right: ID<Right>, years: ClosedRange<Int>) throws -> [DeadlineRecord] {
        try years.map { year in
            let due = try CivilDate(year: 2024 + year, month: 2, day: 1)
            return DeadlineRecord(
                office: office, right: right, ruleID: "kz.annuity", type: "annuity", year: FeeYear(year),
                triggerKey: "filed:2024-02-01", nominalDate: due, dueDate: due, finalDate: due.adding(days: 180),
                citation: "Patent Law of RK, Art. 31", explanation: "annuity for year \(year)")
        }
    }

    @Test func recomputingAnUnchangedScheduleRewritesNothingAndRemovedDeadlinesAreSuperseded() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let daemon = try await database.store(as: "ipcase_daemon")
        let (office, right) = (offices.a, offices.rightOfA)
        let full = try Self.schedule(office, right, years: 3...7)
        let first = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(full, of: [(office, right)])
        }
        #expect(first == DeadlineUpsertResult(inserted: 5, updated: 0, superseded: 1))  // the seeded priority deadline
        let auditRows = try await database.count("SELECT count(*) FROM audit_log WHERE table_name = 'deadlines'")

        let again = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(full, of: [(office, right)])
        }
        #expect(again == DeadlineUpsertResult(inserted: 0, updated: 0, superseded: 0))
        #expect(try await database.count("SELECT count(*) FROM audit_log WHERE table_name = 'deadlines'") == auditRows)

        let shorter = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(Array(full.prefix(3)), of: [(office, right)])
        }
        #expect(shorter == DeadlineUpsertResult(inserted: 0, updated: 0, superseded: 2))
        let statuses = try await database.admin.query(
            "SELECT year, status FROM deadlines WHERE right_id = \(right) AND rule_id = 'kz.annuity' ORDER BY year"
        ).map { try $0.decode(FeeYear.self, String.self) }
        #expect(statuses.map(\.0) == (3...7).map { FeeYear($0) })
        #expect(statuses.map(\.1) == ["open", "open", "open", "superseded", "superseded"])

        let back = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(full, of: [(office, right)])
        }
        #expect(back == DeadlineUpsertResult(inserted: 0, updated: 2, superseded: 0))
        #expect(
            try await database.count(
                "SELECT count(*) FROM deadlines WHERE right_id = \(right) AND rule_id = 'kz.annuity'") == 5)
    }

    @Test func engineSchedulesAreStoredOnceAndAPaidFeeClosesItsDeadline() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let daemon = try await database.store(as: "ipcase_daemon")
        let office = offices.a
        let filed = RightEvent(.filed, on: try CivilDate(iso: "2024-02-01"), reference: "EP24123456")
        let app = try await database.store(as: "ipcase_app")
        let right = try await app.withOffice(office, actor: "attorney") { session in
            let right = try await session.createRight(
                Right(
                    id: 0, office: office, reference: "EP-1", title: "Sorbent", jurisdiction: .european,
                    kind: .patent))
            try await session.recordEvent(right.id, filed)
            return right.id
        }
        let engine = DeadlineEngine()
        func records(_ events: [RightEvent]) -> [DeadlineRecord] {
            engine.deadlines(jurisdiction: .european, kind: .patent, events: events).map {
                DeadlineRecord($0, office: office, right: right, attorney: nil)
            }
        }
        let schedule = records([filed])
        #expect(schedule.count > 3)
        #expect(schedule.allSatisfy { $0.closedBy == nil && !$0.explanation.isEmpty })
        let first = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(schedule, of: [(office, right)])
        }
        #expect(first.inserted == schedule.count)
        let recomputed = records([filed])
        let again = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(recomputed, of: [(office, right)])
        }
        #expect(again == DeadlineUpsertResult(inserted: 0, updated: 0, superseded: 0))

        // Paying the first recurring fee closes its deadline: the stored one is marked done.
        let fee = try #require(schedule.filter { $0.year != nil }.min { $0.dueDate < $1.dueDate })
        let year = try #require(Int(fee.year!.description))
        let withPayment = records([filed, RightEvent(.annuityPaid, on: fee.dueDate.adding(days: -10), year: year)])
        let closed = withPayment.filter { $0.closedBy != nil }
        #expect(closed.map(\.ruleID) == [fee.ruleID])
        let third = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(withPayment, of: [(office, right)])
        }
        #expect(third.updated >= 1)
        let done = try await database.admin.query(
            "SELECT rule_id, year, completed_reason FROM deadlines WHERE right_id = \(right) AND status = 'done'"
        ).map { try $0.decode(String.self, FeeYear.self, String.self) }
        #expect(done.count == 1)
        #expect(done.first?.0 == fee.ruleID)
        #expect(done.first?.1 == fee.year)
        #expect(done.first?.2.hasPrefix("met by annuity-paid") == true)
    }
}

@Suite("Job queue")
struct JobQueueTests {
    @Test func theClaimQueryUsesThePartialIndex() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        try await database.admin.execute(
            """
            INSERT INTO jobs (office_id, kind, status, finished_at)
            SELECT \(offices.a), 'recompute-deadlines', 'done', now() FROM generate_series(1, 20000)
            """)
        try await database.admin.execute("ANALYZE jobs")
        let plan = try await database.admin.query(
            """
            EXPLAIN UPDATE jobs SET status = 'running', lease_until = now() + interval '30 s', locked_by = 'w',
                               attempts = attempts + 1
            WHERE id = ANY(ARRAY(SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now()
                                 ORDER BY run_at, id LIMIT 100 FOR UPDATE SKIP LOCKED))
            """
        ).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        #expect(plan.contains("Index Scan using jobs_claim"), "\(plan)")
    }

    @Test func concurrentWorkersClaimDisjointJobsAndExpiredLeasesAreClaimedAgain() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind) SELECT \(offices.b), 'notify' FROM generate_series(1, 200)")
        let queued = try await database.count("SELECT count(*) FROM jobs WHERE status = 'queued'")
        let workers = try await [
            database.store(as: "ipcase_daemon"), database.store(as: "ipcase_daemon"),
            database.store(as: "ipcase_daemon"),
        ]
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, worker) in workers.enumerated() {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await worker.withService(actor: "w\(index)") { session in
                            try await session.claimJobs(limit: 7, lease: .seconds(60), worker: "w\(index)")
                        }
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [Int64] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == queued)
        #expect(Set(claimed).count == claimed.count)

        // A worker died: its leases expire and the jobs go back to the queue.
        try await database.admin.execute("UPDATE jobs SET lease_until = now() - interval '1 s' WHERE locked_by = 'w0'")
        let lost = try await database.count("SELECT count(*) FROM jobs WHERE locked_by = 'w0'")
        let reclaimed = try await workers[1].withService(actor: "w1") { session in
            try await session.reclaimExpiredJobs()
        }
        #expect(reclaimed == lost)
        let again = try await workers[1].withService(actor: "w1") { session in
            try await session.claimJobs(limit: 1000, lease: .seconds(60), worker: "w1")
        }
        #expect(again.count == lost)
        #expect(again.allSatisfy { $0.attempts == 2 })
    }

    @Test func aRecomputationIsQueuedOnceUntilAWorkerStartsIt() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        try await database.admin.execute("DELETE FROM jobs")
        let app = try await database.store(as: "ipcase_app")
        let daemon = try await database.store(as: "ipcase_daemon")
        @Sendable func recompute(_ right: Int64, reason: String? = nil) throws -> NewJob {
            let effect: WorkflowEffect =
                reason.map { .recountDeadlines(for: .right(ID(rawValue: right)), reason: $0) }
                ?? .recomputeDeadlines(for: .right(ID(rawValue: right)))
            return NewJob(kind: .recomputeDeadlines, payload: try PostgresJSON(encoding: effect))
        }
        let notice = NewJob(kind: .notify, payload: PostgresJSON(text: #"{"n": 1}"#))
        func queued() async throws -> Int {
            try await database.count("SELECT count(*) FROM jobs WHERE status = 'queued' AND kind = 'recompute-deadlines'")
        }

        // Five events of one right in one transaction: one recomputation; a notice is never merged.
        let first = try await app.withOffice(offices.a, actor: "alice") { session in
            try await session.enqueue([recompute(1), recompute(1), notice, recompute(1), notice])
        }
        #expect(first.count == 3)
        #expect(try await queued() == 1)
        #expect(try await database.count("SELECT count(*) FROM jobs WHERE kind = 'notify'") == 2)

        // Later, while it is still queued: the queued job covers the new event too.
        let again = try await app.withOffice(offices.a, actor: "alice") { session in
            try await session.enqueue([recompute(1), recompute(2)])
        }
        #expect(again.count == 2)
        #expect(again[0] == first[0])
        #expect(try await queued() == 2)

        // A recount with its reason is other work (the reason reaches the notice): queued apart.
        // And the covered job is locked until the event's transaction ends: no worker starts it
        // before the event is visible.
        let claimedMeanwhile = try await app.withOffice(offices.a, actor: "alice") { session in
            let ids = try await session.enqueue([recompute(1), recompute(1, reason: "KZ closed 2027-02-09")])
            #expect(ids.count == 2)
            #expect(ids[0] == first[0])
            return try await daemon.withService(actor: "w") { session in
                try await session.claimJobs(limit: 100, lease: .seconds(60), worker: "w")
            }
        }
        #expect(!claimedMeanwhile.map(\.id).contains(first[0]))
        #expect(claimedMeanwhile.map(\.id).contains(again[1]))
        let claimed = try await daemon.withService(actor: "w") { session in
            try await session.claimJobs(limit: 100, lease: .seconds(60), worker: "w")
        }
        #expect(claimed.map(\.id).contains(first[0]))
        #expect(try await queued() == 0)

        // Once a worker has started it, its snapshot may predate a new event: a new job.
        let afterStart = try await app.withOffice(offices.a, actor: "alice") { session in
            try await session.enqueue([recompute(1)])
        }
        #expect(afterStart.count == 1)
        #expect(afterStart[0] != first[0])
        #expect(try await queued() == 1)
    }

    @Test func aJobThatKeepsFailingIsParkedAsDeadWithItsError() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        try await database.admin.execute("DELETE FROM jobs")
        try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind, max_attempts) VALUES (\(offices.a), 'recompute-deadlines', 2)")
        let daemon = try await database.store(as: "ipcase_daemon")
        for _ in 1...2 {
            try await daemon.withService(actor: "w") { session in
                let job = try await session.claimJobs(limit: 1, lease: .seconds(60), worker: "w")[0]
                try await session.failJobs(
                    [JobFailure(job: job.id, error: "right KZ-1 has no filing date", retryAfter: .zero)],
                    maxAttempts: 5, worker: "w")
            }
        }
        let app = try await database.store(as: "ipcase_app")
        let dead = try await app.withOffice(offices.a, actor: "alice") { session in try await session.deadJobs() }
        #expect(dead.count == 1)
        #expect(dead.first?.attempts == 2)
        #expect(dead.first?.lastError == "right KZ-1 has no filing date")
    }
}

@Suite("Outbox")
struct OutboxTests {
    @Test func aMessageKeyIsEnqueuedAndDeliveredAtMostOnce() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let daemon = try await database.store(as: "ipcase_daemon")
        let message = OutboxMessage(
            idempotencyKey: "deadline:1:reminder:30", channel: .webhook, recipient: "http://127.0.0.1:9/hook",
            payload: PostgresJSON(text: #"{"deadline": 1}"#))
        let added = try await daemon.withService(actor: "ipcased") { session in
            try await session.enqueue([message, message], office: offices.a)
        }
        #expect(added == 1)
        let again = try await daemon.withService(actor: "ipcased") { session in
            try await session.enqueue([message], office: offices.a)
        }
        #expect(again == 0)
        let claimed = try await daemon.withService(actor: "ipcased") { session in
            try await session.claimMessages(limit: 10, lease: .seconds(30), worker: "s1")
        }
        #expect(claimed.map(\.message.idempotencyKey).contains("deadline:1:reminder:30"))
        let id = claimed.first { $0.message.idempotencyKey == message.idempotencyKey }!.id
        #expect(
            try await daemon.withService(actor: "s1") { session in try await session.markDelivered(id, worker: "s1") })
        #expect(
            try await daemon.withService(actor: "s2") { session in try await session.markDelivered(id, worker: "s2") }
                == false)
    }
}
