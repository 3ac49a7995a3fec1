import Foundation

/// A Swift value that can be sent to PostgreSQL as a parameter (text format).
///
/// Conform your own types (e.g. a domain date) by giving their PostgreSQL type and text form:
///
/// ```swift
/// extension CivilDate: PostgresEncodable {
///     public static var postgresType: PostgresType { .date }
///     public static var postgresArrayType: PostgresType { .dateArray }
///     public var postgresText: String? { description }
/// }
/// ```
public protocol PostgresEncodable: Sendable {
    /// The parameter's type sent to the server (`.unknown` lets the server infer it).
    static var postgresType: PostgresType { get }
    /// The type of an array of this type (`.unknown` lets the server infer it).
    static var postgresArrayType: PostgresType { get }
    /// The value in PostgreSQL's text format, or `nil` for SQL NULL.
    var postgresText: String? { get }
}

extension PostgresEncodable {
    /// Arrays of this type let the server infer their type unless the type says otherwise.
    public static var postgresArrayType: PostgresType { .unknown }
}

/// Why a value did not decode (never contains the value itself).
public struct PostgresDecodingFailure: Error, Sendable, Hashable {
    /// A short explanation, e.g. `not an integer`.
    public var reason: String
    /// Creates a failure with the given explanation.
    public init(_ reason: String) { self.reason = reason }
    /// The value was SQL NULL but the requested type is not optional.
    public static let unexpectedNull = PostgresDecodingFailure("unexpected NULL (decode as an Optional)")
}

/// A Swift value that can be decoded from a PostgreSQL value in text format.
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL value from its text form; `type` is the column's type.
    init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure)
    /// The value for SQL NULL; throws for non-optional types.
    static func postgresNull() throws(PostgresDecodingFailure) -> Self
}

extension PostgresDecodable {
    /// Non-optional types refuse NULL.
    public static func postgresNull() throws(PostgresDecodingFailure) -> Self { throw .unexpectedNull }
}

/// A type that is both encodable and decodable.
public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

// MARK: - Optional

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped type's PostgreSQL type.
    public static var postgresType: PostgresType { Wrapped.postgresType }
    /// The wrapped type's array type.
    public static var postgresArrayType: PostgresType { Wrapped.postgresArrayType }
    /// `nil` (SQL NULL) or the wrapped value's text.
    public var postgresText: String? {
        switch self {
        case .none: nil
        case .some(let wrapped): wrapped.postgresText
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped value.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresText: text, type: type))
    }
    /// SQL NULL is `nil`.
    public static func postgresNull() throws(PostgresDecodingFailure) -> Self { .none }
}

// MARK: - Integers

extension Int: PostgresCodable {
    /// `int8`.
    public static var postgresType: PostgresType { .int8 }
    /// `int8[]`.
    public static var postgresArrayType: PostgresType { .int8Array }
    /// The decimal digits.
    public var postgresText: String? { String(self) }
    /// Decodes `int2`, `int4`, `int8` or any integral text.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Int(text) else { throw PostgresDecodingFailure("not an integer in range") }
        self = value
    }
}

extension Int64: PostgresCodable {
    /// `int8`.
    public static var postgresType: PostgresType { .int8 }
    /// `int8[]`.
    public static var postgresArrayType: PostgresType { .int8Array }
    /// The decimal digits.
    public var postgresText: String? { String(self) }
    /// Decodes `int2`, `int4`, `int8` or any integral text.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Int64(text) else { throw PostgresDecodingFailure("not an integer in range") }
        self = value
    }
}

extension Int32: PostgresCodable {
    /// `int4`.
    public static var postgresType: PostgresType { .int4 }
    /// `int4[]`.
    public static var postgresArrayType: PostgresType { .int4Array }
    /// The decimal digits.
    public var postgresText: String? { String(self) }
    /// Decodes an integer that fits in 32 bits.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Int32(text) else { throw PostgresDecodingFailure("not a 32-bit integer") }
        self = value
    }
}

