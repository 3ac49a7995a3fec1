import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient
import Testing

/// A funded project's obligations end to end against a real PostgreSQL: recorded through the
/// store (award, registration, obligations changed, termination), processed by the daemon's
/// batch processor as the daemon role, shown in the docket, reminded to the project's manager.
@Suite("Funded project obligations processing")
struct ProjectObligationsTests {
    let worker = "project-worker"

    /// An office (its attorney manages the project), a funder, and a two-stage project applied for
    /// with stage reports (30 days), a final report (60), a deliverable and a state registration (30).
    func appliedProject(_ database: SweeperTestDatabase, name: String) async throws
        -> (office: SweeperOffice, project: ID<FundedProject>)
    {
        let office = try await SweeperOffice.create(in: database, name: name)
        let manager = office.attorney
        let project = try await database.asOwner(office.office) { session in
            let funder = try await session.createParty(
                Party(id: 0, kind: .organization, name: "QazInnovations", roles: [.funder], sector: .government))
            return try await session.createProject(
                FundedProject(
                    id: 0, office: office.office, reference: "GR-2026-003", title: "Sorbent pilot line",
                    funder: funder.id, programme: "Commercialization grant", minimumCofinancing: 1000,
                    stages: [
                        ProjectStage(amount: Money(minorUnits: 20_000_000_00, .kzt), from: .iso("2026-03-01"), to: .iso("2026-08-31")),
                        ProjectStage(amount: Money(minorUnits: 80_000_000_00, .kzt), from: .iso("2026-09-01"), to: .iso("2027-02-28")),
                    ],
                    obligations: [
                        .stageReports(dueWithinDays: 30), .finalReport(dueWithinDays: 60),
                        .deliverable(name: "Pilot line acceptance", dueOn: .iso("2026-12-15")),
                        .stateRegistration(dueWithinDays: 30),
                    ],
                    manager: manager)
            ).id
        }
        return (office, project)
    }

    /// The project's deadlines as (rule, period, due, status, attorney), in due order.
    func deadlines(_ database: SweeperTestDatabase, _ project: ID<FundedProject>) async throws
        -> [(rule: String, period: Int, due: CivilDate, status: String, attorney: ID<Party>?)]
    {
        try await database.admin.query(
            """
            SELECT rule_id, year::int, due_date, status, attorney_id FROM deadlines
            WHERE project_id = \(project) ORDER BY due_date, rule_id
            """
        ).map { try $0.decode(String.self, Int.self, CivilDate.self, String.self, ID<Party>?.self) }
    }

