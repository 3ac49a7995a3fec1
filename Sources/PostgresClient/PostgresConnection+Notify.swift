import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A notification received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel name.
    public var channel: String
    /// The payload (empty when none was sent).
    public var payload: String
    /// The process id of the notifying server session.
    public var processID: Int32
}

extension PostgresConnection {
    /// Starts listening on `channel` (quoted with `PQescapeIdentifier`, any name is safe).
    public func listen(_ channel: String) async throws(PostgresError) {
        let sql = "LISTEN " + (try escapedIdentifier(channel))
        _ = try runSimple(sql)
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) async throws(PostgresError) {
        let sql = "UNLISTEN " + (try escapedIdentifier(channel))
        _ = try runSimple(sql)
    }

    /// Sends a notification with `pg_notify($1, $2)` (delivered at commit when in a transaction).
    public func notify(channel: String, payload: String = "") async throws(PostgresError) {
        _ = try await execute("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits for the next notification on the channels this connection listens to.
    ///
    /// Waits on the connection's socket with `poll` (no sleeping), on the connection's own
    /// thread; task cancellation wakes the wait at once through a pipe.
    ///
    /// ```swift
    /// try await connection.listen("jobs")
    /// while let note = try await connection.nextNotification(timeout: .seconds(30)) { … }
    /// ```
    /// - Parameter timeout: the longest wait; `nil` waits until a notification or cancellation.
    /// - Returns: the notification, or `nil` when the timeout passed first.
    /// - Throws: `CancellationError` when the task is cancelled; ``PostgresError`` `.connectionClosed`
    ///   when the server went away.
    public func nextNotification(timeout: Duration? = nil) async throws -> PostgresNotification? {
        try checkOwner()
        let connection = try liveHandle()
        if let notification = takeNotification(connection) { return notification }
        drainWake()
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return try await withTaskCancellationHandler {
            while true {
                try Task.checkCancellation()
                guard PQconsumeInput(connection) == 1 else { throw lostOrFailed(connection, server: nil) }
                if let notification = takeNotification(connection) { return notification }
                var milliseconds: Int32 = -1
                if let deadline {
                    let left = deadline - ContinuousClock.now
                    if left <= .zero { return nil }
                    let (seconds, attoseconds) = left.components
                    milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
                }
                var descriptors = [
                    pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0),
                    pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, milliseconds)
                if ready < 0 && errno != EINTR {
                    throw PostgresError(code: .connectionClosed, reason: "poll failed with errno \(errno)")
                }
                if descriptors[1].revents != 0 { drainWake() }
            }
        } onCancel: {
            self.wake()
        }
    }

    private func takeNotification(_ connection: OpaquePointer) -> PostgresNotification? {
        guard let pointer = PQnotifies(connection) else { return nil }
        defer { PQfreemem(pointer) }
        let notify = pointer.pointee
        return PostgresNotification(
            channel: String(cString: notify.relname),
            payload: notify.extra.map { String(cString: $0) } ?? "",
            processID: notify.be_pid)
    }

    /// `"name"` escaped by libpq for this connection's encoding.
    func escapedIdentifier(_ name: String) throws(PostgresError) -> String {
        guard !name.utf8.contains(0) else {
            throw PostgresError(code: .invalidParameter, reason: "an identifier contains a NUL character")
        }
        let connection = try liveHandle()
        guard let escaped = PQescapeIdentifier(connection, name, name.utf8.count) else {
            throw PostgresError(code: .invalidParameter, reason: "libpq refused the identifier: \(Self.libpqMessage(connection))")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}
