import Foundation
import IPCaseDaemon
import Logging
import Testing

@Suite("ipcased configuration")
struct ConfigurationTests {
    static let exampleFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/ipcased.conf").path

    func resolve(
        _ text: String, path: String = "/etc/ipcase/ipcased.conf", environment: [String: String] = [:],
        overrides: [ConfigKey: String] = [:]
    ) throws(ConfigurationError) -> DaemonConfiguration {
        try ConfigurationLoader.resolve(
            file: try ConfigFile(parsing: text, path: path), environment: environment, overrides: overrides)
    }

    /// The issue descriptions of a configuration that must fail.
    func issues(
        _ text: String, environment: [String: String] = [:], overrides: [ConfigKey: String] = [:]
    ) -> [String] {
        do {
            _ = try resolve(text, environment: environment, overrides: overrides)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test("the example file in Deploy/ is valid and spells out the defaults")
    func exampleFileIsValid() throws {
        let configuration = try ConfigurationLoader(filePath: Self.exampleFile, environment: [:]).load()
        #expect(configuration.workers == 2)
        #expect(configuration.batchSize == 200)
        #expect(configuration.reminderOffsetsDays == [60, 30, 14, 7, 1])
        #expect(configuration.metricsListen == ListenAddress(host: "127.0.0.1", port: 9187))
        #expect(configuration.webhook == nil)
        #expect(configuration.mail == nil)
        #expect(configuration.logLevel == .info)
        #expect(configuration.sources[.batchSize] == .file(path: Self.exampleFile, line: 19))
    }

    @Test("a minimal file gets the documented defaults")
    func defaultsApply() throws {
        let configuration = try resolve("[database]\nurl = \"postgresql:///ipcase\"\n")
        #expect(configuration.workers == 2)
        #expect(configuration.batchSize == 200)
        #expect(configuration.lease == .seconds(60))
        #expect(configuration.maxAttempts == 10)
        #expect(configuration.sweepInterval == .seconds(30))
        #expect(configuration.reminderOffsetsDays == [60, 30, 14, 7, 1])
        #expect(configuration.metricsListen.description == "127.0.0.1:9187")
        #expect(configuration.sendmailPath == "/usr/sbin/sendmail")
        #expect(
            configuration.notificationRetry
                == RetryPolicy(maxAttempts: 8, initialDelay: .seconds(5), maxDelay: .seconds(3600)))
        #expect(configuration.shutdownTimeout == .seconds(60))
        #expect(configuration.sources[.workers] == nil)
    }

    @Test("every value syntax parses: strings with escapes, literals, integers, booleans, arrays, comments")
    func valueSyntax() throws {
        let file = try ConfigFile(
            parsing: """
                # comment
                top = 'C:\\literal'
                [s]
                basic = "tab\\tquote\\" \\u00e9"   # trailing comment
                number = 10_000
                negative = -5
                flag = true
                list = [60, 30 ,7,]
                empty = []
                """, path: "x.conf")
        let values = Dictionary(uniqueKeysWithValues: file.entries.map { ($0.field, $0.value) })
        #expect(values["top"] == .string("C:\\literal"))
        #expect(values["s.basic"] == .string("tab\tquote\" é"))
        #expect(values["s.number"] == .integer(10_000))
        #expect(values["s.negative"] == .integer(-5))
        #expect(values["s.flag"] == .boolean(true))
        #expect(values["s.list"] == .array([.integer(60), .integer(30), .integer(7)]))
        #expect(values["s.empty"] == .array([]))
        #expect(file.entries.map(\.line) == [2, 4, 5, 6, 7, 8, 9])
    }

    @Test(
        "malformed lines are reported with file, line and field",
        arguments: [
            (
                "[queue\nworkers = 2",
                "x.conf:1: a section header is written [name] with lowercase letters, digits and _"
            ),
            ("[queue]\nworkers 2", "x.conf:2: queue.workers: expected `=` after queue.workers"),
            (
                "[queue]\n\nworkers = two",
                "x.conf:3: queue.workers: `two` is not a value: quote strings (\"…\"), write integers, true/false or [a, b]"
            ),
            ("[log]\nlevel = \"info", "x.conf:2: log.level: the string is not closed with \""),
            ("[queue]\nworkers = 2\nworkers = 3", "x.conf:3: queue.workers: set twice (first on line 2)"),
            ("[reminders]\noffsets_days = [1, [2]]", "x.conf:2: reminders.offsets_days: arrays cannot be nested"),
            ("[queue]\nworkers = 2 3", "x.conf:2: queue.workers: unexpected text after the value"),
            ("= 3", "x.conf:1: expected `key = value` (keys are lowercase letters, digits and _)"),
        ])
    func syntaxErrorsNameLineAndField(text: String, expected: String) {
        #expect {
            try ConfigFile(parsing: text, path: "x.conf")
        } throws: { error in
            (error as? ConfigurationError)?.issues.map(\.description) == [expected]
        }
    }

