import IPCase
import IPCaseStore

/// `projects.csv` (`RecordFile/projects`) → funded projects with their stages, what they owe and
/// the workflow steps that bring each to its `state`, all written in one transaction (each
/// project checked as `createProject` and `advanceProject` check it).
struct ProjectsImporter: RecordImporter {
    /// A project of the file: the project (its stages in order) and the steps to replay.
    struct Record: Sendable {
        var line: Int
        /// Whether it is the project's first row (the later ones carry one stage each).
        var isFirst = true
        var project: FundedProject
        var events: [FundedProjectWorkflow.Event]
    }

    /// The columns of the project itself, given on its first row.
    static let projectColumns = [
        "title", "funder", "programme", "min_cofinancing", "manager", "state", "decided_on", "started_on", "ended_on",
        "reason", "registration", "registered_on", "disclosures", "rights", "stage_reports_within_days",
        "final_report_within_days", "state_registration_within_days", "deliverables",
    ]

    static let file = RecordFile.projects
    let options: CSVImport.Options
    var parties: [String: ID<Party>]
    var disclosures: [String: ID<Disclosure>]
    var rights: [String: ID<Right>]
    var stored: Set<String>
    /// The first row of each project in the file, by reference.
    var first: [String: CSVRow] = [:]
    /// The number the next stage row of each project must have.
    var nextStage: [String: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        let references = Array(Set(table.rows.flatMap { $0.list("rights") }))
        (parties, disclosures, rights, stored) = try await options.withOffice { session in
            (
                try await session.partyIDs(), try await session.disclosureIDs(),
                try await session.rightIDs(references: references),
                Set(try await session.projects().map(\.value.reference))
            )
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let reference = row["reference"]
        if reference.isEmpty {
            problems.add(row, "reference", "the project's reference is required")
            return nil
        }
        if stored.contains(reference) {
            problems.add(row, "reference", "'\(reference)' is a recorded project already")
            return nil
        }
        let stage = self.stage(row, &problems)
        let expected = nextStage[reference] ?? 1
        if let number = Int(row["stage"]), number >= 1, number != expected {
            problems.add(row, "stage", "\(number) is not the next stage of \(reference) (\(expected); stages in order)")
        }
        nextStage[reference] = expected + 1
        if let head = first[reference] {
            // A later stage: the project's columns are empty or repeat the first row's.
            for column in Self.projectColumns where !row[column].isEmpty && row[column] != head[column] {
                problems.add(
                    row, column, "'\(row[column])' differs from row \(head.line) of \(reference) ('\(head[column])')")
            }
            guard let stage else { return nil }
            // Joined to the project of its first row in `finish`.
            let later = FundedProject(
                id: 0, office: options.office, reference: reference, title: "", funder: 0, programme: "",
                stages: [stage])
            return Record(line: row.line, isFirst: false, project: later, events: [])
        }
        first[reference] = row
        return project(row, reference: reference, stage: stage, &problems)
    }

    /// The stage of `row`.
    func stage(_ row: CSVRow, _ problems: inout RowProblems) -> ProjectStage? {
        if Int(row["stage"]) == nil || Int(row["stage"])! < 1 {
            problems.add(row, "stage", "'\(row["stage"])' is not a stage number such as 1")
        }
        let from = row.date("from", &problems, required: true)
        let to = row.date("to", &problems, required: true)
        let currency = row.currency("currency", &problems)
        let amount = row.amount("amount", in: currency, &problems, allowZero: false)
        let cofinancing = row.amount("cofinancing", in: currency, &problems, required: false)
        guard let from, let to, let amount else { return nil }
        return ProjectStage(amount: amount, from: from, to: to, cofinancing: cofinancing)
    }

    /// The project of its first row, with the steps to its state.
    func project(_ row: CSVRow, reference: String, stage: ProjectStage?, _ problems: inout RowProblems) -> Record? {
        func party(_ column: String, required: Bool) -> ID<Party>? {
            let name = row[column]
            if name.isEmpty {
                if required { problems.add(row, column, "a party's name is required") }
                return nil
            }
            if let id = parties[name] { return id }
            problems.add(row, column, "'\(name)' is not a party of this office")
            return nil
        }
        func days(_ column: String) -> Int? {
            let text = row[column]
            guard !text.isEmpty else { return nil }
            guard let value = Int(text), value >= 0 else {
                problems.add(row, column, "'\(text)' is not a number of days")
                return nil
            }
            return value
        }
        let funder = party("funder", required: true)
        let manager = party("manager", required: false)
        var minimum = BasisPoints.zero
        if !row["min_cofinancing"].isEmpty {
            do throws(FieldProblem) {
                minimum = try FieldValues.percent(row["min_cofinancing"])
            } catch {
                problems.add(row, "min_cofinancing", error)
            }
        }
        var obligations: [ProjectObligation] = []
        if let days = days("stage_reports_within_days") { obligations.append(.stageReports(dueWithinDays: days)) }
        if let days = days("final_report_within_days") { obligations.append(.finalReport(dueWithinDays: days)) }
        for item in row.list("deliverables") {
            let parts = item.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let due = try? CivilDate(iso: parts[0]), parts[0].count == 10 else {
                problems.add(row, "deliverables", "'\(item)' is not 'YYYY-MM-DD name'")
                continue
            }
            obligations.append(.deliverable(name: parts[1], dueOn: due))
        }
        if let days = days("state_registration_within_days") {
            obligations.append(.stateRegistration(dueWithinDays: days))
        }
        let events = self.events(row, &problems)
        let project = FundedProject(
            id: 0, office: options.office, reference: reference, title: row["title"], funder: funder ?? 0,
            programme: row["programme"], minimumCofinancing: minimum, stages: stage.map { [$0] } ?? [],
            registration: row["registration"].isEmpty ? nil : row["registration"],
            registeredOn: row.date("registered_on", &problems),
            disclosures: row.keys("disclosures", in: disclosures, &problems, unknown: "disclosure"),
            rights: row.keys("rights", in: rights, &problems, unknown: "right"),
            obligations: obligations, manager: manager)
        guard funder != nil, stage != nil, let events else { return nil }
        return Record(line: row.line, project: project, events: events)
    }

    /// The workflow steps from `applied` to the row's `state`, with their dates.
    func events(_ row: CSVRow, _ problems: inout RowProblems) -> [FundedProjectWorkflow.Event]? {
        let state: FundedProjectWorkflow.State
        do throws(FieldProblem) {
            state = row["state"].isEmpty ? .applied : try FieldValues.choice(row["state"], FundedProjectWorkflow.State.self)
        } catch {
            problems.add(row, "state", error)
            return nil
        }
        let needed: Set<String> =
            switch state {
            case .applied: []
            case .awarded, .rejected: ["decided_on"]
            case .active: ["decided_on", "started_on"]
            case .completed: ["decided_on", "started_on", "ended_on"]
            case .terminated: ["decided_on", "ended_on"]
            }
        var dates: [String: CivilDate] = [:]
        for column in ["decided_on", "started_on", "ended_on"] {
            if let day = row.date(column, &problems, required: needed.contains(column)) { dates[column] = day }
        }
        guard needed.allSatisfy({ dates[$0] != nil }) else { return nil }
        let reason = row["reason"]
        switch state {
        case .applied: return []
        case .rejected: return [.reject(on: dates["decided_on"]!, reason: reason)]
        case .awarded: return [.award(on: dates["decided_on"]!)]
        case .active: return [.award(on: dates["decided_on"]!), .start(on: dates["started_on"]!)]
        case .completed:
            return [.award(on: dates["decided_on"]!), .start(on: dates["started_on"]!), .complete(on: dates["ended_on"]!)]
        case .terminated:
            return [.award(on: dates["decided_on"]!)] + (dates["started_on"].map { [.start(on: $0)] } ?? [])
                + [.terminate(on: dates["ended_on"]!, reason: reason)]
        }
    }

    /// Joins each project's later stages to its first row, checks the stage numbers run 1, 2 …
    /// and every project as the store would (co-financing currency, overlapping stages, guards).
    mutating func finish(_ records: inout [Record], _ problems: inout RowProblems) async throws {
        var joined: [Record] = []
        var index: [String: Int] = [:]
        for record in records {
            let reference = record.project.reference
            if let at = index[reference] {
                joined[at].project.stages += record.project.stages
            } else if record.isFirst {
                index[reference] = joined.count
                joined.append(record)
            }
        }
        records = joined
        for record in records {
            guard let head = first[record.project.reference] else { continue }
            for problem in record.project.problems {
                problems.add(head, problem.field == "stage" ? "from" : problem.field, problem.reason)
            }
            var workflow = FundedProjectWorkflow(id: 0, label: record.project.reference)
            for event in record.events {
                do throws(WorkflowError) {
                    _ = try workflow.apply(event)
                } catch {
                    problems.add(head, event.kind == .reject || event.kind == .terminate ? "reason" : "state", "\(error)")
                    break
                }
            }
        }
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        var jobs = 0
        for record in records {
            let created = try await session.createProject(record.project)
            for event in record.events { _ = try await session.advanceProject(created.id, event) }
            jobs += record.events.isEmpty ? 0 : 1
        }
        return (records.count, jobs)
    }
}
