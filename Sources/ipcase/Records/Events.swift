import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase events record|list|show` (and an `update` that explains why there is none).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Record, list and show what happened to a right (append-only).",
        discussion: """
            Events are the audit trail legal time limits are computed from, so they are
            never changed or deleted: a wrong event is corrected by recording a correcting
            event, and the deadlines are recomputed from all of them.
            """,
        subcommands: [Record.self, List.self, Show.self, Update.self])

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
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The right (its key).") var right: Int64
        @Option(help: "TYPE=YYYY-MM-DD, e.g. filed=2024-01-15.") var event: String
        @Option(help: "Application/registration number, or the fee year of annuity-paid.") var number: String?
        @Option(name: .customLong("restorable-until"), help: "For lapsed: the end of the restoration period.")
        var restorableUntil: String?

        func run() async throws {
            let input = Input(command: "events record")
            let parts = event.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw input.bad("--event '\(event)' is not TYPE=YYYY-MM-DD") }
            let details = Advance.Details(
                date: try input.date("--event", parts[1])!, number: number,
                until: try input.date("--restorable-until", restorableUntil))
            let store = try await store.connect()
            let moved = try await storeWork(input.command, office: office.id) {
                try await Advance.apply(
                    .right, id: right, event: parts[0], details: details, office: office.id,
                    store: store, actor: actor.name)
            }
            print("right \(right): \(parts[0]) recorded (\(moved.from) → \(moved.to))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the events of a right, in date order.",
            discussion: "Example:\n  ipcase events list --office 1 --right 42")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(help: "The right (its key).") var right: Int64

        func run() async throws {
            let store = try await store.connect()
            let right = ID<Right>(rawValue: right)
            let events = try await storeWork("events list", office: office.id) {
                try await office.reading(store) { session in
                    _ = try await session.right(right)
                    return try await session.events(of: right)
                }
            }
            switch output.format {
            case .table: print(eventsTable(events), terminator: "")
            case .json: try printJSON(try events.map { try jsonValue(EventJSON($0)) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one recorded event.", discussion: "Example:\n  ipcase events show 17 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The event (its key, as `events list` prints).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = id
            let (stored, right) = try await storeWork("events show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    let stored = try await session.rightEvent(id)
                    return (stored, try await session.right(stored.right).value)
                }
            }
            switch output.format {
            case .table:
                print(
                    fieldLines([
                        ("event", "\(stored.id): \(stored.event.kind.rawValue)"),
                        ("right", "\(right.id.rawValue): \(right.reference)"), ("date", stored.event.date.description),
                        ("year", stored.event.year.map(String.init)), ("reference", stored.event.reference),
                        ("recorded by", stored.recordedBy), ("source", stored.source),
                    ]), terminator: "")
            case .json: try printJSON(try jsonValue(EventJSON(stored)))
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "There is no events update: events are append-only.",
            discussion: """
                An event is part of the audit trail a legal time limit is computed from, so
                it is never changed. Record a correcting event instead; the deadlines are
                recomputed from all events.

                Example (an office action was recorded on the wrong right):
                  ipcase events list --office 1 --right 42
                  ipcase events record --office 1 --right 43 --event \\
                      office-action=2024-09-02
                """)
        @Argument(parsing: .allUnrecognized) var ignored: [String] = []

        func run() async throws {
            throw CLIError.usage(
                "events update: events are append-only (the audit trail of legal time limits); record a correcting event with `ipcase events record` instead"
            )
        }
    }
}
