import Foundation
import IPCase
import Testing

/// Patents, utility models, designs, trademarks, selection achievements.
let ordinaryRightTable: [Transition] = [
    Transition("draft", "filed", "filed"),
    Transition("draft", "abandoned", "abandoned"),
    Transition("filed", "published", "published"),
    Transition("filed", "examination-requested", "under-examination"),
    Transition("filed", "allowed", "allowed"),
    Transition("filed", "abandoned", "abandoned"),
    Transition("filed", "withdrawn", "withdrawn"),
    Transition("filed", "refused", "refused"),
    Transition("published", "examination-requested", "under-examination"),
    Transition("published", "allowed", "allowed"),
    Transition("published", "abandoned", "abandoned"),
    Transition("published", "withdrawn", "withdrawn"),
    Transition("published", "refused", "refused"),
    Transition("under-examination", "published", "under-examination"),
    Transition("under-examination", "allowed", "allowed"),
    Transition("under-examination", "abandoned", "abandoned"),
    Transition("under-examination", "withdrawn", "withdrawn"),
    Transition("under-examination", "refused", "refused"),
    Transition("allowed", "published", "allowed"),
    Transition("allowed", "granted", "granted"),
    Transition("allowed", "abandoned", "abandoned"),
    Transition("allowed", "withdrawn", "withdrawn"),
    Transition("granted", "entered-into-force", "in-force"),
    Transition("granted", "lapsed", "lapsed"),
    Transition("granted", "abandoned", "abandoned"),
    Transition("granted", "revoked", "revoked"),
    Transition("in-force", "expired", "expired"),
    Transition("in-force", "lapsed", "lapsed"),
    Transition("in-force", "abandoned", "abandoned"),
    Transition("in-force", "revoked", "revoked"),
    Transition("lapsed", "restored", "in-force"),
    Transition("lapsed", "lapse-rescinded", "in-force"),
    Transition("lapsed", "expired", "expired"),
]

/// A PCT international application.
let pctRightTable: [Transition] = [
    Transition("draft", "filed", "filed"),
    Transition("draft", "abandoned", "abandoned"),
    Transition("filed", "published", "published"),
    Transition("filed", "national-phase-entered", "national-phase-entered"),
    Transition("filed", "abandoned", "abandoned"),
    Transition("filed", "withdrawn", "withdrawn"),
    Transition("published", "national-phase-entered", "national-phase-entered"),
    Transition("published", "abandoned", "abandoned"),
    Transition("published", "withdrawn", "withdrawn"),
    Transition("national-phase-entered", "national-phase-entered", "national-phase-entered"),
]

/// A US provisional application.
let provisionalRightTable: [Transition] = [
    Transition("draft", "filed", "filed"),
    Transition("draft", "abandoned", "abandoned"),
    Transition("filed", "expired", "expired"),
    Transition("filed", "abandoned", "abandoned"),
    Transition("filed", "withdrawn", "withdrawn"),
]

/// Software, databases and other works: the state register of objects of copyright.
let copyrightRightTable: [Transition] = [
    Transition("draft", "filed", "submitted"),
    Transition("draft", "abandoned", "abandoned"),
    Transition("submitted", "granted", "registered"),
    Transition("submitted", "refused", "refused"),
    Transition("submitted", "withdrawn", "withdrawn"),
    Transition("submitted", "abandoned", "abandoned"),
    Transition("registered", "expired", "expired"),
    Transition("registered", "revoked", "revoked"),
]

/// Know-how kept as a trade secret.
let knowHowRightTable: [Transition] = [
    Transition("draft", "entered-into-force", "in-force"),
    Transition("draft", "abandoned", "abandoned"),
    Transition("in-force", "abandoned", "abandoned"),
    Transition("in-force", "expired", "expired"),
]

func rightTable(for kind: RightKind) -> [Transition] {
    switch kind {
    case .pctApplication: pctRightTable
    case .provisional: provisionalRightTable
    case .patent, .utilityModel, .design, .trademark, .selectionAchievement: ordinaryRightTable
    case .software, .database, .work: copyrightRightTable
    case .knowHow: knowHowRightTable
    }
}

