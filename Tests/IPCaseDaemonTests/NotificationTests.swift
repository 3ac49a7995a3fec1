import Crypto
import Foundation
import IPCaseDaemon
import Logging
import Testing

let reminder = NotificationMessage(
    idempotencyKey: "deadline:41:reminder:30",
    topic: "deadline.reminder",
    recipients: ["attorney@example.kz"],
    subject: "PCT national phase KZ due in 30 days",
    body: "Application PCT/KZ2023/000123: national phase entry is due on 2025-09-15.",
    payload: ["deadline_id": 41, "offset_days": 30, "fee": ["amount_minor": 1_250_000, "currency": "KZT"]]
)

/// A fast policy for tests: milliseconds instead of seconds.
let quickRetries = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100))

@Suite("webhook notifications")
struct WebhookTests {
    let secret = Secret("whsec-test-0123456789abcdef")

    func channel(_ server: ScriptedHTTPServer, timeout: Duration = .seconds(5)) -> WebhookChannel {
        WebhookChannel(settings: WebhookSettings(url: server.url, secret: secret, timeout: timeout))
    }

    @Test("requests are signed with HMAC-SHA256 of the body, which the receiver can verify")
    func requestsAreSignedAndVerify() async throws {
        let server = try ScriptedHTTPServer(statuses: [200])
        defer { server.stop() }
        let outcome = await channel(server).send(reminder)
        #expect(outcome == .delivered)

        let request = try #require(server.requests.first)
        #expect(request.requestLine == "POST /hook HTTP/1.1")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["x-ipcase-idempotency-key"] == "deadline:41:reminder:30")
        #expect(request.headers["x-ipcase-topic"] == "deadline.reminder")

        // What a receiver does: HMAC the raw body with the shared secret, compare in constant time.
        let header = try #require(request.headers["x-ipcase-signature"])
        #expect(header.hasPrefix("sha256="))
        let expected = HMAC<SHA256>.authenticationCode(
            for: request.body, using: SymmetricKey(data: Data("whsec-test-0123456789abcdef".utf8)))
        let received = try #require(Data(hexString: String(header.dropFirst("sha256=".count))))
        #expect(
            HMAC<SHA256>.isValidAuthenticationCode(
                received, authenticating: request.body,
                using: SymmetricKey(data: Data("whsec-test-0123456789abcdef".utf8))))
        #expect(Data(expected) == received)
        // A body altered in transit no longer verifies.
        var tampered = request.body
        tampered[tampered.startIndex] ^= 1
        #expect(
            !HMAC<SHA256>.isValidAuthenticationCode(
                received, authenticating: tampered, using: SymmetricKey(data: Data("whsec-test-0123456789abcdef".utf8)))
        )

        let body = try JSONDecoder().decode(WebhookBodyProbe.self, from: request.body)
        #expect(body.idempotencyKey == reminder.idempotencyKey)
        #expect(body.recipients == reminder.recipients)
        #expect(body.subject == reminder.subject)
        #expect(body.payload == reminder.payload)
    }

    @Test("the signature matches the published test vector format")
    func signatureFormat() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        #expect(
            WebhookChannel.signature(of: Data("what do ya want for nothing?".utf8), secret: Secret("Jefe"))
                == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("a 500 then a 200 is retried and delivered exactly once")
    func serverErrorIsRetriedThenDeliveredOnce() async throws {
        let server = try ScriptedHTTPServer(statuses: [500, 200])
        defer { server.stop() }
        let metrics = DaemonMetrics()
        let report = await deliver(reminder, via: channel(server), policy: quickRetries, metrics: metrics)
        #expect(report == DeliveryReport(outcome: .delivered, attempts: 2))
        #expect(server.requests.count == 2)
        #expect(Set(server.requests.map { $0.headers["x-ipcase-idempotency-key"] }) == ["deadline:41:reminder:30"])
        let text = metrics.prometheusText()
        #expect(text.contains(#"ipcase_notifications_sent_total{channel="webhook"} 1"#))
        #expect(text.contains(#"ipcase_notifications_failed_total{channel="webhook"} 0"#))
    }

    @Test("a 4xx answer is a permanent failure and is not retried")
    func clientErrorIsNotRetried() async throws {
        let server = try ScriptedHTTPServer(statuses: [422, 200])
        defer { server.stop() }
        let metrics = DaemonMetrics()
        let report = await deliver(reminder, via: channel(server), policy: quickRetries, metrics: metrics)
        #expect(report == DeliveryReport(outcome: .permanentFailure(reason: "HTTP 422"), attempts: 1))
        #expect(server.requests.count == 1)
        #expect(metrics.prometheusText().contains(#"ipcase_notifications_failed_total{channel="webhook"} 1"#))
    }

    @Test("a receiver that keeps failing is given up on after the policy's attempts")
    func attemptsRunOut() async throws {
        let server = try ScriptedHTTPServer(statuses: [503])
        defer { server.stop() }
        let report = await deliver(reminder, via: channel(server), policy: quickRetries)
        #expect(report == DeliveryReport(outcome: .retryable(reason: "HTTP 503"), attempts: 4))
        #expect(server.requests.count == 4)
    }

    @Test("a receiver slower than the timeout is a retryable failure")
    func timeoutIsRetryable() async throws {
        let server = try ScriptedHTTPServer(statuses: [200], delay: .seconds(3))
        defer { server.stop() }
        let outcome = await channel(server, timeout: .seconds(1)).send(reminder)
        guard case .retryable = outcome else {
            Issue.record("expected a retryable failure, got \(outcome)")
            return
        }
    }

    @Test(
        "HTTP status codes are classified",
        arguments: [
            (200, true, false), (204, true, false), (301, false, false), (400, false, false), (401, false, false),
            (404, false, false), (408, false, true), (429, false, true), (500, false, true), (503, false, true),
        ])
    func statusClassification(status: Int, delivered: Bool, retryable: Bool) {
        let outcome = WebhookChannel.classify(statusCode: status)
        #expect(outcome.isDelivered == delivered)
        if case .retryable = outcome { #expect(retryable) } else { #expect(!retryable) }
    }
}