    @Test(
        "invalid values are reported with file, line and field",
        arguments: [
            ("[queue]\nworkers = 0", "/etc/ipcase/ipcased.conf:2: queue.workers: must be between 1 and 64, got 0"),
            ("[queue]\nbatch_size = \"big\"", "/etc/ipcase/ipcased.conf:2: queue.batch_size: expected an integer"),
            (
                "[reminders]\noffsets_days = [30, 30]",
                "/etc/ipcase/ipcased.conf:2: reminders.offsets_days: an offset is listed twice"
            ),
            (
                "[reminders]\noffsets_days = []",
                "/etc/ipcase/ipcased.conf:2: reminders.offsets_days: needs at least one offset"
            ),
            (
                "[decisions]\nlead_days = 0",
                "/etc/ipcase/ipcased.conf:2: decisions.lead_days: must be between 1 and 3650, got 0"
            ),
            (
                "[decisions]\nlead_days = 30\nescalation_days = 45",
                "/etc/ipcase/ipcased.conf:3: decisions.escalation_days: must not be more than decisions.lead_days"
            ),
            (
                "[metrics]\nlisten = \"localhost\"",
                "/etc/ipcase/ipcased.conf:2: metrics.listen: expected a numeric address and port, like 127.0.0.1:9187 or [::1]:9187"
            ),
            (
                "[log]\nlevel = \"loud\"",
                "/etc/ipcase/ipcased.conf:2: log.level: expected one of trace, debug, info, notice, warning, error, critical"
            ),
            (
                "[queue]\nwrokers = 2",
                "/etc/ipcase/ipcased.conf:2: queue.wrokers: unknown setting; [queue] has workers, batch_size, lease_seconds, max_attempts, sweep_interval_seconds"
            ),
            (
                "[webhook]\nurl = \"https://hooks.example.org/x\"",
                "/etc/ipcase/ipcased.conf:2: webhook.url: webhook.secret is required when webhook.url is set"
            ),
            (
                "[webhook]\nurl = \"ftp://x.org\"\nsecret = \"0123456789abcdef\"",
                "/etc/ipcase/ipcased.conf:2: webhook.url: expected an http:// or https:// URL with a host"
            ),
            (
                "[webhook]\nurl = \"https://x.org\"\nsecret = \"short\"",
                "/etc/ipcase/ipcased.conf:3: webhook.secret: must be at least 16 bytes long (e.g. `openssl rand -hex 32`)"
            ),
            (
                "[mail]\nsendmail_path = \"sendmail\"",
                "/etc/ipcase/ipcased.conf:2: mail.sendmail_path: must be an absolute path"
            ),
        ])
    func invalidValuesNameLineAndField(text: String, expected: String) {
        #expect(issues(text, environment: ["IPCASE_DATABASE_URL": "postgresql:///x"]) == [expected])
    }