@Suite("Right workflow")
struct WorkflowRightTests {
    let allKinds = RightWorkflow.Event.Kind.allCases.map(\.rawValue)

    static let rows: [(RightKind, Transition)] = RightKind.allCases.flatMap { kind in
        rightTable(for: kind).map { (kind, $0) }
    }

    @Test("every listed transition is allowed and reaches its state", arguments: rows)
    func allowedTransitionReachesItsState(_ kind: RightKind, _ row: Transition) throws {
        var right = RightWorkflow(
            id: 7, label: "KZ-7", kind: kind, state: try #require(RightWorkflow.State(rawValue: row.from)),
            restorableUntil: date("2028-03-14"))
        _ = try right.apply(sampleEvent(try #require(RightWorkflow.Event.Kind(rawValue: row.event))))
        #expect(right.state.rawValue == row.to)
    }

    @Test(
        "every other event is refused, naming the state, the event and the allowed events",
        arguments: RightKind.allCases, RightWorkflow.State.allCases)
    func unlistedEventsAreRefused(_ kind: RightKind, _ state: RightWorkflow.State) {
        let allowed = expectedAllowed(rightTable(for: kind), state: state.rawValue, allKinds: allKinds)
        let right = RightWorkflow(id: 7, label: "KZ-7", kind: kind, state: state, restorableUntil: date("2028-03-14"))
        #expect(right.allowedEvents.map(\.rawValue) == allowed)
        for event in RightWorkflow.Event.Kind.allCases where !allowed.contains(event.rawValue) {
            var copy = right
            let error = workflowError { _ = try copy.apply(sampleEvent(event)) }
            #expect(
                error?.description
                    == refusalText("right", "KZ-7", state: state.rawValue, event: event.rawValue, allowed: allowed))
            #expect(copy == right)
        }
    }

    @Test func grantingADraftIsRefusedWithWhatIsAllowed() {
        var right = RightWorkflow(id: 7, label: "KZ-7", kind: .patent)
        let error = workflowError { _ = try right.apply(.granted(on: date("2025-01-10"), registrationNumber: "1")) }
        #expect(error?.description == "right KZ-7 is 'draft'; 'granted' is not allowed; allowed: filed, abandoned")
    }

    struct GuardCase: Sendable, CustomTestStringConvertible {
        let state: RightWorkflow.State
        let event: RightWorkflow.Event
        let text: String
        var testDescription: String { text }
    }

    @Test(
        "filing needs a date and an application number; grant needs a date and a number",
        arguments: [
            GuardCase(
                state: .draft, event: .filed(on: nil, applicationNumber: nil),
                text: "right KZ-7 is 'draft'; 'filed' needs a filing date and an application number"),
            GuardCase(
                state: .draft, event: .filed(on: date("2025-03-14"), applicationNumber: nil),
                text: "right KZ-7 is 'draft'; 'filed' needs an application number"),
            GuardCase(
                state: .draft, event: .filed(on: date("2025-03-14"), applicationNumber: "  "),
                text: "right KZ-7 is 'draft'; 'filed' needs an application number"),
            GuardCase(
                state: .draft, event: .filed(on: nil, applicationNumber: "2025/0123.1"),
                text: "right KZ-7 is 'draft'; 'filed' needs a filing date"),
            GuardCase(
                state: .allowed, event: .granted(on: nil, registrationNumber: nil),
                text: "right KZ-7 is 'allowed'; 'granted' needs a grant date and a registration number"),
            GuardCase(
                state: .allowed, event: .granted(on: date("2026-01-20"), registrationNumber: ""),
                text: "right KZ-7 is 'allowed'; 'granted' needs a registration number"),
        ])
    func filingAndGrantGuards(_ testCase: GuardCase) {
        var right = RightWorkflow(id: 7, label: "KZ-7", kind: .patent, state: testCase.state)
        let error = workflowError { _ = try right.apply(testCase.event) }
        #expect(error?.description == testCase.text)
        #expect(right.state == testCase.state)
    }

    @Test func aLapsedRightIsRestorableWhileTheRestorationPeriodRuns() throws {
        // KZ: restorable within three years of the missed payment deadline.
        var right = RightWorkflow(id: 7, label: "KZ-7", kind: .patent, state: .inForce)
        let effects = try right.apply(.lapsed(on: date("2026-03-15"), restorableUntil: date("2029-03-15")))
        #expect(right.state == .lapsed)
        #expect(right.restorableUntil == date("2029-03-15"))
        #expect(
            effects.contains(
                .notify(
                    Notice(
                        subject: .right(7), audience: [.office, .responsibleAttorney],
                        message: "right KZ-7 lapsed on 2026-03-15; restorable until 2029-03-15"))))

        var late = right
        let error = workflowError { _ = try late.apply(.restored(on: date("2029-03-16"))) }
        #expect(
            error?.description
                == "right KZ-7 is 'lapsed'; 'restored' needs a date within the restoration period, which ended on 2029-03-15"
        )
        #expect(late.state == .lapsed)

