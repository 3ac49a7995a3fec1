import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase parties create|list|show|update`.
struct PartiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parties", abstract: "Create, list, show and change parties (inventors, attorneys, licensees …).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a party.",
            discussion: """
                Example:
                  ipcase parties create --office 1 --name "Aigerim Sadykova" --kind \\
                      person --sector academia --role inventor
                  ipcase parties create --office 1 --name "Ruslan Lebedev" --kind person \\
                      --sector other --role attorney --email r.lebedev@patent.kz \\
                      --phone "+7 727 250 00 00"

                An attorney's reminders go to their --email; without one they go to the
                office's supervisor.
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option var name: String
        @Option(help: "person or organization.") var kind: String
        @Option(help: "academia, industry, government, other.") var sector: String
        @Option(help: "inventor, attorney, licensee, assignee, investor, funder (repeat).") var role: [String] = []
        @Option(help: "Region, e.g. almaty-city.") var region: String?
        @Option(help: "ISO 3166 alpha-2 country.") var country: String = "KZ"
        @Option(help: "E-mail, where reminders and notices reach the party.") var email: String?
        @Option(help: "Telephone number.") var phone: String?
        @Option(help: "An organization's employees (AUTM: under 500 is a small company).") var employees: Int?
        @OptionGroup var demographics: DemographicsOptions

        func run() async throws {
            let input = Input(command: "parties create")
            if let employees, employees < 0 { throw input.bad("--employees must be 0 or more") }
            let email = try input.valueIfGiven("--email", email, FieldValues.email)
            let phone = try input.valueIfGiven("--phone", phone, FieldValues.phone)
            var party = Party(
                id: 0, kind: try input.choice("--kind", kind, Party.Kind.self)!,
                name: try input.value("--name", name, FieldValues.name),
                roles: try role.map { try input.choice("--role", $0, Party.Role.self)! },
                sector: try input.choice("--sector", sector, Party.Sector.self)!,
                region: try input.choice("--region", region, Region.self),
                country: try input.value("--country", country, FieldValues.country), email: email, phone: phone)
            party.demographics = try demographics.applied(to: nil, kind: party.kind, input: input)
            party.employees = employees
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { [party] in try await $0.createParty(party) }
            }
            print("party \(created.id.rawValue): \(created.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's parties.", discussion: "Example:\n  ipcase parties list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let parties = try await office.reading(store) { try await $0.parties() }
            try printList(parties, format: output.format, headers: ["ID", "NAME", "KIND", "ROLES", "SECTOR"]) { p in
                [p.id.key, p.name, p.kind.rawValue, p.roles.map(\.rawValue).joined(separator: ";"), p.sector.rawValue]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a party.", discussion: "Example:\n  ipcase parties show 4 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The party (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Party>(rawValue: id)
            let record = try await storeWork("parties show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { try await $0.party(id) }
            }
            let p = record.value
            try printRecord(
                p, version: record.version, format: output.format,
                fields: [
                    ("party", "\(p.id.rawValue): \(p.name)"), ("kind", p.kind.rawValue),
                    ("roles", p.roles.map(\.rawValue).listed), ("sector", p.sector.rawValue),
                    ("region", p.region?.rawValue), ("country", p.country.code),
                    ("email", p.email), ("phone", p.phone), ("employees", p.employees.map(String.init)),
                    (
                        "demographics",
                        p.demographics.map { d in
                            [d.gender?.rawValue, d.careerStage?.rawValue].compactMap { $0 }.joined(separator: ", ")
                                + " (consent \(d.consentedOn))"
                        }
                    ),
                ])
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a party's data.",
            discussion: """
                Only the options given change (--role replaces all roles). The write is
                refused (exit 2) if someone changed the party since it was read (or since
                --expect-version).

                Example:
                  ipcase parties update 4 --office 1 --role inventor --role licensee
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The party (its key).") var id: Int64
        @Option var name: String?
        @Option(help: "person or organization.") var kind: String?
        @Option(help: "academia, industry, government, other.") var sector: String?
        @Option(help: "The roles, replacing the current ones (repeat).") var role: [String] = []
        @Option(help: "Region, e.g. almaty-city.") var region: String?
        @Option(help: "ISO 3166 alpha-2 country.") var country: String?
        @Option(help: "E-mail, where reminders and notices reach the party (\"\" removes it).") var email: String?
        @Option(help: "Telephone number (\"\" removes it).") var phone: String?
        @Option(help: "An organization's employees (\"\" removes it).") var employees: String?
        @OptionGroup var demographics: DemographicsOptions

        func run() async throws {
            let input = Input(command: "parties update")
            // An empty value removes the field: .some(nil).
            let email: String?? = try email.map { $0.isEmpty ? nil : try input.value("--email", $0, FieldValues.email) }
            let phone: String?? = try phone.map { $0.isEmpty ? nil : try input.value("--phone", $0, FieldValues.phone) }
            let name = try input.valueIfGiven("--name", name, FieldValues.name)
            let kind = try input.choice("--kind", kind, Party.Kind.self)
            let sector = try input.choice("--sector", sector, Party.Sector.self)
            let roles = try role.map { try input.choice("--role", $0, Party.Role.self)! }
            let region = try input.choice("--region", region, Region.self)
            let country = try input.valueIfGiven("--country", country, FieldValues.country)
            let employees: Int?? = try employees.map { text in
                guard !text.isEmpty else { return nil }
                guard let count = Int(text), count >= 0 else {
                    throw input.bad("--employees: '\(text)' is not a number of employees such as 120")
                }
                return count
            }
            try input.requireChange(
                name != nil || kind != nil || sector != nil || !roles.isEmpty || region != nil || country != nil
                    || email != nil || phone != nil || employees != nil || demographics.given)
            let store = try await store.connect()
            let id = ID<Party>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.party(id) },
                change: { party in
                    if let name { party.name = name }
                    if let kind { party.kind = kind }
                    if let sector { party.sector = sector }
                    if !roles.isEmpty { party.setRoles(roles) }
                    if let region { party.region = region }
                    if let country { party.country = country }
                    if let email { party.email = email }
                    if let phone { party.phone = phone }
                    if let employees { party.employees = employees }
                    party.demographics = try demographics.applied(to: party.demographics, kind: party.kind, input: input)
                }, write: { try await $0.updateParty($1) })
            print("party \(id.rawValue): saved (version \(saved.version))")
        }
    }
}

/// `--gender`, `--career-stage`, `--consented-on`, `--withdraw-consent`: what a person agreed to
/// have recorded about them for indicators reported in aggregate.
struct DemographicsOptions: ParsableArguments {
    @Option(help: "female, male, non-binary or undisclosed (needs --consented-on).") var gender: String?
    @Option(
        name: .customLong("career-stage"), help: "student, early-career, mid-career or senior (needs --consented-on).")
    var careerStage: String?
    @Option(
        name: .customLong("consented-on"),
        help: "The day the person agreed to have their gender and career stage recorded (YYYY-MM-DD).")
    var consentedOn: String?
    @Flag(
        name: .customLong("withdraw-consent"),
        help: "The person withdrew consent: their gender and career stage are removed.")
    var withdrawConsent = false

    var given: Bool { gender != nil || careerStage != nil || consentedOn != nil || withdrawConsent }

    /// The demographics after these options, starting from `current`; refused for an
    /// organization and without a consent date.
    func applied(to current: Party.Demographics?, kind: Party.Kind, input: Input) throws -> Party.Demographics? {
        guard given else { return current }
        if withdrawConsent {
            guard gender == nil, careerStage == nil, consentedOn == nil else {
                throw input.bad("--withdraw-consent removes the demographics; give no other of their options")
            }
            return nil
        }
        guard kind == .person else { throw input.bad("--gender and --career-stage are recorded for people only") }
        let consent = try input.date("--consented-on", consentedOn) ?? current?.consentedOn
        guard let consent else {
            throw input.bad(
                "--gender and --career-stage need --consented-on (the day the person agreed to have them recorded)")
        }
        var demographics = current ?? Party.Demographics(consentedOn: consent)
        demographics.consentedOn = consent
        if let gender = try input.choice("--gender", gender, Party.Gender.self) { demographics.gender = gender }
        if let stage = try input.choice("--career-stage", careerStage, Party.CareerStage.self) {
            demographics.careerStage = stage
        }
        return demographics
    }
}
