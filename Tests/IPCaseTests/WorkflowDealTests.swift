import Foundation
import IPCase
import Testing

/// The deal pipeline as the issue lists it; lose and withdraw end any open deal.
let dealTable: [Transition] = {
    let open = ["identified", "contacted", "under-evaluation", "negotiating", "term-sheet-agreed"]
    return [
        Transition("identified", "make-contact", "contacted"),
        Transition("contacted", "start-evaluation", "under-evaluation"),
        Transition("under-evaluation", "start-negotiation", "negotiating"),
        Transition("negotiating", "agree-term-sheet", "term-sheet-agreed"),
        Transition("term-sheet-agreed", "execute-agreement", "agreement-executed"),
    ] + open.flatMap { [Transition($0, "lose", "lost"), Transition($0, "withdraw", "withdrawn")] }
}()

@Suite("Deal workflow")
struct WorkflowDealTests {
    let allKinds = DealWorkflow.Event.Kind.allCases.map(\.rawValue)

    @Test("every listed transition is allowed and reaches its state", arguments: dealTable)
    func allowedTransitionReachesItsState(_ row: Transition) throws {
        var deal = DealWorkflow(id: 12, label: "D-12", state: try #require(DealWorkflow.State(rawValue: row.from)))
        let kind = try #require(DealWorkflow.Event.Kind(rawValue: row.event))
        _ = try deal.apply(sampleEvent(kind))
        #expect(deal.state.rawValue == row.to)
    }

    @Test(
        "every other event is refused, naming the state, the event and the allowed events",
        arguments: DealWorkflow.State.allCases)
    func unlistedEventsAreRefused(_ state: DealWorkflow.State) {
        let allowed = expectedAllowed(dealTable, state: state.rawValue, allKinds: allKinds)
        let deal = DealWorkflow(id: 12, label: "D-12", state: state)
        #expect(deal.allowedEvents.map(\.rawValue) == allowed)
        for kind in DealWorkflow.Event.Kind.allCases where !allowed.contains(kind.rawValue) {
            var copy = deal
            let error = workflowError { _ = try copy.apply(sampleEvent(kind)) }
            #expect(
                error?.description
                    == refusalText("deal", "D-12", state: state.rawValue, event: kind.rawValue, allowed: allowed))
            #expect(copy == deal, "a refused event leaves the machine unchanged")
        }
    }

    @Test func executingWhileNegotiatingIsRefusedWithTheAllowedEvents() {
        var deal = DealWorkflow(id: 12, label: "D-12", state: .negotiating)
        let error = workflowError { _ = try deal.apply(.executeAgreement(kind: .exclusiveLicence)) }
        #expect(
            error?.description
                == "deal D-12 is 'negotiating'; 'execute-agreement' is not allowed; allowed: agree-term-sheet, lose, withdraw"
        )
        #expect(error?.machine == .deal)
        #expect(error?.reason == .notAllowed)
        #expect(error?.allowed == ["agree-term-sheet", "lose", "withdraw"])
    }

    @Test func aDealWithoutLabelIsNamedByItsID() {
        var deal = DealWorkflow(id: 12, state: .lost)
        let error = workflowError { _ = try deal.apply(.withdraw) }
        #expect(error?.description == "deal #12 is 'lost'; 'withdraw' is not allowed; allowed: none")
    }

    @Test func evaluationNeedsAnNDAOrMTAInPlace() {
        var deal = DealWorkflow(id: 12, label: "D-12", state: .contacted)
        let none = workflowError { _ = try deal.apply(.startEvaluation(under: nil)) }
        #expect(none?.description == "deal D-12 is 'contacted'; 'start-evaluation' needs an NDA or MTA in place")
        let option = workflowError { _ = try deal.apply(.startEvaluation(under: .init(agreement: 5, kind: .option))) }
        #expect(
            option?.description
                == "deal D-12 is 'contacted'; 'start-evaluation' needs an NDA or MTA in place (agreement #5 is 'option')"
        )
        #expect(deal.state == .contacted)
        _ = try? deal.apply(.startEvaluation(under: .init(agreement: 6, kind: .mta)))
        #expect(deal.state == .underEvaluation)
    }

    @Test func executingCreatesTheAgreementOfTheSignedKind() throws {
        var deal = DealWorkflow(id: 12, label: "D-12", state: .termSheetAgreed)
        let effects = try deal.apply(.executeAgreement(kind: .option))
        #expect(effects.contains(.createAgreement(fromDeal: 12, kind: .option)))
        #expect(deal.isFinal)
    }

    @Test func anNDAIsNotWhatADealIsExecutedAs() {
        var deal = DealWorkflow(id: 12, label: "D-12", state: .termSheetAgreed)
        let error = workflowError { _ = try deal.apply(.executeAgreement(kind: .nda)) }
        #expect(error?.missing.first?.contains("not 'nda'") == true)
        #expect(deal.state == .termSheetAgreed)
    }

    @Test func replayingTheHistoryEqualsApplyingItStepByStep() throws {
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<200 {
            let start = DealWorkflow(id: 12, label: "D-12")
            let history = randomRun(from: start, steps: 8, using: &generator, sample: sampleEvent)
            var incremental = start
            for event in history { _ = try incremental.apply(event) }
            #expect(try start.replaying(history) == incremental)
        }
    }

    @Test func eventsEncodeWithTheirStableSpelling() throws {
        let event = DealWorkflow.Event.executeAgreement(kind: .exclusiveLicence)
        let json = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        #expect(json.contains("\"execute-agreement\""))
        #expect(json.contains("\"exclusive-licence\""))
        for kind in DealWorkflow.Event.Kind.allCases {
            let sample = sampleEvent(kind)
            #expect(try JSONDecoder().decode(DealWorkflow.Event.self, from: JSONEncoder().encode(sample)) == sample)
        }
    }
}
