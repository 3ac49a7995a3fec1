/// The life of a right, from draft to the end of its life; events are facts with their dates
/// and use the spelling of ``RightEventKind``.
///
/// Ordinary rights (patents, utility models, designs, trademarks, selection achievements):
/// ```
/// draft → filed → published → under-examination → allowed → granted → in-force
///                                              → {expired, lapsed, abandoned, withdrawn, refused, revoked}
/// lapsed ──restored (while the restoration period runs)──▶ in-force
/// lapsed ──lapse-rescinded (the missed fee was paid in time after all)──▶ in-force
/// ```
/// Publication and examination may come in either order; an office may allow without a recorded
/// examination request. A PCT international application goes `draft → filed → published →
/// national-phase-entered` (each entry creates national or regional rights; later entries may
/// follow); a US provisional goes `draft → filed → expired`.
///
/// Objects of copyright (software, databases, works) exist from their creation and are entered
/// in a state register: `draft → submitted` (the application to the register, `filed`) `→
/// registered` (the certificate, `granted`) `| refused`; a registered work ends `expired` at the
/// end of its term or `revoked` when the registration is cancelled.
///
/// Know-how goes `draft → in-force` (`entered-into-force`: documented, its secrecy measures in
/// place) `→ abandoned` (given up, or disclosed so no longer secret) or `expired`.
///
/// Guards: `filed` needs a filing date and an application number; `granted` needs a grant date
/// and a registration number; `restored` needs a restoration period still running;
/// `national-phase-entered` needs at least one national or regional entry.
public struct RightWorkflow: Workflow, Hashable, Codable {
    /// Where a right is.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case draft = "draft"
        case filed = "filed"
        case published = "published"
        case underExamination = "under-examination"
        case allowed = "allowed"
        case granted = "granted"
        case inForce = "in-force"
        case expired = "expired"
        /// A fee was not paid; restorable while the restoration period runs.
        case lapsed = "lapsed"
        case abandoned = "abandoned"
        case withdrawn = "withdrawn"
        case refused = "refused"
        case revoked = "revoked"
        /// A PCT application whose national or regional phase has been entered somewhere.
        case nationalPhaseEntered = "national-phase-entered"
        /// An object of copyright whose application to the register was filed.
        case submitted = "submitted"
        /// An object of copyright entered in the register (certificate number and date).
        case registered = "registered"
    }

    /// What can happen to a right, with its date.
    public enum Event: WorkflowEvent {
        /// Filed with the office (both are required by the guard).
        case filed(on: CivilDate?, applicationNumber: String?)
        case published(on: CivilDate)
        case examinationRequested(on: CivilDate)
        case allowed(on: CivilDate)
        /// Granted or registered (both are required by the guard).
        case granted(on: CivilDate?, registrationNumber: String?)
        /// The grant took effect (registration published, first fees paid).
        case enteredIntoForce(on: CivilDate)
        case expired(on: CivilDate)
        /// A fee deadline was missed; `restorableUntil` is the last day of the restoration
        /// period (e.g. KZ: three years from the missed payment deadline), `nil` if none.
        case lapsed(on: CivilDate, restorableUntil: CivilDate?)
        case restored(on: CivilDate)
        /// The lapse was recorded for a fee that was paid in time (its payment recorded later):
        /// it is withdrawn, the right is in force again. `reason` says which payment.
        case lapseRescinded(on: CivilDate, reason: String)
        case abandoned(on: CivilDate)
        case withdrawn(on: CivilDate)
        case refused(on: CivilDate)
        case revoked(on: CivilDate)
        /// A PCT application entered the national or regional phase in the listed offices.
        case nationalPhaseEntered(on: CivilDate, entries: [NationalPhaseEntry])

        /// The kinds of event; raw values equal those of ``RightEventKind`` where both exist. They
        /// are also the keys of an event's JSON.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable, CodingKey {
            case filed = "filed"
            case published = "published"
            case examinationRequested = "examination-requested"
            case allowed = "allowed"
            case granted = "granted"
            case enteredIntoForce = "entered-into-force"
            case expired = "expired"
            case lapsed = "lapsed"
            case restored = "restored"
            case abandoned = "abandoned"
            case withdrawn = "withdrawn"
            case refused = "refused"
            case revoked = "revoked"
            case nationalPhaseEntered = "national-phase-entered"
            case lapseRescinded = "lapse-rescinded"
        }

        /// The kind of this event.
        public var kind: Kind {
            switch self {
            case .filed: .filed
            case .published: .published
            case .examinationRequested: .examinationRequested
            case .allowed: .allowed
            case .granted: .granted
            case .enteredIntoForce: .enteredIntoForce
            case .expired: .expired
            case .lapsed: .lapsed
            case .restored: .restored
            case .lapseRescinded: .lapseRescinded
            case .abandoned: .abandoned
            case .withdrawn: .withdrawn
            case .refused: .refused
            case .revoked: .revoked
            case .nationalPhaseEntered: .nationalPhaseEntered
            }
        }

        /// The date it happened (`nil` only for a `filed` or `granted` that lacks it).
        public var date: CivilDate? {
            switch self {
            case .filed(let date, _), .granted(let date, _): date
            case .published(let date), .examinationRequested(let date), .allowed(let date),
                .enteredIntoForce(let date), .expired(let date), .lapsed(let date, _), .restored(let date),
                .lapseRescinded(let date, _),
                .abandoned(let date), .withdrawn(let date), .refused(let date), .revoked(let date),
                .nationalPhaseEntered(let date, _):
                date
            }
        }

        typealias CodingKeys = Kind
    }

    /// Which life a right of a given kind follows.
    public enum Lifecycle: String, Hashable, Sendable, Codable, CaseIterable {
        /// Applications that may be published, examined, granted and kept in force.
        case ordinary = "ordinary"
        /// A PCT international application: filed, published, national phases entered.
        case pctInternational = "pct-international"
        /// A US provisional application: filed, then expires after twelve months.
        case provisional = "provisional"
        /// An object of copyright: submitted to the register, registered or refused.
        case copyright = "copyright"
        /// Know-how kept as a trade secret: in force while kept secret.
        case tradeSecret = "trade-secret"

        /// The lifecycle of a right kind.
        public init(_ kind: RightKind) {
            switch kind {
            case .pctApplication: self = .pctInternational
            case .provisional: self = .provisional
            case .patent, .utilityModel, .design, .trademark, .selectionAchievement: self = .ordinary
            case .software, .database, .work: self = .copyright
            case .knowHow: self = .tradeSecret
            }
        }
    }

    public static let machine = WorkflowError.Machine.right

    /// The right.
    public let id: ID<Right>
    /// Its docket reference for messages, e.g. "KZ-2024-003".
    public var label: String?
    /// The kind of right, which chooses its ``Lifecycle``.
    public let kind: RightKind
    /// The current state.
    public private(set) var state: State
    /// While lapsed: the last day it can be restored.
    public private(set) var restorableUntil: CivilDate?

    /// A machine for a right, by default a draft.
    public init(
        id: ID<Right>, label: String? = nil, kind: RightKind, state: State = .draft, restorableUntil: CivilDate? = nil
    ) {
        self.id = id
        self.label = label
        self.kind = kind
        self.state = state
        self.restorableUntil = restorableUntil
    }

    public var recordLabel: String { label ?? id.description }

    /// The events allowed in `state` for a right of `lifecycle`, and the state each leads to.
    public static func transitions(from state: State, lifecycle: Lifecycle) -> [Event.Kind: State] {
        switch lifecycle {
        case .ordinary: ordinaryTransitions(from: state)
        case .pctInternational: pctTransitions(from: state)
        case .provisional: provisionalTransitions(from: state)
        case .copyright: copyrightTransitions(from: state)
        case .tradeSecret: tradeSecretTransitions(from: state)
        }
    }

    private static func ordinaryTransitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .draft:
            [.filed: .filed, .abandoned: .abandoned]
        case .filed:
            [
                .published: .published, .examinationRequested: .underExamination, .allowed: .allowed,
                .refused: .refused, .abandoned: .abandoned, .withdrawn: .withdrawn,
            ]
        case .published:
            [
                .examinationRequested: .underExamination, .allowed: .allowed, .refused: .refused,
                .abandoned: .abandoned, .withdrawn: .withdrawn,
            ]
        case .underExamination:
            // Publication at 18 months often comes during examination: recorded, state kept.
            [
                .published: .underExamination, .allowed: .allowed, .refused: .refused,
                .abandoned: .abandoned, .withdrawn: .withdrawn,
            ]
        case .allowed:
            [.published: .allowed, .granted: .granted, .abandoned: .abandoned, .withdrawn: .withdrawn]
        case .granted:
            [.enteredIntoForce: .inForce, .lapsed: .lapsed, .abandoned: .abandoned, .revoked: .revoked]
        case .inForce:
            [.expired: .expired, .lapsed: .lapsed, .abandoned: .abandoned, .revoked: .revoked]
        case .lapsed:
            [.restored: .inForce, .lapseRescinded: .inForce, .expired: .expired]
        case .expired, .abandoned, .withdrawn, .refused, .revoked, .nationalPhaseEntered, .submitted, .registered:
            [:]
        }
    }

    private static func pctTransitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .draft:
            [.filed: .filed, .abandoned: .abandoned]
        case .filed:
            [
                .published: .published, .nationalPhaseEntered: .nationalPhaseEntered,
                .abandoned: .abandoned, .withdrawn: .withdrawn,
            ]
        case .published:
            [.nationalPhaseEntered: .nationalPhaseEntered, .abandoned: .abandoned, .withdrawn: .withdrawn]
        case .nationalPhaseEntered:
            // Entries in other offices may follow (e.g. EP at 31 months after KZ at 30).
            [.nationalPhaseEntered: .nationalPhaseEntered]
        case .underExamination, .allowed, .granted, .inForce, .expired, .lapsed, .abandoned, .withdrawn,
            .refused, .revoked, .submitted, .registered:
            [:]
        }
    }

    private static func provisionalTransitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .draft:
            [.filed: .filed, .abandoned: .abandoned]
        case .filed:
            [.expired: .expired, .abandoned: .abandoned, .withdrawn: .withdrawn]
        case .published, .underExamination, .allowed, .granted, .inForce, .expired, .lapsed, .abandoned,
            .withdrawn, .refused, .revoked, .nationalPhaseEntered, .submitted, .registered:
            [:]
        }
    }

    private static func copyrightTransitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .draft:
            [.filed: .submitted, .abandoned: .abandoned]
        case .submitted:
            [.granted: .registered, .refused: .refused, .withdrawn: .withdrawn, .abandoned: .abandoned]
        case .registered:
            [.expired: .expired, .revoked: .revoked]
        case .filed, .published, .underExamination, .allowed, .granted, .inForce, .expired, .lapsed, .abandoned,
            .withdrawn, .refused, .revoked, .nationalPhaseEntered:
            [:]
        }
    }

    private static func tradeSecretTransitions(from state: State) -> [Event.Kind: State] {
        switch state {
        case .draft:
            [.enteredIntoForce: .inForce, .abandoned: .abandoned]
        case .inForce:
            [.abandoned: .abandoned, .expired: .expired]
        case .filed, .published, .underExamination, .allowed, .granted, .expired, .lapsed, .abandoned, .withdrawn,
            .refused, .revoked, .nationalPhaseEntered, .submitted, .registered:
            [:]
        }
    }

    public var allowedEvents: [Event.Kind] {
        let allowed = Self.transitions(from: state, lifecycle: Lifecycle(kind))
        return Event.Kind.allCases.filter { allowed[$0] != nil }
    }

    public mutating func apply(_ event: Event) throws(WorkflowError) -> [WorkflowEffect] {
        guard let next = Self.transitions(from: state, lifecycle: Lifecycle(kind))[event.kind] else {
            throw refusal(event.kind)
        }
        let subject = WorkflowSubject.right(id)
        func notice(_ message: String) -> WorkflowEffect {
            .notify(Notice(subject: subject, audience: [.office, .responsibleAttorney], message: message))
        }
        var effects: [WorkflowEffect] = [.recomputeDeadlines(for: subject)]
        switch event {
        case .filed(let date, let number):
            var missing: [String] = []
            if date == nil { missing.append("a filing date") }
            if PlainText.trimmed(number ?? "").isEmpty { missing.append("an application number") }
            guard missing.isEmpty else { throw guardFailure(event.kind, missing: missing) }
            effects = [.scheduleDeadlines(for: subject)]
        case .granted(let date, let number):
            var missing: [String] = []
            if date == nil { missing.append("a grant date") }
            if PlainText.trimmed(number ?? "").isEmpty { missing.append("a registration number") }
            guard missing.isEmpty else { throw guardFailure(event.kind, missing: missing) }
            let verb = kind.isCopyright ? "registered" : "granted"
            effects.append(notice("right \(recordLabel) \(verb) on \(date!) as no. \(number!)"))
        case .lapsed(let date, let until):
            if let until, until < date {
                throw guardFailure(
                    event.kind, missing: ["a restoration deadline not before the lapse date \(date) (got \(until))"])
            }
            restorableUntil = until
            effects.append(
                notice(
                    "right \(recordLabel) lapsed on \(date); "
                        + (until.map { "restorable until \($0)" } ?? "not restorable")))
        case .restored(let date):
            guard let until = restorableUntil else {
                throw guardFailure(event.kind, missing: ["a restoration period (none was recorded when it lapsed)"])
            }
            guard date <= until else {
                throw guardFailure(
                    event.kind, missing: ["a date within the restoration period, which ended on \(until)"])
            }
            restorableUntil = nil
            effects.append(notice("right \(recordLabel) restored on \(date)"))
        case .lapseRescinded(let date, let reason):
            restorableUntil = nil
            effects.append(notice("right \(recordLabel): lapse withdrawn on \(date), \(reason)"))
        case .expired:
            restorableUntil = nil
        case .refused(let date):
            effects.append(notice("right \(recordLabel) refused on \(date)"))
        case .revoked(let date):
            effects.append(notice("right \(recordLabel) revoked on \(date)"))
        case .nationalPhaseEntered(let date, let entries):
            guard !entries.isEmpty else {
                throw guardFailure(event.kind, missing: ["at least one national or regional office entered"])
            }
            if let wrong = entries.first(where: { $0.jurisdiction == .pct || $0.kind == .pctApplication }) {
                throw guardFailure(
                    event.kind, missing: ["national or regional entries only (\(wrong) is international)"])
            }
            effects.append(.createNationalRights(fromPCT: id, entries: entries, enteredOn: date))
        case .published, .examinationRequested, .allowed, .enteredIntoForce, .abandoned, .withdrawn:
            break
        }
        state = next
        return effects
    }
}
