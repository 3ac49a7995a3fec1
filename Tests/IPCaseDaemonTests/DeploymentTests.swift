import Foundation
import IPCase
import IPCaseTestSupport
import PostgresClient
import PostgresServer
import Testing

/// A cluster set up as the README tells operations to: `Deploy/postgres-roles.sql` applied with
/// psql and a password per login, SCRAM over TCP for every login but the superuser, passwords
/// in a PGPASSFILE (never on a command line of ours), the schema migrated as `ipcase_owner`.
struct Deployment {
    /// Passwords with a quote and a space: the roles script must quote them (psql `:'var'`).
    static let passwords = [
        "ipcase_owner": "own'er pw 1", "ipcase_cli": "cli pw'2", "ipcased": "daemon'pw 3",
        "ipcase_reporting": "report pw 4", "ipcase_webserver": "web pw'5",
    ]

    /// One password-authenticating cluster for every deployment test (roles are cluster-wide and
    /// the script is idempotent; each test deploys its own database).
    static let cluster = Task { try await ThrowawayPostgres.startLocal(passwordAuthentication: true) }

    let port: Int
    let database: String
    let directory: String

    var passfile: String { directory + "/pgpass" }

    /// The URL of `login` (no password: libpq reads it from the PGPASSFILE).
    func url(_ login: String) -> String { "postgresql://\(login)@127.0.0.1:\(port)/\(database)" }

    /// Applies the roles script for a new database and migrates it with `ipcased migrate --config`
    /// as the owner.
    static func make() async throws -> Deployment {
        let server = try await cluster.value
        let port = try #require(await server.port)
        let database = "ipcase_deploy_\(UInt32.random(in: 0...UInt32.max))"
        let directory = NSTemporaryDirectory() + "ipcase-deploy-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let deployment = Deployment(port: port, database: database, directory: directory)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/postgres-roles.sql").path
        let variables = [
            "owner_password": "ipcase_owner", "cli_password": "ipcase_cli", "daemon_password": "ipcased",
            "report_password": "ipcase_reporting", "web_password": "ipcase_webserver",
        ].flatMap { ["-v", "\($0.key)=\(passwords[$0.value]!)"] }
        let psql = try await ProcessOutput.run(
            URL(fileURLWithPath: try await ThrowawayPostgres.binaryDirectory() + "/psql"),
            [
                "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres",
                "-d", "postgres",
                "-v", "database=\(database)", "-f", script,
            ] + variables,
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(psql.status == 0, "psql -f Deploy/postgres-roles.sql: \(psql.stderr)")

        let lines = passwords.map { "127.0.0.1:\(port):\(database):\($0.key):\($0.value)" }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: deployment.passfile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: deployment.passfile)

