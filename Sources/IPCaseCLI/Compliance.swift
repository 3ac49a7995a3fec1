import Foundation
import IPCase
import IPCaseStore

/// `ipcase compliance` and the demo's compliance part: per signed agreement, the payments
/// received (a total per currency) and its obligations (royalty reports, milestones, option
/// exercise) with the next due date and what is overdue.
public enum Compliance {
    /// The agreements of `office` (or the one with `reference`) as of `asOf`.
    /// - Throws: ``CLIError`` (exit 2) when `reference` names no agreement of the office.
    public static func agreements(store: Store, office: ID<Office>, asOf: CivilDate, reference: String?)
        async throws -> [AgreementCompliance]
    {
        do {
            return try await store.withOffice(office, actor: "ipcase") {
                try await $0.compliance(asOf: asOf, reference: reference)
            }
        } catch let error as StoreError {
            throw CLIError.usage("office \(office): \(error.description)")
        }
    }

    /// The plural label of a deadline type.
    static func label(_ type: String) -> String {
        switch type {
        case ObligationDeadline.Kind.royaltyReport.rawValue: "royalty reports"
        case ObligationDeadline.Kind.milestone.rawValue: "milestones"
        case ObligationDeadline.Kind.optionExercise.rawValue: "option exercise"
        default: type
        }
    }

    /// A compact table: one line per agreement, one indented line per kind of obligation, e.g.
    ///
    /// ```
    /// LIC-2025-004  exclusive licence  active  received 1500000.00 KZT
    ///   royalty reports  next due 2026-12-30  overdue 1 since 2026-08-14  met 3
    /// ```
    public static func table(_ agreements: [AgreementCompliance]) -> String {
        guard !agreements.isEmpty else { return "no signed agreements\n" }
        let referenceWidth = agreements.map(\.reference.count).max() ?? 0
        let kindWidth = agreements.map(\.kind.name.count).max() ?? 0
        let stateWidth = agreements.map(\.state.rawValue.count).max() ?? 0
        var out = ""
        for agreement in agreements {
            let received =
                agreement.received.isEmpty ? "nothing" : agreement.received.map(\.description).joined(separator: ", ")
            out +=
                agreement.reference.padding(toLength: referenceWidth + 2, withPad: " ", startingAt: 0)
                + agreement.kind.name.padding(toLength: kindWidth + 2, withPad: " ", startingAt: 0)
                + agreement.state.rawValue.padding(toLength: stateWidth + 2, withPad: " ", startingAt: 0)
                + "received \(received)\n"
            for status in agreement.obligations {
                var parts = [label(status.type).padding(toLength: 16, withPad: " ", startingAt: 0)]
                parts.append(status.nextDue.map { "next due \($0)" } ?? "nothing due")
                if status.overdue > 0, let since = status.overdueSince {
                    // An option not exercised in time lapses: the licensee's choice, not a breach.
                    parts.append(
                        status.type == ObligationDeadline.Kind.optionExercise.rawValue
                            ? "not exercised by \(since)" : "OVERDUE \(status.overdue) since \(since)")
                }
                if status.met > 0 { parts.append("met \(status.met)") }
                if status.waived > 0 { parts.append("waived \(status.waived)") }
                out += "  " + parts.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    /// The same as JSON (an array of agreements), for tools.
    public static func json(_ agreements: [AgreementCompliance]) throws -> String {
        let list = agreements.map { agreement -> [String: Any] in
            [
                "agreement": agreement.agreement.rawValue, "reference": agreement.reference,
                "kind": agreement.kind.rawValue, "state": agreement.state.rawValue,
                "received": agreement.received.map { ["minor_units": $0.minorUnits, "currency": $0.currency.code] },
                "obligations": agreement.obligations.map { status -> [String: Any] in
                    [
                        "type": status.type, "next_due": status.nextDue?.description ?? NSNull(),
                        "overdue": status.overdue, "overdue_since": status.overdueSince?.description ?? NSNull(),
                        "met": status.met, "waived": status.waived,
                    ]
                },
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
