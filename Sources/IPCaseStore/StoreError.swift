import IPCase
import PostgresClient

/// Why the store refused an operation. The description is safe to show a user and to log.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Someone else changed the record since it was read (optimistic concurrency): it now has
    /// `currentVersion` (`nil` when it no longer exists or is not visible), not `expectedVersion`.
    case conflict(record: String, expectedVersion: Int, currentVersion: Int?)
    /// No such record in this office.
    case notFound(record: String)
    /// The record's data was refused (a constraint, a bad stored value), naming the record and the field.
    case invalid(record: String, reason: String)
    /// A workflow refused the event; the text names the state, the event and what is allowed.
    case workflow(record: String, reason: String)

    public var description: String {
        switch self {
        case .conflict(let record, let expected, let current?):
            "\(record) was changed by someone else: you edited version \(expected), it is now version \(current); reload it and try again"
        case .conflict(let record, let expected, nil):
            "\(record) (version \(expected)) no longer exists"
        case .notFound(let record):
            "\(record) does not exist in this office"
        case .invalid(let record, let reason):
            "\(record): \(reason)"
        case .workflow(let record, let reason):
            // The workflow's own text usually starts with the record ("deal D-12 is 'identified'; …").
            reason.hasPrefix(record + " ") ? reason : "\(record): \(reason)"
        }
    }
}

/// A stored record with the version its row had when it was read, for optimistic concurrency.
public struct Versioned<Value: Sendable>: Sendable {
    /// The record.
    public var value: Value
    /// The row's version when read; an update must name it and fails with a conflict if it moved on.
    public var version: Int

    /// Wraps a record read at `version`.
    public init(_ value: Value, version: Int) {
        self.value = value
        self.version = version
    }
}

extension Versioned: Equatable where Value: Equatable {}
extension Versioned: Hashable where Value: Hashable {}
