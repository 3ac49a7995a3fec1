import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// The office option of tenant-scoped commands: the CLI runs in that office's row security.
struct OfficeOption: ParsableArguments {
    @Option(help: "The office (its key); its row security scopes everything read or written.")
    var office: Int64

    var id: ID<Office> { ID(rawValue: office) }
}

private var actor: String { ProcessInfo.processInfo.environment["USER"] ?? "ipcase" }

private func enumValue<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type, option: String) throws -> T
where T.RawValue == String {
    guard let value = T(rawValue: text) else {
        throw CLIError.usage("\(option): '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}

/// Runs `body`, turning store errors (not found, conflict, refused transition) into exit code 2.
private func storeWork<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as StoreError { throw CLIError.usage(error.description) }
}

private func table(_ headers: [String], _ rows: [[String]]) -> String {
    guard !rows.isEmpty else { return "none\n" }
    var widths = headers.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
    }
    return line(headers) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
}

/// `ipcase offices`.
struct OfficesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offices", abstract: "Create and list offices (tenants).", subcommands: [Create.self, List.self])

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
            let region = try enumValue(region, Region.self, option: "--region")
            let kind = try enumValue(kind, Office.Kind.self, option: "--kind")
            guard let calendar = Jurisdiction(calendar) else {
                throw CLIError.usage("--calendar: '\(calendar)' is not a code")
            }
            let office = Office(
                id: 0, name: name, region: region, kind: kind, timeZoneIdentifier: timeZone,
                calendarJurisdiction: calendar)
            let store = try await store.connect()
            let created = try await storeWork {
                try await store.withService(actor: actor) { try await $0.createOffice(office) }
            }
            print("office \(created.id.rawValue): \(created.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List offices.", discussion: "Example:\n  ipcase offices list")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            let store = try await store.connect()
            let offices = try await store.withService(actor: actor) { try await $0.offices() }
            print(table(["ID", "NAME"], offices.map { [String($0.id.rawValue), $0.name] }), terminator: "")
        }
    }
}

