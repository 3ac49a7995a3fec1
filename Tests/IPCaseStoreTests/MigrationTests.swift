import Foundation
import IPCaseStore
import PostgresClient
import PostgresServer
import Testing

/// A new empty database and a connection to it.
private func freshDatabase() async throws -> (url: String, connection: PostgresConnection) {
    let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "migration")
    return (url, try await PostgresConnection.connect(url: url))
}

private func migrations(_ files: [(String, String)]) throws -> [Migration] {
    try files.map { try Migration(fileName: $0.0, sql: $0.1) }
}

private let sample: [(String, String)] = [
    ("0001_people.sql", "CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL);"),
    ("0002_rights.sql", "CREATE TABLE rights (id bigserial PRIMARY KEY, owner bigint REFERENCES people);\nCREATE INDEX rights_owner ON rights (owner);"),
    ("0010_seed.sql", "INSERT INTO people (name) VALUES ('Әлия'), ('Ivan');"),
]

@Suite("Schema migrations")
struct MigrationTests {
    @Test func embeddedMigrationsStartWithTheFoundation() throws {
        let embedded = try Migration.embedded()
        #expect(embedded.first?.fileName == "0001_foundation.sql")
        #expect(embedded.map(\.version) == embedded.map(\.version).sorted())
        #expect(embedded.first?.sql.contains("CREATE TABLE ipcase_meta") == true)
    }

    @Test func embeddedMigrationsApplyToAnEmptyDatabase() async throws {
        let (_, connection) = try await freshDatabase()
        let report = try await Migrator.embedded().migrate(on: connection)
        #expect(report.applied.map(\.fileName) == (try Migration.embedded()).map(\.fileName))
        #expect(try await connection.query("SELECT value FROM ipcase_meta WHERE key = 'schema'")[0].decode(String.self) == "ipcase")
    }

    @Test func applyingTwiceIsANoOp() async throws {
        let (_, connection) = try await freshDatabase()
        let migrator = try Migrator(migrations: migrations(sample))
        let first = try await migrator.migrate(on: connection)
        #expect(first.applied.map(\.version) == [1, 2, 10])
        let second = try await migrator.migrate(on: connection)
        #expect(second.applied.isEmpty && second.alreadyApplied == 3)
        #expect(try await connection.query("SELECT count(*) FROM people")[0].decode(Int.self) == 2)
        let recorded = try await connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        #expect(try recorded.map { try $0.decode(Int.self, at: 0) } == [1, 2, 10])
        #expect(try recorded[0].decode(String.self, column: "name") == "0001_people.sql")
        #expect(try recorded[0].decode(String.self, column: "checksum").count == 64)
    }

    @Test func statusOfANeverMigratedDatabaseIsAllPendingAndCreatesNothing() async throws {
        let (_, connection) = try await freshDatabase()
        let status = try await Migrator(migrations: migrations(sample)).status(on: connection)
        #expect(status.map(\.state) == [.pending, .pending, .pending])
        #expect(try await connection.query("SELECT to_regclass('schema_migrations') IS NULL")[0].decode(Bool.self))
    }

    @Test func statusNeedsOnlyReadingSchemaMigrations() async throws {
        let (url, connection) = try await freshDatabase()
        let migrator = try Migrator(migrations: migrations(sample))
        _ = try await migrator.migrate(on: connection)
        // A login that may read schema_migrations and create nothing, like the daemon's.
        let login = "reader_\(UInt32.random(in: 0...UInt32.max))"
        try await connection.executeScript(
            """
            CREATE ROLE \(PostgresQuery.quoteIdentifier(login)) LOGIN PASSWORD 'pw';
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT SELECT ON schema_migrations TO \(PostgresQuery.quoteIdentifier(login));
            """)
        let reader = try await PostgresConnection.connect(
            url: url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://\(login):pw@"))
        let status = try await migrator.status(on: reader)
        await reader.close()
        #expect(status.count == 3)
        #expect(status.allSatisfy { if case .applied = $0.state { true } else { false } })
    }

    @Test func laterFilesApplyOnTopOfEarlierOnes() async throws {
        let (_, connection) = try await freshDatabase()
        _ = try await Migrator(migrations: migrations(Array(sample.prefix(1)))).migrate(on: connection)
        let report = try await Migrator(migrations: migrations(sample)).migrate(on: connection)
        #expect(report.applied.map(\.fileName) == ["0002_rights.sql", "0010_seed.sql"])
        #expect(report.alreadyApplied == 1)
    }

    @Test func twoMigratorsAtOnceApplyEachFileOnce() async throws {
        let (url, setup) = try await freshDatabase()
        await setup.close()
        let files = sample + [("0011_slow.sql", "SELECT pg_sleep(0.3); INSERT INTO people (name) VALUES ('once');")]
        let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let connection = try await PostgresConnection.connect(url: url)
                    return try await Migrator(migrations: migrations(files)).migrate(on: connection)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.map(\.applied.count).sorted() == [0, 0, 4])
        let connection = try await PostgresConnection.connect(url: url)
        #expect(try await connection.query("SELECT count(*) FROM people WHERE name = 'once'")[0].decode(Int.self) == 1)
        #expect(try await connection.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self) == 4)
    }

