import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseSamples
import IPCaseStore
import PostgresClient
import Testing

/// `ipcase import events` replays each right's history through the workflow in memory and
/// writes set-based: what it leaves behind must be what recording the events one by one
/// leaves (the rights' state and facts, every event, one history row per event with the states
/// it moved between), one deadline job per right, and — once processed — the engine's deadlines.
@Suite("ipcase end to end: set-based event import", .serialized)
struct ImportReplayTests {
    static let officeName = "Alatau Technical University Technology Transfer Office"

    @Test func importedHistoriesLeaveTheRowsEventByEventRecordingLeaves() async throws {
        let portfolio = SamplePortfolio.generate(seed: 42, asOf: Databases.asOf)
        let desk = SamplePortfolio.demoDesks[0]
        let samples = Array(SamplePortfolio.rights(count: 60, seed: 5, asOf: Databases.asOf, desks: [desk]))
        #expect(samples.contains { $0.right.kind == .pctApplication && $0.right.state == .nationalPhaseEntered })
        #expect(samples.contains { $0.parentReference != nil })
        let names = SampleCSV.Names(portfolio)
        let files = [
            ("parties", SampleCSV.parties(portfolio.parties.filter { $0.office == desk.office }, names: names)),
            ("rights", SampleCSV.rights(samples, names: names)), ("events", SampleCSV.events(samples)),
        ]
        let (url, office) = try await Databases.empty(officeName: Self.officeName)
        for (kind, text) in files {
            let path = try temporaryFile("\(kind).csv", text)
            let output = try await Binary.run(
                ["import", kind, path, "--office", String(office.rawValue), "--quiet"], database: url)
            #expect(output.status == 0, "\(kind): \(output.stderr)")
        }

        let store = try await Store.connect(url: url, logger: Databases.quiet)
        // Jobs: exactly one deadline recomputation per right, nothing announced for history.
        #expect(
            try await Databases.count(
                url, "SELECT count(DISTINCT payload)::int FROM jobs WHERE kind = 'recompute-deadlines'") == samples.count)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM jobs") == samples.count)
        _ = try await DeadlineProcessing.processPendingJobs(store: store, asOf: Databases.asOf)
        let stored = try await store.withOffice(office, actor: "test") { session in
            try await session.rights()
        }
        let history = try await store.connection.query(
            """
            SELECT r.reference, h.event, h.from_state, h.to_state FROM workflow_history h
            JOIN rights r ON r.office_id = h.office_id AND r.id = h.entity_id
            WHERE h.entity_type = 'right' ORDER BY h.id
            """
        ).map { try $0.decode(String.self, String.self, String.self, String.self) }
        let events = try await store.connection.query(
            """
            SELECT r.reference, e.kind, e.event_date::text FROM right_events e
            JOIN rights r ON r.office_id = e.office_id AND r.id = e.right_id ORDER BY e.id
            """
        ).map { try $0.decode(String.self, String.self, String.self) }
        let deadlines = try await store.connection.query(
            """
            SELECT r.reference, d.rule_id, d.due_date::text FROM deadlines d
            JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
            """
        ).map { try $0.decode(String.self, String.self, String.self) }
        await store.connection.close()

        #expect(stored.count == samples.count)
        let byReference = Dictionary(uniqueKeysWithValues: stored.map { ($0.value.reference, $0.value) })
        let engine = DeadlineEngine()
        for sample in samples {
            let reference = sample.right.reference
            guard let right = byReference[reference] else {
                Issue.record("\(reference) was not imported")
                continue
            }
            // The state and the facts the workflow sets, as the generator reckoned them.
            #expect(right.state == sample.right.state, "\(reference)")
            #expect(right.filingDate == sample.right.filingDate, "\(reference)")
            #expect(right.applicationNumber == sample.right.applicationNumber, "\(reference)")
            #expect(right.publicationDate == sample.right.publicationDate, "\(reference)")
            #expect(right.grantDate == sample.right.grantDate, "\(reference)")
            #expect(right.registrationNumber == sample.right.registrationNumber, "\(reference)")
            #expect(right.restorableUntil == sample.right.restorableUntil, "\(reference)")
            #expect(right.parentPCT != nil || sample.parentReference == nil, "\(reference)")
            // Every event stored, in order.
            let storedEvents = events.filter { $0.0 == reference }.map { "\($0.1) \($0.2)" }
            #expect(storedEvents == sample.events.map { "\($0.kind.rawValue) \($0.date)" }, "\(reference)")
            // One history row per file row, a chain of states from draft to the right's state.
            let rows = history.filter { $0.0 == reference }
            #expect(rows.map(\.1) == sample.history.map(\.eventName), "\(reference)")
            var state = "draft"
            for row in rows {
                #expect(row.2 == state, "\(reference) \(row.1)")
                state = row.3
            }
            #expect(state == sample.right.state.rawValue, "\(reference)")
            // The engine's schedule for the events, once each.
            let expected = engine.deadlines(
                jurisdiction: sample.right.jurisdiction, kind: sample.right.kind, events: sample.events)
            let got = deadlines.filter { $0.0 == reference }.map { "\($0.1) \($0.2)" }.sorted()
            #expect(got == expected.map { "\($0.ruleID) \($0.due)" }.sorted(), "\(reference)")
        }
        // No national right was created twice: the rights file lists them.
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights WHERE reference LIKE '%/%'") == 0)
    }
}
