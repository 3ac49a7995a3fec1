import Foundation
import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

/// A failure forced after the store has written, to prove the transaction leaves nothing.
struct ForcedFailure: Error {}

@Suite("Recording events: all or nothing")
struct WorkflowTransactionTests {
    /// A migrated database with one office and one draft right; counts of what an event leaves.
    struct Fixture {
        let database: StoreTestDatabase
        let app: Store
        let office: ID<Office>
        let right: ID<Right>

        static func make() async throws -> Fixture {
            let database = try await StoreTestDatabase.migrated()
            let owner = try await database.ownerStore()
            let office = try await owner.withService(actor: "provisioning") { session in
                try await session.createOffice(Office(id: 0, name: "TTO", region: .karaganda, kind: .university)).id
            }
            let app = try await database.store(as: "ipcase_app")
            let right = try await app.withOffice(office, actor: "setup") { session in
                try await session.createRight(
                    Right(
                        id: 0, office: office, reference: "KZ-7", title: "Sorbent", jurisdiction: .kazakhstan,
                        kind: .patent)
                ).id
            }
            return Fixture(database: database, app: app, office: office, right: right)
        }

        /// Right events, history rows, right audit rows after creation, and jobs.
        func traces() async throws -> [Int] {
            let row = try await database.admin.query(
                """
                SELECT (SELECT count(*) FROM right_events WHERE right_id = \(right)),
                       (SELECT count(*) FROM workflow_history WHERE entity_type = 'right' AND entity_id = \(right)),
                       (SELECT count(*) FROM audit_log WHERE table_name = 'rights' AND record_id = \(right)
                                                          AND action = 'UPDATE'),
                       (SELECT count(*) FROM jobs WHERE office_id = \(office))
                """)[0]
            let (events, history, audit, jobs) = try row.decode(Int.self, Int.self, Int.self, Int.self)
            return [events, history, audit, jobs]
        }

        func state() async throws -> String {
            try await database.admin.query("SELECT state FROM rights WHERE id = \(right)")[0].decode(String.self, at: 0)
        }
    }

