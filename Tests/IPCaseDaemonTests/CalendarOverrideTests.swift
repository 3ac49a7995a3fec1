import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import Testing

/// Issue 11 §4: an office's calendar overrides move its open deadlines, each keeping its previous
/// date and the reason, with a notice to the responsible attorney; a release whose rules or
/// calendars differ recounts every open deadline.
@Suite("calendar overrides and moved deadlines")
struct CalendarOverrideTests {
    let worker = "test-worker"

    func process(_ database: QueueDatabase, notices: NoticeRoute? = .email) async throws -> BatchOutcome {
        let jobs = try await Store(connection: database.admin).withService(actor: "test") { session in
            try await session.claimJobs(limit: 100, lease: .seconds(30), worker: worker)
        }
        let processor = JobBatchProcessor(
            notices: notices, retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)),
            worker: worker, logger: Logger(label: "test"))
        return try await processor.process(jobs, on: database.admin)
    }

    /// A KZ patent whose grant fee falls due on Tuesday 9 February 2027 (3 months from the
    /// decision to grant of 9 November 2026, KZ Patent Law Art. 26(1)), with an attorney.
    func grantFeeRight(_ database: QueueDatabase) async throws -> Int64 {
        let office = database.office
        _ = try await database.admin.execute(
            "UPDATE offices SET supervisor_email = 'head@tto.example.kz' WHERE office_id = \(office)")
        let attorney = try await database.admin.query(
            """
            INSERT INTO parties (office_id, kind, name, sector, roles, email)
            VALUES (\(office), 'person', 'A. Attorney', 'other', '{attorney}', 'attorney@ip.example.kz') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let right = try await database.admin.query(
            """
            INSERT INTO rights (office_id, reference, jurisdiction, kind, attorney_id)
            VALUES (\(office), 'KZ-MOVE-1', 'KZ', 'patent', \(attorney)) RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await database.admin.execute(
            """
            INSERT INTO right_events (office_id, right_id, kind, event_date)
            VALUES (\(office), \(right), 'filed', '2025-06-02'), (\(office), \(right), 'grant-decision', '2026-11-09')
            """)
        let payload = try PostgresJSON(encoding: WorkflowEffect.recomputeDeadlines(for: .right(ID(rawValue: right))))
        _ = try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind, payload) VALUES (\(office), 'recompute-deadlines', \(payload))")
        _ = try await process(database)
        return right
    }

    func grantFee(_ database: QueueDatabase, _ right: Int64) async throws
        -> (id: Int64, due: CivilDate, movedFrom: CivilDate?, reason: String?, status: String)
    {
        try await database.admin.query(
            """
            SELECT id, due_date, moved_from_due, moved_reason, status FROM deadlines
            WHERE right_id = \(right) AND rule_id = 'KZ.grant-fee'
            """)[0].decode(Int64.self, CivilDate.self, CivilDate?.self, String?.self, String.self)
    }

    @Test("a closed day entered by decree moves the open deadline, which keeps its date and why; removing it moves it back")
    func overrideMovesAndRemovalMovesBack() async throws {
        let database = try await QueueDatabase.make()
        let right = try await grantFeeRight(database)
        #expect(try await grantFee(database, right).due == .iso("2027-02-09"))

        let store = Store(connection: database.admin)
        let decree = CalendarOverride(
            calendar: "KZ", day: .iso("2027-02-09"), kind: .closed, source: "Government decree No. 1 of 2026-12-01")
        let added = try await store.withOffice(database.office, actor: "alice") {
            try await $0.addCalendarOverride(decree)
        }
        #expect(added.queued == 1)
        #expect(added.override.enteredBy == "alice")

        let moved = try await process(database)
        #expect(moved.completed == 1 && moved.deadlinesMoved == 1)
        let fee = try await grantFee(database, right)
        #expect(fee.due == .iso("2027-02-10") && fee.status == "open")
        #expect(fee.movedFrom == .iso("2027-02-09"))
        #expect(fee.reason == "KZ closed 2027-02-09 by Government decree No. 1 of 2026-12-01, entered by alice")

        // The docket carries it; the attorney is told once (a retry of the batch adds nothing).
        var docket = DocketQuery(asOf: .iso("2026-12-03"))
        docket.office = database.office
        let query = docket
        let rows = try await store.withOffice(database.office, actor: "test") { try await $0.docket(query) }
        let row = try #require(rows.first { $0.id == fee.id })
        #expect(row.movedFromDue == .iso("2027-02-09") && row.movedReason == fee.reason)
        let outbox = try await database.admin.query(
            "SELECT idempotency_key, recipient, subject, payload FROM outbox WHERE idempotency_key LIKE 'deadline:%:moved:%'"
        ).map { try $0.decode(String.self, String.self, String.self, PostgresJSON.self) }
        #expect(outbox.count == 1)
        #expect(outbox.first?.1 == "attorney@ip.example.kz")
        #expect(outbox.first?.0 == "deadline:\(fee.id):moved:2027-02-10:2027-02-10")
        #expect(outbox.first?.2.hasPrefix("Moved from 2027-02-09: KZ-MOVE-1 — grant fee due 2027-02-10") == true)
        let envelope = try #require(try outbox.first?.3.decode(OutboxEnvelope.self))
        #expect(envelope.topic == "deadline.moved")
        #expect(
            envelope.body.hasPrefix(
                "The grant fee of KZ-MOVE-1 (KZ-MOVE-1) moved from 2027-02-09 to 2027-02-10: \(fee.reason ?? "?")."))
        guard case .object(let fields) = envelope.data else {
            Issue.record("the notice carries no data")
            return
        }
        #expect(fields["notice"] == .string("moved") && fields["moved_from_due"] == .string("2027-02-09"))
        #expect(fields["due_date"] == .string("2027-02-10"))

        // The overlaid engine explains the roll by the override.
        let book = try RuleBook.standard.overlaid(with: [decree])
        let explained = DeadlineEngine(book: book).deadlines(
            jurisdiction: .kazakhstan, kind: .patent,
            events: [RightEvent(.filed, on: .iso("2025-06-02")), RightEvent(.grantDecision, on: .iso("2026-11-09"))])
        let grant = try #require(explained.first { $0.ruleID == "KZ.grant-fee" })
        #expect(grant.due == .iso("2027-02-10"))
        #expect(grant.explanation.contains("KZ closed 2027-02-09 by Government decree No. 1 of 2026-12-01"))

        // Removed: the day is open again and the deadline moves back, saying so.
        let removed = try await store.withOffice(database.office, actor: "alice") {
            try await $0.removeCalendarOverride(added.override.id)
        }
        #expect(removed.queued == 1)
        let back = try await process(database)
        #expect(back.deadlinesMoved == 1)
        let restored = try await grantFee(database, right)
        #expect(restored.due == .iso("2027-02-09") && restored.movedFrom == .iso("2027-02-10"))
        #expect(restored.reason?.contains("no longer closed (override \(added.override.id) removed)") == true)
    }

    @Test("an override of an unknown calendar, outside its years, without a source or on a day already overridden is refused")
    func badOverridesAreRefused() async throws {
        let database = try await QueueDatabase.make()
        let store = Store(connection: database.admin)
        func refusal(_ override: CalendarOverride) async throws -> String? {
            do {
                _ = try await store.withOffice(database.office, actor: "alice") { try await $0.addCalendarOverride(override) }
                return nil
            } catch let error as StoreError {
                return error.description
            }
        }
        let day = CivilDate.iso("2027-03-09")
        #expect(try await refusal(.init(calendar: "XX", day: day, kind: .closed, source: "x"))?.contains("calendar: no XX calendar") == true)
        #expect(
            try await refusal(.init(calendar: "KZ", day: .iso("2040-01-06"), kind: .closed, source: "x"))?.contains(
                "date: the KZ calendar holds 2015–2030") == true)
        #expect(try await refusal(.init(calendar: "KZ", day: day, kind: .closed, source: "  "))?.contains("source:") == true)
        #expect(try await refusal(.init(calendar: "KZ", day: day, kind: .closed, source: "decree")) == nil)
        #expect(try await refusal(.init(calendar: "KZ", day: day, kind: .working, source: "decree"))?.contains("already closed") == true)
        #expect(try await database.count("SELECT count(*) FROM calendar_overrides") == 1)
    }

    @Test("a release with other rules or calendars queues a recount of every open deadline once; the first start queues none")
    func engineDataFingerprintQueuesRecount() async throws {
        let database = try await QueueDatabase.make()
        let right = try await grantFeeRight(database)
        let store = Store(connection: database.admin)
        func record(_ fingerprint: String) async throws -> Int {
            try await store.withService(actor: "ipcased") {
                try await $0.recordEngineDataFingerprint(fingerprint, reason: "release \(fingerprint)")
            }
        }
        #expect(try await record("r1-aaaa") == 0)
        #expect(try await record("r1-aaaa") == 0)
        #expect(try await record("r1-bbbb") == 1)
        #expect(try await store.withService(actor: "test") { try await $0.engineDataFingerprint() } == "r1-bbbb")
        // Same data in fact: the recount moves nothing.
        let outcome = try await process(database)
        #expect(outcome.completed == 1 && outcome.deadlinesMoved == 0 && outcome.deadlinesWritten == 0)
        #expect(try await grantFee(database, right).movedFrom == nil)
    }
}
