import PostgresClient
import PostgresServer

/// A fresh database for one suite on the shared throwaway server, created on first use.
struct SuiteDatabase: Sendable {
    private let task: Task<String, any Error>

    init(_ prefix: String) {
        task = Task { try await ThrowawayPostgres.shared.createDatabase(prefix: prefix) }
    }

    /// The database's URL.
    var url: String {
        get async throws { try await task.value }
    }

    /// A new connection to the database.
    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: url)
    }
}