        _ = try right.apply(.restored(on: date("2029-03-15")))
        #expect(right.state == .inForce)
        #expect(right.restorableUntil == nil)
    }

    @Test func aLapseWithoutRestorationPeriodCannotBeRestored() throws {
        var right = RightWorkflow(id: 7, label: "KZ-7", kind: .patent, state: .granted)
        _ = try right.apply(.lapsed(on: date("2026-03-15"), restorableUntil: nil))
        let error = workflowError { _ = try right.apply(.restored(on: date("2026-04-01"))) }
        #expect(
            error?.description
                == "right KZ-7 is 'lapsed'; 'restored' needs a restoration period (none was recorded when it lapsed)")
        #expect(right.allowedEvents.map(\.rawValue) == ["expired", "restored", "lapse-rescinded"])
    }

    @Test func enteringTheNationalPhaseCreatesTheNationalRights() throws {
        var pct = RightWorkflow(id: 9, label: "PCT/KZ2024/000001", kind: .pctApplication, state: .published)
        let entries = [
            NationalPhaseEntry(.kazakhstan), NationalPhaseEntry(.eurasian),
            NationalPhaseEntry(.russia, kind: .utilityModel),
        ]
        let effects = try pct.apply(.nationalPhaseEntered(on: date("2026-09-14"), entries: entries))
        #expect(pct.state == .nationalPhaseEntered)
        #expect(effects.contains(.createNationalRights(fromPCT: 9, entries: entries, enteredOn: date("2026-09-14"))))
        // A later entry (EP at 31 months) creates more.
        let later = try pct.apply(
            .nationalPhaseEntered(on: date("2026-10-14"), entries: [NationalPhaseEntry(.european)]))
        #expect(
            later.contains(
                .createNationalRights(
                    fromPCT: 9, entries: [NationalPhaseEntry(.european)], enteredOn: date("2026-10-14"))))
    }

    @Test func aNationalPhaseEntryNeedsANationalOffice() {
        var pct = RightWorkflow(id: 9, label: "PCT-9", kind: .pctApplication, state: .filed)
        let none = workflowError { _ = try pct.apply(.nationalPhaseEntered(on: date("2026-09-14"), entries: [])) }
        #expect(
            none?.description
                == "right PCT-9 is 'filed'; 'national-phase-entered' needs at least one national or regional office entered"
        )
        let wo = workflowError {
            _ = try pct.apply(.nationalPhaseEntered(on: date("2026-09-14"), entries: [NationalPhaseEntry(.pct)]))
        }
        #expect(wo?.missing == ["national or regional entries only (WO patent is international)"])
    }

    @Test func filingSchedulesDeadlinesAndLaterEventsRecomputeThem() throws {
        var right = RightWorkflow(id: 7, kind: .utilityModel)
        #expect(
            try right.apply(.filed(on: date("2025-03-14"), applicationNumber: "2025/0456.2")) == [
                .scheduleDeadlines(for: .right(7))
            ])
        #expect(try right.apply(.examinationRequested(on: date("2025-04-01"))) == [.recomputeDeadlines(for: .right(7))])
    }

    @Test func workflowEventKindsShareTheSpellingOfRightEventKinds() {
        for kind in RightWorkflow.Event.Kind.allCases {
            if let shared = kind.rightEventKind {
                #expect(shared.rawValue == kind.rawValue)
                #expect(RightWorkflow.Event.Kind(shared) == kind)
            } else {
                #expect(kind == .enteredIntoForce)
            }
        }
        #expect(RightWorkflow.Event.Kind(.annuityPaid) == nil)
        #expect(RightWorkflow.Event.Kind(.officeAction) == nil)
    }

    @Test func recordedRightEventsBecomeWorkflowEventsAndBack() throws {
        let filed = RightEvent(.filed, on: date("2025-03-14"), reference: "2025/0123.1")
        let event = try #require(RightWorkflow.Event(filed))
        #expect(event == .filed(on: date("2025-03-14"), applicationNumber: "2025/0123.1"))
        #expect(event.rightEvent == filed)
        let lapsed = try #require(
            RightWorkflow.Event(RightEvent(.lapsed, on: date("2026-03-15")), restorableUntil: date("2029-03-15")))
        #expect(lapsed == .lapsed(on: date("2026-03-15"), restorableUntil: date("2029-03-15")))
        #expect(RightWorkflow.Event(RightEvent(.annuityPaid, on: date("2026-03-01"), year: 4)) == nil)
        #expect(RightWorkflow.Event.enteredIntoForce(on: date("2026-02-01")).rightEvent == nil)
        for kind in RightWorkflow.Event.Kind.allCases where kind != .enteredIntoForce {
            #expect(sampleEvent(kind).rightEvent?.kind == kind.rightEventKind)
        }
    }

    @Test func theEntityRecordsFilingPublicationAndGrantData() throws {
        var right = Right(
            id: 7, office: 1, reference: "KZ-7", title: "Sorbent", jurisdiction: .kazakhstan, kind: .patent)
        _ = try right.apply(.filed(on: date("2025-03-14"), applicationNumber: "2025/0123.1"))
        _ = try right.apply(.published(on: date("2026-09-20")))
        _ = try right.apply(.examinationRequested(on: date("2025-06-01")))
        _ = try right.apply(.allowed(on: date("2027-01-10")))
        _ = try right.apply(.granted(on: date("2027-03-01"), registrationNumber: "36912"))
        #expect(right.state == .granted)
        #expect(right.filingDate == date("2025-03-14") && right.applicationNumber == "2025/0123.1")
        #expect(right.publicationDate == date("2026-09-20"))
        #expect(right.grantDate == date("2027-03-01") && right.registrationNumber == "36912")
        let before = right
        let error = workflowError { _ = try right.apply(.restored(on: date("2027-04-01"))) }
        #expect(error != nil)
        #expect(right == before)
    }

    @Test("replaying the history equals applying it step by step", arguments: RightKind.allCases)
    func replayEqualsIncremental(_ kind: RightKind) throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            let start = RightWorkflow(id: 7, label: "KZ-7", kind: kind)
            let history = randomRun(from: start, steps: 12, using: &generator, sample: sampleEvent)
            var incremental = start
            for event in history { _ = try incremental.apply(event) }
            #expect(try start.replaying(history) == incremental)
        }
    }

    @Test func eventsRoundTripThroughJSONWithStableKeys() throws {
        for kind in RightWorkflow.Event.Kind.allCases {
            let event = sampleEvent(kind)
            let data = try JSONEncoder().encode(event)
            #expect(String(decoding: data, as: UTF8.self).contains("\"\(kind.rawValue)\""))
            #expect(try JSONDecoder().decode(RightWorkflow.Event.self, from: data) == event)
        }
    }
}
