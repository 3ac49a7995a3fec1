import Foundation
import IPCase
import Testing

let disclosureTable: [Transition] = [
    Transition("received", "start-assessment", "under-assessment"),
    Transition("under-assessment", "approve-for-protection", "approved-for-protection"),
    Transition("under-assessment", "put-on-hold", "on-hold"),
    Transition("under-assessment", "release-to-inventors", "released-to-inventors"),
    Transition("under-assessment", "abandon", "abandoned"),
    Transition("on-hold", "resume-assessment", "under-assessment"),
]

@Suite("Disclosure workflow")
struct WorkflowDisclosureTests {
    let allKinds = DisclosureWorkflow.Event.Kind.allCases.map(\.rawValue)

    @Test("every listed transition is allowed and reaches its state", arguments: disclosureTable)
    func allowedTransitionReachesItsState(_ row: Transition) throws {
        var disclosure = DisclosureWorkflow(
            id: 17, label: "D-2024-017", state: try #require(DisclosureWorkflow.State(rawValue: row.from)))
        _ = try disclosure.apply(sampleEvent(try #require(DisclosureWorkflow.Event.Kind(rawValue: row.event))))
        #expect(disclosure.state.rawValue == row.to)
    }

    @Test(
        "every other event is refused, naming the state, the event and the allowed events",
        arguments: DisclosureWorkflow.State.allCases)
    func unlistedEventsAreRefused(_ state: DisclosureWorkflow.State) {
        let allowed = expectedAllowed(disclosureTable, state: state.rawValue, allKinds: allKinds)
        let disclosure = DisclosureWorkflow(id: 17, label: "D-2024-017", state: state)
        #expect(disclosure.allowedEvents.map(\.rawValue) == allowed)
        for kind in DisclosureWorkflow.Event.Kind.allCases where !allowed.contains(kind.rawValue) {
            var copy = disclosure
            let error = workflowError { _ = try copy.apply(sampleEvent(kind)) }
            #expect(
                error?.description
                    == refusalText(
                        "disclosure", "D-2024-017", state: state.rawValue, event: kind.rawValue, allowed: allowed))
            #expect(copy == disclosure)
        }
    }

    struct SharesCase: Sendable, CustomTestStringConvertible {
        let shares: [InventorShare]
        let needs: String
        var testDescription: String { needs }
    }

    @Test(
        "assessment needs inventors with shares summing to 100 %",
        arguments: [
            SharesCase(shares: [], needs: "at least one inventor"),
            SharesCase(
                shares: [InventorShare(1, 5_000), InventorShare(2, 4_000)],
                needs: "inventor shares summing to 100 % (they sum to 90.00 %)"),
            SharesCase(
                shares: [InventorShare(1, 7_000), InventorShare(2, 4_000)],
                needs: "inventor shares summing to 100 % (they sum to 110.00 %)"),
            SharesCase(
                shares: [InventorShare(1, 10_000), InventorShare(2, 0)], needs: "a positive share for every inventor"),
            SharesCase(
                shares: [InventorShare(1, 5_000), InventorShare(1, 5_000)], needs: "each inventor listed once"),
        ])
    func assessmentNeedsSharesSummingToWhole(_ testCase: SharesCase) {
        var disclosure = DisclosureWorkflow(id: 17, label: "D-2024-017")
        let error = workflowError { _ = try disclosure.apply(.startAssessment(inventors: testCase.shares)) }
        #expect(
            error?.description == "disclosure D-2024-017 is 'received'; 'start-assessment' needs \(testCase.needs)")
        #expect(disclosure.state == .received)
    }

    @Test func threeInventorsAtAThirdEachPassTheGuard() throws {
        var disclosure = DisclosureWorkflow(id: 17)
        let effects = try disclosure.apply(
            .startAssessment(inventors: [InventorShare(1, 3_333), InventorShare(2, 3_333), InventorShare(3, 3_334)]))
        #expect(disclosure.state == .underAssessment)
        #expect(effects == [.scheduleDeadlines(for: .disclosure(17))])
    }

    @Test func puttingOnHoldSchedulesTheReviewAndResumingClearsIt() throws {
        var disclosure = DisclosureWorkflow(id: 17, state: .underAssessment)
        let effects = try disclosure.apply(.putOnHold(reviewOn: date("2026-01-15")))
        #expect(disclosure.reviewOn == date("2026-01-15"))
        #expect(
            effects == [
                .scheduleFollowUp(for: .disclosure(17), on: date("2026-01-15"), reason: "review of on-hold disclosure")
            ])
        _ = try disclosure.apply(.resumeAssessment)
        #expect(disclosure.state == .underAssessment)
        #expect(disclosure.reviewOn == nil)
    }

    @Test func theEntityRecordsTheConfirmedInventorsAndItsState() throws {
        var disclosure = Disclosure(
            id: 17, office: 1, reference: "D-2024-017", title: "Sorbent", receivedOn: date("2024-11-02"),
            inventors: [InventorShare(1, 5_000), InventorShare(2, 5_000)])
        _ = try disclosure.apply(disclosure.startAssessment)
        _ = try disclosure.apply(.putOnHold(reviewOn: date("2025-02-01")))
        #expect(disclosure.state == .onHold)
        #expect(disclosure.reviewOn == date("2025-02-01"))
        let error = workflowError { _ = try disclosure.apply(.approveForProtection) }
        #expect(
            error?.description
                == "disclosure D-2024-017 is 'on-hold'; 'approve-for-protection' is not allowed; allowed: resume-assessment"
        )
    }

    @Test func replayingTheHistoryEqualsApplyingItStepByStep() throws {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let start = DisclosureWorkflow(id: 17, label: "D-2024-017")
            let history = randomRun(from: start, steps: 10, using: &generator, sample: sampleEvent)
            var incremental = start
            for event in history { _ = try incremental.apply(event) }
            #expect(try start.replaying(history) == incremental)
        }
    }

    @Test func aHistoryWithARefusedEventDoesNotReplay() {
        let history: [DisclosureWorkflow.Event] = [sampleEvent(.startAssessment), .abandon, .resumeAssessment]
        let error = workflowError { _ = try DisclosureWorkflow(id: 17).replaying(history) }
        #expect(error?.state == "abandoned")
        #expect(error?.event == "resume-assessment")
    }

    @Test func eventsRoundTripThroughJSONWithStableKeys() throws {
        for kind in DisclosureWorkflow.Event.Kind.allCases {
            let event = sampleEvent(kind)
            let data = try JSONEncoder().encode(event)
            #expect(String(decoding: data, as: UTF8.self).contains("\"\(kind.rawValue)\""))
            #expect(try JSONDecoder().decode(DisclosureWorkflow.Event.self, from: data) == event)
        }
    }

    @Test func disclosureClassificationAndReadinessAreValidated() throws {
        #expect(IPCSymbol("a61k31/713")?.text == "A61K 31/713")
        #expect(IPCSymbol("B01J  20/ 26")?.text == "B01J 20/26")
        #expect(IPCSymbol("C02F")?.subclass == "C02F")
        #expect(IPCSymbol("Z99Z 1/00") == nil)  // sections run A–H
        #expect(IPCSymbol("A61K 31/7") == nil)  // subgroups have at least two digits
        #expect(TechnologyReadinessLevel(4)?.description == "TRL 4")
        #expect(TechnologyReadinessLevel(10) == nil)
        let json = Data(#"{"symbols":["A61K 31/713"],"trl":12}"#.utf8)
        struct Probe: Decodable {
            let symbols: [IPCSymbol]
            let trl: TechnologyReadinessLevel
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Probe.self, from: json) }
    }
}
