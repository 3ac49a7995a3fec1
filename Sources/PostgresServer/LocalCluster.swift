import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL cluster in a temporary directory, removed by a watcher when this process dies.
final class LocalCluster: Sendable {
    let binaries: String
    let base: String
    let port: Int
    let asPostgres: Bool
    private let logger: Logger
    /// The write end of the pipe the watcher reads; closing it (or dying) triggers the cleanup.
    private let watcherDescriptor: Int32

    var dataDirectory: String { base + "/data" }
    var socketDirectory: String { base + "/socket" }
    var logFile: String { base + "/server.log" }

    private init(binaries: String, base: String, port: Int, asPostgres: Bool, watcher: Int32, logger: Logger) {
        self.binaries = binaries
        self.base = base
        self.port = port
        self.asPostgres = asPostgres
        self.watcherDescriptor = watcher
        self.logger = logger
    }

    /// Finds the server programs, runs initdb, starts the server; cleans up on failure.
    ///
    /// With `passwordAuthentication`, TCP logins other than `postgres` must give their password
    /// (SCRAM-SHA-256, as a production pg_hba.conf would ask); `postgres` and the socket stay trusted.
    static func create(passwordAuthentication: Bool = false, logger: Logger) async throws -> LocalCluster {
        let binaries = try await findBinaries()
        let asPostgres = geteuid() == 0
        var owner: (uid: uid_t, gid: gid_t)?
        if asPostgres {
            guard let entry = getpwnam("postgres") else {
                throw ThrowawayPostgresError(
                    "PostgreSQL refuses to run as root and there is no postgres user; install the server: apt-get install -y postgresql"
                )
            }
            owner = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        let base = try makeTemporaryDirectory(owner: owner)
        let watcher = try startWatcher(binaries: binaries, base: base, asPostgres: asPostgres)
        var cluster: LocalCluster?
        do {
            for directory in [base + "/socket"] {
                guard mkdir(directory, 0o700) == 0 else {
                    throw ThrowawayPostgresError("cannot create \(directory): errno \(errno)")
                }
                if let owner { _ = chown(directory, owner.uid, owner.gid) }
            }
            try await runChecked(
                binaries + "/initdb",
                ["-D", base + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"],
                asPostgres: asPostgres, base: base, what: "initdb")
            let settings = """

                # ipcase throwaway cluster: tests only, durability off for speed
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '\(base)/socket'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_connections = 400
                logging_collector = off

                """
            let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: base + "/data/postgresql.conf"))
            try configuration.seekToEnd()
            try configuration.write(contentsOf: Data(settings.utf8))
            if passwordAuthentication {
                try configuration.write(contentsOf: Data("password_encryption = 'scram-sha-256'\n".utf8))
            }
            try configuration.close()
            if passwordAuthentication {
                // First match wins: the superuser and the socket are trusted, every other TCP login
                // gives its password. Written by this (root or owner) process, readable by the server.
                try Data(
                    """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256

                    """.utf8
                ).write(to: URL(fileURLWithPath: base + "/data/pg_hba.conf"))
                if let owner { _ = chown(base + "/data/pg_hba.conf", owner.uid, owner.gid) }
            }

            var lastError: (any Error)?
            for _ in 0..<5 {
                let candidate = LocalCluster(
                    binaries: binaries, base: base, port: try freePort(), asPostgres: asPostgres, watcher: watcher,
                    logger: logger)
                do {
                    try await candidate.start()
                    cluster = candidate
                    break
                } catch {
                    lastError = error
                }
            }
            guard let cluster else { throw lastError ?? ThrowawayPostgresError("PostgreSQL did not start") }
            logger.debug(
                "throwaway postgres started", metadata: ["postgres.port": "\(cluster.port)", "postgres.directory": "\(base)"])
            return cluster
        } catch {
            // Closing the pipe makes the watcher stop whatever started and remove the directory.
            _ = close(watcher)
            throw error
        }
    }

