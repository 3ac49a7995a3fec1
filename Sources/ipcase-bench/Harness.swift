import ArgumentParser
import Foundation
import IPCaseStore
import Logging
import PostgresClient
import PostgresServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A figure to reach: at least (throughput) or at most (latency, memory, time).
enum Goal: Sendable {
    case atLeast(Double)
    case atMost(Double)

    /// How far `value` is from the goal: ≥ 1 means reached (value ÷ goal, or goal ÷ value).
    func ratio(_ value: Double) -> Double {
        switch self {
        case .atLeast(let goal): value / goal
        case .atMost(let goal): value == 0 ? .infinity : goal / value
        }
    }

    var text: String {
        switch self {
        case .atLeast(let goal): "≥ \(Figure.short(goal))"
        case .atMost(let goal): "≤ \(Figure.short(goal))"
        }
    }
}

/// One measured quantity over several rounds.
struct Figure: Sendable {
    var name: String
    var unit: String
    var samples: [Double]
    var goal: Goal?
    /// What the figure means or how it was taken (shown under the table).
    var note: String = ""

    var sorted: [Double] { samples.sorted() }
    var median: Double {
        let values = sorted
        guard !values.isEmpty else { return .nan }
        return values.count % 2 == 1
            ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
    }
    var min: Double { samples.min() ?? .nan }
    var max: Double { samples.max() ?? .nan }
    var ratio: Double? { goal.map { $0.ratio(median) } }
    var met: Bool { (ratio ?? 1) >= 1 }

    /// A number for a table: 3 significant digits with k/M suffixes for large values.
    static func short(_ value: Double) -> String {
        if value.isNaN { return "–" }
        if value.isInfinite { return "∞" }
        let magnitude = Swift.abs(value)
        if magnitude >= 1e6 { return String(format: "%.2f M", value / 1e6) }
        if magnitude >= 1e4 { return String(format: "%.1f k", value / 1e3) }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }
}

/// The percentile `p` (0…100) of `values` by the nearest-rank method.
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
}

/// A benchmark's failure to verify its own result: the figures are not trustworthy.
struct VerificationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "verification failed: " + description }
}

/// Throws a ``VerificationFailure`` unless `condition` holds.
func verify(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw VerificationFailure(message()) }
}

/// Options every database benchmark shares.
struct HarnessOptions: ParsableArguments {
    @Option(help: "Measured rounds per benchmark (after the warm-up).")
    var rounds = 5

    @Option(help: "Warm-up rounds, not measured.")
    var warmup = 1

    @Option(
        name: .customLong("database-url"),
        help: "A PostgreSQL server whose user may CREATE DATABASE (default: a throwaway local cluster).")
    var databaseURL: String?

    @Flag(help: "Print the results as JSON (one object) instead of a table.")
    var json = false

    @Flag(help: "Exit non-zero when a goal is missed (verification failures always do).")
    var strict = false
}

/// Wall-clock seconds of `body`.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Warm-up, then `rounds` measured runs of `body`, which returns one sample each.
func rounds(
    _ options: HarnessOptions, _ body: (_ round: Int) async throws -> Double
) async rethrows -> [Double] {
    for round in 0..<options.warmup { _ = try await body(-1 - round) }
    var samples: [Double] = []
    for round in 0..<Swift.max(1, options.rounds) { samples.append(try await body(round)) }
    return samples
}

/// A throwaway or external PostgreSQL server with a fresh database for one benchmark run.
struct BenchDatabase {
    let server: ThrowawayPostgres
    let url: String
    let connection: PostgresConnection

    /// Starts a local cluster (or uses `url`), creates a fresh database and, if asked, migrates it.
    static func open(_ options: HarnessOptions, migrated: Bool) async throws -> BenchDatabase {
        var logger = Logger(label: "ipcase-bench")
        logger.logLevel = .warning
        let server: ThrowawayPostgres
        if let url = options.databaseURL {
            server = ThrowawayPostgres.external(url: url, logger: logger)
        } else {
            server = try await ThrowawayPostgres.startLocal(logger: logger)
        }
        let url = try await server.createDatabase(prefix: "ipcase_bench")
        let connection = try await PostgresConnection.connect(url: url, applicationName: "ipcase-bench", logger: logger)
        if migrated {
            _ = try await Migrator.embedded(logger: logger).migrate(on: connection)
        }
        return BenchDatabase(server: server, url: url, connection: connection)
    }

