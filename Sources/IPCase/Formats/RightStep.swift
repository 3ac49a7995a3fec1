/// One step of a right's history — a workflow event or a docket-only event — as a row of
/// `events.csv` (``RecordFile/events``) spells it.
public enum RightStep: Hashable, Sendable {
    /// An event of `RightWorkflow` (filed, published, granted, lapsed …).
    case workflow(RightWorkflow.Event)
    /// An event that does not move the state: priority, PCT filing, office action, response,
    /// fee paid, national phase entered (on a national right) …
    case docket(RightEvent)

    /// The date of the step.
    public var date: CivilDate {
        switch self {
        case .workflow(let event): event.date!
        case .docket(let event): event.date
        }
    }

    /// The step as the deadline engine sees it; `nil` for `entered-into-force`, which has no
    /// `RightEventKind`. A `lapsed` step keeps its restoration deadline only in the workflow event.
    public var rightEvent: RightEvent? {
        switch self {
        case .workflow(let event): event.rightEvent
        case .docket(let event): event
        }
    }

    /// The spelling used in `events.csv`: the `RightEventKind` raw value, or `entered-into-force`.
    public var eventName: String {
        switch self {
        case .workflow(let event): event.kind.rawValue
        case .docket(let event): event.kind.rawValue
        }
    }

    /// The end of the restoration period carried by a `lapsed` step.
    public var restorableUntil: CivilDate? {
        switch self {
        case .workflow(.lapsed(_, let until)): until
        case .workflow, .docket: nil
        }
    }

    /// Rebuilds a step from a row of `events.csv` for a right of `kind`: how an import decides
    /// which rows move the state.
    ///
    /// `entered-into-force` and the state-changing kinds become workflow events, except
    /// `national-phase-entered` on anything but a PCT application, which records the entry in
    /// that office (it closes the national-phase deadline) and is docket-only. On a PCT
    /// application `reference` names the office entered. Returns `nil` for an unknown event name.
    public init?(
        event name: String, date: CivilDate, year: Int?, reference: String?, restorableUntil: CivilDate?,
        rightKind: RightKind
    ) {
        if name == RightWorkflow.Event.Kind.enteredIntoForce.rawValue {
            self = .workflow(.enteredIntoForce(on: date))
            return
        }
        guard let kind = RightEventKind(rawValue: name) else { return nil }
        let event = RightEvent(kind, on: date, year: year, reference: reference)
        if kind == .nationalPhaseEntered {
            guard rightKind == .pctApplication else {
                self = .docket(event)
                return
            }
            let entries = (reference ?? "").split(separator: ",").compactMap {
                Jurisdiction(String($0).trimmingSpaces)
            }
            self = .workflow(.nationalPhaseEntered(on: date, entries: entries.map { NationalPhaseEntry($0) }))
            return
        }
        if let workflowEvent = RightWorkflow.Event(event, restorableUntil: restorableUntil) {
            self = .workflow(workflowEvent)
        } else {
            self = .docket(event)
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
