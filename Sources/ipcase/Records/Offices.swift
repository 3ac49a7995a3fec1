import Foundation
import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase offices create|list|show|update|grant|revoke|members`.
struct OfficesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offices", abstract: "Create, list, show and change offices (tenants) and their members.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Grant.self, Revoke.self, Members.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an office (needs the owner role).",
            discussion: """
                Example:
                  ipcase offices create --name "Alatau TTO" --region almaty-city --kind \\
                      university --supervisor-name "Dana Omarova" \\
                      --supervisor-email dana.omarova@alatau.edu.kz

                The supervisor receives escalations, missed-deadline notices and the
                reminders of deadlines whose attorney has no e-mail; without one (and
                without attorneys' e-mails) the office's notices reach no one. Notices
                are written in the office's --language (en, kk or ru; en unless given),
                or in the language a web user of the office chose, when they go to them.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @Option var name: String
        @Option(help: "Region, e.g. almaty-city, astana.") var region: String
        @Option(help: "university, research-institute, technopark, company, law-firm.") var kind: String
        @Option(help: "The office's own working-day calendar: KZ, RU, EP or US (a calendar with data).") var calendar: String = "KZ"
        @Option(name: .customLong("time-zone"), help: "Its IANA time zone (its \"today\"), e.g. Asia/Almaty, Asia/Aqtobe.")
        var timeZone: String = "Asia/Almaty"
        @Option(help: "The supervisor's name.") var supervisorName: String?
        @Option(help: "The supervisor's e-mail, where escalations and notices go.") var supervisorEmail: String?
        @Option(help: "The language of its notices: en, kk or ru.") var language: String = "en"

        func run() async throws {
            let input = Input(command: "offices create")
            let supervisor = try supervisorOption(input, name: supervisorName, email: supervisorEmail)
            let language = try input.value("--language", language, FieldValues.language)
            let office = Office(
                id: 0, name: try input.value("--name", name, FieldValues.name), region: try input.choice("--region", region, Region.self)!,
                kind: try input.choice("--kind", kind, Office.Kind.self)!,
                timeZoneIdentifier: try input.value("--time-zone", timeZone, FieldValues.timeZone),
                calendarJurisdiction: try input.value("--calendar", calendar) { (text: String) throws(FieldProblem) in
                    try FieldValues.calendar(text)
                })
            let store = try await store.connect()
            let created = try await storeWork(input.command) {
                try await store.withService(actor: actor.name) {
                    try await $0.createOffice(office, supervisor: supervisor, language: language)
                }
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
            let offices = try await store.withService(actor: ActorOption.loginUser) { try await $0.offices() }
            switch output.format {
            case .table:
                print(
                    table(["ID", "NAME", "LANGUAGE"], offices.map { [$0.id.key, $0.name, $0.language] }),
                    terminator: "")
            case .json:
                try printJSON(
                    offices.map { ["id": $0.id.rawValue, "name": $0.name, "language": $0.language] as [String: Any] })
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
            let ((record, supervisor, language), counts) = try await storeWork("offices show", office: office) {
                try await store.withOffice(office, actor: ActorOption.loginUser) { session in
                    let record = try await session.currentOffice()
                    let supervisor = try await session.supervisor()
                    let language = try await session.language()
                    let counts = try await session.recordCounts().map(\.count)
                    return ((record, supervisor, language), counts)
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
                            ("time zone", v.timeZoneIdentifier), ("language", language),
                            ("supervisor", supervisor.map { $0.name.isEmpty ? $0.email : "\($0.name) <\($0.email)>" } ?? "none: notices reach no one without attorneys' e-mails"),
                            ("version", String(record.version)),
                        ] + zip(names, counts).map { ($0.0, String($0.1)) }), terminator: "")
            case .json:
                try printJSON(
                    try jsonRecord(
                        v, version: record.version,
                        related: [
                            "counts": Dictionary(uniqueKeysWithValues: zip(names, counts)),
                            "supervisor": supervisor.map { ["name": $0.name, "email": $0.email] } ?? [:],
                            "language": language,
                        ]))
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an office's name, region, kind, calendar, time zone, supervisor or language.",
            discussion: """
                Only the options given change; the write is refused (exit 2) if someone
                changed the office since it was read (or since --expect-version).

                Example:
                  ipcase offices update 1 --name "Alatau University TTO" --calendar KZ
                  ipcase offices update 1 --language kk

                A new language applies to notices written from then on; what was already
                sent is not sent again.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The office (its key).") var id: Int64
        @Option var name: String?
        @Option(help: "Region, e.g. almaty-city, astana.") var region: String?
        @Option(help: "university, research-institute, technopark, company, law-firm.") var kind: String?
        @Option(help: "The office's own working-day calendar: KZ, RU, EP or US (a calendar with data).") var calendar: String?
        @Option(name: .customLong("time-zone"), help: "Its IANA time zone (its \"today\"), e.g. Asia/Almaty.")
        var timeZone: String?
        @Option(help: "The supervisor's name (with --supervisor-email).") var supervisorName: String?
        @Option(help: "The supervisor's e-mail, where escalations and notices go.") var supervisorEmail: String?
        @Flag(help: "Remove the supervisor.") var noSupervisor = false
        @Option(help: "The language of its notices: en, kk or ru.") var language: String?

        func run() async throws {
            let input = Input(command: "offices update")
            let (name, timeZone) = (try input.valueIfGiven("--name", name, FieldValues.name), timeZone)
            if noSupervisor && (supervisorEmail != nil || supervisorName != nil) {
                throw CLIError.usage("offices update: --no-supervisor cannot be given with --supervisor-email or --supervisor-name")
            }
            let supervisor = try supervisorOption(input, name: supervisorName, email: supervisorEmail)
            let changeSupervisor = supervisor != nil || noSupervisor
            let region = try input.choice("--region", region, Region.self)
            let kind = try input.choice("--kind", kind, Office.Kind.self)
            let calendar = try input.valueIfGiven("--calendar", calendar) { (text: String) throws(FieldProblem) in
                try FieldValues.calendar(text)
            }
            if let timeZone { _ = try input.value("--time-zone", timeZone, FieldValues.timeZone) }
            let language = try input.valueIfGiven("--language", language, FieldValues.language)
            try input.requireChange(
                name != nil || region != nil || kind != nil || calendar != nil || timeZone != nil || changeSupervisor
                    || language != nil)
            let store = try await store.connect()
            let saved = try await updateRecord(
                input.command, store: store, office: ID(rawValue: id), actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.currentOffice() },
                change: { office in
                    if let name { office.name = name }
                    if let region { office.region = region }
                    if let kind { office.kind = kind }
                    if let calendar { office.calendarJurisdiction = calendar }
                    if let timeZone { office.timeZoneIdentifier = timeZone }
                },
                write: { session, office in
                    let saved = try await session.updateOffice(office)
                    guard changeSupervisor || language != nil else { return saved }
                    // Setting the supervisor or the language is a second write: report the version it leaves.
                    if changeSupervisor { try await session.setSupervisor(supervisor) }
                    if let language { try await session.setLanguage(language) }
                    return try await session.currentOffice()
                })
            print("office \(id): saved (version \(saved.version))")
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a login a member of an office, or change its role (needs the owner role).",
            discussion: """
                A personal login (a member of ipcase_app or ipcase_report) sees an office's records
                only as a member. Roles: admin, officer and attorney read and write; viewer reads.

                Example:
                  ipcase offices grant --login aliya --office 1 --role officer
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @Option(help: "The login role, e.g. aliya.") var login: String
        @Option(help: "The office (its key).") var office: Int64
        @Option(help: "admin, officer, attorney or viewer.") var role: String

        func run() async throws {
            let input = Input(command: "offices grant")
            let role = try input.choice("--role", role, OfficeMembership.Role.self)!
            let (login, office) = (login, ID<Office>(rawValue: office))
            let store = try await store.connect()
            _ = try await storeWork(input.command) {
                try await store.withService(actor: actor.name) {
                    try await $0.grantMembership(login: login, office: office, role: role)
                }
            }
            print("office \(office.rawValue): \(login) is \(role.rawValue)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a login's membership of an office (needs the owner role).",
            discussion: "Example:\n  ipcase offices revoke --login aliya --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @Option(help: "The login role.") var login: String
        @Option(help: "The office (its key).") var office: Int64

        func run() async throws {
            let (login, office) = (login, ID<Office>(rawValue: office))
            let store = try await store.connect()
            let revoked = try await store.withService(actor: actor.name) {
                try await $0.revokeMembership(login: login, office: office)
            }
            guard revoked else { throw CLIError.failure("\(login) is not a member of office \(office.rawValue)") }
            print("office \(office.rawValue): \(login) is no longer a member")
        }
    }

    struct Members: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the members of an office, or of every office (the owner sees all, a login its own).",
            discussion: "Example:\n  ipcase offices members --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The office (its key); every office when omitted.") var office: Int64?

        func run() async throws {
            let office = office.map { ID<Office>(rawValue: $0) }
            let store = try await store.connect()
            let members = try await store.withService(actor: ActorOption.loginUser) { try await $0.memberships(of: office) }
            switch output.format {
            case .table:
                print(
                    table(["OFFICE", "LOGIN", "ROLE"], members.map { [$0.office.key, $0.login, $0.role.rawValue] }),
                    terminator: "")
            case .json:
                try printJSON(
                    members.map { ["office": $0.office.rawValue, "login": $0.login, "role": $0.role.rawValue] as [String: Any] })
            }
        }
    }
}

/// The supervisor given by `--supervisor-name` and `--supervisor-email` (a name needs an e-mail).
func supervisorOption(_ input: Input, name: String?, email: String?) throws -> Supervisor? {
    guard let email else {
        if name != nil {
            throw CLIError.usage("\(input.command): --supervisor-name needs --supervisor-email (notices go by e-mail)")
        }
        return nil
    }
    return Supervisor(name: name ?? "", email: try input.value("--supervisor-email", email, FieldValues.email))
}
