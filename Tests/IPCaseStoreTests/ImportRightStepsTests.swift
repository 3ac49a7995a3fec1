import Foundation
import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Importing right events set-based")
struct ImportRightStepsTests {
    typealias Fixture = WorkflowTransactionTests.Fixture

    @Test func aNationalPhaseEntryOnANationalRightIsRecordedAsADocketEvent() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        let recorded = try await fixture.app.withOffice(fixture.office, actor: "alice") { session in
            try await session.recordEvent(
                right, RightEvent(.filed, on: try CivilDate(iso: "2024-03-14"), reference: "2024/0101.1"))
            return try await session.recordEvent(
                right, RightEvent(.nationalPhaseEntered, on: try CivilDate(iso: "2024-04-02"), reference: "KZ"))
        }
        #expect(recorded.fromState == "filed" && recorded.toState == "filed")
        #expect(try await fixture.state() == "filed")
        // Two events, two history rows, one audited state change, one job: the second event's
        // recomputation is the one still queued.
        #expect(try await fixture.traces() == [2, 2, 1, 1])
    }

    @Test func replayedStepsWriteEventsHistoryStateAndOneJobPerRight() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        let filed = RightWorkflow.Event.filed(on: try CivilDate(iso: "2024-03-14"), applicationNumber: "2024/0101.1")
        let published = RightWorkflow.Event.published(on: try CivilDate(iso: "2025-09-20"))
        let action = RightEvent(.officeAction, on: try CivilDate(iso: "2025-10-01"))
        let written = try await fixture.app.withOffice(fixture.office, actor: "import") { session in
            try await session.importRightSteps(
                [
                    ImportedRightStep(right: right, transition: filed, event: filed.rightEvent),
                    ImportedRightStep(right: right, transition: nil, event: action),
                    ImportedRightStep(right: right, transition: published, event: published.rightEvent),
                ], rowsPerStatement: 2)
        }
        #expect(written == ImportedRightSteps(events: 3, history: 3, rightsUpdated: 1, rightsCreated: 0, jobs: 1))
        #expect(try await fixture.state() == "published")
        // Events, history, one audited update of the right, one job.
        #expect(try await fixture.traces() == [3, 3, 1, 1])
        let chain = try await fixture.database.admin.query(
            "SELECT event, from_state, to_state FROM workflow_history WHERE entity_id = \(right) ORDER BY id"
        ).map { try $0.decode(String.self, String.self, String.self) }
        #expect(chain.map(\.0) == ["filed", "office-action", "published"])
        #expect(chain.map(\.1) == ["draft", "filed", "filed"])
        #expect(chain.map(\.2) == ["filed", "filed", "published"])
    }

    @Test func aRefusedStepNamesItsPositionAndWritesNothing() async throws {
        let fixture = try await Fixture.make()
        let right = fixture.right
        let filed = RightWorkflow.Event.filed(on: try CivilDate(iso: "2024-03-14"), applicationNumber: "2024/0101.1")
        let granted = RightWorkflow.Event.granted(on: try CivilDate(iso: "2024-04-01"), registrationNumber: "36001")
        await #expect {
            try await fixture.app.withOffice(fixture.office, actor: "import") { session in
                try await session.importRightSteps([
                    ImportedRightStep(right: right, transition: filed, event: filed.rightEvent),
                    ImportedRightStep(right: right, transition: granted, event: granted.rightEvent),
                ])
            }
        } throws: { error in
            guard let refused = error as? ImportStepRefused else { return false }
            return refused.index == 1 && refused.description.contains("right KZ-7")
                && refused.description.contains("allowed")
        }
        #expect(try await fixture.traces() == [0, 0, 0, 0])
        #expect(try await fixture.state() == "draft")
    }
}
