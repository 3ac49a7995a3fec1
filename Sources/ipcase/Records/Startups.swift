import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase startups create|list|show|round|residency|exit`: spin-off companies and their investment.
struct StartupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startups",
        abstract: "Record start-ups spun off from the office, their rounds, technopark residencies and exits.",
        discussion: """
            A start-up is an organization party (`ipcase parties create --kind organization`)
            with its founding date — the day it counts as formed in the reports — founders, the
            shares issued and the office's shares. Each financing round (equity, SAFE,
            convertible note, grant) adds investors and, for equity, shares: the ones given
            with --new-shares or, without them, those the amount buys at the pre-money price
            (rounded down to a whole share). `startups show` prints the cap table: the office's
            stake after every round, computed exactly from the shares.

            Examples:
              ipcase startups create --office 1 --party 12 --founded 2024-03-01 --region almaty-city \\
                  --founder 3 --founder 4 --shares 1000000 --office-shares 150000 --agreement 7
              ipcase startups round 1 --office 1 --date 2025-02-10 --instrument equity \\
                  --amount "100000000 KZT" --pre-money "400000000 KZT" --investor 15
              ipcase startups round 1 --office 1 --date 2025-09-01 --instrument safe --amount "50000 USD"
              ipcase startups residency 1 --office 1 --technopark "Astana Hub" --from 2024-04-01 \\
                  --regime "0 % CIT, PIT and VAT on qualifying activity"
              ipcase startups show 1 --office 1
              ipcase startups exit 1 --office 1 --kind acquisition --date 2026-11-30 --acquirer 20
            """,
        subcommands: [Create.self, List.self, Show.self, Round.self, ResidencyCommand.self, ExitCommand.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a start-up and the office's equity in it.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The company (an organization party's key).") var party: Int64
        @Option(help: "The day it was founded (YYYY-MM-DD).") var founded: String
        @Option(help: "Where it is registered, e.g. almaty-city (empty abroad).") var region: String?
        @Option(help: "A founder (a party's key; repeat).") var founder: [Int64] = []
        @Option(help: "The shares issued at founding.") var shares: Int64
        @Option(name: .customLong("office-shares"), help: "The office's shares of those.") var officeShares: Int64 = 0
        @Option(help: "How the office's shares vest, in words.") var vesting: String?
        @Option(help: "The spin-off agreement of the office's equity (its key).") var agreement: Int64?

        func run() async throws {
            let input = Input(command: "startups create")
            let startup = Startup(
                id: 0, office: office.id, party: ID(rawValue: party), foundedOn: try input.date("--founded", founded)!,
                region: try input.choice("--region", region, Region.self), founders: founder.map { ID(rawValue: $0) },
                sharesAtFounding: shares, officeShares: officeShares, vesting: vesting,
                agreement: agreement.map { ID(rawValue: $0) })
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createStartup(startup) }
            }
            print(
                "start-up \(created.id.rawValue): founded \(created.foundedOn), office stake "
                    + "\(Stake(shares: created.officeShares, of: created.sharesAtFounding).percentText) %")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the office's start-ups by founding date with the office's stake now.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await store.connect()
            let (startups, names) = try await storeWork("startups list", office: office.id) {
                try await office.reading(store) { session in
                    let startups = try await session.startups()
                    return (startups, try await StartupsCommand.names(session, startups.map(\.party)))
                }
            }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "COMPANY", "FOUNDED", "REGION", "ROUNDS", "RAISED", "OFFICE STAKE", "RESIDENT", "EXIT"],
                        startups.map { s in
                            [
                                String(s.id.rawValue), names[s.party] ?? String(s.party.rawValue), s.foundedOn.description,
                                s.region?.rawValue ?? "", String(s.rounds.count), StartupsCommand.raised(s),
                                (s.capTable().last?.officeStake.percentText ?? "0.0000") + " %",
                                s.residencies.last?.technopark ?? "",
                                s.exit.map { "\($0.kind.rawValue) \($0.on)" } ?? "",
                            ]
                        }), terminator: "")
            case .json: try printJSON(startups.map { try jsonValue($0) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a start-up: founders, residencies, exit and the cap table after every round.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The start-up (its key).") var id: Int64

        func run() async throws {
            let id = ID<Startup>(rawValue: id)
            let store = try await store.connect()
            let (startup, names) = try await storeWork("startups show", office: office.id) {
                try await office.reading(store) { session in
                    let startup = try await session.startup(id)
                    let parties =
                        [startup.party] + startup.founders + startup.rounds.flatMap(\.investors)
                        + (startup.exit?.acquirer.map { [$0] } ?? [])
                    return (startup, try await StartupsCommand.names(session, parties))
                }
            }
            func name(_ party: ID<Party>) -> String { names[party] ?? String(party.rawValue) }
            switch output.format {
            case .table:
                var text = fieldLines([
                    ("start-up", String(startup.id.rawValue)), ("company", name(startup.party)),
                    ("founded", startup.foundedOn.description), ("region", startup.region?.rawValue),
                    ("founders", startup.founders.map(name).joined(separator: ", ")),
                    ("office shares", "\(startup.officeShares) of \(startup.sharesAtFounding)"),
                    ("vesting", startup.vesting), ("agreement", startup.agreement.map { String($0.rawValue) }),
                    ("exit", startup.exit.map { exit in
                        "\(exit.kind.rawValue) on \(exit.on)" + (exit.acquirer.map { " by \(name($0))" } ?? "")
                    }),
                ])
                if !startup.residencies.isEmpty {
                    text += "\nresidencies\n"
                    text += table(
                        ["TECHNOPARK", "FROM", "TO", "REGIME"],
                        startup.residencies.map { [$0.technopark, $0.from.description, $0.to?.description ?? "", $0.regime ?? ""] })
                }
                text += "\ncap table\n"
                text += table(
                    ["DATE", "ROUND", "AMOUNT", "PRE-MONEY", "INVESTORS", "NEW SHARES", "OUTSTANDING", "OFFICE STAKE"],
                    startup.capTable().map { line in
                        [
                            line.on.description, line.round?.instrument.rawValue ?? "founding",
                            line.round?.amount.description ?? "", line.round?.preMoney?.description ?? "",
                            line.round?.investors.map(name).joined(separator: ", ") ?? "", String(line.newShares),
                            String(line.sharesOutstanding), line.officeStake.percentText + " %",
                        ]
                    })
                print(text, terminator: "")
            case .json:
                try printJSON(["startup": try jsonValue(startup), "cap_table": try startup.capTable().map { try jsonValue($0) }])
            }
        }
    }

    struct Round: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a financing round: equity, SAFE, convertible note or grant.",
            discussion: """
                An equity round issues --new-shares, or without them the shares its amount buys
                at --pre-money (amount × shares outstanding / pre-money, rounded down). A SAFE,
                a convertible note or a grant issues none; record a conversion as an equity round.
                Investors are parties (venture funds with the role investor).
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The start-up (its key).") var id: Int64
        @Option(help: "The day it closed (YYYY-MM-DD).") var date: String
        @Option(help: "equity, safe, convertible-note or grant.") var instrument: String
        @Option(help: "The money raised with its currency, e.g. \"100000000 KZT\".") var amount: String
        @Option(name: .customLong("pre-money"), help: "The valuation before the round, e.g. \"400000000 KZT\".")
        var preMoney: String?
        @Option(name: .customLong("new-shares"), help: "The shares the round issued (equity).") var newShares: Int64?
        @Option(help: "An investor (a party's key; repeat).") var investor: [Int64] = []

        func run() async throws {
            let input = Input(command: "startups round")
            let round = FinancingRound(
                closedOn: try input.date("--date", date)!,
                instrument: try input.choice("--instrument", instrument, FinancingRound.Instrument.self)!,
                amount: try input.money("--amount", amount),
                preMoney: try preMoney.map { try input.money("--pre-money", $0) }, newShares: newShares,
                investors: investor.map { ID(rawValue: $0) })
            let store = try await store.connect()
            let startup = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { session in
                    _ = try await session.addRound(round, to: ID(rawValue: id))
                    return try await session.startup(ID(rawValue: id))
                }
            }
            let line = startup.capTable().last!
            print(
                "round of start-up \(id) on \(round.closedOn): \(line.newShares) new shares, "
                    + "\(line.sharesOutstanding) outstanding; office stake \(line.officeStake.percentText) %")
        }
    }

    struct ResidencyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "residency", abstract: "Record a stay in a technopark (or Astana Hub) and its regime.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The start-up (its key).") var id: Int64
        @Option(help: "The technopark, e.g. \"Astana Hub\".") var technopark: String
        @Option(help: "The first day (YYYY-MM-DD).") var from: String
        @Option(help: "The last day (YYYY-MM-DD); omit while it lasts.") var to: String?
        @Option(help: "The regime, e.g. \"0 % CIT, PIT and VAT on qualifying activity\".") var regime: String?

        func run() async throws {
            let input = Input(command: "startups residency")
            let residency = Residency(
                technopark: technopark, from: try input.date("--from", from)!, to: try input.date("--to", to),
                regime: regime)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.addResidency(residency, to: ID(rawValue: id))
                }
            }
            print("residency \(created.id): start-up \(id) in \(created.technopark) from \(created.from)")
        }
    }

    struct ExitCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exit",
            abstract: "Record how a start-up ended: acquisition, IPO or liquidation.",
            discussion: """
                Cash the office receives for its shares is a payment of kind equity-sale under the
                spin-off agreement (`ipcase payments create`), which the reports count as licence
                income (cashed-in equity).
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The start-up (its key).") var id: Int64
        @Option(help: "acquisition, ipo or liquidation.") var kind: String
        @Option(help: "The day (YYYY-MM-DD).") var date: String
        @Option(help: "The acquirer (a party's key), for an acquisition.") var acquirer: Int64?

        func run() async throws {
            let input = Input(command: "startups exit")
            let exit = Exit(
                kind: try input.choice("--kind", kind, Exit.Kind.self)!, on: try input.date("--date", date)!,
                acquirer: acquirer.map { ID(rawValue: $0) })
            let store = try await store.connect()
            _ = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.recordExit(exit, of: ID(rawValue: id)) }
            }
            print("start-up \(id): \(exit.kind.rawValue) on \(exit.on)")
        }
    }

    /// The names of `parties`, by key.
    static func names(_ session: OfficeSession, _ parties: [ID<Party>]) async throws -> [ID<Party>: String] {
        Dictionary(
            try await session.parties(parties).map { ($0.value.id, $0.value.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// What a start-up raised, per currency.
    static func raised(_ startup: Startup) -> String {
        var sums: [Currency: Int64] = [:]
        for round in startup.rounds { sums[round.amount.currency, default: 0] += round.amount.minorUnits }
        return sums.keys.sorted().map { Money(minorUnits: sums[$0]!, $0).description }.joined(separator: " + ")
    }
}
