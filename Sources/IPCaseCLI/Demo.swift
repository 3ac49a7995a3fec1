import Foundation
import IPCase
import IPCaseReports
import IPCaseSamples
import IPCaseStore
import Logging
import PostgresServer

/// `ipcase demo`: the main job on a throwaway PostgreSQL, start to end.
public enum Demo {
    /// What processing the queued deadline jobs did, as the demo reports it.
    public struct Processed: Sendable, Hashable {
        /// Jobs completed.
        public var completed: Int
        /// Deadlines written.
        public var written: Int
        /// Deadlines past their final date that the sweep marked missed.
        public var missed: Int

        /// A summary.
        public init(completed: Int, written: Int, missed: Int) {
            (self.completed, self.written, self.missed) = (completed, written, missed)
        }
    }

    /// Processes every queued deadline job of a store as of a day, then sweeps once: the daemon's
    /// processing run once (`DeadlineProcessing` in IPCaseDaemon), passed in by the executable so
    /// that this command logic does not depend on the daemon.
    public typealias Processing = @Sendable (_ store: Store, _ asOf: CivilDate, _ logger: Logger) async throws
        -> Processed

    /// The sample's seed (the same portfolio on every machine).
    public static let seed: UInt64 = 2026

    /// Starts a throwaway PostgreSQL, migrates, loads the sample portfolio, processes the
    /// deadline jobs once, and writes the docket for the next 90 days, the deal pipeline, the
    /// indicators of the last twelve months, the agreements' compliance (payments received,
    /// obligations due and overdue), the budget forecast of the next five years and the pending
    /// renewal decisions to `output`; progress goes to `progress`.
    ///
    /// - Parameters:
    ///   - asOf: the day the demo is dated to.
    ///   - output: where the docket and reports are written.
    ///   - progress: where progress lines go.
    ///   - keep: leave the server running (returns its database URL; it stops when this process ends).
    ///   - color: color the docket by urgency (only on a terminal).
    ///   - process: the daemon's processing of the queued deadline jobs, run once.
    /// - Returns: the database URL when `keep` is set.
    public static func run(
        asOf: CivilDate, keep: Bool, color: Bool, output: (String) -> Void, progress: (String) -> Void,
        process: Processing
    ) async throws -> String? {
        let clock = ContinuousClock()
        let started = clock.now
        func step(_ text: String) {
            let elapsed = (clock.now - started).components
            let millis = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
            progress("[\(String(format: "%5.1f", Double(millis) / 1000)) s] \(text)")
        }
        var logger = Logger(label: "ipcase.demo")
        logger.logLevel = .warning
        step("starting a throwaway PostgreSQL")
        let server = try await ThrowawayPostgres.startLocal(logger: logger)
        do {
            let url = try await server.createDatabase(prefix: "ipcase_demo")
            let store = try await Store.connect(url: url, applicationName: "ipcase-demo", logger: logger)
            step("migrating")
            _ = try await Migrator.embedded(logger: logger).migrate(on: store.connection)
            step("generating the sample portfolio as of \(asOf)")
            let portfolio = SamplePortfolio.generate(seed: seed, asOf: asOf)
            step(
                "loading \(portfolio.offices.count) offices, \(portfolio.rights.count) rights, \(portfolio.deals.count) deals"
            )
            let loaded = try await DemoLoader.load(portfolio, into: store)
            step(
                "loaded \(loaded.parties) parties, \(loaded.disclosures) disclosures, \(loaded.events) right events, \(loaded.agreements) agreements, \(loaded.payments) payments, \(loaded.costs) costs (\(loaded.costInvoices) invoiced to licensees), \(loaded.startups) start-ups, \(loaded.projects) funded projects, \(loaded.offers) technology offers"
            )
            step("processing deadline jobs")
            var processingLogger = logger
            processingLogger.logLevel = .error  // the sample parties have no e-mail addresses to notify
            let processed = try await process(store, asOf, processingLogger)
            step(
                "processed \(processed.completed) jobs: \(processed.written) deadlines written; swept: \(processed.missed) past their final date marked missed"
            )

            var query = DocketQuery(asOf: asOf)
            query.within = 90
            query.overdue = true
            query.statuses = ["open"]
            let firm = SamplePortfolio.firmOffice
            query.office = firm
            let entries = try await DocketCommands.entries(store: store, query: query)
            let officeName = portfolio.offices.first { $0.id == firm }?.name ?? "the firm"
            output(
                "Docket of \(officeName): open deadlines overdue or due by \(asOf.adding(days: 90)) (\(entries.count))\n\n"
            )
            output(DocketRenderer.table(entries, asOf: asOf, color: color))
            output(
                "\nDeal pipeline of \(portfolio.offices.first { $0.id == SamplePortfolio.universityOffice }?.name ?? "the university"): deals per stage\n\n"
            )
            output(try await Reporting.pipelineTable(store: store, office: SamplePortfolio.universityOffice))
            let period = try ReportPeriod(from: asOf.adding(days: -364), to: asOf)
            let report = try await Reporting.indicators(
                store: store, period: period, office: SamplePortfolio.universityOffice)
            output("\n")
            output(
                report.table(officeName: portfolio.offices.first { $0.id == SamplePortfolio.universityOffice }?.name))
            let compliance = try await Compliance.agreements(
                store: store, office: SamplePortfolio.universityOffice, asOf: asOf, reference: nil
            ).filter { !$0.obligations.isEmpty }
            output("\nCompliance: payments received and obligations of the agreements with obligations\n\n")
            output(Compliance.table(compliance))
            // What the university owes its funders: its projects' open deadlines.
            var owed = DocketQuery(asOf: asOf)
            owed.office = SamplePortfolio.universityOffice
            owed.statuses = ["open"]
            owed.types = ObligationDeadline.Kind.projectKinds.map(\.rawValue)
            let grants = try await DocketCommands.entries(store: store, query: owed)
            output("\nGrant obligations: the funded projects' open reports, deliverables and registrations (\(grants.count))\n\n")
            output(DocketRenderer.table(grants, asOf: asOf, color: color))
            output(
                try await budgetForecast(
                    store: store, office: SamplePortfolio.universityOffice,
                    officeName: portfolio.offices.first { $0.id == SamplePortfolio.universityOffice }?.name
                        ?? "the university", asOf: asOf))
            output(
                try await pendingRenewalDecisions(
                    store: store, office: SamplePortfolio.universityOffice,
                    officeName: portfolio.offices.first { $0.id == SamplePortfolio.universityOffice }?.name
                        ?? "the university", asOf: asOf))
            await store.connection.close()
            if keep {
                step("the server keeps running until this program ends (Ctrl-C)")
                return url
            }
            step("stopping the server")
            await server.destroy()
            step("done")
            return nil
        } catch {
            await server.destroy()
            throw error
        }
    }
}
