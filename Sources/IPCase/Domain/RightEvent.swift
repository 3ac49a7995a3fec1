/// One thing that happened to a right, with its date: the input of the deadline engine and of
/// the right workflow.
///
/// ```swift
/// let filed = RightEvent(.filed, on: try CivilDate(iso: "2023-03-14"))
/// let paid = RightEvent(.annuityPaid, on: try CivilDate(iso: "2026-03-01"), year: 4)
/// ```
public struct RightEvent: Hashable, Sendable, Codable {
    /// What happened.
    public var kind: RightEventKind
    /// When it happened (for `priority`, the priority date; for `office-action`, the notification date).
    public var date: CivilDate
    /// The fee year an `annuity-paid` event covers, where it applies.
    public var year: Int?
    /// A reference such as an application number, a communication number or a priority country.
    public var reference: String?

    /// Creates an event.
    public init(_ kind: RightEventKind, on date: CivilDate, year: Int? = nil, reference: String? = nil) {
        self.kind = kind
        self.date = date
        self.year = year
        self.reference = reference
    }
}

extension RightEvent {
    /// The deadline engine's input for a stored right: its recorded events (any order) plus a
    /// `filed` event at the filing date and a `priority` event per priority claim, where the
    /// right carries those dates without a recorded event (a right created or imported with
    /// them); in date order. The daemon and the budget forecast derive it the same way.
    public static func engineInput(
        filingDate: CivilDate?, priorityClaims: [PriorityClaim], recorded: [RightEvent]
    ) -> [RightEvent] {
        var events = recorded
        if let filingDate, !recorded.contains(where: { $0.kind == .filed }) {
            events.append(RightEvent(.filed, on: filingDate))
        }
        for claim in priorityClaims
        where !recorded.contains(where: { $0.kind == .priority && $0.date == claim.date }) {
            events.append(RightEvent(.priority, on: claim.date, reference: claim.jurisdiction.code))
        }
        events.sort { $0.date < $1.date }
        return events
    }
}
