import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase projects create|list|show|advance|cofinancing`: grant-funded projects.
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

            Examples:
              ipcase projects create --office 1 --reference GR-2025-004 --title "Sorbent pilot line" \\
                  --funder 9 --programme "QazInnovations commercialization grant" --min-cofinancing 10 \\
                  --stage "20000000 KZT,2025-03-01,2025-08-31" --stage "80000000 KZT,2025-09-01,2027-02-28" \\
                  --disclosure 4 --right 7
              ipcase projects advance 1 --office 1 --event award --date 2025-02-15
              ipcase projects advance 1 --office 1 --event start --date 2025-03-01
              ipcase projects cofinancing 1 --office 1 --stage 1 --amount "2500000 KZT"
              ipcase projects show 1 --office 1
            """,
        subcommands: [Create.self, List.self, Show.self, Advance.self, Cofinancing.self])

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
                disclosures: disclosure.map { ID(rawValue: $0) }, rights: right.map { ID(rawValue: $0) })
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
            let (stored, funder) = try await storeWork("projects show", office: office.id) {
                try await office.reading(store) { session in
                    let stored = try await session.project(ID(rawValue: id))
                    return (stored, try await session.party(stored.value.funder).value.name)
                }
            }
            let p = stored.value
            var text = fieldLines([
                ("project", "\(p.id.rawValue): \(p.reference)"), ("title", p.title), ("funder", funder),
                ("programme", p.programme), ("state", "\(p.state.rawValue) (version \(stored.version))"),
                ("grant", Create.money(p.grant)),
                ("co-financing", "\(Create.money(p.cofinancing)) (required \(p.minimumCofinancing): \(Create.money(p.requiredCofinancing)))"),
                ("shortfall", p.cofinancingShortfall.isEmpty ? "none" : Create.money(p.cofinancingShortfall)),
                ("registration", p.registration.map { "\($0) of \(p.registeredOn?.description ?? "")" }),
                ("disclosures", p.disclosures.map { String($0.rawValue) }.joined(separator: ", ")),
                ("rights", p.rights.map { String($0.rawValue) }.joined(separator: ", ")),
            ])
            text += "\nstages\n"
            text += table(
                ["STAGE", "FROM", "TO", "GRANT", "CO-FINANCING"],
                p.stages.enumerated().map { index, stage in
                    [String(index + 1), stage.from.description, stage.to.description, stage.amount.description,
                     stage.cofinancing?.description ?? ""]
                })
            print(text, terminator: "")
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
}
