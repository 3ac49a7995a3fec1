import Synchronization

/// Whether the daemon is ready: every required component reports ready and shutdown has not begun.
///
/// Components are named when the daemon is assembled (e.g. `"database"` once connected and
/// migrations are current). `READY=1` is sent when all are ready; `GET /healthz` answers
/// 200 while they are and 503 otherwise.
///
/// ```swift
/// let health = DaemonHealth(components: ["database"])
/// health.setReady("database")                                   // after connect + migrations
/// health.setUnhealthy("database", reason: "connection lost")    // while reconnecting
/// ```
public final class DaemonHealth: Sendable {
    /// A summary of the daemon's health.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// Some components have not reported ready yet.
        case starting(waitingFor: [String])
        /// Every component is ready.
        case ready
        /// A component reported a problem after being ready.
        case unhealthy(reasons: [String])
        /// Shutdown has begun; in-flight work is draining.
        case stopping

        /// `ok`, `starting: waiting for database`, `unhealthy: database: …` or `stopping`.
        public var description: String {
            switch self {
            case .ready: "ok"
            case .starting(let names): "starting: waiting for " + names.joined(separator: ", ")
            case .unhealthy(let reasons): "unhealthy: " + reasons.joined(separator: "; ")
            case .stopping: "stopping"
            }
        }
    }

    private enum Component: Sendable {
        case starting
        case ready
        case unhealthy(String)
    }

    private struct State: ~Copyable {
        var components: [String: Component]
        var stopping = false
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var cancelledWaiters: Set<UInt64> = []
        var nextWaiter: UInt64 = 0

        var allReady: Bool {
            components.values.allSatisfy {
                switch $0 {
                case .ready: true
                case .starting, .unhealthy: false
                }
            }
        }
    }

    private let state: Mutex<State>

    /// Health tracking for the named components; with none, the daemon is ready at once.
    public init(components: [String] = []) {
        state = Mutex(State(components: Dictionary(components.map { ($0, .starting) }) { first, _ in first }))
    }

    /// Adds a component that must report ready (before `waitUntilReady` completes, ideally).
    public func require(_ component: String) {
        state.withLock { $0.components[component] = $0.components[component] ?? .starting }
    }

    /// Marks `component` ready; wakes `waitUntilReady` once all are.
    public func setReady(_ component: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.components[component] = .ready
            guard state.allReady else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Marks `component` unhealthy with a reason (shown by `/healthz`; never put secrets in it).
    public func setUnhealthy(_ component: String, reason: String) {
        state.withLock { $0.components[component] = .unhealthy(reason) }
    }

    /// Records that shutdown began; `/healthz` answers 503 from now on.
    public func beginStopping() {
        state.withLock { $0.stopping = true }
    }

    /// The current status.
    public var status: Status {
        state.withLock { state in
            if state.stopping { return .stopping }
            var starting: [String] = []
            var reasons: [String] = []
            for (name, component) in state.components.sorted(by: { $0.key < $1.key }) {
                switch component {
                case .ready: break
                case .starting: starting.append(name)
                case .unhealthy(let reason): reasons.append("\(name): \(reason)")
                }
            }
            if !reasons.isEmpty { return .unhealthy(reasons: reasons) }
            if !starting.isEmpty { return .starting(waitingFor: starting) }
            return .ready
        }
    }

    /// Whether the status is `.ready`.
    public var isReady: Bool { status == .ready }

    /// Returns once every component is ready.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func waitUntilReady() async throws {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelledWaiters.remove(id) != nil { return .failure(CancellationError()) }
                    if state.allReady { return .success(()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
