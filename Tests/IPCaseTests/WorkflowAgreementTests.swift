import Foundation
import IPCase
import Testing

/// Transitions of every kind but an option.
let agreementTable: [Transition] = [
    Transition("draft", "execute", "executed"),
    Transition("executed", "activate", "active"),
    Transition("active", "declare-default", "in-default"),
    Transition("active", "expire", "expired"),
    Transition("active", "terminate", "terminated"),
    Transition("in-default", "cure", "cured"),
    Transition("in-default", "terminate", "terminated"),
    Transition("cured", "reinstate", "active"),
]

/// Transitions of an option: exercised or lapsed instead of expiring.
let optionTable: [Transition] = [
    Transition("draft", "execute", "executed"),
    Transition("executed", "activate", "active"),
    Transition("active", "declare-default", "in-default"),
    Transition("active", "terminate", "terminated"),
    Transition("active", "exercise-option", "exercised"),
    Transition("active", "lapse-option", "lapsed"),
    Transition("in-default", "cure", "cured"),
    Transition("in-default", "terminate", "terminated"),
    Transition("cured", "reinstate", "active"),
]

@Suite("Agreement workflow")
struct WorkflowAgreementTests {
    let allKinds = AgreementWorkflow.Event.Kind.allCases.map(\.rawValue)

    static let nonOptionKinds = Agreement.Kind.allCases.filter { $0 != .option }

    @Test(
        "every listed transition is allowed and reaches its state (licences and others)",
        arguments: nonOptionKinds, agreementTable)
    func allowedTransitionReachesItsState(_ kind: Agreement.Kind, _ row: Transition) throws {
        try checkTransition(kind: kind, row)
    }

    @Test("every listed option transition is allowed and reaches its state", arguments: optionTable)
    func allowedOptionTransitionReachesItsState(_ row: Transition) throws {
        try checkTransition(kind: .option, row)
    }

    func checkTransition(kind: Agreement.Kind, _ row: Transition) throws {
        var agreement = AgreementWorkflow(
            id: 4, label: "LIC-4", kind: kind, state: try #require(AgreementWorkflow.State(rawValue: row.from)))
        _ = try agreement.apply(sampleEvent(try #require(AgreementWorkflow.Event.Kind(rawValue: row.event))))
        #expect(agreement.state.rawValue == row.to)
    }

    @Test(
        "every other event is refused, naming the state, the event and the allowed events",
        arguments: Agreement.Kind.allCases, AgreementWorkflow.State.allCases)
    func unlistedEventsAreRefused(_ kind: Agreement.Kind, _ state: AgreementWorkflow.State) {
        let table = kind == .option ? optionTable : agreementTable
        let allowed = expectedAllowed(table, state: state.rawValue, allKinds: allKinds)
        let agreement = AgreementWorkflow(id: 4, label: "LIC-4", kind: kind, state: state)
        #expect(agreement.allowedEvents.map(\.rawValue) == allowed)
        for event in AgreementWorkflow.Event.Kind.allCases where !allowed.contains(event.rawValue) {
            var copy = agreement
            let error = workflowError { _ = try copy.apply(sampleEvent(event)) }
            #expect(
                error?.description
                    == refusalText("agreement", "LIC-4", state: state.rawValue, event: event.rawValue, allowed: allowed)
            )
            #expect(copy == agreement)
        }
    }

    struct ExecutionCase: Sendable, CustomTestStringConvertible {
        let kind: Agreement.Kind
        let execution: AgreementWorkflow.Execution
        let needs: String?
        var testDescription: String { "\(kind.rawValue): \(needs ?? "ok")" }
    }

    static let day = date("2025-05-20")

    @Test(
        "executing needs counterparties, rights covered and financial terms (by kind)",
        arguments: [
            ExecutionCase(
                kind: .exclusiveLicence,
                execution: .init(on: day, counterparties: [], rightsCovered: [], financialTerms: nil),
                needs: "counterparties, the rights covered and financial terms"),
            ExecutionCase(
                kind: .nonExclusiveLicence,
                execution: .init(on: day, counterparties: [7], rightsCovered: [11], financialTerms: FinancialTerms()),
                needs: "financial terms"),
            ExecutionCase(
                kind: .option,
                execution: .init(on: day, counterparties: [7], rightsCovered: [], financialTerms: sampleTerms),
                needs: "the rights covered"),
            ExecutionCase(
                kind: .sponsoredResearch,
                execution: .init(on: day, counterparties: [7], rightsCovered: [], financialTerms: nil),
                needs: "financial terms"),
            ExecutionCase(
                kind: .sponsoredResearch,
                execution: .init(on: day, counterparties: [7], rightsCovered: [], financialTerms: sampleTerms),
                needs: nil),
            ExecutionCase(
                kind: .nda, execution: .init(on: day, counterparties: [], rightsCovered: [], financialTerms: nil),
                needs: "counterparties"),
            ExecutionCase(
                kind: .mta, execution: .init(on: day, counterparties: [7], rightsCovered: [], financialTerms: nil),
                needs: nil),
            ExecutionCase(
                kind: .spinOffEquity,
                execution: .init(
                    on: day, counterparties: [7], rightsCovered: [11],
                    financialTerms: FinancialTerms(equity: Equity(percentage: 1_500))),
                needs: nil),
        ])
    func executionGuard(_ testCase: ExecutionCase) {
        var agreement = AgreementWorkflow(id: 4, label: "LIC-4", kind: testCase.kind)
        let error = workflowError { _ = try agreement.apply(.execute(testCase.execution)) }
        if let needs = testCase.needs {
            #expect(error?.description == "agreement LIC-4 is 'draft'; 'execute' needs \(needs)")
            #expect(agreement.state == .draft)
        } else {
            #expect(error == nil)
            #expect(agreement.state == .executed)
        }
    }

    @Test func exercisingAnOptionCreatesTheLicence() throws {
        var option = AgreementWorkflow(id: 4, label: "OPT-4", kind: .option, state: .active)
        let effects = try option.apply(.exerciseOption(on: date("2026-02-01"), licence: .nonExclusiveLicence))
        #expect(option.state == .exercised)
        #expect(
            effects.contains(.createLicence(fromOption: 4, kind: .nonExclusiveLicence, effectiveOn: date("2026-02-01")))
        )
        #expect(effects.contains(.recomputeDeadlines(for: .agreement(4))))
    }

    @Test func anOptionIsExercisedIntoALicenceOnly() {
        var option = AgreementWorkflow(id: 4, label: "OPT-4", kind: .option, state: .active)
        let error = workflowError {
            _ = try option.apply(.exerciseOption(on: date("2026-02-01"), licence: .assignment))
        }
        #expect(
            error?.description
                == "agreement OPT-4 is 'active'; 'exercise-option' needs a licence kind to grant (exclusive or non-exclusive), not 'assignment'"
        )
    }

