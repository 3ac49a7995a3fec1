import Foundation
import PostgresServer
import Testing

/// Runs the built `ipcased` executable as systemd would.
@Suite("ipcased process")
struct DaemonProcessTests {
    /// `ipcased` next to the test bundle in the build directory (`swift test` builds every product).
    static var executable: String { product("ipcased") }

    /// The executable `name` in the build directory of the test bundle (or a parent), else `name`.
    static func product(_ name: String) -> String {
        let bundle = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        var directory = bundle.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return name
    }

    func writeConfig(_ text: String, in directory: String) throws -> String {
        let path = directory + "/ipcased.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, out: String, err: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { first, _ in first }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    @Test("the executable is built next to the tests")
    func executableExists() {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.executable),
            "build ipcased first: swift build --product ipcased")
    }

    @Test("check-config prints the effective configuration with secrets redacted and exits 0")
    func checkConfigAcceptsAValidFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try writeConfig(
            """
            [database]
            url = "postgresql://ipcased:s3cret-db@db.example.org/ipcase"
            [webhook]
            url = "https://hooks.example.org/ipcase"
            secret = "s3cret-webhook-key-0123"
            """, in: directory)
        let result = try run(["check-config", "--config", path], environment: ["IPCASE_QUEUE_BATCH_SIZE": "300"])
        #expect(result.status == 0)
        #expect(result.out.contains("url = \"postgresql://ipcased:***@db.example.org/ipcase\"  # \(path):2"))
        #expect(result.out.contains("batch_size = 300  # environment IPCASE_QUEUE_BATCH_SIZE"))
        #expect(result.out.contains("secret = \"<redacted>\""))
        #expect(!(result.out + result.err).contains("s3cret"))
    }

    @Test("migrate without a database says database.url is required and exits 2")
    func migrateWithoutADatabaseIsBadUsage() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try run(["migrate", "--config", try writeConfig("[queue]\nworkers = 2\n", in: directory)])
        #expect(result.status == 2)
        #expect(result.err.contains("database.url: required"))
    }

    @Test("migrate --config reads the database from the daemon's file, like run")
    func migrateTakesTheConfigurationFile() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "ipcased_migrate")
        let path = try writeConfig("[database]\nurl = \"\(url)\"\n", in: directory)
        let pending = try run(["migrate", "--status", "--config", path])
        #expect(pending.status == 0)
        #expect(pending.out.hasPrefix("pending   0001_foundation.sql"))
        let applied = try run(["migrate", "--config", path])
        #expect(applied.status == 0, "\(applied.err)")
        #expect(applied.out.contains("applied   0001_foundation.sql"))
        let again = try run(["migrate", "--config", path])
        #expect(again.out.contains("the database is up to date"))
    }

    @Test("check-config lists every problem with file, line and field and exits 2")
    func checkConfigRejectsAnInvalidFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try writeConfig("[queue]\nworkers = 0\n", in: directory)
        let result = try run(
            ["check-config", "--config", path], environment: ["IPCASE_DATABASE_URL": "postgresql://u:s3cret@h/db"])
        #expect(result.status == 2)
        #expect(result.err.contains("\(path):2: queue.workers: must be between 1 and 64, got 0"))
        #expect(!(result.out + result.err).contains("s3cret"))
    }

    @Test(
        "under a notify socket: READY=1, WATCHDOG=1, SIGHUP reloads (RELOADING=1, READY=1), SIGTERM sends STOPPING=1 and exits 0"
    )
    func daemonSpeaksSystemdProtocolAndStopsCleanly() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // READY=1 needs the database: a migrated throwaway one (its trust authentication ignores the password).
        let database = try await QueueDatabase.make()
        let url = database.url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://postgres:s3cret@")
        let path = try writeConfig(
            "[database]\nurl = \"\(url)\"\n[metrics]\nlisten = \"127.0.0.1:0\"\n", in: directory)
        let listener = try NotifySocketListener(.abstract)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["run", "--config", path]
        process.environment = ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "1000000", "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        try process.run()

        let startup = await listener.receiveInBackground(until: { $0.hasPrefix("READY=1") })
        #expect(startup.last?.message.hasPrefix("READY=1\nSTATUS=") == true)
        let pings = await listener.receiveInBackground(until: { $0 == "WATCHDOG=1" }, timeout: .seconds(3))
        #expect(pings.last?.message == "WATCHDOG=1")

        // systemctl reload: the file now raises the log level.
        _ = try writeConfig(
            "[database]\nurl = \"\(url)\"\n[metrics]\nlisten = \"127.0.0.1:0\"\n[log]\nlevel = \"debug\"\n",
            in: directory)
        kill(process.processIdentifier, SIGHUP)
        let reload = await listener.receiveInBackground(until: { $0.hasPrefix("READY=1") })
        // Watchdog pings and periodic status updates may interleave; the reload itself is what matters.
        let messages = reload.map(\.message).filter { $0 != "WATCHDOG=1" && !$0.hasPrefix("STATUS=") }
        #expect(messages.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        #expect(messages.last == "READY=1\nSTATUS=configuration reloaded")

        kill(process.processIdentifier, SIGTERM)
        let stopping = await listener.receiveInBackground(until: { $0.hasPrefix("STOPPING=1") })
        #expect(stopping.last?.message.hasPrefix("STOPPING=1") == true)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("Configuration reloaded"))
        #expect(log.contains("postgresql://postgres:***@127.0.0.1:"))
        #expect(!log.contains("s3cret"))
    }
}
