import IPCase
import PostgresClient

extension FundedProjectWorkflow.State: PostgresTextEnum {}

extension OfficeSession {
    /// Records a funded project (applied for) with its stages and the disclosures and rights
    /// that came out of it, and returns it with its key; refused, naming the field, for a bad
    /// figure, a funder that is not the office's, or a reference in use.
    public func createProject(_ project: FundedProject) async throws -> FundedProject {
        let record = "funded project \(project.reference)"
        if let problem = project.problems.first {
            throw StoreError.invalid(record: record, reason: "field \(problem.field): \(problem.reason)")
        }
        _ = try await party(project.funder)
        if let manager = project.manager { _ = try await party(manager) }
        for disclosure in project.disclosures { _ = try await self.disclosure(disclosure) }
        for right in project.rights { _ = try await self.right(right) }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO funded_projects (office_id, reference, title, funder_id, programme, min_cofinancing_bp,
                                             registration, registered_on, obligations, manager_id)
                VALUES (\(office), \(project.reference), \(project.title), \(project.funder), \(project.programme),
                        \(project.minimumCofinancing), \(project.registration), \(project.registeredOn),
                        \(try PostgresJSON(encoding: project.obligations)), \(project.manager))
                RETURNING id
                """)
            let id = try rows[0].decode(ID<FundedProject>.self, at: 0)
            let stages = project.stages
            _ = try await connection.execute(
                """
                INSERT INTO project_stages (office_id, project_id, stage_no, amount_minor, currency, from_on, to_on,
                                            cofinancing_minor)
                SELECT \(office), \(id), n, amount, currency, from_on, to_on, cofinancing
                FROM unnest(\(stages.map(\.amount.minorUnits))::bigint[], \(stages.map(\.amount.currency.code))::text[],
                            \(stages.map(\.from))::date[], \(stages.map(\.to))::date[],
                            \(stages.map { $0.cofinancing?.minorUnits })::bigint[])
                     WITH ORDINALITY AS s(amount, currency, from_on, to_on, cofinancing, n)
                """)
            _ = try await connection.execute(
                """
                INSERT INTO project_disclosures (office_id, project_id, disclosure_id)
                SELECT DISTINCT \(office), \(id), d FROM unnest(\(project.disclosures)::bigint[]) AS d
                """)
            _ = try await connection.execute(
                """
                INSERT INTO project_rights (office_id, project_id, right_id)
                SELECT DISTINCT \(office), \(id), r FROM unnest(\(project.rights)::bigint[]) AS r
                """)
            var created = project
            created.id = id
            created.state = .applied
            return created
        }
    }

    /// The office's funded projects by reference, with stages, disclosures and rights.
    public func projects() async throws -> [Versioned<FundedProject>] { try await projects(id: nil) }

    /// The project with key `id`.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func project(_ id: ID<FundedProject>) async throws -> Versioned<FundedProject> {
        guard let found = try await projects(id: id).first else {
            throw StoreError.notFound(record: "funded project \(id.rawValue)")
        }
        return found
    }

    /// Applies a workflow event to a project (award, reject, start, complete, terminate), kept
    /// in the workflow history, and queues the recomputation of its deadlines (an awarded or
    /// active project has them; a completed or terminated one has its open ones superseded); a
    /// refused transition or a stale version writes nothing.
    /// - Throws: ``StoreError/workflow(record:reason:)``, ``StoreError/conflict(record:expectedVersion:currentVersion:)``.
    @discardableResult
    public func advanceProject(
        _ id: ID<FundedProject>, _ event: FundedProjectWorkflow.Event, expectedVersion: Int? = nil
    ) async throws -> Versioned<FundedProject> {
        let stored = try await lockedProject(id, expectedVersion: expectedVersion)
        let label = "funded project \(stored.reference)"
        var workflow = FundedProjectWorkflow(id: id.rawValue, label: stored.reference, state: stored.state)
        let effects = try workflowStep(label) { () throws(WorkflowError) in try workflow.apply(event) }
        try await naming(label) {
            _ = try await connection.execute(
                """
                UPDATE funded_projects SET state = \(workflow.state), version = version + 1,
                       ended_on = CASE WHEN \(workflow.state) IN ('completed', 'terminated') THEN \(event.date)
                                       ELSE ended_on END
                WHERE office_id = \(office) AND id = \(id)
                """)
            try await appendHistory(
                entity: "funded-project", id: id.rawValue, event: event.kind.rawValue, from: stored.state.rawValue,
                to: workflow.state.rawValue, on: event.date, details: try PostgresJSON(encoding: event))
            _ = try await carryOut(effects)
        }
        return try await project(id)
    }

    /// Replaces what a project owes (stage and final reports, deliverables, state registration)
    /// and who is reminded of it, and queues the recomputation of its deadlines; refused, naming
    /// the field, for a bad obligation or a manager who is not the office's party, and for a
    /// stale version.
    /// - Throws: ``StoreError/invalid(record:reason:)``, ``StoreError/conflict(record:expectedVersion:currentVersion:)``.
    @discardableResult
    public func setProjectObligations(
        _ obligations: [ProjectObligation], manager: ID<Party>?, of id: ID<FundedProject>, expectedVersion: Int? = nil
    ) async throws -> Versioned<FundedProject> {
        let stored = try await lockedProject(id, expectedVersion: expectedVersion)
        let record = "funded project \(stored.reference)"
        for obligation in obligations {
            if let problem = obligation.problem { throw StoreError.invalid(record: record, reason: "field obligation: \(problem)") }
        }
        if let manager { _ = try await party(manager) }
        try await naming(record) {
            _ = try await connection.execute(
                """
                UPDATE funded_projects SET obligations = \(try PostgresJSON(encoding: obligations)),
                       manager_id = \(manager), version = version + 1
                WHERE office_id = \(office) AND id = \(id)
                """)
            _ = try await carryOut([.recomputeDeadlines(for: .project(id))])
        }
        return try await project(id)
    }

    /// Records the state registration of a budget-funded project (its number and day), which
    /// meets its state-registration deadline, and queues the recomputation; refused for an
    /// empty number or a stale version.
    @discardableResult
    public func recordProjectRegistration(
        _ registration: String, on day: CivilDate, of id: ID<FundedProject>, expectedVersion: Int? = nil
    ) async throws -> Versioned<FundedProject> {
        let stored = try await lockedProject(id, expectedVersion: expectedVersion)
        let record = "funded project \(stored.reference)"
        guard !registration.allSatisfy(\.isWhitespace) else {
            throw StoreError.invalid(record: record, reason: "field registration: a registration needs its number")
        }
        try await naming(record) {
            _ = try await connection.execute(
                """
                UPDATE funded_projects SET registration = \(registration), registered_on = \(day), version = version + 1
                WHERE office_id = \(office) AND id = \(id)
                """)
            _ = try await carryOut([.recomputeDeadlines(for: .project(id))])
        }
        return try await project(id)
    }

    /// The project locked for update, checked against `expectedVersion`.
    private func lockedProject(_ id: ID<FundedProject>, expectedVersion: Int?) async throws -> FundedProject {
        _ = try await connection.query(
            "SELECT 1 FROM funded_projects WHERE office_id = \(office) AND id = \(id) FOR UPDATE")
        let stored = try await project(id)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError.conflict(
                record: "funded project \(stored.value.reference)", expectedVersion: expectedVersion,
                currentVersion: stored.version)
        }
        return stored.value
    }

    /// Records the co-financing put into stage `stage` (1 for the first) of a project; refused,
    /// naming the field, for another currency than the stage's or a stage the project lacks.
    public func recordCofinancing(_ amount: Money, stage: Int, of id: ID<FundedProject>) async throws {
        let stored = try await project(id).value
        let record = "funded project \(stored.reference)"
        guard stored.stages.indices.contains(stage - 1) else {
            throw StoreError.invalid(record: record, reason: "field stage: it has \(stored.stages.count) stages, not \(stage)")
        }
        let currency = stored.stages[stage - 1].amount.currency
        guard amount.currency == currency, amount.minorUnits >= 0 else {
            throw StoreError.invalid(
                record: record, reason: "field amount: \(amount) is not an amount in the stage's \(currency.code)")
        }
        _ = try await connection.execute(
            """
            UPDATE project_stages SET cofinancing_minor = \(amount.minorUnits)
            WHERE office_id = \(office) AND project_id = \(id) AND stage_no = \(stage)
            """)
    }

    private func projects(id: ID<FundedProject>?) async throws -> [Versioned<FundedProject>] {
        var projects = try await connection.query(
            """
            SELECT p.id, p.reference, p.title, p.funder_id, p.programme, p.min_cofinancing_bp, p.registration,
                   p.registered_on, p.state, p.version, p.obligations, p.manager_id, p.ended_on,
                   coalesce((SELECT array_agg(d.disclosure_id ORDER BY d.disclosure_id) FROM project_disclosures d
                             WHERE d.office_id = p.office_id AND d.project_id = p.id), '{}'),
                   coalesce((SELECT array_agg(r.right_id ORDER BY r.right_id) FROM project_rights r
                             WHERE r.office_id = p.office_id AND r.project_id = p.id), '{}')
            FROM funded_projects p
            WHERE p.office_id = \(office) AND (\(id)::bigint IS NULL OR p.id = \(id))
            ORDER BY p.reference
            """
        ).map { row in
            let (key, reference, title, funder, programme, minimum, registration, registered) = try row.decode(
                ID<FundedProject>.self, String.self, String.self, ID<Party>.self, String.self, BasisPoints.self,
                String?.self, CivilDate?.self)
            let (state, version, obligationsJSON, manager, endedOn, disclosures, rights) = try row.decode(
                FundedProjectWorkflow.State.self, Int.self, PostgresJSON.self, ID<Party>?.self, CivilDate?.self,
                [ID<Disclosure>].self, [ID<Right>].self, startingAt: 8)
            let obligations: [ProjectObligation]
            do {
                obligations = try obligationsJSON.decode([ProjectObligation].self)
            } catch {
                throw StoreError.invalid(record: "funded project \(reference)", reason: "stored obligations do not decode")
            }
            return Versioned(
                FundedProject(
                    id: key, office: office, reference: reference, title: title, funder: funder, programme: programme,
                    minimumCofinancing: minimum, registration: registration, registeredOn: registered,
                    disclosures: disclosures, rights: rights, obligations: obligations, manager: manager, endedOn: endedOn,
                    state: state),
                version: version)
        }
        guard !projects.isEmpty else { return [] }
        var stages: [ID<FundedProject>: [ProjectStage]] = [:]
        for row in try await connection.query(
            """
            SELECT project_id, amount_minor, currency, from_on, to_on, cofinancing_minor FROM project_stages
            WHERE office_id = \(office) AND project_id = ANY(\(projects.map(\.value.id))::bigint[])
            ORDER BY project_id, stage_no
            """)
        {
            let (project, amount, currency, from, to, cofinancing) = try row.decode(
                ID<FundedProject>.self, Int64.self, Currency.self, CivilDate.self, CivilDate.self, Int64?.self)
            stages[project, default: []].append(
                ProjectStage(
                    amount: Money(minorUnits: amount, currency), from: from, to: to,
                    cofinancing: cofinancing.map { Money(minorUnits: $0, currency) }))
        }
        for index in projects.indices { projects[index].value.stages = stages[projects[index].value.id] ?? [] }
        return projects
    }
}
