import Logging
import PostgresClient

/// A fixed number of ``Store``s (connections) shared by concurrent work, as a server needs:
/// ``withStore(_:)`` lends one, waiting when all are lent, and opens connections as they are
/// first needed. A connection the server dropped (a restart, a terminated backend) is closed
/// when it comes back and a new one is opened for the next borrower, so a PostgreSQL restart
/// costs the requests that were running, not the server.
///
/// ```swift
/// let pool = StorePool(url: "postgresql://ipcase_webserver@db/ipcase", size: 8)
/// let rows = try await pool.withStore { store in try await store.withWebSession(…) { … } }
/// ```
public actor StorePool {
    /// Where connections go.
    public nonisolated let url: String
    /// At most this many connections are open.
    public nonisolated let size: Int
    private let applicationName: String
    private let logger: Logger
    private var idle: [Store] = []
    private var open = 0
    private var waiting: [CheckedContinuation<Store?, Never>] = []
    private var closed = false

    /// A pool of at most `size` connections to `url`.
    public init(url: String, size: Int, applicationName: String = "ipcase-web", logger: Logger = Logger(label: "IPCaseStore")) {
        self.url = url
        self.size = max(1, size)
        self.applicationName = applicationName
        self.logger = logger
    }

    /// Runs `body` with a store of its own for the time it runs.
    public func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
        let store = try await acquire()
        do {
            let value = try await body(store)
            await release(store)
            return value
        } catch {
            await release(store)
            throw error
        }
    }

    /// Closes every connection; later borrowers get an error.
    public func close() async {
        closed = true
        for store in idle { await store.connection.close() }
        idle.removeAll()
        for waiter in waiting { waiter.resume(returning: nil) }
        waiting.removeAll()
    }

    /// Connections open now (lent or idle), and how many borrowers wait.
    public var counts: (open: Int, idle: Int, waiting: Int) { (open, idle.count, waiting.count) }

    private func acquire() async throws -> Store {
        while true {
            if closed { throw PostgresError(code: .connectionClosed, reason: "the store pool is closed") }
            if let store = idle.popLast() { return store }
            if open < size {
                open += 1
                do {
                    return try await Store.connect(url: url, applicationName: applicationName, logger: logger)
                } catch {
                    open -= 1
                    throw error
                }
            }
            // Woken with a store, or with nil when a place came free (a dropped connection) or
            // the pool closed: then look again.
            if let store = await withCheckedContinuation({ waiting.append($0) }) { return store }
        }
    }

    private func release(_ store: Store) async {
        let dropped = await store.connection.isClosed
        if closed || dropped {
            await store.connection.close()
            open -= 1
            if !waiting.isEmpty { waiting.removeFirst().resume(returning: nil) }
        } else if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: store)
        } else {
            idle.append(store)
        }
    }
}
