import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

/// Inserts an open fee deadline of `right` as the superuser; returns its key.
private func feeDeadline(
    _ database: StoreTestDatabase, office: ID<Office>, right: ID<Right>, year: Int, due: String,
    final: String
) async throws -> Int64 {
    try await database.admin.query(
        """
        INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date, final_date)
        VALUES (\(office), \(right), 'kz.annuity', 'renewal', \(year), 'test', \(due)::date, \(due)::date,
                \(final)::date)
        RETURNING id
        """
    )[0].decode(Int64.self, at: 0)
}

/// The seeded offices, a login of office A and an open fee deadline of A's right (year 3, due
/// 2026-03-01, final 2026-09-01).
private struct DecisionOffice {
    let database: StoreTestDatabase
    let offices: SeededOffices
    let app: Store
    let deadline: Int64

    static func make() async throws -> DecisionOffice {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app", memberOf: [offices.a])
        let deadline = try await feeDeadline(
            database, office: offices.a, right: offices.rightOfA, year: 3, due: "2026-03-01",
            final: "2026-09-01")
        return DecisionOffice(database: database, offices: offices, app: app, deadline: deadline)
    }
}

@Suite("Renewal decisions")
struct RenewalDecisionTests {
    @Test func openingIsIdempotentAndRespectsTheLeadTime() async throws {
        let fixture = try await DecisionOffice.make()
        let (database, offices, app, near) = (fixture.database, fixture.offices, fixture.app, fixture.deadline)
        let asOf = try CivilDate(iso: "2026-01-01")
        _ = try await feeDeadline(
            database, office: offices.a, right: offices.rightOfA, year: 4, due: "2026-12-01",
            final: "2027-06-01")
        let (first, again, decisions) = try await app.withOffice(offices.a, actor: "aliya") { session in
            (
                try await session.openRenewalDecisions(asOf: asOf, leadDays: 90),
                try await session.openRenewalDecisions(asOf: asOf, leadDays: 90),
                try await session.renewalDecisions().filter { $0.value.ruleID == "kz.annuity" }
            )
        }
        // (The seed's decision is of another rule.)
        #expect(first == 1 && again == 0)
        #expect(decisions.map(\.value.deadline) == [near])
        #expect(decisions.first?.value.state == .pending && decisions.first?.value.feeYear == 3)
        #expect(decisions.first?.value.dueDate == (try CivilDate(iso: "2026-03-01")))
        // A longer lead time reaches the next year's fee.
        let later = try await app.withOffice(offices.a, actor: "aliya") {
            try await $0.openRenewalDecisions(asOf: asOf, leadDays: 365)
        }
        #expect(later == 1)
        #expect(
            try await database.count(
                "SELECT count(*)::int FROM workflow_history WHERE entity_type = 'renewal-decision' AND event = 'open' AND occurred_on = '2026-01-01'"
            )
                == 2)
    }

    @Test func decidingRecordsWhoWhenAndWhyAndAStaleVersionWritesNothing() async throws {
        let fixture = try await DecisionOffice.make()
        let (database, offices, app) = (fixture.database, fixture.offices, fixture.app)
        let decided = try await app.withOffice(offices.a, actor: "aliya") { session in
            try await session.openRenewalDecisions(asOf: try CivilDate(iso: "2026-01-01"))
            let id = try await session.renewalDecisions().first { $0.value.deadline == fixture.deadline }!.value.id
            return try await session.decideRenewal(
                id, choice: .keepWhileLicensed, reason: "licensed to Steppe Sorbents", expectedVersion: 1)
        }
        #expect(decided.value.state == .instructedPay && decided.value.choice == .keepWhileLicensed)
        #expect(
            decided.value.decidedBy == "aliya" && decided.value.reason == "licensed to Steppe Sorbents")
        #expect(decided.value.decidedAt != nil && decided.version == 2)

        let history =
            "SELECT count(*)::int FROM workflow_history WHERE entity_type = 'renewal-decision'"
        let before = try await database.count(PostgresQuery(unsafeSQL: history))
        await #expect(
            throws: StoreError.conflict(
                record: decided.value.label, expectedVersion: 1, currentVersion: 2)
        ) {
            try await app.withOffice(offices.a, actor: "bolat") { session in
                try await session.decideRenewal(
                    decided.value.id, choice: .drop, reason: "no licensee", expectedVersion: 1)
            }
        }
        let after = try await app.withOffice(offices.a, actor: "bolat") {
            try await $0.renewalDecision(decided.value.id)
        }
        #expect(
            after.value.choice == .keepWhileLicensed && after.value.decidedBy == "aliya"
                && after.version == 2)
        #expect(try await database.count(PostgresQuery(unsafeSQL: history)) == before)

        // A choice without a reason is refused by the workflow, naming the decision.
        await #expect(throws: StoreError.self) {
            try await app.withOffice(offices.a, actor: "bolat") { session in
                try await session.decideRenewal(decided.value.id, choice: .drop, reason: " ")
            }
        }
    }

    @Test func payingRecordsAnnuityPaidForTheYearAndQueuesTheRecomputation() async throws {
        let fixture = try await DecisionOffice.make()
        let (database, offices, app) = (fixture.database, fixture.offices, fixture.app)
        let jobsBefore = try await database.count(
            "SELECT count(*)::int FROM jobs WHERE kind = 'recompute-deadlines'")
        let paid = try await app.withOffice(offices.a, actor: "aliya") { session in
            try await session.openRenewalDecisions(asOf: try CivilDate(iso: "2026-01-01"))
            let id = try await session.renewalDecisions().first { $0.value.deadline == fixture.deadline }!.value.id
            try await session.decideRenewal(id, choice: .keep, reason: "core patent")
            return try await session.markRenewalPaid(id, on: try CivilDate(iso: "2026-02-10"))
        }
        #expect(paid.value.state == .paid)
        #expect(
            try await database.count(
                """
                SELECT count(*)::int FROM right_events WHERE right_id = \(offices.rightOfA) AND kind = 'annuity-paid'
                  AND year = 3 AND event_date = '2026-02-10'
                """) == 1)
        #expect(
            try await database.count("SELECT count(*)::int FROM jobs WHERE kind = 'recompute-deadlines'")
                >= max(jobsBefore, 1))
        // Paid is final.
        await #expect(throws: StoreError.self) {
            try await app.withOffice(offices.a, actor: "aliya") { session in
                try await session.decideRenewal(paid.value.id, choice: .drop, reason: "changed our mind")
            }
        }
    }

    @Test func anotherOfficeCannotSeeOrDecideTheDecisions() async throws {
        let fixture = try await DecisionOffice.make()
        let (offices, a) = (fixture.offices, fixture.app)
        let b = try await fixture.database.store(as: "ipcase_app", memberOf: [offices.b])
        let id = try await a.withOffice(offices.a, actor: "aliya") { session in
            try await session.openRenewalDecisions(asOf: try CivilDate(iso: "2026-01-01"))
            return try await session.renewalDecisions().first { $0.value.deadline == fixture.deadline }!.value.id
        }
        let (seen, opened) = try await b.withOffice(offices.b, actor: "bolat") { session in
            (
                try await session.renewalDecisions(),
                try await session.openRenewalDecisions(asOf: try CivilDate(iso: "2026-01-01"))
            )
        }
        // B sees its own (seeded) decision only.
        #expect(seen.count == 1 && !seen.map(\.value.id).contains(id) && opened == 0)
        await #expect(throws: StoreError.notFound(record: "renewal decision \(id)")) {
            try await b.withOffice(offices.b, actor: "bolat") { session in
                try await session.decideRenewal(id, choice: .drop, reason: "not ours")
            }
        }
        // A's login choosing B's office sees nothing either.
        let crossed = try await a.withOffice(offices.b, actor: "aliya") {
            try await $0.renewalDecisions()
        }
        #expect(crossed.isEmpty)
    }
}
