import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// The data options of `deals create` and `deals update`.
struct DealFields: ParsableArguments {
    @Option var title: String?
    @Option(help: "The disclosure being commercialized (its key).") var disclosure: Int64?
    @Option(help: "A right on offer (its key; repeat).") var right: [Int64] = []
    @Option(help: "The prospective licensee, buyer or investor (party key).") var counterparty: Int64?
    @Option(
        name: .customLong("intended-agreement"),
        help: "The agreement kind aimed at, e.g. exclusive-licence, option, spin-off-equity.")
    var intendedAgreement: String?
    @Option(name: .customLong("expected-value"), help: "Expected value in major units, e.g. 5000000 (with --currency).")
    var expectedValue: String?
    @Option(help: "The currency of --expected-value, e.g. KZT.") var currency: String?

    /// The parsed kind and value.
    func parse(_ input: Input) throws -> (intended: Agreement.Kind?, value: Money?) {
        (
            try input.choice("--intended-agreement", intendedAgreement, Agreement.Kind.self),
            try input.amount("--expected-value", expectedValue, currency: currency)
        )
    }
}

/// `ipcase deals create|list|show|update`.
struct DealsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deals", abstract: "Create, list, show and change deals (the commercialization pipeline).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a deal (state identified); it moves on with `ipcase advance deal`.",
            discussion: """
                Example:
                  ipcase deals create --office 1 --ref D-12 --title "Sorbent licence to KMG" \\
                      --right 42 --counterparty 7 --intended-agreement exclusive-licence \\
                      --expected-value 25000000 --currency KZT
                  ipcase advance deal 1 make-contact --office 1
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The office's reference, e.g. D-12.") var ref: String
        @OptionGroup var fields: DealFields

        func run() async throws {
            let input = Input(command: "deals create")
            guard let title = try input.valueIfGiven("--title", fields.title, FieldValues.title) else {
                throw input.bad("--title is required")
            }
            let (intended, value) = try fields.parse(input)
            let deal = Deal(
                id: 0, office: office.id, reference: ref, title: title,
                disclosure: fields.disclosure.map { ID(rawValue: $0) }, rights: fields.right.map { ID(rawValue: $0) },
                counterparty: fields.counterparty.map { ID(rawValue: $0) }, intendedAgreement: intended,
                expectedValue: value)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createDeal(deal) }
            }
            print("deal \(created.id.rawValue): \(created.reference)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's deals.", discussion: "Example:\n  ipcase deals list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let deals = try await office.reading(store) { try await $0.deals() }
            try printList(deals, format: output.format, headers: ["ID", "REF", "STATE", "TITLE"]) {
                [$0.id.key, $0.reference, $0.state.rawValue, $0.title]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a deal with its workflow history.",
            discussion: "Example:\n  ipcase deals show 12 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The deal (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Deal>(rawValue: id)
            let (record, history) = try await storeWork("deals show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    (try await session.deal(id), try await session.workflowHistory(of: "deal", id: id.rawValue))
                }
            }
            let d = record.value
            try printRecord(
                d, version: record.version, format: output.format,
                fields: [
                    ("deal", "\(d.id.rawValue): \(d.reference) — \(d.title)"), ("state", d.state.rawValue),
                    ("disclosure", d.disclosure?.key), ("rights", d.rights.map(\.key).listed),
                    ("counterparty", d.counterparty?.key), ("intended", d.intendedAgreement?.rawValue),
                    ("expected value", d.expectedValue?.description), ("agreement", d.agreement?.key),
                ], related: ["history": history], sections: [historySection(history)])
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a deal's data (its state changes only through `ipcase advance deal`).",
            discussion: """
                Only the options given change; --right replaces the rights on offer. The
                write is refused (exit 2) if someone changed the deal since it was read (or
                since --expect-version).

                Example:
                  ipcase deals update 12 --office 1 --expected-value 30000000 --currency KZT
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The deal (its key).") var id: Int64
        @Option(help: "The office's reference.") var ref: String?
        @OptionGroup var fields: DealFields

        func run() async throws {
            let input = Input(command: "deals update")
            let (intended, value) = try fields.parse(input)
            let (ref, title, disclosure, rights, counterparty) = (
                ref, try input.valueIfGiven("--title", fields.title, FieldValues.title), fields.disclosure, fields.right,
                fields.counterparty
            )
            try input.requireChange(
                ref != nil || title != nil || disclosure != nil || !rights.isEmpty || counterparty != nil
                    || intended != nil || value != nil)
            let store = try await store.connect()
            let id = ID<Deal>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.deal(id) },
                change: { deal in
                    if let ref { deal.reference = ref }
                    if let title { deal.title = title }
                    if let disclosure { deal.disclosure = ID(rawValue: disclosure) }
                    if !rights.isEmpty { deal.rights = rights.map { ID(rawValue: $0) } }
                    if let counterparty { deal.counterparty = ID(rawValue: counterparty) }
                    if let intended { deal.intendedAgreement = intended }
                    if let value { deal.expectedValue = value }
                }, write: { try await $0.updateDeal($1) })
            print("deal \(saved.value.reference): saved (version \(saved.version))")
        }
    }
}
