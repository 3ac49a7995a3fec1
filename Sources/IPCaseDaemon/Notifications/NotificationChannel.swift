/// The result of one delivery attempt.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The receiver accepted the message.
    case delivered
    /// The attempt failed in a way that may pass later (timeout, 5xx, temporary mail failure).
    case retryable(reason: String)
    /// The attempt failed in a way that will not pass by retrying (4xx, refused header, unknown user).
    case permanentFailure(reason: String)

    /// Whether the message was delivered.
    public var isDelivered: Bool {
        switch self {
        case .delivered: true
        case .retryable, .permanentFailure: false
        }
    }
}

/// A way to deliver notifications: a webhook, e-mail through `sendmail`, or a test double.
///
/// `send` makes exactly one attempt and classifies its result; retrying is the caller's job
/// (`deliver(_:via:policy:)`, or an outbox that stores `RetryPolicy.nextAttempt`). A reason
/// is safe to log and to store: it never contains secrets or the message body.
public protocol NotificationChannel: Sendable {
    /// A short name for logs and metrics (`webhook`, `email`).
    var name: String { get }

    /// Makes one delivery attempt.
    func send(_ message: NotificationMessage) async -> DeliveryOutcome
}
