extension RightWorkflow.Event.Kind {
    /// The shared event vocabulary's kind for this workflow event; `nil` for `entered-into-force`,
    /// which the deadline rules do not use.
    public var rightEventKind: RightEventKind? { RightEventKind(rawValue: rawValue) }

    /// The workflow event kind for a shared event kind; `nil` for docket-only events (priority,
    /// office actions, fees paid …) that do not move a right's state.
    public init?(_ kind: RightEventKind) {
        switch kind {
        case .filed: self = .filed
        case .published: self = .published
        case .examinationRequested: self = .examinationRequested
        case .allowed: self = .allowed
        case .granted: self = .granted
        case .expired: self = .expired
        case .lapsed: self = .lapsed
        case .restored: self = .restored
        case .lapseRescinded: self = .lapseRescinded
        case .abandoned: self = .abandoned
        case .withdrawn: self = .withdrawn
        case .refused: self = .refused
        case .revoked: self = .revoked
        case .nationalPhaseEntered: self = .nationalPhaseEntered
        case .priority, .pctFiled, .searchReport, .searchReportTransmitted, .formalExaminationNotice,
            .examinationFeePaid, .officeAction, .responseFiled, .extensionRequested, .demandFiled,
            .grantDecision, .grantFeePaid, .annuityPaid, .nonProvisionalFiled, .renewalRequested,
            .useDeclarationFiled, .authorDied:
            return nil
        }
    }
}

extension RightWorkflow.Event {
    /// The event as the deadline engine sees it (application and registration numbers, and the
    /// offices entered, go in `reference`); `nil` for `entered-into-force` and for a `filed` or
    /// `granted` without its date.
    public var rightEvent: RightEvent? {
        guard let eventKind = kind.rightEventKind, let date else { return nil }
        switch self {
        case .filed(_, let number):
            return RightEvent(eventKind, on: date, reference: number)
        case .granted(_, let number):
            return RightEvent(eventKind, on: date, reference: number)
        case .nationalPhaseEntered(_, let entries):
            return RightEvent(eventKind, on: date, reference: entries.map(\.jurisdiction.code).joined(separator: ", "))
        case .published, .examinationRequested, .allowed, .enteredIntoForce, .expired, .lapsed, .restored,
            .lapseRescinded, .abandoned, .withdrawn, .refused, .revoked:
            return RightEvent(eventKind, on: date)
        }
    }

    /// The workflow event for a recorded right event: `reference` supplies the application number
    /// of `filed` and the registration number of `granted`; `restorableUntil` the end of the
    /// restoration period of `lapsed`.
    ///
    /// `nil` for docket-only events, and for `national-phase-entered`, whose workflow event
    /// needs the list of offices entered (build ``nationalPhaseEntered(on:entries:)`` directly).
    public init?(_ event: RightEvent, restorableUntil: CivilDate? = nil) {
        guard let kind = RightWorkflow.Event.Kind(event.kind) else { return nil }
        let date = event.date
        switch kind {
        case .filed: self = .filed(on: date, applicationNumber: event.reference)
        case .published: self = .published(on: date)
        case .examinationRequested: self = .examinationRequested(on: date)
        case .allowed: self = .allowed(on: date)
        case .granted: self = .granted(on: date, registrationNumber: event.reference)
        case .enteredIntoForce: self = .enteredIntoForce(on: date)
        case .expired: self = .expired(on: date)
        case .lapsed: self = .lapsed(on: date, restorableUntil: restorableUntil)
        case .restored: self = .restored(on: date)
        case .lapseRescinded: self = .lapseRescinded(on: date, reason: event.reference ?? "the missed fee was paid in time")
        case .abandoned: self = .abandoned(on: date)
        case .withdrawn: self = .withdrawn(on: date)
        case .refused: self = .refused(on: date)
        case .revoked: self = .revoked(on: date)
        case .nationalPhaseEntered: return nil
        }
    }
}
