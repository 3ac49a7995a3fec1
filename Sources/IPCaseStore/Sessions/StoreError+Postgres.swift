import IPCase
import PostgresClient

extension StoreError {
    /// Turns a constraint violation into ``StoreError/invalid(record:reason:)`` naming the
    /// record and the field in words (never the constraint's name); other errors pass through.
    static func translating(_ error: any Error, record: String) -> any Error {
        guard let failure = error as? PostgresError, let state = failure.sqlState else { return error }
        let (field, limit) = Self.field(of: failure)
        switch state {
        case PostgresError.SQLState.uniqueViolation:
            return StoreError.invalid(record: record, reason: "a record with the same \(field) already exists")
        case PostgresError.SQLState.foreignKeyViolation:
            return StoreError.invalid(record: record, reason: "\(field) refers to a record that does not exist in this office")
        case PostgresError.SQLState.checkViolation:
            if let limit {
                return StoreError.invalid(record: record, reason: "\(field) is longer than \(limit) characters")
            }
            // A trigger's own refusal (no constraint named) says what is wrong in its message.
            if failure.constraintName == nil, failure.columnName == nil, let message = failure.message {
                return StoreError.invalid(record: record, reason: message)
            }
            if failure.constraintName?.hasSuffix("_not_empty") == true {
                return StoreError.invalid(record: record, reason: "\(field) must not be empty")
            }
            return StoreError.invalid(record: record, reason: "\(field) is not an allowed value")
        case PostgresError.SQLState.notNullViolation:
            return StoreError.invalid(record: record, reason: "\(field) is required")
        case "22001":
            return StoreError.invalid(record: record, reason: "\(field) is longer than the field allows")
        default:
            return error
        }
    }

    /// The field a constraint guards, in words, read from PostgreSQL's naming of constraints
    /// (`<table>_<columns>_key|fkey|check`, and this schema's `<table>_<column>_max_<n>` for text
    /// limits): `rights_office_id_reference_key` → `reference`, `deals_office_id_counterparty_id_fkey`
    /// → `counterparty`; with the limit when the constraint is one.
    static func field(of failure: PostgresError) -> (field: String, limit: Int?) {
        if let column = failure.columnName { return (words(column), nil) }
        guard var name = failure.constraintName else { return ("record", nil) }
        if let table = failure.tableName, name.hasPrefix(table + "_") { name.removeFirst(table.count + 1) }
        var limit: Int?
        if let range = name.range(of: "_max_", options: .backwards), let value = Int(name[range.upperBound...]) {
            limit = value
            name = String(name[..<range.lowerBound])
        }
        for suffix in ["_pkey", "_fkey", "_key", "_check", "_excl", "_not_empty"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
            break
        }
        if name.hasPrefix("office_id_") { name.removeFirst("office_id_".count) }
        // A primary key (`rights_pkey`, or `(office_id, id)`) leaves no column of its own: the key.
        let field = words(name)
        return (field.isEmpty || name == "pkey" || name == "id" ? "key" : field, limit)
    }

    /// `counterparty_id` → `counterparty`, `received_on` → `received on`.
    private static func words(_ column: String) -> String {
        var name = column
        if name.hasSuffix("_id") { name.removeLast(3) }
        return name.replacingOccurrences(of: "_", with: " ")
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

/// Runs a workflow step for `record`; a transition the state machine refuses becomes
/// `StoreError.workflow` naming the record, the state and what is allowed.
func workflowStep<T>(_ record: String, _ step: () throws(WorkflowError) -> T) throws(StoreError) -> T {
    do {
        return try step()
    } catch {
        throw StoreError.workflow(record: record, reason: error.description)
    }
}
