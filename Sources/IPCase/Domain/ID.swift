/// A typed identifier of a stored record: a database `bigserial` (Int64) tagged with the entity
/// it names, so an `ID<Right>` cannot be passed where an `ID<Party>` is expected.
///
/// ```swift
/// let right: ID<Right> = 42
/// right.rawValue      // 42
/// right.description   // "#42"
/// ```
public struct ID<Entity>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    /// The database key.
    public let rawValue: Int64

    /// Creates an identifier from its database key.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Creates an identifier from its database key.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Creates an identifier from an integer literal (tests, examples).
    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// `#` followed by the key, e.g. `#42`.
    public var description: String { "#\(rawValue)" }

    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
