import ArgumentParser
import Foundation
import IPCase
import IPCaseStore
import PostgresClient

/// `ipcase-bench docket`: "open deadlines of one attorney in the next 30 days" at scale.
struct DocketBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docket",
        abstract: "Docket query latency over N deadlines (1 000 attorneys, 50 offices), with EXPLAIN and scaling runs.",
        discussion: """
            Generates the deadlines on the server (INSERT … SELECT generate_series, triggers off
            while loading) in the migrated schema, ANALYZEs, then runs the attorney's 30-day
            docket for random attorneys through PostgresClient (one parameterized statement,
            joined with the right). Every answer is checked against the count computed in Swift
            from the generator's formula. EXPLAIN must show an index scan on deadlines.

              .build/release/ipcase-bench docket                         # 1M deadlines
              .build/release/ipcase-bench docket --deadlines 10000000    # the issue's figure
              .build/release/ipcase-bench docket --scaling 100000        # 100k, 1M, 10M
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Deadlines to generate (20 per right).")
    var deadlines = 1_000_000

    @Option(help: "Run 1×, 10× and 100× this many deadlines instead of --deadlines.")
    var scaling: Int?

    @Option(help: "Queries per round (random attorneys).")
    var queries = 2_000

    @Option(help: "Path of the ipcase binary for the `ipcase deadlines list` wall time (default: next to this one).")
    var ipcase: String?

    static let offices = 50
    static let attorneys = 1_000
    static let perRight = 20
    /// The day the docket counts from (fixed, so answers are reproducible).
    static let asOf = try! CivilDate(iso: "2026-06-01")
    static let firstFiling = try! CivilDate(iso: "2006-01-01")

    func run() async throws {
        let sizes = scaling.map { [$0, $0 * 10, $0 * 100] } ?? [deadlines]
        var report = Report(title: "Docket query")
        report.context.append(
            "\(Self.attorneys) attorneys in \(Self.offices) offices, \(Self.perRight) deadlines per right, as of \(Self.asOf), \(queries) queries per round"
        )
        for size in sizes {
            try await BenchDatabase.with(harness, migrated: true) { database in
                try await measure(size: size, database: database, report: &report)
            }
        }
        try report.emit(harness)
    }

    /// The office of right `r` and its attorney (attorney `a` belongs to office `(a − 1) % 50 + 1`).
    static func owner(ofRight right: Int) -> (office: Int, attorney: Int) {
        let office = (right - 1) % offices + 1
        let slot = ((right - 1) / offices) % (attorneys / offices)
        return (office, office + offices * slot)
    }

    /// The filing date of right `r`: spread over 20 years.
    static func filing(ofRight right: Int) -> CivilDate {
        firstFiling.adding(days: (right &* 7919) % 7300)
    }

    static let generation = """
        SET session_replication_role = replica;
        INSERT INTO offices (office_id, name, region, kind)
            SELECT o, 'Office ' || o, 'almaty-city', 'university' FROM generate_series(1, 50) o;
        INSERT INTO parties (office_id, id, kind, name, sector, roles)
            SELECT (a - 1) % 50 + 1, a, 'person', 'Attorney ' || a, 'other', ARRAY['attorney']
            FROM generate_series(1, 1000) a;
        """

    /// One attorney's open deadlines due in 30 days, joined with the right: $1 office, $2 the
    /// attorney's party key, $3 the day the window opens.
    static let attorneyDocket = """
        SELECT d.id, d.due_date, d.attorney_id, d.status, r.reference
        FROM deadlines d JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
        WHERE d.office_id = $1 AND d.attorney_id = $2 AND d.status = 'open'
          AND d.due_date BETWEEN $3::date AND $3::date + 30
        ORDER BY d.due_date, d.id
        """

    /// What ``generate(size:on:)`` loaded.
    struct Generated {
        var rights: Int
        var total: Int
        var open: Int
        /// The deadlines table with its indexes, as pg_size_pretty prints it.
        var tableSize: String
        var loadSeconds: Double

        var summary: String {
            "\(total) deadlines (\(open) open), deadlines table with indexes \(tableSize), loaded in \(String(format: "%.1f", loadSeconds)) s"
        }
    }

    /// Generates `size` deadlines (rounded up to whole rights of ``perRight``) in ``offices``
    /// offices with ``attorneys`` attorneys on the server (INSERT … SELECT generate_series,
    /// triggers off while loading) in a migrated database, ANALYZEs, and checks the count.
    /// Right `r` belongs to ``owner(ofRight:)`` and was filed on ``filing(ofRight:)``; its
    /// deadlines are due on the 1st to 20th anniversaries, open from ``asOf`` on.
    static func generate(size: Int, on connection: PostgresConnection) async throws -> Generated {
        let rights = (size + perRight - 1) / perRight
        let total = rights * perRight
        progress("docket: generating \(total) deadlines (\(rights) rights)")
        let load = try await seconds {
            try await connection.executeScript(generation)
            try await connection.execute(
                """
                INSERT INTO rights (office_id, id, reference, jurisdiction, kind, state, filing_date,
                                    application_number, attorney_id)
                SELECT (r - 1) % 50 + 1, r, 'EP-' || r, 'EP', 'patent', 'filed',
                       DATE '2006-01-01' + ((r * 7919) % 7300)::integer, 'A' || r,
                       (r - 1) % 50 + 1 + 50 * (((r - 1) / 50) % 20)
                FROM generate_series(1::bigint, \(rights)::bigint) r
                """)
            try await connection.execute(
                """
                INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date,
                                       due_date, final_date, status, attorney_id, completed_at)
                SELECT office_id, id, 'EP.renewal', 'renewal', y, 'filed:' || filing_date, due, due,
                       (due + interval '6 months')::date,
                       CASE WHEN due < \(asOf) THEN 'done' ELSE 'open' END, attorney_id,
                       CASE WHEN due < \(asOf) THEN now() END
                FROM (SELECT r.office_id, r.id, r.filing_date, r.attorney_id, y,
                             (r.filing_date + make_interval(years => y))::date AS due
                      FROM rights r, generate_series(1, 20) y) s
                """)
            try await connection.executeScript("SET session_replication_role = origin")
            try await connection.executeScript("VACUUM ANALYZE deadlines, rights, parties")
        }
        let stored = try await connection.query("SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM deadlines")[0]
            .decode(Int.self, Int.self)
        try verify(stored.0 == total, "generated \(stored.0) deadlines, expected \(total)")
        let tableSize = try await connection.query(
            "SELECT pg_size_pretty(pg_total_relation_size('deadlines'))")[0].decode(String.self, at: 0)
        return Generated(rights: rights, total: total, open: stored.1, tableSize: tableSize, loadSeconds: load)
    }

    /// Each attorney's open deadlines due in the 30 days from ``asOf`` (due days, in generation
    /// order), from the generator's formula: independent of the database.
    static func expectedDockets(rights: Int) -> [Int: [Int]] {
        var expected: [Int: [Int]] = [:]
        let windowEnd = asOf.adding(days: 30)
        for right in 1...rights {
            let filed = filing(ofRight: right)
            for year in 1...perRight {
                let due = filed.adding(years: year).date
                if due >= asOf, due <= windowEnd {
                    expected[owner(ofRight: right).attorney, default: []].append(Int(due.daysSinceEpoch))
                }
            }
        }
        return expected
    }

    func measure(size: Int, database: BenchDatabase, report: inout Report) async throws {
        let connection = database.connection
        let data = try await Self.generate(size: size, on: connection)
        let (rights, total) = (data.rights, data.total)
        report.details.append(data.summary)
        let expected = Self.expectedDockets(rights: rights)

        let query = Self.attorneyDocket
        let statement = try await connection.prepare(name: "docket_\(size)", sql: query)
        var random = SplitMix64(seed: UInt64(size))
        var checked = 0
        var latencies: [Double] = []
        let samples = try await rounds(harness) { round in
            var times: [Double] = []
            times.reserveCapacity(queries)
            for _ in 0..<queries {
                let attorney = Int(random.next() % UInt64(Self.attorneys)) + 1
                let office = (attorney - 1) % Self.offices + 1
                var rows: [PostgresRow] = []
                times.append(
                    try await seconds {
                        rows = try await connection.query(statement, [office, attorney, Self.asOf.description])
                    } * 1000)
                var ids = Set<Int64>()
                var dues: [Int] = []
                for row in rows {
                    let (id, due, owner, status, _) = try row.decode(
                        Int64.self, String.self, Int.self, String.self, String.self)
                    try verify(owner == attorney && status == "open", "a row of another attorney or not open")
                    ids.insert(id)
                    dues.append(Int(try CivilDate(iso: due).daysSinceEpoch))
                }
                try verify(ids.count == rows.count, "duplicate deadlines in the docket of attorney \(attorney)")
                try verify(dues == dues.sorted(), "docket of attorney \(attorney) not in due-date order")
                try verify(
                    dues == (expected[attorney] ?? []).sorted(),
                    "attorney \(attorney): \(dues.count) deadlines, expected \(expected[attorney]?.count ?? 0)")
                checked += 1
            }
            if round >= 0 { latencies += times }
            return percentile(times, 99)
        }
        let label = Self.label(total)
        report.figures.append(
            Figure(name: "docket p50, \(label)", unit: "ms", samples: [percentile(latencies, 50)], goal: nil,
                   note: "over all measured queries (\(latencies.count)); prepared statement through PostgresClient"))
        report.figures.append(
            Figure(name: "docket p99, \(label)", unit: "ms", samples: samples, goal: .atMost(5),
                   note: "p99 per round of \(queries) random attorneys; each answer equal to the formula's"))

        // The store's docket, as `ipcase deadlines list --office O --attorney NAME --within 30d` runs it.
        let store = Store(connection: connection)
        let storeQueries = Swift.max(1, queries / 4)
        var storeLatencies: [Double] = []
        let storeSamples = try await rounds(harness) { round in
            var times: [Double] = []
            for _ in 0..<storeQueries {
                let attorney = Int(random.next() % UInt64(Self.attorneys)) + 1
                let office = (attorney - 1) % Self.offices + 1
                var query = DocketQuery(asOf: Self.asOf)
                query.office = ID(rawValue: Int64(office))
                query.attorney = "Attorney \(attorney)"
                query.statuses = ["open"]
                query.within = 30
                let scoped = query
                var rows: [DocketRow] = []
                times.append(
                    try await seconds {
                        rows = try await store.withOffice(ID(rawValue: Int64(office)), actor: "bench") {
                            try await $0.docket(scoped)
                        }
                    } * 1000)
                let dues = rows.map { Int($0.due.daysSinceEpoch) }
                try verify(Set(rows.map(\.id)).count == rows.count, "duplicate rows in the store's docket")
                try verify(
                    dues == Self.expectedByName(attorney: attorney, expected: expected),
                    "store docket of 'Attorney \(attorney)': \(rows.count) rows, expected \(Self.expectedByName(attorney: attorney, expected: expected).count)")
                checked += 1
            }
            if round >= 0 { storeLatencies += times }
            return percentile(times, 99)
        }
        report.figures.append(
            Figure(name: "store docket p50, \(Self.label(total))", unit: "ms", samples: [percentile(storeLatencies, 50)], goal: nil,
                   note: "Store.withOffice + OfficeSession.docket(DocketQuery) (one statement: the attorney name resolved to party keys by an initplan, attorney_id = ANY(keys) an index condition on deadlines_attorney_open_due; joins office, right, party; BEGIN/set_config/COMMIT)"))
        report.figures.append(
            Figure(name: "store docket p99, \(Self.label(total))", unit: "ms", samples: storeSamples, goal: .atMost(5)))
        // The store's plan: the attorney's name resolved to party keys, then the attorney index.
        var planned = DocketQuery(asOf: Self.asOf)
        planned.attorney = "Attorney 57"
        planned.statuses = ["open"]
        planned.within = 30
        let plannedQuery = planned
        let storePlan = try await store.withOffice(ID(rawValue: 7), actor: "bench") {
            try await $0.docketPlan(plannedQuery)
        }
        try verify(
            storePlan.contains { $0.contains("deadlines_attorney_open_due") }
                && !storePlan.contains { $0.contains("Seq Scan on deadlines") },
            "EXPLAIN of the store docket does not use deadlines_attorney_open_due:\n" + storePlan.joined(separator: "\n"))
        report.details.append(
            "EXPLAIN store docket (\(Self.label(total)), 'Attorney 57' → party keys): "
                + storePlan.filter { $0.contains("deadlines") || $0.contains("Index Cond") }
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | "))

        // `ipcase deadlines list`, the real binary, wall time.
        let binary = ipcase ?? siblingExecutable("ipcase")
        if FileManager.default.isExecutableFile(atPath: binary) {
            let listSamples = try await rounds(harness) { _ in
                let attorney = Int(random.next() % UInt64(Self.attorneys)) + 1
                let office = (attorney - 1) % Self.offices + 1
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = [
                    "deadlines", "list", "--database-url", database.url, "--office", String(office), "--attorney",
                    "Attorney \(attorney)", "--within", "30d", "--as-of", Self.asOf.description, "--format", "csv",
                ]
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                var text = ""
                let elapsed = try await seconds {
                    try process.run()
                    text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                }
                try verify(
                    process.terminationStatus == 0,
                    "ipcase deadlines list exited \(process.terminationStatus): "
                        + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
                let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
                let wanted = Self.expectedByName(attorney: attorney, expected: expected).count
                try verify(lines == wanted + 1, "ipcase deadlines list printed \(lines - 1) rows, expected \(wanted)")
                return elapsed * 1000
            }
            report.figures.append(
                Figure(name: "ipcase deadlines list, \(Self.label(total))", unit: "ms", samples: listSamples, goal: .atMost(100),
                       note: "process start to exit: --office --attorney --within 30d --format csv; row count verified"))
        } else {
            report.details.append("ipcase deadlines list: no binary at \(binary) (swift build -c release --product ipcase)")
        }

        // The plan must use an index on deadlines.
        let plan = try await connection.query(
            PostgresQuery(
                unsafeSQL: "EXPLAIN " + query.replacingOccurrences(of: "$1", with: "7")
                    .replacingOccurrences(of: "$2", with: "57")
                    .replacingOccurrences(of: "$3", with: "'\(Self.asOf)'"))
        ).map { try $0.decode(String.self, at: 0) }
        let indexLines = plan.filter {
            $0.contains("Index Scan using deadlines_") || $0.contains("Index Only Scan using deadlines_")
                || $0.contains("Bitmap Index Scan on deadlines_")
        }
        try verify(
            !indexLines.isEmpty && !plan.contains { $0.contains("Seq Scan on deadlines") },
            "EXPLAIN shows no index scan on deadlines:\n" + plan.joined(separator: "\n"))
        let deadlineLines = plan.filter { $0.contains("deadlines") || $0.contains("Filter") || $0.contains("Index Cond") }
        report.details.append(
            "EXPLAIN (\(label)): " + deadlineLines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | "))
        report.details.append("verified \(checked) docket answers against the generator's formula (\(label))")
    }

    /// The due days the store's docket must return for "Attorney N" (a case-insensitive substring
    /// of other names of the same office too, e.g. "Attorney 7" of "Attorney 757"), in due order.
    static func expectedByName(attorney: Int, expected: [Int: [Int]]) -> [Int] {
        let office = (attorney - 1) % offices + 1
        let text = "attorney \(attorney)"
        var days: [Int] = []
        for slot in 0..<(attorneys / offices) {
            let candidate = office + offices * slot
            if "attorney \(candidate)".contains(text) { days += expected[candidate] ?? [] }
        }
        return days.sorted()
    }

    static func label(_ count: Int) -> String {
        count >= 1_000_000 ? "\(count / 1_000_000)M" : "\(count / 1_000)k"
    }
}
