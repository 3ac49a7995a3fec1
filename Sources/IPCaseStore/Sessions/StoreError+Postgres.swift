import PostgresClient

extension StoreError {
    /// Turns a constraint violation into ``StoreError/invalid(record:reason:)`` naming the
    /// record and the constraint or column; other errors pass through unchanged.
    static func translating(_ error: any Error, record: String) -> any Error {
        guard let failure = error as? PostgresError, let state = failure.sqlState else { return error }
        let what = failure.constraintName ?? failure.columnName ?? failure.tableName ?? "the record"
        switch state {
        case PostgresError.SQLState.uniqueViolation:
            return StoreError.invalid(record: record, reason: "duplicates an existing record (\(what))")
        case PostgresError.SQLState.foreignKeyViolation:
            return StoreError.invalid(
                record: record, reason: "refers to a record that does not exist in this office (\(what))")
        case PostgresError.SQLState.checkViolation:
            return StoreError.invalid(record: record, reason: failure.message ?? "violates \(what)")
        case PostgresError.SQLState.notNullViolation:
            return StoreError.invalid(record: record, reason: "\(what) is required")
        default:
            return error
        }
    }
}

/// Runs `body`, turning constraint violations into ``StoreError/invalid(record:reason:)``.
func naming<T>(_ record: @autoclosure () -> String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw StoreError.translating(error, record: record())
    }
}
