import Foundation

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
