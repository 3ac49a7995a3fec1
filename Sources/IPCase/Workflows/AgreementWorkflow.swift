/// The life of an agreement from draft to its end.
///
/// ```
/// draft → executed → active → {expired, terminated}
/// active → in-default → cured → active;  in-default → terminated
/// option: active → {exercised (creates the licence), lapsed, terminated, in-default}
/// ```
/// Guard: `execute` needs counterparties, and — by kind — the rights covered (licences, options,
/// assignments, spin-off equity) and non-empty financial terms (all but NDA and MTA);
/// `exercise-option` needs a licence kind.
public struct AgreementWorkflow: Workflow, Hashable, Codable {
    /// Where an agreement is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case draft = "draft"
        /// Signed, not yet in effect.
        case executed = "executed"
        case active = "active"
        /// The counterparty missed a payment, report or milestone.
        case inDefault = "in-default"
        /// The default was remedied; awaiting reinstatement.
        case cured = "cured"
        case expired = "expired"
        case terminated = "terminated"
        /// An option that was exercised (the licence is a new agreement).
        case exercised = "exercised"
        /// An option that was not exercised in time.
        case lapsed = "lapsed"

        /// Whether the agreement binds its parties now: signed and not ended (a default does not
        /// end it). Who may know a trade secret is who holds an NDA in force.
        public var isInForce: Bool {
            switch self {
            case .executed, .active, .inDefault, .cured: true
            case .draft, .expired, .terminated, .exercised, .lapsed: false
            }
        }
    }

    /// What the counterparty failed to do.
    public enum DefaultReason: String, Hashable, Sendable, Codable, CaseIterable {
        case missedPayment = "missed-payment"
        case missedReport = "missed-report"
        case missedMilestone = "missed-milestone"
        case otherBreach = "other-breach"
    }

    /// The facts of signing, which the `execute` guard checks (and the history keeps).
    public struct Execution: Hashable, Sendable, Codable {
        /// The date signed by all parties.
        public var date: CivilDate
        /// The other parties.
        public var counterparties: [ID<Party>]
        /// The rights covered.
        public var rightsCovered: [ID<Right>]
        /// The financial terms signed.
        public var financialTerms: FinancialTerms?

        /// Creates the facts of signing.
        public init(
            on date: CivilDate, counterparties: [ID<Party>], rightsCovered: [ID<Right>],
            financialTerms: FinancialTerms?
        ) {
            self.date = date
            self.counterparties = counterparties
            self.rightsCovered = rightsCovered
            self.financialTerms = financialTerms
        }
    }

    /// What can happen to an agreement, with its date.
    public enum Event: WorkflowEvent {
        case execute(Execution)
        /// The agreement takes effect; its obligations start to run.
        case activate(on: CivilDate)
        /// The counterparty is in default; `cureBy` is the end of the cure period, if any.
        case declareDefault(on: CivilDate, reason: DefaultReason, cureBy: CivilDate?)
        case cure(on: CivilDate)
        case reinstate(on: CivilDate)
        case expire(on: CivilDate)
        case terminate(on: CivilDate, reason: String?)
        /// Exercise an option, granting a licence of the given kind.
        case exerciseOption(on: CivilDate, licence: Agreement.Kind)
        /// The option period ended without exercise.
        case lapseOption(on: CivilDate)

        /// The kinds of event, with their stable spelling.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case execute = "execute"
            case activate = "activate"
            case declareDefault = "declare-default"
            case cure = "cure"
            case reinstate = "reinstate"
            case expire = "expire"
            case terminate = "terminate"
            case exerciseOption = "exercise-option"
            case lapseOption = "lapse-option"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .execute: .execute
            case .activate: .activate
            case .declareDefault: .declareDefault
            case .cure: .cure
            case .reinstate: .reinstate
            case .expire: .expire
            case .terminate: .terminate
            case .exerciseOption: .exerciseOption
            case .lapseOption: .lapseOption
            }
        }

        /// The date it happened.
        public var date: CivilDate {
            switch self {
            case .execute(let execution): execution.date
            case .activate(let date), .declareDefault(let date, _, _), .cure(let date), .reinstate(let date),
                .expire(let date), .terminate(let date, _), .exerciseOption(let date, _), .lapseOption(let date):
                date
            }
        }

        enum CodingKeys: String, CodingKey {
            case execute = "execute"
            case activate = "activate"
            case declareDefault = "declare-default"
            case cure = "cure"
            case reinstate = "reinstate"
            case expire = "expire"
            case terminate = "terminate"
            case exerciseOption = "exercise-option"
            case lapseOption = "lapse-option"
        }
    }

    public static let machine = WorkflowError.Machine.agreement

    /// The agreement.
    public let id: ID<Agreement>
    /// Its reference for messages, e.g. "LIC-2025-004".
    public var label: String?
    /// The kind of agreement, which decides the guards and whether option events apply.
    public let kind: Agreement.Kind
    /// The current state.
    public private(set) var state: State

    /// A machine for an agreement, by default a draft.
    public init(id: ID<Agreement>, label: String? = nil, kind: Agreement.Kind, state: State = .draft) {
        self.id = id
        self.label = label
        self.kind = kind
        self.state = state
    }

    public var recordLabel: String { label ?? id.description }

    /// The events allowed in `state` for an agreement of `kind`, and the state each leads to.
    public static func transitions(from state: State, kind: Agreement.Kind) -> [Event.Kind: State] {
        switch state {
        case .draft:
            return [.execute: .executed]
        case .executed:
            return [.activate: .active]
        case .active:
            let common: [Event.Kind: State] = [.declareDefault: .inDefault, .terminate: .terminated]
            switch kind {
            case .option:
                return common.merging([.exerciseOption: .exercised, .lapseOption: .lapsed]) { $1 }
            case .exclusiveLicence, .nonExclusiveLicence, .assignment, .sponsoredResearch, .mta, .nda,
                .spinOffEquity:
                return common.merging([.expire: .expired]) { $1 }
            }
        case .inDefault:
            return [.cure: .cured, .terminate: .terminated]
        case .cured:
            return [.reinstate: .active]
        case .expired, .terminated, .exercised, .lapsed:
            return [:]
        }
    }

    public var allowedEvents: [Event.Kind] {
        let allowed = Self.transitions(from: state, kind: kind)
        return Event.Kind.allCases.filter { allowed[$0] != nil }
    }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard let next = Self.transitions(from: state, kind: kind)[event.kind] else { throw refusal(event.kind) }
        let subject = WorkflowSubject.agreement(id)
        func notice(_ message: String) -> WorkflowEffect {
            .notify(Notice(subject: subject, audience: [.office], message: message))
        }
        var effects: [WorkflowEffect] = [.recomputeDeadlines(for: subject)]
        switch event {
        case .execute(let execution):
            var missing: [String] = []
            if execution.counterparties.isEmpty { missing.append("counterparties") }
            if kind.needsRightsCovered, execution.rightsCovered.isEmpty { missing.append("the rights covered") }
            if kind.needsFinancialTerms, execution.financialTerms?.isEmpty ?? true {
                missing.append("financial terms")
            }
            guard missing.isEmpty else { throw guardFailure(event.kind, missing: missing) }
            // Signing starts the obligations (royalty reports run from the effective date).
            effects = [
                .scheduleDeadlines(for: subject), notice("\(kind.name) \(recordLabel) executed on \(execution.date)"),
            ]
        case .activate:
            effects = [.scheduleDeadlines(for: subject)]
        case .declareDefault(let date, let reason, let cureBy):
            effects = [
                .notify(
                    Notice(
                        subject: subject, audience: [.office, .counterparties],
                        message: "\(kind.name) \(recordLabel) in default since \(date): \(reason.rawValue)"
                            + (cureBy.map { "; cure by \($0)" } ?? "")))
            ]
            if let cureBy {
                effects.append(.scheduleFollowUp(for: subject, on: cureBy, reason: "end of the cure period"))
            }
        case .exerciseOption(let date, let licence):
            guard licence.isLicence else {
                throw guardFailure(
                    event.kind,
                    missing: ["a licence kind to grant (exclusive or non-exclusive), not '\(licence.rawValue)'"])
            }
            effects.append(.createLicence(fromOption: id, kind: licence, effectiveOn: date))
        case .terminate(let date, let reason):
            effects.append(
                notice("\(kind.name) \(recordLabel) terminated on \(date)" + (reason.map { ": \($0)" } ?? "")))
        case .lapseOption(let date):
            effects.append(notice("option \(recordLabel) lapsed unexercised on \(date)"))
        case .cure, .reinstate, .expire:
            break
        }
        state = next
        return effects
    }
}
