import IPCase
import IPCaseStore
import PostgresClient

/// A funded project with its office, ordered as the projects' primary key (the lock order).
struct ProjectKey: Hashable, Comparable, Sendable {
    var office: ID<Office>
    var project: ID<FundedProject>

    static func < (lhs: ProjectKey, rhs: ProjectKey) -> Bool {
        (lhs.office.rawValue, lhs.project.rawValue) < (rhs.office.rawValue, rhs.project.rawValue)
    }
}

extension JobBatchProcessor {
    /// Computes the obligation deadlines of the funded projects in the batch (stage and final
    /// reports, deliverables, state registration: `FundedProject.obligationDeadlines()`) and
    /// writes them in the caller's transaction: the projects are locked in key order and loaded
    /// with their stages, their deadlines upserted by key; open ones no longer produced (an
    /// obligation removed, a project terminated before they fell due) are superseded.
    ///
    /// A project that does not exist or whose stored obligations do not decode fails its own
    /// jobs only. The person reminded is the project's manager, else nobody (the sweeper then
    /// writes to the office's supervisor).
    func processProjects(_ jobs: [ProjectKey: [ClaimedJob]], in session: ServiceSession) async throws
        -> ObligationsOutcome
    {
        guard !jobs.isEmpty else { return ObligationsOutcome() }
        let loaded = try await loadProjects(jobs.keys.sorted(), on: session.connection)
        return try await writeObligations(
            jobs, loaded: loaded, noun: "project", kind: .project, holder: { .project($0.project) },
            office: \.office, in: session
        ) { project in (project.manager, project.obligationDeadlines()) }
    }

    /// Locks the projects (in key order) and loads them with their stages, in one round trip.
    func loadProjects(_ keys: [ProjectKey], on connection: PostgresConnection) async throws
        -> [ProjectKey: Result<FundedProject, ScheduleError>]
    {
        let offices = keys.map(\.office)
        let ids = keys.map(\.project)
        let results = try await connection.pipeline([
            BatchStatements.lockProjects(offices: offices, projects: ids),
            BatchStatements.projectStages(offices: offices, projects: ids),
        ])
        var stages: [ProjectKey: [ProjectStage]] = [:]
        for row in results[1] {
            let (office, project, minor, currency, from, to) = try row.decode(
                ID<Office>.self, ID<FundedProject>.self, Int64.self, Currency.self, CivilDate.self, CivilDate.self)
            stages[ProjectKey(office: office, project: project), default: []].append(
                ProjectStage(amount: Money(minorUnits: minor, currency), from: from, to: to))
        }
        var inputs: [ProjectKey: Result<FundedProject, ScheduleError>] = [:]
        for row in results[0] {
            let (office, id, reference) = try row.decode(ID<Office>.self, ID<FundedProject>.self, String.self)
            let key = ProjectKey(office: office, project: id)
            do {
                let (state, obligationsJSON, manager, registration, registeredOn) = try row.decode(
                    FundedProjectWorkflow.State.self, PostgresJSON.self, ID<Party>?.self, String?.self,
                    CivilDate?.self, startingAt: 3)
                let obligations: [ProjectObligation]
                do {
                    obligations = try obligationsJSON.decode([ProjectObligation].self)
                } catch {
                    throw ScheduleError(reference: reference, reason: "stored obligations do not decode")
                }
                let (title, funder, programme, minimum, endedOn) = try row.decode(
                    String.self, ID<Party>.self, String.self, BasisPoints.self, CivilDate?.self, startingAt: 8)
                inputs[key] = .success(
                    FundedProject(
                        id: id, office: office, reference: reference, title: title, funder: funder,
                        programme: programme, minimumCofinancing: minimum, stages: stages[key] ?? [],
                        registration: registration, registeredOn: registeredOn, obligations: obligations,
                        manager: manager, endedOn: endedOn, state: state))
            } catch let error as ScheduleError {
                inputs[key] = .failure(error)
            } catch {
                inputs[key] = .failure(
                    ScheduleError(reference: reference, reason: "stored project does not decode: \(error)"))
            }
        }
        return inputs
    }
}
