import Foundation
import Logging
import PostgresClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL server for tests, the demo and benchmarks, with a fresh database per caller.
///
/// Without `IPCASE_TEST_DATABASE_URL`, it creates a cluster with `initdb` in a temporary
/// directory, starts it on a free port on 127.0.0.1 and a private socket directory (as the
/// `postgres` user when run as root), and removes everything when the process ends — also when
/// it crashes or is killed, through a watcher process. With `IPCASE_TEST_DATABASE_URL` set, it
/// creates the databases on that server instead.
///
/// ```swift
/// let url = try await ThrowawayPostgres.shared.createDatabase()
/// let connection = try await PostgresConnection.connect(url: url)
/// ```
public actor ThrowawayPostgres {
    /// The environment variable naming an existing server to create test databases on.
    public static let externalURLVariable = "IPCASE_TEST_DATABASE_URL"

    private enum Mode {
        case local(LocalCluster)
        case external(baseURL: String)
    }

    private let mode: Mode
    private let logger: Logger
    private var admin: PostgresConnection?
    private var databaseCounter = 0
    private var destroyed = false

    private init(mode: Mode, logger: Logger) {
        self.mode = mode
        self.logger = logger
    }

    /// The process-wide server, started once on first use and shared by concurrent test suites.
    public static var shared: ThrowawayPostgres {
        get async throws { try await sharedTask.value }
    }

    private static let sharedTask = Task<ThrowawayPostgres, any Error> {
        let logger = Logger(label: "ThrowawayPostgres")
        if let url = ProcessInfo.processInfo.environment[externalURLVariable], !url.isEmpty {
            return ThrowawayPostgres(mode: .external(baseURL: url), logger: logger)
        }
        return try await startLocal(logger: logger)
    }

    /// Starts a new private local cluster (never the external server), e.g. to stop it in a test.
    ///
    /// - Parameter passwordAuthentication: logins other than `postgres` connect over TCP with their
    ///   password (SCRAM-SHA-256), as in production; by default every login is trusted.
    /// - Throws: ``ThrowawayPostgresError`` with one line saying what to install when the
    ///   PostgreSQL server programs are missing.
    public static func startLocal(
        passwordAuthentication: Bool = false, logger: Logger = Logger(label: "ThrowawayPostgres")
    ) async throws -> ThrowawayPostgres {
        let cluster = try await LocalCluster.create(passwordAuthentication: passwordAuthentication, logger: logger)
        return ThrowawayPostgres(mode: .local(cluster), logger: logger)
    }

    /// The directory of the PostgreSQL programs the throwaway servers use (`initdb`, `pgbench`, …).
    public static func binaryDirectory() async throws -> String {
        try await LocalCluster.findBinaries()
    }

    /// Uses an existing server (as with `IPCASE_TEST_DATABASE_URL`): databases are created on it.
    ///
    /// - Parameter url: a URL or conninfo whose user may `CREATE DATABASE`.
    public static func external(url: String, logger: Logger = Logger(label: "ThrowawayPostgres")) -> ThrowawayPostgres {
        ThrowawayPostgres(mode: .external(baseURL: url), logger: logger)
    }

    /// True when this instance uses the server of `IPCASE_TEST_DATABASE_URL`.
    public var isExternal: Bool {
        switch mode {
        case .local: false
        case .external: true
        }
    }

    /// The TCP port of a local cluster (`nil` for an external server).
    public var port: Int? {
        switch mode {
        case .local(let cluster): cluster.port
        case .external: nil
        }
    }

    /// Creates a new empty database and returns its URL.
    ///
    /// - Parameter prefix: the start of the database name (letters, digits, `_`).
    public func createDatabase(prefix: String = "ipcase_test") async throws -> String {
        guard !destroyed else { throw ThrowawayPostgresError("the throwaway PostgreSQL was already destroyed") }
        guard !prefix.isEmpty, prefix.utf8.allSatisfy({ $0 == 95 || (48...57).contains($0) || (97...122).contains($0) })
        else { throw ThrowawayPostgresError("a database name prefix must be lowercase letters, digits and _") }
        databaseCounter += 1
        let name = "\(prefix)_\(getpid())_\(databaseCounter)_\(UInt32.random(in: 0...UInt32.max))"
        let connection = try await adminConnection()
        do {
            try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(PostgresQuery.quoteIdentifier(name))"))
        } catch {
            if error.code == .connectionClosed { admin = nil }
            throw error
        }
        logger.debug("throwaway database created", metadata: ["postgres.database": "\(name)"])
        return url(database: name)
    }

    /// The URL of `database` on this server.
    public func url(database: String) -> String {
        switch mode {
        case .local(let cluster):
            return "postgresql://postgres@127.0.0.1:\(cluster.port)/\(database)"
        case .external(let base):
            return Self.replacingDatabase(in: base, with: database)
        }
    }

    /// Starts a hot standby of this local server (streaming replication, read-only), for tests
    /// of reads served by a replica; databases created here appear there once replayed.
    public func startStandby() async throws -> ThrowawayPostgres {
        guard case .local(let cluster) = mode else {
            throw ThrowawayPostgresError("a standby is made of a local server only")
        }
        return ThrowawayPostgres(mode: .local(try await cluster.makeStandby(logger: logger)), logger: logger)
    }

    /// Stops the local server, keeping its data (open connections break).
    public func stopServer() async throws {
        guard case .local(let cluster) = mode else {
            throw ThrowawayPostgresError("an external server (\(Self.externalURLVariable)) cannot be stopped")
        }
        await admin?.close()
        admin = nil
        try await cluster.stop(mode: "fast")
    }

    /// Starts the local server again on the same port after ``stopServer()``.
    public func startServer() async throws {
        guard case .local(let cluster) = mode else {
            throw ThrowawayPostgresError("an external server (\(Self.externalURLVariable)) cannot be started")
        }
        try await cluster.start()
    }

    /// Stops a local server and removes its directory (an external server is left as it is).
    public func destroy() async {
        guard !destroyed else { return }
        destroyed = true
        await admin?.close()
        admin = nil
        if case .local(let cluster) = mode { await cluster.destroy() }
    }

    private func adminConnection() async throws -> PostgresConnection {
        if let admin, await !admin.isClosed { return admin }
        let base: String
        switch mode {
        case .local(let cluster): base = "postgresql://postgres@127.0.0.1:\(cluster.port)/postgres"
        case .external(let url): base = url
        }
        let connection = try await PostgresConnection.connect(
            url: base, applicationName: "ipcase-throwaway", logger: logger)
        admin = connection
        return connection
    }

    /// `base` with its database replaced: the path of a URL, or a trailing `dbname=` of a conninfo.
    static func replacingDatabase(in base: String, with database: String) -> String {
        if base.hasPrefix("postgresql://") || base.hasPrefix("postgres://"),
            var components = URLComponents(string: base)
        {
            components.path = "/" + database
            if let url = components.string { return url }
        }
        return base + " dbname=\(database)"
    }
}

/// A failure to provide a throwaway PostgreSQL, in one line.
public struct ThrowawayPostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var description: String
    /// Creates an error with its one-line description.
    public init(_ description: String) { self.description = description }
}
