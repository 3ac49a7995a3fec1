import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseSamples
import IPCaseStore
import IPCaseTestSupport
import Logging
import PostgresClient
import PostgresServer
import Testing

/// Runs the real `ipcase` executable built next to this test bundle.
enum Binary {
    typealias Output = ProcessOutput

    /// The `ipcase` executable in the build products directory (the test bundle's directory or a parent).
    static let path: String = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("ipcase").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        for bundle in Bundle.allBundles {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("ipcase").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "ipcase"
    }()

    /// Runs `ipcase arguments…` with `IPCASE_DATABASE_URL` set to `database` (when given).
    /// The wait is asynchronous (``ProcessOutput/run(_:_:environment:)``).
    static func run(_ arguments: [String], database: String? = nil) async throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment["IPCASE_DATABASE_URL"] = database
        return try await ProcessOutput.run(URL(fileURLWithPath: path), arguments, environment: environment)
    }
}

/// Databases for the tests on the shared throwaway PostgreSQL.
enum Databases {
    static let asOf = try! CivilDate(iso: "2025-06-30")

    static var quiet: Logger {
        var logger = Logger(label: "ipcase-tests")
        logger.logLevel = .warning
        return logger
    }

    /// A new migrated database with one office; returns its URL and the office key.
    static func empty(officeName: String = "Test Office") async throws -> (url: String, office: ID<Office>) {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "ipcase_cli")
        let store = try await Store.connect(url: url, logger: quiet)
        defer { Task { await store.connection.close() } }
        _ = try await Migrator.embedded(logger: quiet).migrate(on: store.connection)
        let office = try await store.withService(actor: "test") { session in
            try await session.createOffice(
                Office(
                    id: 0, name: officeName, region: .almatyCity, kind: .university,
                    timeZoneIdentifier: "Asia/Almaty", calendarJurisdiction: .kazakhstan))
        }
        return (url, office.id)
    }

    /// The demo portfolio loaded and its deadlines processed as of ``asOf`` (built once).
    static let demo: Task<String, any Error> = Task {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "ipcase_cli_demo")
        let store = try await Store.connect(url: url, logger: quiet)
        _ = try await Migrator.embedded(logger: quiet).migrate(on: store.connection)
        _ = try await DemoLoader.load(SamplePortfolio.generate(seed: Demo.seed, asOf: asOf), into: store)
        _ = try await DeadlineProcessing.processPendingJobs(store: store, asOf: asOf)
        await store.connection.close()
        return url
    }

    /// A new login of `group` (`ipcase_app`, or `ipcase_report` as a `viewer`; no superuser, no
    /// BYPASSRLS), member of `office` only, as an operator creates one with
    /// `Deploy/postgres-roles.sql`; returns `url` with it.
    static func appLogin(
        _ url: String, office: ID<Office>, prefix: String = "t_login", group: String = "ipcase_app",
        role: String = "officer"
    ) async throws -> String {
        let name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw\(UInt64.random(in: 0...UInt64.max))"
        let owner = try await PostgresConnection.connect(url: url)
        try await owner.executeScript(
            """
            CREATE ROLE \(PostgresQuery.quoteIdentifier(name)) LOGIN NOSUPERUSER NOBYPASSRLS
                PASSWORD '\(password)' IN ROLE \(PostgresQuery.quoteIdentifier(group))
            """)
        _ = try await owner.execute(
            "INSERT INTO office_members (office_id, login, role) VALUES (\(office), \(name), \(role))")
        await owner.close()
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let host = rest.firstIndex(of: "@").map { rest[rest.index(after: $0)...] } ?? rest
        return "\(url[..<scheme.upperBound])\(name):\(password)@\(host)"
    }

    /// Runs one SQL query returning a single integer.
    static func count(_ url: String, _ sql: String) async throws -> Int {
        let store = try await Store.connect(url: url, logger: quiet)
        let rows = try await store.connection.query(PostgresQuery(unsafeSQL: sql))
        await store.connection.close()
        return try rows[0].decode(Int.self, at: 0)
    }

    /// Runs one SQL query returning text in its first column; the values in row order.
    static func strings(_ url: String, _ sql: String) async throws -> [String] {
        let store = try await Store.connect(url: url, logger: quiet)
        let rows = try await store.connection.query(PostgresQuery(unsafeSQL: sql))
        await store.connection.close()
        return try rows.map { try $0.decode(String.self, at: 0) }
    }
}

/// Writes `text` to a temporary file named `name` in a new directory; returns its path.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// `ipcase … --office OFFICE` against one database, as one login.
struct OfficeCLI {
    let url: String
    let office: ID<Office>

    /// The command's output, whatever its exit status.
    func run(_ arguments: [String]) async throws -> Binary.Output {
        try await Binary.run(arguments + ["--office", String(office.rawValue)], database: url)
    }

    /// The command's standard output; it must succeed.
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let output = try await run(arguments)
        #expect(output.status == 0, "\(arguments): \(output.stderr)", sourceLocation: sourceLocation)
        return output.stdout
    }
}
