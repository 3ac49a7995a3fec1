import PostgresClient
import PostgresServer
import Testing

@Suite("Server restarts")
struct ServerRestartTests {
    @Test func stoppedServerGivesAClearErrorAndANewConnectionWorksOnceItIsBack() async throws {
        let server = try await ThrowawayPostgres.startLocal()
        let url = try await server.createDatabase(prefix: "restart")
        let connection = try await PostgresConnection.connect(url: url)
        try await connection.execute("CREATE TABLE survived (n int)")
        try await connection.execute("INSERT INTO survived VALUES (1)")

        try await server.stopServer()
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error?.code == .connectionClosed)
        #expect(error?.description.contains("lost") == true)
        #expect(await connection.isClosed)
        let again = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(again?.code == .connectionClosed)
        let refused = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(url: url) }
        #expect(refused?.code == .connectionFailed)

        try await server.startServer()
        let fresh = try await PostgresConnection.connect(url: url)
        #expect(try await fresh.query("SELECT count(*) FROM survived")[0].decode(Int.self) == 1)
        await fresh.close()
        await server.destroy()
    }
}
