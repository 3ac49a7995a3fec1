import PostgresClient
import PostgresServer

/// A fresh database on the shared throwaway server, one per suite.
enum TestDatabase {
    /// Creates a database and connects to it.
    static func connect() async throws -> (url: String, connection: PostgresConnection) {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "pgclient")
        return (url, try await PostgresConnection.connect(url: url))
    }
}
