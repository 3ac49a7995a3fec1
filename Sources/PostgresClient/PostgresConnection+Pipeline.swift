import CLibPQ

extension PostgresConnection {
    /// Sends a batch of statements in pipeline mode with one sync, then reads all results.
    ///
    /// One round trip for the whole batch. Without an explicit `BEGIN` in the batch, the batch
    /// runs as one implicit transaction: when a statement fails, the statements before it are
    /// rolled back and those after it are not executed, and the error names its position.
    ///
    /// ```swift
    /// let results = try await connection.pipeline([
    ///     "INSERT INTO events (right_id, kind) VALUES (\(id), 'filed')",
    ///     "SELECT count(*) FROM events WHERE right_id = \(id)",
    /// ])
    /// ```
    /// - Returns: one result per statement, in order.
    /// - Throws: ``PostgresError`` whose `position` is the failing statement's index.
    public func pipeline(_ queries: [PostgresQuery]) async throws(PostgresError) -> [PostgresResult] {
        do {
            return try runPipeline(queries)
        } catch {
            // A pipeline left half-read cannot be resumed: close rather than hand back a confused connection.
            if let connection = try? liveHandle(), PQpipelineStatus(connection) != PQ_PIPELINE_OFF {
                close()
                var closed = error
                closed.reason = (closed.reason ?? "") + "; the connection was closed because the pipeline could not be completed"
                throw closed
            }
            throw error
        }
    }

    private func runPipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresResult] {
        try checkOwner()
        for (index, query) in queries.enumerated() {
            do {
                try query.validate()
            } catch {
                var failure = error
                failure.reason = "statement \(index + 1) of the pipeline: \(failure.reason ?? "invalid")"
                throw failure
            }
        }
        if queries.isEmpty { return [] }
        let connection = try liveHandle()
        try settleCancelRequest()
        var flight = Flight()
        guard PQenterPipelineMode(connection) == 1 else {
            throw PostgresError(code: .invalidUsage, reason: "cannot enter pipeline mode: \(Self.libpqMessage(connection))")
        }
        for query in queries {
            PostgresStatementRecorder.record(query)
            let sent = withParameters(query.bindings) { types, values, count in
                PQsendQueryParams(connection, query.sql, count, types, values, nil, nil, 0)
            }
            guard sent == 1 else { throw lostOrFailed(connection, server: nil) }
        }
        guard PQpipelineSync(connection) == 1 else { throw lostOrFailed(connection, server: nil) }

        var results: [PostgresResult] = []
        results.reserveCapacity(queries.count)
        var failure: PostgresError?
        for index in queries.indices {
            guard let pointer = try nextResult(connection, &flight) else { throw lostOrFailed(connection, server: nil) }
            let result = OwnedResult(pointer)
            switch result.status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                results.append(result.copyOut())
            case PGRES_EMPTY_QUERY:
                results.append(PostgresResult(storage: .empty, affectedRows: 0, commandTag: ""))
            case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                var error = Self.marked(lostOrFailed(connection, server: result.error()), flight)
                if error.code == .connectionClosed { throw error }
                error.position = index
                error.reason =
                    "statement \(index + 1) of \(queries.count) in the pipeline failed; "
                    + "the statements after it were not executed"
                if failure == nil { failure = error }
            case PGRES_PIPELINE_ABORTED:
                break
            default:
                throw unexpected(result.status)
            }
            // Each statement's results end with NULL.
            while let extra = try nextResult(connection, &flight) { PQclear(extra) }
        }
        guard let syncPointer = try nextResult(connection, &flight) else { throw lostOrFailed(connection, server: nil) }
        let sync = OwnedResult(syncPointer)
        guard sync.status == PGRES_PIPELINE_SYNC else { throw unexpected(sync.status) }
        guard PQexitPipelineMode(connection) == 1 else {
            throw PostgresError(
                code: .unexpectedResult, reason: "cannot leave pipeline mode: \(Self.libpqMessage(connection))")
        }
        if let failure { throw failure }
        return results
    }
}