/// The webhook body as a receiver decodes it.
struct WebhookBodyProbe: Decodable {
    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key"
        case topic, recipients, subject, body, payload
    }

    var idempotencyKey: String
    var topic: String
    var recipients: [String]
    var subject: String
    var body: String
    var payload: JSONValue
}

@Suite("retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(5), maxDelay: .seconds(60), jitterFraction: 0.2)

    @Test(
        "delays double from the initial delay up to the maximum, and stop after the last attempt",
        arguments: [(1, 5.0), (2, 10.0), (3, 20.0), (4, 40.0), (5, 60.0)])
    func exponentialBackoff(attempt: Int, seconds: Double) {
        #expect(policy.delay(afterAttempt: attempt, jitter: 0) == .seconds(seconds))
        // Jitter only shortens, by at most the jitter fraction.
        #expect(policy.delay(afterAttempt: attempt, jitter: 1) == .seconds(seconds * 0.8))
    }

    @Test("no attempt follows the last one")
    func exhausted() {
        #expect(policy.delay(afterAttempt: 6, jitter: 0) == nil)
        #expect(policy.nextAttempt(after: Date(timeIntervalSince1970: 0), attempt: 6) == nil)
    }

    @Test("the next attempt is the failure time plus the delay")
    func nextAttemptTime() {
        let failure = Date(timeIntervalSince1970: 1_750_000_000)
        #expect(policy.nextAttempt(after: failure, attempt: 3, jitter: 0.5) == failure.addingTimeInterval(18))
    }

    @Test("random jitter stays within its bounds")
    func jitterBounds() {
        for _ in 0..<100 {
            let next = policy.nextAttempt(after: Date(timeIntervalSince1970: 0), attempt: 2)!
            #expect((8.0...10.0).contains(next.timeIntervalSince1970))
        }
    }
}

@Suite("e-mail through sendmail")
struct SendmailTests {
    /// A fake `sendmail` that records its arguments and standard input, then exits with `status`.
    func fakeSendmail(in directory: String, status: Int32 = 0) throws -> String {
        let script = directory + "/sendmail"
        try """
        #!/bin/sh
        printf '%s\\n' "$@" > '\(directory)/args'
        cat > '\(directory)/stdin'
        echo "fake sendmail says no" >&2
        exit \(status)
        """.write(toFile: script + ".txt", atomically: true, encoding: .utf8)
        // Written by a child process: a file this process held open for writing could still be
        // open in a child another test is forking at that moment, and exec would then fail with
        // ETXTBSY ("text file busy").
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = [script + ".txt", script]
        try copy.run()
        copy.waitUntilExit()
        chmod(script, 0o755)
        return script
    }

    func channel(_ path: String) -> SendmailChannel {
        SendmailChannel(
            settings: MailSettings(sendmailPath: path, from: "IPCase <ipcase@tto.example.kz>", timeout: .seconds(10)))
    }

