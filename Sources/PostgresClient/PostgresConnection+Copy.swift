import CLibPQ

extension PostgresConnection {
    /// Bulk-loads rows with `COPY … FROM STDIN` (text format).
    ///
    /// Values are escaped for COPY's text format (`\t`, `\n`, `\r`, `\\`; `nil` is `\N`).
    ///
    /// ```swift
    /// let count = try await connection.copyFrom(
    ///     "COPY events (right_id, kind) FROM STDIN",
    ///     rows: events.map { [$0.rightID, $0.kind] })
    /// ```
    /// - Returns: the number of rows copied.
    /// - Throws: ``PostgresError``; `.invalidParameter` (naming row and column) when a value holds
    ///   NUL — the COPY is then aborted and nothing is loaded.
    public func copyFrom<Rows: Sequence>(
        _ statement: PostgresQuery, rows: sending Rows
    ) async throws(PostgresError) -> Int where Rows.Element == [any PostgresEncodable] {
        try checkOwner()
        guard statement.bindings.count == 0 else {
            throw PostgresError(code: .invalidUsage, reason: "COPY takes no parameters; pass the data as rows")
        }
        try statement.validate()
        let connection = try liveHandle()
        return try copyIn(statement, rows: rows, connection)
    }

    private func copyIn<Rows: Sequence>(_ statement: PostgresQuery, rows: Rows, _ connection: OpaquePointer)
        throws(PostgresError) -> Int where Rows.Element == [any PostgresEncodable]
    {
        var flight = Flight()
        let start = try execRaw(connection, &flight) { PQsendQuery(connection, statement.sql) }
        switch start.status {
        case PGRES_COPY_IN:
            break
        case PGRES_FATAL_ERROR:
            throw Self.marked(lostOrFailed(connection, server: start.error()), flight)
        default:
            throw PostgresError(code: .invalidUsage, reason: "the statement is not COPY … FROM STDIN")
        }

        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var abort: PostgresError?
        rowLoop: for (rowIndex, row) in rows.enumerated() {
            for (columnIndex, value) in row.enumerated() {
                if columnIndex > 0 { buffer.append(9) }
                guard let text = value.postgresText else {
                    buffer.append(92)
                    buffer.append(78)  // \N
                    continue
                }
                for byte in text.utf8 {
                    switch byte {
                    case 0:
                        var error = PostgresError(
                            code: .invalidParameter,
                            reason: "COPY row \(rowIndex + 1) column \(columnIndex + 1) contains a NUL character")
                        error.columnIndex = columnIndex
                        error.position = rowIndex
                        abort = error
                        break rowLoop
                    case 92: buffer.append(92); buffer.append(92)
                    case 10: buffer.append(92); buffer.append(110)
                    case 13: buffer.append(92); buffer.append(114)
                    case 9: buffer.append(92); buffer.append(116)
                    default: buffer.append(byte)
                    }
                }
            }
            buffer.append(10)
            if buffer.count >= 1 << 16 {
                try put(buffer, connection)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if abort == nil, !buffer.isEmpty { try put(buffer, connection) }
        guard PQputCopyEnd(connection, abort == nil ? nil : "aborted by the client: invalid data") == 1 else {
            throw lostOrFailed(connection, server: nil)
        }
        var copied = 0
        var serverError: PostgresError?
        while let pointer = try nextResult(connection, &flight) {
            let result = OwnedResult(pointer)
            switch result.status {
            case PGRES_COMMAND_OK:
                copied = result.affectedRows
            case PGRES_FATAL_ERROR:
                let error = Self.marked(lostOrFailed(connection, server: result.error()), flight)
                if error.code == .connectionClosed { throw error }
                if serverError == nil { serverError = error }
            default:
                if serverError == nil { serverError = unexpected(result.status) }
            }
        }
        if let abort { throw abort }
        if let serverError { throw serverError }
        return copied
    }

    private func put(_ bytes: [UInt8], _ connection: OpaquePointer) throws(PostgresError) {
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                PQputCopyData(connection, $0, Int32(buffer.count))
            }
        }
        guard status == 1 else { throw lostOrFailed(connection, server: nil) }
    }
}