/// `ipcase parties`.
struct PartiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parties", abstract: "Create and list parties (inventors, attorneys, licensees …).",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a party.",
            discussion: """
                Example:
                  ipcase parties create --office 1 --name "Aigerim Sadykova" --kind \\
                      person --sector academia --role inventor
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option var name: String
        @Option(help: "person or organization.") var kind: String
        @Option(help: "academia, industry, government, other.") var sector: String
        @Option(help: "inventor, attorney, licensee, assignee, investor, funder (repeat).") var role: [String] = []
        @Option(help: "Region, e.g. almaty-city.") var region: String?
        @Option(help: "ISO 3166 alpha-2 country.") var country: String = "KZ"

        func run() async throws {
            let party = Party(
                id: 0, kind: try enumValue(kind, Party.Kind.self, option: "--kind"), name: name,
                roles: try role.map { try enumValue($0, Party.Role.self, option: "--role") },
                sector: try enumValue(sector, Party.Sector.self, option: "--sector"),
                region: try region.map { try enumValue($0, Region.self, option: "--region") },
                country: try Country(country) ?? { throw CLIError.usage("--country: '\(country)' is not a code") }())
            let store = try await store.connect()
            let created = try await storeWork {
                try await store.withOffice(office.id, actor: actor) { try await $0.createParty(party) }
            }
            print("party \(created.id.rawValue): \(created.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's parties.", discussion: "Example:\n  ipcase parties list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        func run() async throws {
            let store = try await store.connect()
            let parties = try await store.withOffice(office.id, actor: actor) { try await $0.parties() }
            print(
                table(
                    ["ID", "NAME", "KIND", "ROLES", "SECTOR"],
                    parties.map { p in
                        [
                            String(p.value.id.rawValue), p.value.name, p.value.kind.rawValue,
                            p.value.roles.map(\.rawValue).joined(separator: ";"), p.value.sector.rawValue,
                        ]
                    }), terminator: "")
        }
    }
}

/// `ipcase rights`.
struct RightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights", abstract: "Create, list and show rights (applications and titles).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a right's data (its state changes only through events).",
            discussion: """
                Refused (exit 2) when --expect-version is given and someone changed the
                right since.

                Example:
                  ipcase rights update 42 --office 1 --title \\
                      "Drilling fluid with low filtration" --attorney 21
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Argument var id: Int64
        @Option var title: String?
        @Option(help: "The responsible attorney (party key).") var attorney: Int64?
        @Option(name: .customLong("application-number")) var applicationNumber: String?
        @Option(name: .customLong("expect-version"), help: "Refuse if the right's version is not this.")
        var expectVersion: Int?

        func run() async throws {
            let store = try await store.connect()
            let (title, attorney, number, expected, id) = (title, attorney, applicationNumber, expectVersion, id)
            let saved = try await storeWork {
                try await store.withOffice(office.id, actor: actor) { session in
                    var right = try await session.right(ID(rawValue: id))
                    if let expected { right.version = expected }
                    if let title { right.value.title = title }
                    if let attorney { right.value.responsibleAttorney = ID(rawValue: attorney) }
                    if let number { right.value.applicationNumber = number }
                    return try await session.updateRight(right)
                }
            }
            print("right \(id): saved (version \(saved.version))")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a right (a draft until its `filed` event is recorded).",
            discussion: """
                Example:
                  ipcase rights create --office 1 --ref ATU-2025-001-KZ --jurisdiction KZ --kind patent \\
                      --title "Drilling fluid" --attorney 21
                  ipcase events record --office 1 --right 1 --event filed=2025-03-14 \\
                      --number 2025/0123.1
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option var ref: String
        @Option var jurisdiction: String
        @Option(help: "patent, utility-model, design, trademark, pct-application, provisional, selection-achievement.")
        var kind: String
        @Option var title: String
        @Option(help: "The responsible attorney (party key).") var attorney: Int64?

        func run() async throws {
            guard let code = Jurisdiction(jurisdiction) else {
                throw CLIError.usage("--jurisdiction: '\(jurisdiction)' is not a code")
            }
            let right = Right(
                id: 0, office: office.id, reference: ref, title: title, jurisdiction: code,
                kind: try enumValue(kind, RightKind.self, option: "--kind"),
                responsibleAttorney: attorney.map { ID(rawValue: $0) })
            let store = try await store.connect()
            let created = try await storeWork {
                try await store.withOffice(office.id, actor: actor) { try await $0.createRight(right) }
            }
            print("right \(created.id.rawValue): \(created.reference)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's rights.", discussion: "Example:\n  ipcase rights list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        func run() async throws {
            let store = try await store.connect()
            let rights = try await store.withOffice(office.id, actor: actor) { try await $0.rights() }
            print(
                table(
                    ["ID", "REF", "JUR", "KIND", "STATE", "NUMBER", "FILED"],
                    rights.map { r in
                        let v = r.value
                        return [
                            String(v.id.rawValue), v.reference, v.jurisdiction.code, v.kind.rawValue, v.state.rawValue,
                            v.applicationNumber ?? "", v.filingDate?.description ?? "",
                        ]
                    }), terminator: "")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a right with its events.", discussion: "Example:\n  ipcase rights show 42 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Argument var id: Int64
        func run() async throws {
            let store = try await store.connect()
            let (right, events) = try await storeWork {
                try await store.withOffice(office.id, actor: actor) { session in
                    (try await session.right(ID(rawValue: id)), try await session.events(of: ID(rawValue: id)))
                }
            }
            let v = right.value
            print("right \(v.id.rawValue): \(v.reference) — \(v.title)")
            print("  \(v.jurisdiction.code) \(v.kind.rawValue), state \(v.state.rawValue), version \(right.version)")
            if let number = v.applicationNumber { print("  application \(number)") }
            if let filed = v.filingDate { print("  filed \(filed)") }
            print("events:")
            print(
                table(
                    ["DATE", "EVENT", "YEAR", "REFERENCE", "BY"],
                    events.map { e in
                        [
                            e.event.date.description, e.event.kind.rawValue, e.event.year.map(String.init) ?? "",
                            e.event.reference ?? "", e.recordedBy,
                        ]
                    }), terminator: "")
        }
    }
}

/// `ipcase events record`.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Record what happened to a right.", subcommands: [Record.self])

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Record an event of a right; it moves the right's state where it is a workflow event and queues the deadline recomputation.",
            discussion: """
                Examples:
                  ipcase events record --office 1 --right 42 --event filed=2024-01-15 \\
                      --number 2024/0042.1
                  ipcase events record --office 1 --right 42 --event \\
                      office-action=2024-09-02
                  ipcase events record --office 1 --right 42 --event \\
                      annuity-paid=2026-01-10 --number 3
                A refused transition says the state and the events allowed, and exits with
                2.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option(help: "The right (its key).") var right: Int64
        @Option(help: "TYPE=YYYY-MM-DD, e.g. filed=2024-01-15.") var event: String
        @Option(help: "Application/registration number, or the fee year of annuity-paid.") var number: String?
        @Option(name: .customLong("restorable-until"), help: "For lapsed: the end of the restoration period.")
        var restorableUntil: String?

        func run() async throws {
            let parts = event.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CLIError.usage("--event: '\(event)' is not TYPE=YYYY-MM-DD") }
            let details = Advance.Details(
                date: try CLIParse.date(parts[1], option: "--event"), number: number,
                until: try restorableUntil.map { try CLIParse.date($0, option: "--restorable-until") })
            let store = try await store.connect()
            let moved = try await storeWork {
                try await Advance.apply(
                    .right, id: right, event: parts[0], details: details, office: office.id,
                    store: store, actor: actor)
            }
            print("right \(right): \(parts[0]) recorded (\(moved.from) → \(moved.to))")
        }
    }
}

