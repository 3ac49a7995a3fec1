import Foundation
import IPCase
import IPCaseRegister
import IPCaseStore

/// `ipcase import register FILE… --office N [--apply]`: patent-office register files compared
/// with the office's docket, and with `--apply` written through the store and the right
/// workflow in one transaction.
public enum RegisterImport {
    /// What a run did.
    public struct Outcome: Sendable {
        /// The comparison (the report to print).
        public var plan: RegisterPlan
        /// Whether it was written (`--apply` and nothing refused).
        public var applied: Bool
        /// Rights created, events recorded and deadline jobs queued when applied.
        public var rightsCreated = 0
        public var eventsRecorded = 0
        public var jobs = 0
    }

    /// Why an apply wrote nothing: the refused lines (file, element, reason).
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var plan: RegisterPlan
        public var description: String {
            let lines = plan.findings.filter { $0.action == .refused }.map {
                "\($0.source.file), element \($0.source.element): \($0.message)"
            }
            return "nothing was written: \(lines.count) step\(lines.count == 1 ? " is" : "s are") refused\n"
                + lines.joined(separator: "\n")
        }
    }

    /// Reads every file (each streamed; the format told by its root element), in the order given.
    /// - Throws: `RegisterError` naming the file (and the line of malformed XML).
    public static func read(_ paths: [String], progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in })
        throws -> [RegisterRecord]
    {
        var records: [RegisterRecord] = []
        for (index, path) in paths.enumerated() {
            records += try RegisterReader.read(path: path)
            progress("reading", index + 1, paths.count)
        }
        return records
    }

    /// Compares `records` with the docket of `office` and, when `apply` is set and nothing is
    /// refused, writes the plan in the same transaction it was computed in.
    /// - Throws: ``Refused`` when applying a plan with refused steps (nothing written),
    ///   `StoreError` when the store refuses (nothing written).
    public static func run(
        _ records: [RegisterRecord], office: ID<Office>, store: Store, actor: String, apply: Bool,
        today: CivilDate = .todayUTC
    ) async throws -> Outcome {
        try await store.withOffice(office, actor: actor) { session in
            let snapshot = try await Self.snapshot(session, today: today)
            let plan = RegisterComparison.plan(records, against: snapshot)
            guard apply else { return Outcome(plan: plan, applied: false) }
            if plan.isRefused { throw Refused(plan: plan) }
            return try await write(plan, office: office, in: session)
        }
    }

    /// The office's rights with their events, its parties and families.
    static func snapshot(_ session: OfficeSession, today: CivilDate) async throws -> DocketSnapshot {
        let rights = try await session.rights().map(\.value)
        let chronologies = try await session.chronologies(of: rights.map(\.id))
        return DocketSnapshot(
            rights: rights.map { DocketSnapshot.Entry(right: $0, events: chronologies[$0.id]?.recorded ?? []) },
            parties: try await session.parties().map(\.value), families: try await session.familyIDs(), today: today)
    }

    /// Writes `plan`: new families, new rights (with their PCT parents), then every step through
    /// `OfficeSession.importRightSteps`, each event with its register source; deadline jobs are
    /// queued for the daemon.
    static func write(_ plan: RegisterPlan, office: ID<Office>, in session: OfficeSession) async throws -> Outcome {
        var outcome = Outcome(plan: plan, applied: true)
        let newFamilies = Array(Set(plan.creations.compactMap(\.newFamily))).sorted()
        let families = try await session.createFamilies(newFamilies)
        let rights = plan.creations.map { creation in
            var right = creation.right
            right.office = office
            right.family = creation.family ?? creation.newFamily.flatMap { families[$0] }
            right.parentPCT = creation.parentPCT
            return right
        }
        let ids = try await session.createRights(rights)
        outcome.rightsCreated = ids.count
        let byKey = Dictionary(uniqueKeysWithValues: zip(plan.creations.map(\.key), ids))
        let links = zip(plan.creations, ids).compactMap { creation, id in
            creation.parentKey.flatMap { byKey[$0] }.map { (right: id, parent: $0) }
        }
        try await session.setParents(links)
        var steps: [RegisterStep] = []
        for (creation, id) in zip(plan.creations, ids) {
            steps += creation.steps.map { step in
                var step = step
                step.right = id
                return step
            }
        }
        steps += plan.steps
        let imported = steps.map { step in
            switch step.step {
            case .workflow(let event):
                ImportedRightStep(
                    right: step.right, transition: event, event: event.rightEvent, source: step.source.description)
            case .docket(let event):
                ImportedRightStep(right: step.right, transition: nil, event: event, source: step.source.description)
            }
        }
        do {
            let written = try await session.importRightSteps(imported)
            outcome.eventsRecorded = written.events
            outcome.jobs = written.jobs
        } catch let refused as ImportStepRefused {
            let source = steps[refused.index].source
            throw StoreError.invalid(
                record: "\(source.file), element \(source.element)", reason: refused.error.description)
        }
        return outcome
    }
}