    @Test func editedAppliedFileIsRefusedByName() async throws {
        let (_, connection) = try await freshDatabase()
        _ = try await Migrator(migrations: migrations(sample)).migrate(on: connection)
        var edited = sample
        edited[1].1 += "\n-- a harmless-looking comment"
        edited.append(("0011_more.sql", "CREATE TABLE more (n int);"))
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(migrations: migrations(edited)).migrate(on: connection)
        }
        #expect(error?.code == .checksumMismatch)
        #expect(error?.fileName == "0002_rights.sql")
        #expect(error?.description.contains("0002_rights.sql") == true)
        #expect(try await connection.query("SELECT to_regclass('more') IS NULL")[0].decode(Bool.self))
        let status = try await Migrator(migrations: migrations(edited)).status(on: connection)
        #expect(status.map(\.state.label) == ["applied", "changed", "applied", "pending"])
    }

    @Test func failingMigrationIsNamedAndLeavesNothingOfItself() async throws {
        let (_, connection) = try await freshDatabase()
        let files = sample + [("0011_broken.sql", "CREATE TABLE half (n int);\nINSERT INTO half VALUES (1);\nCREAT TABLE typo (n int);")]
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(migrations: migrations(files)).migrate(on: connection)
        }
        #expect(error?.code == .failed)
        #expect(error?.fileName == "0011_broken.sql")
        #expect(error?.description.contains("42601") == true)
        #expect(error?.description.contains("line 3") == true)
        #expect(try await connection.query("SELECT to_regclass('half') IS NULL")[0].decode(Bool.self))
        #expect(try await connection.query("SELECT max(version) FROM schema_migrations")[0].decode(Int.self) == 10)
    }

    @Test func databaseNewerThanTheProgramIsRefused() async throws {
        let (_, connection) = try await freshDatabase()
        _ = try await Migrator(migrations: migrations(sample)).migrate(on: connection)
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(migrations: migrations(Array(sample.prefix(2)))).migrate(on: connection)
        }
        #expect(error?.code == .unknownAppliedVersion)
        #expect(error?.fileName == "0010_seed.sql")
    }

    @Test(arguments: ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "0001_.sql", "0001_name.txt", "abcd_name.sql", "0000_zero.sql", "sub/0001_x.sql"])
    func malformedFileNamesAreRefused(_ name: String) {
        let error = #expect(throws: MigrationError.self) { try Migration(fileName: name, sql: "SELECT 1;") }
        #expect(error?.code == .malformedName)
        #expect(error?.description.contains(name) == true)
    }

    @Test func repeatedVersionsAreRefused() throws {
        let error = #expect(throws: MigrationError.self) {
            try Migrator(migrations: migrations([("0001_a.sql", "SELECT 1;"), ("0001_b.sql", "SELECT 2;")]))
        }
        #expect(error?.code == .duplicateVersion)
    }

    @Test func databaseURLComesFromTheOptionThenTheEnvironment() {
        let environment = [DatabaseURLOption.environmentVariable: "postgresql://env/db"]
        #expect(DatabaseURLOption.resolve(option: "postgresql://option/db", environment: environment) == "postgresql://option/db")
        #expect(DatabaseURLOption.resolve(option: nil, environment: environment) == "postgresql://env/db")
        #expect(DatabaseURLOption.resolve(option: nil, environment: [:]) == nil)
        #expect(DatabaseURLOption.resolve(option: "", environment: [DatabaseURLOption.environmentVariable: ""]) == nil)
        #expect(DatabaseURLOption.missingMessage(command: "ipcase migrate").contains("IPCASE_DATABASE_URL"))
    }

    @Test func migrateCommandAppliesThenReportsUpToDate() async throws {
        let (url, _) = try await freshDatabase()
        var lines: [String] = []
        try await MigrateCommandRunner.run(databaseURL: url, statusOnly: false, logger: .init(label: "test")) { lines.append($0) }
        #expect(lines.first == "applied   0001_foundation.sql")
        lines = []
        try await MigrateCommandRunner.run(databaseURL: url, statusOnly: false, logger: .init(label: "test")) { lines.append($0) }
        #expect(lines.last?.hasPrefix("the database is up to date") == true)
        lines = []
        try await MigrateCommandRunner.run(databaseURL: url, statusOnly: true, logger: .init(label: "test")) { lines.append($0) }
        #expect(lines.first?.hasPrefix("applied   0001_foundation.sql") == true)
    }
}

extension MigrationStatus.State {
    fileprivate var label: String {
        switch self {
        case .applied: "applied"
        case .pending: "pending"
        case .changed: "changed"
        case .unknown: "unknown"
        }
    }
}
