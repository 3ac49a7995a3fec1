import Logging
import ServiceLifecycle

/// The result of `deliver(_:via:policy:)`: the last outcome and how many attempts it took.
public struct DeliveryReport: Sendable, Hashable {
    /// The outcome of the last attempt.
    public var outcome: DeliveryOutcome
    /// Attempts made (1 when the first succeeded).
    public var attempts: Int

    /// A report from its parts.
    public init(outcome: DeliveryOutcome, attempts: Int) {
        self.outcome = outcome
        self.attempts = attempts
    }
}

/// Delivers `message` through `channel`, retrying retryable failures with `policy`'s backoff.
///
/// Stops at the first success, at a permanent failure, when attempts run out, or (returning
/// the last retryable outcome) when the task is cancelled or graceful shutdown begins during
/// a wait, so that a caller with an outbox can record the attempt and resume later. Counts
/// `ipcase_notifications_sent_total` / `ipcase_notifications_failed_total` when `metrics` is given.
///
/// - Parameters:
///   - message: the notification.
///   - channel: one way of delivering it.
///   - policy: attempts and backoff.
///   - metrics: counters to update, if any.
///   - logger: receives one line per failed attempt (reasons only, never the body).
public func deliver(
    _ message: NotificationMessage,
    via channel: some NotificationChannel,
    policy: RetryPolicy,
    metrics: DaemonMetrics? = nil,
    logger: Logger = Logger(label: "ipcased.notifications")
) async -> DeliveryReport {
    var attempt = 0
    while true {
        attempt += 1
        let outcome = await channel.send(message)
        let metadata: Logger.Metadata = [
            "notification.key": "\(message.idempotencyKey)", "notification.channel": "\(channel.name)",
            "notification.attempt": "\(attempt)",
        ]
        switch outcome {
        case .delivered:
            metrics?.notificationsSent(channel: channel.name).increment()
            logger.debug("Notification delivered", metadata: metadata)
            return DeliveryReport(outcome: outcome, attempts: attempt)
        case .permanentFailure(let reason):
            metrics?.notificationsFailed(channel: channel.name).increment()
            logger.error("Notification failed permanently", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
            return DeliveryReport(outcome: outcome, attempts: attempt)
        case .retryable(let reason):
            guard let delay = policy.delay(afterAttempt: attempt, jitter: .random(in: 0..<1)) else {
                metrics?.notificationsFailed(channel: channel.name).increment()
                logger.error(
                    "Notification failed: no attempts left", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
                return DeliveryReport(outcome: outcome, attempts: attempt)
            }
            logger.warning(
                "Notification attempt failed; retrying",
                metadata: metadata.merging(["reason": "\(reason)", "retry.delay": "\(delay)"]) { $1 })
            if Task.isCancelled || Task.isShuttingDownGracefully {
                return DeliveryReport(outcome: outcome, attempts: attempt)
            }
            let slept: Bool = await cancelWhenGracefulShutdown {
                do {
                    try await Task.sleep(for: delay)
                    return true
                } catch {
                    return false
                }
            }
            if !slept { return DeliveryReport(outcome: outcome, attempts: attempt) }
        }
    }
}
