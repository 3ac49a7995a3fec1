import Foundation

/// The checks a CSV file passes before its rows are read: valid UTF-8, every quoted field
/// closed, nothing after a closing quote but a separator or the end of the row. A file that
/// fails one is refused naming the row (1 is the header), so that no row is lost to a field
/// that swallowed the rest of the file.
enum CSVStructure {
    /// The file as text, or the problems that make it unreadable.
    static func text(of data: Data, name: String) throws(CSVImport.Problems) -> String {
        if let offset = firstInvalidUTF8(in: data) {
            let row = records(in: data.prefix(offset))
            throw CSVImport.Problems([
                CSVImport.Problem(
                    file: name, row: row, key: "import.problem.utf8", arguments: ["offset": String(offset)])
            ])
        }
        let problems = quoting(of: data, name: name)
        if !problems.isEmpty { throw CSVImport.Problems(problems) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The byte offset of the first byte that is not part of valid UTF-8, or `nil`.
    static func firstInvalidUTF8(in data: Data) -> Int? {
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    /// The number of the row (1-based) that `prefix` ends in, counting rows as RFC 4180 does
    /// (a line break inside a quoted field does not end the row).
    static func records(in prefix: Data) -> Int {
        var row = 1
        var quoted = false
        for byte in prefix {
            if byte == quote { quoted.toggle() } else if byte == newline && !quoted { row += 1 }
        }
        return row
    }

    /// Quoting mistakes, one each, with the row they are in.
    static func quoting(of data: Data, name: String) -> [CSVImport.Problem] {
        enum State { case fieldStart, unquoted, quoted, closed }
        var problems: [CSVImport.Problem] = []
        var state = State.fieldStart
        var row = 1
        var openedOn = 1
        for byte in data {
            switch state {
            case .fieldStart, .unquoted:
                if byte == comma {
                    state = .fieldStart
                } else if byte == newline {
                    row += 1
                    state = .fieldStart
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                    openedOn = row
                } else if byte != carriageReturn {
                    state = .unquoted
                }
            case .quoted:
                if byte == quote { state = .closed } else if byte == newline { row += 1 }
            case .closed:
                if byte == quote {
                    state = .quoted  // "" is a quote inside the field
                } else if byte == comma {
                    state = .fieldStart
                } else if byte == newline {
                    row += 1
                    state = .fieldStart
                } else if byte != carriageReturn {
                    problems.append(
                        openedOn == row
                            ? CSVImport.Problem(file: name, row: row, key: "import.problem.after-quote")
                            : CSVImport.Problem(
                                file: name, row: row, key: "import.problem.after-quote-opened",
                                arguments: ["opened": String(openedOn)]))
                    state = .unquoted
                }
            }
            if problems.count >= 100 { break }
        }
        if state == .quoted {
            problems.append(
                CSVImport.Problem(file: name, row: openedOn, key: "import.problem.unclosed-quote"))
        }
        return problems
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
