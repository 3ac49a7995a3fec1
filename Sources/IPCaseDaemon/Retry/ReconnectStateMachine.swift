/// What a service does about its database connection next: a pure state machine (no I/O, no
/// clock), as postgres-nio's connection state machines are, so every service of the daemon
/// reconnects by the same rules and the rules are tested without a server.
///
/// ```swift
/// var machine = ReconnectStateMachine(policy: .reconnect)
/// machine.needed()                     // .connect
/// machine.connected()                  // the connection is up: use it
/// machine.failed(.retry, jitter: 0)    // .wait(.milliseconds(100)), then .connect again
/// machine.failed(.stop, jitter: 0)     // .stop: a refused login or privilege, retrying cannot help
/// ```
public struct ReconnectStateMachine: Sendable, Hashable {
    /// What the service does next.
    public enum Action: Sendable, Hashable {
        /// Open a connection.
        case connect
        /// The connection is live: use it.
        case use
        /// Close what is left of the connection, wait this long, then connect.
        case wait(Duration)
        /// Stop the service: the failure cannot pass by retrying.
        case stop
    }

    /// What kind of failure happened.
    public enum Failure: Sendable, Hashable {
        /// A lost connection, a server restart, a timeout: try again.
        case retry
        /// A refused login or a missing privilege.
        case stop
    }

    private enum State: Sendable, Hashable {
        case disconnected
        case connected
        case stopped
    }

    private var state = State.disconnected
    /// Failures since the last working connection.
    public private(set) var failures = 0
    /// How long to wait after each failure.
    public let policy: RetryPolicy

    /// A machine for one connection, disconnected.
    public init(policy: RetryPolicy = .reconnect) {
        self.policy = policy
    }

    /// The service needs its connection: connect, or use the one it has.
    public func needed() -> Action {
        switch state {
        case .disconnected: .connect
        case .connected: .use
        case .stopped: .stop
        }
    }

    /// The connection was opened (and whatever the service does on connecting succeeded).
    public mutating func connected() {
        guard state != .stopped else { return }
        state = .connected
    }

    /// The work on the connection succeeded: the next failure waits the shortest time again.
    public mutating func succeeded() {
        guard state == .connected else { return }
        failures = 0
    }

    /// Connecting or the work failed: wait (longer after each failure in a row), or stop.
    /// - Parameters:
    ///   - failure: what failed.
    ///   - jitter: a number in 0..<1, the share of the policy's jitter taken off.
    public mutating func failed(_ failure: Failure, jitter: Double) -> Action {
        guard state != .stopped else { return .stop }
        if failure == .stop {
            state = .stopped
            return .stop
        }
        state = .disconnected
        failures += 1
        // By 64 failures in a row the delay is long at its cap.
        return .wait(policy.delay(afterAttempt: min(failures, 64, policy.maxAttempts - 1), jitter: jitter) ?? policy.maxDelay)
    }
}

extension RetryPolicy {
    /// Reconnecting to the database: 100 ms doubling to 5 s, 25 % jitter, for ever.
    public static let reconnect = RetryPolicy(
        maxAttempts: .max, initialDelay: .milliseconds(100), maxDelay: .seconds(5), jitterFraction: 0.25)
}
