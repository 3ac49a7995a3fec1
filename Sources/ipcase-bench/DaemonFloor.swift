import ArgumentParser
import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import PostgresServer

/// The floor of `ipcase-bench daemon`: the exact SQL statements the daemon sends for one batch,
/// replayed by `pgbench` so that each transaction works on the next batch's rows.
///
/// 1. A capture database is seeded like the benchmark's, with rights numbered from 1 000 001 and
///    jobs from 2 000 001 so that their keys are recognizable among the parameters. One batch is
///    claimed and processed by the daemon's own code (`claimJobs`, `JobBatchProcessor`) with a
///    ``PostgresStatementRecorder`` bound: every statement with its parameters.
/// 2. The statements become a pgbench script: parameters inlined as typed literals, each right
///    key replaced by `:vrK` and each job key by `:vjK`, which the script sets from the batch the
///    claim returned (`\aset`): batch `b` holds jobs `b·B+1 … b·B+B` and rights `b·B+1 …` (one job,
///    five events, per right).
/// 3. A floor database is seeded exactly like the benchmark's; pgbench runs the script until every
///    batch is done (`-t`), then the result is verified like the daemon's: every job done, the
///    batch's deadline count per batch, no duplicates.
///
/// The replay sends the statements one by one where the daemon pipelines some of them: the floor
/// pays a few more round trips on the loopback than the daemon (pessimistic for the floor).
struct DaemonFloor {
    var events: Int
    var batchSize: Int
    var clients: Int
    var logger: Logger

    static let rightBase: Int64 = 1_000_000
    static let jobBase: Int64 = 2_000_000

    struct Result {
        var events: Int
        var seconds: Double
        var perSecond: Double
        var verification: String
    }

    func measure(server: ThrowawayPostgres) async throws -> (replay: Result, bare: Result) {
        let (script, deadlinesPerBatch) = try await capture(server: server)
        let replay = try await replay(script, deadlinesPerBatch: deadlinesPerBatch, server: server)
        let bare = try await bare(deadlinesPerBatch: deadlinesPerBatch, server: server)
        return (replay, bare)
    }

