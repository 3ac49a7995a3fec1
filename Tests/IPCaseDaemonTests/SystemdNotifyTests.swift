import Foundation
import IPCaseDaemon
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@Suite("systemd notify protocol")
struct SystemdNotifyTests {
    @Test("READY, STATUS, STOPPING and RELOADING reach the socket", arguments: NotifySocketListener.Kind.allCases)
    func notifierDeliversStatesToTheSocket(kind: NotifySocketListener.Kind) throws {
        let listener = try NotifySocketListener(kind)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)

        try notifier.notify(.ready, .status("3 jobs queued"))
        #expect(listener.receive() == "READY=1\nSTATUS=3 jobs queued")

        try notifier.notify(.stopping)
        #expect(listener.receive() == "STOPPING=1")

        let before = MonotonicClockReading.nowMicroseconds()
        try notifier.notify(.reloadingNow())
        let reloading = try #require(listener.receive())
        let lines = reloading.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
        #expect(stamp >= before && stamp <= MonotonicClockReading.nowMicroseconds())
    }

    @Test("without NOTIFY_SOCKET notifying does nothing and does not fail")
    func notifierWithoutSocketIsANoOp() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        try notifier.notify(.ready, .watchdog, .stopping)
    }

    @Test("a socket that does not exist is reported as a send error")
    func missingSocketIsAnError() {
        let notifier = SystemdNotifier(socketAddress: "/nonexistent/ipcase/notify")
        #expect(throws: SystemdNotifyError.self) { try notifier.notify(.ready) }
    }

    @Test("a status text cannot inject further assignments")
    func statusCannotBreakTheLineProtocol() {
        #expect(SystemdNotifyState.status("ok\nREADY=1").line == "STATUS=ok READY=1")
    }

    @Test(
        "WATCHDOG_USEC is honoured only for this process",
        arguments: [
            (["WATCHDOG_USEC": "30000000"], Duration.seconds(15)),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"], Duration.seconds(15)),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], nil),
            (["WATCHDOG_USEC": "0"], nil),
            (["WATCHDOG_USEC": "soon"], nil),
            ([:], nil),
        ] as [([String: String], Duration?)])
    func watchdogTimeoutFromEnvironment(environment: [String: String], pingInterval: Duration?) {
        #expect(WatchdogTimeout(environment: environment)?.pingInterval == pingInterval)
    }

    @Test(
        "a service group sends READY=1 with STATUS=, WATCHDOG=1 at half of WATCHDOG_USEC, and STOPPING=1 on graceful shutdown",
        arguments: NotifySocketListener.Kind.allCases)
    func serviceGroupSpeaksTheNotifyProtocol(kind: NotifySocketListener.Kind) async throws {
        let listener = try NotifySocketListener(kind)
        let environment = [
            "NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "400000", "WATCHDOG_PID": "\(getpid())",
        ]
        let logger = Logger(label: "test")
        let notifier = SystemdNotifier(environment: environment)
        let health = DaemonHealth(components: ["database"])
        let timeout = try #require(WatchdogTimeout(environment: environment))
        let configuration = try ConfigurationLoader.resolve(
            file: nil, environment: ["IPCASE_DATABASE_URL": "postgresql:///ipcase"], overrides: [:])
        let drained = DrainProbe()
        let group = DaemonServiceGroup(
            configuration: configuration,
            watchdog: WatchdogService(notifier: notifier, timeout: timeout, logger: logger),
            metricsServer: nil,
            reloader: nil,
            workServices: [.init(service: drained)],
            notifyService: SystemdNotifyService(
                notifier: notifier, health: health, statusInterval: .seconds(60), status: { "42 jobs queued" },
                logger: logger),
            logger: logger
        ).group

        let started = ContinuousClock.now
        // Counted as they arrive, so the test waits for the pings however busy the test process
        // is (a fixed sleep saw fewer when other suites kept the cooperative pool busy).
        let pingsSeen = PingCounter()
        async let datagrams = listener.receiveInBackground(
            until: { message in
                if message == "WATCHDOG=1" { pingsSeen.count.withLock { $0 += 1 } }
                return message.hasPrefix("STOPPING=1")
            }, timeout: .seconds(60))
        async let running: Void = group.run()
        try await Task.sleep(for: .milliseconds(300))
        health.setReady("database")
        while pingsSeen.count.withLock({ $0 }) < 5 && ContinuousClock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(50))
        }
        await group.triggerGracefulShutdown()
        try await running
        let received = await datagrams

        let messages = received.map(\.message)
        let readyIndex = try #require(messages.firstIndex(of: "READY=1\nSTATUS=42 jobs queued"))
        let stoppingIndex = try #require(messages.firstIndex { $0.hasPrefix("STOPPING=1") })
        #expect(readyIndex < stoppingIndex)
        // READY=1 waited for the database component.
        #expect(received[readyIndex].at - started >= .milliseconds(250))
        // Pings keep coming, never bunched up (no two closer than 150 ms: the pace is half of
        // 400 ms, as watchdogTimeoutFromEnvironment checks; a busy test process may only delay them).
        let pings = received.filter { $0.message == "WATCHDOG=1" }.map(\.at)
        #expect(pings.count >= 5)
        let intervals = zip(pings, pings.dropFirst()).map { $1 - $0 }
        #expect(intervals.allSatisfy { $0 >= .milliseconds(150) }, "\(intervals)")
        // The work service was told to drain after STOPPING=1 was sent and finished its batch.
        #expect(drained.finishedInFlightBatch)
        #expect(health.status == .stopping)
    }
}

/// Pings counted by the listener's thread, read by the test.
final class PingCounter: Sendable {
    let count = Mutex(0)
}

/// A work service that, on graceful shutdown, finishes the batch it is in before returning.
final class DrainProbe: Service, Sendable {
    private let finished = Mutex(false)

    var finishedInFlightBatch: Bool { finished.withLock { $0 } }

    func run() async throws {
        try? await gracefulShutdown()
        // The in-flight batch: not cancelled by graceful shutdown.
        try await Task.sleep(for: .milliseconds(50))
        finished.withLock { $0 = true }
    }
}
