import Foundation
import PostgresClient
import Testing

@testable import PostgresServer

@Suite("Throwaway PostgreSQL")
struct ThrowawayPostgresTests {
    @Test func missingServerProgramsFailWithOneLineSayingWhatToInstall() async throws {
        let empty = FileManager.default.temporaryDirectory.appending(path: "no-postgres-\(UUID())").path
        let error = await #expect(throws: ThrowawayPostgresError.self) {
            try await LocalCluster.findBinaries(pgConfig: nil, versionsRoot: empty, initdbInPath: nil)
        }
        #expect(error?.description.contains("apt-get install -y postgresql") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func serverProgramsAreFoundOnThisMachine() async throws {
        let directory = try await LocalCluster.findBinaries()
        #expect(FileManager.default.isExecutableFile(atPath: directory + "/initdb"))
    }

    @Test func eachCreatedDatabaseIsFreshAndSeparate() async throws {
        let server = try await ThrowawayPostgres.shared
        let first = try await PostgresConnection.connect(url: try await server.createDatabase())
        let second = try await PostgresConnection.connect(url: try await server.createDatabase())
        try await first.execute("CREATE TABLE only_here (n int)")
        let names = try await [first, second].asyncMap { try await $0.query("SELECT current_database()")[0].decode(String.self) }
        #expect(names[0] != names[1])
        #expect(try await second.query("SELECT to_regclass('only_here') IS NULL")[0].decode(Bool.self))
    }

    @Test func externalServerGetsFreshDatabasesToo() async throws {
        let shared = try await ThrowawayPostgres.shared
        let external = ThrowawayPostgres.external(url: await shared.url(database: "postgres"))
        #expect(await external.isExternal)
        let url = try await external.createDatabase(prefix: "external")
        let connection = try await PostgresConnection.connect(url: url)
        let name = try await connection.query("SELECT current_database()")[0].decode(String.self)
        #expect(name.hasPrefix("external_"))
        await #expect(throws: ThrowawayPostgresError.self) { try await external.stopServer() }
    }

    @Test(arguments: [
        ("postgresql://u:p@db.example:5433/postgres?sslmode=require", "postgresql://u:p@db.example:5433/fresh?sslmode=require"),
        ("postgres://localhost", "postgres://localhost/fresh"),
        ("host=/run/postgresql user=ci", "host=/run/postgresql user=ci dbname=fresh"),
    ])
    func externalURLsPointAtTheNewDatabase(_ base: String, _ expected: String) {
        #expect(ThrowawayPostgres.replacingDatabase(in: base, with: "fresh") == expected)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
