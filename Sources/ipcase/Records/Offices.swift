import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase offices create|list|show|update`.
struct OfficesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offices", abstract: "Create, list, show and change offices (tenants).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an office (needs the owner role).",
            discussion: """
                Example:
                  ipcase offices create --name "Alatau TTO" --region almaty-city --kind \\
                      university
                """)
        @OptionGroup var store: StoreOptions
        @Option var name: String
        @Option(help: "Region, e.g. almaty-city, astana.") var region: String
        @Option(help: "university, research-institute, technopark, company, law-firm.") var kind: String
        @Option(help: "Working-day calendar jurisdiction.") var calendar: String = "KZ"
        @Option(name: .customLong("time-zone")) var timeZone: String = "Asia/Almaty"

        func run() async throws {
            let input = Input(command: "offices create")
            let office = Office(
                id: 0, name: name, region: try input.choice("--region", region, Region.self)!,
                kind: try input.choice("--kind", kind, Office.Kind.self)!, timeZoneIdentifier: timeZone,
                calendarJurisdiction: try input.jurisdiction("--calendar", calendar)!)
            let store = try await store.connect()
            let created = try await storeWork(input.command) {
                try await store.withService(actor: actor) { try await $0.createOffice(office) }
            }
            print("office \(created.id.rawValue): \(created.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List offices.", discussion: "Example:\n  ipcase offices list")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let offices = try await store.withService(actor: actor) { try await $0.offices() }
            switch output.format {
            case .table: print(table(["ID", "NAME"], offices.map { [$0.id.key, $0.name] }), terminator: "")
            case .json: try printJSON(offices.map { ["id": $0.id.rawValue, "name": $0.name] as [String: Any] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an office with the number of its records.",
            discussion: "Example:\n  ipcase offices show 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The office (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let office = ID<Office>(rawValue: id)
            let (record, counts) = try await storeWork("offices show", office: office) {
                try await store.withOffice(office, actor: actor) { session in
                    let record = try await session.currentOffice()
                    let counts = try await session.connection.query(
                        """
                        SELECT (SELECT count(*)::int FROM parties WHERE office_id = \(office)),
                               (SELECT count(*)::int FROM disclosures WHERE office_id = \(office)),
                               (SELECT count(*)::int FROM rights WHERE office_id = \(office)),
                               (SELECT count(*)::int FROM deals WHERE office_id = \(office)),
                               (SELECT count(*)::int FROM agreements WHERE office_id = \(office)),
                               (SELECT count(*)::int FROM payments WHERE office_id = \(office))
                        """
                    )[0].decode(Int.self, Int.self, Int.self, Int.self, Int.self, Int.self)
                    return (record, [counts.0, counts.1, counts.2, counts.3, counts.4, counts.5])
                }
            }
            let names = ["parties", "disclosures", "rights", "deals", "agreements", "payments"]
            let v = record.value
            switch output.format {
            case .table:
                print(
                    fieldLines(
                        [
                            ("office", "\(v.id.rawValue): \(v.name)"), ("region", v.region.rawValue),
                            ("kind", v.kind.rawValue), ("calendar", v.calendarJurisdiction.code),
                            ("time zone", v.timeZoneIdentifier), ("version", String(record.version)),
                        ] + zip(names, counts).map { ($0.0, String($0.1)) }), terminator: "")
            case .json:
                try printJSON(
                    try jsonRecord(
                        v, version: record.version,
                        related: ["counts": Dictionary(uniqueKeysWithValues: zip(names, counts))]))
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an office's name, region, kind, calendar or time zone.",
            discussion: """
                Only the options given change; the write is refused (exit 2) if someone
                changed the office since it was read (or since --expect-version).

                Example:
                  ipcase offices update 1 --name "Alatau University TTO" --calendar KZ
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var version: VersionOption
        @Argument(help: "The office (its key).") var id: Int64
        @Option var name: String?
        @Option(help: "Region, e.g. almaty-city, astana.") var region: String?
        @Option(help: "university, research-institute, technopark, company, law-firm.") var kind: String?
        @Option(help: "Working-day calendar jurisdiction.") var calendar: String?
        @Option(name: .customLong("time-zone")) var timeZone: String?

        func run() async throws {
            let input = Input(command: "offices update")
            let (name, timeZone) = (name, timeZone)
            let region = try input.choice("--region", region, Region.self)
            let kind = try input.choice("--kind", kind, Office.Kind.self)
            let calendar = try input.jurisdiction("--calendar", calendar)
            try input.requireChange(name != nil || region != nil || kind != nil || calendar != nil || timeZone != nil)
            let store = try await store.connect()
            let saved = try await updateRecord(
                input.command, store: store, office: ID(rawValue: id), expectVersion: version.expectVersion,
                read: { try await $0.currentOffice() },
                change: { office in
                    if let name { office.name = name }
                    if let region { office.region = region }
                    if let kind { office.kind = kind }
                    if let calendar { office.calendarJurisdiction = calendar }
                    if let timeZone { office.timeZoneIdentifier = timeZone }
                }, write: { try await $0.updateOffice($1) })
            print("office \(id): saved (version \(saved.version))")
        }
    }
}
