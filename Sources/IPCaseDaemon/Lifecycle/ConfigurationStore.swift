import Synchronization

/// The daemon's current configuration, replaced on SIGHUP reload; services read or observe it.
///
/// Two ways to follow reloads:
/// - read `current` at the start of each unit of work (a batch, a sweep, a delivery), which
///   is what most services should do;
/// - iterate `updates()` to react at once (e.g. to reschedule a timer):
///
/// ```swift
/// for await configuration in store.updates() {
///     sweepInterval = configuration.sweepInterval
/// }
/// ```
///
/// Settings with `ConfigKey.requiresRestart` (database URL, workers, metrics address,
/// shutdown timeout) keep their start-up values across reloads.
public final class ConfigurationStore: Sendable {
    private struct State: ~Copyable {
        var current: DaemonConfiguration
        var subscribers: [UInt64: AsyncStream<DaemonConfiguration>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
    }

    private let state: Mutex<State>

    /// A store holding `initial`.
    public init(_ initial: DaemonConfiguration) {
        state = Mutex(State(current: initial))
    }

    /// The configuration in effect now.
    public var current: DaemonConfiguration {
        state.withLock { $0.current }
    }

    /// A stream of the configurations published after this call (newest only if a reader lags).
    public func updates() -> AsyncStream<DaemonConfiguration> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: DaemonConfiguration.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Replaces the configuration and hands it to every subscriber.
    public func publish(_ configuration: DaemonConfiguration) {
        let subscribers = state.withLock { state in
            state.current = configuration
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(configuration) }
    }
}
