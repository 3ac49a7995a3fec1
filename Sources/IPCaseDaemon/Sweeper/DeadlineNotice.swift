import Foundation
import IPCase
import IPCaseReports
import IPCaseStore
import PostgresClient

/// What a sweep tells someone about a deadline.
public enum DeadlineNotice: Sendable, Hashable {
    /// A reminder `offset` days before the due date (sent when `daysLeft` ≤ `offset` days are left).
    case reminder(offset: Int, daysLeft: Int)
    /// The due date passed without completion; the supervisor is told.
    case escalation(daysOverdue: Int)
    /// The final date passed: the deadline is missed (and the right or option lapsed, if `consequence`).
    case missed(consequence: Consequence?)
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

    /// What a missed deadline brought about.
    public enum Consequence: Sendable, Hashable {
        /// The right lapsed on the day after the final date; restorable until a date, where the
        /// rules know one.
        case rightLapsed(on: CivilDate, restorableUntil: CivilDate?)
        /// The option lapsed on the day after the final date.
        case optionLapsed(on: CivilDate)

        /// The consequence in a sentence: `The right lapsed on 2027-10-01.`
        public func text(in t: Localizer = Localizer(.english)) -> String {
            switch self {
            case .rightLapsed(let day, nil):
                t("notice.consequence.right-lapsed", ["date": day.description])
            case .rightLapsed(let day, let until?):
                t("notice.consequence.right-lapsed-restorable", ["date": day.description, "until": until.description])
            case .optionLapsed(let day):
                t("notice.consequence.option-lapsed", ["date": day.description])
            }
        }
    }

    /// The subject line in the language of `t` (English unless given): for a reminder the
    /// deadline's headline, `EP 23 812 345.6 — renewal year 5 due 2027-03-31 (final 2027-09-30), EPC Rule 51(1)`.
    public func subject(for deadline: SweptDeadline, in t: Localizer = Localizer(.english)) -> String {
        let headline = Self.headline(of: deadline, in: t)
        return switch self {
        case .reminder: headline
        case .escalation: t("notice.escalation.subject", ["headline": headline])
        case .missed: t("notice.missed.subject", ["headline": headline])
        case .moved(let fromDue, _, _): t("notice.moved.subject", ["from": fromDue.description, "headline": headline])
        }
    }

    /// The plain-text body in the language of `t` (English unless given). Dates stay ISO
    /// (`2027-03-31`) in every language; the reason of a move is the recomputation's own text.
    public func body(for deadline: SweptDeadline, in t: Localizer = Localizer(.english)) -> String {
        var lines: [String] = []
        let subjectLine =
            deadline.title.isEmpty
            ? deadline.reference
            : t("notice.subject-line.titled", ["reference": deadline.reference, "title": deadline.title])
        var fields = [
            "what": Self.what(of: deadline, in: t), "label": deadline.label, "subject": subjectLine,
            "due": deadline.dueDate.description, "final": deadline.finalDate.description,
        ]
        switch self {
        case .reminder(_, let daysLeft):
            fields["days"] = t.count(daysLeft, "notice.days")
            let key = daysLeft == 0 ? "today" : daysLeft == 1 ? "tomorrow" : "days"
            lines.append(t("notice.reminder.\(key)", fields))
        case .escalation(let daysOverdue):
            fields["days"] = t.count(daysOverdue, "notice.days")
            lines.append(t("notice.escalation.body", fields))
        case .missed(let consequence):
            lines.append(t("notice.missed.body", fields))
            if let consequence { lines.append(consequence.text(in: t)) }
        case .moved(let fromDue, let fromFinal, let reason):
            fields["from"] = fromDue.description
            fields["fromFinal"] = fromFinal.description
            fields["reason"] = reason
            // The final date only where the deadline has one of its own (grace, extension).
            let final =
                fromFinal != deadline.finalDate && (fromFinal != fromDue || deadline.finalDate != deadline.dueDate)
            lines.append(t(final ? "notice.moved.body.final" : "notice.moved.body", fields))
        }
        if deadline.finalDate != deadline.dueDate {
            lines.append(t("notice.final-date", ["final": deadline.finalDate.description]))
        }
        if !deadline.citation.isEmpty {
            lines.append(t("notice.legal-basis", ["citation": deadline.citation, "rule": deadline.ruleID]))
        }
        if let name = deadline.attorneyName { lines.append(t("notice.attorney", ["name": name])) }
        return lines.joined(separator: "\n")
    }

    /// The deadline in one line, as ``SweptDeadline/headline`` writes it in English.
    static func headline(of deadline: SweptDeadline, in t: Localizer) -> String {
        var fields = [
            "label": deadline.label, "what": what(of: deadline, in: t), "due": deadline.dueDate.description,
            "final": deadline.finalDate.description,
        ]
        let line = t(deadline.finalDate != deadline.dueDate ? "notice.headline.final" : "notice.headline", fields)
        guard !deadline.citation.isEmpty else { return line }
        fields = ["headline": line, "citation": deadline.citation]
        return t("notice.headline.citation", fields)
    }

    /// The time limit in words, as ``SweptDeadline/what`` writes it in English: `renewal year 5`,
    /// `пошлина за поддержание (год 5)`. A type the catalogs do not name yet is written as its
    /// code in words.
    static func what(of deadline: SweptDeadline, in t: Localizer) -> String {
        let type =
            (try? t.catalog.message("notice.type.\(deadline.type)"))
            ?? ObligationDeadline.words(type: deadline.type, year: nil)
        guard let year = deadline.year else { return type }
        let unit =
            switch deadline.type {
            case ObligationDeadline.Kind.royaltyReport.rawValue: "period"
            case ObligationDeadline.Kind.stageReport.rawValue: "stage"
            default: "year"
            }
        return t("notice.what.\(unit)", ["type": type, "year": year])
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
            if let consequence { fields["consequence"] = .string(consequence.text()) }
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

    /// The outbox row: subject, and a payload holding topic, body and the deadline's data;
    /// subject and body in `language`, the data (for machines) and the key the same in every
    /// language, so that a notice is never written again because its language changed.
    public func outboxMessage(
        for deadline: SweptDeadline, recipient: String, channel: OutboxChannel, language: Language = .english
    ) throws -> OutboxMessage {
        let t = Localizer(language)
        let envelope = OutboxEnvelope(
            topic: topic, body: body(for: deadline, in: t), data: data(for: deadline))
        return OutboxMessage(
            idempotencyKey: key(for: deadline), channel: channel, recipient: recipient,
            subject: subject(for: deadline, in: t), payload: try PostgresJSON(encoding: envelope))
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
