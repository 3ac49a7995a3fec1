import Foundation
import PostgresClient
import Testing

@Suite("Prepared statement cache")
struct StatementCacheTests {
    static let database = SuiteDatabase("cache")

    func connect(capacity: Int) async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: Self.database.url, statementCacheCapacity: capacity)
    }

    /// The statements the server holds prepared for this session.
    func prepared(_ connection: PostgresConnection) async throws -> [String] {
        // The listing is itself one of the statements (on a connection with a cache).
        return try await connection.query("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time")
            .map { try $0.decode(String.self) }
    }

    @Test func aTextIsPreparedOnceAndRunsPreparedAfter() async throws {
        let connection = try await connect(capacity: 8)
        try await connection.execute("CREATE TABLE cached_rows (id int8 PRIMARY KEY, label text)")
        for id in 1...20 { try await connection.execute("INSERT INTO cached_rows VALUES (\(id), \("row \(id)"))") }
        let statements = try await prepared(connection)
        // One statement for the 20 inserts, whatever their values; the table's DDL and the listing itself.
        #expect(statements.filter { $0.hasPrefix("INSERT INTO cached_rows") }.count == 1)
        #expect(try await connection.query("SELECT count(*) FROM cached_rows")[0].decode(Int.self) == 20)
        #expect(try await connection.query("SELECT label FROM cached_rows WHERE id = \(7)")[0].decode(String.self) == "row 7")
        #expect(try await connection.query("SELECT label FROM cached_rows WHERE id = \(8)")[0].decode(String.self) == "row 8")
        #expect(await connection.preparedStatementCount == 5)
    }

    @Test func theLeastRecentlyUsedStatementIsDeallocatedWhenFull() async throws {
        let connection = try await connect(capacity: 5)
        _ = try await prepared(connection)
        _ = try await connection.query("SELECT 1 AS a")
        _ = try await connection.query("SELECT 2 AS b")
        _ = try await connection.query("SELECT 1 AS a")  // a is used again: b is now the oldest
        _ = try await connection.query("SELECT 3 AS c")
        _ = try await connection.query("SELECT 4 AS d")
        _ = try await connection.query("SELECT 5 AS e")  // full: the listing goes
        // The listing comes back in place of b, the oldest now: a was used again after it.
        let statements = Set(try await prepared(connection))
        #expect(await connection.preparedStatementCount == 5)
        #expect(statements == ["SELECT 1 AS a", "SELECT 3 AS c", "SELECT 4 AS d", "SELECT 5 AS e", "SELECT statement FROM pg_prepared_statements ORDER BY prepare_time"])
        #expect(try await connection.query("SELECT 2 AS b")[0].decode(Int.self) == 2)
    }

    @Test func aStatementTheServerDroppedIsPreparedAgain() async throws {
        let connection = try await connect(capacity: 8)
        #expect(try await connection.query("SELECT \(41) + 1")[0].decode(Int.self) == 42)
        // DEALLOCATE ALL runs as text: the cache still names a statement the server forgot.
        try await connection.executeScript("DEALLOCATE ALL")
        #expect(try await connection.query("SELECT \(41) + 1")[0].decode(Int.self) == 42)
    }

    @Test func aStatementWhoseColumnsChangedRunsAgainOutsideATransaction() async throws {
        let connection = try await connect(capacity: 8)
        try await connection.executeScript("CREATE TABLE reshaped (id int8)")
        try await connection.execute("INSERT INTO reshaped VALUES (\(1))")
        #expect(try await connection.result("SELECT * FROM reshaped").columnNames.count == 1)
        try await connection.executeScript("ALTER TABLE reshaped ADD COLUMN label text DEFAULT 'x'")
        // The server refuses the old statement ("cached plan must not change result type"): prepared anew.
        let result = try await connection.result("SELECT * FROM reshaped")
        #expect(result.columnNames.count == 2)
    }

    @Test func inATransactionTheChangeIsTheCallersAndTheNextRunPreparesAnew() async throws {
        let connection = try await connect(capacity: 8)
        try await connection.executeScript("CREATE TABLE reshaped_tx (id int8)")
        _ = try await connection.result("SELECT * FROM reshaped_tx")
        try await connection.executeScript("ALTER TABLE reshaped_tx ADD COLUMN label text")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction(retries: 0) { connection in
                _ = try await connection.result("SELECT * FROM reshaped_tx")
            }
        }
        #expect(error?.sqlState == "0A000")
        #expect(try await connection.result("SELECT * FROM reshaped_tx").columnNames.count == 2)
    }

    @Test func aPlanFollowsTheRoleItRunsUnder() async throws {
        // Row security is planned for the role: the same prepared text sees other rows under
        // another role (the server plans it again), never the first role's plan.
        let connection = try await connect(capacity: 8)
        let role = "cache_reader_\(UInt32.random(in: 0...UInt32.max))"
        try await connection.executeScript(
            """
            CREATE TABLE guarded (id int8, owner text);
            INSERT INTO guarded VALUES (1, 'a'), (2, 'b'), (3, 'b');
            ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
            CREATE ROLE \(role);
            GRANT SELECT ON guarded TO \(role);
            CREATE POLICY only_b ON guarded TO \(role) USING (owner = 'b');
            """)
        let count: PostgresQuery = "SELECT count(*) FROM guarded WHERE id > \(0)"
        for _ in 1...7 { #expect(try await connection.query(count)[0].decode(Int.self) == 3) }
        let underRole = try await connection.withTransaction { connection in
            _ = try await connection.query("SELECT set_config('role', \(role), true)")
            return try await connection.query(count)[0].decode(Int.self)
        }
        #expect(underRole == 2)
        #expect(try await connection.query(count)[0].decode(Int.self) == 3)
    }

    @Test func withoutACapacityNothingIsPrepared() async throws {
        let connection = try await connect(capacity: 0)
        _ = try await connection.query("SELECT \(1)")
        #expect(try await prepared(connection).isEmpty)
        #expect(await connection.preparedStatementCount == 0)
    }
}
