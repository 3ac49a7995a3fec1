import Foundation
import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

/// What the audit trail keeps of the deadlines the daemon derives (Schema/0030).
@Suite("Audit of derived deadlines")
struct DerivedDeadlineAuditTests {
    func auditRows(_ database: StoreTestDatabase, right: ID<Right>, action: String) async throws -> Int {
        try await database.count(
            """
            SELECT count(*) FROM audit_log a JOIN deadlines d ON d.office_id = a.office_id AND d.id = a.record_id
            WHERE a.table_name = 'deadlines' AND a.action = \(action) AND d.right_id = \(right)
            """)
    }

    @Test func daemonInsertsAreNotAuditedRowByRowButEveryChangedDateIs() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let daemon = try await database.store(as: "ipcase_daemon")
        let (office, right) = (offices.a, offices.rightOfA)
        let schedule = try DeadlineScheduleTests.schedule(office, right, years: 3...7)
        let first = try await daemon.withService(actor: "ipcased") { session in
            try await session.replaceSchedules(schedule, of: [])
        }
        #expect(first.inserted == 5)
        #expect(try await auditRows(database, right: right, action: "INSERT") == 0)

        // The recomputation moves one due date: that change is audited with before and after.
        let moved = try CivilDate(year: 2029, month: 3, day: 2)
        var changed = schedule
        changed[1].dueDate = moved
        changed[1].finalDate = moved.adding(days: 180)
        let second = try await daemon.withService(actor: "ipcased") { [changed] session in
            try await session.replaceSchedules(changed, of: [])
        }
        #expect(second == DeadlineUpsertResult(inserted: 0, updated: 1, superseded: 0))
        let (before, after, actor) = try await database.admin.query(
            """
            SELECT a.before->>'due_date', a.after->>'due_date', a.actor FROM audit_log a
            JOIN deadlines d ON d.office_id = a.office_id AND d.id = a.record_id
            WHERE a.table_name = 'deadlines' AND a.action = 'UPDATE' AND d.right_id = \(right)
            """)[0].decode(String.self, String.self, String.self)
        #expect(before == "2028-02-01" && after == "2029-03-02" && actor == "ipcased")

        // The flag is for this statement only: a later insert in the same transaction is audited.
        try await daemon.withService(actor: "ipcased") { session in
            _ = try await session.replaceSchedules(
                try DeadlineScheduleTests.schedule(office, right, years: 8...8), of: [])
            _ = try await session.connection.execute(
                """
                INSERT INTO deadlines (office_id, right_id, rule_id, type, trigger_key, nominal_date, due_date, final_date)
                VALUES (\(office), \(right), 'manual', 'other', 'manual:1', date '2030-01-01', date '2030-01-01',
                        date '2030-01-01')
                """)
        }
        #expect(try await auditRows(database, right: right, action: "INSERT") == 1)
    }

    @Test func peopleCannotSkipTheAuditBySettingTheFlag() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        try await app.withOffice(offices.a, actor: "someone") { session in
            _ = try await session.connection.query("SELECT set_config('ipcase.derived_deadlines', 'on', true)")
            _ = try await session.connection.execute(
                """
                INSERT INTO deadlines (office_id, right_id, rule_id, type, trigger_key, nominal_date, due_date, final_date)
                VALUES (\(offices.a), \(offices.rightOfA), 'manual', 'other', 'manual:1', date '2030-01-01',
                        date '2030-01-01', date '2030-01-01')
                """)
        }
        #expect(try await auditRows(database, right: offices.rightOfA, action: "INSERT") == 1)
    }
}