    @Test("sendmail -t -oi receives an RFC 5322 message with the notification")
    func messageIsPipedToSendmail() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = await channel(try fakeSendmail(in: directory)).send(reminder)
        #expect(outcome == .delivered)
        #expect(try String(contentsOfFile: directory + "/args", encoding: .utf8) == "-t\n-oi\n")
        let message = try String(contentsOfFile: directory + "/stdin", encoding: .utf8)
        let (head, body) = try #require(message.split(separator: "\n\n", maxSplits: 1).map(String.init).pair)
        let headers = head.split(separator: "\n")
        #expect(headers.contains("From: IPCase <ipcase@tto.example.kz>"))
        #expect(headers.contains("To: attorney@example.kz"))
        #expect(headers.contains("Subject: PCT national phase KZ due in 30 days"))
        #expect(headers.contains("X-IPCase-Idempotency-Key: deadline:41:reminder:30"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains { $0.hasPrefix("Date: ") && $0.hasSuffix(" +0000") })
        #expect(headers.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@tto.example.kz>") })
        #expect(body == reminder.body + "\n")
    }

    @Test("the same notification always gets the same Message-ID")
    func messageIDIsDerivedFromTheIdempotencyKey() throws {
        let mail = channel("/usr/sbin/sendmail")
        let first = try mail.rfc5322Message(for: reminder, date: Date(timeIntervalSince1970: 0))
        let second = try mail.rfc5322Message(for: reminder, date: Date(timeIntervalSince1970: 86_400))
        let id = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("Message-ID:") } }
        #expect(id(first) != nil && id(first) == id(second))
    }

    @Test(
        "header injection is refused and sendmail is not run",
        arguments: [
            ("Reminder\r\nBcc: everyone@example.org", ["attorney@example.kz"]),
            ("Reminder\nBcc: everyone@example.org", ["attorney@example.kz"]),
            ("Reminder", ["attorney@example.kz\r\nBcc: everyone@example.org"]),
            ("Reminder", ["attorney@example.kz, everyone@example.org"]),
            ("Reminder", ["-oQ/tmp/x@example.org"]),
            ("Reminder", []),
        ])
    func headerInjectionIsRefused(subject: String, recipients: [String]) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var message = reminder
        message.subject = subject
        message.recipients = recipients
        let outcome = await channel(try fakeSendmail(in: directory)).send(message)
        guard case .permanentFailure = outcome else {
            Issue.record("expected a permanent failure, got \(outcome)")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/stdin"))
    }

    @Test("a From address with a line break is refused")
    func fromInjectionIsRefused() {
        let mail = SendmailChannel(
            settings: MailSettings(sendmailPath: "/bin/true", from: "a@b.org\nBcc: x@y.org", timeout: .seconds(1)))
        #expect(throws: SendmailChannel.MessageError.controlCharacterInHeader(field: "From")) {
            try mail.rfc5322Message(for: reminder)
        }
    }

    @Test("a non-ASCII subject is encoded as RFC 2047 words")
    func nonASCIISubjectIsEncoded() throws {
        var message = reminder
        message.subject = "Срок: пошлина за патент"
        let text = try channel("/usr/sbin/sendmail").rfc5322Message(for: message)
        let subject = try #require(text.split(separator: "\n").first { $0.hasPrefix("Subject: ") })
        #expect(subject.hasPrefix("Subject: =?UTF-8?B?"))
        #expect(subject.allSatisfy { $0.isASCII })
    }

    @Test(
        "sendmail exit codes are classified (sysexits.h)",
        arguments: [(75, true), (69, true), (71, true), (67, false), (65, false), (77, false)])
    func exitCodes(status: Int32, retryable: Bool) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = await channel(try fakeSendmail(in: directory, status: status)).send(reminder)
        switch outcome {
        case .retryable(let reason):
            #expect(retryable)
            #expect(reason == "sendmail exited with \(status): fake sendmail says no")
        case .permanentFailure(let reason):
            #expect(!retryable)
            #expect(reason == "sendmail exited with \(status): fake sendmail says no")
        case .delivered:
            Issue.record("a failing sendmail cannot deliver")
        }
    }

    @Test("a missing sendmail program is retryable (the administrator can install it)")
    func missingProgram() async {
        let outcome = await channel("/nonexistent/sendmail").send(reminder)
        guard case .retryable = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
    }
}

extension Array {
    fileprivate var pair: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}

extension Data {
    fileprivate init?(hexString: String) {
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2, limitedBy: hexString.endIndex) ?? hexString.endIndex
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
