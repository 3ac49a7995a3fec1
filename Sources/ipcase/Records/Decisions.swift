import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase decisions open|list|show|decide|paid`: the office's renewal decisions.
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "Decide, before each renewal fee or annuity, whether to keep the right.",
        discussion: """
            A decision opens the lead time (90 days by default) before each open renewal,
            annuity or maintenance-fee deadline; ipcased opens them on its sweeps, `decisions
            open` does it by hand. States: pending → instructed-pay (keep, keep-while-licensed)
            | instructed-drop (drop, offer-inventors) → paid | lapsed; last-call when the due
            date passed unpaid while the grace period runs. Paying records annuity-paid for the
            fee year; a dropped right gets no more reminders for that fee and is abandoned after
            its final date.

            Examples:
              ipcase decisions open --office 1 --as-of 2026-01-01 --lead-days 90
              ipcase decisions list --office 1 --state pending --due-before 2026-06-30
              ipcase decisions show 3 --office 1
              ipcase decisions decide 3 --office 1 --choice drop --reason "no licensee in sight" --version 1
              ipcase decisions paid 4 --office 1 --date 2026-02-10
            """,
        subcommands: [Open.self, List.self, Show.self, Decide.self, Paid.self])

    /// How `list` and `show` print: aligned text, CSV or JSON.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the decisions of the fee deadlines due within the lead time (what ipcased does).",
            discussion: """
                Idempotent: a deadline has one decision. Prints how many were opened.

                Example:
                  ipcase decisions open --office 1 --as-of 2026-01-01 --lead-days 90
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
        @Option(name: .customLong("lead-days"), help: "Days before the due date a decision opens.")
        var leadDays: Int = 90

        func run() async throws {
            let input = Input(command: "decisions open")
            let asOf = try input.date("--as-of", asOf) ?? CLIParse.today()
            guard (1...3_650).contains(leadDays) else { throw input.bad("--lead-days must be 1–3650") }
            let (store, leadDays) = (try await store.connect(), leadDays)
            let opened = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.openRenewalDecisions(asOf: asOf, leadDays: leadDays)
                }
            }
            print("renewal decisions opened: \(opened)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the renewal decisions by due date, filtered.",
            discussion: """
                Examples:
                  ipcase decisions list --office 1 --state pending
                  ipcase decisions list --office 1 --due-before 2026-06-30 --format csv
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Option(
            help: "Only this state: pending, instructed-pay, instructed-drop, last-call, paid, lapsed.")
        var state: String?
        @Option(name: .customLong("due-before"), help: "Only those due before this day.") var dueBefore: String?
        @Option(help: "table, csv or json.") var format: Format = .table

        func run() async throws {
            let input = Input(command: "decisions list")
            let state = try input.choice("--state", state, RenewalDecisionWorkflow.State.self)
            let dueBefore = try input.date("--due-before", dueBefore)
            let store = try await store.connect()
            let decisions = try await storeWork(input.command, office: office.id) {
                try await office.reading(store) { try await $0.renewalDecisions(state: state, dueBefore: dueBefore) }
            }
            try DecisionsCommand.printDecisions(decisions, as: format)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one renewal decision with its version.",
            discussion: """
                Example:
                  ipcase decisions show 3 --office 1
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @Argument(help: "The decision's key.") var id: Int64
        @Option(help: "table, csv or json.") var format: Format = .table

        func run() async throws {
            let store = try await store.connect()
            let id = id
            let decision = try await storeWork("decisions show", office: office.id) {
                try await office.reading(store) { try await $0.renewalDecision(id) }
            }
            guard format == .table else { return try DecisionsCommand.printDecisions([decision], as: format) }
            let d = decision.value
            print(
                fieldLines([
                    ("renewal decision", String(d.id)), ("right", "\(d.right.rawValue): \(d.rightReference)"),
                    ("deadline", String(d.deadline)), ("rule", d.ruleID), ("fee year", d.feeYear.map(String.init)),
                    ("due", d.dueDate.description), ("final", d.finalDate.description), ("state", d.state.rawValue),
                    ("choice", d.choice?.rawValue), ("decided by", d.decidedBy), ("decided at", d.decidedAt),
                    ("reason", d.reason), ("version", String(decision.version)),
                ]), terminator: "")
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the office's choice and why (who and when are recorded with it).",
            discussion: """
                keep and keep-while-licensed instruct payment; drop and offer-inventors (when the
                inventors do not take it up) let the right go after the final date. --version
                refuses the choice if someone changed the decision since you read it.

                Example:
                  ipcase decisions decide 3 --office 1 --choice keep --reason "licensed to Steppe Sorbents"
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The decision's key.") var id: Int64
        @Option(help: "keep, drop, offer-inventors or keep-while-licensed.") var choice: String
        @Option(help: "Why (kept with the decision).") var reason: String
        @Option(help: "Refuse unless the decision is still at this version (the one `show` printed).")
        var version: Int?

        func run() async throws {
            let input = Input(command: "decisions decide")
            let choice = try input.choice("--choice", choice, RenewalDecisionWorkflow.Choice.self)!
            let (store, id, reason, version) = (try await store.connect(), id, reason, version)
            let decided = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.decideRenewal(id, choice: choice, reason: reason, expectedVersion: version)
                }
            }
            print(
                "\(decided.value.label): \(choice.rawValue) → \(decided.value.state.rawValue) (version \(decided.version))"
            )
        }
    }

    struct Paid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark the fee paid: records annuity-paid for the fee year, which closes the deadline.",
            discussion: """
                Example:
                  ipcase decisions paid 3 --office 1 --date 2026-02-10
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Argument(help: "The decision's key.") var id: Int64
        @Option(help: "The day it was paid (YYYY-MM-DD).") var date: String
        @Option(help: "Refuse unless the decision is still at this version.") var version: Int?

        func run() async throws {
            let input = Input(command: "decisions paid")
            let date = try input.date("--date", date)!
            let (store, id, version) = (try await store.connect(), id, version)
            let paid = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.markRenewalPaid(id, on: date, expectedVersion: version)
                }
            }
            print("\(paid.value.label): paid on \(date) (annuity-paid recorded)")
        }
    }

    /// Prints decisions as a table, CSV (a header line, then one line per decision) or JSON.
    static func printDecisions(_ decisions: [Versioned<RenewalDecision>], as format: Format) throws {
        let headers = [
            "ID", "RIGHT", "RULE", "YEAR", "DUE", "FINAL", "STATE", "CHOICE", "DECIDED BY", "REASON", "VERSION",
        ]
        let rows = decisions.map { stored -> [String] in
            let d = stored.value
            return [
                String(d.id), d.rightReference, d.ruleID, d.feeYear.map(String.init) ?? "", d.dueDate.description,
                d.finalDate.description, d.state.rawValue, d.choice?.rawValue ?? "", d.decidedBy ?? "",
                d.reason ?? "", String(stored.version),
            ]
        }
        switch format {
        case .table: print(table(headers, rows), terminator: "")
        case .csv:
            var csv = ""
            for record in [headers.map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }] + rows {
                CSVText.appendRecord(record, to: &csv)
            }
            print(csv, terminator: "")
        case .json:
            try printJSON(
                try decisions.map { stored -> Any in
                    var object = try jsonValue(stored.value) as? [String: Any] ?? [:]
                    object["version"] = stored.version
                    return object
                })
        }
    }
}
