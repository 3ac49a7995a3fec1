extension Disclosure {
    /// The disclosure's workflow in its current state.
    public var workflow: DisclosureWorkflow {
        DisclosureWorkflow(id: id, label: reference, state: state, reviewOn: reviewOn)
    }

    /// The `start-assessment` event with the disclosure's current inventors.
    public var startAssessment: DisclosureWorkflow.Event { .startAssessment(inventors: inventors) }

    /// Applies a workflow event and records its facts (state, review date, confirmed inventors).
    /// On error nothing changes.
    public mutating func apply(_ event: DisclosureWorkflow.Event) throws(WorkflowError) -> [WorkflowEffect] {
        var machine = workflow
        let effects = try machine.apply(event)
        state = machine.state
        reviewOn = machine.reviewOn
        switch event {
        case .startAssessment(let confirmed): inventors = confirmed
        case .approveForProtection, .putOnHold, .resumeAssessment, .releaseToInventors, .abandon: break
        }
        return effects
    }
}

extension Right {
    /// The right's workflow in its current state.
    public var workflow: RightWorkflow {
        RightWorkflow(id: id, label: reference, kind: kind, state: state, restorableUntil: restorableUntil)
    }

    /// Applies a workflow event and records its facts (state, filing and grant data, publication
    /// date, restoration deadline). On error nothing changes.
    public mutating func apply(_ event: RightWorkflow.Event) throws(WorkflowError) -> [WorkflowEffect] {
        var machine = workflow
        let effects = try machine.apply(event)
        state = machine.state
        restorableUntil = machine.restorableUntil
        switch event {
        case .filed(let date, let number):
            filingDate = date
            applicationNumber = number
        case .published(let date):
            publicationDate = date
        case .granted(let date, let number):
            grantDate = date
            registrationNumber = number
        case .examinationRequested, .allowed, .enteredIntoForce, .expired, .lapsed, .restored, .lapseRescinded, .abandoned,
            .withdrawn, .refused, .revoked, .nationalPhaseEntered:
            break
        }
        return effects
    }
}

extension Deal {
    /// The deal's workflow in its current state.
    public var workflow: DealWorkflow { DealWorkflow(id: id, label: reference, state: state) }

    /// Applies a workflow event and records the new state. On error nothing changes.
    public mutating func apply(_ event: DealWorkflow.Event) throws(WorkflowError) -> [WorkflowEffect] {
        var machine = workflow
        let effects = try machine.apply(event)
        state = machine.state
        return effects
    }
}

extension Agreement {
    /// The agreement's workflow in its current state.
    public var workflow: AgreementWorkflow { AgreementWorkflow(id: id, label: reference, kind: kind, state: state) }

    /// The `execute` event with the agreement's counterparties, rights covered and financial terms.
    public func execution(on date: CivilDate) -> AgreementWorkflow.Event {
        .execute(
            .init(
                on: date, counterparties: counterparties, rightsCovered: rightsCovered, financialTerms: financialTerms))
    }

    /// Applies a workflow event and records its facts (state, execution date and the terms
    /// signed; the end of the term when it expires, is terminated, exercised or lapses). On error
    /// nothing changes.
    public mutating func apply(_ event: AgreementWorkflow.Event) throws(WorkflowError) -> [WorkflowEffect] {
        var machine = workflow
        let effects = try machine.apply(event)
        state = machine.state
        switch event {
        case .execute(let execution):
            executedOn = execution.date
            counterparties = execution.counterparties
            rightsCovered = execution.rightsCovered
            financialTerms = execution.financialTerms
        case .activate(let date):
            if term.startsOn == nil { term.startsOn = date }
        case .expire(let date), .terminate(let date, _), .exerciseOption(let date, _), .lapseOption(let date):
            // The term ends with the agreement: obligations stop running after this day.
            if term.endsOn.map({ date < $0 }) ?? true, term.startsOn.map({ date >= $0 }) ?? true {
                term.endsOn = date
            }
        case .declareDefault, .cure, .reinstate:
            break
        }
        return effects
    }
}
