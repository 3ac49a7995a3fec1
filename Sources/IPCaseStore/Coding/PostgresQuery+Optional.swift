import PostgresClient

extension PostgresQuery.StringInterpolation {
    /// Appends an optional value as the next `$n` parameter (`nil` is NULL). An explicit
    /// overload, so interpolating an Optional is not mistaken for a debug description.
    mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
        appendParameter(value)
    }

    private mutating func appendParameter<Value: PostgresEncodable>(_ value: Value) {
        appendInterpolation(value)
    }
}
