import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import Testing

/// An agreement's obligations end to end against a real PostgreSQL: recorded through the store
/// (execute, payment, amendment, termination), processed by the daemon's batch processor as the
/// daemon role, shown in the docket, reminded by the sweeper.
@Suite("Agreement obligations processing")
struct AgreementObligationsTests {
    let worker = "obligations-worker"
    let executed = CivilDate.iso("2026-03-01")

    /// Claims and processes every due job as the daemon role.
    func processQueued(_ daemon: Store, _ database: SweeperTestDatabase) async throws -> BatchOutcome {
        try await database.processQueued(daemon, worker: worker)
    }

    /// An office, a licensee, a right, and a draft licence with quarterly reports (45 days) and a
    /// milestone, from a deal managed by the office's attorney.
    func draftLicence(_ database: SweeperTestDatabase, name: String) async throws
        -> (office: SweeperOffice, agreement: ID<Agreement>)
    {
        let office = try await SweeperOffice.create(in: database, name: name)
        let right = try await office.right(
            in: database, reference: "\(name)-KZ", jurisdiction: .kazakhstan, applicationNumber: "\(name) 1")
        let owner = try await database.ownerStore()
        let manager = office.attorney
        let agreement = try await owner.withOffice(office.office, actor: "seed") { session in
            let licensee = try await session.createParty(
                Party(id: 0, kind: .organization, name: "Steppe Agro LLP", roles: [.licensee], sector: .industry))
            let deal = try await session.createDeal(
                Deal(id: 0, office: office.office, reference: "D-1", title: "Sorbent licence", rights: [right]))
            _ = try await session.connection.execute(
                "UPDATE deals SET manager_id = \(manager) WHERE office_id = \(office.office) AND id = \(deal.id)")
            return try await session.createAgreement(
                Agreement(
                    id: 0, office: office.office, reference: "LIC-2026-001", kind: .exclusiveLicence,
                    counterparties: [licensee.id], rightsCovered: [right],
                    financialTerms: FinancialTerms(upfront: Money(minorUnits: 100_000_00, .kzt)),
                    obligations: [
                        .royaltyReports(every: .quarterly, dueWithinDays: 45),
                        .milestone(name: "First commercial sale", dueOn: .iso("2027-03-01")),
                    ],
                    deal: deal.id)
            ).id
        }
        await owner.connection.close()
        return (office, agreement)
    }

    func withOffice<T: Sendable>(
        _ database: SweeperTestDatabase, _ office: ID<Office>, _ body: @Sendable (OfficeSession) async throws -> T
    ) async throws -> T {
        try await database.asOwner(office, body)
    }

    /// Open, done and superseded royalty reports of the agreement by period.
    func reports(_ database: SweeperTestDatabase, _ agreement: ID<Agreement>, status: String) async throws -> [Int] {
        try await database.admin.query(
            """
            SELECT year::int FROM deadlines WHERE agreement_id = \(agreement) AND rule_id = 'agreement.royalty-report'
              AND status = \(status) ORDER BY year
            """
        ).map { try $0.decode(Int.self, at: 0) }
    }

