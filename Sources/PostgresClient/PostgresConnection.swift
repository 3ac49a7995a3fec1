import CLibPQ
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One connection to PostgreSQL through libpq.
///
/// An actor whose executor is a dedicated thread: every libpq call runs there, off Swift's
/// cooperative thread pool, and the actor gives the connection one owner at a time.
///
/// ```swift
/// let connection = try await PostgresConnection.connect(url: "postgresql://ipcase@localhost/ipcase")
/// let rows = try await connection.query("SELECT id, title FROM rights WHERE office_id = \(office)")
/// for row in rows { let (id, title) = try row.decode(Int.self, String.self) }
/// await connection.close()
/// ```
public actor PostgresConnection {
    private let executor: ConnectionExecutor
    /// The dedicated thread this connection's work runs on.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The libpq connection (`PGconn *`); `nil` once closed or broken.
    private var handle: OpaquePointer?
    let logger: Logger
    /// A pipe whose write end wakes a notification wait on cancellation.
    private nonisolated let wakeRead: Int32
    private nonisolated let wakeWrite: Int32
    /// Receives the server's notices and warnings (logged at debug level instead of printed).
    private let noticeSink: NoticeSink
    /// True while a `withTransaction` body runs.
    var transactionOwnerActive = false
    /// A cancel request still being delivered (the next statement waits for it).
    var pendingCancel: CancelDelivery?

    private init(logger: Logger) {
        self.executor = ConnectionExecutor(name: "postgres-connection")
        self.logger = logger
        self.noticeSink = NoticeSink(logger: logger)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        if wakeRead >= 0 { closeDescriptor(wakeRead) }
        if wakeWrite >= 0 { closeDescriptor(wakeWrite) }
        executor.shutdown()
    }

    // MARK: Connecting

    /// Connects with a `postgresql://` URL (TLS options such as `sslmode` pass through to libpq).
    ///
    /// - Parameters:
    ///   - url: e.g. `postgresql://user:secret@host:5432/db?sslmode=require`; never logged.
    ///   - applicationName: shown in `pg_stat_activity` unless the URL sets one.
    ///   - logger: receives connection events (never the URL or password).
    /// - Throws: ``PostgresError`` with code `.connectionFailed` and libpq's reason.
    public static func connect(
        url: String, applicationName: String = "ipcase", logger: Logger = Logger(label: "PostgresClient")
    ) async throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(logger: logger)
        try await connection.openCancellable(conninfo: url, applicationName: applicationName)
        return connection
    }

    /// Connects with a libpq connection string such as `host=/run/postgresql dbname=ipcase`.
    public static func connect(
        conninfo: String, applicationName: String = "ipcase", logger: Logger = Logger(label: "PostgresClient")
    ) async throws(PostgresError) -> PostgresConnection {
        try await connect(url: conninfo, applicationName: applicationName, logger: logger)
    }

    private func openCancellable(conninfo: String, applicationName: String) async throws(PostgresError) {
        try await cancellable { () throws(PostgresError) in try open(conninfo: conninfo, applicationName: applicationName) }
    }

    private func open(conninfo: String, applicationName: String) throws(PostgresError) {
        guard !conninfo.utf8.contains(0), !applicationName.utf8.contains(0) else {
            throw PostgresError(code: .connectionFailed, reason: "the connection string contains a NUL character")
        }
        // Array entries before dbname may be overridden by the URL; those after it override the URL.
        // TCP keepalives notice a server that vanished without closing (about 90 s), also mid-statement.
        let keywords = [
            "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count", "application_name",
            "dbname", "client_encoding",
        ]
        let values = ["10", "60", "10", "3", applicationName, conninfo, "UTF8"]
        let connection = try startConnection(keywords: keywords, values: values)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.libpqMessage(connection)
            PQfinish(connection)
            var error = PostgresError(code: .connectionFailed, reason: message)
            error.message = message
            error.sqlState = Self.refusedLoginState(message: message, needsPassword: PQconnectionNeedsPassword(connection) == 1)
            logger.debug("postgres connect failed", metadata: ["postgres.reason": "\(message)"])
            throw error
        }
        handle = connection
        PQsetNoticeProcessor(connection, noticeProcessor, Unmanaged.passUnretained(noticeSink).toOpaque())
        _ = try runSimple("SET DateStyle TO ISO, YMD; SET IntervalStyle TO postgres")
        logger.debug(
            "postgres connected",
            metadata: [
                "postgres.host": "\(PQhost(connection).map { String(cString: $0) } ?? "")",
                "postgres.port": "\(PQport(connection).map { String(cString: $0) } ?? "")",
                "postgres.database": "\(PQdb(connection).map { String(cString: $0) } ?? "")",
            ])
    }

    /// Closes the connection; later calls throw `.connectionClosed`.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
            logger.debug("postgres connection closed")
        }
    }

    /// True once closed, or when the server went away.
    public var isClosed: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    /// The server's process id for this session (`pg_backend_pid()`).
    public var backendPID: Int32 {
        handle.map { PQbackendPID($0) } ?? 0
    }

    // MARK: Queries

    /// Runs a statement and returns its rows.
    ///
    /// - Throws: ``PostgresError``: `.server` with the SQLSTATE, `.invalidParameter` when a
    ///   value cannot be sent, `.connectionClosed` when the server went away.
    public func query(_ query: PostgresQuery) async throws(PostgresError) -> [PostgresRow] {
        Array(try run(query))
    }

    /// Runs a statement and returns its full result (rows, columns, affected rows).
    public func result(_ query: PostgresQuery) async throws(PostgresError) -> PostgresResult {
        try run(query)
    }

    /// Runs a statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws(PostgresError) -> Int {
        try run(query).affectedRows
    }

    /// Runs SQL text with the simple query protocol: several statements, no parameters (migrations).
    public func executeScript(_ sql: String) async throws(PostgresError) {
        guard !sql.utf8.contains(0) else {
            throw PostgresError(code: .invalidParameter, reason: "the SQL text contains a NUL character")
        }
        _ = try runSimple(sql)
    }

    /// Prepares a named statement on this connection.
    ///
    /// ```swift
    /// let insert = try await connection.prepare(name: "insert_event", sql: "INSERT INTO events (right_id, kind) VALUES ($1, $2)")
    /// try await connection.execute(insert, [rightID, "filed"])
    /// ```
    public func prepare(
        name: String, sql: String, parameterTypes: [PostgresType] = []
    ) async throws(PostgresError) -> PostgresPreparedStatement {
        try checkOwner()
        guard !name.utf8.contains(0), !sql.utf8.contains(0) else {
            throw PostgresError(code: .invalidParameter, reason: "the statement name or SQL contains a NUL character")
        }
        let connection = try liveHandle()
        let oids = parameterTypes.map(\.oid)
        _ = try exec(connection) { PQsendPrepare(connection, name, sql, Int32(oids.count), oids.isEmpty ? nil : oids) }
        return PostgresPreparedStatement(name: name)
    }

    /// Executes a prepared statement and returns its rows.
    public func query(
        _ statement: PostgresPreparedStatement, _ values: [any PostgresEncodable]
    ) async throws(PostgresError) -> [PostgresRow] {
        Array(try runPrepared(statement, PostgresBindings(values)))
    }

    /// Executes a prepared statement and returns the number of rows it affected.
    @discardableResult
    public func execute(
        _ statement: PostgresPreparedStatement, _ values: [any PostgresEncodable]
    ) async throws(PostgresError) -> Int {
        try runPrepared(statement, PostgresBindings(values)).affectedRows
    }

    // MARK: Internals shared by the extensions

    /// The live libpq handle, or `.connectionClosed`.
    func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else {
            throw PostgresError(code: .connectionClosed, reason: "the connection is closed")
        }
        return handle
    }

    /// Refuses use from another task while a transaction body runs on this connection.
    func checkOwner() throws(PostgresError) {
        if transactionOwnerActive && TransactionContext.owner != ObjectIdentifier(self) {
            throw PostgresError(
                code: .invalidUsage,
                reason: "the connection is inside a transaction owned by another task; use one connection per task")
        }
    }

    func run(_ query: PostgresQuery) throws(PostgresError) -> PostgresResult {
        try checkOwner()
        try query.validate()
        let connection = try liveHandle()
        PostgresStatementRecorder.record(query)
        return try exec(connection) {
            withParameters(query.bindings) { types, values, count in
                PQsendQueryParams(connection, query.sql, count, types, values, nil, nil, 0)
            }
        }
    }

    private func runPrepared(
        _ statement: PostgresPreparedStatement, _ bindings: PostgresBindings
    ) throws(PostgresError) -> PostgresResult {
        try checkOwner()
        try bindings.validate()
        let connection = try liveHandle()
        return try exec(connection) {
            withParameters(bindings) { _, values, count in
                PQsendQueryPrepared(connection, statement.name, count, values, nil, nil, 0)
            }
        }
    }

    /// Runs SQL with the simple protocol (`PQsendQuery`) and returns the last result.
    func runSimple(_ sql: String) throws(PostgresError) -> PostgresResult {
        try checkOwner()
        let connection = try liveHandle()
        PostgresStatementRecorder.record(simple: sql)
        return try exec(connection) { PQsendQuery(connection, sql) }
    }

    /// Turns a libpq result into rows or an error, and notices a lost connection.
    func consume(_ result: borrowing OwnedResult, _ connection: OpaquePointer) throws(PostgresError) -> PostgresResult {
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return result.copyOut()
        case PGRES_EMPTY_QUERY:
            return PostgresResult(storage: .empty, affectedRows: 0, commandTag: "")
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw lostOrFailed(connection, server: result.error())
        default:
            throw unexpected(result.status)
        }
    }

    /// The error for a failed call: `.connectionClosed` when the connection broke (and closes it).
    func lostOrFailed(_ connection: OpaquePointer, server: PostgresError?) -> PostgresError {
        if PQstatus(connection) == CONNECTION_BAD {
            let message = Self.libpqMessage(connection)
            var error = server ?? PostgresError(code: .connectionClosed)
            error.code = .connectionClosed
            error.reason = "the connection to the server was lost: \(message)"
            if error.message == nil { error.message = message }
            logger.debug("postgres connection lost", metadata: ["postgres.reason": "\(message)"])
            close()
            return error
        }
        if let server { return server }
        let message = Self.libpqMessage(connection)
        var error = PostgresError(code: .unexpectedResult, reason: message)
        error.message = message
        return error
    }

    func unexpected(_ status: ExecStatusType) -> PostgresError {
        let name = PQresStatus(status).map { String(cString: $0) } ?? "\(status)"
        return PostgresError(code: .unexpectedResult, reason: "libpq returned \(name)")
    }

    /// The SQLSTATE of a login the server refused, read from libpq's message (libpq keeps the
    /// SQLSTATE of a failed connection to itself): `28P01` wrong or missing password, `28000`
    /// no pg_hba.conf entry, no such role or one that may not log in, `42501` no CONNECT privilege. `nil`
    /// for everything else (e.g. the server is down), and for messages in another language.
    static func refusedLoginState(message: String, needsPassword: Bool) -> String? {
        if needsPassword || message.contains("password authentication failed") { return "28P01" }
        if message.contains("no pg_hba.conf entry") || message.contains("is not permitted to log in")
            || (message.contains("role \"") && message.contains("\" does not exist"))
        {
            return "28000"
        }
        if message.contains("permission denied for database") { return "42501" }
        return nil
    }

    /// libpq's error message on one line.
    static func libpqMessage(_ connection: OpaquePointer) -> String {
        let raw = PQerrorMessage(connection).map { String(cString: $0) } ?? ""
        let lines = raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let text = lines.filter { !$0.isEmpty }.joined(separator: "; ")
        return text.isEmpty ? "no message from libpq" : text
    }

    /// Wakes a notification wait (called on cancellation, from any thread).
    nonisolated func wake() {
        var byte: UInt8 = 1
        _ = writeDescriptor(wakeWrite, &byte, 1)
    }

    /// Empties the wake-up pipe.
    func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while readDescriptor(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// The read end of the wake-up pipe, for `poll`.
    var wakeDescriptor: Int32 { wakeRead }
}

