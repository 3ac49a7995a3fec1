import Foundation
import IPCase
import IPCaseStore
import Logging
import PostgresClient

/// What one round of the sender did.
public struct OutboxSendReport: Sendable, Hashable {
    /// Messages claimed.
    public var claimed = 0
    /// Messages delivered and recorded as delivered.
    public var delivered = 0
    /// Messages whose attempt failed and that will be tried again.
    public var retried = 0
    /// Messages given up on (a permanent failure, or attempts exhausted).
    public var failed = 0
    /// Deliveries made after the lease was lost (another sender owns the message now).
    public var leaseLost = 0

    /// An empty report.
    public init() {}
}

/// Delivers the transactional outbox: claims due messages (`FOR UPDATE SKIP LOCKED`, with a
/// lease, so many daemons share the work and a dead sender's messages are claimed again),
/// makes one attempt through the message's channel, and records the result: delivered (at most
/// one delivery recorded per idempotency key), retried at ``RetryPolicy``'s next attempt, or
/// dead after a permanent failure or the last attempt.
///
/// Messages for a channel that is not configured stay pending until it is.
public struct OutboxSender: Sendable {
    /// The store (its connection is used by one round at a time).
    public let store: Store
    /// The configured channels by outbox channel.
    public var channels: [OutboxChannel: any NotificationChannel]
    /// Attempts and backoff.
    public var policy: RetryPolicy
    /// The lease on claimed messages: longer than a delivery attempt can take.
    public var lease: Duration
    /// This sender's name in `locked_by`.
    public var worker: String
    /// Counters for sent and failed notifications, if any.
    public var metrics: DaemonMetrics?
    /// Where the sender logs (keys and reasons, never bodies).
    public var logger: Logger

    /// A sender over `store` delivering through `channels`.
    public init(
        store: Store, channels: [OutboxChannel: any NotificationChannel],
        policy: RetryPolicy = .standard,
        lease: Duration = .seconds(120), worker: String, metrics: DaemonMetrics? = nil,
        logger: Logger = Logger(label: "ipcased.outbox")
    ) {
        self.store = store
        self.channels = channels
        self.policy = policy
        self.lease = lease
        self.worker = worker
        self.metrics = metrics
        self.logger = logger
    }

    /// The channels a configuration enables, keyed by outbox channel.
    public static func channels(of configuration: DaemonConfiguration) -> [OutboxChannel:
        any NotificationChannel]
    {
        var channels: [OutboxChannel: any NotificationChannel] = [:]
        if let webhook = configuration.webhook {
            channels[.webhook] = WebhookChannel(settings: webhook)
        }
        if let mail = configuration.mail { channels[.email] = SendmailChannel(settings: mail) }
        return channels
    }

    /// Claims up to `limit` due messages and delivers each once. The claim commits before any
    /// delivery, so a slow receiver holds no database lock; each result commits on its own.
    public func sendDue(limit: Int) async throws -> OutboxSendReport {
        var report = OutboxSendReport()
        let channelNames = channels.keys.sorted { $0.rawValue < $1.rawValue }
        let lease = self.lease
        let worker = self.worker
        let claimed = try await store.withService(actor: worker) { session in
            try await session.claimMessages(
                limit: limit, lease: lease, worker: worker, channels: channelNames)
        }
        report.claimed = claimed.count
        for message in claimed {
            guard let channel = channels[message.message.channel] else { continue }
            let notification = Self.notification(from: message.message)
            let outcome = await channel.send(notification)
            let metadata: Logger.Metadata = [
                "notification.key": "\(message.message.idempotencyKey)",
                "notification.channel": "\(channel.name)",
                "notification.attempt": "\(message.attempts)", "office.id": "\(message.office)",
            ]
            switch outcome {
            case .delivered:
                let recorded = try await store.withService(actor: worker) { session in
                    try await session.markDelivered(message.id, worker: worker)
                }
                metrics?.notificationsSent(channel: channel.name).increment()
                if recorded {
                    report.delivered += 1
                    logger.debug("Notification delivered", metadata: metadata)
                } else {
                    report.leaseLost += 1
                    logger.warning("Notification delivered after its lease expired", metadata: metadata)
                }
            case .retryable(let reason):
                if let delay = policy.delay(afterAttempt: message.attempts, jitter: .random(in: 0..<1)) {
                    try await store.withService(actor: worker) { session in
                        try await session.failMessage(
                            message.id, error: reason, retryAfter: delay, maxAttempts: policy.maxAttempts,
                            worker: worker)
                    }
                    report.retried += 1
                    logger.warning(
                        "Notification attempt failed; retrying",
                        metadata: metadata.merging(["reason": "\(reason)", "retry.delay": "\(delay)"]) { $1 })
                } else {
                    try await giveUp(message, reason: "\(reason); no attempts left", metadata: metadata)
                    metrics?.notificationsFailed(channel: channel.name).increment()
                    report.failed += 1
                }
            case .permanentFailure(let reason):
                try await giveUp(message, reason: reason, metadata: metadata)
                metrics?.notificationsFailed(channel: channel.name).increment()
                report.failed += 1
            }
        }
        return report
    }

    private func giveUp(_ message: ClaimedMessage, reason: String, metadata: Logger.Metadata)
        async throws
    {
        let worker = self.worker
        _ = try await store.withService(actor: worker) { session in
            try await session.failMessagePermanently(message.id, error: reason, worker: worker)
        }
        logger.error(
            "Notification failed permanently", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
    }

    /// The notification an outbox row stands for (its payload is an ``OutboxEnvelope``; a payload
    /// that is not one is sent as data with the subject as body).
    public static func notification(from message: OutboxMessage) -> NotificationMessage {
        let envelope =
            (try? message.payload.decode(OutboxEnvelope.self))
            ?? OutboxEnvelope(
                topic: "notification", body: message.subject,
                data: (try? message.payload.decode(JSONValue.self)) ?? .object([:]))
        return NotificationMessage(
            idempotencyKey: message.idempotencyKey, topic: envelope.topic,
            recipients: [message.recipient],
            subject: message.subject, body: envelope.body, payload: envelope.data)
    }
}
