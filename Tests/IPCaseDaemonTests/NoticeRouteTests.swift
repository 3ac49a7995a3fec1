import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import Testing

/// Workflow notices and follow-ups processed by the job workers reach the configured channel,
/// addressed as the sweeper addresses deadline notices.
@Suite("notices and follow-ups from processed jobs")
struct NoticeRouteTests {
    func configuration(_ environment: [String: String]) throws -> DaemonConfiguration {
        try ConfigurationLoader(
            filePath: nil, environment: ["IPCASE_DATABASE_URL": "postgresql://localhost/ipcase"].merging(environment) { $1 }
        ).load()
    }

    @Test("e-mail when mail.from is set (also with a webhook), else the webhook, else nothing but a log line")
    func routeFollowsTheSweepersChoice() throws {
        let webhook = ["IPCASE_WEBHOOK_URL": "https://hooks.example.kz/ipcase", "IPCASE_WEBHOOK_SECRET": "0123456789abcdef0123"]
        let mail = ["IPCASE_MAIL_FROM": "ipcase@tto.example.kz"]
        #expect(NoticeRoute(configuration: try configuration(mail)) == .email)
        #expect(NoticeRoute(configuration: try configuration(mail.merging(webhook) { $1 })) == .email)
        #expect(
            NoticeRoute(configuration: try configuration(webhook)) == .webhook(url: "https://hooks.example.kz/ipcase"))
        #expect(NoticeRoute(configuration: try configuration([:])) == nil)
    }

    @Test("with e-mail configured, a notice for the attorney goes to the attorney, a follow-up to the supervisor")
    func noticesAreEmailedToTheAttorneyOrTheSupervisor() async throws {
        let database = try await QueueDatabase.make()
        let office = database.office
        let right = try await database.seed(rights: 1)[0]
        _ = try await database.admin.execute("DELETE FROM jobs")
        _ = try await database.admin.execute(
            "UPDATE offices SET supervisor_email = 'head@tto.example.kz' WHERE office_id = \(office)")
        let attorney = try await database.admin.query(
            """
            INSERT INTO parties (office_id, kind, name, sector, roles, email)
            VALUES (\(office), 'person', 'A. Attorney', 'other', '{attorney}', 'attorney@ip.example.kz') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await database.admin.execute(
            "UPDATE rights SET attorney_id = \(attorney) WHERE office_id = \(office) AND id = \(right)")

        let notice = WorkflowEffect.notify(
            Notice(subject: .right(ID(rawValue: right)), audience: [.responsibleAttorney], message: "right lapsed"))
        let followUp = WorkflowEffect.scheduleFollowUp(
            for: .disclosure(ID(rawValue: 7)), on: .iso("2027-01-15"), reason: "review of on-hold disclosure")
        let ids = try await database.admin.query(
            """
            INSERT INTO jobs (office_id, kind, payload)
            VALUES (\(office), 'notify', \(try PostgresJSON(encoding: notice))),
                   (\(office), 'follow-up', \(try PostgresJSON(encoding: followUp)))
            RETURNING id
            """
        ).map { try $0.decode(Int64.self, at: 0) }

        let configuration = try configuration(["IPCASE_MAIL_FROM": "ipcase@tto.example.kz"])
        let jobs = try await Store(connection: database.admin).withService(actor: "test") { session in
            try await session.claimJobs(limit: 10, lease: .seconds(30), worker: "w")
        }
        let processor = JobBatchProcessor(
            notices: NoticeRoute(configuration: configuration),
            retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)), worker: "w",
            logger: Logger(label: "test"))
        let outcome = try await processor.process(jobs, on: database.admin)
        #expect(outcome.completed == 2)
        // Processing again (a retry) adds nothing: the key is the job's.
        _ = try await processor.process(jobs, on: database.admin)

        let rows = try await database.admin.query(
            "SELECT idempotency_key, channel, recipient, subject, payload FROM outbox ORDER BY id"
        ).map { try $0.decode(String.self, String.self, String.self, String.self, PostgresJSON.self) }
        #expect(rows.count == 2)
        #expect(rows.map(\.0) == ["job:\(ids[0]):notify", "job:\(ids[1]):follow-up"])
        #expect(rows.map(\.1) == ["email", "email"])
        #expect(rows.map(\.2) == ["attorney@ip.example.kz", "head@tto.example.kz"])
        #expect(rows[0].3 == "right lapsed")
        #expect(rows[1].3.contains("review of on-hold disclosure"))
        let envelopes = try rows.map { try $0.4.decode(OutboxEnvelope.self) }
        #expect(envelopes.map(\.topic) == ["workflow.notice", "workflow.follow-up"])
        // The e-mail a sender would build from the first row.
        let message = OutboxSender.notification(
            from: OutboxMessage(
                idempotencyKey: rows[0].0, channel: .email, recipient: rows[0].2, subject: rows[0].3,
                payload: rows[0].4))
        #expect(message.recipients == ["attorney@ip.example.kz"])
        #expect(message.body == "right lapsed")
    }

    @Test("a notice with no address (no attorney e-mail, no supervisor) writes no e-mail row")
    func unaddressedNoticeWritesNothing() async throws {
        let database = try await QueueDatabase.make()
        let notice = WorkflowEffect.notify(
            Notice(subject: .deal(ID(rawValue: 3)), audience: [.office], message: "deal signed"))
        _ = try await database.admin.execute(
            "INSERT INTO jobs (office_id, kind, payload) VALUES (\(database.office), 'notify', \(try PostgresJSON(encoding: notice)))"
        )
        let jobs = try await Store(connection: database.admin).withService(actor: "test") { session in
            try await session.claimJobs(limit: 10, lease: .seconds(30), worker: "w")
        }
        let processor = JobBatchProcessor(
            notices: .email, retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)),
            worker: "w", logger: Logger(label: "test"))
        #expect(try await processor.process(jobs, on: database.admin).completed == 1)
        #expect(try await database.count("SELECT count(*) FROM outbox") == 0)
    }
}
