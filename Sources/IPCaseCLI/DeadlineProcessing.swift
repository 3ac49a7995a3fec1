import IPCase
import IPCaseStore

/// The daemon's deadline processing, run once from the command line.
///
/// Interim: until the daemon's worker processing (IPCaseDaemon/Processing) is on main, this
/// recomputes every right of each office that has queued `recompute-deadlines` jobs with the
/// rules engine, writes the schedules with the store's `replaceSchedules` and marks those jobs
/// done — one transaction per office. Then it switches to the daemon's processing.
public enum DeadlineProcessing {
    /// What one run did.
    public struct Result: Sendable, Hashable {
        /// Rights recomputed.
        public var rights = 0
        /// Deadlines new, changed and superseded.
        public var inserted = 0, updated = 0, superseded = 0
        /// Open deadlines whose final date had passed, now missed.
        public var missed = 0
    }

    /// Processes the queued deadline jobs (see the type's note), then sweeps: open deadlines
    /// whose final date is before `asOf` become missed.
    public static func processPendingJobs(
        store: Store, asOf: CivilDate, engine: DeadlineEngine = DeadlineEngine(book: .standard)
    ) async throws -> Result {
        let offices = try await store.withService(actor: "ipcase") { try await $0.officesWithRecomputeJobs() }
        var result = Result()
        for office in offices {
            let part = try await store.withService(actor: "ipcase") { session in
                let rights = try await session.rightsForProcessing(offices: [office])
                var records: [DeadlineRecord] = []
                for right in rights {
                    records += schedule(of: right, engine: engine)
                }
                var total = Result()
                // Batches keep each statement's arrays moderate.
                var start = 0
                let batch = 2_000
                while start < rights.count {
                    let slice = Array(rights[start..<min(start + batch, rights.count)])
                    let keys = Set(slice.map(\.right))
                    let upsert = try await session.replaceSchedules(
                        records.filter { keys.contains($0.right) }, of: slice.map { ($0.office, $0.right) })
                    total.inserted += upsert.inserted
                    total.updated += upsert.updated
                    total.superseded += upsert.superseded
                    start += batch
                }
                total.rights = rights.count
                try await session.finishRecomputeJobs(offices: [office])
                return total
            }
            result.rights += part.rights
            result.inserted += part.inserted
            result.updated += part.updated
            result.superseded += part.superseded
        }
        result.missed = try await store.withService(actor: "ipcase") { try await $0.markMissed(before: asOf) }
        return result
    }

    /// Every deadline the engine gives for one right (met ones carry what closed them), as store records.
    public static func schedule(of right: RightForProcessing, engine: DeadlineEngine) -> [DeadlineRecord] {
        engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events).map {
            DeadlineRecord($0, office: right.office, right: right.right, attorney: right.attorney)
        }
    }
}
