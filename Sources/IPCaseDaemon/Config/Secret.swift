/// A secret string (password, signing key) that never appears in descriptions, logs or dumps.
///
/// `description`, `debugDescription`, string interpolation and `dump` all print `<redacted>`;
/// the value is read only through `revealed()`, so every use is visible in review.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// The secret value itself; pass it only to where it is used, never to a logger.
    public func revealed() -> String { value }

    /// Whether the secret is empty.
    public var isEmpty: Bool { value.isEmpty }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// A mirror without children, so `dump` shows nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// A PostgreSQL connection string (URL or `key=value` conninfo) whose description hides passwords.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The full connection string.
    public let secret: Secret

    /// Wraps a connection string.
    public init(_ connectionString: String) {
        self.secret = Secret(connectionString)
    }

    /// The connection string with passwords replaced by `***` (`<redacted>` when it cannot be parsed).
    public var description: String { Self.redact(secret.revealed()) }

    /// Whether the string looks like a PostgreSQL URL or a conninfo string.
    var isWellFormed: Bool {
        let text = secret.revealed()
        if text.contains("\0") { return false }
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") { return true }
        return Self.conninfoPairs(text) != nil
    }

    private static let secretParameters: Set<String> = ["password", "sslpassword", "sslkey"]

    static func redact(_ text: String) -> String {
        for scheme in ["postgresql://", "postgres://"] where text.hasPrefix(scheme) {
            return scheme + redactURLBody(String(text.dropFirst(scheme.count)))
        }
        guard let pairs = conninfoPairs(text) else { return "<redacted>" }
        return pairs.map { key, value in
            let shown = secretParameters.contains(key) ? "***" : value
            let needsQuotes = shown.isEmpty || shown.contains(" ") || shown.contains("'") || shown.contains("\\")
            let escaped = shown.replacing("\\", with: "\\\\").replacing("'", with: "\\'")
            return "\(key)=" + (needsQuotes ? "'\(escaped)'" : shown)
        }.joined(separator: " ")
    }

    private static func redactURLBody(_ body: String) -> String {
        var hostAndRest = Substring(body)
        var userPart = ""
        // libpq reads user credentials up to the first `@` before any `/`.
        let authorityEnd = body.firstIndex { $0 == "/" || $0 == "?" } ?? body.endIndex
        if let at = body[..<authorityEnd].lastIndex(of: "@") {
            let userInfo = body[..<at]
            hostAndRest = body[body.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                userPart = userInfo[..<colon] + ":***@"
            } else {
                userPart = userInfo + "@"
            }
        }
        let question = hostAndRest.firstIndex(of: "?")
        // An `@` left outside the credentials means a form we do not understand: show nothing.
        if hostAndRest[..<(question ?? hostAndRest.endIndex)].contains("@") { return "<redacted>" }
        guard let question else { return userPart + hostAndRest }
        let query = hostAndRest[hostAndRest.index(after: question)...].split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1)
            guard let name = parts.first, secretParameters.contains(String(name)) else { return String(item) }
            return "\(name)=***"
        }
        return userPart + hostAndRest[..<question] + "?" + query.joined(separator: "&")
    }

    /// Splits a conninfo string (`host=a password='x y'`) into pairs; `nil` if malformed.
    private static func conninfoPairs(_ text: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            if rest.isEmpty { break }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingSuffixSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "'" {
                rest = rest.dropFirst()
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest = rest.dropFirst()
                    } else if character == "'" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
            } else {
                while let character = rest.first, character != " ", character != "\t", character != "\n" {
                    rest = rest.dropFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
            }
            pairs.append((String(key), value))
        }
        return pairs.isEmpty ? nil : pairs
    }
}

extension Substring {
    fileprivate func trimmingSuffixSpaces() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
