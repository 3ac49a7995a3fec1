import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient
import Testing

/// The processor writes only the deadlines a recomputation changes.
@Suite("Deadline job processing writes only changes")
struct ProcessingDiffTests {
    @Test("a new event writes only the deadlines it adds or changes; the others are not even locked")
    func recomputationWritesOnlyChangedDeadlines() async throws {
        let database = try await QueueDatabase.make()
        let processing = ProcessingTests()
        let right = try await database.seed(rights: 1)[0]
        let first = try await processing.processQueued(database)
        #expect(first.completed == 5)
        let before = Set(try await database.storedDeadlines())

        // A second office action: its response deadline is new; every other deadline stays as it is.
        _ = try await database.admin.execute(
            """
            INSERT INTO right_events (office_id, right_id, kind, event_date)
            SELECT office_id, right_id, 'office-action', max(event_date) + 30 FROM right_events
            WHERE right_id = \(right) GROUP BY office_id, right_id
            """)
        try await processing.enqueueRecompute(database, right: right)
        let outcome = try await processing.processQueued(database)
        #expect(outcome.completed == 1)
        let after = Set(try await database.storedDeadlines())
        #expect(after == Set(try await database.expectedDeadlines()))
        let changed = after.subtracting(before).count
        #expect(changed >= 1)
        #expect(outcome.deadlinesWritten == changed)
        #expect(outcome.deadlinesUnchanged == after.count - changed)
        // An upsert of unchanged rows would have locked them (xmax set) without changing them.
        #expect(
            try await database.count(
                "SELECT count(*) FROM deadlines WHERE right_id = \(right) AND xmax::text <> '0'") == 0)
    }
}
