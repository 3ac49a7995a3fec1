import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Tenant isolation by row-level security")
struct TenantIsolationTests {
    /// Tables with no office: the migrations' bookkeeping and the schema's metadata (no tenant data).
    /// `engine_data` holds the fingerprint of the embedded rules and calendars, the same for all.
    static let officeFreeTables: Set<String> = Set(["schema_migrations", "ipcase_meta", "engine_data"])
        .union(webAccountTables)
    /// The web workspace's accounts (Schema/0113): read by the web login at sign-in, before any
    /// office is chosen, so not per office; no per-office login may read them at all
    /// (``theWebsAccountTablesAreClosedToEveryPerOfficeLogin()``).
    static let webAccountTables: Set<String> = [
        "web_users", "web_user_offices", "web_sessions", "web_api_tokens", "web_calendar_tokens",
    ]

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

    @Test func theWebsAccountTablesAreClosedToEveryPerOfficeLogin() async throws {
        let database = try await StoreTestDatabase.migrated()
        for group in ["ipcase_app", "ipcase_report", "ipcase_daemon"] {
            let (name, _) = try await database.login(in: group)
            for table in Self.webAccountTables.sorted() {
                let readable = try await database.admin.query(
                    "SELECT has_table_privilege(\(name), \(table), 'SELECT') OR has_table_privilege(\(name), \(table), 'UPDATE')"
                )[0].decode(Bool.self, at: 0)
                #expect(!readable, "\(group) may read or change \(table)")
            }
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
        ).map { try $0.decode(String.self, at: 0) }.filter { !Self.webAccountTables.contains($0) }
        #expect(tables.count >= 20)

        // Every table holds rows of both offices, so seeing none of B's means isolation, not emptiness.
        for table in tables {
            let perOffice = try await database.admin.query(
                "SELECT count(DISTINCT office_id) FROM \(identifier: table) WHERE office_id IN (\(offices.a), \(offices.b))"
            )
            #expect(try perOffice[0].decode(Int.self, at: 0) == 2, "seed left \(table) without rows of both offices")
        }

        let app = try await database.store(as: "ipcase_app", memberOf: [offices.a])
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

/// Offices bound to logins (Schema/0070): a personal login reaches an office's rows only as its
/// member, whatever it puts in `ipcase.office_id` and whichever role it switches to.
@Suite("Offices isolated by login")
struct OfficeMembershipTests {
    static let personalGroups = ["ipcase_app", "ipcase_report"]

    /// Rows of offices other than `own` that the connection's current settings let it see.
    static func othersSeen(by store: Store, own: ID<Office>, group: String) async throws -> Int {
        let audit = group == "ipcase_app" ? "+ (SELECT count(*) FROM public.audit_log WHERE office_id <> \(own.rawValue))" : ""
        return try await store.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT (SELECT count(*) FROM public.rights WHERE office_id <> \(own.rawValue))
                         + (SELECT count(*) FROM public.deadlines WHERE office_id <> \(own.rawValue))
                         + (SELECT count(*) FROM public.parties WHERE office_id <> \(own.rawValue))
                         + (SELECT count(*) FROM public.offices WHERE office_id <> \(own.rawValue))
                         + (SELECT count(*) FROM public.office_members WHERE office_id <> \(own.rawValue)) \(audit)
                    """)
        )[0].decode(Int.self, at: 0)
    }

    /// Ways a session may try to choose office B (`{B}`) or lose its own; none may show B's rows.
    static let attempts: [String] = [
        "SELECT set_config('ipcase.office_id', '{B}', false)",
        "SET ipcase.office_id = '{B}'",
        "SET ipcase.office_id = {B}",
        "SET ROLE ipcase_app; SET ipcase.office_id = '{B}'",
        "SET ROLE NONE; SELECT set_config('ipcase.office_id', '{B}', false)",
        "SET ipcase.office_id = '{B}'; RESET ipcase.office_id",
        "RESET ALL; SET ipcase.office_id = '{B}'",
        "SET ipcase.office_id = ''",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET ipcase.office_id = '{B}'",
    ]

    @Test(arguments: personalGroups, attempts)
    func choosingAnotherOfficeShowsNoneOfItsRows(group: String, attempt: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let store = try await database.store(as: group, memberOf: [offices.a])
        let sql = attempt.replacingOccurrences(of: "{B}", with: String(offices.b.rawValue))
        do {
            try await store.connection.executeScript(sql)
        } catch {
            // Refused outright (e.g. a role the login may not take) is as good as nothing seen.
            #expect(error.sqlState == "42501", "\(sql): \(error)")
        }
        #expect(try await Self.othersSeen(by: store, own: offices.a, group: group) == 0, "\(sql)")
        // And inside the store's own transaction for office B.
        let rights = try await store.withOffice(offices.b, actor: "mallory") { try await $0.rights() }
        #expect(rights.isEmpty)
    }

    @Test(arguments: personalGroups)
    func aMemberSeesItsOfficeAndOnlyItsOwnMemberships(group: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let store = try await database.store(as: group, memberOf: [offices.a])
        let rights = try await store.withOffice(offices.a, actor: "aliya") { try await $0.rights() }
        #expect(rights.map(\.value.office) == [offices.a])
        let members = try await store.withOffice(offices.a, actor: "aliya") { session in
            try await session.connection.query("SELECT login FROM office_members").map { try $0.decode(String.self) }
        }
        #expect(members.count == 1 && members[0].hasPrefix("t_\(group)_"), "\(members)")
    }

    @Test(arguments: ["ipcase_daemon", "ipcase_report", "ipcase_owner_of_nothing"])
    func aLoginCannotSwitchToAGroupRoleItIsNotIn(role: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let store = try await database.store(as: "ipcase_app", memberOf: [offices.a])
        let error = await #expect(throws: PostgresError.self) {
            try await store.connection.execute(PostgresQuery(unsafeSQL: "SET ROLE \(role)"))
        }
        #expect(["42501", "22023"].contains(error?.sqlState ?? ""), "\(String(describing: error))")
    }

    /// Settings that are not an office key in canonical decimal (office A is key 1 in a fresh database).
    @Test(arguments: [" 1", "1 ", "01", "+1", "-1", "0", "1.0", "1e0", "0x1", "１", "1\n", "99999999999999999999"])
    func malformedOfficeSettingsAreRefused(setting: String) async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        #expect(offices.a.rawValue == 1)
        let store = try await database.store(as: "ipcase_app", memberOf: [offices.a])
        _ = try await store.connection.query("SELECT set_config('ipcase.office_id', \(setting), false)")
        let error = await #expect(throws: PostgresError.self) {
            try await store.connection.query("SELECT count(*) FROM rights")
        }
        #expect(error?.sqlState == "22023")
        // The canonical spelling of the same office works.
        _ = try await store.connection.query("SELECT set_config('ipcase.office_id', '1', false)")
        #expect(try await store.connection.query("SELECT count(*) FROM rights")[0].decode(Int.self) == 1)
    }

    @Test func aTemporaryTableNamedLikeTheMembershipsOpensNothing() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let store = try await database.store(as: "ipcase_app", memberOf: [offices.a])
        try await store.connection.executeScript(
            """
            CREATE TEMP TABLE office_members (office_id bigint, login text, role text);
            INSERT INTO pg_temp.office_members VALUES (\(offices.b.rawValue), session_user, 'admin');
            SET search_path = pg_temp, public;
            SET ipcase.office_id = '\(offices.b.rawValue)';
            """)
        #expect(try await Self.othersSeen(by: store, own: offices.a, group: "ipcase_app") == 0)
    }

    @Test func aViewerReadsButWritesNothing() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let viewer = try await database.store(as: "ipcase_app", memberOf: [offices.a], role: .viewer)
        let a = offices.a
        #expect(try await viewer.withOffice(a, actor: "v") { try await $0.rights() }.count == 1)
        let update = await #expect(throws: PostgresError.self) {
            try await viewer.withOffice(a, actor: "v") { try await $0.connection.execute("UPDATE rights SET title = 'x'") }
        }
        #expect(update?.sqlState == "42501")
        let insert = await #expect(throws: PostgresError.self) {
            try await viewer.withOffice(a, actor: "v") { session in
                try await session.connection.execute(
                    "INSERT INTO parties (office_id, kind, name, sector) VALUES (\(a), 'person', 'X', 'other')")
            }
        }
        #expect(insert?.sqlState == "42501")
        let before = try await database.count("SELECT count(*) FROM deal_rights")
        let deleted = try await viewer.withOffice(a, actor: "v") { try await $0.connection.execute("DELETE FROM deal_rights") }
        #expect(deleted == 0)
        #expect(try await database.count("SELECT count(*) FROM deal_rights") == before)
    }

    @Test func theOwnerGrantsAndRevokesAndALoginCannotGrantItself() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let (name, password) = try await database.login(in: "ipcase_app")
        let store = Store(
            connection: try await PostgresConnection.connect(
                url: StoreTestDatabase.url(database.url, user: name, password: password)))
        let owner = try await database.ownerStore()
        let b = offices.b
        #expect(try await store.withOffice(b, actor: name) { try await $0.rights() }.isEmpty)

        // Refused: the office is not visible to it, and it may not write memberships anyway.
        await #expect(throws: StoreError.notFound(record: "office \(b.rawValue)")) {
            try await store.withService(actor: name) { try await $0.grantMembership(login: name, office: b, role: .admin) }
        }
        let insert = await #expect(throws: PostgresError.self) {
            try await store.withService(actor: name) { session in
                try await session.connection.execute(
                    "INSERT INTO office_members (office_id, login, role) VALUES (\(b), session_user, 'admin')")
            }
        }
        #expect(insert?.sqlState == "42501")

        _ = try await owner.withService(actor: "owner") {
            try await $0.grantMembership(login: name, office: b, role: .officer)
        }
        #expect(try await store.withOffice(b, actor: name) { try await $0.rights() }.map(\.value.office) == [b])
        let listed = try await owner.withService(actor: "owner") { try await $0.memberships(of: b) }
        #expect(listed.contains(OfficeMembership(login: name, office: b, role: .officer)))

        #expect(try await owner.withService(actor: "owner") { try await $0.revokeMembership(login: name, office: b) })
        #expect(try await store.withOffice(b, actor: name) { try await $0.rights() }.isEmpty)
        #expect(try await owner.withService(actor: "owner") { try await $0.revokeMembership(login: name, office: b) } == false)
    }

    @Test func grantingNamesAMissingLoginOrOneNoOfficeWouldHelp() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let (daemon, _) = try await database.login(in: "ipcase_daemon")
        let owner = try await database.ownerStore()
        let a = offices.a
        await #expect(throws: StoreError.invalid(record: "membership of nobody in office \(a.rawValue)", reason: "there is no login role named nobody")) {
            try await owner.withService(actor: "owner") { try await $0.grantMembership(login: "nobody", office: a, role: .viewer) }
        }
        await #expect(throws: StoreError.self) {
            try await owner.withService(actor: "owner") { try await $0.grantMembership(login: daemon, office: a, role: .viewer) }
        }
        await #expect(throws: StoreError.notFound(record: "office 999")) {
            try await owner.withService(actor: "owner") {
                try await $0.grantMembership(login: daemon, office: ID(rawValue: 999), role: .viewer)
            }
        }
    }
}
