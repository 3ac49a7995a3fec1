import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How one statement (or connection attempt) in flight answers task cancellation.
///
/// A statement sent before its task was cancelled is cancelled on the server (a cancel request,
/// as `PQcancel` sends it) when the cancellation arrives; a statement sent by an already cancelled
/// task (a `ROLLBACK`, a clean-up) runs to its end. Either way, once the task is cancelled the
/// server has ``PostgresConnection/cancellationGrace`` to answer; after that the connection is
/// closed, so that a cancelled task never waits on an unreachable or frozen server.
struct Flight {
    /// The task was already cancelled when the statement was sent.
    let startedCancelled: Bool
    /// A cancel request was sent for this statement.
    var cancelRequested = false
    /// When the wait gives up (set once the task is cancelled).
    var deadline: ContinuousClock.Instant?

    init() { startedCancelled = Task.isCancelled }
}

/// A `PGcancel` handed to the thread that sends the cancel request.
private struct CancelRequest: @unchecked Sendable {
    let handle: OpaquePointer
}

/// Signals once a cancel request has been delivered (or has failed).
final class CancelDelivery: @unchecked Sendable {
    private let condition = NSCondition()
    private var delivered = false

    func finish() {
        condition.lock()
        delivered = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until delivered or `deadline`; true when delivered.
    func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !delivered {
            if !condition.wait(until: deadline) { return delivered }
        }
        return true
    }
}

extension PostgresConnection {
    /// How long the server may take to answer once the task that waits on it is cancelled, before
    /// the connection is closed (3 s).
    public static let cancellationGrace: Duration = .seconds(3)

    /// How often a statement's wait looks whether its task was cancelled (100 ms).
    static let cancellationCheckInterval: Duration = .milliseconds(100)

    /// Runs `body` with cancellation of the task waking its waits at once. Only for work no other
    /// task can interleave with (connecting): the handler is a suspension point of the actor.
    func cancellable<T>(_ body: () throws(PostgresError) -> T) async throws(PostgresError) -> T {
        let result: Result<T, PostgresError> = await withTaskCancellationHandler {
            Result { () throws(PostgresError) -> T in try body() }
        } onCancel: {
            self.wake()
        }
        return try result.get()
    }

    // MARK: Statements

    /// Sends the statement with `send` and reads its results as `PQexec` does: the last result,
    /// or the first error; waits on the socket so that cancellation is answered.
    func exec(_ connection: OpaquePointer, _ send: () -> Int32) throws(PostgresError) -> PostgresResult {
        var flight = Flight()
        let result = try execRaw(connection, &flight, send)
        return try finished(result, connection, flight)
    }

    /// ``exec(_:_:)`` returning libpq's result as it is (`COPY` starts with `PGRES_COPY_IN`).
    func execRaw(_ connection: OpaquePointer, _ flight: inout Flight, _ send: () -> Int32)
        throws(PostgresError) -> OwnedResult
    {
        try settleCancelRequest()
        guard send() == 1 else { throw lostOrFailed(connection, server: nil) }
        var last: OpaquePointer?
        do throws(PostgresError) {
            while let pointer = try nextResult(connection, &flight) {
                if let last { PQclear(last) }
                last = pointer
                let status = PQresultStatus(pointer)
                if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH
                    || PQstatus(connection) == CONNECTION_BAD
                {
                    break
                }
            }
        } catch {
            if let last { PQclear(last) }
            throw error
        }
        guard let last else { throw lostOrFailed(connection, server: nil) }
        return OwnedResult(last)
    }

    /// The next result of the statement in flight (`PQgetResult`), waiting for the socket
    /// rather than blocking in libpq; `nil` when the statement's results are all read.
    func nextResult(_ connection: OpaquePointer, _ flight: inout Flight) throws(PostgresError) -> OpaquePointer? {
        try awaitInput(connection, &flight)
        return PQgetResult(connection)
    }

    /// ``consume(_:_:)``, naming a statement the server cancelled at this task's request.
    func finished(_ result: consuming OwnedResult, _ connection: OpaquePointer, _ flight: Flight)
        throws(PostgresError) -> PostgresResult
    {
        do throws(PostgresError) {
            return try consume(result, connection)
        } catch {
            throw Self.marked(error, flight)
        }
    }

    /// A `57014` the cancel request caused becomes `.cancelled`.
    static func marked(_ error: PostgresError, _ flight: Flight) -> PostgresError {
        guard flight.cancelRequested, error.sqlState == PostgresError.SQLState.queryCanceled else { return error }
        var cancelled = error
        cancelled.code = .cancelled
        cancelled.reason = "the statement was cancelled because its task was cancelled"
        return cancelled
    }

    /// Waits until libpq can hand out a result without blocking.
    func awaitInput(_ connection: OpaquePointer, _ flight: inout Flight) throws(PostgresError) {
        while PQisBusy(connection) == 1 {
            try wait(on: connection, for: Int16(POLLIN), &flight)
            guard PQconsumeInput(connection) == 1 else { throw lostOrFailed(connection, server: nil) }
        }
    }