    @Test("the database's constraints are named in words: the field, and a text limit with its figure")
    func constraintViolationsNameTheField() async throws {
        let fixture = try await Fixture.make()
        await #expect(
            throws: StoreError.invalid(record: "right KZ-8", reason: "title is longer than 2000 characters")
        ) {
            try await fixture.app.withOffice(fixture.office, actor: "setup") { session in
                _ = try await session.createRight(
                    Right(
                        id: 0, office: fixture.office, reference: "KZ-8", title: String(repeating: "x", count: 2_001),
                        jurisdiction: .kazakhstan, kind: .patent))
            }
        }
        await #expect(
            throws: StoreError.invalid(record: "right KZ-7", reason: "a record with the same reference already exists")
        ) {
            try await fixture.app.withOffice(fixture.office, actor: "setup") { session in
                _ = try await session.createRight(
                    Right(id: 0, office: fixture.office, reference: "KZ-7", title: "Again", jurisdiction: .kazakhstan, kind: .patent))
            }
        }
    }

    @Test func aRecordedEventLeavesHistoryAuditAndAQueuedJob() async throws {
        let fixture = try await Fixture.make()
        let listener = try await PostgresConnection.connect(url: fixture.database.url)
        try await listener.listen(jobsChannel)
        let right = fixture.right
        let recorded = try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
            try await session.recordEvent(
                right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14"), reference: "2024/0101.1"))
        }
        #expect(recorded.fromState == "draft")
        #expect(recorded.toState == "filed")
        #expect(try await fixture.traces() == [1, 1, 1, 1])
        #expect(try await fixture.state() == "filed")

        let history = try await fixture.database.admin.query(
            "SELECT event, from_state, to_state, actor FROM workflow_history WHERE entity_id = \(right)")[0]
        #expect(
            try history.decode(String.self, String.self, String.self, String.self) == (
                "filed", "draft", "filed", "alice"
            ))
        let audit = try await fixture.database.admin.query(
            """
            SELECT actor, before->>'state', after->>'state', after->>'application_number' FROM audit_log
            WHERE table_name = 'rights' AND record_id = \(right) AND action = 'UPDATE'
            """)[0]
        #expect(
            try audit.decode(String.self, String.self, String.self, String.self) == (
                "alice", "draft", "filed", "2024/0101.1"
            ))
        let job = try await fixture.database.admin.query(
            "SELECT kind, status, payload::text FROM jobs WHERE id = \(recorded.jobs[0])")[0]
        let (kind, status, payload) = try job.decode(String.self, String.self, String.self)
        #expect(kind == "recompute-deadlines")
        #expect(status == "queued")
        #expect(payload.contains("\(right.rawValue)"))
        let notification = try await listener.nextNotification(timeout: .seconds(5))
        #expect(notification?.channel == jobsChannel)
        #expect(notification?.payload == String(fixture.office.rawValue))
    }

    @Test func aRefusedTransitionWritesNothingAndSaysWhatIsAllowed() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        let error = await #expect(throws: StoreError.self) {
            try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
                try await session.recordEvent(
                    right, RightEvent(.granted, on: try CivilDate(iso: "2025-01-10"), reference: "12345"))
            }
        }
        #expect(
            error?.description
                == "right KZ-7 is 'draft'; 'granted' is not allowed; allowed: filed, abandoned")
        #expect(try await fixture.traces() == [0, 0, 0, 0])
        #expect(try await fixture.state() == "draft")
    }

    @Test func aFailedGuardNamesWhatIsMissingAndWritesNothing() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        let error = await #expect(throws: StoreError.self) {
            try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
                try await session.recordEvent(right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14")))
            }
        }
        #expect(error?.description.hasSuffix("'filed' needs an application number") == true)
        #expect(try await fixture.traces() == [0, 0, 0, 0])
    }

    @Test func aFailureAfterTheEventWasWrittenRollsEverythingBack() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        await #expect(throws: ForcedFailure.self) {
            try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
                let recorded = try await session.recordEvent(
                    right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14"), reference: "2024/0101.1"))
                #expect(recorded.toState == "filed")
                throw ForcedFailure()
            }
        }
        #expect(try await fixture.traces() == [0, 0, 0, 0])
        #expect(try await fixture.state() == "draft")
    }

    @Test func aDatabaseFailureInsideTheEventRollsEverythingBack() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        // The right is filed, then the job insert fails: jobs.kind must not be empty. A trigger
        // forces that failure after right_events, rights and workflow_history were written.
        try await fixture.database.admin.executeScript(
            """
            CREATE FUNCTION test_fail_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'forced failure' USING ERRCODE = 'check_violation'; END $$;
            CREATE TRIGGER test_fail_jobs BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION test_fail_jobs();
            """)
        let error = await #expect(throws: StoreError.self) {
            try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
                try await session.recordEvent(
                    right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14"), reference: "2024/0101.1"))
            }
        }
        #expect(error?.description == "right KZ-7: forced failure")
        #expect(try await fixture.traces() == [0, 0, 0, 0])
        #expect(try await fixture.state() == "draft")
    }

    @Test func docketEventsAreRecordedWithoutMovingTheRight() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
            try await session.recordEvent(
                right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14"), reference: "2024/0101.1"))
            let recorded = try await session.recordEvent(
                right, RightEvent(.officeAction, on: try CivilDate(iso: "2024-09-02"), reference: "OA-1"))
            #expect(recorded.fromState == "filed" && recorded.toState == "filed")
            let events = try await session.events(of: right)
            #expect(events.map(\.event.kind) == [.filed, .officeAction])
        }
        // Two events, two history rows, one audited state change, one job: the second event's
        // recomputation is the one still queued.
        #expect(try await fixture.traces() == [2, 2, 1, 1])
    }

    @Test func anExecutedDealCreatesItsAgreementInTheSameTransaction() async throws {
        let fixture = try await Fixture.make()
        let office = fixture.office
        let dealID = try await fixture.app.withOffice(office, actor: "bob") { session in
            let draft = try await session.createAgreement(
                Agreement(id: 0, office: office, reference: "NDA-0", kind: .nda))
            let nda = try await session.createAgreement(
                Agreement(
                    id: 0, office: office, reference: "NDA-1", kind: .nda,
                    executedOn: try CivilDate(iso: "2025-01-15"), state: .executed))
            let licensee = try await session.createParty(
                Party(id: 0, kind: .organization, name: "KMG", roles: [.licensee], sector: .industry))
            let deal = try await session.createDeal(
                Deal(
                    id: 0, office: office, reference: "DL-9", title: "Licence to KMG", rights: [fixture.right],
                    counterparty: licensee.id))
            try await session.applyDealEvent(deal.id, .makeContact)
            // A draft NDA is not one in place, whatever the caller says of it.
            await #expect(
                throws: StoreError.workflow(
                    record: "deal DL-9",
                    reason: "deal DL-9 is 'contacted'; 'start-evaluation' needs an executed NDA or MTA (agreement #\(draft.id.rawValue) is 'draft')")
            ) {
                try await session.applyDealEvent(
                    deal.id, .startEvaluation(under: .init(agreement: draft.id, kind: .nda, state: .executed)))
            }
            try await session.applyDealEvent(deal.id, .startEvaluation(under: .init(agreement: nda.id, kind: .nda)))
            try await session.applyDealEvent(deal.id, .startNegotiation)
            try await session.applyDealEvent(deal.id, .agreeTermSheet)
            return deal.id
        }
        // Without terms the licence cannot be signed: refused, naming what is missing, and the
        // transaction leaves nothing (no draft agreement, the deal where it was).
        let refused = await #expect(throws: StoreError.self) {
            try await fixture.app.withOffice(office, actor: "bob") { session in
                try await session.applyDealEvent(dealID, .executeAgreement(kind: .exclusiveLicence))
            }
        }
        #expect(refused?.description.contains("'execute-agreement' cannot sign the agreement") == true, "\(String(describing: refused))")
        #expect(refused?.description.contains("financial terms") == true)
        #expect(try await fixture.database.count("SELECT count(*) FROM agreements WHERE deal_id IS NOT NULL") == 0)
        let (deal, agreement) = try await fixture.app.withOffice(office, actor: "bob") { session in
            let recorded = try await session.applyDealEvent(
                dealID, .executeAgreement(kind: .exclusiveLicence), on: try CivilDate(iso: "2025-06-30"),
                terms: FinancialTerms(upfront: Money(minorUnits: 500_000_000, .kzt)))
            #expect(recorded.toState == "agreement-executed")
            let stored = try await session.deal(dealID).value
            return (stored, try await session.agreement(stored.agreement!).value)
        }
        #expect(deal.state == .agreementExecuted)
        #expect(agreement.kind == .exclusiveLicence)
        // Signed, with the deal's counterparty and right and the terms given, on the day given.
        #expect(agreement.state == .executed)
        #expect(agreement.executedOn == (try CivilDate(iso: "2025-06-30")))
        #expect(agreement.counterparties.count == 1 && agreement.rightsCovered == [fixture.right])
        #expect(agreement.financialTerms?.upfront == Money(minorUnits: 500_000_000, .kzt))
        #expect(agreement.deal == deal.id)
        #expect(
            try await fixture.database.count("SELECT count(*) FROM workflow_history WHERE entity_type = 'deal'") == 5)
    }
}
