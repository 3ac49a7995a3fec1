import Synchronization

/// Wakes idle workers: the listener rings it when a job is queued (a notification arrived, or
/// after reconnecting, to re-scan); workers wait on it with the sweep interval as the longest nap.
///
/// It also gates the workers until the database is usable (connected, migrations current).
///
/// ```swift
/// let bell = JobDoorbell()
/// let seen = bell.generation
/// // … claim finds nothing …
/// await bell.wait(after: seen, timeout: .seconds(5))   // returns on ring(), after 5 s, or on cancellation
/// ```
public final class JobDoorbell: Sendable {
    private struct State: ~Copyable {
        var generation: UInt64 = 0
        var isOpen = false
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UInt64> = []
        var stopClaimed = false
    }

    private let state = Mutex(State())

    /// A closed doorbell (workers wait in ``waitUntilOpen()`` until ``open()``).
    public init() {}

    /// How many times it rang; pass it to ``wait(after:timeout:)``.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Whether the database was found usable.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Wakes every waiting worker.
    public func ring() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll(keepingCapacity: true) }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// In a `--once` run, whether the calling idle worker is the first: that one ends the run by
    /// returning (its service then shuts the group down); the others must wait for their turn in
    /// the graceful shutdown, since a service that returns out of turn fails the group.
    public func claimStop() -> Bool {
        state.withLock { state in
            defer { state.stopClaimed = true }
            return !state.stopClaimed
        }
    }

    /// Lets the workers start (and wakes them).
    public func open() {
        state.withLock { $0.isOpen = true }
        ring()
    }

    /// Returns once ``open()`` was called.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func waitUntilOpen() async throws {
        while !isOpen {
            await wait(after: generation, timeout: .seconds(1))
            try Task.checkCancellation()
        }
    }

    /// Returns when the doorbell rang since `generation` was read, after `timeout`, or when the
    /// task is cancelled, whichever comes first.
    public func wait(after seen: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.park(after: seen) }
            await group.next()
            group.cancelAll()
        }
    }

    private func park(after seen: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.generation != seen || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                // Not parked yet (or already woken): make the park return at once.
                if state.nextWaiter > id { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume()
        }
    }
}
