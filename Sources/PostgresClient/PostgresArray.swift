/// One-dimensional arrays in PostgreSQL's text format: `{1,NULL,"a \"b\""}`.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// The element type's array type (e.g. `int8[]`).
    public static var postgresType: PostgresType { Element.postgresArrayType }
    /// Multi-dimensional arrays are not supported.
    public static var postgresArrayType: PostgresType { .unknown }
    /// `{…}` with every element quoted and escaped, NULL for `nil` elements.
    public var postgresText: String? {
        var text = "{"
        text.reserveCapacity(2 + count * 12)
        var first = true
        for element in self {
            if !first { text += "," }
            first = false
            guard let elementText = element.postgresText else {
                text += "NULL"
                continue
            }
            text += "\""
            // Most elements (numbers, dates, keys) need no escaping: appended whole.
            if elementText.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for scalar in elementText.unicodeScalars {
                    if scalar == "\"" || scalar == "\\" { text += "\\" }
                    text.unicodeScalars.append(scalar)
                }
            } else {
                text += elementText
            }
            text += "\""
        }
        return text + "}"
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Decodes a one-dimensional array; NULL elements need an Optional element type.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let elements = PostgresArrayText.parse(text) else {
            throw PostgresDecodingFailure("not a one-dimensional array")
        }
        let elementType = type.arrayElement ?? .unknown
        var decoded: [Element] = []
        decoded.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                if let element {
                    decoded.append(try Element(postgresText: element, type: elementType))
                } else {
                    decoded.append(try Element.postgresNull())
                }
            } catch {
                throw PostgresDecodingFailure("array element \(index + 1): \(error.reason)")
            }
        }
        self = decoded
    }
}

/// The parser of PostgreSQL's array text format.
enum PostgresArrayText {
    /// The elements of a one-dimensional array literal (`nil` for NULL), or `nil` when malformed.
    static func parse(_ text: String) -> [String?]? {
        var bytes = Array(text.utf8)[...]
        // Optional dimension decoration: "[1:3]={...}".
        if bytes.first == UInt8(ascii: "[") {
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            bytes = bytes[(equals + 1)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        bytes = bytes.dropFirst().dropLast()
        var elements: [String?] = []
        if bytes.isEmpty { return elements }
        var index = bytes.startIndex
        let end = bytes.endIndex
        while true {
            var element: [UInt8] = []
            var quoted = false
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                quoted = true
                index += 1
                while true {
                    guard index < end else { return nil }
                    let c = bytes[index]
                    if c == UInt8(ascii: "\\") {
                        guard index + 1 < end else { return nil }
                        element.append(bytes[index + 1])
                        index += 2
                    } else if c == UInt8(ascii: "\"") {
                        index += 1
                        break
                    } else {
                        element.append(c)
                        index += 1
                    }
                }
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    let c = bytes[index]
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "\"") { return nil }  // nested or malformed
                    if c == UInt8(ascii: "\\") {
                        guard index + 1 < end else { return nil }
                        element.append(bytes[index + 1])
                        index += 2
                    } else {
                        element.append(c)
                        index += 1
                    }
                }
            }
            let string = String(decoding: element, as: UTF8.self)
            if !quoted && string.uppercased() == "NULL" {
                elements.append(nil)
            } else {
                elements.append(string)
            }
            if index == end { return elements }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
