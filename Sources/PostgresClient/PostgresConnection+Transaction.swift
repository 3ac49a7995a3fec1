import CLibPQ

/// The isolation level of a transaction.
public enum PostgresIsolationLevel: Sendable, Hashable {
    /// `READ COMMITTED`, PostgreSQL's default.
    case readCommitted
    /// `REPEATABLE READ`.
    case repeatableRead
    /// `SERIALIZABLE`: may fail with 40001, which ``PostgresConnection/withTransaction(level:retries:_:)`` retries.
    case serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}

extension PostgresConnection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// Serialization failures (40001) and deadlocks (40P01) roll back and run the whole body
    /// again, at most `retries` more times; so the body must be safe to repeat. The body runs on
    /// this connection's executor; while it runs, other tasks cannot use the connection.
    ///
    /// ```swift
    /// let id = try await connection.withTransaction { connection in
    ///     let id = try await connection.query("INSERT INTO rights (title) VALUES (\(title)) RETURNING id")[0].decode(Int.self)
    ///     try await connection.execute("INSERT INTO events (right_id, kind) VALUES (\(id), 'filed')")
    ///     return id
    /// }
    /// ```
    public func withTransaction<T: Sendable>(
        level: PostgresIsolationLevel = .readCommitted,
        retries: Int = 3,
        _ body: @Sendable (isolated PostgresConnection) async throws -> T
    ) async throws -> T {
        try checkOwner()
        let connection = try liveHandle()
        guard !transactionOwnerActive, PQtransactionStatus(connection) == PQTRANS_IDLE else {
            throw PostgresError(code: .invalidUsage, reason: "a transaction is already open on this connection")
        }
        var attempt = 0
        while true {
            _ = try runSimple("BEGIN ISOLATION LEVEL \(level.sql)")
            transactionOwnerActive = true
            do {
                let value = try await TransactionContext.$owner.withValue(ObjectIdentifier(self)) {
                    try await body(self)
                }
                transactionOwnerActive = false
                try commit()
                return value
            } catch {
                transactionOwnerActive = false
                rollbackIfOpen()
                if let failure = error as? PostgresError, failure.isRetryable, attempt < retries {
                    attempt += 1
                    logger.debug(
                        "postgres transaction retried",
                        metadata: ["postgres.sqlstate": "\(failure.sqlState ?? "")", "postgres.attempt": "\(attempt)"])
                    continue
                }
                throw error
            }
        }
    }

    /// COMMIT, refusing the silent ROLLBACK PostgreSQL does for a transaction in which a statement failed.
    private func commit() throws(PostgresError) {
        if try runSimple("COMMIT").commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .invalidUsage,
                reason: "the transaction was rolled back at COMMIT because a statement in it failed")
        }
    }

    private func rollbackIfOpen() {
        guard let connection = try? liveHandle() else { return }
        switch PQtransactionStatus(connection) {
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            _ = try? runSimple("ROLLBACK")
        default:
            break
        }
    }
}