    @Test func defaultNotifiesAndSchedulesTheEndOfTheCurePeriod() throws {
        var licence = AgreementWorkflow(id: 4, label: "LIC-4", kind: .exclusiveLicence, state: .active)
        let effects = try licence.apply(
            .declareDefault(on: date("2025-07-01"), reason: .missedPayment, cureBy: date("2025-07-31")))
        #expect(licence.state == .inDefault)
        #expect(
            effects.contains(
                .scheduleFollowUp(for: .agreement(4), on: date("2025-07-31"), reason: "end of the cure period")))
        let notices = effects.compactMap { effect -> Notice? in
            if case .notify(let notice) = effect { return notice }
            return nil
        }
        #expect(
            notices.map(\.message) == [
                "exclusive licence LIC-4 in default since 2025-07-01: missed-payment; cure by 2025-07-31"
            ])
    }

    @Test func activationSchedulesTheObligations() throws {
        var licence = AgreementWorkflow(id: 4, kind: .exclusiveLicence, state: .executed)
        #expect(try licence.apply(.activate(on: date("2025-06-01"))) == [.scheduleDeadlines(for: .agreement(4))])
    }

    @Test func theEntityExecutesWithItsOwnTermsAndRecordsTheDate() throws {
        var agreement = Agreement(
            id: 4, office: 1, reference: "LIC-4", kind: .exclusiveLicence, counterparties: [7], rightsCovered: [11],
            territory: Territory(countries: [.kazakhstan, .russia]), financialTerms: sampleTerms,
            obligations: [.royaltyReports(every: .quarterly, dueWithinDays: 30)])
        _ = try agreement.apply(agreement.execution(on: date("2025-05-20")))
        #expect(agreement.state == .executed)
        #expect(agreement.executedOn == date("2025-05-20"))
        var unsigned = Agreement(id: 5, office: 1, reference: "LIC-5", kind: .exclusiveLicence)
        let error = workflowError { _ = try unsigned.apply(unsigned.execution(on: date("2025-05-20"))) }
        #expect(error?.missing == ["counterparties", "the rights covered", "financial terms"])
        #expect(unsigned.state == .draft && unsigned.executedOn == nil)
    }

    @Test("replaying the history equals applying it step by step", arguments: Agreement.Kind.allCases)
    func replayEqualsIncremental(_ kind: Agreement.Kind) throws {
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<100 {
            let start = AgreementWorkflow(id: 4, label: "LIC-4", kind: kind)
            let history = randomRun(from: start, steps: 12, using: &generator, sample: sampleEvent)
            var incremental = start
            for event in history { _ = try incremental.apply(event) }
            #expect(try start.replaying(history) == incremental)
        }
    }

    @Test func eventsRoundTripThroughJSONWithStableKeys() throws {
        for kind in AgreementWorkflow.Event.Kind.allCases {
            let event = sampleEvent(kind)
            let data = try JSONEncoder().encode(event)
            #expect(String(decoding: data, as: UTF8.self).contains("\"\(kind.rawValue)\""))
            #expect(try JSONDecoder().decode(AgreementWorkflow.Event.self, from: data) == event)
        }
    }
}
