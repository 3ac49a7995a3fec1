import Foundation
import IPCase

/// Renders a docket (a list of ``DocketEntry``) as an aligned table, JSON or CSV. Entries are
/// shown in the order given (``DocketFilter/apply(_:)`` sorts them).
///
/// ```swift
/// print(DocketRenderer.table(entries, asOf: today, color: isTerminal))
/// let csv = DocketRenderer.csv(entries, asOf: today)
/// ```
public enum DocketRenderer {
    /// ANSI SGR codes per urgency: overdue bold red, within 7 days yellow, within 30 days the
    /// terminal's default, later and closed dim.
    public static func ansiStyle(_ urgency: DocketEntry.Urgency) -> String? {
        switch urgency {
        case .overdue: "\u{1B}[1;31m"
        case .dueWithinWeek: "\u{1B}[33m"
        case .dueWithinMonth: nil
        case .later, .closed: "\u{1B}[2m"
        }
    }

    /// When the deadline falls relative to `asOf`: `3d overdue`, `today`, `in 5d`, or the status when closed.
    public static func whenText(_ entry: DocketEntry, asOf: CivilDate) -> String {
        switch entry.status {
        case .done, .waived, .superseded, .missed: return entry.status.rawValue
        case .open:
            let days = entry.daysLeft(asOf: asOf)
            if days < 0 {
                return entry.isInGrace(asOf: asOf) ? "\(-days)d overdue (grace)" : "\(-days)d overdue"
            }
            return days == 0 ? "today" : "in \(days)d"
        }
    }

    /// An aligned plain-text table, one line per entry; with `color`, each line is wrapped in the
    /// ANSI style of its urgency (only ask for it on a terminal). With `explanations`, each entry
    /// is followed by an indented line with its citation and explanation. A `*` after the rule
    /// marks a rule not yet confirmed by an attorney. Ends with a newline; "no deadlines" when empty.
    public static func table(
        _ entries: [DocketEntry], asOf: CivilDate, color: Bool = false, explanations: Bool = false,
        titleWidth: Int = 36
    ) -> String {
        guard !entries.isEmpty else { return "no deadlines\n" }
        var table = TextTable(
            headers: ["ID", "DUE", "WHEN", "FINAL", "TYPE", "RIGHT", "TITLE", "ATTORNEY", "RULE"],
            alignments: [.right, .left, .left, .left, .left, .left, .left, .left, .left])
        for entry in entries {
            table.rows.append([
                (entry.id.map(String.init) ?? "-") + (entry.needsVerification ? "°" : ""),
                entry.due.description,
                whenText(entry, asOf: asOf),
                entry.final?.description ?? "",
                entry.typeLabel,
                entry.rightLabel,
                TextEscaping.truncated(oneLine(entry.title), toColumns: titleWidth),
                entry.attorneyName ?? "",
                entry.ruleID + (entry.ruleStatus == .unconfirmed ? "*" : ""),
            ])
        }
        let lines = table.lines()
        var out = lines[0] + "\n" + lines[1] + "\n"
        for (entry, line) in zip(entries, lines.dropFirst(2)) {
            if color, let style = ansiStyle(entry.urgency(asOf: asOf)) {
                out += style + line + "\u{1B}[0m\n"
            } else {
                out += line + "\n"
            }
            if let moved = entry.movedNote { out += "      ↳ " + oneLine(moved) + "\n" }
            if explanations {
                let why = [entry.citation, entry.explanation].filter { !$0.isEmpty }.map(oneLine)
                if !why.isEmpty { out += "      " + why.joined(separator: " — ") + "\n" }
            }
        }
        if entries.contains(where: { $0.ruleStatus == .unconfirmed }) {
            out += "* rule not yet confirmed by an attorney: check the date by hand\n"
        }
        let unverified = entries.filter(\.needsVerification).count
        if unverified > 0 {
            out += "° \(unverified) not yet verified by a second person (ipcase deadlines verify ID)\n"
        }
        return out
    }

    /// The docket as JSON: `{"schema": "ipcase.docket/1", "as_of", "count", "deadlines": [...]}`,
    /// each deadline with every ``DocketEntry`` field (snake_case, `null` when absent) plus
    /// `right_label`, `days_left`, `urgency` and `in_grace` as of `asOf`. Keys sorted, pretty-printed.
    public static func json(_ entries: [DocketEntry], asOf: CivilDate) -> String {
        let document = Document(asOf: asOf, deadlines: entries.map { Row(entry: $0, asOf: asOf) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and dates cannot fail.
        let data = try! encoder.encode(document)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "id", "key", "office", "office_name", "jurisdiction", "right_reference", "application_number",
        "right_label", "title", "right_kind", "type", "year", "due", "final", "window_opens", "status",
        "urgency", "days_left", "statutory", "attorney_name", "attorney_email", "rule_id", "rule_status",
        "citation", "explanation", "revision", "verified_by", "verified_at", "moved_from_due", "moved_from_final",
        "moved_reason",
    ]

    /// The docket as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they hold
    /// a comma, a quote, a line break, or edge spaces), columns as in ``csvColumns``.
    public static func csv(_ entries: [DocketEntry], asOf: CivilDate) -> String {
        var out = TextEscaping.csvRecord(csvColumns)
        for entry in entries {
            out += TextEscaping.csvRecord([
                entry.id.map(String.init) ?? "",
                entry.key,
                String(entry.office.rawValue),
                entry.officeName ?? "",
                entry.jurisdiction?.code ?? "",
                entry.rightReference,
                entry.applicationNumber ?? "",
                entry.rightLabel,
                entry.title,
                entry.rightKind?.rawValue ?? "",
                entry.type,
                entry.year ?? "",
                entry.due.description,
                entry.final?.description ?? "",
                entry.windowOpens?.description ?? "",
                entry.status.rawValue,
                entry.urgency(asOf: asOf).rawValue,
                String(entry.daysLeft(asOf: asOf)),
                entry.statutory ? "true" : "false",
                entry.attorneyName ?? "",
                entry.attorneyEmail ?? "",
                entry.ruleID,
                entry.ruleStatus.rawValue,
                entry.citation,
                entry.explanation,
                String(entry.revision),
                entry.verifiedBy ?? "",
                entry.verifiedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "",
                entry.movedFromDue?.description ?? "",
                entry.movedFromFinal?.description ?? "",
                entry.movedReason ?? "",
            ])
        }
        return out
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    private struct Document: Encodable {
        let asOf: CivilDate
        let deadlines: [Row]

        enum CodingKeys: String, CodingKey {
            case schema, asOf = "as_of", count, deadlines
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("ipcase.docket/1", forKey: .schema)
            try container.encode(asOf, forKey: .asOf)
            try container.encode(deadlines.count, forKey: .count)
            try container.encode(deadlines, forKey: .deadlines)
        }
    }

    private struct Row: Encodable {
        let entry: DocketEntry
        let asOf: CivilDate

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DocketEntry.CodingKeys.self)
            try entry.encodeFields(into: &container)
            try container.encode(entry.daysLeft(asOf: asOf), forKey: .daysLeft)
            try container.encode(entry.urgency(asOf: asOf), forKey: .urgency)
            try container.encode(entry.isInGrace(asOf: asOf), forKey: .inGrace)
        }
    }
}
