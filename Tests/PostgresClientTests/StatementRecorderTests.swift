import Foundation
import PostgresClient
import Testing

@Suite("Statement recorder and array parameters")
struct StatementRecorderTests {
    static let database = SuiteDatabase("recorder")

    @Test func aRecorderSeesItsTasksStatementsWithTheirParametersAndNothingElse() async throws {
        let connection = try await Self.database.connect()
        let other = try await Self.database.connect()
        let recorder = PostgresStatementRecorder()
        try await PostgresStatementRecorder.$current.withValue(recorder) {
            _ = try await connection.withTransaction { connection in
                _ = try await connection.query("SELECT \(Int64(42))::bigint")
                _ = try await connection.pipeline(["SELECT \("a")::text", "SELECT \([Int64(1), 2])::bigint[]"])
                return 0
            }
            // Another task's statements are not recorded.
            try await Task.detached { _ = try await other.query("SELECT 'unrecorded'") }.value
        }
        _ = try await connection.query("SELECT 'after'")
        let recorded = recorder.statements
        #expect(recorded.count == 5)
        #expect(recorded.first?.sql.hasPrefix("BEGIN") == true)
        #expect(recorded.last?.sql == "COMMIT")
        #expect(recorded[1].bindings.values == ["42"])
        #expect(recorded[2].bindings.values == ["a"])
        #expect(recorded[3].bindings.values == ["{\"1\",\"2\"}"])
        #expect(!recorded.contains { $0.sql.contains("unrecorded") || $0.sql.contains("after") })
    }

    @Test func textArraysWithQuotesBackslashesAndSeparatorsArriveIntact() async throws {
        let connection = try await Self.database.connect()
        let values = [
            "plain", "", "NULL", "a,b", "{braces}", "say \"hi\"", "back\\slash", "both \\\"", "«ü» 2024-02-01",
        ]
        let rows = try await connection.query(
            "SELECT v, ord FROM unnest(\(values)::text[]) WITH ORDINALITY AS t(v, ord) ORDER BY ord")
        let received = try rows.map { try $0.decode(String?.self, at: 0) }
        #expect(received == values.map { Optional($0) })
    }
}
