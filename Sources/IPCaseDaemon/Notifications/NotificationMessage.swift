import Foundation

/// One notification to deliver: a reminder, an escalation, a status change.
///
/// Named `NotificationMessage` rather than `Notification` so that code importing Foundation
/// (which has `Foundation.Notification`) can use it unqualified.
///
/// ```swift
/// let message = NotificationMessage(
///     idempotencyKey: "deadline:8c1f…:reminder:30",
///     topic: "deadline.reminder",
///     recipients: ["attorney@example.kz"],
///     subject: "PCT national phase KZ due in 30 days",
///     body: "…",
///     payload: ["deadline_id": "8c1f…", "offset_days": 30])
/// ```
public struct NotificationMessage: Sendable, Hashable, Identifiable {
    /// The key that identifies this message across retries and daemons (e.g. deadline and offset).
    public var idempotencyKey: String
    /// What kind of message this is, such as `deadline.reminder` or `deadline.escalation`.
    public var topic: String
    /// The e-mail addresses of the recipients.
    public var recipients: [String]
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var body: String
    /// Structured data for machine receivers (the webhook body carries it as `payload`).
    public var payload: JSONValue

    /// The idempotency key.
    public var id: String { idempotencyKey }

    /// A message from its parts.
    public init(
        idempotencyKey: String, topic: String, recipients: [String], subject: String, body: String,
        payload: JSONValue = .object([:])
    ) {
        self.idempotencyKey = idempotencyKey
        self.topic = topic
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.payload = payload
    }
}

/// A JSON value, for notification payloads (decode one from `jsonb` text with `JSONDecoder`).
///
/// Numbers are integers or `Decimal`, never binary floating point.
public enum JSONValue: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case integer(Int)
    /// A number with a fraction or exponent.
    case decimal(Decimal)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array value.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Decimal.self) {
            self = .decimal(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .decimal(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }
}
