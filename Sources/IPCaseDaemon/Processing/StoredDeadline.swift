import IPCase
import IPCaseStore
import PostgresClient

/// A deadline of a right in the batch as stored, with the values the upsert compares: the
/// processor writes only the engine's records that differ from it (new, changed dates or texts,
/// met by an event while open, or superseded and produced again) and supersedes the open ones
/// no longer produced.
///
/// The comparison is the upsert's own `WHERE` (``ServiceSession/replaceSchedules(_:of:)``), so a
/// record skipped here is one the upsert would not have changed; the upsert stays idempotent by
/// key for the rows that are written.
struct StoredDeadline: Sendable, Hashable {
    var id: Int64
    /// `rule|trigger|half-years`, the store's key within the right.
    var key: String
    var status: String
    var type: String
    var nominalDate: CivilDate
    var dueDate: CivilDate
    var finalDate: CivilDate
    var windowOpens: CivilDate?
    var statutory: Bool
    var attorney: ID<Party>?
    var citation: String
    var ruleStatus: String
    var explanation: String

    static func key(rule: String, trigger: String, halfYears: Int) -> String { "\(rule)|\(trigger)|\(halfYears)" }

    static func key(_ record: DeadlineRecord) -> String {
        key(rule: record.ruleID, trigger: record.triggerKey, halfYears: Int(record.year?.halfYears ?? 0))
    }


    /// A row of ``BatchStatements/storedDeadlines(offices:rights:)``.
    static func decode(_ row: PostgresRow) throws -> (ID<Office>, ID<Right>, StoredDeadline) {
        let (office, right, id, rule, trigger, halfYears) = try row.decode(
            ID<Office>.self, ID<Right>.self, Int64.self, String.self, String.self, Int.self)
        let (status, type, nominal, due, final, windowOpens) = try row.decode(
            String.self, String.self, CivilDate.self, CivilDate.self, CivilDate.self, CivilDate?.self, startingAt: 6)
        let (statutory, attorney, citation, ruleStatus, explanation) = try row.decode(
            Bool.self, ID<Party>?.self, String.self, String.self, String.self, startingAt: 12)
        return (
            office, right,
            StoredDeadline(
                id: id, key: key(rule: rule, trigger: trigger, halfYears: halfYears), status: status, type: type,
                nominalDate: nominal, dueDate: due, finalDate: final, windowOpens: windowOpens, statutory: statutory,
                attorney: attorney, citation: citation, ruleStatus: ruleStatus, explanation: explanation)
        )
    }

    /// Whether writing `record` over this row changes it (the upsert's `WHERE`).
    func isChanged(by record: DeadlineRecord) -> Bool {
        status == "superseded" || (status == "open" && record.closedBy != nil) || type != record.type
            || nominalDate != record.nominalDate || dueDate != record.dueDate || finalDate != record.finalDate
            || windowOpens != record.windowOpens || statutory != record.statutory || attorney != record.attorney
            || citation != record.citation || ruleStatus != record.ruleStatus || explanation != record.explanation
    }

    /// What recomputing one right changes: the records to write, the ids of its open deadlines
    /// no longer produced, and its *missed* deadlines that a payment recorded since met —
    /// in time (`metInTime`: they become done) or only after their final date (`metLate`: they
    /// stay missed, and someone must look at restoration).
    struct Changes {
        var write: [DeadlineRecord] = []
        var stale: [Int64] = []
        var metInTime: [MissedDeadlineMet] = []
        var metLate: [MissedDeadlineMet] = []
        /// Open deadlines that stay open with another due or final date: the stored row and the
        /// new record.
        var moved: [(StoredDeadline, DeadlineRecord)] = []
    }

    /// The changes of one right (see ``Changes``).
    static func changes(_ produced: [DeadlineRecord], stored: [String: StoredDeadline]) -> Changes {
        var changes = Changes()
        var producedKeys = Set<String>()
        producedKeys.reserveCapacity(produced.count)
        for record in produced {
            let key = key(record)
            producedKeys.insert(key)
            guard let row = stored[key] else {
                changes.write.append(record)
                continue
            }
            if row.isChanged(by: record) {
                changes.write.append(record)
                if row.status == "open", record.closedBy == nil,
                    row.dueDate != record.dueDate || row.finalDate != record.finalDate
                {
                    changes.moved.append((row, record))
                }
            }
            if row.status == "missed", let closedBy = record.closedBy, let closedOn = record.closedOn {
                let met = MissedDeadlineMet(
                    id: row.id, type: record.type, finalDate: record.finalDate, closedBy: closedBy, closedOn: closedOn)
                if closedOn <= record.finalDate { changes.metInTime.append(met) } else { changes.metLate.append(met) }
            }
        }
        changes.stale = stored.values.filter { $0.status == "open" && !producedKeys.contains($0.key) }.map(\.id)
            .sorted()
        return changes
    }
}
