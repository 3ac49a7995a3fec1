import ArgumentParser
import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient

/// `ipcase-bench sweep`: a backlog of deadlines past their final date in one office, swept in
/// bounded steps while small offices wait for their reminders.
struct SweepBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep a backlog of N deadlines past their final date; longest transaction and time to other offices' reminders.",
        discussion: """
            One office holds --deadlines office-action deadlines whose final date passed (a
            backlog after downtime); --small-offices offices each have --reminders deadlines due
            in 7 days. The daemon's DeadlineSweeper sweeps once (reminders first, then misses,
            500 deadlines per transaction, each with its outbox rows and audit). Printed: the
            whole sweep, the longest transaction, when the last small office's reminder was
            written, and the floor: one bare UPDATE … SET status = 'missed' of the same rows in
            one transaction (no outbox, what the sweeper did before it worked in steps).

            The bench's own server is switched to PostgreSQL's durable defaults (fsync,
            synchronous_commit, full_page_writes on) before measuring; the settings in force are
            printed beside the figures.

              swift run -c release ipcase-bench sweep                      # 100 000 deadlines
              swift run -c release ipcase-bench sweep --deadlines 10000 --rounds 1
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Deadlines past their final date in the backlog office.")
    var deadlines = 100_000

    @Option(help: "Small offices with reminders due.")
    var smallOffices = 10

    @Option(help: "Deadlines with a reminder due per small office.")
    var reminders = 50

    @Option(help: "Recomputation jobs queued in the backlog office (for other rights): every step checks them.")
    var queuedJobs = 300

    /// The day swept (the backlog's final dates are 10 days before it).
    static let today = try! CivilDate(iso: "2026-06-10")

    func run() async throws {
        var report = Report(title: "Deadline sweep of a backlog")
        var total: [Double] = []
        var longest: [Double] = []
        var toReminders: [Double] = []
        var floor: [Double] = []
        var settings = ""
        for round in 0..<(harness.warmup + harness.rounds) {
            try await BenchDatabase.with(harness, migrated: true) { database in
                if harness.databaseURL == nil { try await database.useDurableSettings() }
                settings = try await database.durabilitySettings()
                try await seed(database.connection)
                let measured = try await sweep(database)
                guard round >= harness.warmup else { return }
                total.append(measured.total)
                longest.append(measured.longest)
                toReminders.append(measured.reminders)
                floor.append(measured.floor)
            }
        }
        report.context.append(
            "\(deadlines) deadlines past their final date in one office with \(queuedJobs) recomputations queued, \(smallOffices) offices × \(reminders) reminders due; server: \(settings)"
        )
        let whole = Figure(name: "whole sweep", unit: "s", samples: total)
        let bare = Figure(
            name: "floor: one bare UPDATE of the backlog", unit: "s", samples: floor, note: "one transaction, no outbox")
        report.figures.append(whole)
        report.figures.append(Figure(name: "longest transaction", unit: "s", samples: longest))
        report.figures.append(Figure(name: "last small office's reminder written after", unit: "s", samples: toReminders))
        report.figures.append(bare)
        let ratio = whole.median / max(bare.median, 1e-9)
        report.details.append(
            "whole sweep / bare UPDATE: \(String(format: "%.1f", ratio))× (each missed deadline also writes its notice, history and audit rows)"
        )
        try report.emit(harness)
    }

    /// Office 1 with the backlog, offices 2… with reminders due; every office has a supervisor.
    func seed(_ connection: PostgresConnection) async throws {
        let offices = smallOffices + 1
        let final = Self.today.adding(days: -10)
        let due = Self.today.adding(days: 7)
        progress("sweep: generating \(deadlines) backlog deadlines and \(smallOffices * reminders) reminders")
        try await connection.executeScript(
            """
            SET session_replication_role = replica;
            INSERT INTO offices (office_id, name, region, kind, supervisor_name, supervisor_email)
                SELECT o, 'Office ' || o, 'Almaty', 'university', 'Supervisor ' || o, 'supervisor' || o || '@example.kz'
                FROM generate_series(1, \(offices)) o;
            INSERT INTO rights (office_id, id, reference, jurisdiction, kind, state, filing_date, application_number)
                SELECT o, o, 'US-' || o, 'US', 'patent', 'filed', DATE '2024-01-10', 'US 18/' || o
                FROM generate_series(1, \(offices)) o;
            """)
        _ = try await connection.execute(
            """
            INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                   final_date, status, citation)
            SELECT 1, 1, 'US.office-action', 'office_action_response', 0, 'office-action:' || n,
                   \(final.adding(days: -90)), \(final.adding(days: -90)), \(final), 'open', '35 U.S.C. 133'
            FROM generate_series(1, \(deadlines)) AS n
            """)
        _ = try await connection.execute(
            """
            INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                   final_date, status, citation)
            SELECT o, o, 'US.office-action', 'office_action_response', 0, 'office-action:' || n,
                   \(due), \(due), \(due.adding(days: 90)), 'open', '35 U.S.C. 133'
            FROM generate_series(2, \(offices)) AS o, generate_series(1, \(reminders)) AS n
            """)
        // Queued recomputations of other rights of the backlog office (events recorded during the
        // downtime): each step leaves their deadlines for later, so it checks every deadline against them.
        _ = try await connection.execute(
            """
            INSERT INTO jobs (office_id, kind, payload, run_at)
            SELECT 1, 'recompute-deadlines',
                   jsonb_build_object('recompute-deadlines', jsonb_build_object('for', jsonb_build_object(
                       'right', jsonb_build_object('_0', 1000000 + n)))),
                   now() + interval '1 day'
            FROM generate_series(1, \(queuedJobs)) AS n
            """)
        try await connection.executeScript("SET session_replication_role = origin")
        try await connection.executeScript("VACUUM ANALYZE offices, rights, deadlines")
    }

    /// The floor, then the sweep, verified.
    func sweep(_ database: BenchDatabase) async throws -> (total: Double, longest: Double, reminders: Double, floor: Double) {
        let connection = database.connection
        let final = Self.today.adding(days: -10)
        // The floor: the single UPDATE the sweeper once ran, rolled back so the sweep finds the rows.
        _ = try await connection.execute("BEGIN")
        let floor = try await seconds {
            _ = try await connection.execute(
                "UPDATE deadlines SET status = 'missed', completed_at = now() WHERE office_id = 1 AND status = 'open' AND final_date <= \(final)")
        }
        _ = try await connection.execute("ROLLBACK")
        try await connection.executeScript("VACUUM ANALYZE deadlines")

        let start = try await connection.query("SELECT clock_timestamp()::text")[0].decode(String.self, at: 0)
        let sweeper = DeadlineSweeper(store: Store(connection: connection))
        // Noon UTC: the same civil day in every office's time zone from UTC−11 to UTC+11.
        let instant = Date(timeIntervalSince1970: Double(Self.today.daysSinceEpoch) * 86_400 + 12 * 3_600)
        var result = SweepReport()
        let total = try await seconds { result = try await sweeper.sweep(at: instant) }
        try verify(result.missed == deadlines, "missed \(result.missed), expected \(deadlines)")
        try verify(
            result.reminders == smallOffices * reminders,
            "wrote \(result.reminders) reminders, expected \(smallOffices * reminders)")
        let written = try await connection.query(
            """
            SELECT EXTRACT(EPOCH FROM max(created_at) - \(start)::timestamptz)::float8 FROM outbox
            WHERE office_id > 1 AND idempotency_key LIKE '%:reminder:%'
            """)[0].decode(Double.self, at: 0)
        let longest = Double(result.longestTransaction.components.seconds)
            + Double(result.longestTransaction.components.attoseconds) / 1e18
        return (total, longest, written, floor)
    }
}
