import Foundation

/// The parameters of a statement: values in text format and their types.
public struct PostgresBindings: Sendable, Hashable {
    /// The values in text format (`nil` is SQL NULL), for `$1`, `$2`, ….
    public private(set) var values: [String?] = []
    /// The parameter types (`.unknown` lets the server infer one).
    public private(set) var types: [PostgresType] = []

    /// Creates empty bindings.
    public init() {}

    /// Creates bindings from values, in order.
    public init(_ values: [any PostgresEncodable]) {
        for value in values { append(value) }
    }

    /// The number of parameters.
    public var count: Int { values.count }

    /// Appends a value as the next parameter.
    public mutating func append(_ value: some PostgresEncodable) {
        values.append(value.postgresText)
        types.append(type(of: value).postgresType)
    }

    /// Throws when a value cannot be sent (contains NUL), naming the parameter but not the value.
    func validate() throws(PostgresError) {
        for (index, value) in values.enumerated() {
            if let value, value.utf8.contains(0) {
                var error = PostgresError(
                    code: .invalidParameter,
                    reason: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold")
                error.position = index
                throw error
            }
        }
    }
}

/// A SQL statement with its parameters, built by string interpolation.
///
/// Every interpolated value becomes a parameter (`$1`, `$2`, …), never SQL text:
///
/// ```swift
/// let query: PostgresQuery = "SELECT id FROM rights WHERE office_id = \(office) AND number = \(number)"
/// // sql: "SELECT id FROM rights WHERE office_id = $1 AND number = $2"
/// let table: PostgresQuery = "SELECT count(*) FROM \(identifier: tableName)"   // quoted identifier
/// ```
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// The parameters.
    public var bindings: PostgresBindings
    /// Why this query cannot be sent, if an interpolation was invalid (e.g. an identifier with NUL).
    var invalidReason: String?

    /// Creates a query from SQL written by the program (never from input) and its bindings.
    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    /// Static SQL without parameters.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// SQL built by interpolation; every value is a parameter.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.bindings = stringInterpolation.bindings
        self.invalidReason = stringInterpolation.invalidReason
    }

    /// The SQL text only (parameter values are never printed).
    public var description: String { sql }

    /// Throws when the query cannot be sent; nothing reaches libpq.
    func validate() throws(PostgresError) {
        if let invalidReason { throw PostgresError(code: .invalidParameter, reason: invalidReason) }
        if sql.utf8.contains(0) {
            throw PostgresError(code: .invalidParameter, reason: "the SQL text contains a NUL character")
        }
        try bindings.validate()
    }

    /// Builds a query from literals and interpolated values.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String = ""
        var bindings = PostgresBindings()
        var invalidReason: String?

        /// Reserves space.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a value as the next `$n` parameter (`nil` is NULL).
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Appends an optional value as the next `$n` parameter (`nil` is NULL).
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Appends an identifier (table, column, channel), double-quoted with quotes doubled.
        public mutating func appendInterpolation(identifier: String) {
            if identifier.utf8.contains(0) {
                invalidReason = "an identifier contains a NUL character"
            }
            sql += PostgresQuery.quoteIdentifier(identifier)
        }

        /// Appends SQL text written by the program, e.g. a sort direction chosen from an enum.
        public mutating func appendInterpolation(unescaped sqlText: String) {
            sql += sqlText
        }
    }

    /// `"name"` with embedded quotes doubled, as `PQescapeIdentifier` does.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
