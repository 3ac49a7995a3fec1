import Foundation
import IPCase

extension RegisterPlan {
    /// The summary line: `3 documents, 2 applications (1 in the docket): 1 to create, 4 to record, 2 differ, 1 question, 0 skipped, 0 refused, 1 codes not events; …`.
    public var summary: String {
        "\(documents) document\(documents == 1 ? "" : "s"), \(applications) application\(applications == 1 ? "" : "s") "
            + "(\(matched) in the docket): \(count(.create)) to create, \(count(.record)) to record, "
            + "\(count(.differs)) differ\(count(.differs) == 1 ? "s" : ""), \(count(.question)) question\(count(.question) == 1 ? "" : "s"), "
            + "\(count(.skipped)) skipped, \(count(.refused)) refused, \(count(.unmapped)) codes not events; "
            + "\(partiesMatched) parties found by name"
    }

    /// The report as an aligned text table (action, application, right, what, source), then the
    /// summary.
    public func table() -> String {
        let headers = ["ACTION", "APPLICATION", "RIGHT", "WHAT", "SOURCE"]
        let rows = findings.map { [$0.action.rawValue, $0.application, $0.right ?? "", $0.message, $0.source.description] }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
                .joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        lines.append("")
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The columns of ``csv()``.
    public static let csvColumns = [
        "action", "application", "right", "field", "register", "docket", "message", "file", "format", "element",
    ]

    /// The report as CSV (RFC 4180, a header row, one row per line of the report).
    public func csv() -> String {
        var text = ""
        CSVText.appendRecord(Self.csvColumns, to: &text)
        for finding in findings {
            CSVText.appendRecord(
                [
                    finding.action.rawValue, finding.application, finding.right ?? "", finding.field,
                    finding.register ?? "", finding.docket ?? "", finding.message, finding.source.file,
                    finding.source.format.rawValue, finding.source.element,
                ], to: &text)
        }
        return text
    }

    /// The report as JSON: `summary` (counts by action, documents, applications, matched) and
    /// `findings`, keys sorted.
    public func json() throws -> String {
        struct Document: Encodable {
            struct Summary: Encodable {
                var documents: Int
                var applications: Int
                var matched: Int
                var partiesMatched: Int
                var actions: [String: Int]
                var refused: Bool
            }
            var summary: Summary
            var findings: [RegisterFinding]
        }
        let document = Document(
            summary: Document.Summary(
                documents: documents, applications: applications, matched: matched, partiesMatched: partiesMatched,
                actions: Dictionary(uniqueKeysWithValues: RegisterFinding.Action.allCases.map { ($0.rawValue, count($0)) }),
                refused: isRefused),
            findings: findings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
