/// A workflow event that was refused: not allowed in the current state, or allowed but a guard
/// found something missing.
///
/// Its description is safe to show to users:
/// `deal D-12 is 'negotiating'; 'execute-agreement' is not allowed; allowed: agree-term-sheet, lose, withdraw`
/// or `right KZ-7 is 'draft'; 'filed' needs a filing date and an application number`.
public struct WorkflowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The workflow that refused the event.
    public enum Machine: String, Hashable, Sendable, Codable, CaseIterable {
        case disclosure = "disclosure"
        case right = "right"
        case deal = "deal"
        case agreement = "agreement"
        case renewalDecision = "renewal-decision"
        case fundedProject = "funded-project"
    }

    /// Why the event was refused.
    public enum Reason: Hashable, Sendable {
        /// The event is not allowed in the current state.
        case notAllowed
        /// The event is allowed but lacks what the listed phrases name ("a filing date" …).
        case guardFailed(missing: [String])
    }

    /// The workflow.
    public let machine: Machine
    /// The record's label, e.g. `D-12` or `#12`.
    public let record: String
    /// The current state's raw value.
    public let state: String
    /// The refused event's raw value.
    public let event: String
    /// The raw values of the events allowed in the current state.
    public let allowed: [String]
    /// Why it was refused.
    public let reason: Reason

    /// Creates an error.
    public init(machine: Machine, record: String, state: String, event: String, allowed: [String], reason: Reason) {
        self.machine = machine
        self.record = record
        self.state = state
        self.event = event
        self.allowed = allowed
        self.reason = reason
    }

    /// What is missing, for guard failures (empty otherwise).
    public var missing: [String] {
        switch reason {
        case .notAllowed: []
        case .guardFailed(let missing): missing
        }
    }

    public var description: String {
        let head = "\(machine.rawValue) \(record) is '\(state)'; '\(event)'"
        switch reason {
        case .notAllowed:
            return "\(head) is not allowed; allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))"
        case .guardFailed(let missing):
            return "\(head) needs \(WorkflowError.list(missing))"
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ phrases: [String]) -> String {
        switch phrases.count {
        case 0: "nothing"
        case 1: phrases[0]
        default: phrases.dropLast().joined(separator: ", ") + " and " + phrases.last!
        }
    }
}
