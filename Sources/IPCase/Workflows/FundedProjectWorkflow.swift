/// A funded project (a commercialization grant) from application to its end.
///
/// ```
/// applied ──award──▶ awarded ──start──▶ active ──complete──▶ completed
/// applied ──reject──▶ rejected        awarded | active ──terminate──▶ terminated
/// ```
///
/// Guards: `terminate` and `reject` need a reason. Every transition recomputes the project's
/// deadlines (``FundedProject/obligationDeadlines()``: from the award on; a terminated project
/// keeps only those due by its end).
public struct FundedProjectWorkflow: Workflow, Hashable, Codable {
    /// Where a project is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// Applied for; not yet decided.
        case applied = "applied"
        /// The funder awarded it.
        case awarded = "awarded"
        /// Running (its stages in turn).
        case active = "active"
        /// Finished (its last reports may still be due): final.
        case completed = "completed"
        /// Ended early: final.
        case terminated = "terminated"
        /// Not awarded: final.
        case rejected = "rejected"
    }

    /// What can happen to a project.
    public enum Event: WorkflowEvent {
        /// The funder awarded it.
        case award(on: CivilDate)
        /// The funder did not award it, with why.
        case reject(on: CivilDate, reason: String)
        /// The work started.
        case start(on: CivilDate)
        /// The work is done (its final report may still be due).
        case complete(on: CivilDate)
        /// It ended early, with why.
        case terminate(on: CivilDate, reason: String)

        /// The kinds of event, with their stable spelling.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case award = "award"
            case reject = "reject"
            case start = "start"
            case complete = "complete"
            case terminate = "terminate"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .award: .award
            case .reject: .reject
            case .start: .start
            case .complete: .complete
            case .terminate: .terminate
            }
        }

        /// The day it happened.
        public var date: CivilDate {
            switch self {
            case .award(let day), .reject(let day, _), .start(let day), .complete(let day), .terminate(let day, _): day
            }
        }
    }

    public static let machine = WorkflowError.Machine.fundedProject

    /// The project's key.
    public let id: Int64
    /// Its label for messages, e.g. its reference.
    public var label: String?
    /// The current state.
    public private(set) var state: State

    /// A machine for a project, by default applied.
    public init(id: Int64, label: String? = nil, state: State = .applied) {
        self.id = id
        self.label = label
        self.state = state
    }

    public var recordLabel: String { label ?? "#\(id)" }

    /// The events allowed in `state`.
    public static func allowed(in state: State) -> [Event.Kind] {
        switch state {
        case .applied: [.award, .reject]
        case .awarded: [.start, .terminate]
        case .active: [.complete, .terminate]
        case .completed, .terminated, .rejected: []
        }
    }

    public var allowedEvents: [Event.Kind] { Self.allowed(in: state) }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard allows(event.kind) else { throw refusal(event.kind) }
        switch event {
        case .award: state = .awarded
        case .reject(_, let reason):
            guard !reason.allSatisfy(\.isWhitespace) else { throw guardFailure(event.kind, missing: ["a reason"]) }
            state = .rejected
        case .start: state = .active
        case .complete: state = .completed
        case .terminate(_, let reason):
            guard !reason.allSatisfy(\.isWhitespace) else { throw guardFailure(event.kind, missing: ["a reason"]) }
            state = .terminated
        }
        return [.recomputeDeadlines(for: .project(ID(id)))]
    }
}