    @Test(
        "executing computes the reports; a royalty payment meets its report; a recompute writes nothing; terminating supersedes the later reports"
    )
    func executePayRecomputeTerminate() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "obligations")
        let (office, agreement) = try await draftLicence(database, name: "Obligations TTO")
        let daemon = try await database.daemonStore()
        let executed = self.executed

        // Execute: the job computes the obligations.
        let recorded = try await withOffice(database, office.office) { session in
            let stored = try await session.agreement(agreement).value
            return try await session.applyAgreementEvent(agreement, stored.execution(on: executed))
        }
        #expect(!recorded.jobs.isEmpty)
        let first = try await processQueued(daemon, database)
        #expect(first.failed == 0 && first.dead == 0)
        var expected = Agreement(
            id: agreement, office: office.office, reference: "LIC-2026-001", kind: .exclusiveLicence,
            obligations: [
                .royaltyReports(every: .quarterly, dueWithinDays: 45),
                .milestone(name: "First commercial sale", dueOn: .iso("2027-03-01")),
            ],
            executedOn: executed, state: .executed)
        let computed = expected.obligationDeadlines()
        #expect(first.deadlinesWritten == computed.count)
        let stored = try await database.admin.query(
            """
            SELECT rule_id, trigger_key, year::int, due_date, attorney_id, statutory, status FROM deadlines
            WHERE agreement_id = \(agreement) ORDER BY rule_id, year
            """)
        #expect(stored.count == computed.count)
        let row = try stored[0].decode(
            String.self, String.self, Int.self, CivilDate.self, ID<Party>?.self, Bool.self, String.self)
        #expect(row.0 == "agreement.milestone" && row.3 == .iso("2027-03-01"))
        #expect(row.4 == office.attorney && !row.5 && row.6 == "open")
        let firstReport = try stored[1].decode(String.self, String.self, Int.self, CivilDate.self, startingAt: 0)
        #expect(firstReport.1 == "effective:2026-03-01/quarterly" && firstReport.2 == 1)
        #expect(firstReport.3 == .iso("2026-05-15"))

        // The docket shows them with the agreement's reference and the manager.
        let docket = try await withOffice(database, office.office) { session in
            var query = DocketQuery(asOf: .iso("2026-04-01"))
            query.within = 60
            return try await session.docket(query)
        }
        #expect(docket.map(\.reference) == ["LIC-2026-001"])
        #expect(docket.first?.type == "royalty_report" && docket.first?.attorneyName == "Aigerim Attorney")
        #expect(docket.first?.explanation.contains("contractual date, not rolled") == true)

        // A royalty payment after the first period meets report 1.
        _ = try await withOffice(database, office.office) { session in
            try await session.createPayment(
                Payment(
                    id: 0, office: office.office, agreement: agreement, amount: Money(minorUnits: 250_000_00, .kzt),
                    kind: .royalty, receivedOn: .iso("2026-04-20"), reference: "PP-118"))
        }
        let paid = try await processQueued(daemon, database)
        #expect(paid.completed == 1 && paid.deadlinesWritten == 1)
        #expect(try await reports(database, agreement, status: "done") == [1])
        let reason = try await database.admin.query(
            "SELECT completed_reason FROM deadlines WHERE agreement_id = \(agreement) AND status = 'done'")
        #expect(try reason[0].decode(String.self, at: 0) == "met by royalty payment 2026-04-20 (PP-118)")

        // Recomputing changes nothing.
        _ = try await withOffice(database, office.office) {
            try await $0.enqueueObligationRecomputation(of: [agreement])
        }
        let again = try await processQueued(daemon, database)
        #expect(again.completed == 1 && again.deadlinesWritten == 0 && again.deadlinesSuperseded == 0)

        // Terminated on 2026-08-15: reports 1–3 remain (3 covers 1 Jul – 15 Aug), the rest and
        // the milestone (due after the end) are superseded, never deleted.
        _ = try await withOffice(database, office.office) { session in
            _ = try await session.applyAgreementEvent(agreement, .activate(on: executed))
            return try await session.applyAgreementEvent(
                agreement, .terminate(on: .iso("2026-08-15"), reason: "breach"))
        }
        let terminated = try await processQueued(daemon, database)
        #expect(terminated.failed == 0)
        #expect(try await reports(database, agreement, status: "open") == [2, 3])
        expected.state = .terminated
        expected.term.endsOn = .iso("2026-08-15")
        #expect(terminated.deadlinesSuperseded == computed.count - expected.obligationDeadlines().count)
        #expect(
            try await database.count(
                "SELECT count(*) FROM deadlines WHERE agreement_id = \(agreement) AND status = 'superseded'")
                == computed.count - 3)
        let third = try await database.admin.query(
            "SELECT due_date FROM deadlines WHERE agreement_id = \(agreement) AND year = 3 AND rule_id LIKE 'agreement.royalty%'"
        )
        #expect(try third[0].decode(CivilDate.self, at: 0) == .iso("2026-09-29"))
    }

    @Test("an agreement whose stored obligations do not decode fails its job with the reference; the others proceed")
    func poisonAgreementFailsAlone() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "obligations_poison")
        let (office, agreement) = try await draftLicence(database, name: "Poison TTO")
        let daemon = try await database.daemonStore()
        let executed = self.executed
        _ = try await withOffice(database, office.office) { session in
            let stored = try await session.agreement(agreement).value
            return try await session.applyAgreementEvent(agreement, stored.execution(on: executed))
        }
        let broken = try await database.admin.query(
            """
            INSERT INTO agreements (office_id, kind, reference, state, executed_on, obligations)
            VALUES (\(office.office), 'option', 'OPT-BROKEN', 'active', '2026-01-10', '[{"royalty-reports": {}}]')
            RETURNING id
            """)[0].decode(ID<Agreement>.self, at: 0)
        _ = try await withOffice(database, office.office) { try await $0.enqueueObligationRecomputation(of: [broken]) }
        let outcome = try await processQueued(daemon, database)
        #expect(outcome.failed == 1 && outcome.dead == 0)
        #expect(outcome.deadlinesWritten > 0)
        let error = try await database.admin.query(
            "SELECT last_error FROM jobs WHERE status <> 'done' AND payload::text LIKE \("%\(broken.rawValue)%")")
        #expect(try error.first?.decode(String.self, at: 0) == "agreement OPT-BROKEN: stored obligations do not decode")
        #expect(try await reports(database, agreement, status: "open").count > 0)
    }

    @Test(
        "a report closed by hand is skipped by later payments; a missed one is met late; the sweeper reminds the deal's manager"
    )
    func closedByHandAndReminded() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "obligations_sweep")
        let (office, agreement) = try await draftLicence(database, name: "Reminded TTO")
        let daemon = try await database.daemonStore()
        let executed = self.executed
        _ = try await withOffice(database, office.office) { session in
            let stored = try await session.agreement(agreement).value
            return try await session.applyAgreementEvent(agreement, stored.execution(on: executed))
        }
        _ = try await processQueued(daemon, database)

        // Report 1 was received without payment (no sales): closed by hand.
        let id = try await database.admin.query(
            "SELECT id, version FROM deadlines WHERE agreement_id = \(agreement) AND year = 1 AND rule_id LIKE 'agreement.royalty%'"
        )[0].decode(Int64.self, Int.self)
        _ = try await withOffice(database, office.office) { session in
            try await session.complete(deadline: id.0, version: id.1, as: .done, reason: "report received: no sales")
        }
        // Report 2 (due 2026-08-14) passed unreported: the sweeper marked it missed. A royalty
        // payment received later meets it, not report 1 closed by hand; it is done, noted late.
        _ = try await database.admin.execute(
            """
            UPDATE deadlines SET status = 'missed', completed_at = now(), completed_reason = 'final date passed'
            WHERE agreement_id = \(agreement) AND year = 2 AND rule_id LIKE 'agreement.royalty%'
            """)
        _ = try await withOffice(database, office.office) { session in
            try await session.createPayment(
                Payment(
                    id: 0, office: office.office, agreement: agreement, amount: Money(minorUnits: 10_000_00, .kzt),
                    kind: .royalty, receivedOn: .iso("2026-08-20")))
        }
        _ = try await processQueued(daemon, database)
        #expect(try await reports(database, agreement, status: "done") == [1, 2])
        let reasons = try await database.admin.query(
            "SELECT completed_reason FROM deadlines WHERE agreement_id = \(agreement) AND status = 'done' ORDER BY year"
        )
        #expect(
            try reasons.map { try $0.decode(String.self, at: 0) } == [
                "report received: no sales", "met by royalty payment 2026-08-20 (late)",
            ])

        // Report 3 is due 2026-11-14: 30 days before, its reminder goes to the deal's manager.
        let third = try await database.admin.query(
            "SELECT id FROM deadlines WHERE agreement_id = \(agreement) AND year = 3 AND rule_id LIKE 'agreement.royalty%'"
        )[0].decode(Int64.self, at: 0)
        let sweeper = DeadlineSweeper(store: daemon)
        let instant = Date(timeIntervalSince1970: Double(CivilDate.iso("2026-10-15").daysSinceEpoch) * 86_400)
        _ = try await sweeper.sweep(at: instant)
        let recipient = try await database.admin.query(
            "SELECT recipient FROM outbox WHERE idempotency_key = \("deadline:\(third):reminder:30")")
        #expect(try recipient.first?.decode(String.self, at: 0) == SweeperOffice.attorneyEmail)
    }
}
