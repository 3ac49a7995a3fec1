import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

@testable import IPCaseDaemon

/// The sweeper's renewal-decision step under the daemon login: decisions opened at the lead
/// time, one reminder per step and one escalation, the last call, a dropped right abandoned after
/// its final date with no deadline reminder for it; and a paid decision closing its fee deadline
/// once the daemon processed the annuity-paid it recorded.
@Suite("renewal decisions in the sweep (PostgreSQL)")
struct RenewalDecisionSweepTests {
    /// An office with one EP right in force and its renewal deadline (due 2027-03-31, final
    /// 2027-09-30), and the daemon's sweeper with the standard decision policy.
    struct Fixture {
        let database: SweeperTestDatabase
        let office: SweeperOffice
        let right: ID<Right>
        let deadline: Int64
        let sweeper: DeadlineSweeper

        static func make(_ prefix: String) async throws -> Fixture {
            let database = try await SweeperTestDatabase.migrated(prefix: prefix)
            let office = try await SweeperOffice.create(in: database, name: "Decisions TTO")
            let right = try await office.right(
                in: database, reference: "EP-7", jurisdiction: .european, applicationNumber: "23 812 345.6")
            let deadline = try await office.deadline(
                in: database, right: right, due: .iso("2027-03-31"), final: .iso("2027-09-30"))
            let sweeper = DeadlineSweeper(store: try await database.daemonStore(), decisions: .standard)
            return Fixture(database: database, office: office, right: right, deadline: deadline, sweeper: sweeper)
        }

        func sweep(_ day: String) async throws -> SweepReport {
            try await sweeper.sweep(office: office.office, today: .iso(day), contact: SweeperOffice.supervisorEmail)
        }

        func decision() async throws -> (id: Int64, state: String) {
            let row = try await database.admin.query(
                "SELECT id, state FROM renewal_decisions WHERE deadline_id = \(deadline)")[0]
            return try row.decode(Int64.self, String.self)
        }
    }

