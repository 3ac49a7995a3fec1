import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase offers create|list|show|outreach|respond|deal`: technology marketing.
struct OffersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "Market technologies: offers to industry, outreach to companies, and deals from the interested ones.",
        discussion: """
            An offer has a non-confidential summary of the disclosures and rights it markets,
            their readiness (TRL 1–9) and sectors; `offers show` adds the green-technology
            categories of the disclosures' IPC symbols (WIPO IPC Green Inventory). Each contact
            with a company is an outreach with its answer (pending, interested, declined,
            nda-signed); an interested company becomes a deal in the pipeline with
            `offers deal`, which `ipcase advance deal` then carries on.

            Examples:
              ipcase offers create --office 1 --reference TO-2026-003 --title "Rice-husk sorbent" \\
                  --summary "A sorbent that removes oil from water…" --disclosure 4 --right 7 --trl 5 \\
                  --sector "oil and gas" --sector "water treatment" --date 2026-09-01
              ipcase offers outreach 1 --office 1 --company 12 --channel meeting --date 2026-09-15 \\
                  --contact "A. Seitkali, head of R&D" --response interested
              ipcase offers respond 3 --office 1 --response nda-signed
              ipcase offers deal 3 --office 1 --reference DL-2026-011 --intended non-exclusive-licence
              ipcase offers show 1 --office 1
            """,
        subcommands: [Create.self, List.self, Show.self, OutreachCommand.self, Respond.self, DealCommand.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a technology offer.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "Its reference, e.g. TO-2026-003.") var reference: String
        @Option(help: "The title shown to companies.") var title: String
        @Option(help: "The non-confidential summary.") var summary: String
        @Option(help: "A disclosure it markets (its key; repeat).") var disclosure: [Int64] = []
        @Option(help: "A right it markets (its key; repeat).") var right: [Int64] = []
        @Option(help: "Technology readiness level, 1–9.") var trl: Int?
        @Option(help: "An industry sector (repeat).") var sector: [String] = []
        @Option(help: "The day it was offered (default today).") var date: String?

        func run() async throws {
            let input = Input(command: "offers create")
            var readiness: TechnologyReadinessLevel?
            if let trl {
                guard let level = TechnologyReadinessLevel(trl) else { throw input.bad("--trl \(trl) is not 1–9") }
                readiness = level
            }
            let offer = TechnologyOffer(
                id: 0, office: office.id, reference: reference, title: title, summary: summary,
                disclosures: disclosure.map { ID(rawValue: $0) }, rights: right.map { ID(rawValue: $0) },
                readiness: readiness, sectors: sector, offeredOn: try input.date("--date", date) ?? CLIParse.today())
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createOffer(offer) }
            }
            print("offer \(created.id.rawValue): \(created.reference) \(created.title)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the office's offers, newest first, with their outreach by answer.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await store.connect()
            let offers = try await storeWork("offers list", office: office.id) {
                try await office.reading(store) { try await $0.offers() }
            }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "REFERENCE", "OFFERED", "TITLE", "TRL", "CONTACTS", "INTERESTED", "DECLINED", "DEALS"],
                        offers.map { o in
                            [
                                String(o.id.rawValue), o.reference, o.offeredOn.description, o.title,
                                o.readiness.map { String($0.level) } ?? "", String(o.outreach.count),
                                String(o.outreach.filter { $0.response == .interested || $0.response == .ndaSigned }.count),
                                String(o.outreach.filter { $0.response == .declined }.count),
                                String(o.outreach.filter { $0.deal != nil }.count),
                            ]
                        }), terminator: "")
            case .json: try printJSON(offers.map { try jsonValue($0) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an offer: its summary, what it markets, its green tag and every outreach.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The offer (its key).") var id: Int64

        func run() async throws {
            let id = ID<TechnologyOffer>(rawValue: id)
            let store = try await store.connect()
            let (offer, symbols, names) = try await storeWork("offers show", office: office.id) {
                try await office.reading(store) { session in
                    let offer = try await session.offer(id)
                    var symbols: [IPCSymbol] = []
                    for disclosure in offer.disclosures { symbols += try await session.disclosure(disclosure).value.ipcSymbols }
                    let names = Dictionary(
                        try await session.parties(offer.outreach.map(\.company)).map { ($0.value.id, $0.value.name) },
                        uniquingKeysWith: { a, _ in a })
                    return (offer, symbols, names)
                }
            }
            let green = TechnologyOffer.greenCategories(of: symbols)
            switch output.format {
            case .table:
                var text = fieldLines([
                    ("offer", "\(offer.id.rawValue): \(offer.reference)"), ("title", offer.title),
                    ("offered", offer.offeredOn.description), ("summary", offer.summary),
                    ("disclosures", offer.disclosures.map { String($0.rawValue) }.joined(separator: ", ")),
                    ("rights", offer.rights.map { String($0.rawValue) }.joined(separator: ", ")),
                    ("readiness", offer.readiness?.description), ("sectors", offer.sectors.joined(separator: ", ")),
                    ("green", green.isEmpty ? "no (no IPC symbol in the Green Inventory)" : green.map(\.name).joined(separator: ", ")),
                ])
                text += "\noutreach\n"
                text += table(
                    ["ID", "DATE", "CHANNEL", "COMPANY", "CONTACT", "RESPONSE", "DEAL"],
                    offer.outreach.map { o in
                        [
                            String(o.id), o.on.description, o.channel.rawValue, names[o.company] ?? String(o.company.rawValue),
                            o.contact ?? "", o.response.rawValue, o.deal.map { String($0.rawValue) } ?? "",
                        ]
                    })
                print(text, terminator: "")
            case .json:
                try printJSON(["offer": try jsonValue(offer), "green_categories": green.map(\.rawValue)])
            }
        }
    }

    struct OutreachCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outreach", abstract: "Record a contact with a company about an offer.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The offer (its key).") var id: Int64
        @Option(help: "The company (an organization party's key).") var company: Int64
        @Option(help: "email, call, meeting, event or portal.") var channel: String
        @Option(help: "The day (default today).") var date: String?
        @Option(help: "The person contacted, e.g. \"A. Seitkali, head of R&D\".") var contact: String?
        @Option(help: "pending, interested, declined or nda-signed.") var response: String = "pending"

        func run() async throws {
            let input = Input(command: "offers outreach")
            let outreach = Outreach(
                on: try input.date("--date", date) ?? CLIParse.today(),
                channel: try input.choice("--channel", channel, Outreach.Channel.self)!,
                company: ID(rawValue: company), contact: contact,
                response: try input.choice("--response", response, Outreach.Response.self)!)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.addOutreach(outreach, to: ID(rawValue: id))
                }
            }
            print("outreach \(created.id): offer \(id), \(created.response.rawValue)")
        }
    }

    struct Respond: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a company's answer to an outreach.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The outreach (its key).") var id: Int64
        @Option(help: "pending, interested, declined or nda-signed.") var response: String

        func run() async throws {
            let input = Input(command: "offers respond")
            let answer = try input.choice("--response", response, Outreach.Response.self)!
            let store = try await store.connect()
            try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.recordResponse(answer, to: id) }
            }
            print("outreach \(id): \(answer.rawValue)")
        }
    }

    struct DealCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deal", abstract: "Open a deal in the pipeline for an interested company.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The outreach (its key).") var id: Int64
        @Option(help: "The deal's reference, e.g. DL-2026-011.") var reference: String
        @Option(help: "The agreement intended, e.g. non-exclusive-licence.") var intended: String?

        func run() async throws {
            let input = Input(command: "offers deal")
            let intended = try input.choice("--intended", intended, Agreement.Kind.self)
            let store = try await store.connect()
            let deal = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.openDeal(from: id, reference: reference, intendedAgreement: intended)
                }
            }
            print("deal \(deal.id.rawValue): \(deal.reference) (\(deal.state.rawValue)), from outreach \(id)")
        }
    }
}
