import ServiceLifecycle
import Synchronization

/// Wakes a service's loop before its interval runs out (the sweeper when deadlines changed,
/// the sender when messages were queued). Wake-ups coalesce: many calls before the service
/// looks wake it once; a call while nobody waits wakes the next wait at once.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    /// A signal nobody has raised yet.
    public init() {}

    /// Wakes the waiting service (or the next wait, if none is waiting).
    public func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// Waits until `wake()` is called or `interval` passes; returns early on cancellation or
    /// graceful shutdown. Returns true when woken by `wake()`. One waiter at a time.
    @discardableResult
    public func wait(upTo interval: Duration) async -> Bool {
        let woken = await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { await self.waitForWake() }
                group.addTask {
                    try? await Task.sleep(for: interval)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }
        return woken
    }

    private func waitForWake() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                state.withLock { state in
                    if state.pending || Task.isCancelled {
                        let woken = state.pending
                        state.pending = false
                        continuation.resume(returning: woken)
                    } else {
                        state.waiter = continuation
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: false)
        }
    }
}
