/// An error from PostgreSQL or from this client, safe to log.
///
/// `description` names the kind of failure, the SQLSTATE and schema objects (constraint,
/// table, column) but never parameter values nor the server's message text, which may echo
/// them; `debugDescription` adds the server's message, detail and hint.
///
/// ```swift
/// do { try await connection.execute("INSERT INTO people (email) VALUES (\(email))") }
/// catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation { … }
/// ```
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure: an open set of static codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionFailed
            case connectionClosed
            case server
            case decoding
            case invalidParameter
            case invalidUsage
            case pipelineAborted
            case unexpectedResult
            case cancelled
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Connecting failed (bad address, refused, authentication, TLS).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection is closed or broke (the server went away); open a new one.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server reported an error; see ``PostgresError/sqlState``.
        public static let server = Code(.server)
        /// A value did not decode as the requested Swift type.
        public static let decoding = Code(.decoding)
        /// A parameter cannot be sent (e.g. a string containing NUL); nothing reached the server.
        public static let invalidParameter = Code(.invalidParameter)
        /// The API was used in a way it does not support (e.g. nested transactions).
        public static let invalidUsage = Code(.invalidUsage)
        /// A statement of a pipeline was not executed because an earlier one failed.
        public static let pipelineAborted = Code(.pipelineAborted)
        /// libpq returned a result this client did not expect.
        public static let unexpectedResult = Code(.unexpectedResult)
        /// The task was cancelled: its statement was cancelled on the server (SQLSTATE `57014`), or
        /// the connection closed when the server did not answer in time, or connecting stopped.
        public static let cancelled = Code(.cancelled)

        /// The code's name, e.g. `server`.
        public var description: String { base.rawValue }
    }

    /// Well-known SQLSTATE values.
    public enum SQLState {
        /// `23505` unique_violation.
        public static let uniqueViolation = "23505"
        /// `23503` foreign_key_violation.
        public static let foreignKeyViolation = "23503"
        /// `23502` not_null_violation.
        public static let notNullViolation = "23502"
        /// `23514` check_violation.
        public static let checkViolation = "23514"
        /// `40001` serialization_failure.
        public static let serializationFailure = "40001"
        /// `40P01` deadlock_detected.
        public static let deadlockDetected = "40P01"
        /// `57014` query_canceled.
        public static let queryCanceled = "57014"
        /// `57P01` admin_shutdown.
        public static let adminShutdown = "57P01"
        /// `42501` insufficient_privilege (also a connection to a database without CONNECT).
        public static let insufficientPrivilege = "42501"
        /// `28P01` invalid_password (also a password required and not given).
        public static let invalidPassword = "28P01"
        /// `28000` invalid_authorization_specification (no pg_hba.conf entry, NOLOGIN role).
        public static let invalidAuthorization = "28000"
    }

    /// The kind of failure.
    public var code: Code
    /// The five-character SQLSTATE when the server sent one, e.g. `23505`.
    public var sqlState: String?
    /// The server's or libpq's primary message (may contain data: not in `description`).
    public var message: String?
    /// The server's detail (may contain data: not in `description`).
    public var detail: String?
    /// The server's hint.
    public var hint: String?
    /// The schema, table, column, constraint or data type the server named.
    public var schemaName: String?
    /// The table the server named.
    public var tableName: String?
    /// The column the server named, or the result column that failed to decode.
    public var columnName: String?
    /// The index of the result column that failed to decode.
    public var columnIndex: Int?
    /// The constraint the server named.
    public var constraintName: String?
    /// The 1-based character position in the SQL text where the server found the error.
    public var statementPosition: Int?
    /// The Swift type a value failed to decode as.
    public var expectedType: String?
    /// The index of the failing statement in a pipeline or of the failing parameter (`$n` is n - 1).
    public var position: Int?
    /// A short explanation written by this client (never contains parameter values).
    public var reason: String?

    /// Creates an error of the given code.
    public init(code: Code, reason: String? = nil) {
        self.code = code
        self.reason = reason
    }

    /// True for serialization failures and deadlocks, which succeed when the transaction is retried.
    public var isRetryable: Bool {
        sqlState == SQLState.serializationFailure || sqlState == SQLState.deadlockDetected
    }

    /// True when the server refused the login or a statement for lack of a privilege
    /// (`42501`, `28P01`, `28000`): retrying the same thing cannot succeed.
    public var isMissingPrivilege: Bool {
        sqlState == SQLState.insufficientPrivilege || sqlState == SQLState.invalidPassword
            || sqlState == SQLState.invalidAuthorization
    }

    /// A description without parameter values, safe to log.
    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState {
            text += " \(sqlState)"
            if let name = PostgresError.conditionNames[sqlState] { text += " \(name)" }
        }
        var objects: [String] = []
        if let constraintName { objects.append("constraint \(constraintName)") }
        if let schemaName { objects.append("schema \(schemaName)") }
        if let tableName { objects.append("table \(tableName)") }
        if let columnName {
            objects.append(columnIndex.map { "column \(columnName) (index \($0))" } ?? "column \(columnName)")
        } else if let columnIndex {
            objects.append("column index \(columnIndex)")
        }
        if let expectedType { objects.append("expected \(expectedType)") }
        if !objects.isEmpty { text += " (" + objects.joined(separator: ", ") + ")" }
        if let reason { text += ": \(reason)" }
        return text
    }

    /// The description plus the server's message, detail and hint (may contain data values).
    public var debugDescription: String {
        var text = description
        if let message { text += "\nmessage: \(message)" }
        if let detail { text += "\ndetail: \(detail)" }
        if let hint { text += "\nhint: \(hint)" }
        return text
    }

    /// Names of common SQLSTATE codes, for descriptions.
    static let conditionNames: [String: String] = [
        "08000": "connection_exception", "08003": "connection_does_not_exist",
        "08006": "connection_failure", "08001": "sqlclient_unable_to_establish_sqlconnection",
        "08004": "sqlserver_rejected_establishment_of_sqlconnection",
        "22001": "string_data_right_truncation", "22003": "numeric_value_out_of_range",
        "22007": "invalid_datetime_format", "22008": "datetime_field_overflow",
        "22012": "division_by_zero", "22021": "character_not_in_repertoire",
        "22P02": "invalid_text_representation", "23502": "not_null_violation",
        "23503": "foreign_key_violation", "23505": "unique_violation", "23514": "check_violation",
        "23P01": "exclusion_violation", "25001": "active_sql_transaction",
        "25P02": "in_failed_sql_transaction", "28000": "invalid_authorization_specification",
        "28P01": "invalid_password", "3D000": "invalid_catalog_name",
        "40001": "serialization_failure", "40P01": "deadlock_detected", "42501": "insufficient_privilege",
        "42601": "syntax_error", "42703": "undefined_column", "42704": "undefined_object",
        "42710": "duplicate_object", "42804": "datatype_mismatch", "42883": "undefined_function",
        "42P01": "undefined_table", "42P05": "duplicate_prepared_statement",
        "42P07": "duplicate_table", "42P18": "indeterminate_datatype", "53300": "too_many_connections",
        "55P03": "lock_not_available", "57014": "query_canceled", "57P01": "admin_shutdown",
        "57P02": "crash_shutdown", "57P03": "cannot_connect_now", "P0001": "raise_exception",
    ]
}
