/// A fraction from 0 to 100 % in basis points (1 bp = 0.01 %, 10 000 bp = 100 %): shares,
/// royalty rates, distribution percentages. Integer, never floating point.
///
/// ```swift
/// let share: BasisPoints = 3_333
/// share.description                  // "33.33 %"
/// BasisPoints(percent: "12.5 %")     // 1 250 bp
/// BasisPoints(points: 12_000)        // nil: more than 100 %
/// ```
public struct BasisPoints: Hashable, Comparable, Sendable, Codable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The number of basis points, 0–10 000.
    public let value: Int

    /// 0 %.
    public static let zero = BasisPoints(unchecked: 0)
    /// 100 %.
    public static let whole = BasisPoints(unchecked: 10_000)

    /// Creates a fraction from a number of basis points; `nil` outside 0–10 000.
    ///
    /// (`BasisPoints(3_333)` with a literal uses the literal initializer, checked at run time.)
    public init?(points value: Int) {
        guard (0...10_000).contains(value) else { return nil }
        self.value = value
    }

    init(unchecked value: Int) { self.value = value }

    /// Creates a fraction from a literal; the literal must be 0–10 000.
    public init(integerLiteral value: Int) {
        precondition((0...10_000).contains(value), "\(value) basis points is outside 0–10 000")
        self.value = value
    }

    /// Parses a percentage with up to two decimals, with or without `%`: `"33.33 %"`, `"5%"`, `"12.5"`.
    public init?(percent text: String) {
        var body = Substring(PlainText.trimmed(text))
        if body.hasSuffix("%") { body = Substring(PlainText.trimmed(body.dropLast())) }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 3,
            parts[0].allSatisfy(PlainText.isDigit)
        else { return nil }
        var points = Int(parts[0])! * 100
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy(PlainText.isDigit) else { return nil }
            points += Int(decimals)! * (decimals.count == 1 ? 10 : 1)
        }
        self.init(points: points)
    }

    /// The complement to 100 %.
    public var complement: BasisPoints { BasisPoints(unchecked: 10_000 - value) }

    /// The percentage with two decimals, e.g. `33.33 %`.
    public var description: String { BasisPoints.describe(value) }

    /// Any number of basis points as a percentage with two decimals (sums may exceed 100 %).
    public static func describe(_ points: Int) -> String {
        let sign = points < 0 ? "-" : ""
        let magnitude = points.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) %"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(Int.self)
        guard let value = BasisPoints(points: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(raw) basis points is outside 0–10 000"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Small text helpers for parsing amounts, percentages and numbers (internal).
enum PlainText {
    /// Whether `character` is an ASCII digit 0–9.
    static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// `text` without leading and trailing spaces, tabs, no-break and narrow no-break spaces.
    static func trimmed(_ text: some StringProtocol) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" || $0 == "\u{202F}" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
