import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Audit trail")
struct AuditTests {
    @Test(
        arguments: ["ipcase_app", "ipcase_daemon", "ipcase_report"],
        ["UPDATE audit_log SET actor = 'forged'", "DELETE FROM audit_log"])
    func auditTrailRefusesUpdateAndDeleteForEveryNonOwnerRole(role: String, statement: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        // After the login's memberships are made: granting them is audited too.
        let store = try await database.store(as: role)
        let before = try await database.count("SELECT count(*) FROM audit_log WHERE actor <> 'forged'")
        let a = offices.a
        let error = await #expect(throws: PostgresError.self) {
            try await store.withOffice(a, actor: "mallory") { session in
                try await session.connection.execute(PostgresQuery(unsafeSQL: statement))
            }
        }
        #expect(error?.sqlState == "42501")
        #expect(try await database.count("SELECT count(*) FROM audit_log WHERE actor <> 'forged'") == before)
        #expect(before > 0)
    }

    @Test(arguments: ["UPDATE audit_log SET actor = 'forged'", "DELETE FROM audit_log", "TRUNCATE audit_log"])
    func auditTrailRefusesChangesEvenForTheOwner(statement: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        _ = try await SeededOffices.seed(database)
        let error = await #expect(throws: PostgresError.self) {
            try await database.admin.execute(PostgresQuery(unsafeSQL: statement))
        }
        #expect(error?.message?.contains("audit_log is append-only") == true)
    }

    @Test func anAppSessionCannotWriteAuditRowsDirectly() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        let a = offices.a
        let error = await #expect(throws: PostgresError.self) {
            try await app.withOffice(a, actor: "mallory") { session in
                try await session.connection.execute(
                    """
                    INSERT INTO audit_log (office_id, actor, table_name, record_id, action, after)
                    VALUES (\(a), 'someone else', 'rights', 1, 'INSERT', '{}')
                    """)
            }
        }
        #expect(error?.sqlState == "42501")
    }

    @Test func changesToRightsAreAuditedWithActorBeforeAndAfter() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        let right = offices.rightOfA
        try await app.withOffice(offices.a, actor: "alice@office-a") { session in
            var stored = try await session.right(right)
            stored.value.title = "Improved sorbent"
            try await session.updateRight(stored)
        }
        let rows = try await database.admin.query(
            """
            SELECT actor, action, before->>'title', after->>'title' FROM audit_log
            WHERE table_name = 'rights' AND record_id = \(right) ORDER BY id DESC LIMIT 1
            """)
        let (actor, action, before, after) = try rows[0].decode(String.self, String.self, String?.self, String?.self)
        #expect(actor == "alice@office-a")
        #expect(action == "UPDATE")
        #expect(before == "Sorbent")
        #expect(after == "Improved sorbent")
    }
}

@Suite("Optimistic concurrency")
struct ConcurrencyTests {
    @Test func concurrentUpdatesOfOneRecordGiveOneWinnerAndOneConflict() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let first = try await database.store(as: "ipcase_app")
        let second = try await database.store(as: "ipcase_app")
        let office = offices.a
        let right = offices.rightOfA
        let read = try await first.withOffice(office, actor: "reader") { session in try await session.right(right) }

        func edit(_ store: Store, title: String) async -> Result<Int, any Error> {
            do {
                return .success(
                    try await store.withOffice(office, actor: title) { session in
                        var copy = read
                        copy.value.title = title
                        return try await session.updateRight(copy).version
                    })
            } catch {
                return .failure(error)
            }
        }
        async let one = edit(first, title: "first")
        async let two = edit(second, title: "second")
        let results = await [one, two]

        let winners = results.compactMap { try? $0.get() }
        let conflicts = results.compactMap { result -> StoreError? in
            if case .failure(let error) = result { return error as? StoreError }
            return nil
        }
        #expect(winners == [read.version + 1])
        #expect(
            conflicts == [
                .conflict(record: "right KZ-1", expectedVersion: read.version, currentVersion: read.version + 1)
            ])
        #expect(
            conflicts.first?.description.contains(
                "you edited version \(read.version), it is now version \(read.version + 1)") == true)
        let title = try await database.admin.query("SELECT title FROM rights WHERE id = \(right)")[0].decode(
            String.self, at: 0)
        #expect(["first", "second"].contains(title))
    }

    @Test func aStaleUpdateAfterACommittedOneIsAConflict() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        let office = offices.a
        let party = try await app.withOffice(office, actor: "a") { session in try await session.parties()[0] }
        try await app.withOffice(office, actor: "a") { session in
            var fresh = party
            fresh.value.sector = .government
            try await session.updateParty(fresh)
        }
        await #expect(
            throws: StoreError.conflict(
                record: "party \(party.value.id) '\(party.value.name)'", expectedVersion: party.version,
                currentVersion: party.version + 1)
        ) {
            try await app.withOffice(office, actor: "b") { session in
                var stale = party
                stale.value.sector = .other
                try await session.updateParty(stale)
            }
        }
    }
}