    @Test("the reminder steps are the lead time and the reminder offsets above the escalation window")
    func reminderStepsAndEscalationWindow() throws {
        let policy = RenewalDecisionPolicy.standard
        #expect(policy.steps.offsets == [90, 60, 30])
        #expect(
            RenewalDecisionNotice.due(daysLeft: 85, steps: policy.steps, escalationDays: 14)
                == .reminder(offset: 90, daysLeft: 85))
        #expect(
            RenewalDecisionNotice.due(daysLeft: 15, steps: policy.steps, escalationDays: 14)
                == .reminder(offset: 30, daysLeft: 15))
        #expect(
            RenewalDecisionNotice.due(daysLeft: 14, steps: policy.steps, escalationDays: 14)
                == .escalation(daysLeft: 14))
        #expect(RenewalDecisionNotice.due(daysLeft: 120, steps: policy.steps, escalationDays: 14) == nil)
        let configured = try ConfigurationLoader(
            filePath: nil,
            environment: [
                "IPCASE_DATABASE_URL": "postgresql:///x", "IPCASE_DECISIONS_LEAD_DAYS": "120",
                "IPCASE_DECISIONS_ESCALATION_DAYS": "21",
            ]
        ).load()
        #expect(configured.renewalDecisionPolicy.steps.offsets == [120, 60, 30])
        #expect(configured.renewalDecisionPolicy.escalationDays == 21)
    }

    @Test("pending: opened at the lead time, reminded once per step, escalated once, last call after the due date")
    func pendingDecisionIsRemindedAndEscalatedOnceEach() async throws {
        let f = try await Fixture.make("decisions_remind")
        // 120 days before the due date: not yet.
        #expect(try await f.sweep("2026-12-01").decisionsOpened == 0)
        let opened = try await f.sweep("2027-01-05")
        #expect(opened.decisionsOpened == 1 && opened.decisionReminders == 1)
        let id = try await f.decision().id
        #expect(try await f.sweep("2027-01-05").decisionReminders == 0)
        #expect(try await f.sweep("2027-01-30").decisionReminders == 1)
        let escalated = try await f.sweep("2027-03-20")
        #expect(escalated.decisionEscalations == 1 && escalated.decisionReminders == 0)
        #expect(try await f.sweep("2027-03-21").decisionEscalations == 0)
        #expect(
            try await f.database.outboxKeys(like: "renewal-decision:%") == [
                "renewal-decision:\(id):escalation", "renewal-decision:\(id):reminder:60",
                "renewal-decision:\(id):reminder:90",
            ])
        let recipients = try await f.database.admin.query(
            "SELECT DISTINCT recipient FROM outbox WHERE idempotency_key LIKE 'renewal-decision:%'"
        ).map { try $0.decode(String.self, at: 0) }
        #expect(recipients == [SweeperOffice.supervisorEmail])

        // The due date passed unpaid, the grace period runs: the last call.
        #expect(try await f.sweep("2027-04-02").decisionLastCalls == 1)
        #expect(try await f.decision().state == "last-call")
    }

    @Test("drop: no reminder for the fee, the decision lapsed and the right abandoned after the final date")
    func droppedRightIsAbandonedAfterTheFinalDateWithoutReminders() async throws {
        let f = try await Fixture.make("decisions_drop")
        _ = try await f.sweep("2027-01-05")
        let id = try await f.decision().id
        let owner = try await f.database.ownerStore()
        try await owner.withOffice(f.office.office, actor: "head") { session in
            _ = try await session.decideRenewal(id, choice: .drop, reason: "no licensee, weak claims")
        }
        let before = try await f.database.outboxKeys(like: "deadline:\(f.deadline):%")
        _ = try await f.sweep("2027-03-24")
        _ = try await f.sweep("2027-04-05")
        // Neither the 7-day reminder nor the overdue escalation of the dropped fee.
        #expect(try await f.database.outboxKeys(like: "deadline:\(f.deadline):%") == before)
        #expect(try await f.decision().state == "instructed-drop")

        let after = try await f.sweep("2027-10-01")
        #expect(after.decisionsLapsed == 1 && after.abandonedRights == 1 && after.lapsedRights == 0)
        #expect(try await f.decision().state == "lapsed")
        #expect(
            try await f.database.admin.query("SELECT state FROM rights WHERE id = \(f.right)")[0].decode(
                String.self, at: 0) == "abandoned")
        #expect(
            try await f.database.count(
                """
                SELECT count(*)::int FROM workflow_history
                WHERE entity_type = 'right' AND entity_id = \(f.right) AND event = 'abandoned'
                  AND occurred_on = '2027-10-01' AND actor = 'ipcased/sweeper'
                """) == 1)
        #expect(try await f.sweep("2027-10-02").decisionsLapsed == 0)
    }

    @Test("paid: annuity-paid recorded for the year, and the fee deadline is done once processed")
    func paidDecisionClosesTheFeeDeadlineAfterProcessing() async throws {
        let database = try await QueueDatabase.make()
        let store = Store(connection: database.admin)
        let right = try await store.withOffice(database.office, actor: "officer") { session in
            let right = try await session.createRight(
                Right(
                    id: 0, office: database.office, reference: "KZ-PAY", title: "Sorbent", jurisdiction: .kazakhstan,
                    kind: .patent))
            for (kind, date, reference) in LatePaymentTests.granted {
                _ = try await session.recordEvent(
                    right.id, RightEvent(kind, on: try CivilDate(iso: date), reference: reference))
            }
            _ = try await session.recordEvent(right.id, RightEvent(.grantFeePaid, on: try CivilDate(iso: "2025-10-20")))
            for year in 1...4 {
                _ = try await session.recordEvent(
                    right.id, RightEvent(.annuityPaid, on: try CivilDate(iso: "2025-11-20"), year: year))
            }
            return right.id
        }
        let asOf = try CivilDate(iso: "2025-12-15")
        _ = try await DeadlineProcessing.processPendingJobs(store: store, asOf: asOf)
        let decision = try await store.withOffice(database.office, actor: "officer") { session in
            try await session.openRenewalDecisions(asOf: asOf, leadDays: 90)
            let decision = try #require(try await session.renewalDecisions().first { $0.value.feeYear == 5 })
            try await session.decideRenewal(decision.value.id, choice: .keep, reason: "licensed")
            return try await session.markRenewalPaid(decision.value.id, on: try CivilDate(iso: "2026-02-15"))
        }
        #expect(decision.value.state == .paid && decision.value.right == right)
        _ = try await DeadlineProcessing.processPendingJobs(store: store, asOf: try CivilDate(iso: "2026-02-16"))
        let status = try await database.admin.query(
            "SELECT status FROM deadlines WHERE id = \(decision.value.deadline)")[0].decode(String.self, at: 0)
        #expect(status == "done")
    }
}
