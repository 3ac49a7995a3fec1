import IPCase
import IPCaseStore

/// What the deadline engine needs of a stored right: its route, its dates and its events.
///
/// The daemon and its tests derive the engine's input the same way, by
/// `RightEvent.engineInput(filingDate:priorityClaims:recorded:)`: the recorded events in date
/// order, plus a `filed` event at the filing date and a `priority` event per priority claim when
/// the right carries those dates without a recorded event (a right created or imported with them).
public struct RightSchedule: Sendable, Hashable {
    /// The office of the right.
    public var office: ID<Office>
    /// The right.
    public var right: ID<Right>
    /// The docket reference, for error messages.
    public var reference: String
    /// The granting office or route.
    public var jurisdiction: Jurisdiction
    /// The kind of right.
    public var kind: RightKind
    /// The responsible attorney, copied to each deadline.
    public var attorney: ID<Party>?
    /// The engine's input.
    public var events: [RightEvent]
    /// The date of the lapse the sweeper recorded for a missed fee, while it is the right's last
    /// word on its life (no later restoration or rescission): a payment recorded since may show
    /// that it was wrong.
    public var sweeperLapse: CivilDate?

    /// A schedule input from the right's stored fields and its recorded events (any order).
    public init(
        office: ID<Office>, right: ID<Right>, reference: String, jurisdiction: Jurisdiction, kind: RightKind,
        attorney: ID<Party>?, filingDate: CivilDate?, priorityClaims: [PriorityClaim], recorded: [RightEvent]
    ) {
        self.office = office
        self.right = right
        self.reference = reference
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.attorney = attorney
        self.events = RightEvent.engineInput(filingDate: filingDate, priorityClaims: priorityClaims, recorded: recorded)
    }

    /// The records to store for the engine's deadlines of this right; a deadline met by an
    /// event is stored as done.
    ///
    /// - Parameters:
    ///   - deadlines: the engine's deadlines of this right.
    ///   - explanations: render each deadline's one-line explanation (the docket shows it).
    /// - Throws: ``ScheduleError`` when a computed deadline breaks the store's invariants
    ///   (a due date before the nominal date, a final date before the due date), so that one
    ///   bad right fails alone.
    public func records(_ deadlines: some Sequence<Deadline>, explanations: Bool = true) throws(ScheduleError)
        -> [DeadlineRecord]
    {
        var records: [DeadlineRecord] = []
        records.reserveCapacity(deadlines.underestimatedCount)
        for deadline in deadlines {
            let final = deadline.final ?? deadline.due
            guard deadline.due >= deadline.nominal, final >= deadline.due else {
                throw ScheduleError(
                    reference: reference,
                    reason: "rule \(deadline.ruleID) gives due \(deadline.due) before nominal \(deadline.nominal) "
                        + "or final \(final) before due")
            }
            records.append(
                DeadlineRecord(deadline, office: office, right: right, attorney: attorney, explained: explanations))
        }
        return records
    }
}

/// A right whose deadlines cannot be computed or stored (a poison job's error).
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The right's docket reference (or key).
    public var reference: String
    /// What is wrong.
    public var reason: String

    /// An error for a right.
    public init(reference: String, reason: String) {
        self.reference = reference
        self.reason = reason
    }

    /// `right KZ-7: stored priority claims do not decode`.
    public var description: String { "right \(reference): \(reason)" }
}
