import IPCase
import Logging
import PostgresClient

/// The entry to persistence: one PostgreSQL connection and the sessions run on it.
///
/// Per-office work runs in ``withOffice(_:actor:_:)``: a transaction whose row-level security
/// is scoped to one office (`ipcase.office_id`) and whose audit rows name the actor
/// (`ipcase.actor`). Both are set with `set_config(…, true)` (parameterized, transaction-local),
/// so nothing leaks to the next transaction on the connection.
///
/// ```swift
/// let store = try await Store.connect(url: "postgresql://ipcase_cli@db/ipcase")
/// let right = try await store.withOffice(office, actor: "alice") { session in
///     try await session.right(id)
/// }
/// ```
public struct Store: Sendable {
    /// The connection every session runs on (one owner at a time, see `PostgresConnection`).
    public let connection: PostgresConnection
    /// Where the store logs (never parameter values).
    public let logger: Logger

    /// Wraps an open connection.
    public init(connection: PostgresConnection, logger: Logger = Logger(label: "IPCaseStore")) {
        self.connection = connection
        self.logger = logger
    }

    /// Connects with a `postgresql://` URL.
    public static func connect(
        url: String, applicationName: String = "ipcase", logger: Logger = Logger(label: "IPCaseStore")
    ) async throws -> Store {
        let connection = try await PostgresConnection.connect(
            url: url, applicationName: applicationName, logger: logger)
        return Store(connection: connection, logger: logger)
    }

    /// Runs `body` in one transaction scoped to `office`, acting as `actor`: COMMIT when it
    /// returns, ROLLBACK (nothing written) when it throws. Serialization failures and
    /// deadlocks run the body again, so it must only touch the database.
    public func withOffice<T: Sendable>(
        _ office: ID<Office>, actor: String,
        _ body: @Sendable (OfficeSession) async throws -> T
    ) async throws -> T {
        try await connection.withTransaction { @Sendable connection in
            _ = try await connection.query(
                """
                SELECT set_config('ipcase.office_id', \(String(office.rawValue)), true),
                       set_config('ipcase.actor', \(actor), true)
                """)
            return try await body(OfficeSession(connection: connection, office: office))
        }
    }

    /// Runs `body` in one transaction without an office, for the daemon's cross-office work
    /// (its role's policies are not per office) and for provisioning by the owner.
    public func withService<T: Sendable>(
        actor: String, _ body: @Sendable (ServiceSession) async throws -> T
    ) async throws -> T {
        try await connection.withTransaction { @Sendable connection in
            _ = try await connection.query("SELECT set_config('ipcase.actor', \(actor), true)")
            return try await body(ServiceSession(connection: connection))
        }
    }
}

/// The work of one transaction scoped to one office; get one from ``Store/withOffice(_:actor:_:)``.
public struct OfficeSession: Sendable {
    /// The connection, inside the session's transaction.
    public let connection: PostgresConnection
    /// The office every row read or written belongs to.
    public let office: ID<Office>
}

/// The work of one transaction across offices; get one from ``Store/withService(actor:_:)``.
public struct ServiceSession: Sendable {
    /// The connection, inside the session's transaction.
    public let connection: PostgresConnection
}
