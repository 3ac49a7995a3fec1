import Foundation

/// When to try a failed delivery again: exponential backoff with jitter, up to a number of attempts.
///
/// Pure: the random part is an argument, so an outbox can compute `next_attempt_at` and tests
/// can pin it.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 8, initialDelay: .seconds(5), maxDelay: .seconds(3600))
/// policy.nextAttempt(after: now, attempt: 1, jitter: 0)  // now + 5 s
/// policy.nextAttempt(after: now, attempt: 3, jitter: 0)  // now + 20 s
/// policy.nextAttempt(after: now, attempt: 8)             // nil: give up
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (at least 1).
    public var maxAttempts: Int
    /// The delay after the first failed attempt.
    public var initialDelay: Duration
    /// The longest delay between two attempts.
    public var maxDelay: Duration
    /// The factor by which the delay grows after each failed attempt.
    public var multiplier: Int
    /// The share of each delay, 0…1, that is randomly taken off so that retries spread out.
    public var jitterFraction: Double

    /// A policy; `jitterFraction` is clamped to 0…1 and `maxAttempts` to at least 1.
    public init(
        maxAttempts: Int, initialDelay: Duration, maxDelay: Duration, multiplier: Int = 2, jitterFraction: Double = 0.2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = max(initialDelay, maxDelay)
        self.multiplier = max(1, multiplier)
        self.jitterFraction = min(1, max(0, jitterFraction))
    }

    /// Eight attempts, 5 s doubling to at most one hour, 20 % jitter.
    public static let standard = RetryPolicy(maxAttempts: 8, initialDelay: .seconds(5), maxDelay: .seconds(3600))

    /// The wait after failed attempt number `attempt` (1-based), or `nil` when no attempt is left.
    /// - Parameters:
    ///   - attempt: the number of the attempt that just failed, 1 for the first.
    ///   - jitter: a number in 0..<1; the delay is shortened by `jitter × jitterFraction` of itself.
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration? {
        guard attempt >= 1, attempt < maxAttempts else { return nil }
        let initial = Self.seconds(initialDelay)
        let cap = Self.seconds(maxDelay)
        var base = initial
        for _ in 1..<attempt where base < cap {
            base *= Double(multiplier)
        }
        base = min(base, cap)
        let unit = min(max(jitter, 0), 1)
        return .seconds(base * (1 - jitterFraction * unit))
    }

    /// The time of the next attempt after attempt number `attempt` failed at `failure`, or `nil` to give up.
    /// - Parameters:
    ///   - failure: when the attempt failed.
    ///   - attempt: the number of the attempt that failed, 1 for the first.
    ///   - jitter: a number in 0..<1 (random by default).
    public func nextAttempt(after failure: Date, attempt: Int, jitter: Double = .random(in: 0..<1)) -> Date? {
        delay(afterAttempt: attempt, jitter: jitter).map { failure.addingTimeInterval(Self.seconds($0)) }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
