import IPCase
import Testing

/// One expected transition, spelled with the stable raw values the CLI and the database use.
struct Transition: Sendable, CustomTestStringConvertible {
    let from: String
    let event: String
    let to: String

    init(_ from: String, _ event: String, _ to: String) {
        self.from = from
        self.event = event
        self.to = to
    }

    var testDescription: String { "\(from) --\(event)--> \(to)" }
}

/// The refusal text every machine gives for an event not allowed in a state.
func refusalText(_ machine: String, _ record: String, state: String, event: String, allowed: [String]) -> String {
    "\(machine) \(record) is '\(state)'; '\(event)' is not allowed; allowed: "
        + (allowed.isEmpty ? "none" : allowed.joined(separator: ", "))
}

/// The allowed events of `state` according to an expected table, in the order of `allKinds`.
func expectedAllowed(_ table: [Transition], state: String, allKinds: [String]) -> [String] {
    let allowed = Set(table.filter { $0.from == state }.map(\.event))
    return allKinds.filter(allowed.contains)
}

/// Runs `body` expecting a `WorkflowError` and returns it.
func workflowError(_ body: () throws -> Void) -> WorkflowError? {
    do {
        try body()
        return nil
    } catch {
        return error as? WorkflowError
    }
}

func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

/// A deterministic pseudo-random generator (SplitMix64), so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Sample events that pass every guard

func sampleEvent(_ kind: DisclosureWorkflow.Event.Kind) -> DisclosureWorkflow.Event {
    switch kind {
    case .startAssessment: .startAssessment(inventors: [InventorShare(1, 6_000), InventorShare(2, 4_000)])
    case .approveForProtection: .approveForProtection
    case .putOnHold: .putOnHold(reviewOn: date("2025-09-01"))
    case .resumeAssessment: .resumeAssessment
    case .releaseToInventors: .releaseToInventors
    case .abandon: .abandon
    }
}

func sampleEvent(_ kind: RightWorkflow.Event.Kind) -> RightWorkflow.Event {
    let day = date("2025-03-14")
    return switch kind {
    case .filed: .filed(on: day, applicationNumber: "2025/0123.1")
    case .published: .published(on: day)
    case .examinationRequested: .examinationRequested(on: day)
    case .allowed: .allowed(on: day)
    case .granted: .granted(on: day, registrationNumber: "36912")
    case .enteredIntoForce: .enteredIntoForce(on: day)
    case .expired: .expired(on: day)
    case .lapsed: .lapsed(on: day, restorableUntil: date("2028-03-14"))
    case .restored: .restored(on: day)
    case .lapseRescinded: .lapseRescinded(on: day, reason: "annuity year 5 paid 2025-03-01")
    case .abandoned: .abandoned(on: day)
    case .withdrawn: .withdrawn(on: day)
    case .refused: .refused(on: day)
    case .revoked: .revoked(on: day)
    case .nationalPhaseEntered: .nationalPhaseEntered(on: day, entries: [NationalPhaseEntry(.kazakhstan)])
    }
}

func sampleEvent(_ kind: DealWorkflow.Event.Kind) -> DealWorkflow.Event {
    switch kind {
    case .makeContact: .makeContact
    case .startEvaluation: .startEvaluation(under: .init(agreement: 3, kind: .nda))
    case .startNegotiation: .startNegotiation
    case .agreeTermSheet: .agreeTermSheet
    case .executeAgreement: .executeAgreement(kind: .exclusiveLicence)
    case .lose: .lose(reason: "chose a competing technology")
    case .withdraw: .withdraw
    }
}

let sampleTerms = FinancialTerms(
    upfront: Money(minorUnits: 500_000_00, .kzt),
    runningRoyalty: RunningRoyalty(rate: 300, base: .netSales))

func sampleEvent(_ kind: AgreementWorkflow.Event.Kind) -> AgreementWorkflow.Event {
    let day = date("2025-05-20")
    return switch kind {
    case .execute: .execute(.init(on: day, counterparties: [7], rightsCovered: [11], financialTerms: sampleTerms))
    case .activate: .activate(on: day)
    case .declareDefault: .declareDefault(on: day, reason: .missedReport, cureBy: date("2025-06-19"))
    case .cure: .cure(on: day)
    case .reinstate: .reinstate(on: day)
    case .expire: .expire(on: day)
    case .terminate: .terminate(on: day, reason: "licensee insolvent")
    case .exerciseOption: .exerciseOption(on: day, licence: .exclusiveLicence)
    case .lapseOption: .lapseOption(on: day)
    }
}

/// A random run of allowed events from a machine's initial state (guards always pass).
func randomRun<W: Workflow>(
    from start: W, steps: Int, using generator: inout SeededGenerator, sample: (W.Event.Kind) -> W.Event
) -> [W.Event] {
    var machine = start
    var events: [W.Event] = []
    for _ in 0..<steps {
        guard let kind = machine.allowedEvents.randomElement(using: &generator) else { break }
        let event = sample(kind)
        _ = try! machine.apply(event)
        events.append(event)
    }
    return events
}
