import Foundation
import IPCase
import IPCaseStore
import PostgresClient

/// What a sweep tells someone about a deadline.
public enum DeadlineNotice: Sendable, Hashable {
    /// A reminder `offset` days before the due date (sent when `daysLeft` ≤ `offset` days are left).
    case reminder(offset: Int, daysLeft: Int)
    /// The due date passed without completion; the supervisor is told.
    case escalation(daysOverdue: Int)
    /// The final date passed: the deadline is missed (and the right or option lapsed, if `consequence`).
    case missed(consequence: String?)
    /// A recomputation moved the open deadline's dates (a calendar override, a release with other
    /// rules, events recorded later); the deadline's dates are the new ones.
    case moved(fromDue: CivilDate, fromFinal: CivilDate, reason: String)

    /// The idempotency key: `deadline:<id>:reminder:<offset>`, `deadline:<id>:escalation`, `deadline:<id>:missed`.
    public func key(for deadline: SweptDeadline) -> String {
        switch self {
        case .reminder(let offset, _): "deadline:\(deadline.id):reminder:\(offset)"
        case .escalation: "deadline:\(deadline.id):escalation"
        case .missed: "deadline:\(deadline.id):missed"
        case .moved: "deadline:\(deadline.id):moved:\(deadline.dueDate):\(deadline.finalDate)"
        }
    }

    /// `deadline.reminder`, `deadline.escalation`, `deadline.missed`.
    public var topic: String {
        switch self {
        case .reminder: "deadline.reminder"
        case .escalation: "deadline.escalation"
        case .missed: "deadline.missed"
        case .moved: "deadline.moved"
        }
    }

    /// The subject line.
    public func subject(for deadline: SweptDeadline) -> String {
        switch self {
        case .reminder: deadline.headline
        case .escalation: "Overdue: \(deadline.headline)"
        case .missed: "Missed: \(deadline.headline)"
        case .moved(let fromDue, _, _): "Moved from \(fromDue): \(deadline.headline)"
        }
    }

    /// The plain-text body.
    public func body(for deadline: SweptDeadline) -> String {
        var lines: [String] = []
        let subjectLine =
            deadline.title.isEmpty ? deadline.reference : "\(deadline.reference), “\(deadline.title)”"
        switch self {
        case .reminder(_, let daysLeft):
            let when = daysLeft == 0 ? "today" : daysLeft == 1 ? "tomorrow" : "in \(daysLeft) days"
            lines.append(
                "The \(deadline.what) of \(deadline.label) (\(subjectLine)) is due \(when), on \(deadline.dueDate)."
            )
        case .escalation(let daysOverdue):
            let days = daysOverdue == 1 ? "1 day" : "\(daysOverdue) days"
            lines.append(
                "The \(deadline.what) of \(deadline.label) (\(subjectLine)) was due on \(deadline.dueDate), \(days) ago, and is not marked done."
            )
        case .missed(let consequence):
            lines.append(
                "The final date \(deadline.finalDate) for the \(deadline.what) of \(deadline.label) (\(subjectLine)) has passed: the deadline is missed."
            )
            if let consequence { lines.append(consequence) }
        case .moved(let fromDue, let fromFinal, let reason):
            var line =
                "The \(deadline.what) of \(deadline.label) (\(subjectLine)) moved from \(fromDue) to \(deadline.dueDate)"
            // The final date only where the deadline has one of its own (grace, extension).
            if fromFinal != deadline.finalDate, fromFinal != fromDue || deadline.finalDate != deadline.dueDate {
                line += " (final date \(fromFinal) → \(deadline.finalDate))"
            }
            lines.append(line + ": \(reason).")
        }
        if deadline.finalDate != deadline.dueDate {
            lines.append("Final date (grace or extension): \(deadline.finalDate).")
        }
        if !deadline.citation.isEmpty {
            lines.append("Legal basis: \(deadline.citation) (rule \(deadline.ruleID)).")
        }
        if let name = deadline.attorneyName { lines.append("Responsible attorney: \(name).") }
        return lines.joined(separator: "\n")
    }

    /// The deadline's fields for machine receivers.
    public func data(for deadline: SweptDeadline) -> JSONValue {
        var fields: [String: JSONValue] = [
            "notice": .string(noticeName),
            "deadline_id": .integer(Int(deadline.id)),
            "office_id": .integer(Int(deadline.office.rawValue)),
            "reference": .string(deadline.reference),
            "rule_id": .string(deadline.ruleID),
            "type": .string(deadline.type),
            "due_date": .string(deadline.dueDate.description),
            "final_date": .string(deadline.finalDate.description),
            "citation": .string(deadline.citation),
        ]
        if let right = deadline.right { fields["right_id"] = .integer(Int(right.rawValue)) }
        if let project = deadline.project {
            fields["project_id"] = .integer(Int(project.rawValue))
        }
        if let agreement = deadline.agreement {
            fields["agreement_id"] = .integer(Int(agreement.rawValue))
        }
        if let jurisdiction = deadline.jurisdiction { fields["jurisdiction"] = .string(jurisdiction) }
        if let number = deadline.applicationNumber { fields["application_number"] = .string(number) }
        if let year = deadline.year {
            fields["year"] =
                Int(year).map(JSONValue.integer) ?? Decimal(string: year).map(JSONValue.decimal)
                ?? .string(year)
        }
        switch self {
        case .reminder(let offset, let daysLeft):
            fields["offset_days"] = .integer(offset)
            fields["days_until_due"] = .integer(daysLeft)
        case .escalation(let daysOverdue):
            fields["days_overdue"] = .integer(daysOverdue)
        case .missed(let consequence):
            if let consequence { fields["consequence"] = .string(consequence) }
        case .moved(let fromDue, let fromFinal, let reason):
            fields["moved_from_due"] = .string(fromDue.description)
            fields["moved_from_final"] = .string(fromFinal.description)
            fields["reason"] = .string(reason)
        }
        return .object(fields)
    }

    private var noticeName: String {
        switch self {
        case .reminder: "reminder"
        case .escalation: "escalation"
        case .missed: "missed"
        case .moved: "moved"
        }
    }

    /// The outbox row: subject, and a payload holding topic, body and the deadline's data.
    public func outboxMessage(for deadline: SweptDeadline, recipient: String, channel: OutboxChannel)
        throws
        -> OutboxMessage
    {
        let envelope = OutboxEnvelope(
            topic: topic, body: body(for: deadline), data: data(for: deadline))
        return OutboxMessage(
            idempotencyKey: key(for: deadline), channel: channel, recipient: recipient,
            subject: subject(for: deadline), payload: try PostgresJSON(encoding: envelope))
    }
}

/// What an outbox row's `payload` holds: the message's topic, body and data.
public struct OutboxEnvelope: Sendable, Hashable, Codable {
    /// `deadline.reminder` …
    public var topic: String
    /// The plain-text body.
    public var body: String
    /// Structured data for machine receivers.
    public var data: JSONValue

    /// An envelope from its parts.
    public init(topic: String, body: String, data: JSONValue) {
        self.topic = topic
        self.body = body
        self.data = data
    }
}
