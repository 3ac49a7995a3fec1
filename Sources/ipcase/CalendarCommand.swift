import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase calendar list|add-closed|add-working|remove`: an office's overrides of the embedded
/// calendars, entered as decrees and notices appear.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Close or open days of an office calendar without a release (decrees, closure notices).",
        discussion: """
            The calendars (KZ, EP, US, RU) are embedded in the build with their sources. When a
            decree moves a day off or an office announces a closure, enter it for your office:

              ipcase calendar add-closed --office 1 --calendar KZ --date 2027-01-04 \\
                  --source "Government decree No. 1 of 2026-12-01"
              ipcase calendar add-working --office 1 --calendar KZ --date 2027-01-09 \\
                  --source "Government decree No. 1 of 2026-12-01"
              ipcase calendar list --office 1 --calendar KZ
              ipcase calendar remove 3 --office 1

            Adding or removing a day queues the recomputation of every right of the office with
            open deadlines counted by that calendar (ipcased does it). A deadline whose date moves
            keeps its previous date and the reason: the docket shows "moved from 2027-01-04 —
            KZ closed 2027-01-04 by …", and the responsible attorney gets a "deadline moved" notice.
            """,
        subcommands: [List.self, AddClosed.self, AddWorking.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the office's calendar overrides.",
            discussion: "Example:\n  ipcase calendar list --office 1 --calendar KZ")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option(help: "Only this calendar (KZ, EP, US, RU).") var calendar: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let calendar = try CalendarCommand.calendarID(calendar, command: "calendar list")
            let store = try await store.connect()
            let overrides = try await office.reading(store) { try await $0.calendarOverrides(calendar: calendar) }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "CALENDAR", "DATE", "DAY", "KIND", "SOURCE", "ENTERED BY", "ENTERED"],
                        overrides.map { stored in
                            let o = stored.override
                            return [
                                String(stored.id), o.calendar, o.day.description, o.day.weekday.name, o.kind.rawValue,
                                o.source, stored.enteredBy, ISO8601DateFormatter().string(from: stored.enteredAt),
                            ]
                        }), terminator: "")
            case .json:
                try printJSON(
                    overrides.map { stored -> [String: Any] in
                        [
                            "id": stored.id, "office": stored.office.rawValue, "calendar": stored.override.calendar,
                            "date": stored.override.day.description, "kind": stored.override.kind.rawValue,
                            "source": stored.override.source, "entered_by": stored.enteredBy,
                            "entered_at": ISO8601DateFormatter().string(from: stored.enteredAt),
                        ]
                    })
            }
        }
    }

    /// The options of `add-closed` and `add-working`.
    struct DayOptions: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var actor: ActorOption
        @Option(help: "The calendar: KZ, EP, US or RU.") var calendar: String
        @Option(help: "The day, YYYY-MM-DD.") var date: String
        @Option(help: "The decree or notice (kept with the day and shown with every deadline it moves).")
        var source: String

        func add(_ kind: CalendarOverride.Kind, command: String) async throws {
            let input = Input(command: command)
            let calendar = try CalendarCommand.calendarID(calendar, command: command)!
            let day = try input.date("--date", date)!
            let source = try input.value("--source", source, FieldValues.title)
            let store = try await store.connect()
            let change = try await storeWork(command, office: office.id) {
                try await office.reading(store, as: actor.name) { session in
                    try await session.addCalendarOverride(
                        CalendarOverride(calendar: calendar, day: day, kind: kind, source: source))
                }
            }
            let o = change.override.override
            print(
                "calendar override \(change.override.id): \(o.calendar) \(o.kind.rawValue) on \(o.day.weekday.name) \(o.day) (\(o.source)); "
                    + "\(change.queued) right(s) queued for recomputation")
        }
    }

    struct AddClosed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-closed", abstract: "Close a day of a calendar for this office.",
            discussion: """
                Example:
                  ipcase calendar add-closed --office 1 --calendar KZ --date 2027-01-04 \\
                      --source "Government decree No. 1 of 2026-12-01"
                """)
        @OptionGroup var options: DayOptions
        func run() async throws { try await options.add(.closed, command: "calendar add-closed") }
    }

    struct AddWorking: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-working", abstract: "Make a day (a weekend day worked by decree) a working day.",
            discussion: """
                Example:
                  ipcase calendar add-working --office 1 --calendar KZ --date 2027-01-09 \\
                      --source "Government decree No. 1 of 2026-12-01"
                """)
        @OptionGroup var options: DayOptions
        func run() async throws { try await options.add(.working, command: "calendar add-working") }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an override (the embedded calendar applies to that day again).",
            discussion: "Example:\n  ipcase calendar remove 3 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var actor: ActorOption
        @Argument(help: "The override (its ID in `calendar list`).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let change = try await storeWork("calendar remove", office: office.id) {
                try await office.reading(store, as: actor.name) { try await $0.removeCalendarOverride(id) }
            }
            let o = change.override.override
            print(
                "calendar override \(id) removed: \(o.calendar) \(o.day) no longer \(o.kind.rawValue); "
                    + "\(change.queued) right(s) queued for recomputation")
        }
    }

    /// A calendar id with data, or a usage error listing them.
    static func calendarID(_ text: String?, command: String) throws -> String? {
        guard let text else { return nil }
        let ids = RuleBook.standard.calendarIDs.sorted()
        let id = text.uppercased()
        guard ids.contains(id) else {
            throw CLIError.usage("\(command): --calendar '\(text)' has no calendar data (calendars: \(ids.joined(separator: ", ")))")
        }
        return id
    }
}
