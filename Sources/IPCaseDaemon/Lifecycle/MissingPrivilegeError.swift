import Logging
import PostgresClient

/// The database refused the daemon's login, or a statement, for lack of a privilege: retrying
/// cannot help, so the service stops and `ipcased` exits with ``exitCode`` instead of looping.
///
/// Raised for SQLSTATE `42501` insufficient_privilege (a table, sequence, schema or the
/// database's CONNECT) and for a refused login (`28P01` wrong or missing password, `28000` no
/// pg_hba.conf entry or no such login). The server's message names the privilege's object
/// (`permission denied for table jobs`); it is logged as metadata, never a password.
///
/// ```swift
/// } catch {
///     try MissingPrivilegeError.stopIfMissingPrivilege(error, service: "worker", logger: logger)
///     // … otherwise reconnect with backoff
/// }
/// ```
public struct MissingPrivilegeError: Error, Sendable, CustomStringConvertible {
    /// The exit status of `ipcased` when its login lacks a privilege (`EX_NOPERM` of sysexits.h).
    public static let exitCode: Int32 = 77

    /// The service that was refused, e.g. `listener`.
    public var service: String
    /// The SQLSTATE, e.g. `42501`.
    public var sqlState: String
    /// The server's (or libpq's) message, naming the object, e.g. `permission denied for table jobs`.
    public var serverMessage: String

    /// "the database refused the listener: 42501 permission denied for table jobs".
    public var description: String { "the database refused the \(service): \(sqlState) \(serverMessage)" }

    /// Throws a ``MissingPrivilegeError`` (after logging it once as critical) when `error` is a
    /// refused privilege or login; returns otherwise, so the caller retries what may pass.
    public static func stopIfMissingPrivilege(_ error: any Error, service: String, logger: Logger) throws {
        guard let error = error as? PostgresError, error.isMissingPrivilege, let sqlState = error.sqlState else {
            return
        }
        let refusal = MissingPrivilegeError(
            service: service, sqlState: sqlState, serverMessage: error.message ?? error.reason ?? "\(error)")
        logger.critical(
            "The database login lacks a privilege ipcased needs; stopping",
            metadata: [
                "service": "\(service)", "postgres.sqlstate": "\(sqlState)",
                "postgres.message": "\(refusal.serverMessage)",
                "hint": "apply Deploy/postgres-roles.sql, migrate as ipcase_owner, connect as the ipcased login",
            ])
        throw refusal
    }
}
