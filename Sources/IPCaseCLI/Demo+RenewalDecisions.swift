import Foundation
import IPCase
import IPCaseStore

extension Demo {
    /// Opens the renewal decisions due within `leadDays` of `asOf` (as ipcased would) and returns
    /// the office's pending ones as a short list: at most `limit` rows, by due date, and how many
    /// there are.
    public static func pendingRenewalDecisions(
        store: Store, office: ID<Office>, officeName: String, asOf: CivilDate, leadDays: Int = 90, limit: Int = 8
    ) async throws -> String {
        let pending = try await store.withOffice(office, actor: "ipcase-demo") { session in
            try await session.openRenewalDecisions(asOf: asOf, leadDays: leadDays)
            return try await session.renewalDecisions(state: .pending)
        }
        var text =
            "\nPending renewal decisions of \(officeName) (\(pending.count)): fees due within \(leadDays) days\n\n"
        guard !pending.isEmpty else { return text + "none\n" }
        let rows =
            [["ID", "RIGHT", "YEAR", "DUE", "FINAL"]]
            + pending.prefix(limit).map { stored in
                let d = stored.value
                return [
                    String(d.id), d.rightReference, d.feeYear.map(String.init) ?? "", d.dueDate.description,
                    d.finalDate.description,
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            text +=
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingSuffix() + "\n"
        }
        if pending.count > limit { text += "… and \(pending.count - limit) more: ipcase decisions list\n" }
        return text
    }
}

extension String {
    fileprivate func trimmingSuffix() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
