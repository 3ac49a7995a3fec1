/// Escaping and quoting for the output formats, each by its own specification.
enum TextEscaping {
    /// A CSV field per RFC 4180: quoted (with `"` doubled) when it holds a comma, a quote, CR, LF,
    /// or leading or trailing spaces; as is otherwise.
    static func csvField(_ text: String) -> String {
        let needsQuotes =
            text.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// A CSV record: the fields escaped and joined by commas, ended by CRLF (RFC 4180).
    static func csvRecord(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// Text for XML/XHTML character data and attribute values: `& < > " '` as entities, and
    /// characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) dropped.
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The number of terminal columns `text` takes: one per character, two for East Asian wide
    /// and full-width characters, none for combining marks (grapheme clusters count once).
    static func columns(_ text: String) -> Int {
        var width = 0
        for character in text {
            guard let first = character.unicodeScalars.first else { continue }
            width += isWide(first.value) ? 2 : 1
        }
        return width
    }

    private static func isWide(_ value: UInt32) -> Bool {
        (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
            || (0x20000...0x3FFFD).contains(value)
    }

    /// `text` cut to at most `limit` columns, ending in `…` when cut.
    static func truncated(_ text: String, toColumns limit: Int) -> String {
        guard columns(text) > limit, limit > 0 else { return text }
        var out = ""
        var width = 0
        for character in text {
            let next = columns(String(character))
            if width + next > limit - 1 { break }
            out.append(character)
            width += next
        }
        return out + "…"
    }

    /// `text` padded with spaces on the right to `width` columns.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - columns(text)))
    }

    /// `text` padded with spaces on the left to `width` columns.
    static func leftPadded(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - columns(text))) + text
    }
}

/// A plain-text table with aligned columns (no colors; callers color whole lines).
struct TextTable {
    /// How a column aligns.
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
    }

    /// The lines of the table: header, a rule, and the rows; trailing spaces trimmed.
    func lines() -> [String] {
        var widths = headers.map(TextEscaping.columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], TextEscaping.columns(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, width) in widths.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                switch alignments[index] {
                case .left: parts.append(TextEscaping.padded(cell, to: width))
                case .right: parts.append(TextEscaping.leftPadded(cell, to: width))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            + rows.map(line)
    }
}
