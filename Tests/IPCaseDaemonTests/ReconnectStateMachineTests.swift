import IPCaseDaemon
import Testing

/// The rules every service reconnects by, without a server.
@Suite("Reconnecting")
struct ReconnectStateMachineTests {
    @Test("connect, use, wait longer after each failure in a row up to the cap, shortest again after a success")
    func waitsGrowAndReset() {
        var machine = ReconnectStateMachine(policy: .reconnect)
        #expect(machine.needed() == .connect)
        machine.connected()
        #expect(machine.needed() == .use)
        var waits: [Duration] = []
        for _ in 1...9 {
            guard case .wait(let delay) = machine.failed(.retry, jitter: 0) else {
                Issue.record("a retryable failure must wait")
                return
            }
            waits.append(delay)
            #expect(machine.needed() == .connect)
        }
        let milliseconds = waits.map { Int(($0 / .milliseconds(1)).rounded()) }
        #expect(milliseconds == [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000])
        machine.connected()
        machine.succeeded()
        #expect(machine.failures == 0)
        guard case .wait(let first) = machine.failed(.retry, jitter: 0) else { return }
        #expect(Int((first / .milliseconds(1)).rounded()) == 100)
        // Jitter takes off at most a quarter.
        guard case .wait(let jittered) = machine.failed(.retry, jitter: 0.999_999) else {
            Issue.record("a retryable failure must wait")
            return
        }
        #expect(jittered > .milliseconds(150) && jittered < .milliseconds(200))
    }

    @Test("a connection that opens but whose work fails keeps the backoff growing")
    func connectingAloneIsNotSuccess() {
        var machine = ReconnectStateMachine(policy: .reconnect)
        _ = machine.failed(.retry, jitter: 0)
        machine.connected()
        guard case .wait(let second) = machine.failed(.retry, jitter: 0) else { return }
        #expect(Int((second / .milliseconds(1)).rounded()) == 200)
    }

    @Test("a refused login stops for good")
    func refusalStops() {
        var machine = ReconnectStateMachine(policy: .reconnect)
        #expect(machine.failed(.stop, jitter: 0) == .stop)
        machine.connected()
        #expect(machine.needed() == .stop)
        #expect(machine.failed(.retry, jitter: 0) == .stop)
    }
}
