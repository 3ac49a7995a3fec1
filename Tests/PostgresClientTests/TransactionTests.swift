import PostgresClient
import Testing

private struct Abandon: Error {}

/// Lets `count` parties continue only once all have arrived.
private actor Gate {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(count: Int) { self.count = count }
    func arrive() async {
        arrived += 1
        if arrived >= count {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

private actor Counter {
    private(set) var value = 0
    func increment() -> Int {
        value += 1
        return value
    }
}

@Suite("Transactions")
struct TransactionTests {
    static let database = SuiteDatabase("transactions")

    @Test func thrownErrorInsideTransactionLeavesNothingWritten() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE rollback_t (n int)")
        await #expect(throws: Abandon.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO rollback_t VALUES (1), (2)")
                throw Abandon()
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM rollback_t")[0].decode(Int.self) == 0)
        let other = try await Self.database.connect()
        #expect(try await other.query("SELECT count(*) FROM rollback_t")[0].decode(Int.self) == 0)
    }

    @Test func returnedBodyCommits() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE commit_t (n int)")
        let inserted = try await connection.withTransaction { connection in
            try await connection.execute("INSERT INTO commit_t VALUES (1), (2), (3)")
        }
        #expect(inserted == 3)
        let other = try await Self.database.connect()
        #expect(try await other.query("SELECT count(*) FROM commit_t")[0].decode(Int.self) == 3)
    }

    @Test func swallowedStatementFailureIsNotReportedAsCommitted() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE swallowed_t (n int PRIMARY KEY)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO swallowed_t VALUES (1)")
                _ = try? await connection.execute("INSERT INTO swallowed_t VALUES (1)")
            }
        }
        #expect(error?.code == .invalidUsage || error?.sqlState == "25P02")
        #expect(try await connection.query("SELECT count(*) FROM swallowed_t")[0].decode(Int.self) == 0)
    }

    @Test func serializationFailureIsRetried() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("CREATE TABLE retried_t (n int)")
        let attempts = Counter()
        try await connection.withTransaction(retries: 3) { connection in
            try await connection.execute("INSERT INTO retried_t VALUES (1)")
            if await attempts.increment() < 3 {
                try await connection.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'simulated conflict' USING ERRCODE = '40001'; END $$")
            }
        }
        #expect(await attempts.value == 3)
        #expect(try await connection.query("SELECT count(*) FROM retried_t")[0].decode(Int.self) == 1)
    }

    @Test func retriesAreBounded() async throws {
        let connection = try await Self.database.connect()
        let attempts = Counter()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction(retries: 2) { connection in
                _ = await attempts.increment()
                try await connection.execute("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$")
            }
        }
        #expect(error?.isRetryable == true)
        #expect(await attempts.value == 3)
    }

    @Test func concurrentSerializableConflictIsRetriedToTheRightTotal() async throws {
        let setup = try await Self.database.connect()
        try await setup.execute("CREATE TABLE counter_t (id int PRIMARY KEY, n int NOT NULL)")
        try await setup.execute("INSERT INTO counter_t VALUES (1, 0)")
        let first = try await Self.database.connect()
        let second = try await Self.database.connect()
        let gate = Gate(count: 2)
        let attempts = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in [first, second] {
                group.addTask {
                    try await connection.withTransaction(level: .serializable, retries: 5) { connection in
                        let attempt = await attempts.increment()
                        let n = try await connection.query("SELECT n FROM counter_t WHERE id = 1")[0].decode(Int.self)
                        if attempt <= 2 { await gate.arrive() }  // both have read before either writes
                        try await connection.execute("UPDATE counter_t SET n = \(n + 1) WHERE id = 1")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await setup.query("SELECT n FROM counter_t")[0].decode(Int.self) == 2)
        #expect(await attempts.value >= 3)
    }

    @Test func otherTasksCannotUseTheConnectionInsideSomeoneElsesTransaction() async throws {
        let connection = try await Self.database.connect()
        let inside = Gate(count: 2)
        let release = Gate(count: 2)
        async let transaction: Void = connection.withTransaction { connection in
            await inside.arrive()
            await release.arrive()
        }
        await inside.arrive()
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error?.code == .invalidUsage)
        await release.arrive()
        try await transaction
        #expect(try await connection.query("SELECT 1")[0].decode(Int.self) == 1)
    }

    @Test func nestedTransactionIsRefused() async throws {
        let connection = try await Self.database.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.withTransaction { _ in }
            }
        }
        #expect(error?.code == .invalidUsage)
    }
}
