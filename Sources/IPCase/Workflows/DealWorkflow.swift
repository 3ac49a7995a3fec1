/// The commercialization pipeline from an opportunity to a signed agreement.
///
/// ```
/// identified → contacted → under-evaluation → negotiating → term-sheet-agreed → agreement-executed
///           (any state before agreement-executed) → lost | withdrawn
/// ```
/// Guards: `start-evaluation` needs an NDA or MTA in place; `execute-agreement` needs a
/// commercial agreement kind (not an NDA or MTA). Executing creates the agreement.
public struct DealWorkflow: Workflow, Hashable, Codable {
    /// Where a deal is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case identified = "identified"
        case contacted = "contacted"
        /// The counterparty evaluates the technology under an NDA or MTA.
        case underEvaluation = "under-evaluation"
        case negotiating = "negotiating"
        case termSheetAgreed = "term-sheet-agreed"
        case agreementExecuted = "agreement-executed"
        case lost = "lost"
        case withdrawn = "withdrawn"
    }

    /// The NDA or MTA under which a counterparty evaluates the technology. The store fills its
    /// kind and state from the stored agreement, whatever the caller gave.
    public struct Confidentiality: Hashable, Sendable, Codable {
        /// The agreement.
        public var agreement: ID<Agreement>
        /// Its kind (the guard wants ``Agreement/Kind/nda`` or ``Agreement/Kind/mta``).
        public var kind: Agreement.Kind
        /// Its state (the guard wants it signed: `executed` or `active`, not a draft).
        public var state: AgreementWorkflow.State

        /// Creates a reference to the agreement in place.
        public init(agreement: ID<Agreement>, kind: Agreement.Kind, state: AgreementWorkflow.State = .executed) {
            self.agreement = agreement
            self.kind = kind
            self.state = state
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            agreement = try container.decode(ID<Agreement>.self, forKey: .agreement)
            kind = try container.decode(Agreement.Kind.self, forKey: .kind)
            // Entries written before the state was kept were checked as executed.
            state = try container.decodeIfPresent(AgreementWorkflow.State.self, forKey: .state) ?? .executed
        }

        /// Whether it is signed and not ended: what an evaluation may go on under.
        public var inForce: Bool { state == .executed || state == .active }
    }

    /// What can happen to a deal.
    public enum Event: WorkflowEvent {
        case makeContact
        /// Start the evaluation under the NDA or MTA in place.
        case startEvaluation(under: Confidentiality?)
        case startNegotiation
        case agreeTermSheet
        /// Sign the agreement of the given kind.
        case executeAgreement(kind: Agreement.Kind)
        case lose(reason: String?)
        case withdraw

        /// The kinds of event, with their stable spelling.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case makeContact = "make-contact"
            case startEvaluation = "start-evaluation"
            case startNegotiation = "start-negotiation"
            case agreeTermSheet = "agree-term-sheet"
            case executeAgreement = "execute-agreement"
            case lose = "lose"
            case withdraw = "withdraw"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .makeContact: .makeContact
            case .startEvaluation: .startEvaluation
            case .startNegotiation: .startNegotiation
            case .agreeTermSheet: .agreeTermSheet
            case .executeAgreement: .executeAgreement
            case .lose: .lose
            case .withdraw: .withdraw
            }
        }

        enum CodingKeys: String, CodingKey {
            case makeContact = "make-contact"
            case startEvaluation = "start-evaluation"
            case startNegotiation = "start-negotiation"
            case agreeTermSheet = "agree-term-sheet"
            case executeAgreement = "execute-agreement"
            case lose = "lose"
            case withdraw = "withdraw"
        }
    }

    public static let machine = WorkflowError.Machine.deal

    /// The deal.
    public let id: ID<Deal>
    /// Its reference for messages, e.g. "D-12".
    public var label: String?
    /// The current state.
    public private(set) var state: State

    /// A machine for a deal, by default just identified.
    public init(id: ID<Deal>, label: String? = nil, state: State = .identified) {
        self.id = id
        self.label = label
        self.state = state
    }

    public var recordLabel: String { label ?? id.description }

    /// The events allowed in `state` and the state each leads to.
    public static func transitions(from state: State) -> [Event.Kind: State] {
        let endings: [Event.Kind: State] = [.lose: .lost, .withdraw: .withdrawn]
        return switch state {
        case .identified: endings.merging([.makeContact: .contacted]) { $1 }
        case .contacted: endings.merging([.startEvaluation: .underEvaluation]) { $1 }
        case .underEvaluation: endings.merging([.startNegotiation: .negotiating]) { $1 }
        case .negotiating: endings.merging([.agreeTermSheet: .termSheetAgreed]) { $1 }
        case .termSheetAgreed: endings.merging([.executeAgreement: .agreementExecuted]) { $1 }
        case .agreementExecuted, .lost, .withdrawn: [:]
        }
    }

    public var allowedEvents: [Event.Kind] {
        let allowed = Self.transitions(from: state)
        return Event.Kind.allCases.filter { allowed[$0] != nil }
    }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard let next = Self.transitions(from: state)[event.kind] else { throw refusal(event.kind) }
        var effects: [WorkflowEffect] = []
        switch event {
        case .startEvaluation(let confidentiality):
            guard let confidentiality else {
                throw guardFailure(event.kind, missing: ["an NDA or MTA in place"])
            }
            guard confidentiality.kind.isConfidentiality else {
                throw guardFailure(
                    event.kind,
                    missing: [
                        "an NDA or MTA in place (agreement \(confidentiality.agreement) is '\(confidentiality.kind.rawValue)')"
                    ])
            }
            guard confidentiality.inForce else {
                throw guardFailure(
                    event.kind,
                    missing: [
                        "an executed NDA or MTA (agreement \(confidentiality.agreement) is '\(confidentiality.state.rawValue)')"
                    ])
            }
        case .executeAgreement(let kind):
            guard !kind.isConfidentiality else {
                throw guardFailure(
                    event.kind,
                    missing: [
                        "a licence, option, assignment, sponsored research or spin-off equity agreement, not '\(kind.rawValue)'"
                    ])
            }
            effects = [
                .createAgreement(fromDeal: id, kind: kind),
                .notify(
                    Notice(
                        subject: .deal(id), audience: [.office],
                        message: "deal \(recordLabel) executed as \(kind.name)")),
            ]
        case .makeContact, .startNegotiation, .agreeTermSheet, .lose, .withdraw:
            break
        }
        state = next
        return effects
    }
}
