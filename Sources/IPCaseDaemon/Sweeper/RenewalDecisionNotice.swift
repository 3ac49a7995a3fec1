import IPCase
import IPCaseStore
import PostgresClient

/// What a sweep tells the office about a renewal decision still pending.
public enum RenewalDecisionNotice: Sendable, Hashable {
    /// A reminder at a step `offset` days before the due date (the lead time, then the reminder
    /// offsets larger than the escalation window).
    case reminder(offset: Int, daysLeft: Int)
    /// The due date is at most the escalation window away and nothing is decided.
    case escalation(daysLeft: Int)

    /// The idempotency key: `renewal-decision:<id>:reminder:<offset>`, `renewal-decision:<id>:escalation`.
    public func key(for decision: RenewalDecision) -> String {
        switch self {
        case .reminder(let offset, _): "renewal-decision:\(decision.id):reminder:\(offset)"
        case .escalation: "renewal-decision:\(decision.id):escalation"
        }
    }

    /// `renewal-decision.reminder` or `renewal-decision.escalation`.
    public var topic: String {
        switch self {
        case .reminder: "renewal-decision.reminder"
        case .escalation: "renewal-decision.escalation"
        }
    }

    /// The notice due for `decision` when `daysLeft` days are left to its due date, given the
    /// reminder steps and the escalation window; `nil` when none is.
    public static func due(daysLeft: Int, steps: ReminderSchedule, escalationDays: Int)
        -> RenewalDecisionNotice?
    {
        if daysLeft <= escalationDays { return .escalation(daysLeft: daysLeft) }
        return steps.offset(daysUntilDue: daysLeft).map { .reminder(offset: $0, daysLeft: daysLeft) }
    }

    /// The outbox row: subject, and a payload holding topic, body and the decision's data.
    public func outboxMessage(
        for decision: RenewalDecision, recipient: String, channel: OutboxChannel
    ) throws
        -> OutboxMessage
    {
        let what =
            "renewal decision \(decision.id): right \(decision.rightReference)"
            + (decision.feeYear.map { ", fee year \($0)" } ?? "") + ", due \(decision.dueDate)"
        let (subject, lead): (String, String) =
            switch self {
            case .reminder(_, let daysLeft): ("Decision needed: \(what)", "\(daysLeft) days are left")
            case .escalation(let daysLeft):
                ("Undecided, \(daysLeft) days left: \(what)", "the due date is \(daysLeft) days away")
            }
        let body = [
            "The office has not decided whether to pay the fee of right \(decision.rightReference) "
                + "(rule \(decision.ruleID)) due on \(decision.dueDate): \(lead).",
            "Final date (grace): \(decision.finalDate).",
            "Decide: ipcase decisions decide \(decision.id) --choice keep|drop|offer-inventors|keep-while-licensed --reason TEXT",
        ].joined(separator: "\n")
        var data: [String: JSONValue] = [
            "notice": .string(topic), "decision_id": .integer(Int(decision.id)),
            "office_id": .integer(Int(decision.office.rawValue)),
            "right_id": .integer(Int(decision.right.rawValue)),
            "reference": .string(decision.rightReference),
            "deadline_id": .integer(Int(decision.deadline)),
            "rule_id": .string(decision.ruleID), "due_date": .string(decision.dueDate.description),
            "final_date": .string(decision.finalDate.description),
        ]
        if let year = decision.feeYear { data["year"] = .integer(year) }
        switch self {
        case .reminder(let offset, let daysLeft):
            data["offset_days"] = .integer(offset)
            data["days_until_due"] = .integer(daysLeft)
        case .escalation(let daysLeft): data["days_until_due"] = .integer(daysLeft)
        }
        return OutboxMessage(
            idempotencyKey: key(for: decision), channel: channel, recipient: recipient, subject: subject,
            payload: try PostgresJSON(
                encoding: OutboxEnvelope(topic: topic, body: body, data: .object(data))))
    }
}

/// When the sweeper opens renewal decisions and tells the office of those still pending.
public struct RenewalDecisionPolicy: Sendable, Hashable {
    /// Days before a fee's due date at which its decision opens.
    public var leadDays: Int
    /// Days before the due date from which an undecided decision is escalated.
    public var escalationDays: Int
    /// The reminder steps: the lead time, then the deadline reminder offsets before the escalation window.
    public var steps: ReminderSchedule

    /// The defaults: open 90 days ahead, remind at 90, 60 and 30 days, escalate from 14 days.
    public static let standard = RenewalDecisionPolicy(leadDays: 90, escalationDays: 14)

    /// A policy; the steps are `leadDays` and the offsets of `reminders` between the escalation
    /// window and the lead time.
    public init(leadDays: Int, escalationDays: Int, reminders: ReminderSchedule = .standard) {
        self.leadDays = leadDays
        self.escalationDays = escalationDays
        steps = ReminderSchedule(
            offsets: [leadDays] + reminders.offsets.filter { $0 > escalationDays && $0 < leadDays })
    }
}
