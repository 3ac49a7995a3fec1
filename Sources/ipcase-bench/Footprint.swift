import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ipcase-bench footprint`: the daemon's start-up time to `READY=1` and its resident memory.
struct FootprintBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "footprint",
        abstract: "ipcased: time from start to READY=1 and resident memory (VmRSS) when idle.",
        discussion: """
            Starts the real binary, built as operators build it (swift build -c release
            --product ipcased --static-swift-stdlib; the README explains why and what
            Package.swift adds),
            against a migrated database with NOTIFY_SOCKET pointing at a socket this command
            listens on, as systemd would. The start time runs from spawning the process to the
            READY=1 datagram; memory is VmRSS from /proc/PID/status after it has idled.

              .build/release/ipcase-bench footprint --rounds 5
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "The ipcased binary (default: next to this one).")
    var ipcased: String?

    @Option(help: "Seconds to let the daemon idle before reading its memory.")
    var idleSeconds = 2.0

    func run() async throws {
        let binary = ipcased ?? siblingExecutable("ipcased")
        try verify(FileManager.default.isExecutableFile(atPath: binary), "no ipcased binary at \(binary)")
        var report = Report(title: "Daemon footprint")
        report.context.append("binary \(binary)")
        try await BenchDatabase.with(harness, migrated: true) { database in
            var rss: [Double] = []
            var peak: [Double] = []
            var anonymous: [Double] = []
            var file: [Double] = []
            let ready = try await rounds(harness) { round in
                let run = try await DaemonRun.start(binary: binary, databaseURL: database.url)
                defer { run.stop() }
                let readyMilliseconds = try run.waitForReady(timeout: 10)
                if round >= 0 {
                    try await Task.sleep(for: .seconds(idleSeconds))
                    let status = try run.status()
                    rss.append(status.rss / 1024)
                    peak.append(status.peak / 1024)
                    anonymous.append(status.anonymous / 1024)
                    file.append(status.file / 1024)
                }
                return readyMilliseconds
            }
            report.figures.append(
                Figure(name: "start to READY=1", unit: "ms", samples: ready, goal: .atMost(300),
                       note: "spawn → READY=1 datagram on NOTIFY_SOCKET (migrated database, connection and schema check included)"))
            report.figures.append(
                Figure(name: "RSS idle", unit: "MB", samples: rss, goal: .atMost(30),
                       note: "VmRSS after \(idleSeconds) s idle (MiB)"))
            report.figures.append(Figure(name: "RSS peak (VmHWM) idle", unit: "MB", samples: peak, goal: nil))
            report.figures.append(
                Figure(name: "  of which anonymous (heap, stacks)", unit: "MB", samples: anonymous, goal: nil,
                       note: "RssAnon: memory the daemon allocated"))
            report.figures.append(
                Figure(name: "  of which file-backed (libraries)", unit: "MB", samples: file, goal: nil,
                       note: "RssFile: pages of libswiftCore, Foundation, ICU, libcrypto/gnutls (via FoundationNetworking) and the binary, shared with other processes"))
        }
        try report.emit(harness)
    }
}

/// The path of `name` in the directory of this executable.
func siblingExecutable(_ name: String) -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let own = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    return (own as NSString).deletingLastPathComponent + "/" + name
}

/// A running `ipcased run` with a notify socket.
final class DaemonRun {
    let process = Process()
    let socket: Int32
    let socketPath: String
    let started: ContinuousClock.Instant

    private init(socket: Int32, socketPath: String, started: ContinuousClock.Instant) {
        self.socket = socket
        self.socketPath = socketPath
        self.started = started
    }

    /// Binds a datagram socket, then spawns `binary run` with NOTIFY_SOCKET set to it.
    static func start(binary: String, databaseURL: String, environment: [String: String] = [:]) async throws -> DaemonRun {
        let path = NSTemporaryDirectory() + "ipcase-bench-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try verify(descriptor >= 0, "socket(): errno \(errno)")
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try verify(bound == 0, "bind(\(path)): errno \(errno)")
        let run = DaemonRun(socket: descriptor, socketPath: path, started: ContinuousClock.now)
        run.process.executableURL = URL(fileURLWithPath: binary)
        run.process.arguments = ["run"]
        run.process.environment = [
            "PATH": "/usr/bin:/bin", "IPCASE_DATABASE_URL": databaseURL, "IPCASE_METRICS_LISTEN": "127.0.0.1:0",
            "NOTIFY_SOCKET": path,
        ].merging(environment) { _, new in new }
        run.process.standardOutput = FileHandle.nullDevice
        run.process.standardError = FileHandle.nullDevice
        try run.process.run()
        return run
    }

    /// Milliseconds from spawning until a datagram starting with `READY=1` arrived.
    func waitForReady(timeout: Double) throws -> Double {
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            try verify(count >= 0, "no READY=1 from ipcased within \(timeout) s (running: \(process.isRunning))")
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            if message.hasPrefix("READY=1") || message.contains("\nREADY=1") {
                let elapsed = ContinuousClock.now - started
                return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            }
        }
    }

    /// VmRSS and VmHWM in KiB.
    func status() throws -> (rss: Double, peak: Double, anonymous: Double, file: Double) {
        let text = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        func field(_ name: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return .nan }
            return Double(line.split(separator: " ").dropFirst().first { Double($0) != nil }.flatMap { Double($0) } ?? .nan)
        }
        return (field("VmRSS"), field("VmHWM"), field("RssAnon"), field("RssFile"))
    }

    /// SIGTERM, wait for the exit, remove the socket.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        close(socket)
        unlink(socketPath)
    }
}