        let config = directory + "/migrate.conf"
        try "[database]\nurl = \"\(deployment.url("ipcase_owner"))\"\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let migrate = try await deployment.run("ipcased", ["migrate", "--config", config])
        #expect(migrate.status == 0, "ipcased migrate as ipcase_owner: \(migrate.stderr)")
        #expect(migrate.stdout.contains("applied   0070_office_members.sql"))
        return deployment
    }

    /// Runs the built `program` with only the environment a unit would give it (and `login`'s URL).
    func run(_ program: String, _ arguments: [String], as login: String? = nil) async throws
        -> ProcessOutput
    {
        var environment = ["PATH": "/usr/bin:/bin", "PGPASSFILE": passfile, "USER": "aliya"]
        if let login { environment["IPCASE_DATABASE_URL"] = url(login) }
        return try await ProcessOutput.run(
            URL(fileURLWithPath: DaemonProcessTests.product(program)), arguments, environment: environment
        )
    }

    /// `ipcase arguments…` as `login`, requiring exit 0; its standard output.
    func ipcase(_ arguments: [String], as login: String) async throws -> String {
        let result = try await run("ipcase", arguments, as: login)
        #expect(
            result.status == 0, "ipcase \(arguments.joined(separator: " ")) as \(login): \(result.stderr)"
        )
        return result.stdout
    }

    /// `ipcased arguments…` as the daemon's login, in the background.
    func daemon(_ arguments: [String], url: String? = nil) throws -> DaemonProcess {
        try DaemonProcess(
            arguments, databaseURL: url ?? self.url("ipcased"), environment: ["PGPASSFILE": passfile])
    }

    /// A superuser connection to the deployed database (trusted), for checks and faults.
    func admin() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: "postgresql://postgres@127.0.0.1:\(port)/\(database)")
    }

    /// `YYYY-MM-DD` of today plus `days` in Almaty (the offices' time zone).
    static func day(_ days: Int, years: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Almaty")!
        let date = calendar.date(byAdding: DateComponents(year: years, day: days), to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

@Suite("Deployment under the documented logins", .serialized)
struct DeploymentTests {
    @Test(
        "roles script, migrate as the owner, then ipcase, ipcased and reporting each under its own login over SCRAM"
    )
    func theDocumentedDeploymentWorks() async throws {
        let deployment = try await Deployment.make()
        defer { try? FileManager.default.removeItem(atPath: deployment.directory) }

        // The owner provisions the office and its members.
        let office = try await deployment.ipcase(
            [
                "offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind",
                "university",
            ],
            as: "ipcase_owner")
        #expect(office.hasPrefix("office 1: Alatau TTO"))
        // The command line's login may not provision offices or members.
        #expect(
            try await deployment.run(
                "ipcase",
                [
                    "offices", "create", "--name", "X", "--region", "astana",
                    "--kind", "company",
                ], as: "ipcase_cli"
            ).status != 0)
        _ = try await deployment.ipcase(
            ["offices", "grant", "--login", "ipcase_cli", "--office", "1", "--role", "officer"],
            as: "ipcase_owner")
        _ = try await deployment.ipcase(
            ["offices", "grant", "--login", "ipcase_reporting", "--office", "1", "--role", "viewer"],
            as: "ipcase_owner")
        #expect(
            try await deployment.ipcase(["offices", "members", "--office", "1"], as: "ipcase_owner")
                .contains("ipcase_cli"))
        // Escalations and reminders without an attorney e-mail go to the office's supervisor.
        let admin = try await deployment.admin()
        _ = try await admin.execute("UPDATE offices SET supervisor_email = 'head@alatau.example'")

        // The command line records rights and events as ipcase_cli: one due in about 20 days,
        // one whose deadlines passed long ago.
        _ = try await deployment.ipcase(
            [
                "parties", "create", "--office", "1", "--name", "Aizhan Utebayeva", "--kind", "person",
                "--sector",
                "academia", "--role", "attorney",
            ], as: "ipcase_cli")
        for (reference, events) in [
            ("ATU-1-KZ", ["filed=\(Deployment.day(20, years: -1))"]),
            (
                "ATU-2-KZ",
                ["filed=\(Deployment.day(0, years: -3))", "office-action=\(Deployment.day(0, years: -1))"]
            ),
        ] {
            _ = try await deployment.ipcase(
                [
                    "rights", "create", "--office", "1", "--ref", reference, "--jurisdiction", "KZ", "--kind",
                    "patent",
                    "--title", "Sorbent", "--attorney", "1",
                ], as: "ipcase_cli")
            let right = reference == "ATU-1-KZ" ? "1" : "2"
            for event in events {
                let number = event.hasPrefix("filed=") ? ["--number", "2025/000\(right).1"] : []
                _ = try await deployment.ipcase(
                    ["events", "record", "--office", "1", "--right", right, "--event", event] + number,
                    as: "ipcase_cli")
            }
        }
        // One queued recomputation per right: ATU-2-KZ's office action, recorded while its filing's
        // job was still queued, rides on that job (the lock it takes needs only ipcase_app's grants).
        #expect(
            try await admin.query("SELECT count(*) FROM jobs WHERE status = 'queued'")[0].decode(Int.self)
                == 2)
        // CSV import under the same login, written set-based: parties, then agreements with their
        // counterparties, rights, obligations and a licence granted under an option of the file.
        func file(_ name: String, _ kind: RecordFile, _ rows: [[String: String]]) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-\(UUID().uuidString)-\(name)").path
            let text = CSVText.record(kind.columns) + rows.map { row in CSVText.record(kind.columns.map { row[$0] ?? "" }) }.joined()
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let parties = try file(
            "parties.csv", .parties,
            [
                ["name": "KazSorb LLP", "kind": "organization", "roles": "licensee", "sector": "industry"],
                ["name": "Steppe Ventures", "kind": "organization", "roles": "investor;licensee", "sector": "industry"],
            ])
        let agreements = try file(
            "agreements.csv", .agreements,
            [
                ["ref": "OPT-1", "kind": "option", "state": "draft", "counterparties": "KazSorb LLP", "rights": "ATU-1-KZ"],
                [
                    "ref": "LIC-1", "kind": "exclusive-licence", "state": "draft",
                    "counterparties": "KazSorb LLP;Steppe Ventures", "rights": "ATU-1-KZ;ATU-2-KZ",
                    "option_ref": "OPT-1", "currency": "KZT", "upfront": "5000000.00",
                ],
            ])
        let obligations = try file(
            "obligations.csv", .obligations,
            [["agreement_ref": "LIC-1", "type": "milestone-payment", "name": "First sale", "amount": "1000000.00"]])
        _ = try await deployment.ipcase(["import", "parties", parties, "--office", "1", "--quiet"], as: "ipcase_cli")
        _ = try await deployment.ipcase(
            ["import", "agreements", agreements, "--obligations", obligations, "--office", "1", "--quiet"],
            as: "ipcase_cli")
        let imported = try await admin.query(
            """
            SELECT (SELECT string_agg(p.name, ';' ORDER BY ap.position) FROM agreement_parties ap
                    JOIN parties p ON p.office_id = ap.office_id AND p.id = ap.party_id WHERE ap.agreement_id = a.id),
                   (SELECT count(*) FROM agreement_rights ar WHERE ar.agreement_id = a.id),
                   (SELECT o.reference FROM agreements o WHERE o.id = a.option_id),
                   jsonb_array_length(a.financial_terms->'milestones')
            FROM agreements a WHERE a.reference = 'LIC-1'
            """)
        let (counterparties, rights, option, milestones) = try imported[0].decode(String.self, Int.self, String.self, Int.self)
        #expect(counterparties == "KazSorb LLP;Steppe Ventures" && rights == 2 && option == "OPT-1" && milestones == 1)
        #expect(
            try await admin.query("SELECT DISTINCT actor FROM audit_log WHERE table_name = 'agreements'").map {
                try $0.decode(String.self, at: 0)
            } == ["aliya"])

        // Under the same login: a right without rules is recorded only as manual, and the docket
        // table (read in the office's session, where row security admits it) says so.
        _ = try await deployment.ipcase(
            [
                "rights", "create", "--office", "1", "--ref", "ATU-3-GB", "--jurisdiction", "GB", "--kind", "patent",
                "--title", "Sorbent", "--deadlines", "manual",
            ], as: "ipcase_cli")
        let table = try await deployment.ipcase(["deadlines", "list", "--office", "1"], as: "ipcase_cli")
        #expect(table.contains("ATU-3-GB  GB patent  office 1"), "\(table)")
        // Under the same login: a registered program whose author died, know-how shared under an
        // NDA, and a person's demographics recorded with consent.
        let created = try await deployment.ipcase(
            [
                "rights", "create", "--office", "1", "--ref", "ATU-4-SW", "--jurisdiction", "KZ", "--kind", "software",
                "--title", "Inversion toolkit",
            ], as: "ipcase_cli")
        let software = String(try #require(created.split(separator: " ").dropFirst().first?.dropLast()))
        for arguments in [
            ["--event", "filed=2025-02-03", "--number", "2025/00412-AP"], ["--event", "granted=2025-02-24", "--number", "41602"],
            ["--event", "author-died=2025-08-01"],
        ] {
            _ = try await deployment.ipcase(
                ["events", "record", "--office", "1", "--right", software] + arguments, as: "ipcase_cli")
        }
        let knowHow = try await deployment.ipcase(
            [
                "rights", "create", "--office", "1", "--ref", "ATU-5-KH", "--jurisdiction", "KZ", "--kind", "know-how",
                "--title", "Activation recipe",
            ], as: "ipcase_cli")
        let secret = String(try #require(knowHow.split(separator: " ").dropFirst().first?.dropLast()))
        _ = try await deployment.ipcase(
            ["events", "record", "--office", "1", "--right", secret, "--event", "entered-into-force=2025-03-01"],
            as: "ipcase_cli")
        let kazSorb = try await admin.query("SELECT id FROM parties WHERE name = 'KazSorb LLP'")[0].decode(Int64.self, at: 0)
        _ = try await deployment.ipcase(
            [
                "agreements", "create", "--office", "1", "--ref", "NDA-1", "--kind", "nda", "--counterparty",
                String(kazSorb), "--right", secret,
            ], as: "ipcase_cli")
        let nda = try await admin.query("SELECT id FROM agreements WHERE reference = 'NDA-1'")[0].decode(Int64.self, at: 0)
        _ = try await deployment.ipcase(
            ["advance", "agreement", String(nda), "execute", "--date", "2025-03-10", "--office", "1"], as: "ipcase_cli")
        let secretShown = try await deployment.ipcase(["rights", "show", secret, "--office", "1"], as: "ipcase_cli")
        #expect(secretShown.contains("NDAs in force with \(kazSorb) KazSorb LLP"), "\(secretShown)")
        _ = try await deployment.ipcase(
            [
                "parties", "create", "--office", "1", "--name", "Gulnara Sadykova", "--kind", "person", "--sector",
                "academia", "--role", "inventor", "--gender", "female", "--consented-on", "2025-02-01",
            ], as: "ipcase_cli")
        #expect(
            try await admin.query(
                "SELECT count(*) FROM parties WHERE name = 'Gulnara Sadykova' AND gender = 'female'")[0].decode(Int.self)
                == 1)

        let elsewhere = try await deployment.run("ipcase", ["rights", "list", "--office", "2"], as: "ipcase_cli")
        #expect(elsewhere.status == 2 && elsewhere.stderr.contains("--office: office 2 does not exist"), "\(elsewhere.stderr)")

        // ipcased under its own login: --once processes every job, then a running daemon sweeps.
        let once = try deployment.daemon(["run", "--once"])
        let onceExit = await once.exit(timeout: .seconds(60))
        #expect(onceExit?.status == 0, "ipcased run --once as ipcased:\n\(once.log)")
        #expect(
            try await admin.query("SELECT count(*) FROM jobs WHERE status <> 'done'")[0].decode(Int.self)
                == 0)
        // The program's term, computed by ipcased from its author's death.
        #expect(
            try await admin.query(
                "SELECT due_date::text FROM deadlines WHERE rule_id = 'KZ.term.copyright' AND right_id = \(software)"
            ).map { try $0.decode(String.self, at: 0) } == ["2095-12-31"])
        let running = try deployment.daemon(["run"])
        let swept = try await eventually(timeout: .seconds(30)) {
            let row = try await admin.query(
                """
                SELECT (SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'deadline:%:reminder:%'),
                       (SELECT count(*) FROM deadlines WHERE status = 'missed')
                """)[0]
            let (reminders, missed) = try row.decode(Int.self, Int.self)
            return reminders > 0 && missed > 0
        }
        #expect(swept, "no reminder or missed deadline after the sweep:\n\(running.log)")
        // (--once already swept; the running daemon must be up before it is stopped.)
        #expect(await eventually(timeout: .seconds(30)) { running.log.contains("Daemon ready") }, "\(running.log)")
        running.signal(SIGTERM)
        let runningExit = await running.exit(timeout: .seconds(30))
        #expect(runningExit?.status == 0, "\(running.log)")
        #expect(!running.log.contains("lacks a privilege") && !once.log.contains("lacks a privilege"))
        for password in Deployment.passwords.values {
            #expect(!running.log.contains(password) && !once.log.contains(password))
        }

        // A decree closes the day ATU-1-KZ's priority year ends (issue 11 §4): entered as
        // ipcase_cli, recounted by ipcased under its login, shown as moved in the docket.
        let due = try await admin.query(
            """
            SELECT d.due_date FROM deadlines d JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
            WHERE r.reference = 'ATU-1-KZ' AND d.rule_id = 'PARIS.priority.12'
            """)[0].decode(CivilDate.self, at: 0)
        let added = try await deployment.ipcase(
            [
                "calendar", "add-closed", "--office", "1", "--calendar", "KZ", "--date", due.description, "--source",
                "Government decree (test)",
            ], as: "ipcase_cli")
        // The KZ rights with open deadlines: both patents and the program (its term is open).
        #expect(added.contains("3 right(s) queued"), "\(added)")
        let recount = try deployment.daemon(["run", "--once"])
        #expect(await recount.exit(timeout: .seconds(60))?.status == 0, "\(recount.log)")
        let moved = try await deployment.ipcase(["deadlines", "list", "--office", "1"], as: "ipcase_cli")
        #expect(moved.contains("↳ moved from \(due) — KZ closed \(due) by Government decree (test)"), "\(moved)")
        await admin.close()

        // The reporting login reads the docket and the indicators of its office.
        let docket = try await deployment.ipcase(
            ["deadlines", "list", "--office", "1", "--all", "--format", "json"], as: "ipcase_reporting")
        let entries = try #require(
            (try JSONSerialization.jsonObject(with: Data(docket.utf8)) as? [String: Any])?["deadlines"]
                as? [[String: Any]])
        let statuses = Set(
            entries.map { "\($0["right_reference"] ?? "") \($0["type"] ?? "") \($0["status"] ?? "")" })
        #expect(statuses.contains("ATU-1-KZ priority open"), "\(statuses)")
        #expect(statuses.contains("ATU-2-KZ priority missed"), "\(statuses)")
        let report = try await deployment.run(
            "ipcase",
            [
                "report", "--office", "1", "--from", Deployment.day(0, years: -4), "--to",
                Deployment.day(0),
            ],
            as: "ipcase_reporting")
        #expect(report.status == 0, "ipcase report as ipcase_reporting: \(report.stderr)")
        // And writes nothing.
        let write = try await deployment.run(
            "ipcase",
            [
                "parties", "create", "--office", "1", "--name", "X", "--kind", "person", "--sector",
                "other",
            ],
            as: "ipcase_reporting")
        #expect(write.status != 0)
    }

    /// A privilege the daemon needs, taken away after deploying: which part notices it first.
    static let faults: [(name: String, sql: String?, login: String?, object: String)] = [
        ("wrong password", nil, "ipcased:not-the-password", "password authentication failed"),
        (
            "schema_migrations", "REVOKE SELECT ON schema_migrations FROM ipcase_daemon", nil,
            "schema_migrations"
        ),
        ("jobs", "REVOKE UPDATE ON jobs FROM ipcase_daemon", nil, "table jobs"),
    ]

    @Test(
        "a login or privilege the database refuses stops ipcased promptly with exit 77, naming it",
        arguments: 0..<3)
    func aMissingPrivilegeStopsTheDaemon(fault: Int) async throws {
        let (_, sql, login, object) = Self.faults[fault]
        let deployment = try await Deployment.make()
        defer { try? FileManager.default.removeItem(atPath: deployment.directory) }
        if let sql {
            let admin = try await deployment.admin()
            _ = try await admin.execute(PostgresQuery(unsafeSQL: sql))
            await admin.close()
        }
        let url = login.map { "postgresql://\($0)@127.0.0.1:\(deployment.port)/\(deployment.database)" }
        let started = ContinuousClock.now
        let daemon = try deployment.daemon(["run"], url: url)
        let exit = await daemon.exit(timeout: .seconds(30))
        #expect(exit?.reason == .exit && exit?.status == 77, "\(daemon.log)")
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(daemon.log.contains("The database login lacks a privilege ipcased needs; stopping"))
        #expect(daemon.log.contains(object), "\(daemon.log)")
        #expect(!daemon.log.contains("not-the-password"))
    }
}
