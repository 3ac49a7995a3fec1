import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Tenant isolation by row-level security")
struct TenantIsolationTests {
    /// Tables with no office: the migrations' bookkeeping and the schema's metadata (no tenant data).
    static let officeFreeTables: Set<String> = ["schema_migrations", "ipcase_meta"]

    @Test func everyTableCarriesOfficeAndForcesRowLevelSecurity() async throws {
        let database = try await StoreTestDatabase.migrated()
        let rows = try await database.admin.query(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'office_id'
                           AND NOT a.attisdropped)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1
            """)
        #expect(rows.count >= 20)
        for row in rows {
            let (table, enabled, forced, hasOffice) = try row.decode(String.self, Bool.self, Bool.self, Bool.self)
            if Self.officeFreeTables.contains(table) { continue }
            #expect(hasOffice, "table \(table) has no office_id")
            #expect(enabled && forced, "table \(table) does not enable and force row-level security")
        }
    }

    @Test func officeSessionSeesNoRowOfAnotherOfficeInAnyTable() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let tables = try await database.admin.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'office_id')
            ORDER BY 1
            """
        ).map { try $0.decode(String.self, at: 0) }
        #expect(tables.count >= 20)

        // Every table holds rows of both offices, so seeing none of B's means isolation, not emptiness.
        for table in tables {
            let perOffice = try await database.admin.query(
                "SELECT count(DISTINCT office_id) FROM \(identifier: table) WHERE office_id IN (\(offices.a), \(offices.b))"
            )
            #expect(try perOffice[0].decode(Int.self, at: 0) == 2, "seed left \(table) without rows of both offices")
        }

        let app = try await database.store(as: "ipcase_app")
        let a = offices.a
        let b = offices.b
        let seen = try await app.withOffice(a, actor: "alice") { session in
            var seen: [(table: String, own: Int, other: Int)] = []
            for table in tables {
                let row = try await session.connection.query(
                    """
                    SELECT count(*) FILTER (WHERE office_id = \(a)), count(*) FILTER (WHERE office_id <> \(a))
                    FROM \(identifier: table)
                    """)[0]
                let (own, other) = try row.decode(Int.self, Int.self)
                seen.append((table, own, other))
            }
            return seen
        }
        for entry in seen {
            #expect(entry.other == 0, "office \(a) sees \(entry.other) rows of another office in \(entry.table)")
            #expect(entry.own > 0, "office \(a) does not see its own rows in \(entry.table)")
        }
        // And the other way round, for the right of B looked up by key from A's session.
        await #expect(throws: StoreError.notFound(record: "right \(offices.rightOfB)")) {
            try await app.withOffice(a, actor: "alice") { session in try await session.right(offices.rightOfB) }
        }
        _ = b
    }

    @Test func insertingOrMovingARowIntoAnotherOfficeIsRefused() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        let (a, b) = (offices.a, offices.b)
        let insert = await #expect(throws: PostgresError.self) {
            try await app.withOffice(a, actor: "mallory") { session in
                try await session.connection.execute(
                    "INSERT INTO parties (office_id, kind, name, sector) VALUES (\(b), 'person', 'X', 'other')")
            }
        }
        #expect(insert?.sqlState == "42501")
        let move = await #expect(throws: PostgresError.self) {
            try await app.withOffice(a, actor: "mallory") { session in
                try await session.connection.execute("UPDATE parties SET office_id = \(b)")
            }
        }
        #expect(move?.sqlState == "42501")
        #expect(try await database.count("SELECT count(*) FROM parties WHERE name = 'X'") == 0)
    }

    @Test func sessionWithoutOfficeSeesNothing() async throws {
        let database = try await StoreTestDatabase.migrated()
        _ = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app")
        let counts = try await app.connection.query(
            "SELECT (SELECT count(*) FROM rights), (SELECT count(*) FROM parties)")
        #expect(try counts[0].decode(Int.self, Int.self) == (0, 0))
    }

    @Test func reportingRoleReadsItsOfficeAndWritesNothing() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let report = try await database.store(as: "ipcase_report")
        let a = offices.a
        let rights = try await report.withOffice(a, actor: "report") { session in try await session.rights() }
        #expect(rights.map(\.value.office) == [a])
        let write = await #expect(throws: PostgresError.self) {
            try await report.withOffice(a, actor: "report") { session in
                try await session.connection.execute("UPDATE rights SET title = 'x'")
            }
        }
        #expect(write?.sqlState == "42501")
    }

    @Test func daemonRoleWorksAcrossOfficesButCannotReadDisclosures() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let daemon = try await database.store(as: "ipcase_daemon")
        let offices2 = try await daemon.withService(actor: "ipcased") { session in
            try await session.connection.query("SELECT DISTINCT office_id FROM rights ORDER BY 1")
                .map { try $0.decode(ID<Office>.self, at: 0) }
        }
        #expect(offices2 == [offices.a, offices.b].sorted())
        let read = await #expect(throws: PostgresError.self) {
            try await daemon.withService(actor: "ipcased") { session in
                try await session.connection.query("SELECT count(*) FROM disclosures")
            }
        }
        #expect(read?.sqlState == "42501")
    }
}