    @Test("a missing database URL names the file and says where to set it")
    func databaseURLIsRequired() {
        #expect(
            issues("[queue]\nworkers = 2") == [
                "/etc/ipcase/ipcased.conf: database.url: required: set it in the file, in IPCASE_DATABASE_URL or with --database-url"
            ])
    }

    @Test("without a file the missing database URL is reported by itself")
    func databaseURLIsRequiredWithoutAFile() {
        #expect {
            try ConfigurationLoader.resolve(file: nil, environment: [:], overrides: [:])
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "database.url: required: set it in the file, in IPCASE_DATABASE_URL or with --database-url"
        }
    }

    @Test("every problem is reported at once")
    func allIssuesAreCollected() {
        let found = issues(
            "[queue]\nworkers = 0\nbatch_size = 0\n[log]\nlevel = \"x\"",
            environment: ["IPCASE_DATABASE_URL": "postgresql:///x"])
        #expect(found.count == 3)
        #expect(found.allSatisfy { $0.hasPrefix("/etc/ipcase/ipcased.conf:") })
    }

    @Test("the environment overrides the file, and --database-url overrides both")
    func precedenceIsFileThenEnvironmentThenCommandLine() throws {
        let configuration = try resolve(
            """
            [database]
            url = "postgresql://file@/ipcase"
            [queue]
            workers = 3
            batch_size = 100
            """,
            environment: [
                "IPCASE_DATABASE_URL": "postgresql://environment@/ipcase",
                "IPCASE_QUEUE_BATCH_SIZE": "500",
                "IPCASE_REMINDERS_OFFSETS_DAYS": "7, 30,1",
                "IPCASE_LOG_LEVEL": "DEBUG",
            ],
            overrides: [.databaseURL: "postgresql://option@/ipcase"])
        #expect(configuration.databaseURL.secret.revealed() == "postgresql://option@/ipcase")
        #expect(configuration.sources[.databaseURL] == .commandLine(option: "--database-url"))
        #expect(configuration.workers == 3)
        #expect(configuration.batchSize == 500)
        #expect(configuration.sources[.batchSize] == .environment(variable: "IPCASE_QUEUE_BATCH_SIZE"))
        #expect(configuration.reminderOffsetsDays == [30, 7, 1])
        #expect(configuration.logLevel == .debug)
    }

    @Test("an invalid environment value names the variable and the field")
    func environmentErrorsNameTheVariable() {
        #expect(
            issues("", environment: ["IPCASE_DATABASE_URL": "postgresql:///x", "IPCASE_QUEUE_WORKERS": "many"]) == [
                "environment IPCASE_QUEUE_WORKERS: queue.workers: expected an integer"
            ])
    }

    @Test("environment variable names follow IPCASE_SECTION_KEY")
    func environmentVariableNames() {
        #expect(ConfigKey.databaseURL.environmentVariable == "IPCASE_DATABASE_URL")
        #expect(ConfigKey.batchSize.environmentVariable == "IPCASE_QUEUE_BATCH_SIZE")
        #expect(ConfigKey.webhookSecret.environmentVariable == "IPCASE_WEBHOOK_SECRET")
    }

    @Test("secrets never appear in descriptions, dumps, interpolation or check-config output")
    func secretsAreRedacted() throws {
        let configuration = try resolve(
            """
            [database]
            url = "postgresql://ipcased:db-pass-123@db.example.org:5432/ipcase?sslmode=require"
            [webhook]
            url = "https://hooks.example.org/ipcase"
            secret = "whsec-0123456789abcdef"
            """)
        let webhook = try #require(configuration.webhook)
        var dumped = ""
        dump(configuration, to: &dumped)
        let renderings = [
            configuration.redactedDescription, "\(configuration)", String(describing: configuration),
            String(reflecting: configuration), dumped, "\(webhook.secret)", "\(configuration.databaseURL)",
        ]
        for text in renderings {
            #expect(!text.contains("db-pass-123"))
            #expect(!text.contains("whsec-0123456789abcdef"))
        }
        #expect(
            configuration.redactedDescription.contains(
                "url = \"postgresql://ipcased:***@db.example.org:5432/ipcase?sslmode=require\""))
        #expect(configuration.redactedDescription.contains("secret = \"<redacted>\""))
        #expect(webhook.secret.revealed() == "whsec-0123456789abcdef")
    }

    @Test(
        "database URLs and conninfo strings are shown without their passwords",
        arguments: [
            ("postgresql://u:p4ss@host/db", "postgresql://u:***@host/db"),
            ("postgres://u@host:5433/db", "postgres://u@host:5433/db"),
            (
                "postgresql:///ipcase?host=/run/postgresql&password=p4ss",
                "postgresql:///ipcase?host=/run/postgresql&password=***"
            ),
            ("postgresql://u:p4ss@host/db?application_name=a@b", "postgresql://u:***@host/db?application_name=a@b"),
            ("host=db user=u password=p4ss dbname=x", "host=db user=u password=*** dbname=x"),
            ("host=db password='p 4ss' dbname=x", "host=db password=*** dbname=x"),
            ("not a connection string", "<redacted>"),
        ])
    func databaseURLRedaction(connectionString: String, shown: String) {
        #expect(DatabaseURL(connectionString).description == shown)
        #expect(!DatabaseURL(connectionString).description.contains("p4ss"))
    }

    @Test("a reload reports which settings changed and which need a restart")
    func changedKeys() throws {
        let base = "[database]\nurl = \"postgresql:///a\"\n[queue]\nworkers = 2\nbatch_size = 200\n"
        let old = try resolve(base)
        let new = try resolve(
            base.replacingOccurrences(of: "200", with: "300").replacingOccurrences(
                of: "workers = 2", with: "workers = 4"))
        #expect(new.changedKeys(from: old) == [.workers, .batchSize])
        #expect(new.changedKeys(from: old).filter(\.requiresRestart) == [.workers])
    }

    @Test("an explicit file that does not exist is an error naming it")
    func missingExplicitFile() {
        #expect {
            try ConfigurationLoader(filePath: "/nonexistent/ipcased.conf", environment: [:]).load()
        } throws: { error in
            (error as? ConfigurationError)?.issues.first?.description.hasPrefix(
                "/nonexistent/ipcased.conf: cannot read") == true
        }
    }
}
