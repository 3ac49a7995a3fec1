import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase projects create|list|show|advance|cofinancing|obligations|register`: grant-funded projects.
struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects",
        abstract: "Record grant-funded projects: funder, programme, stages, co-financing and their workflow.",
        discussion: """
            A project names its funder (a party with the role funder) and programme, its stages
            (grant, first and last day; each starting after the one before ends), the least
            co-financing the programme requires as a share of the grant (QazInnovations: 10 %),
            a budget-funded project's state registration, and the disclosures and rights that
            came out of it. Its workflow: applied → awarded → active → completed, or terminated
            from awarded or active (with a reason), or rejected when applied (with a reason).
            `projects show` compares the co-financing put in with what the programme requires.

            What a project owes (from its grant agreement; never assumed) becomes deadlines in
            the office's docket, reminders and calendar feed, like statutory time limits: a
            report on each stage (--stage-reports DAYS after the stage's last day), a final
            report (--final-report DAYS after the last stage), deliverables (--deliverable
            "NAME,DATE") and a budget-funded project's state registration (--state-registration
            DAYS after the first stage starts; met by `projects register`). Only an awarded or
            active project has them; completing or terminating it supersedes those still open.
            The daemon computes them; --manager names who is reminded (else the supervisor).
            Mark a report sent with `ipcase deadlines done ID --reason …`.

            Examples:
              ipcase projects create --office 1 --reference GR-2025-004 --title "Sorbent pilot line" \\
                  --funder 9 --programme "QazInnovations commercialization grant" --min-cofinancing 10 \\
                  --stage "20000000 KZT,2025-03-01,2025-08-31" --stage "80000000 KZT,2025-09-01,2027-02-28" \\
                  --disclosure 4 --right 7
              ipcase projects advance 1 --office 1 --event award --date 2025-02-15
              ipcase projects advance 1 --office 1 --event start --date 2025-03-01
              ipcase projects cofinancing 1 --office 1 --stage 1 --amount "2500000 KZT"
              ipcase projects obligations 1 --office 1 --manager 12 --stage-reports 30 \
                  --final-report 60 --deliverable "Pilot line acceptance,2026-12-15" --state-registration 30
              ipcase projects register 1 --office 1 --registration 0124РК00321 --date 2025-03-20
              ipcase projects show 1 --office 1
            """,
        subcommands: [
            Create.self, List.self, Show.self, Advance.self, Cofinancing.self, Obligations.self, Register.self,
        ])

    /// What a project owes and who is reminded, as options.
    struct ObligationOptions: ParsableArguments {
        @Option(name: .customLong("stage-reports"), help: "A report on each stage, due this many days after the stage ends.")
        var stageReports: Int?
        @Option(name: .customLong("final-report"), help: "A final report, due this many days after the last stage ends.")
        var finalReport: Int?
        @Option(help: "Something to deliver as \"NAME,DATE\" (repeat).") var deliverable: [String] = []
        @Option(
            name: .customLong("state-registration"),
            help: "The state registration, due this many days after the first stage starts.")
        var stateRegistration: Int?
        @Option(help: "Who runs the project and is reminded of its deadlines (a party's key with an e-mail).")
        var manager: Int64?

        /// The obligations given, in a fixed order.
        func obligations(_ input: Input) throws -> [ProjectObligation] {
            var result: [ProjectObligation] = []
            if let stageReports { result.append(.stageReports(dueWithinDays: stageReports)) }
            if let finalReport { result.append(.finalReport(dueWithinDays: finalReport)) }
            for text in deliverable {
                guard let comma = text.lastIndex(of: ",") else {
                    throw input.bad("--deliverable '\(text)' is not \"NAME,DATE\", e.g. \"Pilot line acceptance,2026-12-15\"")
                }
                let name = text[..<comma].trimmingCharacters(in: .whitespaces)
                let day = try input.date("--deliverable", text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces))!
                result.append(.deliverable(name: name, dueOn: day))
            }
            if let stateRegistration { result.append(.stateRegistration(dueWithinDays: stateRegistration)) }
            for obligation in result {
                if let problem = obligation.problem { throw input.bad("obligation: \(problem)") }
            }
            return result
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a project applied for.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "Its reference, e.g. GR-2025-004.") var reference: String
        @Option(help: "Its title.") var title: String
        @Option(help: "The funder (a party's key).") var funder: Int64
        @Option(help: "The programme, e.g. \"QazInnovations commercialization grant\".") var programme: String
        @Option(name: .customLong("min-cofinancing"), help: "The programme's least co-financing, percent of the grant.")
        var minCofinancing: String = "0"
        @Option(help: "A stage as \"AMOUNT CUR,FROM,TO\" (repeat, in order).") var stage: [String] = []
        @Option(help: "The state registration number of a budget-funded project.") var registration: String?
        @Option(help: "The day it was registered.") var registered: String?
        @Option(help: "A disclosure that came out of it (its key; repeat).") var disclosure: [Int64] = []
        @Option(help: "A right that came out of it (its key; repeat).") var right: [Int64] = []
        @OptionGroup var owes: ObligationOptions

        func run() async throws {
            let input = Input(command: "projects create")
            let stages = try stage.map { text -> ProjectStage in
                let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
                    String($0).trimmingCharacters(in: .whitespaces)
                }
                guard parts.count == 3 else {
                    throw input.bad("--stage '\(text)' is not \"AMOUNT CUR,FROM,TO\", e.g. \"20000000 KZT,2025-03-01,2025-08-31\"")
                }
                return ProjectStage(
                    amount: try input.money("--stage", parts[0]), from: try input.date("--stage", parts[1])!,
                    to: try input.date("--stage", parts[2])!)
            }
            let project = FundedProject(
                id: 0, office: office.id, reference: reference, title: title, funder: ID(rawValue: funder),
                programme: programme,
                minimumCofinancing: try input.value("--min-cofinancing", minCofinancing, FieldValues.percent),
                stages: stages, registration: registration, registeredOn: try input.date("--registered", registered),
                disclosures: disclosure.map { ID(rawValue: $0) }, rights: right.map { ID(rawValue: $0) },
                obligations: try owes.obligations(input), manager: owes.manager.map { ID(rawValue: $0) })
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createProject(project) }
            }
            print("project \(created.id.rawValue): \(created.reference) (applied), grant \(Self.money(created.grant))")
        }

        static func money(_ amounts: [Money]) -> String {
            amounts.isEmpty ? "—" : amounts.map(\.description).joined(separator: " + ")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the office's projects by reference.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await store.connect()
            let projects = try await storeWork("projects list", office: office.id) {
                try await office.reading(store) { try await $0.projects() }
            }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "REFERENCE", "TITLE", "PROGRAMME", "STATE", "GRANT", "CO-FINANCING", "SHORTFALL"],
                        projects.map { stored in
                            let p = stored.value
                            return [
                                String(p.id.rawValue), p.reference, p.title, p.programme, p.state.rawValue,
                                Create.money(p.grant), Create.money(p.cofinancing), Create.money(p.cofinancingShortfall),
                            ]
                        }), terminator: "")
            case .json: try printJSON(projects.map { try jsonValue($0.value) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a project: funder, stages, co-financing against the programme's minimum.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Argument(help: "The project (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let (stored, funder, manager) = try await storeWork("projects show", office: office.id) {
                try await office.reading(store) { session in
                    let stored = try await session.project(ID(rawValue: id))
                    var manager: Party?
                    if let key = stored.value.manager { manager = try await session.party(key).value }
                    return (stored, try await session.party(stored.value.funder).value.name, manager)
                }
            }
            var query = DocketQuery(asOf: CLIParse.today())
            query.office = office.id
            query.project = ID(rawValue: id)
            let deadlines = try await DocketCommands.entries(store: store, query: query)
            let p = stored.value
            let managerText: String? = manager.map { party in
                let email = party.email.map { " <\($0)>" } ?? " (no e-mail: the supervisor is reminded)"
                return party.name + email
            }
            let owes: String =
                p.obligations.isEmpty
                ? "nothing recorded (ipcase projects obligations)" : p.obligations.map(Self.describe).joined(separator: "; ")
            var text = fieldLines([
                ("project", "\(p.id.rawValue): \(p.reference)"), ("title", p.title), ("funder", funder),
                ("programme", p.programme), ("state", "\(p.state.rawValue) (version \(stored.version))"), ("ended", p.endedOn?.description),
                ("grant", Create.money(p.grant)),
                ("co-financing", "\(Create.money(p.cofinancing)) (required \(p.minimumCofinancing): \(Create.money(p.requiredCofinancing)))"),
                ("shortfall", p.cofinancingShortfall.isEmpty ? "none" : Create.money(p.cofinancingShortfall)),
                ("registration", p.registration.map { "\($0) of \(p.registeredOn?.description ?? "")" }),
                ("disclosures", p.disclosures.map { String($0.rawValue) }.joined(separator: ", ")),
                ("rights", p.rights.map { String($0.rawValue) }.joined(separator: ", ")),
                ("manager", managerText),
                ("owes", owes),
            ])
            text += "\nstages\n"
            text += table(
                ["STAGE", "FROM", "TO", "GRANT", "CO-FINANCING"],
                p.stages.enumerated().map { index, stage in
                    [String(index + 1), stage.from.description, stage.to.description, stage.amount.description,
                     stage.cofinancing?.description ?? ""]
                })
            text += "\ndeadlines\n"
            text += table(
                ["ID", "DUE", "WHAT", "STATUS"],
                deadlines.sorted { ($0.due, $0.id ?? 0) < ($1.due, $1.id ?? 0) }.map {
                    [$0.id.map(String.init) ?? "", $0.due.description, $0.typeLabel, $0.status.rawValue]
                })
            print(text, terminator: "")
        }

        static func describe(_ obligation: ProjectObligation) -> String {
            switch obligation {
            case .stageReports(let days): "stage reports within \(days) days"
            case .finalReport(let days): "final report within \(days) days"
            case .deliverable(let name, let day): "deliverable '\(name)' by \(day)"
            case .stateRegistration(let days): "state registration within \(days) days of the start"
            }
        }
    }

    struct Advance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a workflow event: award, reject, start, complete, terminate.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The project (its key).") var id: Int64
        @Option(help: "award, reject, start, complete or terminate.") var event: String
        @Option(help: "The day (default today).") var date: String?
        @Option(help: "Why (reject, terminate).") var reason: String?

        func run() async throws {
            let input = Input(command: "projects advance")
            let kind = try input.choice("--event", event, FundedProjectWorkflow.Event.Kind.self)!
            let day = try input.date("--date", date) ?? CLIParse.today()
            let applied: FundedProjectWorkflow.Event =
                switch kind {
                case .award: .award(on: day)
                case .reject: .reject(on: day, reason: reason ?? "")
                case .start: .start(on: day)
                case .complete: .complete(on: day)
                case .terminate: .terminate(on: day, reason: reason ?? "")
                }
            let store = try await store.connect()
            let saved = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.advanceProject(ID(rawValue: id), applied, expectedVersion: version.expectVersion)
                }
            }
            print("project \(id): \(kind.rawValue) → \(saved.value.state.rawValue) (version \(saved.version))")
        }
    }

    struct Cofinancing: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the co-financing put into a stage.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The project (its key).") var id: Int64
        @Option(help: "The stage (1 for the first).") var stage: Int
        @Option(help: "The amount with its currency, e.g. \"2500000 KZT\".") var amount: String

        func run() async throws {
            let input = Input(command: "projects cofinancing")
            let money = try input.money("--amount", amount)
            let store = try await store.connect()
            try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.recordCofinancing(money, stage: stage, of: ID(rawValue: id))
                }
            }
            print("project \(id), stage \(stage): co-financing \(money)")
        }
    }

    struct Obligations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace what a project owes (reports, deliverables, registration) and who is reminded.",
            discussion: """
                The options given replace every obligation recorded before (give them all);
                the daemon then recomputes the project's deadlines: ones no longer owed are
                superseded, ones already done stay done.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The project (its key).") var id: Int64
        @OptionGroup var owes: ObligationOptions

        func run() async throws {
            let input = Input(command: "projects obligations")
            let obligations = try owes.obligations(input)
            let store = try await store.connect()
            let saved = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.setProjectObligations(
                        obligations, manager: owes.manager.map { ID(rawValue: $0) }, of: ID(rawValue: id),
                        expectedVersion: version.expectVersion)
                }
            }
            let owed = obligations.isEmpty ? "nothing" : obligations.map(Show.describe).joined(separator: "; ")
            print("project \(id): owes \(owed) (version \(saved.version)); its deadlines are recomputed by ipcased")
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a budget-funded project's state registration (meets its registration deadline).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The project (its key).") var id: Int64
        @Option(help: "The registration number.") var registration: String
        @Option(help: "The day it was registered (default today).") var date: String?

        func run() async throws {
            let input = Input(command: "projects register")
            let day = try input.date("--date", date) ?? CLIParse.today()
            let store = try await store.connect()
            let saved = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.recordProjectRegistration(
                        registration, on: day, of: ID(rawValue: id), expectedVersion: version.expectVersion)
                }
            }
            print("project \(id): registered \(registration) on \(day) (version \(saved.version))")
        }
    }
}