    /// The bare-schema floor: the same work per batch — claim the batch's jobs (`FOR UPDATE SKIP
    /// LOCKED`) and commit, then write as many deadline rows (an upsert by key) and complete the
    /// jobs, and commit — on minimal tables (a job: key, right, status; a deadline: right, rule,
    /// date), without row security, audit, foreign keys or the docket's indexes: what the
    /// hardware and PostgreSQL give at all, by pgbench with the same clients.
    func bare(deadlinesPerBatch: Int, server: ThrowawayPostgres) async throws -> Result {
        let url = try await server.createDatabase(prefix: "benchbare")
        let admin = try await PostgresConnection.connect(url: url)
        let perRight = max(1, deadlinesPerBatch / batchSize)
        try await admin.executeScript(
            """
            CREATE TABLE bare_jobs (id bigint PRIMARY KEY, right_id bigint NOT NULL, status text NOT NULL);
            CREATE INDEX bare_jobs_queued ON bare_jobs (id) WHERE status = 'queued';
            CREATE TABLE bare_deadlines (right_id bigint, rule smallint, due date NOT NULL, PRIMARY KEY (right_id, rule));
            INSERT INTO bare_jobs SELECT g, g, 'queued' FROM generate_series(1, \(events / 5)) g;
            """)
        _ = try await admin.execute("VACUUM ANALYZE bare_jobs")
        let script = """
            BEGIN;
            SELECT pg_advisory_xact_lock(4242);
            WITH c AS (UPDATE bare_jobs SET status = 'running'
                       WHERE id IN (SELECT id FROM bare_jobs WHERE status = 'queued' ORDER BY id LIMIT \(batchSize)
                                    FOR UPDATE SKIP LOCKED) RETURNING id) SELECT min(id) AS lo, max(id) AS hi FROM c
            \\gset
            COMMIT;
            BEGIN;
            SELECT right_id FROM bare_jobs WHERE id BETWEEN :lo AND :hi ORDER BY id FOR UPDATE;
            INSERT INTO bare_deadlines SELECT r, k, date '2020-01-01' + (r % 1000)::int + k
            FROM generate_series(:lo, :hi) r, generate_series(1, \(perRight)) k
            ON CONFLICT (right_id, rule) DO UPDATE SET due = excluded.due;
            UPDATE bare_jobs SET status = 'done' WHERE id BETWEEN :lo AND :hi AND status = 'running';
            COMMIT;

            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-bare-\(getpid()).sql").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let perClient = events / 5 / batchSize / clients
        guard perClient > 0 else { throw ValidationError("bare floor: fewer batches than pgbench clients") }
        let output = try await pgbench([
            "-n", "-M", "simple", "-f", path, "-c", String(clients), "-j", String(clients), "-t", String(perClient), url,
        ])
        guard let tps = Self.tps(output) else { throw ValidationError("bare floor: no tps in pgbench's output:\n\(output)") }
        let processed = perClient * clients * batchSize
        let (done, stored) = try await admin.query(
            "SELECT (SELECT count(*) FROM bare_jobs WHERE status = 'done'), (SELECT count(*) FROM bare_deadlines)"
        )[0].decode(Int.self, Int.self)
        await admin.close()
        guard done == processed, stored == processed * perRight else {
            throw ValidationError(
                "bare floor verification failed: \(done) jobs done (\(processed) expected), \(stored) deadlines "
                    + "(\(processed * perRight) expected)")
        }
        let perSecond = tps * Double(batchSize * 5)
        return Result(
            events: processed * 5, seconds: Double(processed * 5) / perSecond, perSecond: perSecond,
            verification: "\(done) jobs done, \(stored) deadlines (\(perRight) per right)")
    }

    /// The replay floor: the daemon's own statements of one batch, by pgbench.
    func replay(_ script: String, deadlinesPerBatch: Int, server: ThrowawayPostgres) async throws -> Result {
        let url = try await server.createDatabase(prefix: "benchfloor")
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        let office = try await Store(connection: admin).withService(actor: "bench") { session in
            try await session.createOffice(Office(id: 0, name: "Bench TTO", region: .astana, kind: .university))
        }.id
        guard office.rawValue == 1 else { throw ValidationError("floor: the office is not #1 as in the capture") }
        try await DaemonBench.seed(rights: events / 5, office: office, on: admin)
        let batches = events / 5 / batchSize
        let perClient = batches / clients
        guard perClient > 0 else { throw ValidationError("floor: fewer batches than pgbench clients") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-floor-\(getpid()).sql").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try await pgbench([
            "-n", "-M", "simple", "-f", path, "-c", String(clients), "-j", String(clients), "-t", String(perClient),
            url,
        ])
        guard let tps = Self.tps(output) else { throw ValidationError("floor: no tps in pgbench's output:\n\(output)") }
        let processed = perClient * clients * batchSize
        let (done, running) = try await admin.query(
            "SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'running') FROM jobs"
        )[0].decode(Int.self, Int.self)
        let (stored, distinct) = try await admin.query(
            "SELECT count(*), count(DISTINCT (right_id, rule_id, trigger_key, year)) FROM deadlines"
        )[0].decode(Int.self, Int.self)
        let expected = perClient * clients * deadlinesPerBatch
        guard done == processed, running == 0, stored == expected, distinct == stored else {
            throw ValidationError(
                "floor verification failed: \(done) jobs done (\(processed) expected), \(running) running, "
                    + "\(stored) deadlines (\(distinct) distinct, \(expected) expected)")
        }
        let perSecond = tps * Double(batchSize * 5)
        return Result(
            events: processed * 5, seconds: Double(processed * 5) / perSecond, perSecond: perSecond,
            verification: "\(done) jobs done, \(stored) deadlines, no duplicates")
    }

    /// Records the statements of one batch and turns them into a pgbench script.
    func capture(server: ThrowawayPostgres) async throws -> (script: String, deadlinesPerBatch: Int) {
        let url = try await server.createDatabase(prefix: "benchcapture")
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        let office = try await Store(connection: admin).withService(actor: "bench") { session in
            try await session.createOffice(Office(id: 0, name: "Bench TTO", region: .astana, kind: .university))
        }.id
        _ = try await admin.execute("ALTER TABLE rights ALTER COLUMN id RESTART WITH 1000001")
        _ = try await admin.execute("ALTER TABLE jobs ALTER COLUMN id RESTART WITH 2000001")
        try await DaemonBench.seed(rights: batchSize, office: office, on: admin)
        let connection = try await PostgresConnection.connect(url: url)
        let recorder = PostgresStatementRecorder()
        let processor = JobBatchProcessor(
            retry: RetryPolicy(maxAttempts: 5, initialDelay: .seconds(1), maxDelay: .seconds(30)), worker: "floor",
            logger: logger)
        var claimStatements = 0
        let outcome = try await PostgresStatementRecorder.$current.withValue(recorder) {
            let jobs = try await Store(connection: connection, logger: logger).withService(actor: "ipcased") {
                try await $0.claimJobs(limit: batchSize, lease: .seconds(30), worker: "floor")
            }
            claimStatements = recorder.statements.count
            guard jobs.count == batchSize else { throw ValidationError("capture: claimed \(jobs.count) jobs") }
            return try await processor.process(jobs, on: connection)
        }
        guard outcome.completed == batchSize, outcome.failed == 0, outcome.dead == 0 else {
            throw ValidationError("capture: the batch did not complete: \(outcome)")
        }
        let statements = recorder.statements
        var script = "-- ipcase-bench daemon floor: one batch of \(batchSize) jobs as ipcased sends it\n"
        for (index, statement) in statements.enumerated() {
            script += try render(statement) + (index == claimStatements - 2 ? "\n\\aset\n" : ";\n")
            if index == 0 {
                // Claims one after the other: two clients' SKIP LOCKED scans racing could split a
                // batch between them, and the script completes the batch by its key range (the
                // daemon completes the ids it claimed). One lock per batch; the floor pays it.
                script += "SELECT pg_advisory_xact_lock(4242);\n"
            }
            if index == claimStatements - 1 {
                // The batch the claim returned: its jobs' and rights' keys.
                script += "\\set b (:id - 1) / \(batchSize)\n"
                for k in 1...batchSize { script += "\\set vj\(k) :b * \(batchSize) + \(k)\n" }
                for k in 1...batchSize { script += "\\set vr\(k) :b * \(batchSize) + \(k)\n" }
            }
        }
        return (script, outcome.deadlinesWritten)
    }

    /// A statement with its parameters inlined as typed literals and the batch's keys as variables.
    func render(_ query: PostgresQuery) throws -> String {
        var sql = query.sql
        let values = query.bindings.values
        let types = query.bindings.types
        for index in values.indices.reversed() {
            let literal: String
            if let value = values[index] {
                var text = value
                if types[index] == .int8 || types[index] == .int8Array { text = keysAsVariables(text) }
                literal = "'" + text.replacingOccurrences(of: "'", with: "''") + "'" + Self.cast(types[index])
            } else {
                literal = "NULL"
            }
            sql = sql.replacingOccurrences(of: "$\(index + 1)", with: literal)
        }
        if sql.contains("\\") { throw ValidationError("capture: a statement contains a backslash") }
        return sql.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// `1000007` → `:vr7`, `2000042` → `:vj42` (pgbench substitutes them per transaction).
    func keysAsVariables(_ text: String) -> String {
        var result = ""
        var digits = ""
        func flush() {
            if let value = Int64(digits), value > Self.rightBase, value < Self.rightBase + 1_000_000 {
                result += ":vr\(value - Self.rightBase)"
            } else if let value = Int64(digits), value > Self.jobBase, value < Self.jobBase + 1_000_000 {
                result += ":vj\(value - Self.jobBase)"
            } else {
                result += digits
            }
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    static func cast(_ type: PostgresType) -> String {
        switch type {
        case .int8: "::bigint"
        case .int4: "::integer"
        case .int2: "::smallint"
        case .text: "::text"
        case .bool: "::boolean"
        case .float8: "::float8"
        case .date: "::date"
        case .numeric: "::numeric"
        case .jsonb: "::jsonb"
        case .json: "::json"
        case .int8Array: "::bigint[]"
        case .textArray: "::text[]"
        case .dateArray: "::date[]"
        case .boolArray: "::boolean[]"
        case .float8Array: "::float8[]"
        default: ""
        }
    }

    static func tps(_ output: String) -> Double? {
        for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
            return Double(line.dropFirst(6).prefix { $0 == "." || $0.isNumber })
        }
        return nil
    }

    /// Runs pgbench (from the PostgreSQL installation the throwaway servers use) and returns its output.
    func pgbench(_ arguments: [String]) async throws -> String {
        let binaries = try await ThrowawayPostgres.binaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaries + "/pgbench")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let finished = AsyncStream<Int32> { continuation in
            process.terminationHandler = { process in
                continuation.yield(process.terminationStatus)
                continuation.finish()
            }
        }
        try process.run()
        let output = try await Task.detached { try pipe.fileHandleForReading.readToEnd() ?? Data() }.value
        var status: Int32 = -1
        for await code in finished { status = code }
        let text = String(decoding: output, as: UTF8.self)
        guard status == 0 else { throw ValidationError("pgbench failed (exit \(status)):\n\(text)") }
        return text
    }
}