/// Forwards libpq notices to the connection's logger.
final class NoticeSink: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}

/// libpq's notice processor: `context` is the connection's ``NoticeSink``, alive as long as the connection.
private let noticeProcessor: PQnoticeProcessor = { context, message in
    guard let context, let message else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
    let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    sink.logger.debug("postgres notice", metadata: ["postgres.notice": "\(text)"])
}

/// A statement prepared on one connection with ``PostgresConnection/prepare(name:sql:parameterTypes:)``.
public struct PostgresPreparedStatement: Sendable, Hashable {
    /// The statement's name on the server.
    public let name: String
}

/// The task that owns a connection's running transaction.
enum TransactionContext {
    @TaskLocal static var owner: ObjectIdentifier?
}

/// Calls `body` with the parameters as C arrays (types, values, count).
func withParameters<R>(
    _ bindings: PostgresBindings,
    _ body: (UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> R
) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = bindings.values.map { $0.map { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    let types = bindings.types.map(\.oid)
    return types.withUnsafeBufferPointer { typeBuffer in
        pointers.withUnsafeBufferPointer { valueBuffer in
            body(typeBuffer.baseAddress, valueBuffer.baseAddress, Int32(bindings.count))
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { for copy in copies { free(copy) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

#if canImport(Glibc)
    private func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
    private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        Glibc.read(fd, buffer, count)
    }
    private func writeDescriptor(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        Glibc.write(fd, buffer, count)
    }
#elseif canImport(Darwin)
    private func closeDescriptor(_ fd: Int32) { _ = Darwin.close(fd) }
    private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        Darwin.read(fd, buffer, count)
    }
    private func writeDescriptor(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        Darwin.write(fd, buffer, count)
    }
#endif
