import Foundation

/// A parsed configuration file: `[section]` headers and `key = value` lines (a small TOML subset).
///
/// The format, line by line:
/// - blank lines and lines starting with `#` are ignored; `#` after a value starts a comment;
/// - `[section]` starts a section (lowercase letters, digits, `_`);
/// - `key = value`, where value is a string (`"basic"` with `\"`, `\\`, `\n`, `\t`, `\uXXXX`
///   escapes, or `'literal'`), an integer (`200`, `10_000`), a boolean (`true`, `false`)
///   or a one-line array of those (`[60, 30, 14, 7, 1]`).
///
/// Keys are addressed as `section.key`; a key may appear once.
public struct ConfigFile: Sendable, Hashable {
    /// One `key = value` line.
    public struct Entry: Sendable, Hashable {
        /// The field name, `section.key` (or `key` before any section header).
        public var field: String
        /// The parsed value.
        public var value: ConfigValue
        /// The 1-based line number.
        public var line: Int
    }

    /// The file name used in error messages.
    public var path: String
    /// The entries in file order.
    public var entries: [Entry]

    /// Parses `text`, naming `path` in errors.
    /// - Throws: `ConfigurationError` listing every malformed line with its number.
    public init(parsing text: String, path: String) throws(ConfigurationError) {
        self.path = path
        var entries: [Entry] = []
        var issues: [ConfigurationIssue] = []
        var section: String?
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let location = ConfigSource.file(path: path, line: lineNumber)
            var scanner = LineScanner(Substring(rawLine))
            scanner.skipSpaces()
            if scanner.isAtEndOrComment { continue }
            do throws(ParseFailure) {
                if scanner.peek == "[" {
                    scanner.advance()
                    scanner.skipSpaces()
                    let name = scanner.readName()
                    scanner.skipSpaces()
                    guard !name.isEmpty, scanner.consume("]") else {
                        throw ParseFailure("a section header is written [name] with lowercase letters, digits and _")
                    }
                    scanner.skipSpaces()
                    guard scanner.isAtEndOrComment else {
                        throw ParseFailure("unexpected text after the section header")
                    }
                    section = name
                    continue
                }
                let key = scanner.readName()
                guard !key.isEmpty else {
                    throw ParseFailure("expected `key = value` (keys are lowercase letters, digits and _)")
                }
                let field = section.map { "\($0).\(key)" } ?? key
                scanner.skipSpaces()
                guard scanner.consume("=") else { throw ParseFailure("expected `=` after \(field)", field: field) }
                scanner.skipSpaces()
                let value: ConfigValue
                do throws(ParseFailure) {
                    value = try scanner.readValue()
                } catch let failure {
                    throw ParseFailure(failure.message, field: field)
                }
                scanner.skipSpaces()
                guard scanner.isAtEndOrComment else {
                    throw ParseFailure("unexpected text after the value", field: field)
                }
                if let first = seen[field] {
                    throw ParseFailure("set twice (first on line \(first))", field: field)
                }
                seen[field] = lineNumber
                entries.append(Entry(field: field, value: value, line: lineNumber))
            } catch let failure {
                issues.append(ConfigurationIssue(source: location, field: failure.field, message: failure.message))
            }
        }
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        self.entries = entries
    }
}

/// A value of a configuration file.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    /// A quoted string.
    case string(String)
    /// An integer.
    case integer(Int)
    /// `true` or `false`.
    case boolean(Bool)
    /// A one-line array.
    case array([ConfigValue])

    /// The value written back in file syntax.
    public var description: String {
        switch self {
        case .string(let text): ConfigValue.quoted(text)
        case .integer(let number): String(number)
        case .boolean(let flag): String(flag)
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// `text` as a basic string in file syntax, with escapes.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

private struct ParseFailure: Error {
    var message: String
    var field: String?

    init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }
}

private struct LineScanner {
    private var rest: Substring.UnicodeScalarView

    init(_ line: Substring) {
        var scalars = line.unicodeScalars
        if scalars.last == "\r" { scalars.removeLast() }
        self.rest = scalars
    }

    var peek: Unicode.Scalar? { rest.first }

    var isAtEndOrComment: Bool { rest.isEmpty || rest.first == "#" }

    mutating func advance() { rest.removeFirst() }

    mutating func skipSpaces() {
        while let first = rest.first, first == " " || first == "\t" { rest.removeFirst() }
    }

    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard rest.first == scalar else { return false }
        rest.removeFirst()
        return true
    }

    mutating func readName() -> String {
        var name = String.UnicodeScalarView()
        while let first = rest.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) || first == "_" {
            name.append(first)
            rest.removeFirst()
        }
        return String(name)
    }

    mutating func readValue() throws(ParseFailure) -> ConfigValue {
        guard let first = rest.first else { throw ParseFailure("a value is missing") }
        switch first {
        case "\"": return .string(try readBasicString())
        case "'": return .string(try readLiteralString())
        case "[": return try readArray()
        default:
            var word = String.UnicodeScalarView()
            while let scalar = rest.first, scalar != " ", scalar != "\t", scalar != ",", scalar != "]",
                scalar != "#"
            {
                word.append(scalar)
                rest.removeFirst()
            }
            let text = String(word)
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            let digits = text.replacingOccurrences(of: "_", with: "")
            if !digits.isEmpty, !text.hasPrefix("_"), !text.hasSuffix("_"), let number = Int(digits) {
                return .integer(number)
            }
            throw ParseFailure("`\(text)` is not a value: quote strings (\"…\"), write integers, true/false or [a, b]")
        }
    }

    private mutating func readBasicString() throws(ParseFailure) -> String {
        rest.removeFirst()
        var result = String.UnicodeScalarView()
        while let scalar = rest.first {
            rest.removeFirst()
            switch scalar {
            case "\"": return String(result)
            case "\\":
                guard let escape = rest.first else { break }
                rest.removeFirst()
                switch escape {
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "u":
                    let hex = String(String.UnicodeScalarView(rest.prefix(4)))
                    guard hex.count == 4, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else {
                        throw ParseFailure("\\u must be followed by four hexadecimal digits")
                    }
                    rest.removeFirst(4)
                    result.append(decoded)
                default:
                    throw ParseFailure("unknown escape \\\(escape) in a string")
                }
            default:
                result.append(scalar)
            }
        }
        throw ParseFailure("the string is not closed with \"")
    }

    private mutating func readLiteralString() throws(ParseFailure) -> String {
        rest.removeFirst()
        var result = String.UnicodeScalarView()
        while let scalar = rest.first {
            rest.removeFirst()
            if scalar == "'" { return String(result) }
            result.append(scalar)
        }
        throw ParseFailure("the string is not closed with '")
    }

    private mutating func readArray() throws(ParseFailure) -> ConfigValue {
        rest.removeFirst()
        var items: [ConfigValue] = []
        skipSpaces()
        if consume("]") { return .array(items) }
        while true {
            skipSpaces()
            let item = try readValue()
            if case .array = item { throw ParseFailure("arrays cannot be nested") }
            items.append(item)
            skipSpaces()
            if consume("]") { return .array(items) }
            guard consume(",") else { throw ParseFailure("expected `,` or `]` in the array") }
            skipSpaces()
            if consume("]") { return .array(items) }
        }
    }
}