    /// A hot standby of this cluster in a new directory: `pg_basebackup -R` (streaming
    /// replication from this server, `standby.signal` written), started on its own port and
    /// socket directory. Removed like any throwaway cluster.
    func makeStandby(logger: Logger) async throws -> LocalCluster {
        var owner: (uid: uid_t, gid: gid_t)?
        if asPostgres, let entry = getpwnam("postgres") { owner = (entry.pointee.pw_uid, entry.pointee.pw_gid) }
        let base = try Self.makeTemporaryDirectory(owner: owner)
        let watcher = try Self.startWatcher(binaries: binaries, base: base, asPostgres: asPostgres)
        do {
            guard mkdir(base + "/socket", 0o700) == 0 else {
                throw ThrowawayPostgresError("cannot create \(base)/socket: errno \(errno)")
            }
            if let owner { _ = chown(base + "/socket", owner.uid, owner.gid) }
            try await Self.runChecked(
                binaries + "/pg_basebackup",
                ["-D", base + "/data", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-R", "-X", "stream",
                 "-c", "fast"],
                asPostgres: asPostgres, base: base, what: "pg_basebackup")
            // The copied configuration names the primary's socket directory: later lines win.
            let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: base + "/data/postgresql.conf"))
            try configuration.seekToEnd()
            try configuration.write(
                contentsOf: Data("\n# hot standby\nunix_socket_directories = '\(base)/socket'\nhot_standby = on\n".utf8))
            try configuration.close()
            let standby = LocalCluster(
                binaries: binaries, base: base, port: try Self.freePort(), asPostgres: asPostgres, watcher: watcher,
                logger: logger)
            try await standby.start()
            return standby
        } catch {
            _ = close(watcher)
            throw error
        }
    }

    /// Starts the server (again) on this cluster's port and waits until it accepts connections.
    func start() async throws {
        try await Self.runChecked(
            binaries + "/pg_ctl",
            ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", "-p \(port)", "start"],
            asPostgres: asPostgres, base: base, what: "pg_ctl start", logFile: logFile)
    }

    /// Stops the server (`fast` or `immediate`) and waits until it is down.
    func stop(mode: String) async throws {
        try await Self.runChecked(
            binaries + "/pg_ctl", ["-D", dataDirectory, "-m", mode, "-w", "-t", "60", "stop"],
            asPostgres: asPostgres, base: base, what: "pg_ctl stop")
    }

    /// Stops the server and removes the directory; the watcher then exits.
    func destroy() async {
        do {
            try await stop(mode: "immediate")
        } catch {
            logger.debug("throwaway postgres stop failed", metadata: ["error": "\(error)"])
        }
        try? FileManager.default.removeItem(atPath: base)
        _ = close(watcherDescriptor)
        logger.debug("throwaway postgres removed", metadata: ["postgres.directory": "\(base)"])
    }

    // MARK: Finding the server programs

    /// The directory holding initdb, pg_ctl and postgres: `pg_config --bindir`, then the highest
    /// `/usr/lib/postgresql/*/bin`, then `PATH`.
    static func findBinaries(
        pgConfig: String? = findInPath("pg_config"), versionsRoot: String = "/usr/lib/postgresql",
        initdbInPath: String? = findInPath("initdb")
    ) async throws -> String {
        var candidates: [String] = []
        if let pgConfig, let output = try? await run(pgConfig, ["--bindir"], asPostgres: false, outputFile: nil),
            output.status == 0
        {
            candidates.append(output.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: versionsRoot)) ?? []
        for version in versions.sorted(by: { (Double($0) ?? 0) > (Double($1) ?? 0) }) {
            candidates.append("\(versionsRoot)/\(version)/bin")
        }
        if let initdbInPath { candidates.append((initdbInPath as NSString).deletingLastPathComponent) }
        for directory in candidates
        where ["initdb", "pg_ctl", "postgres"].allSatisfy({ access("\(directory)/\($0)", X_OK) == 0 }) {
            return directory
        }
        throw ThrowawayPostgresError(
            "PostgreSQL server programs (initdb, pg_ctl) not found; install them: apt-get install -y postgresql")
    }

    static func findInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        return nil
    }

    // MARK: Directory, port, watcher

    private static func makeTemporaryDirectory(owner: (uid: uid_t, gid: gid_t)?) throws -> String {
        var parent = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        // Unix socket paths are limited to about 100 bytes.
        if parent.utf8.count > 40 || access(parent, W_OK) != 0 { parent = "/tmp" }
        var template = Array("\(parent)/ipcase-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw ThrowawayPostgresError("cannot create a temporary directory in \(parent): errno \(errno)")
        }
        let path = String(cString: created)
        if let owner {
            guard chown(path, owner.uid, owner.gid) == 0 else {
                throw ThrowawayPostgresError("cannot give \(path) to the postgres user: errno \(errno)")
            }
        }
        return path
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ThrowawayPostgresError("cannot create a socket: errno \(errno)") }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw ThrowawayPostgresError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `sh` reading a pipe held only by this process: at EOF (this process closed it or
    /// died, even by SIGKILL) it stops the server and removes the directory. No polling.
    private static func startWatcher(binaries: String, base: String, asPostgres: Bool) throws -> Int32 {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw ThrowawayPostgresError("cannot create a pipe: errno \(errno)") }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let script = """
            trap '' INT TERM HUP
            cat >/dev/null
            if [ -f "$2/data/postmaster.pid" ]; then
                if [ "$3" = yes ]; then runuser -u postgres -- "$1/pg_ctl" -D "$2/data" -m immediate -w stop
                else "$1/pg_ctl" -D "$2/data" -m immediate -w stop; fi
            fi >/dev/null 2>&1
            rm -rf "$2"
            """
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(
                ["/bin/sh", "-c", script, "ipcase-pg-watcher", binaries, base, asPostgres ? "yes" : "no"],
                input: descriptors[0], newSession: true)
        } catch {
            _ = close(descriptors[0])
            _ = close(descriptors[1])
            throw error
        }
        Subprocess.reapLater(pid)
        _ = close(descriptors[0])
        return descriptors[1]
    }

    // MARK: Running programs

    /// Runs a program (as `postgres` when root), failing with its output when it fails.
    private static func runChecked(
        _ executable: String, _ arguments: [String], asPostgres: Bool, base: String, what: String,
        logFile: String? = nil
    ) async throws {
        let outputFile = base + "/\(what.replacingOccurrences(of: " ", with: "-")).out"
        let (status, output) = try await run(executable, arguments, asPostgres: asPostgres, outputFile: outputFile)
        guard status == 0 else {
            var text = output
            if let logFile, let log = try? String(contentsOfFile: logFile, encoding: .utf8) {
                text += "\n" + log.split(separator: "\n").suffix(10).joined(separator: "\n")
            }
            let lastLines = text.split(separator: "\n").suffix(8).joined(separator: " | ")
            throw ThrowawayPostgresError("\(what) failed with status \(status): \(lastLines)")
        }
    }

    /// Runs a program and returns its exit status and output (stdout and stderr).
    static func run(
        _ executable: String, _ arguments: [String], asPostgres: Bool, outputFile: String?
    ) async throws -> (status: Int32, output: String) {
        var arguments = [executable] + arguments
        if asPostgres { arguments = [findInPath("runuser") ?? "/usr/sbin/runuser", "-u", "postgres", "--"] + arguments }
        let output = outputFile ?? FileManager.default.temporaryDirectory.path + "/ipcase-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        let status = await Subprocess.wait(try Subprocess.spawn(arguments, outputPath: output))
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if outputFile == nil { try? FileManager.default.removeItem(atPath: output) }
        return (status, text)
    }
}
