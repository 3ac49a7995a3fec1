/// The order of a right's events that its time limits assume, checked as each event is recorded:
/// a filing not before a priority it claims, a publication, grant decision or grant not before
/// the filing, no event more than a year ahead, and a Kazakh patent granted only after its
/// grant decision (the grant fee is due within 3 months of the notice of the decision to grant,
/// Patent Law Art. 26(1); the patent follows the fee).
///
/// ```swift
/// var chronology = EventChronology(right: right, recorded: events)
/// if let problem = chronology.record(RightEvent(.granted, on: date), today: today) { … refuse … }
/// ```
/// Recording through it appends accepted events, so the rows of a file are checked against the
/// rows before them.
public struct EventChronology: Sendable, Hashable {
    /// The right's jurisdiction and kind.
    public let jurisdiction: Jurisdiction
    public let kind: RightKind
    /// The filing date, from the right or its `filed` event.
    public private(set) var filingDate: CivilDate?
    /// The priority dates claimed, from the right and its `priority` events.
    public private(set) var priorityDates: [CivilDate]
    /// The events recorded so far.
    public private(set) var recorded: [RightEvent]

    /// The longest an event may be dated ahead of today.
    public static let furthestAhead = 366

    /// The chronology of `right` with its recorded events.
    public init(right: Right, recorded: [RightEvent]) {
        self.init(
            jurisdiction: right.jurisdiction, kind: right.kind, filingDate: right.filingDate,
            priorityDates: right.priorityClaims.map(\.date), recorded: recorded)
    }

    /// A chronology from its parts.
    public init(
        jurisdiction: Jurisdiction, kind: RightKind, filingDate: CivilDate?, priorityDates: [CivilDate],
        recorded: [RightEvent]
    ) {
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.filingDate = filingDate ?? recorded.first { $0.kind == .filed }?.date
        self.priorityDates = priorityDates + recorded.filter { $0.kind == .priority }.map(\.date)
        self.recorded = recorded
    }

    /// What is wrong with `event`, in words naming the event and the conflicting date, or `nil`.
    public func problem(with event: RightEvent, today: CivilDate) -> String? {
        let what = "\(event.kind.rawValue) on \(event.date)"
        if event.date > today.adding(days: Self.furthestAhead) {
            return "\(what) is more than a year after today (\(today))"
        }
        switch event.kind {
        case .filed:
            if let priority = priorityDates.filter({ $0 > event.date }).min() {
                return "\(what) is before the priority date \(priority) it claims"
            }
        case .priority:
            if let filingDate, event.date > filingDate {
                return "\(what) is after the filing date \(filingDate)"
            }
        case .published, .grantDecision, .granted:
            if let filingDate, event.date < filingDate {
                return "\(what) is before the filing date \(filingDate)"
            }
        default:
            break
        }
        if event.kind == .granted, Self.grantNeedsDecision(jurisdiction: jurisdiction, kind: kind),
            !recorded.contains(where: { $0.kind == .grantDecision && $0.date <= event.date })
        {
            return "\(what): a Kazakh patent is granted only after its grant decision; record grant-decision first"
        }
        return nil
    }

    /// Whether a right of `kind` in `jurisdiction` is granted only after a recorded grant
    /// decision (a Kazakh patent: the decision opens the grant-fee period).
    public static func grantNeedsDecision(jurisdiction: Jurisdiction, kind: RightKind) -> Bool {
        jurisdiction == .kazakhstan && kind == .patent
    }

    /// Checks `event` and, when it is in order, counts it as recorded. Returns the problem, if any.
    public mutating func record(_ event: RightEvent, today: CivilDate) -> String? {
        if let problem = problem(with: event, today: today) { return problem }
        recorded.append(event)
        if event.kind == .filed, filingDate == nil { filingDate = event.date }
        if event.kind == .priority { priorityDates.append(event.date) }
        return nil
    }
}
