import IPCase

/// The history of one right being generated: steps up to `asOf` only (later ones are the future).
struct RightTrack {
    let asOf: CivilDate
    var steps: [RightStep] = []
    /// The kind of the latest workflow event recorded.
    private(set) var lastWorkflowKind: RightWorkflow.Event.Kind?
    /// Whether every office action recorded so far has a response after it.
    private(set) var actionsAnswered = true
    /// Whether the steps were recorded in date order (then no sorting is needed).
    private var inOrder = true

    init(asOf: CivilDate) {
        self.asOf = asOf
        steps.reserveCapacity(24)
    }

    /// Records a workflow event if it has happened by `asOf`; returns whether it was recorded.
    @discardableResult
    mutating func flow(_ proposed: RightWorkflow.Event) -> Bool {
        let event = Self.onWorkday(proposed)
        let date = event.date!
        guard date <= asOf else { return false }
        if let last = steps.last, last.date > date { inOrder = false }
        steps.append(.workflow(event))
        lastWorkflowKind = event.kind
        return true
    }

    /// Records a docket-only event if it has happened by `asOf`; returns whether it was recorded.
    @discardableResult
    mutating func docket(
        _ kind: RightEventKind, _ proposed: CivilDate, year: Int? = nil, reference: String? = nil
    ) -> Bool {
        let date: CivilDate
        switch kind {
        case .priority, .pctFiled, .filed, .nationalPhaseEntered, .nonProvisionalFiled, .lapsed, .restored, .lapseRescinded, .expired, .authorDied:
            date = proposed
        case .published, .searchReport, .searchReportTransmitted, .formalExaminationNotice, .examinationRequested,
            .examinationFeePaid, .officeAction, .responseFiled, .extensionRequested, .demandFiled, .allowed,
            .grantDecision, .grantFeePaid, .granted, .annuityPaid, .renewalRequested, .useDeclarationFiled, .withdrawn, .abandoned,
            .refused, .revoked:
            date = SampleDates.workday(proposed)
        }
        guard date <= asOf else { return false }
        if let last = steps.last, last.date > date { inOrder = false }
        steps.append(.docket(RightEvent(kind, on: date, year: year, reference: reference)))
        if kind == .officeAction { actionsAnswered = false }
        if kind == .responseFiled { actionsAnswered = true }
        return true
    }

    /// The event moved to a working day, unless its date is a legal fact set elsewhere (filing
    /// and entry dates are chosen on working days where they are made; lapse, restoration and
    /// expiry dates come from the law).
    static func onWorkday(_ event: RightWorkflow.Event) -> RightWorkflow.Event {
        switch event {
        case .filed, .expired, .lapsed, .restored, .lapseRescinded, .nationalPhaseEntered:
            event
        case .published(let date): .published(on: SampleDates.workday(date))
        case .examinationRequested(let date): .examinationRequested(on: SampleDates.workday(date))
        case .allowed(let date): .allowed(on: SampleDates.workday(date))
        case .granted(let date, let number):
            .granted(on: date.map { SampleDates.workday($0) }, registrationNumber: number)
        case .enteredIntoForce(let date): .enteredIntoForce(on: SampleDates.workday(date))
        case .abandoned(let date): .abandoned(on: SampleDates.workday(date))
        case .withdrawn(let date): .withdrawn(on: SampleDates.workday(date))
        case .refused(let date): .refused(on: SampleDates.workday(date))
        case .revoked(let date): .revoked(on: SampleDates.workday(date))
        }
    }

    /// Orders the steps by date (stable), drops what follows an ending, and fills the record's
    /// state and the facts the workflow events carry, exactly as replaying them would.
    consuming func finish(_ draft: Right, ipc: [IPCSymbol], family: String?) -> SampleRight {
        var steps = self.steps
        // Stable insertion sort: histories are short and nearly ordered.
        if !inOrder {
            for index in 1..<steps.count {
                let step = steps[index]
                let date = step.date
                var position = index
                while position > 0, steps[position - 1].date > date {
                    steps[position] = steps[position - 1]
                    position -= 1
                }
                if position != index { steps[position] = step }
            }
        }
        var right = draft
        var kept = 0
        loop: for step in steps {
            switch right.state {
            case .expired, .abandoned, .withdrawn, .refused, .revoked:
                break loop
            case .draft, .filed, .published, .underExamination, .allowed, .granted, .inForce, .lapsed,
                .nationalPhaseEntered, .submitted, .registered:
                break
            }
            if case .workflow(let event) = step {
                RightTrack.record(event, in: &right)
            }
            kept += 1
        }
        if kept < steps.count { steps.removeSubrange(kept...) }
        return SampleRight(right: right, ipcSymbols: ipc, history: steps, familyReference: family)
    }

    /// The state and facts after `event` (the generator's own reckoning, which the tests check
    /// against ``RightWorkflow``).
    static func record(_ event: RightWorkflow.Event, in right: inout Right) {
        switch event {
        case .filed(let date, let number):
            // An object of copyright is submitted to its register, not filed for examination.
            right.state = right.kind.isCopyright ? .submitted : .filed
            right.filingDate = date
            right.applicationNumber = number
        case .published(let date):
            if right.state == .filed { right.state = .published }
            right.publicationDate = date
        case .examinationRequested:
            right.state = .underExamination
        case .allowed:
            right.state = .allowed
        case .granted(let date, let number):
            right.state = right.kind.isCopyright ? .registered : .granted
            right.grantDate = date
            right.registrationNumber = number
        case .enteredIntoForce:
            right.state = .inForce
        case .expired:
            right.state = .expired
            right.restorableUntil = nil
        case .lapsed(_, let until):
            right.state = .lapsed
            right.restorableUntil = until
        case .restored, .lapseRescinded:
            right.state = .inForce
            right.restorableUntil = nil
        case .abandoned:
            right.state = .abandoned
        case .withdrawn:
            right.state = .withdrawn
        case .refused:
            right.state = .refused
        case .revoked:
            right.state = .revoked
        case .nationalPhaseEntered:
            right.state = .nationalPhaseEntered
        }
    }
}
