import Foundation
import PostgresClient
import Testing

@Suite("Connection lifecycle")
struct LifecycleTests {
    static let database = SuiteDatabase("lifecycle")

    private static func sessions(on observer: PostgresConnection) async throws -> Int {
        try await observer.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lifecycle'"
        )[0].decode(Int.self)
    }

    @Test func droppedAndClosedConnectionsEndTheirServerSession() async throws {
        let url = try await Self.database.url
        let observer = try await PostgresConnection.connect(url: url)
        var connections: [PostgresConnection] = []
        for _ in 0..<20 { connections.append(try await PostgresConnection.connect(url: url, applicationName: "lifecycle")) }
        #expect(try await Self.sessions(on: observer) == 20)
        for connection in connections.prefix(10) { await connection.close() }
        connections.removeAll()  // the other ten are released without close()

        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        var remaining = try await Self.sessions(on: observer)
        while remaining > 0 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            remaining = try await Self.sessions(on: observer)
        }
        #expect(remaining == 0)
    }

    /// Many sequential round trips on one connection each get their own answer (the figure is
    /// printed for information; speed is measured by `ipcase-bench`, not asserted here).
    @Test func sequentialRoundTripsEachGetTheirOwnAnswer() async throws {
        let connection = try await Self.database.connect()
        let clock = ContinuousClock()
        let start = clock.now
        for n in 0..<2000 {
            #expect(try await connection.query("SELECT \(n)::int8")[0].decode(Int.self) == n)
        }
        print("one parameterized round trip: \((clock.now - start) / 2000)")
    }
}
