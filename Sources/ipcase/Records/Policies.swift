import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase policies create|list|show`: the office's revenue-sharing policies.
struct PoliciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "Create, list and show the office's revenue-sharing (distribution) policies.",
        discussion: """
            A policy says how income under the office's agreements is shared: first the
            administrative share, then (unless --no-cost-recovery) the patent costs not yet
            recovered, then the net among the inventors, their department and the institution
            (those three sum to 100 %). Each policy is in force from its effective date until
            the office's next one; `ipcase distribution` applies the one in force on the
            payment's date. A policy is a version: once a distribution has used it, it never
            changes — a new rule is a new policy from a later date. Many at once:
            `ipcase import policies policies.csv --office 1`.

            Examples:
              ipcase policies create --office 1 --name "IP policy 2024" --from 2024-01-01 \\
                  --admin 15 --inventors 40 --department 20 --institution 40 \\
                  --source "Rector's order No. 57 of 2023-12-20"
              ipcase policies list --office 1
              ipcase policies show --office 1 --on 2025-06-30     # the policy in force that day
            """,
        subcommands: [Create.self, List.self, Show.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a policy in force from a date.",
            discussion: """
                Percentages have up to two decimals (40, 33.33, 12.5%). Refused, naming the
                field, when the inventors', department's and institution's shares do not sum to
                100 % or the office has a policy from that date already.

                Example:
                  ipcase policies create --office 1 --name "IP policy 2024" --from 2024-01-01 \\
                      --admin 15 --inventors 40 --department 20 --institution 40
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "Its name, e.g. \"IP policy 2024\".") var name: String
        @Option(help: "The first day it applies (YYYY-MM-DD), by payment date.") var from: String
        @Option(help: "The administrative share of the gross after sponsors, in percent.") var admin: String
        @Option(help: "The inventors' share of the net, in percent.") var inventors: String
        @Option(help: "The department's share of the net, in percent.") var department: String
        @Option(help: "The institution's share of the net, in percent.") var institution: String
        @Flag(name: .customLong("no-cost-recovery"), help: "Do not recover unreimbursed patent costs before the net.")
        var noCostRecovery = false
        @Option(help: "Where the policy is laid down, e.g. a rector's order.") var source: String?

        func run() async throws {
            let input = Input(command: "policies create")
            let policy = DistributionPolicy(
                office: office.id, name: name, effectiveFrom: try input.date("--from", from)!,
                administrativeShare: try input.value("--admin", admin, FieldValues.percent),
                recoversPatentCosts: !noCostRecovery,
                inventorsShare: try input.value("--inventors", inventors, FieldValues.percent),
                departmentShare: try input.value("--department", department, FieldValues.percent),
                institutionShare: try input.value("--institution", institution, FieldValues.percent),
                source: source)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createPolicy(policy) }
            }
            print("policy \(created.id): \(created.policy.name), in force from \(created.policy.effectiveFrom)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the office's policies, oldest first, with how many distributions applied each.",
            discussion: "Examples:\n  ipcase policies list --office 1\n  ipcase policies list --office 1 --format json")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await store.connect()
            let policies = try await storeWork("policies list", office: office.id) {
                try await office.reading(store) { try await $0.storedPolicies() }
            }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "FROM", "NAME", "ADMIN", "COSTS", "INVENTORS", "DEPARTMENT", "INSTITUTION", "USED", "SOURCE"],
                        policies.map { stored in
                            let p = stored.policy
                            return [
                                String(stored.id), p.effectiveFrom.description, p.name, p.administrativeShare.description,
                                p.recoversPatentCosts ? "recovered" : "not recovered", p.inventorsShare.description,
                                p.departmentShare.description, p.institutionShare.description, String(stored.distributions),
                                p.source ?? "",
                            ]
                        }), terminator: "")
            case .json: try printJSON(policies.map { try jsonValue($0) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one policy, by its key or as the one in force on a day.",
            discussion: "Examples:\n  ipcase policies show 2 --office 1\n  ipcase policies show --office 1 --on 2025-06-30")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The policy's key.") var id: Int64?
        @Option(help: "Instead of a key: the day whose policy to show (YYYY-MM-DD).") var on: String?

        func run() async throws {
            let input = Input(command: "policies show")
            guard (id == nil) != (on == nil) else { throw input.bad("give a policy's key or --on DATE (one of them)") }
            let day = try input.date("--on", on)
            let store = try await store.connect()
            let stored = try await storeWork(input.command, office: office.id) {
                try await office.reading(store) { session -> StoredPolicy in
                    if let id { return try await session.policy(id) }
                    let all = try await session.storedPolicies()
                    guard let day, let found = all.last(where: { $0.policy.effectiveFrom <= day }) else {
                        throw StoreError.notFound(record: "distribution policy in force on \(day?.description ?? "")")
                    }
                    return found
                }
            }
            switch output.format {
            case .table:
                let p = stored.policy
                print(
                    fieldLines([
                        ("policy", String(stored.id)), ("name", p.name), ("in force from", p.effectiveFrom.description),
                        ("administrative share", p.administrativeShare.description),
                        ("patent costs", p.recoversPatentCosts ? "recovered before the net" : "not recovered"),
                        ("inventors", p.inventorsShare.description), ("department", p.departmentShare.description),
                        ("institution", p.institutionShare.description), ("source", p.source),
                        ("distributions", String(stored.distributions)),
                    ]), terminator: "")
            case .json: try printJSON(try jsonValue(stored))
            }
        }
    }
}
