import IPCase
import PostgresClient

/// How a message is delivered.
public enum OutboxChannel: String, Sendable, Hashable, CaseIterable, PostgresTextEnum {
    /// HTTP POST of the JSON payload.
    case webhook = "webhook"
    /// E-mail through the system's `sendmail -t`.
    case email = "email"
}

/// A message to deliver, written in the transaction of the change that causes it.
public struct OutboxMessage: Sendable, Hashable {
    /// Unique per message, e.g. `deadline:42:reminder:30`: a message with a key already in the
    /// outbox is not added again, so it is delivered at most once.
    public var idempotencyKey: String
    /// How it is delivered.
    public var channel: OutboxChannel
    /// An e-mail address or a webhook URL.
    public var recipient: String
    /// The subject line (e-mail).
    public var subject: String
    /// The message data.
    public var payload: PostgresJSON

    /// Creates a message.
    public init(
        idempotencyKey: String, channel: OutboxChannel, recipient: String, subject: String = "",
        payload: PostgresJSON
    ) {
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.payload = payload
    }
}

/// A message claimed for delivery.
public struct ClaimedMessage: Sendable, Hashable {
    /// The message's key in the outbox.
    public var id: Int64
    /// The office it belongs to.
    public var office: ID<Office>
    /// The message.
    public var message: OutboxMessage
    /// Delivery attempts so far, this one included.
    public var attempts: Int
}

extension ServiceSession {
    /// Adds messages of `office` to the outbox; those whose idempotency key is already there
    /// are skipped. Returns how many were added.
    @discardableResult
    public func enqueue(_ messages: [OutboxMessage], office: ID<Office>) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try await connection.execute(
            """
            INSERT INTO outbox (office_id, idempotency_key, channel, recipient, subject, payload)
            SELECT \(office), key, channel, recipient, subject, payload
            FROM unnest(\(messages.map(\.idempotencyKey))::text[], \(messages.map(\.channel))::text[],
                        \(messages.map(\.recipient))::text[], \(messages.map(\.subject))::text[],
                        \(messages.map(\.payload))::jsonb[]) AS m(key, channel, recipient, subject, payload)
            ON CONFLICT (idempotency_key) DO NOTHING
            """)
    }

    /// Claims up to `limit` messages due for delivery through any channel, leasing them for `lease`.
    public func claimMessages(limit: Int, lease: Duration, worker: String) async throws -> [ClaimedMessage] {
        try await claimMessages(limit: limit, lease: lease, worker: worker, channels: OutboxChannel.allCases)
    }

    /// Records a delivery. Returns false when the message was not leased by `worker` any more
    /// (then another worker owns it and this delivery must not be recorded twice).
    public func markDelivered(_ message: Int64, worker: String) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE outbox SET status = 'delivered', delivered_at = now(), lease_until = NULL, last_error = NULL
            WHERE id = \(message) AND status = 'sending' AND locked_by = \(worker)
            """) == 1
    }

    /// Records a failed delivery: retried after `retryAfter`, or dead after `maxAttempts`.
    public func failMessage(
        _ message: Int64, error: String, retryAfter: Duration, maxAttempts: Int, worker: String
    ) async throws {
        _ = try await connection.execute(
            """
            UPDATE outbox SET status = CASE WHEN attempts >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                   next_attempt_at = now() + make_interval(secs => \(retryAfter.seconds)),
                   lease_until = NULL, locked_by = NULL, last_error = \(error)
            WHERE id = \(message) AND status = 'sending' AND locked_by = \(worker)
            """)
    }
}

extension OfficeSession {
    /// Adds messages of the session's office to the outbox in this transaction; those whose
    /// idempotency key is already there are skipped (also when another daemon adds the same key
    /// concurrently: the unique key decides). Returns the keys actually added.
    @discardableResult
    public func enqueue(_ messages: [OutboxMessage]) async throws -> [String] {
        guard !messages.isEmpty else { return [] }
        return try await connection.query(
            """
            INSERT INTO outbox (office_id, idempotency_key, channel, recipient, subject, payload)
            SELECT \(office), key, channel, recipient, subject, payload
            FROM unnest(\(messages.map(\.idempotencyKey))::text[], \(messages.map(\.channel))::text[],
                        \(messages.map(\.recipient))::text[], \(messages.map(\.subject))::text[],
                        \(messages.map(\.payload))::jsonb[]) AS m(key, channel, recipient, subject, payload)
            ORDER BY key
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING idempotency_key
            """
        ).map { try $0.decode(String.self, at: 0) }
    }
}

extension ServiceSession {
    /// Claims up to `limit` messages due for delivery through one of `channels` (messages for a
    /// channel that is not configured stay pending), leasing them for `lease`. Messages whose
    /// lease expired (their sender died) are claimed again.
    public func claimMessages(
        limit: Int, lease: Duration, worker: String, channels: [OutboxChannel]
    ) async throws -> [ClaimedMessage] {
        guard !channels.isEmpty, limit > 0 else { return [] }
        return try await connection.query(
            """
            UPDATE outbox SET status = 'sending', lease_until = now() + make_interval(secs => \(lease.seconds)),
                   locked_by = \(worker), attempts = attempts + 1
            WHERE id = ANY(ARRAY(SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
                                   AND channel = ANY(\(channels)::text[])
                                 ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED))
               OR id = ANY(ARRAY(SELECT id FROM outbox WHERE status = 'sending' AND lease_until < now()
                                   AND channel = ANY(\(channels)::text[])
                                 ORDER BY lease_until, id LIMIT \(limit) FOR UPDATE SKIP LOCKED))
            RETURNING id, office_id, idempotency_key, channel, recipient, subject, payload, attempts
            """
        ).map { row in
            let (id, office, key, channel, recipient, subject, payload, attempts) = try row.decode(
                Int64.self, ID<Office>.self, String.self, OutboxChannel.self, String.self, String.self,
                PostgresJSON.self, Int.self)
            return ClaimedMessage(
                id: id, office: office,
                message: OutboxMessage(
                    idempotencyKey: key, channel: channel, recipient: recipient, subject: subject, payload: payload),
                attempts: attempts)
        }
    }

    /// Records a delivery that failed in a way retrying cannot fix: the message is dead at once.
    /// Returns false when the message was not leased by `worker` any more.
    @discardableResult
    public func failMessagePermanently(_ message: Int64, error: String, worker: String) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE outbox SET status = 'dead', lease_until = NULL, locked_by = NULL, last_error = \(error)
            WHERE id = \(message) AND status = 'sending' AND locked_by = \(worker)
            """) == 1
    }
}
