import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseSamples
import IPCaseStore
import Logging
import PostgresClient

/// `ipcase-bench import`: CSV import of rights and events with their deadlines, against `\copy`.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import N rights with events from CSV (deadlines included) next to psql \\copy of the resulting rows.",
        discussion: """
            The files come from IPCaseSamples' CSV writers: every generated right (all
            kinds and routes, PCT national phases included), one office, one attorney.
            The import runs through IPCaseCLI, as `ipcase import rights|events` does:
            every row validated, each right's events replayed through the right workflow
            in memory, then written set-based in one transaction with one deadline job
            per right. The jobs are then processed by the daemon's JobBatchProcessor on
            two connections, as ipcased's default two workers. The floor: the resulting
            right_families, rights, right_events and deadlines rows exported as CSV and
            loaded with `psql \\copy` into a fresh migrated database with the same
            office and parties. Goal: within 2x of it.

              .build/release/ipcase-bench import --rights 100000 --rounds 1
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Rights to import (about 11 events each).")
    var rights = 10_000

    @Option(help: "psql binary for the floor.")
    var psql = "/usr/lib/postgresql/15/bin/psql"

    static let asOf = try! CivilDate(iso: "2026-06-01")

    /// Processing logs at warning level and above only (one line per job otherwise).
    static var quiet: Logger {
        var logger = Logger(label: "ipcase-bench.import")
        logger.logLevel = .warning
        return logger
    }

    func run() async throws {
        let portfolio = SamplePortfolio.generate(seed: 7, asOf: Self.asOf)
        let names = SampleCSV.Names(portfolio)
        let office = portfolio.offices.first { $0.id == SamplePortfolio.universityOffice }!
        let desk = SamplePortfolio.demoDesks.first { $0.office == office.id }!
        // The generator's rights as they come: every kind and route, PCT applications with their
        // national phases (the national rights name their parent), one office and attorney.
        let samples = Array(SamplePortfolio.rights(count: rights, seed: 11, asOf: Self.asOf, desks: [desk]))
        try verify(samples.count == rights, "the generator gave \(samples.count) rights")
        let directory = NSTemporaryDirectory() + "ipcase-bench-import-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let partiesFile = directory + "/parties.csv"
        let rightsFile = directory + "/rights.csv"
        let eventsFile = directory + "/events.csv"
        try SampleCSV.parties(portfolio.parties.filter { $0.office == office.id }, names: names)
            .write(toFile: partiesFile, atomically: false, encoding: .utf8)
        try SampleCSV.rights(samples, names: names).write(toFile: rightsFile, atomically: false, encoding: .utf8)
        try SampleCSV.events(samples).write(toFile: eventsFile, atomically: false, encoding: .utf8)
        let expectedEvents = samples.reduce(0) { $0 + $1.history.count }
        // Steps that are a right event are stored as right_events rows; the rest only move the workflow.
        let expectedStored = samples.reduce(0) { $0 + $1.history.filter { $0.rightEvent != nil }.count }

        var report = Report(title: "Import")
        report.context.append("\(rights) rights, \(expectedEvents) events from CSV; deadlines: the queued jobs processed by JobBatchProcessor (no sweep)")
        var importTimes: [Double] = []
        var floorTimes: [Double] = []
        var parts: [String: [Double]] = [:]
        var rowCounts = (rights: 0, events: 0, deadlines: 0)
        var eventsWritten = 0
        _ = try await rounds(harness) { round in
            try await BenchDatabase.with(harness, migrated: true) { database in
                let store = Store(connection: database.connection)
                let officeID = try await Self.prepareOffice(office, store: store)
                _ = try await CSVImport.run(
                    .parties, path: partiesFile, options: .init(office: officeID, store: store, actor: "bench"),
                    progress: { _, _, _ in })
                var importedRights = 0
                var importedEvents = 0
                var processed: DeadlineProcessing.Result?
                let rightsTime = try await seconds {
                    importedRights = try await CSVImport.run(
                    .rights, path: rightsFile, options: .init(office: officeID, store: store, actor: "bench"),
                    progress: { _, _, _ in }
                    ).written
                }
                let eventsTime = try await seconds {
                    importedEvents = try await CSVImport.run(
                    .events, path: eventsFile, options: .init(office: officeID, store: store, actor: "bench"),
                    progress: { _, _, _ in }
                    ).written
                }
                // Counted before processing: the sweep after it records lapses of unpaid rights.
                let storedEvents = try await database.connection.query("SELECT count(*) FROM right_events")[0]
                    .decode(Int.self, at: 0)
                // As ipcased's default two workers: one connection each.
                let second = try await PostgresConnection.connect(url: database.url, applicationName: "ipcase-bench")
                let deadlinesTime = try await seconds {
                    processed = try await DeadlineProcessing.processQueuedJobs(
                        stores: [store, Store(connection: second)], logger: Self.quiet)
                }
                await second.close()
                let counts = try await database.connection.query(
                    """
                    SELECT (SELECT count(*) FROM rights), (SELECT count(*) FROM right_events),
                           (SELECT count(*) FROM deadlines),
                           (SELECT count(*) FROM (SELECT 1 FROM deadlines GROUP BY office_id, right_id, rule_id,
                                   trigger_key, year HAVING count(*) > 1) d),
                           (SELECT count(*) FROM jobs WHERE kind = 'recompute-deadlines' AND status <> 'done')
                    """)[0].decode(Int.self, Int.self, Int.self, Int.self, Int.self)
                try verify(importedRights == rights && counts.0 == rights, "imported \(counts.0) rights, expected \(rights)")
                try verify(
                    importedEvents == expectedEvents && storedEvents == expectedStored,
                    "\(storedEvents) right_events stored (expected \(expectedStored)), the import applied \(importedEvents) of \(expectedEvents) rows")
                eventsWritten = importedEvents
                try verify(
                    counts.2 > 0 && counts.2 <= processed?.written ?? 0,
                    "\(counts.2) deadlines stored, \(processed?.written ?? 0) written")
                try verify(counts.3 == 0, "\(counts.3) duplicate deadline keys")
                try verify(counts.4 == 0, "\(counts.4) deadline jobs not done")
                rowCounts = (counts.0, counts.1, counts.2)
                let total = rightsTime + eventsTime + deadlinesTime
                if round >= 0 {
                    importTimes.append(total)
                    parts["rights", default: []].append(rightsTime)
                    parts["events", default: []].append(eventsTime)
                    parts["deadlines", default: []].append(deadlinesTime)
                }

                // The floor: the same rows through psql \copy into a fresh database.
                let floor = try await floorTime(from: database, office: office, partiesFile: partiesFile, directory: directory)
                if round >= 0 { floorTimes.append(floor) }
            }
            return 0
        }
        report.figures.append(
            Figure(name: "import rights (CSV)", unit: "s", samples: parts["rights"] ?? [], goal: nil))
        report.figures.append(
            Figure(name: "import events (CSV, workflow replay)", unit: "s", samples: parts["events"] ?? [], goal: nil))
        report.figures.append(
            Figure(name: "deadlines (jobs → engine → upsert)", unit: "s", samples: parts["deadlines"] ?? [], goal: nil))
        report.figures.append(Figure(name: "import total", unit: "s", samples: importTimes, goal: nil))
        report.figures.append(
            Figure(name: "floor: psql \\copy of the rows", unit: "s", samples: floorTimes, goal: nil,
                   note: "right_families, rights, right_events, deadlines (\(rowCounts.rights) + \(rowCounts.events) + \(rowCounts.deadlines) rows) as CSV into a migrated database, triggers on"))
        report.figures.append(
            Figure(name: "import ÷ floor", unit: "×", samples: zip(importTimes, floorTimes).map { $0 / $1 }, goal: .atMost(2)))
        report.details.append("events: \(expectedEvents) file rows applied (\(eventsWritten)), \(expectedStored) of them stored as right_events")
        report.details.append(
            "verified: rights and events counts equal the files', deadlines = rows inserted by processing, no duplicate deadline keys, no pending jobs; the \\copy floor loads the same counts")
        try report.emit(harness)
    }

    /// Creates the office (same name as the files' `office` column) and returns its key.
    static func prepareOffice(_ office: Office, store: Store) async throws -> ID<Office> {
        var fresh = office
        fresh.id = 0
        let record = fresh
        return try await store.withService(actor: "bench") { try await $0.createOffice(record) }.id
    }

    /// Exports rights, right_events and deadlines of `source` and times `psql \copy` of them into a fresh database.
    func floorTime(from source: BenchDatabase, office: Office, partiesFile: String, directory: String) async throws -> Double {
        let tables = ["right_families", "rights", "right_events", "deadlines"]
        let sourceConnection = source.connection
        var expected: [String: Int] = [:]
        for table in tables {
            let path = directory + "/\(table).copy.csv"
            try runPsql(url: source.url, command: "\\copy \(table) TO '\(path)' CSV")
            expected[table] = try await sourceConnection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))[0]
                .decode(Int.self, at: 0)
        }
        let url = try await source.server.createDatabase(prefix: "ipcase_bench_floor")
        let target = try await PostgresConnection.connect(url: url, applicationName: "ipcase-bench")
        _ = try await Migrator.embedded().migrate(on: target)
        let store = Store(connection: target)
        let officeID = try await Self.prepareOffice(office, store: store)
        _ = try await CSVImport.run(
                    .parties, path: partiesFile, options: .init(office: officeID, store: store, actor: "bench"),
                    progress: { _, _, _ in })
        // Offices and parties get the same keys as in the source (same fresh sequences, same file).
        let elapsed = try await seconds {
            for table in tables {
                try runPsql(url: url, command: "\\copy \(table) FROM '\(directory)/\(table).copy.csv' CSV")
            }
        }
        for table in tables {
            let count = try await target.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))[0]
                .decode(Int.self, at: 0)
            try verify(count == expected[table], "\\copy loaded \(count) \(table), expected \(expected[table] ?? 0)")
        }
        await target.close()
        return elapsed
    }

    func runPsql(url: String, command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", command]
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try verify(process.terminationStatus == 0, "psql \(command): \(message)")
    }
}