    /// Runs `body` with a fresh database, then closes it (also when `body` throws).
    static func with<T>(
        _ options: HarnessOptions, migrated: Bool, _ body: (BenchDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(options, migrated: migrated)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// Closes the connection and removes a throwaway cluster.
    /// Switches the bench's own server to PostgreSQL's durable defaults (its throwaway cluster
    /// starts with fsync, synchronous_commit and full_page_writes off, for the tests), so figures
    /// are measured as a deployment runs.
    func useDurableSettings() async throws {
        for setting in ["fsync", "synchronous_commit", "full_page_writes"] {
            try await connection.executeScript("ALTER SYSTEM SET \(setting) = on")
        }
        _ = try await connection.execute("SELECT pg_reload_conf()")
        // The reload reaches this backend at its next command; wait until it did.
        for _ in 0..<50 where try await durabilitySettings().contains("=off") {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// "fsync=on synchronous_commit=on full_page_writes=on", to print beside the figures.
    func durabilitySettings() async throws -> String {
        let row = try await connection.query(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')"
        )[0].decode(String.self, String.self, String.self)
        return "fsync=\(row.0) synchronous_commit=\(row.1) full_page_writes=\(row.2)"
    }

    func close() async {
        await connection.close()
        await server.destroy()
    }
}

/// The results of one `ipcase-bench` run: printed as a table or JSON.
struct Report {
    var title: String
    var context: [String] = []
    var figures: [Figure] = []
    var details: [String] = []

    /// Prints the report; throws `ExitCode(1)` under `--strict` when a goal was missed.
    func emit(_ options: HarnessOptions) throws {
        if options.json {
            print(jsonText())
        } else {
            print(table())
        }
        if options.strict, figures.contains(where: { !$0.met }) { throw ExitCode(1) }
    }

    func table() -> String {
        var lines = ["## \(title)"]
        lines += context.map { "  " + $0 }
        let header = ["benchmark", "median", "min", "max", "unit", "goal", "ratio", ""]
        var rows: [[String]] = [header]
        for figure in figures {
            rows.append([
                figure.name, Figure.short(figure.median), Figure.short(figure.min), Figure.short(figure.max),
                figure.unit, figure.goal?.text ?? "", figure.ratio.map { String(format: "%.2f×", $0) } ?? "",
                figure.goal == nil ? "" : (figure.met ? "ok" : "MISSED"),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let cells = row.indices.map { column -> String in
                let cell = row[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || column >= 4 ? cell + pad : pad + cell
            }
            lines.append("  " + cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            if index == 0 {
                lines.append("  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            }
        }
        for figure in figures where !figure.note.isEmpty {
            lines.append("  - \(figure.name): \(figure.note)")
        }
        lines += details.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    func jsonText() -> String {
        func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        let object: [String: Any] = [
            "benchmark": title,
            "context": context,
            "details": details,
            "figures": figures.map { figure -> [String: Any] in
                var entry: [String: Any] = [
                    "name": figure.name, "unit": figure.unit, "median": number(figure.median),
                    "min": number(figure.min), "max": number(figure.max), "samples": figure.samples.map(number),
                    "note": figure.note,
                ]
                if let goal = figure.goal {
                    switch goal {
                    case .atLeast(let value): entry["goal"] = ["atLeast": value]
                    case .atMost(let value): entry["goal"] = ["atMost": value]
                    }
                    entry["ratio"] = number(goal.ratio(figure.median))
                    entry["met"] = figure.met
                }
                return entry
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Prints progress to standard error (kept out of `--json` output).
func progress(_ line: String) {
    FileHandle.standardError.write(Data(("ipcase-bench: " + line + "\n").utf8))
}
