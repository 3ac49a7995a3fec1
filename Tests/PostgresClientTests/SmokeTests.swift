import PostgresClient
import PostgresServer
import Testing

@Suite struct SmokeTests {
    @Test func selectsOnePlusOne() async throws {
        let (_, connection) = try await TestDatabase.connect()
        let rows = try await connection.query("SELECT 1 + \(41) AS answer, \("hé") AS word")
        #expect(try rows[0].decode(Int.self, column: "answer") == 42)
        let (answer, word) = try rows[0].decode(Int.self, String.self)
        #expect(answer == 42 && word == "hé")
    }
}