/// `ipcase deals|agreements|payments|disclosures list`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an office's deals, agreements, payments or disclosures.",
        discussion: """
            Examples:
              ipcase list deals --office 1
              ipcase list agreements --office 1
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var office: OfficeOption
    @Argument(help: "deals, agreements, payments or disclosures.") var what: String

    func run() async throws {
        let store = try await store.connect()
        let office = office.id
        switch what {
        case "deals":
            let deals = try await store.withOffice(office, actor: actor) { try await $0.deals() }
            print(
                table(
                    ["ID", "REF", "STATE", "TITLE"],
                    deals.map {
                        [String($0.value.id.rawValue), $0.value.reference, $0.value.state.rawValue, $0.value.title]
                    }), terminator: "")
        case "agreements":
            let agreements = try await store.withOffice(office, actor: actor) { try await $0.agreements() }
            print(
                table(
                    ["ID", "REF", "KIND", "STATE", "EXECUTED"],
                    agreements.map {
                        [
                            String($0.value.id.rawValue), $0.value.reference, $0.value.kind.rawValue,
                            $0.value.state.rawValue,
                            $0.value.executedOn?.description ?? "",
                        ]
                    }), terminator: "")
        case "payments":
            let payments = try await store.withOffice(office, actor: actor) { try await $0.payments() }
            print(
                table(
                    ["ID", "AGREEMENT", "RECEIVED", "KIND", "AMOUNT"],
                    payments.map {
                        [
                            String($0.id.rawValue), String($0.agreement.rawValue), $0.receivedOn.description,
                            $0.kind.rawValue,
                            $0.amount.description,
                        ]
                    }), terminator: "")
        case "disclosures":
            let disclosures = try await store.withOffice(office, actor: actor) { try await $0.disclosures() }
            print(
                table(
                    ["ID", "REF", "STATE", "RECEIVED", "TITLE"],
                    disclosures.map {
                        [
                            String($0.value.id.rawValue), $0.value.reference, $0.value.state.rawValue,
                            $0.value.receivedOn.description, $0.value.title,
                        ]
                    }), terminator: "")
        default:
            throw CLIError.usage("'\(what)' is not one of deals, agreements, payments, disclosures")
        }
    }
}

/// `ipcase advance deal|agreement|disclosure|right ID EVENT`.
struct AdvanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Apply a workflow event to a deal, agreement, disclosure or right.",
        discussion: """
            A transition the state machine does not allow is refused with the state and
            the events that are allowed, and exit code 2; nothing is written.

            Examples:
              ipcase advance deal 12 start-negotiation --office 1
              ipcase advance deal 12 execute-agreement --kind exclusive-licence \\
                  --office 1
              ipcase advance agreement 7 activate --date 2025-07-01 --office 1
              ipcase advance disclosure 3 start-assessment --inventor 4=60 --inventor \\
                  9=40 --office 1
              ipcase advance right 42 published --date 2025-09-14 --office 1
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var office: OfficeOption
    @Argument(help: "deal, agreement, disclosure or right.") var subject: String
    @Argument(help: "Its key.") var id: Int64
    @Argument(help: "The event, e.g. start-negotiation, activate, approve-for-protection, published.") var event: String
    @Option(help: "When it happened (default today).") var date: String?
    @Option(help: "Agreement kind (execute-agreement, exercise-option, start-evaluation).") var kind: String?
    @Option(help: "Reason (lose, terminate, declare-default).") var reason: String?
    @Option(help: "Application/registration number or fee year (right events).") var number: String?
    @Option(help: "Cure-by, review-on or restorable-until date.") var until: String?
    @Option(help: "PARTY=PERCENT for start-assessment (repeat).") var inventor: [String] = []
    @Option(help: "The NDA/MTA a deal's evaluation runs under (agreement key).") var agreement: Int64?

    func run() async throws {
        let subject = try enumValue(subject, Advance.Subject.self, option: "subject")
        let details = Advance.Details(
            date: try date.map { try CLIParse.date($0, option: "--date") } ?? CLIParse.today(), kind: kind,
            reason: reason, number: number, until: try until.map { try CLIParse.date($0, option: "--until") },
            inventors: inventor, agreement: agreement)
        let store = try await store.connect()
        let moved = try await storeWork {
            try await Advance.apply(
                subject, id: id, event: event, details: details, office: office.id, store: store,
                actor: actor)
        }
        print("\(subject.rawValue) \(id): \(event) (\(moved.from) → \(moved.to))")
    }
}
