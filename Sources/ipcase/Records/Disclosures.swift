import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// The data options of `disclosures create` and `disclosures update`.
struct DisclosureFields: ParsableArguments {
    @Option var title: String?
    @Option(help: "The day the office received it (YYYY-MM-DD; create: default today).") var received: String?
    @Option(help: "The inventors' department.") var department: String?
    @Option(help: "PARTY=PERCENT (repeat); the shares must sum to 100.") var inventor: [String] = []
    @Option(help: "state-budget, grant-programme, own-funds, venture, foreign (repeat).") var funding: [String] = []
    @Option(help: "Technology readiness level, 1–9.") var trl: Int?
    @Option(help: "IPC symbol, e.g. \"C09K 8/035\" (repeat).") var ipc: [String] = []

    /// The parsed values; `nil` or empty where not given.
    struct Parsed: Sendable {
        var received: CivilDate?
        var inventors: [InventorShare]
        var funding: [Disclosure.FundingSource]
        var readiness: TechnologyReadinessLevel?
        var ipc: [IPCSymbol]
    }

    func parse(_ input: Input) throws -> Parsed {
        let readiness = try trl.map { level in
            guard let value = TechnologyReadinessLevel(level) else { throw input.bad("--trl '\(level)' is not 1–9") }
            return value
        }
        return Parsed(
            received: try input.date("--received", received), inventors: try input.inventors(inventor),
            funding: try funding.map { try input.choice("--funding", $0, Disclosure.FundingSource.self)! },
            readiness: readiness,
            ipc: try ipc.map { text in
                guard let symbol = IPCSymbol(text) else {
                    throw input.bad("--ipc '\(text)' is not an IPC symbol such as A61K or \"C09K 8/035\"")
                }
                return symbol
            })
    }
}

/// `ipcase disclosures create|list|show|update`.
struct DisclosuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosures", abstract: "Create, list, show and change invention disclosures.",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an invention disclosure (state received).",
            discussion: """
                Inventor shares must sum to 100 %. Assessment and protection decisions go
                through `ipcase advance disclosure`.

                Example:
                  ipcase disclosures create --office 1 --ref D-2025-017 --title "Sorbent" \\
                      --received 2025-02-03 --inventor 4=60 --inventor 9=40 \\
                      --funding grant-programme --trl 4 --ipc "B01J 20/20"
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The office's reference, e.g. D-2025-017.") var ref: String
        @OptionGroup var fields: DisclosureFields

        func run() async throws {
            let input = Input(command: "disclosures create")
            guard let title = try input.valueIfGiven("--title", fields.title, FieldValues.title) else {
                throw input.bad("--title is required")
            }
            let parsed = try fields.parse(input)
            let disclosure = Disclosure(
                id: 0, office: office.id, reference: ref, title: title, receivedOn: parsed.received ?? CLIParse.today(),
                department: fields.department, inventors: parsed.inventors, fundingSources: parsed.funding,
                readiness: parsed.readiness, ipcSymbols: parsed.ipc)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createDisclosure(disclosure) }
            }
            print("disclosure \(created.id.rawValue): \(created.reference)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's disclosures, newest first.",
            discussion: "Example:\n  ipcase disclosures list --office 1 --format json")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let disclosures = try await office.reading(store) { try await $0.disclosures() }
            try printList(disclosures, format: output.format, headers: ["ID", "REF", "STATE", "RECEIVED", "TITLE"]) {
                [$0.id.key, $0.reference, $0.state.rawValue, $0.receivedOn.description, $0.title]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a disclosure with its inventors and workflow history.",
            discussion: "Example:\n  ipcase disclosures show 3 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The disclosure (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Disclosure>(rawValue: id)
            let (record, history) = try await storeWork("disclosures show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    (
                        try await session.disclosure(id),
                        try await session.workflowHistory(of: "disclosure", id: id.rawValue)
                    )
                }
            }
            let d = record.value
            try printRecord(
                d, version: record.version, format: output.format,
                fields: [
                    ("disclosure", "\(d.id.rawValue): \(d.reference) — \(d.title)"), ("state", d.state.rawValue),
                    ("received", d.receivedOn.description), ("department", d.department),
                    ("inventors", d.inventors.map { "party \($0.party.rawValue) \($0.share)" }.listed),
                    ("funding", d.fundingSources.map(\.rawValue).listed), ("readiness", d.readiness?.description),
                    ("IPC", d.ipcSymbols.listed), ("review on", d.reviewOn?.description),
                ], related: ["history": history], sections: [historySection(history)])
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a disclosure's data (its state changes only through `ipcase advance disclosure`).",
            discussion: """
                Only the options given change; --inventor, --funding and --ipc replace the
                whole list. The write is refused (exit 2) if someone changed the disclosure
                since it was read (or since --expect-version).

                Example:
                  ipcase disclosures update 3 --office 1 --trl 5 --ipc "B01J 20/20" \\
                      --ipc "C02F 1/28"
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The disclosure (its key).") var id: Int64
        @Option(help: "The office's reference.") var ref: String?
        @OptionGroup var fields: DisclosureFields

        func run() async throws {
            let input = Input(command: "disclosures update")
            let parsed = try fields.parse(input)
            let (ref, title, department) = (
                ref, try input.valueIfGiven("--title", fields.title, FieldValues.title), fields.department
            )
            try input.requireChange(
                ref != nil || title != nil || department != nil || parsed.received != nil || !parsed.inventors.isEmpty
                    || !parsed.funding.isEmpty || parsed.readiness != nil || !parsed.ipc.isEmpty)
            let store = try await store.connect()
            let id = ID<Disclosure>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.disclosure(id) },
                change: { d in
                    if let ref { d.reference = ref }
                    if let title { d.title = title }
                    if let department { d.department = department }
                    if let received = parsed.received { d.receivedOn = received }
                    if !parsed.inventors.isEmpty { d.inventors = parsed.inventors }
                    if !parsed.funding.isEmpty { d.fundingSources = parsed.funding }
                    if let readiness = parsed.readiness { d.readiness = readiness }
                    if !parsed.ipc.isEmpty { d.ipcSymbols = parsed.ipc }
                }, write: { try await $0.updateDisclosure($1) })
            print("disclosure \(id.rawValue): saved (version \(saved.version))")
        }
    }
}
