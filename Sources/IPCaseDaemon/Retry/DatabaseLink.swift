import Logging
import PostgresClient
import ServiceLifecycle

/// The one way the daemon's services stay connected: a connection (or a `Store` on one) that
/// is opened when needed, closed after a failure, and opened again after the wait the
/// ``ReconnectStateMachine`` gives; a refused login or privilege stops the service with
/// ``MissingPrivilegeError``, and any ``ServiceStoppingError`` (a schema that is not current)
/// passes through.
///
/// Connecting and waiting end at once on graceful shutdown (and on cancellation), so a daemon
/// whose database is unreachable stops promptly; the work in `body` is not interrupted by
/// graceful shutdown (a batch in hand completes), only by cancellation.
///
/// Owned by one task (the service's loop) or actor:
///
/// ```swift
/// let link = DatabaseLink(service: "sweeper", logger: logger, open: { try await Store.connect(url: url) },
///                         close: { await $0.connection.close() })
/// while !Task.isShuttingDownGracefully {
///     guard let report = try await link.withConnection({ try await DeadlineSweeper(store: $0).sweep(at: .now) })
///     else { continue }   // failed: the link waited; try again
///     …
/// }
/// await link.close()
/// ```
public final class DatabaseLink<Resource: Sendable> {
    private var machine: ReconnectStateMachine
    private var resource: Resource?
    private let service: String
    private let logger: Logger
    private let open: @Sendable () async throws -> Resource
    private let closeResource: (Resource) async -> Void
    private let onFailure: (any Error, Duration) -> Void

    /// A link, not yet connected.
    /// - Parameters:
    ///   - service: names the service in logs and in a ``MissingPrivilegeError``.
    ///   - policy: the waits between attempts.
    ///   - logger: where failures are logged (never the URL).
    ///   - open: connects and does what the service does on each new connection.
    ///   - close: closes a connection after a failure or at the end.
    ///   - onFailure: told each failure and the wait before the next attempt (e.g. to report health).
    public init(
        service: String, policy: RetryPolicy = .reconnect, logger: Logger,
        open: @escaping @Sendable () async throws -> Resource, close: @escaping (Resource) async -> Void,
        onFailure: @escaping (any Error, Duration) -> Void = { _, _ in }
    ) {
        self.machine = ReconnectStateMachine(policy: policy)
        self.service = service
        self.logger = logger
        self.open = open
        self.closeResource = close
        self.onFailure = onFailure
    }

    /// Failures since the last success.
    public var failures: Int { machine.failures }

    /// Runs `body` on the live connection, connecting first when there is none.
    ///
    /// - Returns: what `body` returned, or `nil` when connecting or `body` failed: the
    ///   connection was then closed and the wait slept (cut short by graceful shutdown).
    /// - Throws: ``MissingPrivilegeError`` (the service must stop), `CancellationError`, and
    ///   nothing else.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation, _ body: (Resource) async throws -> T
    ) async throws -> T? {
        do {
            let live = try await connection()
            let value = try await body(live)
            machine.succeeded()
            return value
        } catch let error as CancellationError {
            await close()
            throw error
        } catch let error as any ServiceStoppingError {
            await close()
            throw error
        } catch {
            await close()
            if Task.isCancelled { throw CancellationError() }
            if Task.isShuttingDownGracefully { return nil }
            try MissingPrivilegeError.stopIfMissingPrivilege(error, service: service, logger: logger)
            guard case .wait(let delay) = machine.failed(.retry, jitter: .random(in: 0..<1)) else { return nil }
            onFailure(error, delay)
            logger.warning(
                "\(service) lost the database; reconnecting",
                metadata: ["error": "\(error)", "retry.after": "\(delay)", "failures": "\(machine.failures)"])
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            if Task.isCancelled { throw CancellationError() }
            return nil
        }
    }

    /// The connection works: the next failure waits the shortest time again (a service whose
    /// work never returns, such as the listener, says so once it is set up).
    public func succeeded() { machine.succeeded() }

    /// The live connection, opened when needed (connecting ends at graceful shutdown).
    private func connection(isolation: isolated (any Actor)? = #isolation) async throws -> Resource {
        if machine.needed() == .use, let resource { return resource }
        let open = self.open
        let opened = try await cancelWhenGracefulShutdown { try await open() }
        resource = opened
        machine.connected()
        return opened
    }

    /// Closes the connection, if one is open.
    public func close(isolation: isolated (any Actor)? = #isolation) async {
        guard let resource else { return }
        self.resource = nil
        await closeResource(resource)
    }
}

/// An error after which a service must stop rather than reconnect (``MissingPrivilegeError``,
/// ``PendingMigrationsError``): ``DatabaseLink`` passes it through.
public protocol ServiceStoppingError: Error {}

extension MissingPrivilegeError: ServiceStoppingError {}
extension PendingMigrationsError: ServiceStoppingError {}
