import Foundation
import IPCase
import IPCaseStore
import Logging
import PostgresClient
import ServiceLifecycleTestKit
import Testing

@testable import IPCaseDaemon

@Suite("sweeper and sender services (PostgreSQL, webhook)")
struct SweeperServiceTests {
    @Test(
        "the services sweep a reminder, deliver it through the webhook, and stop on graceful shutdown")
    func servicesDeliverSweptReminderAndStopGracefully() async throws {
        let database = try await SweeperTestDatabase.migrated(prefix: "sweepsvc")
        let office = try await SweeperOffice.create(in: database, name: "Service office")
        let right = try await office.right(
            in: database, reference: "EP-SVC-1", jurisdiction: .european,
            applicationNumber: "24 100 200.3")
        let due = CivilDate.iso("2027-03-31")
        // Not a fee: no renewal decision (and its notices) is opened for it.
        let id = try await office.deadline(
            in: database, right: right, type: "office_action_response", due: due, final: .iso("2027-09-30"))
        let server = try ScriptedHTTPServer(statuses: [200])
        defer { server.stop() }

        let configuration = try ConfigurationLoader(
            filePath: nil,
            environment: [
                "IPCASE_DATABASE_URL": database.url, "IPCASE_WEBHOOK_URL": server.url.absoluteString,
                "IPCASE_WEBHOOK_SECRET": "0123456789abcdef0123",
            ]
        ).load()
        let metrics = DaemonMetrics()
        let context = DaemonContext(
            configuration: ConfigurationStore(configuration), health: DaemonHealth(), metrics: metrics,
            notifier: SystemdNotifier(environment: [:]), logger: Logger(label: "test"))
        let outbox = OutboxSenderService(
            context: context, pollInterval: .seconds(30), worker: "svc-test",
            connect: { try await database.daemonStore() })
        let instant = Date(
            timeIntervalSince1970: Double(due.adding(days: -7).daysSinceEpoch) * 86_400 + 6 * 3_600)
        let sweeper = DeadlineSweepService(
            context: context, clock: .fixed(instant), outboxWake: outbox.wake,
            connect: { try await database.daemonStore() })

        let key = "deadline:\(id):reminder:7"
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await sweeper.run() }
                group.addTask { try await outbox.run() }
                // First the sweep (however long a loaded machine takes to start it), then the
                // delivery: the sender polls only every 30 s, so delivery within seconds of the
                // reminder's row proves the sweep woke it.
                let sweepStarted = ContinuousClock.now
                while server.requests.isEmpty && ContinuousClock.now - sweepStarted < .seconds(120),
                    try await database.admin.query("SELECT 1 FROM outbox WHERE idempotency_key = \(key)").isEmpty
                {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let started = ContinuousClock.now
                while server.requests.isEmpty && ContinuousClock.now - started < .seconds(15) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(server.requests.map { $0.headers["x-ipcase-idempotency-key"] } == [key])
        let status = try await database.admin.query(
            "SELECT status FROM outbox WHERE idempotency_key = \(key)")
        #expect(try status[0].decode(String.self, at: 0) == "delivered")
        #expect(metrics.prometheusText().contains("ipcase_deadlines_due_7d 1.0"))
    }
}
