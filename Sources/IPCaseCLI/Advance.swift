import IPCase
import IPCaseSamples
import IPCaseStore

/// `ipcase advance`: applies a workflow event by name to a deal, agreement, disclosure or right.
public enum Advance {
    /// What the event applies to.
    public enum Subject: String, CaseIterable, Sendable {
        case deal, agreement, disclosure, right
    }

    /// The data an event may carry, from options.
    public struct Details: Sendable {
        /// The day it happened (default today).
        public var date: CivilDate
        /// An agreement kind (execute-agreement, exercise-option, start-evaluation).
        public var kind: String?
        /// A reason (lose, terminate, declare-default).
        public var reason: String?
        /// A number (application or registration number; fee year of annuity-paid as `year`).
        public var number: String?
        /// Another date: cure-by, review-on, restorable-until.
        public var until: CivilDate?
        /// Inventors as `PARTY=PERCENT` (start-assessment).
        public var inventors: [String]
        /// The NDA/MTA agreement a deal's evaluation runs under (start-evaluation).
        public var agreement: Int64?
        /// The financial terms the agreement a deal executes is signed with (execute-agreement).
        public var terms: FinancialTerms?

        /// Creates details.
        public init(
            date: CivilDate, kind: String? = nil, reason: String? = nil, number: String? = nil, until: CivilDate? = nil,
            inventors: [String] = [], agreement: Int64? = nil, terms: FinancialTerms? = nil
        ) {
            self.terms = terms
            self.date = date
            self.kind = kind
            self.reason = reason
            self.number = number
            self.until = until
            self.inventors = inventors
            self.agreement = agreement
        }
    }

    static func agreementKind(_ text: String?, for event: String) throws -> Agreement.Kind {
        guard let text, let kind = Agreement.Kind(rawValue: text) else {
            throw CLIError.usage(
                "\(event) needs --kind, one of \(Agreement.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    /// Applies `event` to the subject `id` of `office`; returns "from → to".
    public static func apply(
        _ subject: Subject, id: Int64, event: String, details: Details, office: ID<Office>, store: Store, actor: String
    ) async throws -> (from: String, to: String) {
        let recorded: RecordedEvent
        switch subject {
        case .deal:
            let parsed = try dealEvent(event, details: details)
            recorded = try await store.withOffice(office, actor: actor) {
                try await $0.applyDealEvent(ID(rawValue: id), parsed, on: details.date, terms: details.terms)
            }
        case .agreement:
            let day = details.date
            let kind = AgreementWorkflow.Event.Kind(rawValue: event)
            recorded = try await store.withOffice(office, actor: actor) { session in
                let parsed: AgreementWorkflow.Event
                switch kind {
                case .execute:
                    let current = try await session.agreement(ID(rawValue: id)).value
                    parsed = .execute(
                        AgreementWorkflow.Execution(
                            on: day, counterparties: current.counterparties, rightsCovered: current.rightsCovered,
                            financialTerms: current.financialTerms))
                case .activate: parsed = .activate(on: day)
                case .declareDefault:
                    guard let reason = details.reason.flatMap(AgreementWorkflow.DefaultReason.init(rawValue:)) else {
                        throw CLIError.usage(
                            "declare-default needs --reason, one of \(AgreementWorkflow.DefaultReason.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    parsed = .declareDefault(on: day, reason: reason, cureBy: details.until)
                case .cure: parsed = .cure(on: day)
                case .reinstate: parsed = .reinstate(on: day)
                case .expire: parsed = .expire(on: day)
                case .terminate: parsed = .terminate(on: day, reason: details.reason)
                case .exerciseOption:
                    parsed = .exerciseOption(on: day, licence: try agreementKind(details.kind, for: event))
                case .lapseOption: parsed = .lapseOption(on: day)
                case nil: throw unknown(event, AgreementWorkflow.Event.Kind.allCases.map(\.rawValue))
                }
                return try await session.applyAgreementEvent(ID(rawValue: id), parsed)
            }
        case .disclosure:
            let parsed = try disclosureEvent(event, details: details)
            recorded = try await store.withOffice(office, actor: actor) {
                try await $0.applyDisclosureEvent(ID(rawValue: id), parsed, on: details.date)
            }
        case .right:
            let day = details.date
            recorded = try await store.withOffice(office, actor: actor) { session in
                let right = try await session.right(ID(rawValue: id)).value
                guard
                    let step = RightStep(
                        event: event, date: day, year: details.number.flatMap(Int.init), reference: details.number,
                        restorableUntil: details.until, rightKind: right.kind)
                else {
                    throw unknown(event, RightEventKind.allCases.map(\.rawValue) + ["entered-into-force"])
                }
                switch step {
                case .workflow(let event): return try await session.applyRightEvent(right.id, event)
                case .docket(let event): return try await session.recordEvent(right.id, event)
                }
            }
        }
        return (recorded.fromState, recorded.toState)
    }

    /// The deal event named `event` with what `details` carries (the NDA or MTA of
    /// start-evaluation, the agreement kind of execute-agreement, the reason of lose).
    /// - Throws: `CLIError` naming what is missing or the events there are.
    public static func dealEvent(_ event: String, details: Details) throws -> DealWorkflow.Event {
        let parsed: DealWorkflow.Event
        switch DealWorkflow.Event.Kind(rawValue: event) {
        case .makeContact: parsed = .makeContact
        case .startEvaluation:
            parsed = .startEvaluation(
                under: try details.agreement.map {
                    DealWorkflow.Confidentiality(
                        agreement: ID(rawValue: $0), kind: try agreementKind(details.kind ?? "nda", for: event))
                })
        case .startNegotiation: parsed = .startNegotiation
        case .agreeTermSheet: parsed = .agreeTermSheet
        case .executeAgreement: parsed = .executeAgreement(kind: try agreementKind(details.kind, for: event))
        case .lose: parsed = .lose(reason: details.reason)
        case .withdraw: parsed = .withdraw
        case nil: throw unknown(event, DealWorkflow.Event.Kind.allCases.map(\.rawValue))
        }
        return parsed
    }

    /// The disclosure event named `event` with what `details` carries (inventors for
    /// start-assessment, the review date for put-on-hold); the command line and the web both
    /// read events this way.
    /// - Throws: `CLIError` naming what is missing or the events there are.
    public static func disclosureEvent(_ event: String, details: Details) throws -> DisclosureWorkflow.Event {
        let parsed: DisclosureWorkflow.Event
        switch DisclosureWorkflow.Event.Kind(rawValue: event) {
        case .startAssessment:
            parsed = .startAssessment(
                inventors: try details.inventors.map { text in
                    do throws(FieldProblem) { return try FieldValues.inventorShare(text) } catch {
                        throw CLIError.usage("--inventor: \(error.text)")
                    }
                })
        case .approveForProtection: parsed = .approveForProtection
        case .putOnHold:
            guard let until = details.until else {
                throw CLIError.usage("put-on-hold needs --until (the review date)")
            }
            parsed = .putOnHold(reviewOn: until)
        case .resumeAssessment: parsed = .resumeAssessment
        case .releaseToInventors: parsed = .releaseToInventors
        case .abandon: parsed = .abandon
        case nil: throw unknown(event, DisclosureWorkflow.Event.Kind.allCases.map(\.rawValue))
        }
        return parsed
    }

    static func unknown(_ event: String, _ allowed: [String]) -> CLIError {
        CLIError.usage("'\(event)' is not an event here; events: \(allowed.joined(separator: ", "))")
    }
}
