/// Something the store or the daemon must do after a workflow event: the machines return
/// effects as data and never do I/O themselves.
public enum WorkflowEffect: Hashable, Sendable, Codable {
    /// Compute the first deadlines of a record (a right just filed, an agreement's obligations).
    case scheduleDeadlines(for: WorkflowSubject)
    /// Recompute a record's deadlines after an event (closing those the event completes or ends).
    case recomputeDeadlines(for: WorkflowSubject)
    /// Recompute a record's deadlines because what they are counted by changed (an office's
    /// calendar override, a release with other rules or calendars); a deadline that moves keeps
    /// `reason` with its previous dates.
    case recountDeadlines(for: WorkflowSubject, reason: String)
    /// Remind the office to look at a record on a date (on-hold review, end of a cure period).
    case scheduleFollowUp(for: WorkflowSubject, on: CivilDate, reason: String)
    /// Tell people about the event.
    case notify(Notice)
    /// Create the agreement a deal was executed as.
    case createAgreement(fromDeal: ID<Deal>, kind: Agreement.Kind)
    /// Create the licence granted by exercising an option.
    case createLicence(fromOption: ID<Agreement>, kind: Agreement.Kind, effectiveOn: CivilDate)
    /// Create the national or regional rights entered from a PCT application, as drafts.
    case createNationalRights(fromPCT: ID<Right>, entries: [NationalPhaseEntry], enteredOn: CivilDate)

    enum CodingKeys: String, CodingKey {
        case scheduleDeadlines = "schedule-deadlines"
        case recomputeDeadlines = "recompute-deadlines"
        case recountDeadlines = "recount-deadlines"
        case scheduleFollowUp = "schedule-follow-up"
        case notify = "notify"
        case createAgreement = "create-agreement"
        case createLicence = "create-licence"
        case createNationalRights = "create-national-rights"
    }
}

/// The record a workflow runs on.
public enum WorkflowSubject: Hashable, Sendable, Codable, CustomStringConvertible {
    case disclosure(ID<Disclosure>)
    case right(ID<Right>)
    case deal(ID<Deal>)
    case agreement(ID<Agreement>)
    case project(ID<FundedProject>)

    /// `right #7`.
    public var description: String {
        switch self {
        case .disclosure(let id): "disclosure \(id)"
        case .right(let id): "right \(id)"
        case .deal(let id): "deal \(id)"
        case .agreement(let id): "agreement \(id)"
        case .project(let id): "funded project \(id)"
        }
    }
}

/// A message about a workflow event, for the notification outbox.
public struct Notice: Hashable, Sendable, Codable {
    /// Who is to be told.
    public enum Audience: String, Hashable, Sendable, Codable, CaseIterable {
        /// The office's staff.
        case office = "office"
        /// The attorney responsible for the right.
        case responsibleAttorney = "responsible-attorney"
        /// The inventors of the disclosure.
        case inventors = "inventors"
        /// The other parties to the agreement.
        case counterparties = "counterparties"
    }

    /// The record concerned.
    public var subject: WorkflowSubject
    /// Who is to be told.
    public var audience: [Audience]
    /// One line, e.g. "right KZ-7 lapsed on 2026-03-15; restorable until 2029-03-15".
    public var message: String

    /// Creates a notice.
    public init(subject: WorkflowSubject, audience: [Audience], message: String) {
        self.subject = subject
        self.audience = audience
        self.message = message
    }
}
