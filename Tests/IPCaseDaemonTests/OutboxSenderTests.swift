import Crypto
import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

@testable import IPCaseDaemon

@Suite("outbox sender (PostgreSQL, webhook)", .serialized)
struct OutboxSenderTests {
    let database: SweeperTestDatabase
    let secret = "whsec-outbox-test-42"

    init() async throws {
        database = try await SweeperTestDatabase.migrated(prefix: "outbox")
    }

    /// A reminder written by the sweeper for the webhook channel; returns its key.
    func sweptReminder(officeName: String) async throws -> String {
        let office = try await SweeperOffice.create(in: database, name: officeName)
        let right = try await office.right(
            in: database, reference: "\(officeName)-EP", jurisdiction: .european,
            applicationNumber: "23 812 345.6")
        let due = CivilDate.iso("2027-03-31")
        let id = try await office.deadline(
            in: database, right: right, due: due, final: .iso("2027-09-30"))
        let sweeper = DeadlineSweeper(store: try await database.daemonStore(), channel: .webhook)
        let instant = Date(
            timeIntervalSince1970: Double(due.adding(days: -30).daysSinceEpoch) * 86_400 + 6 * 3_600)
        let report = try await sweeper.sweep(at: instant)
        #expect(report.reminders == 1)
        return "deadline:\(id):reminder:30"
    }

    func sender(_ server: ScriptedHTTPServer, metrics: DaemonMetrics, worker: String = "test-sender")
        async throws
        -> OutboxSender
    {
        OutboxSender(
            store: try await database.daemonStore(),
            channels: [
                .webhook: WebhookChannel(
                    settings: WebhookSettings(url: server.url, secret: Secret(secret), timeout: .seconds(5)))
            ],
            policy: RetryPolicy(maxAttempts: 5, initialDelay: .zero, maxDelay: .zero), worker: worker,
            metrics: metrics)
    }

    func row(_ key: String) async throws -> (
        status: String, attempts: Int, delivered: Bool, error: String?
    ) {
        let rows = try await database.admin.query(
            """
            SELECT status, attempts, delivered_at IS NOT NULL, last_error FROM outbox WHERE idempotency_key = \(key)
            """)
        let (status, attempts, delivered, error) = try rows[0].decode(
            String.self, Int.self, Bool.self, String?.self)
        return (status, attempts, delivered, error)
    }

    @Test(
        "a 500 then 200 is retried and delivered exactly once; the row records it and the signature verifies"
    )
    func serverErrorIsRetriedThenDeliveredOnce() async throws {
        let key = try await sweptReminder(officeName: "Webhook office")
        let server = try ScriptedHTTPServer(statuses: [500, 200])
        defer { server.stop() }
        let metrics = DaemonMetrics()
        let sender = try await sender(server, metrics: metrics)

        let first = try await sender.sendDue(limit: 10)
        #expect(first.claimed == 1 && first.retried == 1 && first.delivered == 0)
        let afterFailure = try await row(key)
        #expect(afterFailure.status == "pending")
        #expect(afterFailure.error == "HTTP 500")

        let second = try await sender.sendDue(limit: 10)
        #expect(second.delivered == 1)
        let third = try await sender.sendDue(limit: 10)
        #expect(third.claimed == 0)

        let delivered = try await row(key)
        #expect(delivered.status == "delivered" && delivered.delivered && delivered.attempts == 2)
        #expect(delivered.error == nil)
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.headers["x-ipcase-idempotency-key"] == key })

        let request = try #require(server.requests.last)
        let mac = HMAC<SHA256>.authenticationCode(
            for: request.body, using: SymmetricKey(data: Data(secret.utf8)))
        let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        #expect(request.headers["x-ipcase-signature"] == expected)
        let body = try JSONDecoder().decode(WebhookBodyProbe.self, from: request.body)
        #expect(
            body.subject
                == "EP 23 812 345.6 — renewal year 5 due 2027-03-31 (final 2027-09-30), EPC Rule 51(1)")
        #expect(body.recipients == [SweeperOffice.attorneyEmail])
        #expect(body.topic == "deadline.reminder")
        guard case .object(let payload) = body.payload else {
            Issue.record("payload is not an object")
            return
        }
        #expect(payload["due_date"] == "2027-03-31")
        #expect(payload["offset_days"] == 30)
        let text = metrics.prometheusText()
        #expect(text.contains(#"ipcase_notifications_sent_total{channel="webhook"} 1"#))
        #expect(text.contains(#"ipcase_notifications_failed_total{channel="webhook"} 0"#))
    }

    @Test("a permanent failure (4xx) is marked failed and not retried")
    func clientErrorIsDeadAndNotRetried() async throws {
        let key = try await sweptReminder(officeName: "Rejecting office")
        let server = try ScriptedHTTPServer(statuses: [404, 200])
        defer { server.stop() }
        let metrics = DaemonMetrics()
        let sender = try await sender(server, metrics: metrics)

        let first = try await sender.sendDue(limit: 10)
        #expect(first.failed == 1)
        let again = try await sender.sendDue(limit: 10)
        #expect(again.claimed == 0)
        let dead = try await row(key)
        #expect(dead.status == "dead" && !dead.delivered && dead.attempts == 1)
        #expect(dead.error == "HTTP 404")
        #expect(server.requests.count == 1)
        #expect(
            metrics.prometheusText().contains(#"ipcase_notifications_failed_total{channel="webhook"} 1"#))
    }

    @Test("messages for a channel that is not configured stay pending")
    func unconfiguredChannelWaits() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Mail office")
        let store = try await database.daemonStore()
        try await store.withOffice(office.office, actor: "test") { session in
            _ = try await session.enqueue([
                OutboxMessage(
                    idempotencyKey: "test:mail-only", channel: .email, recipient: "x@example.kz",
                    subject: "Hello",
                    payload: try PostgresJSON(encoding: OutboxEnvelope(topic: "test", body: "Hi", data: [:])))
            ])
        }
        let server = try ScriptedHTTPServer(statuses: [200])
        defer { server.stop() }
        let report = try await sender(server, metrics: DaemonMetrics()).sendDue(limit: 10)
        #expect(report.claimed == 0)
        #expect(try await row("test:mail-only").status == "pending")
    }
}