extension Int16: PostgresCodable {
    /// `int2`.
    public static var postgresType: PostgresType { .int2 }
    /// `int2[]`.
    public static var postgresArrayType: PostgresType { .int2Array }
    /// The decimal digits.
    public var postgresText: String? { String(self) }
    /// Decodes an integer that fits in 16 bits.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Int16(text) else { throw PostgresDecodingFailure("not a 16-bit integer") }
        self = value
    }
}

// MARK: - Bool, Double, String

extension Bool: PostgresCodable {
    /// `bool`.
    public static var postgresType: PostgresType { .bool }
    /// `bool[]`.
    public static var postgresArrayType: PostgresType { .boolArray }
    /// `t` or `f`.
    public var postgresText: String? { self ? "t" : "f" }
    /// Decodes `t`/`f` (and `true`/`false`).
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        switch text {
        case "t", "true", "TRUE": self = true
        case "f", "false", "FALSE": self = false
        default: throw PostgresDecodingFailure("not a boolean")
        }
    }
}

extension Double: PostgresCodable {
    /// `float8`.
    public static var postgresType: PostgresType { .float8 }
    /// `float8[]`.
    public static var postgresArrayType: PostgresType { .float8Array }
    /// The shortest text that reads back as the same value; `NaN`, `Infinity`, `-Infinity`.
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    /// Decodes `float4`, `float8`, `numeric` or integer text.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PostgresDecodingFailure("not a number") }
            self = value
        }
    }
}

extension String: PostgresCodable {
    /// Sent as `unknown`, so the server reads it as the type the context needs (text, jsonb, uuid …).
    public static var postgresType: PostgresType { .unknown }
    /// `text[]`.
    public static var postgresArrayType: PostgresType { .textArray }
    /// The string itself.
    public var postgresText: String? { self }
    /// Any value's text form.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        self = text
    }
}

// MARK: - UUID

extension UUID: PostgresCodable {
    /// `uuid`.
    public static var postgresType: PostgresType { .uuid }
    /// `uuid[]`.
    public static var postgresArrayType: PostgresType { .uuidArray }
    /// Lowercase hyphenated form.
    public var postgresText: String? { uuidString.lowercased() }
    /// Decodes the hyphenated form.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingFailure("not a UUID") }
        self = value
    }
}

// MARK: - bytea

extension Data: PostgresCodable {
    /// `bytea`.
    public static var postgresType: PostgresType { .bytea }
    /// `bytea[]`.
    public static var postgresArrayType: PostgresType { .byteaArray }
    /// Hex format: `\x0102ff`.
    public var postgresText: String? {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [92, 120]  // "\x"
        bytes.reserveCapacity(2 + count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    /// Decodes `bytea` in hex format (`\x…`, the server's default output).
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == 92, utf8[1] == 120, utf8.count % 2 == 0 else {
            throw PostgresDecodingFailure("not bytea in hex format")
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw PostgresDecodingFailure("not bytea in hex format")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = Data(bytes)
    }
}

// MARK: - jsonb

/// A `jsonb` value as raw JSON text, passed through unchanged.
///
/// ```swift
/// let json = try PostgresJSON(encoding: settings)        // from any Encodable
/// try await connection.execute("UPDATE t SET doc = \(json)")
/// let back = try row.decode(PostgresJSON.self, column: "doc").decode(Settings.self)
/// ```
public struct PostgresJSON: PostgresCodable, Hashable {
    /// The JSON text.
    public var text: String

    /// Wraps JSON text (not validated here; the server validates it).
    public init(text: String) { self.text = text }

    /// Wraps UTF-8 JSON data.
    public init(data: Data) { self.text = String(decoding: data, as: UTF8.self) }

    /// Encodes a value with `JSONEncoder` (sorted keys).
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.init(data: try encoder.encode(value))
    }

    /// The JSON text as UTF-8 data.
    public var data: Data { Data(text.utf8) }

    /// Decodes the JSON with `JSONDecoder`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    /// `jsonb`.
    public static var postgresType: PostgresType { .jsonb }
    /// `jsonb[]`.
    public static var postgresArrayType: PostgresType { .jsonbArray }
    /// The JSON text.
    public var postgresText: String? { text }
    /// Decodes `json` or `jsonb` text.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        self.text = text
    }
}