    /// One `poll` on the connection's socket and the wake-up pipe, answering cancellation.
    func wait(on connection: OpaquePointer, for events: Int16, _ flight: inout Flight) throws(PostgresError) {
        if flight.deadline == nil, Task.isCancelled {
            if !flight.startedCancelled {
                requestCancel(connection)
                flight.cancelRequested = true
            }
            flight.deadline = .now + Self.cancellationGrace
        }
        // Statements look at their task's cancellation every check interval (an actor's statement
        // cannot install a cancellation handler without becoming a suspension point).
        var milliseconds = Self.milliseconds(Self.cancellationCheckInterval)
        if let deadline = flight.deadline {
            let left = deadline - .now
            if left <= .zero {
                close()
                var error = PostgresError(
                    code: .cancelled,
                    reason: "the server did not answer within \(Self.cancellationGrace) after the task was cancelled; "
                        + "the connection was closed")
                error.sqlState = PostgresError.SQLState.queryCanceled
                throw error
            }
            milliseconds = min(milliseconds, Self.milliseconds(left))
        }
        var descriptors = [
            pollfd(fd: PQsocket(connection), events: events, revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, 2, milliseconds)
        if ready < 0 && errno != EINTR {
            throw PostgresError(code: .connectionClosed, reason: "poll failed with errno \(errno)")
        }
        if descriptors[1].revents != 0 { drainWake() }
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    // MARK: Cancel requests

    /// Asks the server to cancel the statement in flight, from a thread of its own (the request
    /// opens a connection of its own, which an unreachable server would keep waiting).
    private func requestCancel(_ connection: OpaquePointer) {
        guard let handle = PQgetCancel(connection) else { return }
        let request = CancelRequest(handle: handle)
        let delivery = CancelDelivery()
        pendingCancel = delivery
        logger.debug("postgres cancel request sent")
        Thread.detachNewThread {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(request.handle, &message, Int32(message.count))
            PQfreeCancel(request.handle)
            delivery.finish()
        }
    }

    /// Before the next statement: a cancel request still under way could hit it, so wait for it
    /// (within the grace), or close the connection.
    func settleCancelRequest() throws(PostgresError) {
        guard let delivery = pendingCancel else { return }
        pendingCancel = nil
        if !delivery.wait(until: Date().addingTimeInterval(Double(Self.milliseconds(Self.cancellationGrace)) / 1000)) {
            close()
            throw PostgresError(
                code: .connectionClosed,
                reason: "the server did not acknowledge a cancel request; the connection was closed")
        }
    }

    // MARK: Connecting

    /// Connects without blocking in libpq (`PQconnectStartParams`, `PQconnectPoll`), so that
    /// cancellation ends the attempt at once; `connect_timeout` bounds the whole attempt.
    func startConnection(keywords: [String], values: [String]) throws(PostgresError) -> OpaquePointer {
        let started = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectStartParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection = started else {
            throw PostgresError(code: .connectionFailed, reason: "libpq could not allocate a connection")
        }
        let gaveUpAt = Self.connectTimeout(connection).map { ContinuousClock.now + $0 }
        var state = PGRES_POLLING_WRITING
        while PQstatus(connection) != CONNECTION_BAD {
            if state == PGRES_POLLING_OK || state == PGRES_POLLING_FAILED {
                return connection  // The caller reads the status and the message.
            }
            // libpq may be polled again only once the socket is ready.
            let events = state == PGRES_POLLING_READING ? Int16(POLLIN) : Int16(POLLOUT)
            while true {
                if Task.isCancelled {
                    PQfinish(connection)
                    throw PostgresError(code: .cancelled, reason: "connecting was cancelled")
                }
                if let gaveUpAt, ContinuousClock.now >= gaveUpAt {
                    PQfinish(connection)
                    var error = PostgresError(
                        code: .connectionFailed, reason: "no answer from the server within connect_timeout")
                    error.message = "timeout expired"
                    throw error
                }
                let milliseconds = gaveUpAt.map { Self.milliseconds(max(.zero, $0 - .now)) } ?? -1
                var descriptors = [
                    pollfd(fd: PQsocket(connection), events: events, revents: 0),
                    pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, milliseconds)
                if ready < 0 && errno != EINTR {
                    PQfinish(connection)
                    throw PostgresError(code: .connectionFailed, reason: "poll failed with errno \(errno)")
                }
                if descriptors[1].revents != 0 { drainWake() }
                if descriptors[0].revents != 0 { break }
            }
            state = PQconnectPoll(connection)
        }
        return connection
    }

    /// The connection's `connect_timeout` (libpq's rule: unset or 0 waits for ever; at least 2 s).
    private static func connectTimeout(_ connection: OpaquePointer) -> Duration? {
        guard let options = PQconninfo(connection) else { return .seconds(10) }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "connect_timeout" {
                guard let value = option.pointee.val, let seconds = Int(String(cString: value)), seconds > 0 else {
                    return nil
                }
                return .seconds(max(2, seconds))
            }
            option += 1
        }
        return .seconds(10)
    }
}
