import Foundation
import IPCase
import Testing

/// Runs python3 scripts for checks by independent parsers (the `icalendar` package, the `csv`
/// module). When `icalendar` is not importable it is installed once per machine with
/// `python3 -m pip install --quiet --target <tmp>/ipcase-tests-python icalendar` and put on PYTHONPATH.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The PYTHONPATH to use (nil: icalendar is importable as installed), or why python cannot be used.
    static let setup: Result<String?, Failure> = {
        if (try? run(["-c", "import icalendar"], pythonPath: nil))?.status == 0 { return .success(nil) }
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-tests-python").path
        if (try? run(["-c", "import icalendar"], pythonPath: target))?.status == 0 { return .success(target) }
        do {
            let install = try run(
                ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", target, "icalendar"],
                pythonPath: nil)
            guard (try run(["-c", "import icalendar"], pythonPath: target)).status == 0 else {
                return .failure(Failure(description: "pip could not install icalendar: \(install.stderr)"))
            }
            return .success(target)
        } catch {
            return .failure(Failure(description: "python3 cannot run: \(error)"))
        }
    }()

    /// Runs `script` with `arguments`, returns its standard output; throws on a non-zero exit.
    static func script(_ script: String, arguments: [String] = []) throws -> String {
        let pythonPath = try setup.get()
        let result = try run(["-c", script] + arguments, pythonPath: pythonPath)
        guard result.status == 0 else {
            throw Failure(description: "python3 exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    private static func run(_ arguments: [String], pythonPath: String?) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let pythonPath { environment["PYTHONPATH"] = pythonPath }
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-py-\(UUID().uuidString)")
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
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return (
            process.terminationStatus, try String(contentsOf: out, encoding: .utf8),
            try String(contentsOf: err, encoding: .utf8)
        )
    }

    /// Writes `text` to a new temporary file and returns its path (removed by the caller's `defer`).
    static func temporaryFile(_ text: String, suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-\(UUID().uuidString)\(suffix)")
        try Data(text.utf8).write(to: url)
        return url
    }
}

/// A date from `YYYY-MM-DD` (test data is written correctly; a typo fails the test loudly).
func day(_ text: String) -> CivilDate {
    do { return try CivilDate(iso: text) } catch { fatalError("bad test date \(text)") }
}

/// Decodes JSON text into Foundation objects.
func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
