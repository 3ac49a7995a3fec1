import Foundation
import Synchronization

/// Runs python3 scripts for checks by independent implementations (python's `holidays`, the
/// `icalendar` package, the `csv` module), for every test target that needs them.
///
/// A package that is not importable as installed is installed once per test process with
/// `python3 -m pip install --quiet --target <tmp>/ipcase-tests-python-<packages> <packages>` and
/// put on PYTHONPATH. Processes are waited for with a termination handler, never by blocking a
/// thread of the cooperative pool (other suites run on it meanwhile).
public enum Python {
    /// Why a script could not run or failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `script` with `arguments` once `packages` are importable; returns its standard output.
    /// - Throws: ``Failure`` when python3 cannot run, pip cannot install a package, or the script
    ///   exits non-zero (with its standard error).
    public static func script(_ script: String, arguments: [String] = [], packages: [String] = []) async throws
        -> String
    {
        let pythonPath = try await Installations.shared.pythonPath(for: packages.sorted())
        let result = try await run(["-c", script] + arguments, pythonPath: pythonPath)
        guard result.status == 0 else {
            throw Failure(description: "python3 exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// Writes `text` to a new temporary file and returns its URL (removed by the caller's `defer`).
    public static func temporaryFile(_ text: String, suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-\(UUID().uuidString)\(suffix)")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The PYTHONPATH under which each set of packages imports, found or installed once.
    actor Installations {
        static let shared = Installations()
        private var paths: [[String]: Result<String?, Failure>] = [:]

        func pythonPath(for packages: [String]) async throws -> String? {
            if let known = paths[packages] { return try known.get() }
            let found = await install(packages)
            paths[packages] = found
            return try found.get()
        }

        private func install(_ packages: [String]) async -> Result<String?, Failure> {
            guard !packages.isEmpty else { return .success(nil) }
            let probe = "import " + packages.joined(separator: ", ")
            do {
                if try await run(["-c", probe], pythonPath: nil).status == 0 { return .success(nil) }
                let target = FileManager.default.temporaryDirectory
                    .appendingPathComponent("ipcase-tests-python-" + packages.joined(separator: "-")).path
                if try await run(["-c", probe], pythonPath: target).status == 0 { return .success(target) }
                let install = try await run(
                    ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", target] + packages,
                    pythonPath: nil)
                guard try await run(["-c", probe], pythonPath: target).status == 0 else {
                    return .failure(
                        Failure(description: "pip could not install \(packages.joined(separator: " ")): \(install.stderr)"))
                }
                return .success(target)
            } catch {
                return .failure(Failure(description: "python3 cannot run: \(error)"))
            }
        }
    }

    /// Runs python3 with `arguments`.
    static func run(_ arguments: [String], pythonPath: String?) async throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        if let pythonPath { environment["PYTHONPATH"] = pythonPath }
        environment["PYTHONIOENCODING"] = "utf-8"
        return try await ProcessOutput.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments, environment: environment)
    }
}

/// What a finished process printed, and its exit status.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Runs `executable` with `arguments` and `environment`, standard input empty, output through
    /// files (no pipe to fill up). The wait is asynchronous: a blocking wait would hold one of the
    /// few threads of the test process's cooperative pool and stall the other suites.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]) async throws
        -> ProcessOutput
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        try Data().write(to: out)
        try Data().write(to: err)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outHandle.close()
        try errHandle.close()
        return ProcessOutput(
            status: status, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

extension Python {
    /// Starts the script `file` with `arguments` once `packages` are importable (as
    /// ``script(_:arguments:packages:)`` finds or installs them), to talk to it a line at a time
    /// (``Session/request(_:timeout:)``); ``Session/close(grace:)`` ends it.
    /// - Throws: ``Failure`` when python3 cannot run or a package cannot be installed.
    public static func session(
        file: URL, arguments: [String] = [], packages: [String] = [], environment extra: [String: String] = [:]
    ) async throws -> Session {
        let pythonPath = try await Installations.shared.pythonPath(for: packages.sorted())
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        if let pythonPath { environment["PYTHONPATH"] = pythonPath }
        environment["PYTHONIOENCODING"] = "utf-8"
        environment["PYTHONUNBUFFERED"] = "1"
        return try Session(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", file.path] + arguments, environment: environment)
    }

    /// A script running beside the test: each request is a line on its standard input, its
    /// answer the next line on its standard output. Its standard error goes to a file, shown
    /// when it fails. Lines are read on a thread of their own, never on the cooperative pool.
    public actor Session {
        private let process: Process
        private let input: FileHandle
        private let lines = Lines()
        private let exit = Exit()
        private let directory: URL
        private let errors: URL
        private var closed = false

        init(_ executable: URL, _ arguments: [String], environment: [String: String]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-session-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            errors = directory.appendingPathComponent("stderr")
            try Data().write(to: errors)
            let output = Pipe(), inputPipe = Pipe()
            process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            process.standardInput = inputPipe
            process.standardOutput = output
            process.standardError = try FileHandle(forWritingTo: errors)
            let exit = self.exit
            process.terminationHandler = { exit.set($0.terminationStatus) }
            try process.run()
            input = inputPipe.fileHandleForWriting
            let reading = output.fileHandleForReading, lines = self.lines
            let reader = Thread {
                var pending = Data()
                while true {
                    let chunk = reading.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        lines.deliver(String(decoding: pending[..<newline], as: UTF8.self))
                        pending = Data(pending[(newline + 1)...])
                    }
                }
                lines.end()
            }
            reader.start()
        }

        /// The next line the script writes (the first: what it says once started).
        public func next(timeout: Duration = .seconds(120)) async throws -> String {
            let pid = process.processIdentifier
            let watchdog = Task {
                do { try await Task.sleep(for: timeout) } catch { return false }
                kill(pid, SIGTERM)
                return true
            }
            let line = await lines.next()
            watchdog.cancel()
            let stopped = await watchdog.value
            guard let line else {
                let status = await exit.wait()
                let why = stopped ? " (no answer within \(timeout): stopped)" : ""
                throw Failure(description: "python3 exited \(status)\(why): \(standardError)")
            }
            return line
        }

        /// Sends `line` and returns the script's answer.
        public func request(_ line: String, timeout: Duration = .seconds(120)) async throws -> String {
            try input.write(contentsOf: Data((line + "\n").utf8))
            return try await next(timeout: timeout)
        }

        /// What the script wrote to standard error so far.
        public var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

        /// Closes the script's standard input (it should exit then) and waits for it to end,
        /// stopping it after `grace`; returns its exit status.
        @discardableResult
        public func close(grace: Duration = .seconds(30)) async -> Int32 {
            if !closed {
                closed = true
                try? input.close()
            }
            let pid = process.processIdentifier
            let watchdog = Task {
                try await Task.sleep(for: grace)
                kill(pid, SIGTERM)
                try await Task.sleep(for: .seconds(5))
                kill(pid, SIGKILL)
            }
            let status = await exit.wait()
            watchdog.cancel()
            try? FileManager.default.removeItem(at: directory)
            return status
        }
    }

    /// The lines read so far and the one waiting for the next.
    final class Lines: Sendable {
        private struct State {
            var lines: [String] = []
            var ended = false
            var waiting: CheckedContinuation<String?, Never>?
        }
        private let state = Mutex(State())

        func deliver(_ line: String) {
            let waiting = state.withLock { state -> CheckedContinuation<String?, Never>? in
                if let waiting = state.waiting {
                    state.waiting = nil
                    return waiting
                }
                state.lines.append(line)
                return nil
            }
            waiting?.resume(returning: line)
        }

        func end() {
            let waiting = state.withLock { state -> CheckedContinuation<String?, Never>? in
                state.ended = true
                defer { state.waiting = nil }
                return state.waiting
            }
            waiting?.resume(returning: nil)
        }

        func next() async -> String? {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> String?? in
                    if !state.lines.isEmpty { return .some(state.lines.removeFirst()) }
                    if state.ended { return .some(nil) }
                    state.waiting = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        }
    }

    /// A process's exit status, once it has one.
    final class Exit: Sendable {
        private let state = Mutex<(status: Int32?, waiting: [CheckedContinuation<Int32, Never>])>((nil, []))

        func set(_ status: Int32) {
            let waiting = state.withLock { state in
                state.status = status
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume(returning: status) }
        }

        func wait() async -> Int32 {
            await withCheckedContinuation { continuation in
                let status = state.withLock { state -> Int32? in
                    if let status = state.status { return status }
                    state.waiting.append(continuation)
                    return nil
                }
                if let status { continuation.resume(returning: status) }
            }
        }
    }
}
