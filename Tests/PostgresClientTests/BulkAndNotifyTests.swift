import Foundation
import PostgresClient
import Testing

@Suite("Pipeline, COPY and notifications")
struct BulkAndNotifyTests {
    static let database = SuiteDatabase("bulk")

    @Test func copyOf100000RowsArrivesCompletely() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE copied (id int8 PRIMARY KEY, name text NOT NULL, note text, filed date)")
        let awkward = "tab\there\nnew line \\ backslash \\N not null «ü»"
        let rows: [[any PostgresEncodable]] = (1...100_000).map { id in
            [id, id == 7 ? awkward : "row \(id)", id % 2 == 0 ? nil as String? : "odd", PostgresDate(year: 2024, month: 1, day: 1 + id % 28)]
        }
        let clock = ContinuousClock()
        let start = clock.now
        let copied = try await connection.copyFrom("COPY copied (id, name, note, filed) FROM STDIN", rows: rows)
        let elapsed = clock.now - start
        #expect(copied == 100_000)
        #expect(try await connection.query("SELECT count(*) FROM copied")[0].decode(Int.self) == 100_000)
        #expect(try await connection.query("SELECT count(*) FROM copied WHERE note IS NULL")[0].decode(Int.self) == 50_000)
        #expect(try await connection.query("SELECT name FROM copied WHERE id = 7")[0].decode(String.self) == awkward)
        print("COPY of 100000 rows took \(elapsed)")
    }

    @Test func copyWithNULAbortsAndLoadsNothing() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE copy_aborted (id int8, name text)")
        let rows: [[any PostgresEncodable]] = [[1, "fine"], [2, "bad\u{0}value"], [3, "never"]]
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyFrom("COPY copy_aborted FROM STDIN", rows: rows)
        }
        #expect(error?.code == .invalidParameter)
        #expect(error?.description.contains("row 2 column 2") == true)
        #expect(try await connection.query("SELECT count(*) FROM copy_aborted")[0].decode(Int.self) == 0)
    }

    @Test func pipelineRunsManyStatementsWithOneSync() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE piped (id int8 PRIMARY KEY, label text)")
        var queries: [PostgresQuery] = (1...500).map { "INSERT INTO piped VALUES (\($0), \("label \($0)"))" }
        queries.append("SELECT count(*), max(id) FROM piped")
        let results = try await connection.pipeline(queries)
        #expect(results.count == 501)
        #expect(results[0].affectedRows == 1)
        let (count, maximum) = try results[500][0].decode(Int.self, Int.self)
        #expect(count == 500 && maximum == 500)
    }

    @Test func failingPipelineStatementIsNamedAndTheBatchRollsBack() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE piped_fail (id int8 PRIMARY KEY)")
        let queries: [PostgresQuery] = [
            "INSERT INTO piped_fail VALUES (\(1))",
            "INSERT INTO piped_fail VALUES (\(2))",
            "INSERT INTO piped_fail VALUES (\(1))",
            "INSERT INTO piped_fail VALUES (\(3))",
        ]
        let error = await #expect(throws: PostgresError.self) { try await connection.pipeline(queries) }
        #expect(error?.sqlState == PostgresError.SQLState.uniqueViolation)
        #expect(error?.position == 2)
        #expect(error?.description.contains("statement 3 of 4") == true)
        #expect(try await connection.query("SELECT count(*) FROM piped_fail")[0].decode(Int.self) == 0)
        // The connection is out of pipeline mode and usable.
        let results = try await connection.pipeline(["INSERT INTO piped_fail VALUES (\(9))", "SELECT count(*) FROM piped_fail"])
        #expect(try results[1][0].decode(Int.self) == 1)
    }

    /// The listener blocks in `poll` on the libpq socket, so a NOTIFY wakes it, not the end of
    /// its wait: each of five notifications arrives well before the 60 s timeout (a lost wake-up
    /// would only be seen at the timeout). How fast is measured by `ipcase-bench daemon
    /// --latency-only`, not here: the suites share a small machine and timings vary.
    @Test func notifyFromAnotherConnectionWakesTheBlockedListener() async throws {
        let listener = try await Self.database.connect()
        let sender = try await Self.database.connect()
        let channel = "ipcase jobs \"wake\""
        try await listener.listen(channel)
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        for attempt in 1...5 {
            async let received = { () async throws -> (PostgresNotification?, ContinuousClock.Instant) in
                let notification = try await listener.nextNotification(timeout: .seconds(60))
                return (notification, clock.now)
            }()
            try await Task.sleep(for: .milliseconds(200))  // the listener is now blocked in poll
            let sent = clock.now
            try await sender.notify(channel: channel, payload: "job \(attempt) ✓")
            let (notification, wokeAt) = try await received
            #expect(notification?.channel == channel)
            #expect(notification?.payload == "job \(attempt) ✓")
            #expect(notification?.processID == (await sender.backendPID))
            latencies.append(wokeAt - sent)
        }
        print("NOTIFY woke the listener after \(latencies)")
        #expect(latencies.allSatisfy { $0 < .seconds(30) }, "woke after \(latencies): by the timeout, not the NOTIFY")
    }

    @Test func waitingForNotificationsEndsOnTimeoutAndOnCancellation() async throws {
        let listener = try await Self.database.connect()
        try await listener.listen("quiet")
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await listener.nextNotification(timeout: .milliseconds(200)) == nil)
        #expect(clock.now - start >= .milliseconds(200))

        let waiting = Task { try await listener.nextNotification() }
        try await Task.sleep(for: .milliseconds(200))
        waiting.cancel()
        // Without a timeout only the cancellation can end the wait: the error proves it did.
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // The connection still works after the cancelled wait.
        #expect(try await listener.query("SELECT 1")[0].decode(Int.self) == 1)
    }

    @Test func notificationsSentInATransactionArriveAtCommitOnly() async throws {
        let listener = try await Self.database.connect()
        let sender = try await Self.database.connect()
        try await listener.listen("committed")
        try await sender.withTransaction { connection in
            try await connection.notify(channel: "committed", payload: "after commit")
        }
        #expect(try await listener.nextNotification(timeout: .seconds(5))?.payload == "after commit")
        _ = try? await sender.withTransaction { connection in
            try await connection.notify(channel: "committed", payload: "rolled back")
            throw CancellationError()
        }
        #expect(try await listener.nextNotification(timeout: .milliseconds(300)) == nil)
    }
}