// MARK: - date

/// A PostgreSQL `date` as year, month and day (ISO text form `YYYY-MM-DD`).
///
/// Other modules may conform their own date type to ``PostgresCodable`` instead.
public struct PostgresDate: PostgresCodable, Hashable, Comparable, CustomStringConvertible {
    /// Year (1…9999).
    public var year: Int
    /// Month (1…12).
    public var month: Int
    /// Day of the month.
    public var day: Int

    /// Creates a date; validity is checked by the server when sent.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders by year, month, day.
    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `date`.
    public static var postgresType: PostgresType { .date }
    /// `date[]`.
    public static var postgresArrayType: PostgresType { .dateArray }
    /// `YYYY-MM-DD`.
    public var postgresText: String? { description }
    /// Decodes `YYYY-MM-DD` (DateStyle ISO, which every connection sets).
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw PostgresDecodingFailure("not a date in YYYY-MM-DD form (infinity and BC are not supported)") }
        self.init(year: year, month: month, day: day)
    }
}

// MARK: - timestamptz

extension Date: PostgresCodable {
    /// `timestamptz`.
    public static var postgresType: PostgresType { .timestamptz }
    /// `timestamptz[]`.
    public static var postgresArrayType: PostgresType { .timestamptzArray }
    /// ISO form in UTC with microseconds: `2024-01-02 03:04:05.123456+00`.
    public var postgresText: String? {
        let micros = Int64((timeIntervalSince1970 * 1_000_000).rounded())
        let (days, microOfDay) = Self.floorDivide(micros, 86_400_000_000)
        let (year, month, day) = CivilArithmetic.civil(fromDays: Int(days))
        let seconds = microOfDay / 1_000_000
        let fraction = microOfDay % 1_000_000
        func pad(_ value: some BinaryInteger, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(seconds / 3600, 2)):"
            + "\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))+00"
    }

    /// Decodes `timestamptz` (any UTC offset) or `timestamp` (read as UTC) in ISO form.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let micros = CivilArithmetic.parseTimestamp(Array(text.utf8)) else {
            throw PostgresDecodingFailure("not an ISO timestamp (infinity and BC are not supported)")
        }
        self.init(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}

/// Civil-date arithmetic for timestamps (Howard Hinnant's algorithms).
enum CivilArithmetic {
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]]` into microseconds since 1970 UTC.
    static func parseTimestamp(_ b: [UInt8]) -> Int64? {
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                i += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            expect(32) || expect(84), let hour = digits(2), expect(58), let minute = digits(2), expect(58),
            let second = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 100_000
            var count = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if count < 6 { micros += Int(b[i] - 48) * scale }
                scale /= 10
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds = 0
        if i < b.count {
            let sign: Int
            switch b[i] {
            case 43: sign = 1
            case 45: sign = -1
            default: return nil
            }
            i += 1
            guard let hours = digits(2) else { return nil }
            var minutes = 0
            var seconds = 0
            if expect(58) {
                guard let m = digits(2) else { return nil }
                minutes = m
                if expect(58) {
                    guard let s = digits(2) else { return nil }
                    seconds = s
                }
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        guard i == b.count else { return nil }
        let days = days(fromCivil: year, month, day)
        let secondsOfDay = hour * 3600 + minute * 60 + second
        return Int64(days * 86_400 + secondsOfDay - offsetSeconds) * 1_000_000 + Int64(micros)
    }
}
