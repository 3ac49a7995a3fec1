/// The assessment of an invention disclosure.
///
/// ```
/// received → under-assessment → {approved-for-protection, on-hold, released-to-inventors, abandoned}
/// on-hold → under-assessment
/// ```
/// Guard: `start-assessment` needs at least one inventor, each listed once with a positive
/// share, the shares summing to 100 %.
public struct DisclosureWorkflow: Workflow, Hashable, Codable {
    /// Where a disclosure is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case received = "received"
        case underAssessment = "under-assessment"
        case approvedForProtection = "approved-for-protection"
        /// Parked until a review date.
        case onHold = "on-hold"
        /// The office waives its rights; the inventors may protect the invention themselves.
        case releasedToInventors = "released-to-inventors"
        case abandoned = "abandoned"
    }

    /// What can happen to a disclosure.
    public enum Event: WorkflowEvent {
        /// Start assessing; the inventors and their shares are confirmed (and recorded in the history).
        case startAssessment(inventors: [InventorShare])
        case approveForProtection
        /// Park the disclosure until a review date.
        case putOnHold(reviewOn: CivilDate)
        case resumeAssessment
        case releaseToInventors
        case abandon

        /// The kinds of event, with their stable spelling.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case startAssessment = "start-assessment"
            case approveForProtection = "approve-for-protection"
            case putOnHold = "put-on-hold"
            case resumeAssessment = "resume-assessment"
            case releaseToInventors = "release-to-inventors"
            case abandon = "abandon"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .startAssessment: .startAssessment
            case .approveForProtection: .approveForProtection
            case .putOnHold: .putOnHold
            case .resumeAssessment: .resumeAssessment
            case .releaseToInventors: .releaseToInventors
            case .abandon: .abandon
            }
        }

        enum CodingKeys: String, CodingKey {
            case startAssessment = "start-assessment"
            case approveForProtection = "approve-for-protection"
            case putOnHold = "put-on-hold"
            case resumeAssessment = "resume-assessment"
            case releaseToInventors = "release-to-inventors"
            case abandon = "abandon"
        }
    }

    public static let machine = WorkflowError.Machine.disclosure

    /// The disclosure.
    public let id: ID<Disclosure>
    /// Its reference for messages, e.g. "D-2024-017".
    public var label: String?
    /// The current state.
    public private(set) var state: State
    /// While on hold, the review date.
    public private(set) var reviewOn: CivilDate?

    /// A machine for a disclosure, by default just received.
    public init(id: ID<Disclosure>, label: String? = nil, state: State = .received, reviewOn: CivilDate? = nil) {
        self.id = id
        self.label = label
        self.state = state
        self.reviewOn = reviewOn
    }

    public var recordLabel: String { label ?? id.description }

    /// The events allowed in `state` and the state each leads to.
    public static func transitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .received:
            [.startAssessment: .underAssessment]
        case .underAssessment:
            [
                .approveForProtection: .approvedForProtection, .putOnHold: .onHold,
                .releaseToInventors: .releasedToInventors, .abandon: .abandoned,
            ]
        case .onHold:
            [.resumeAssessment: .underAssessment]
        case .approvedForProtection, .releasedToInventors, .abandoned:
            [:]
        }
    }

    public var allowedEvents: [Event.Kind] {
        let allowed = Self.transitions(from: state)
        return Event.Kind.allCases.filter { allowed[$0] != nil }
    }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard let next = Self.transitions(from: state)[event.kind] else { throw refusal(event.kind) }
        let subject = WorkflowSubject.disclosure(id)
        let effects: [WorkflowEffect]
        switch event {
        case .startAssessment(let inventors):
            let missing = InventorShare.problems(in: inventors)
            guard missing.isEmpty else { throw guardFailure(event.kind, missing: missing) }
            effects = [.scheduleDeadlines(for: subject)]
        case .approveForProtection:
            effects = [
                .recomputeDeadlines(for: subject),
                .notify(
                    Notice(
                        subject: subject, audience: [.office, .inventors],
                        message: "disclosure \(recordLabel) approved for protection: prepare the filing")),
            ]
        case .putOnHold(let reviewOn):
            self.reviewOn = reviewOn
            effects = [.scheduleFollowUp(for: subject, on: reviewOn, reason: "review of on-hold disclosure")]
        case .resumeAssessment:
            reviewOn = nil
            effects = [.recomputeDeadlines(for: subject)]
        case .releaseToInventors:
            effects = [
                .recomputeDeadlines(for: subject),
                .notify(
                    Notice(
                        subject: subject, audience: [.office, .inventors],
                        message: "disclosure \(recordLabel) released to the inventors")),
            ]
        case .abandon:
            effects = [.recomputeDeadlines(for: subject)]
        }
        state = next
        return effects
    }
}
