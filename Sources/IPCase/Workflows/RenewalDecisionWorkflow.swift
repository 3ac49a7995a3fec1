import Foundation

/// The office's decision before a renewal fee or annuity (or a US maintenance fee) is due: keep
/// the right, drop it, offer it to the inventors, or keep it only while it is licensed.
///
/// ```
/// pending ──decide keep | keep-while-licensed──▶ instructed-pay ──paid──▶ paid
///         ──decide drop | offer-inventors─────▶ instructed-drop ──lapse (after the final date)──▶ lapsed
/// pending | instructed-pay ──last-call (due date passed unpaid, grace runs)──▶ last-call
/// last-call ──paid──▶ paid          last-call ──decide──▶ instructed-pay | instructed-drop
/// last-call ──lapse (after the final date)──▶ lapsed
/// ```
///
/// The states:
/// - `pending`: opened the lead time (90 days by default) before the due date; no choice yet.
/// - `instructed-pay`: the office chose to keep the right (`keep`, `keep-while-licensed`): the
///   fee is to be paid.
/// - `instructed-drop`: the office chose to let it go (`drop`, or `offer-inventors` when the
///   inventors did not take it up): the deadline stays open to its final date, without reminders.
/// - `last-call`: the due date passed without a payment while the grace period runs (payable
///   with the surcharge until the final date).
/// - `paid`: the fee was paid (`annuity-paid` is recorded for the right): final.
/// - `lapsed`: the final date passed unpaid: the right is abandoned: final.
///
/// Guards: a choice needs a reason; `lapse` needs the day to be after the final date.
public struct RenewalDecisionWorkflow: Workflow, Hashable, Codable {
    /// Where a decision is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// Opened, not decided.
        case pending = "pending"
        /// Decided to keep: the fee is to be paid.
        case instructedPay = "instructed-pay"
        /// Decided to drop: the right ends after the final date.
        case instructedDrop = "instructed-drop"
        /// The due date passed unpaid; the grace period runs.
        case lastCall = "last-call"
        /// The fee was paid.
        case paid = "paid"
        /// The final date passed unpaid; the right is abandoned.
        case lapsed = "lapsed"
    }

    /// What the office chose.
    public enum Choice: String, Hashable, Sendable, Codable, CaseIterable {
        /// Keep the right: pay the fee.
        case keep = "keep"
        /// Let the right go.
        case drop = "drop"
        /// Offer the right to the inventors; the office does not pay (if they do not take it up, it ends).
        case offerInventors = "offer-inventors"
        /// Keep the right while it is licensed: pay the fee.
        case keepWhileLicensed = "keep-while-licensed"

        /// Whether the fee is to be paid.
        public var pays: Bool { self == .keep || self == .keepWhileLicensed }
    }

    /// What can happen to a decision.
    public enum Event: WorkflowEvent {
        /// The office decides, with its reason.
        case decide(Choice, reason: String)
        /// The fee was paid on a day.
        case paid(on: CivilDate)
        /// The due date passed unpaid while the grace period runs.
        case lastCall(on: CivilDate)
        /// The final date passed unpaid (`on` is after it).
        case lapse(on: CivilDate)

        /// The kinds of event, with their stable spelling.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case decide = "decide"
            case paid = "paid"
            case lastCall = "last-call"
            case lapse = "lapse"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .decide: .decide
            case .paid: .paid
            case .lastCall: .lastCall
            case .lapse: .lapse
            }
        }
    }

    public static let machine = WorkflowError.Machine.renewalDecision

    /// The decision's key.
    public let id: Int64
    /// Its label for messages, e.g. `#7 (right KZ-1, year 5)`.
    public var label: String?
    /// The fee's final date (due date plus grace).
    public var finalDate: CivilDate
    /// The current state.
    public private(set) var state: State

    /// A machine for a decision, by default pending.
    public init(id: Int64, label: String? = nil, finalDate: CivilDate, state: State = .pending) {
        self.id = id
        self.label = label
        self.finalDate = finalDate
        self.state = state
    }

    public var recordLabel: String { label ?? "#\(id)" }

    /// The events allowed in `state`.
    public static func allowed(in state: State) -> [Event.Kind] {
        switch state {
        case .pending: [.decide, .lastCall]
        case .instructedPay: [.decide, .paid, .lastCall]
        case .instructedDrop: [.decide, .lapse]
        case .lastCall: [.decide, .paid, .lapse]
        case .paid, .lapsed: []
        }
    }

    public var allowedEvents: [Event.Kind] { Self.allowed(in: state) }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard allows(event.kind) else { throw refusal(event.kind) }
        switch event {
        case .decide(let choice, let reason):
            if reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw guardFailure(event.kind, missing: ["a reason"])
            }
            // In the last call a choice to pay keeps the last call (the fee is late already).
            state = choice.pays ? (state == .lastCall ? .lastCall : .instructedPay) : .instructedDrop
        case .paid:
            state = .paid
        case .lastCall:
            state = .lastCall
        case .lapse(let day):
            guard day > finalDate else {
                throw guardFailure(event.kind, missing: ["a day after the final date \(finalDate)"])
            }
            state = .lapsed
        }
        return []
    }
}
