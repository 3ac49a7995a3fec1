import Crypto
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Delivers notifications as signed JSON `POST`s to a webhook.
///
/// Each request carries:
/// - `Content-Type: application/json`, the body being
///   `{"body":…,"idempotency_key":…,"payload":…,"recipients":[…],"subject":…,"topic":…}`
///   (keys sorted);
/// - `X-IPCase-Signature: sha256=<hex>`, the HMAC-SHA256 of the exact body bytes keyed with
///   `webhook.secret`;
/// - `X-IPCase-Idempotency-Key`, so a receiver can drop repeats;
/// - `X-IPCase-Topic`.
///
/// A 2xx answer is delivered; 408, 429, 5xx, timeouts and connection errors are retryable;
/// other answers (4xx, 3xx, since redirects are not followed) are permanent failures.
public struct WebhookChannel: NotificationChannel {
    /// `webhook`.
    public var name: String { "webhook" }

    private let settings: WebhookSettings
    private let session: URLSession

    /// A channel posting to `settings.url`.
    public init(settings: WebhookSettings) {
        self.settings = settings
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = RetryPolicy.seconds(settings.timeout)
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// The request body for `message`: sorted-key JSON.
    public static func body(for message: NotificationMessage) -> Data {
        struct Body: Encodable {
            var idempotencyKey: String
            var topic: String
            var recipients: [String]
            var subject: String
            var body: String
            var payload: JSONValue

            enum CodingKeys: String, CodingKey {
                case idempotencyKey = "idempotency_key"
                case topic, recipients, subject, body, payload
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let value = Body(
            idempotencyKey: message.idempotencyKey, topic: message.topic, recipients: message.recipients,
            subject: message.subject, body: message.body, payload: message.payload)
        // Encoding strings, integers, decimals, arrays and objects cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// The `X-IPCase-Signature` value for `body`: `sha256=` and the lowercase hex HMAC-SHA256.
    public static func signature(of body: Data, secret: Secret) -> String {
        let key = SymmetricKey(data: Data(secret.revealed().utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Posts the message once and classifies the answer.
    public func send(_ message: NotificationMessage) async -> DeliveryOutcome {
        let body = Self.body(for: message)
        var request = URLRequest(url: settings.url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = RetryPolicy.seconds(settings.timeout)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("ipcased", forHTTPHeaderField: "User-Agent")
        request.setValue(Self.signature(of: body, secret: settings.secret), forHTTPHeaderField: "X-IPCase-Signature")
        request.setValue(Self.headerSafe(message.idempotencyKey), forHTTPHeaderField: "X-IPCase-Idempotency-Key")
        request.setValue(Self.headerSafe(message.topic), forHTTPHeaderField: "X-IPCase-Topic")
        do {
            let (_, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                return .retryable(reason: "no HTTP response")
            }
            return Self.classify(statusCode: http.statusCode)
        } catch let error as URLError {
            switch error.code {
            case .timedOut: return .retryable(reason: "timed out after \(settings.timeout)")
            case .badURL, .unsupportedURL: return .permanentFailure(reason: "bad webhook URL")
            default: return .retryable(reason: "request failed: URLError \(error.code.rawValue)")
            }
        } catch is CancellationError {
            return .retryable(reason: "cancelled")
        } catch {
            return .retryable(reason: "request failed: \(type(of: error))")
        }
    }

    /// The outcome of an HTTP status code.
    public static func classify(statusCode: Int) -> DeliveryOutcome {
        switch statusCode {
        case 200..<300: .delivered
        case 408, 429, 500..<600: .retryable(reason: "HTTP \(statusCode)")
        default: .permanentFailure(reason: "HTTP \(statusCode)")
        }
    }

    /// Header values cannot span lines: control characters become spaces.
    private static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

/// Refuses redirects: a webhook answering 3xx is misconfigured, and POST must not turn into GET.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
