import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

extension DeadlinesCommand {
    /// `ipcase deadlines list`: the docket from the database.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List deadlines from the database (open ones by default) as a table, JSON, CSV or iCalendar.",
            discussion: """
                Filters combine (all must hold); the database does the filtering. --within
                counts from --as-of (default today); add --overdue to include open deadlines
                already past due. --attorney takes a party key or part of a name; a
                name several attorneys share lists the deadlines of all of them.

                Examples:
                  ipcase deadlines list --office 2 --within 30d --overdue
                  ipcase deadlines list --attorney Utebayeva --jurisdiction EP --type \\
                      renewal --format csv
                  ipcase deadlines list --office 2 --attorney 22 --within 30d
                  ipcase deadlines list --office 2 --format ics > docket.ics
                  ipcase deadlines list --status done --status waived --format json
                  ipcase deadlines list --office 2 --unverified
                Stored open deadlines no second person has verified are marked ° in the table.
                """
        )

        @OptionGroup var store: ReadStoreOptions
        @Option(help: "Only this office (its key).") var office: Int64?
        @Option(help: "Only deadlines of an attorney: a party key (42) or text of the name (every matching attorney).")
        var attorney: String?
        @Option(help: "Only these jurisdictions (repeat): KZ, EA, WO, EP, US …") var jurisdiction: [String] = []
        @Option(name: .customLong("type"), help: "Only these deadline types (repeat), e.g. renewal, national_phase.")
        var types: [String] = []
        @Option(help: "Only due within this many days from --as-of: 30d, 8w, 3m.") var within: String?
        @Flag(help: "Only open deadlines already past due (with --within: those as well).") var overdue = false
        @Option(help: "Only these statuses (repeat): open, done, waived, missed, superseded (default open).")
        var status: [String] = []
        @Flag(help: "Every status.") var all = false
        @Flag(help: "Only deadlines no second person has verified (ipcase deadlines verify).") var unverified = false
        @Option(name: .customLong("as-of"), help: "The day to count from (default today).") var asOf: String?
        @Option(help: "table, json, csv or ics.") var format: String = "table"

        func run() async throws {
            let day = try asOf.map { try CLIParse.date($0, option: "--as-of") } ?? CLIParse.today()
            guard let format = DocketCommands.Format(rawValue: format) else {
                throw CLIError.usage("--format: '\(format)' is not one of table, json, csv, ics")
            }
            var query = DocketQuery(asOf: day)
            query.office = office.map { ID<Office>(rawValue: $0) }
            query.attorney = attorney
            let ruled = RuleBook.standard.jurisdictions
            query.jurisdictions = try jurisdiction.map { code in
                guard let value = Jurisdiction(code.uppercased()), ruled.contains(value) else {
                    throw CLIError.usage(
                        "--jurisdiction: '\(code)' is not a jurisdiction with rules; one of "
                            + ruled.map(\.code).sorted().joined(separator: ", "))
                }
                return value
            }
            let knownTypes = DeadlineType.allCases.map(\.rawValue) + ObligationDeadline.Kind.allCases.map(\.rawValue)
            for type in types where !knownTypes.contains(type) {
                throw CLIError.usage(
                    "--type: '\(type)' is not a deadline type; one of \(knownTypes.sorted().joined(separator: ", "))")
            }
            query.types = types
            let statuses = ["open", "done", "waived", "missed", "superseded"]
            for value in status where !statuses.contains(value) {
                throw CLIError.usage("--status: '\(value)' is not one of \(statuses.joined(separator: ", "))")
            }
            query.statuses = all ? [] : (status.isEmpty ? ["open"] : status)
            query.within = try within.map { try CLIParse.days($0, option: "--within") }
            query.overdue = overdue
            query.unverified = unverified
            let store = try await store.connect()
            if let office = query.office {
                do {
                    _ = try await store.withOffice(office, actor: ActorOption.loginUser) { try await $0.currentOffice() }
                } catch StoreError.notFound {
                    throw CLIError.noSuchOffice(office)
                }
            }
            let entries = try await DocketCommands.entries(store: store, query: query)
            print(
                DocketCommands.render(entries, format: format, asOf: day, color: Terminal.stdoutIsTerminal),
                terminator: "")
            // The table says which rights it cannot show deadlines of (no rules: entered by hand).
            if format == .table {
                // In the office's session when one is given: row security admits its rows there.
                let manual =
                    if let office = query.office {
                        try await store.withOffice(office, actor: ActorOption.loginUser) { try await $0.rightsWithoutComputedDeadlines() }
                    } else {
                        try await store.withService(actor: ActorOption.loginUser) { try await $0.rightsWithoutComputedDeadlines() }
                    }
                if !manual.isEmpty {
                    print("\nNo computed deadlines (no rules; their time limits are entered by hand):")
                    for right in manual {
                        print("  \(right.reference)  \(right.jurisdiction.code) \(right.kind.rawValue)  office \(right.office.rawValue)")
                    }
                }
            }
        }
    }

    /// `ipcase deadlines done ID --reason …`.
    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "done",
            abstract: "Mark an open deadline done, with a reason (audited).",
            discussion: """
                Example:
                  ipcase deadlines done 1234 --reason "renewal fee paid, receipt 2025-118"
                With --expect-version the change is refused if someone changed the deadline
                since.
                """)

        @OptionGroup var closing: ClosingOptions

        func run() async throws { try await closing.close(as: .done) }
    }

    /// `ipcase deadlines waive ID --reason …`.
    struct Waive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "waive",
            abstract: "Waive an open deadline (decide not to act), with a reason (audited).",
            discussion: """
                Example:
                  ipcase deadlines waive 1234 --reason "client abandons the US application"
                """)

        @OptionGroup var closing: ClosingOptions

        func run() async throws { try await closing.close(as: .waived) }
    }

    /// What `done` and `waive` take: the deadline, why, and who.
    struct ClosingOptions: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @Argument(help: "The deadline's ID (first column of `deadlines list`).") var id: Int64
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @Option(help: "Its office (found from the ID when omitted).") var office: Int64?
        @Option(name: .customLong("expect-version"), help: "Refuse if the deadline's version is not this.")
        var expectVersion: Int?
        @OptionGroup var actor: ActorOption

        /// Closes the open deadline as `completion`, with the reason and actor in the audit trail.
        func close(as completion: DeadlineCompletion) async throws {
            let store = try await store.connect()
            do {
                let version = try await DocketCommands.complete(
                    store: store, deadline: id, as: completion, reason: reason,
                    office: office.map { ID<Office>(rawValue: $0) }, expectedVersion: expectVersion, actor: actor.name)
                print("deadline \(id): \(completion.rawValue) (version \(version))")
            } catch let error as StoreError {
                throw CLIError.usage(error.description)
            }
        }
    }
}

extension DeadlinesCommand {
    /// `ipcase deadlines verify ID`: a second person's check of a deadline's dates.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Record that you checked an open deadline's dates (a second person's check, audited).",
            discussion: """
                The verifier must not be the person who recorded the event that triggers the
                deadline. A deadline whose due or final date moves later must be verified again;
                `deadlines list --unverified` lists those still to check.

                Example:
                  ipcase deadlines verify 1234 --actor b.attorney
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The deadline's ID (first column of `deadlines list`).") var id: Int64
        @Option(help: "Its office (found from the ID when omitted).") var office: Int64?
        @Option(name: .customLong("expect-version"), help: "Refuse if the deadline's version is not this.")
        var expectVersion: Int?
        @OptionGroup var actor: ActorOption

        func run() async throws {
            let store = try await store.connect()
            let who = actor.name
            do {
                let version = try await DocketCommands.verify(
                    store: store, deadline: id, office: office.map { ID<Office>(rawValue: $0) },
                    expectedVersion: expectVersion, actor: who)
                print("deadline \(id): verified by \(who) (version \(version))")
            } catch let error as StoreError {
                throw CLIError.usage(error.description)
            }
        }
    }
}
