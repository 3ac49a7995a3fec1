import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase rights create|list|show|update`.
struct RightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights", abstract: "Create, list, show and change rights (applications and titles).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a right (a draft until its `filed` event is recorded).",
            discussion: """
                Example:
                  ipcase rights create --office 1 --ref ATU-2025-001-KZ --jurisdiction KZ --kind patent \\
                      --title "Drilling fluid" --attorney 21
                  ipcase events record --office 1 --right 1 --event filed=2025-03-14 \\
                      --number 2025/0123.1
                  ipcase rights create --office 1 --ref ATU-KH-001 --jurisdiction KZ --kind know-how \\
                      --title "Sorbent synthesis protocol" --disclosure 3 --disclosure 5

                A jurisdiction and kind without deadline rules (say a GB patent) is refused,
                naming those with rules; --deadlines manual records it anyway, with no
                computed deadlines: its time limits are then yours to enter and watch.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option var ref: String
        @Option var jurisdiction: String
        @Option(
            help: """
                patent, utility-model, design, trademark, pct-application, provisional, selection-achievement; \
                objects of copyright: software, database, work; know-how (a trade secret).
                """)
        var kind: String
        @Option var title: String
        @Option(help: "The responsible attorney (party key).") var attorney: Int64?
        @Option(
            help: "The disclosure it protects (its key); repeat for further ones it comes from, e.g. know-how from several.")
        var disclosure: [Int64] = []
        @Option(help: "computed (by the rules, the default) or manual (no rules apply; no computed deadlines).")
        var deadlines: String = "computed"
        @Option(
            name: .customLong("entity-size"),
            help: "large, small or micro: the applicant's entity size where fees depend on it (USPTO); large by default.")
        var entitySize: String?

        func run() async throws {
            let input = Input(command: "rights create")
            let mode = try input.choice("--deadlines", deadlines, Right.DeadlineMode.self)!
            var right = Right(
                id: 0, office: office.id, reference: ref, title: try input.value("--title", title, FieldValues.title),
                jurisdiction: try input.jurisdiction("--jurisdiction", jurisdiction)!,
                kind: try input.choice("--kind", kind, RightKind.self)!,
                responsibleAttorney: attorney.map { ID(rawValue: $0) }, deadlines: mode,
                entitySize: try input.choice("--entity-size", entitySize, EntitySize.self))
            (right.disclosure, right.furtherDisclosures) = try input.disclosures(disclosure)
            if mode == .computed, Right.lacksRules(right.jurisdiction, right.kind) {
                let known = Right.jurisdictionsWithRules(for: right.kind).map(\.code).joined(separator: ", ")
                throw input.bad(
                    "--jurisdiction \(right.jurisdiction.code) has no deadline rules for a \(right.kind.rawValue) "
                        + "(rules exist for \(known.isEmpty ? "no jurisdiction" : known)); "
                        + "add --deadlines manual to record it with deadlines you enter yourself")
            }
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { [right] in try await $0.createRight(right) }
            }
            print("right \(created.id.rawValue): \(created.reference)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's rights.", discussion: "Example:\n  ipcase rights list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let rights = try await office.reading(store) { try await $0.rights() }
            try printList(
                rights, format: output.format, headers: ["ID", "REF", "JUR", "KIND", "STATE", "NUMBER", "FILED"]
            ) {
                [
                    $0.id.key, $0.reference, $0.jurisdiction.code, $0.kind.rawValue, $0.state.rawValue,
                    $0.applicationNumber.cell, $0.filingDate.cell,
                ]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a right with its events, its open deadlines count and its workflow history.",
            discussion: "Example:\n  ipcase rights show 42 --office 1\n  ipcase rights show 42 --office 1 --format json"
        )
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The right (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Right>(rawValue: id)
            let (right, events, open, agreements, parties) = try await storeWork("rights show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    let agreements = try await session.agreements(covering: id).map(\.value)
                    let counterparties = Array(Set(agreements.flatMap(\.counterparties)))
                    let parties = Dictionary(
                        try await session.parties(counterparties).map { ($0.value.id, $0.value.name) },
                        uniquingKeysWith: { first, _ in first })
                    return (
                        try await session.right(id), try await session.events(of: id),
                        try await session.openDeadlineCount(of: id), agreements, parties
                    )
                }
            }
            let v = right.value
            func names(_ ids: [ID<Party>]) -> String {
                ids.map { "\($0.rawValue) \(parties[$0] ?? "?")" }.joined(separator: ", ")
            }
            // Who may know a trade secret: the counterparties of the NDAs in force that cover it.
            let access =
                v.kind == .knowHow
                ? names(Array(Set(agreements.filter { $0.kind == .nda && $0.state.isInForce }.flatMap(\.counterparties)))
                    .sorted { $0.rawValue < $1.rawValue })
                : nil
            var sections = [("events", eventsTable(events))]
            if !agreements.isEmpty {
                sections.append(
                    (
                        "agreements",
                        table(
                            ["ID", "REFERENCE", "KIND", "STATE", "COUNTERPARTIES"],
                            agreements.map {
                                [String($0.id.rawValue), $0.reference, $0.kind.rawValue, $0.state.rawValue, names($0.counterparties)]
                            })
                    ))
            }
            try printRecord(
                v, version: right.version, format: output.format,
                fields: [
                    ("right", "\(v.id.rawValue): \(v.reference) — \(v.title)"),
                    ("kind", "\(v.jurisdiction.code) \(v.kind.rawValue)"), ("state", v.state.rawValue),
                    ("application", v.applicationNumber), ("filed", v.filingDate?.description),
                    ("published", v.publicationDate?.description), ("granted", v.grantDate?.description),
                    ("registration", v.registrationNumber), ("expires", v.expiryDate?.description),
                    ("attorney", v.responsibleAttorney?.key), ("disclosure", v.disclosure?.key),
                    ("further disclosures", v.furtherDisclosures.isEmpty ? nil : v.furtherDisclosures.map(\.key).joined(separator: ", ")),
                    ("entity size", v.entitySize?.rawValue),
                    ("open deadlines", String(open)),
                    ("access", access.map { $0.isEmpty ? "no NDA in force" : "NDAs in force with \($0)" }),
                    (
                        "deadlines",
                        v.deadlines == .manual ? "manual — no computed deadlines (no rules for \(v.jurisdiction.code) \(v.kind.rawValue))" : "computed by the rules"
                    ),
                ],
                related: [
                    "events": events.map(EventJSON.init), "openDeadlines": open,
                    "agreements": agreements,
                ],
                sections: sections)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a right's data (its state changes only through events).",
            discussion: """
                Only the options given change. Filing, publication and grant come from
                events (`ipcase events record`), never from update. The write is refused
                (exit 2) if someone changed the right since it was read (or since
                --expect-version).

                Example:
                  ipcase rights update 42 --office 1 --title \\
                      "Drilling fluid with low filtration" --attorney 21
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The right (its key).") var id: Int64
        @Option var title: String?
        @Option(help: "The responsible attorney (party key).") var attorney: Int64?
        @Option(name: .customLong("application-number")) var applicationNumber: String?
        @Option(help: "The disclosures it comes from, the one it protects first (repeat; replaces the list).")
        var disclosure: [Int64] = []
        @Option(
            name: .customLong("entity-size"),
            help: "large, small or micro: the applicant's entity size where fees depend on it (USPTO); large by default.")
        var entitySize: String?

        func run() async throws {
            let input = Input(command: "rights update")
            let size = try input.choice("--entity-size", entitySize, EntitySize.self)
            let (title, attorney, number) = (
                try input.valueIfGiven("--title", title, FieldValues.title), attorney, applicationNumber
            )
            let disclosures = disclosure.isEmpty ? nil : try input.disclosures(disclosure)
            try input.requireChange(
                title != nil || attorney != nil || number != nil || disclosures != nil || size != nil)
            let store = try await store.connect()
            let id = ID<Right>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.right(id) },
                change: { right in
                    if let title { right.title = title }
                    if let attorney { right.responsibleAttorney = ID(rawValue: attorney) }
                    if let number { right.applicationNumber = number }
                    if let disclosures { (right.disclosure, right.furtherDisclosures) = disclosures }
                    if let size { right.entitySize = size }
                }, write: { try await $0.updateRight($1) })
            print("right \(id.rawValue): saved (version \(saved.version))")
        }
    }
}

/// A recorded right event in JSON.
struct EventJSON: Encodable {
    var id: Int64
    var right: Int64
    var kind: String
    var date: String
    var year: Int?
    var reference: String?
    var recordedBy: String
    var source: String?

    init(_ stored: StoredRightEvent) {
        id = stored.id
        right = stored.right.rawValue
        kind = stored.event.kind.rawValue
        date = stored.event.date.description
        year = stored.event.year
        reference = stored.event.reference
        recordedBy = stored.recordedBy
        source = stored.source
    }
}

