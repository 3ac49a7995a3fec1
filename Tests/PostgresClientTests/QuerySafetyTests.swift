import Foundation
import PostgresClient
import Testing

@Suite("Parameters, errors and decoding")
struct QuerySafetyTests {
    static let database = SuiteDatabase("safety")

    @Test func interpolatedValuesBecomeNumberedParameters() {
        let office = 7
        let number: String? = nil
        let query: PostgresQuery =
            "SELECT * FROM rights WHERE office_id = \(office) AND number = \(number) OR \(identifier: "Odd\"Name") > 0"
        #expect(query.sql == #"SELECT * FROM rights WHERE office_id = $1 AND number = $2 OR "Odd""Name" > 0"#)
        #expect(query.bindings.values == ["7", nil])
        #expect(query.bindings.types == [.int8, .unknown])
    }

    @Test func stringWithNULIsRejectedBeforeReachingTheServer() async throws {
        let connection = try await Self.database.connect()
        try await connection.withTransaction { connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT \("before\u{0}after")::text")
            }
            #expect(error?.code == .invalidParameter)
            #expect(error?.position == 0)
            #expect(error?.description.contains("before") == false)
            // Had it reached the server, the transaction would now be aborted (25P02).
            let one = try await connection.query("SELECT 1")[0].decode(Int.self)
            #expect(one == 1)
        }
        await #expect(throws: PostgresError.self) { try await connection.listen("bad\u{0}channel") }
        await #expect(throws: PostgresError.self) {
            try await connection.execute("SELECT count(*) FROM \(identifier: "t\u{0}")")
        }
    }

    @Test(arguments: ["it's", "'; DROP TABLE notes; --", "-- comment", "$1", "$2::int", "\\", "\"quoted\"", "a;b", "%s%n"])
    func sqlMetacharactersAreStoredVerbatim(_ text: String) async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TEMP TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL)")
        let id = try await connection.query("INSERT INTO notes (body) VALUES (\(text)) RETURNING id")[0].decode(Int.self)
        let stored = try await connection.query("SELECT body FROM notes WHERE id = \(id) AND body = \(text)")
        #expect(try stored.map { try $0.decode(String.self, column: "body") } == [text])
        #expect(try await connection.query("SELECT to_regclass('notes') IS NOT NULL")[0].decode(Bool.self))
    }

    @Test func uniqueViolationSurfacesAsSQLState23505WithoutTheValue() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
        try await connection.execute("INSERT INTO people VALUES (\("secret@example.kz"))")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.execute("INSERT INTO people VALUES (\("secret@example.kz"))")
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == PostgresError.SQLState.uniqueViolation)
        #expect(error?.constraintName == "people_email_key")
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("23505 unique_violation") == true)
        #expect(error?.description.contains("secret") == false)
        #expect(error?.debugDescription.contains("secret@example.kz") == true)
        // The connection stays usable.
        #expect(try await connection.query("SELECT count(*) FROM people")[0].decode(Int.self) == 1)
    }

    @Test func decodingFailureNamesTheColumnAndType() async throws {
        let connection = try await Self.database.connect()
        let rows = try await connection.query("SELECT 1 AS id, 'not-a-number-XYZ'::text AS amount, NULL::int AS missing")
        let error = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, column: "amount") }
        #expect(error?.code == .decoding)
        #expect(error?.columnName == "amount" && error?.columnIndex == 1)
        #expect(error?.expectedType == "Int")
        #expect(error?.description.contains("column amount (index 1)") == true)
        #expect(error?.description.contains("XYZ") == false)
        let null = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, column: "missing") }
        #expect(null?.description.contains("NULL") == true)
        #expect(try rows[0].decode(Int?.self, column: "missing") == nil)
        let absent = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, column: "nope") }
        #expect(absent?.columnName == "nope")
    }

    @Test func quotedIdentifiersNameOddTables() async throws {
        let connection = try await Self.database.connect()
        let table = "weird \"table\"; --"
        try await connection.execute("CREATE TABLE \(identifier: table) (n int)")
        try await connection.execute("INSERT INTO \(identifier: table) VALUES (\(Int32(5)))")
        #expect(try await connection.query("SELECT n FROM \(identifier: table)")[0].decode(Int32.self) == 5)
    }

    @Test func preparedStatementsRunManyTimes() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE prepared_events (id int8, kind text)")
        let insert = try await connection.prepare(
            name: "insert_event", sql: "INSERT INTO prepared_events VALUES ($1, $2)")
        for id in 1...20 { try await connection.execute(insert, [id, "filed"]) }
        let count = try await connection.prepare(name: "count_kind", sql: "SELECT count(*) FROM prepared_events WHERE kind = $1")
        #expect(try await connection.query(count, ["filed"])[0].decode(Int.self) == 20)
        #expect(try await connection.query(count, [nil as String?])[0].decode(Int.self) == 0)
        let duplicate = await #expect(throws: PostgresError.self) {
            try await connection.prepare(name: "insert_event", sql: "SELECT 1")
        }
        #expect(duplicate?.sqlState == "42P05")
    }

    @Test func failedConnectNamesTheReasonButNotThePassword() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(url: "postgresql://someone:hunter2-secret@127.0.0.1:1/nothing")
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.debugDescription.contains("hunter2") == false)
    }

    @Test func concurrentCallersShareOneConnectionSafely() async throws {
        let connection = try await Self.database.connect()
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 1...100 {
                group.addTask { try await connection.query("SELECT \(n) * 2")[0].decode(Int.self) }
            }
            return try await group.reduce(0, +)
        }
        #expect(sum == 2 * 5050)
    }

    @Test func executeReportsAffectedRows() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE affected (n int)")
        #expect(try await connection.execute("INSERT INTO affected SELECT generate_series(1, 7)") == 7)
        #expect(try await connection.execute("UPDATE affected SET n = n + 1 WHERE n > \(4)") == 3)
        #expect(try await connection.execute("DELETE FROM affected") == 7)
    }

    @Test func scriptsRunSeveralStatements() async throws {
        let connection = try await Self.database.connect()
        try await connection.executeScript("CREATE TABLE script_t (n int); INSERT INTO script_t VALUES (1), (2);")
        #expect(try await connection.query("SELECT sum(n) FROM script_t")[0].decode(Int.self) == 3)
    }
}
