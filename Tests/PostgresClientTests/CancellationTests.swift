import Foundation
import PostgresClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Cancelling a task ends its database work promptly: the running statement is cancelled on the
/// server, a transaction rolls back, and a server that does not answer costs at most the grace.
@Suite("Cancellation")
struct CancellationTests {
    static let database = SuiteDatabase("cancel")

    /// Runs `work` in a task, cancels it after `after`, and returns its error and how long it took
    /// from the cancellation.
    func cancelled(
        after: Duration = .milliseconds(300), _ work: @escaping @Sendable () async throws -> Void
    ) async -> (error: (any Error)?, afterCancel: Duration) {
        let task = Task { try await work() }
        try? await Task.sleep(for: after)
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let elapsed = ContinuousClock.now - cancelledAt
        if case .failure(let error) = result { return (error, elapsed) }
        return (nil, elapsed)
    }

    @Test("a running statement is cancelled on the server when its task is cancelled, and the connection goes on")
    func runningStatementIsCancelled() async throws {
        let connection = try await Self.database.connect()
        let (error, afterCancel) = await cancelled { _ = try await connection.query("SELECT pg_sleep(30)") }
        let failure = try #require(error as? PostgresError)
        #expect(failure.code == .cancelled)
        #expect(failure.sqlState == "57014")
        #expect(afterCancel < .seconds(2), "took \(afterCancel)")
        // Statements of tasks that are not cancelled run on the same connection.
        #expect(try await connection.query("SELECT 41 + 1")[0].decode(Int.self) == 42)
        #expect(await !connection.isClosed)
    }

    @Test("cancelling a transaction's task cancels its statement and rolls back what it wrote")
    func cancelledTransactionRollsBack() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE cancelled_writes (n int)")
        let (error, afterCancel) = await cancelled {
            _ = try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO cancelled_writes SELECT generate_series(1, 100)")
                _ = try await connection.query("SELECT pg_sleep(30)")
            }
        }
        #expect((error as? PostgresError)?.code == .cancelled)
        #expect(afterCancel < .seconds(2), "took \(afterCancel)")
        let other = try await Self.database.connect()
        #expect(try await other.query("SELECT count(*) FROM cancelled_writes")[0].decode(Int.self) == 0)
        // The connection is out of the transaction: a new one commits.
        _ = try await connection.withTransaction { try await $0.execute("INSERT INTO cancelled_writes VALUES (1)") }
        #expect(try await other.query("SELECT count(*) FROM cancelled_writes")[0].decode(Int.self) == 1)
    }

    @Test("a pipeline in flight is cancelled too")
    func pipelineIsCancelled() async throws {
        let connection = try await Self.database.connect()
        let (pipelineError, pipelineTime) = await cancelled {
            _ = try await connection.pipeline(["SELECT 1", "SELECT pg_sleep(30)", "SELECT 2"])
        }
        #expect((pipelineError as? PostgresError)?.code == .cancelled)
        #expect(pipelineTime < .seconds(2), "took \(pipelineTime)")
        #expect(try await connection.query("SELECT 1")[0].decode(Int.self) == 1)
    }

    @Test("a frozen server: the cancelled statement gives up after the grace and closes the connection")
    func frozenServerCostsTheGraceAtMost() async throws {
        let connection = try await Self.database.connect()
        let backend = await connection.backendPID
        // The server process of this session stops answering (as a host under swap or a hung disk would).
        #expect(kill(backend, SIGSTOP) == 0)
        defer { kill(backend, SIGCONT) }
        let (error, afterCancel) = await cancelled { _ = try await connection.query("SELECT 1") }
        kill(backend, SIGCONT)
        let failure = try #require(error as? PostgresError)
        #expect(failure.code == .cancelled)
        #expect(failure.description.contains("did not answer"))
        #expect(afterCancel >= PostgresConnection.cancellationGrace - .milliseconds(200))
        #expect(afterCancel < PostgresConnection.cancellationGrace + .seconds(2), "took \(afterCancel)")
        #expect(await connection.isClosed)
    }

    @Test("connecting to a server that never answers ends at cancellation, and at connect_timeout without it")
    func connectingEndsAtCancellationAndTimeout() async throws {
        let listener = try SilentListener()
        let url = "postgresql://nobody@127.0.0.1:\(listener.port)/nothing?connect_timeout=30"
        let (error, afterCancel) = await cancelled { _ = try await PostgresConnection.connect(url: url) }
        #expect((error as? PostgresError)?.code == .cancelled)
        // Far below connect_timeout (30 s); the margin is for a loaded 2-core machine (seen 1.5 s).
        #expect(afterCancel < .seconds(3), "took \(afterCancel)")

        let start = ContinuousClock.now
        let timedOut = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(
                url: "postgresql://nobody@127.0.0.1:\(listener.port)/nothing?connect_timeout=2")
        }
        let waited = ContinuousClock.now - start
        #expect(timedOut?.code == .connectionFailed)
        #expect(waited >= .seconds(2) && waited < .seconds(4), "waited \(waited)")
    }
}

/// A TCP port that accepts connections (the kernel completes the handshake) and never says a word.
final class SilentListener: @unchecked Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