    @Test(
        "awarding computes the reports, deliverable and registration; registering meets it; a recompute writes nothing; terminating supersedes what was not yet due"
    )
    func awardRegisterRecomputeTerminate() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "project_obligations")
        let (office, project) = try await appliedProject(database, name: "Grants TTO")
        let daemon = try await database.daemonStore()

        // Applied: nothing owed yet.
        #expect(try await database.processQueued(daemon, worker: worker).deadlinesWritten == 0)
        #expect(try await deadlines(database, project).isEmpty)

        // Awarded: five deadlines, for the manager, contractual (not statutory).
        _ = try await database.asOwner(office.office) {
            try await $0.advanceProject(project, .award(on: .iso("2026-02-15")))
        }
        let awarded = try await database.processQueued(daemon, worker: worker)
        #expect(awarded.failed == 0 && awarded.dead == 0 && awarded.deadlinesWritten == 5)
        let stored = try await deadlines(database, project)
        #expect(stored.map(\.due) == ["2026-03-31", "2026-09-30", "2026-12-15", "2027-03-30", "2027-04-29"].map(CivilDate.iso))
        #expect(stored.map(\.rule) == [
            "project.state-registration", "project.stage-report", "project.deliverable", "project.stage-report",
            "project.final-report",
        ])
        #expect(stored.allSatisfy { $0.status == "open" && $0.attorney == office.attorney })
        #expect(try await database.count("SELECT count(*) FROM deadlines WHERE project_id = \(project) AND statutory") == 0)

        // The docket shows them with the project's reference and title, and filters by project.
        let docket = try await database.asOwner(office.office) { session in
            var query = DocketQuery(asOf: .iso("2026-03-01"))
            query.project = project
            return try await session.docket(query)
        }
        #expect(docket.count == 5)
        #expect(docket.allSatisfy { $0.reference == "GR-2026-003" && $0.title == "Sorbent pilot line" })
        #expect(docket.allSatisfy { $0.project == project && $0.right == nil && $0.agreement == nil })
        #expect(docket.first?.attorneyName == "Aigerim Attorney")
        #expect(docket.first?.explanation.contains("contractual date, not rolled") == true)

        // Registered on 20 March: the registration deadline is met.
        _ = try await database.asOwner(office.office) {
            try await $0.recordProjectRegistration("0124РК00321", on: .iso("2026-03-20"), of: project)
        }
        let registered = try await database.processQueued(daemon, worker: worker)
        #expect(registered.deadlinesWritten == 1)
        let reason = try await database.admin.query(
            "SELECT status, completed_reason FROM deadlines WHERE project_id = \(project) AND rule_id = 'project.state-registration'"
        )[0].decode(String.self, String.self)
        #expect(reason.0 == "done" && reason.1 == "met by registration 0124РК00321 of 2026-03-20")

        // The same obligations again: nothing changes.
        let current = try await database.asOwner(office.office) { try await $0.project(project).value }
        _ = try await database.asOwner(office.office) {
            try await $0.setProjectObligations(current.obligations, manager: current.manager, of: project)
        }
        let again = try await database.processQueued(daemon, worker: worker)
        #expect(again.completed == 1 && again.deadlinesWritten == 0 && again.deadlinesSuperseded == 0)

        // Stage 1's report sent and marked done; then terminated on 1 Oct 2026: what fell due by
        // then stays (done), the deliverable, stage 2's and the final report are superseded.
        let first = try await database.admin.query(
            "SELECT id, version FROM deadlines WHERE project_id = \(project) AND rule_id = 'project.stage-report' AND year = 1"
        )[0].decode(Int64.self, Int.self)
        _ = try await database.asOwner(office.office) { session in
            try await session.complete(deadline: first.0, version: first.1, as: .done, reason: "stage 1 report sent")
            _ = try await session.advanceProject(project, .start(on: .iso("2026-03-01")))
            return try await session.advanceProject(project, .terminate(on: .iso("2026-10-01"), reason: "funder withdrew"))
        }
        let terminated = try await database.processQueued(daemon, worker: worker)
        #expect(terminated.failed == 0 && terminated.deadlinesSuperseded == 3)
        #expect(try await deadlines(database, project).map(\.status) == ["done", "done", "superseded", "superseded", "superseded"])
        let ended = try await database.asOwner(office.office) { try await $0.project(project).value }
        #expect(ended.endedOn == .iso("2026-10-01") && ended.state == .terminated)
    }

    @Test("the sweeper reminds the project's manager of a report, and the notice names the project")
    func remindedToTheManager() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "project_sweep")
        let (office, project) = try await appliedProject(database, name: "Reminded grants TTO")
        let daemon = try await database.daemonStore()
        _ = try await database.asOwner(office.office) {
            try await $0.advanceProject(project, .award(on: .iso("2026-02-15")))
        }
        _ = try await database.processQueued(daemon, worker: worker)
        let report = try await database.admin.query(
            "SELECT id FROM deadlines WHERE project_id = \(project) AND rule_id = 'project.stage-report' AND year = 1"
        )[0].decode(Int64.self, at: 0)
        // Stage 1's report is due 2026-09-30: 30 days before, its reminder goes to the manager.
        let sweeper = DeadlineSweeper(store: daemon)
        let instant = Date(timeIntervalSince1970: Double(CivilDate.iso("2026-08-31").daysSinceEpoch) * 86_400)
        _ = try await sweeper.sweep(at: instant)
        let notice = try await database.admin.query(
            "SELECT recipient, subject, (payload->'data'->>'project_id')::bigint FROM outbox WHERE idempotency_key = \("deadline:\(report):reminder:30")"
        )
        #expect(notice.count == 1)
        let (recipient, subject, projectKey) = try notice[0].decode(String.self, String.self, Int64?.self)
        #expect(recipient == SweeperOffice.attorneyEmail)
        #expect(subject.contains("GR-2026-003") && subject.contains("stage report stage 1"))
        #expect(projectKey == project.rawValue)
    }
}
