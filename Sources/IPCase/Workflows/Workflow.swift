/// A workflow state machine: a value type with a `state`, the events allowed in it, and
/// `apply(_:)`, which moves to the next state and returns the effects to carry out (as data:
/// the machines do no I/O).
///
/// ```swift
/// var deal = DealWorkflow(id: 12, label: "D-12")
/// let effects = try deal.apply(.makeContact)   // deal.state == .contacted
/// try deal.apply(.executeAgreement(kind: .exclusiveLicence))
/// // throws: deal D-12 is 'contacted'; 'execute-agreement' is not allowed; allowed: start-evaluation, lose, withdraw
/// ```
///
/// Every applied event is stored append-only; ``replaying(_:)`` derives the state from that history.
public protocol Workflow: Sendable {
    /// The states, with stable kebab-case raw values.
    associatedtype State: RawRepresentable, CaseIterable, Hashable, Sendable, Codable where State.RawValue == String
    /// The events, each with its data.
    associatedtype Event: WorkflowEvent

    /// Which machine this is, for error messages.
    static var machine: WorkflowError.Machine { get }
    /// The current state.
    var state: State { get }
    /// How the record is named in messages: its reference (e.g. `D-12`) or `#id`.
    var recordLabel: String { get }
    /// The events allowed in the current state, in declaration order.
    var allowedEvents: [Event.Kind] { get }
    /// Applies `event`: checks that it is allowed and its guards hold, moves to the next state
    /// and returns the effects to carry out.
    /// - Throws: ``WorkflowError`` naming the state, the event and the allowed events, or what is missing.
    mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect]
}

/// An event of a workflow: its data, and a kind with a stable kebab-case raw value.
public protocol WorkflowEvent: Hashable, Sendable, Codable {
    /// The kinds of event, with stable kebab-case raw values.
    associatedtype Kind: RawRepresentable, CaseIterable, Hashable, Sendable, Codable where Kind.RawValue == String
    /// The kind of this event.
    var kind: Kind { get }
}

extension Workflow {
    /// Whether an event of `kind` is allowed in the current state (its guards may still refuse it).
    public func allows(_ kind: Event.Kind) -> Bool { allowedEvents.contains(kind) }

    /// Whether no event is allowed any more.
    public var isFinal: Bool { allowedEvents.isEmpty }

    /// Applies every event of `history` in order, discarding the effects (already carried out).
    public mutating func replay(_ history: some Sequence<Event>) throws(WorkflowError) {
        for event in history { _ = try apply(event) }
    }

    /// This machine after applying every event of `history` in order: the state derived from a
    /// stored history. Start from a new machine (its initial state) to rebuild a record's state.
    public func replaying(_ history: some Sequence<Event>) throws(WorkflowError) -> Self {
        var copy = self
        try copy.replay(history)
        return copy
    }

    /// The error for an event not allowed in the current state.
    func refusal(_ kind: Event.Kind) -> WorkflowError {
        WorkflowError(
            machine: Self.machine, record: recordLabel, state: state.rawValue, event: kind.rawValue,
            allowed: allowedEvents.map(\.rawValue), reason: .notAllowed)
    }

    /// The error for an allowed event whose guard failed; `missing` completes "needs …".
    func guardFailure(_ kind: Event.Kind, missing: [String]) -> WorkflowError {
        WorkflowError(
            machine: Self.machine, record: recordLabel, state: state.rawValue, event: kind.rawValue,
            allowed: allowedEvents.map(\.rawValue), reason: .guardFailed(missing: missing))
    }
}
