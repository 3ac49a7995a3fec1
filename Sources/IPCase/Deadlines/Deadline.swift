/// One computed time limit of a right: what is due, by when, under which rule, and why.
///
/// Dates: `nominal` is the end of the period before rolling past closed days; `due` is the
/// last day to act; `final` the end of a grace period or extension limit (rolled); `windowOpens`
/// the first day an act (a fee payment) may be done. ``explanation`` is rendered on demand.
public struct Deadline: Sendable, Hashable {
    /// The rule that produced it. Compiled rules live as long as the process (see ``RuleBook``),
    /// so the reference is not counted: copying and dropping deadlines costs no atomics.
    public unowned(unsafe) let rule: DeadlineRule
    /// The event that triggered it.
    public let trigger: Trigger
    /// The year of a renewal, annuity or maintenance fee.
    public let year: FeeYear?
    /// End of the period before rolling.
    public let nominal: CivilDate
    /// Last day to act: `nominal` rolled past closed days of the rule's calendar.
    public let due: CivilDate
    /// End of the grace period or extension limit, rolled; `nil` when there is none.
    public let final: CivilDate?
    /// First day the act may be done, where the law sets one.
    public let windowOpens: CivilDate?
    /// The event that met this deadline, if any.
    public let closedBy: Trigger?
    /// The date the period ran from (for the explanation).
    public let base: CivilDate
    @usableFromInline let flags: Flags
    @usableFromInline let leg: UInt8

    /// An event kind with its date.
    public struct Trigger: Hashable, Sendable, CustomStringConvertible {
        public let kind: RightEventKind
        public let date: CivilDate

        /// Creates a trigger.
        @inlinable
        public init(kind: RightEventKind, date: CivilDate) {
            self.kind = kind
            self.date = date
        }

        /// E.g. "filed 2023-03-14".
        public var description: String { "\(kind.rawValue) \(date)" }
    }

    /// What happened while computing, for the explanation and the status.
    @usableFromInline
    struct Flags: OptionSet, Sendable, Hashable {
        @usableFromInline let rawValue: UInt16
        @inlinable init(rawValue: UInt16) { self.rawValue = rawValue }

        @usableFromInline static let clamped = Flags(rawValue: 1)
        @usableFromInline static let deferred = Flags(rawValue: 2)
        @usableFromInline static let legMissing = Flags(rawValue: 4)
        @usableFromInline static let dueSkippedUnconfirmed = Flags(rawValue: 8)
        @usableFromInline static let finalSkippedUnconfirmed = Flags(rawValue: 16)
        @usableFromInline static let outsideCalendar = Flags(rawValue: 32)
        @usableFromInline static let finalCapped = Flags(rawValue: 64)
    }

    @inlinable
    init(
        rule: DeadlineRule, trigger: Trigger, year: FeeYear?, nominal: CivilDate, due: CivilDate,
        final: CivilDate?, windowOpens: CivilDate?, closedBy: Trigger?, base: CivilDate, flags: Flags, leg: UInt8
    ) {
        self.rule = rule
        self.trigger = trigger
        self.year = year
        self.nominal = nominal
        self.due = due
        self.final = final
        self.windowOpens = windowOpens
        self.closedBy = closedBy
        self.base = base
        self.flags = flags
        self.leg = leg
    }

    /// The stable type, e.g. `renewal`.
    public var type: DeadlineType { rule.type }
    /// The rule id, e.g. `EP.renewal`.
    public var ruleID: String { rule.id }
    /// The legal citation.
    public var citation: String { rule.citation }
    /// Whether the deadline has been met by an event.
    public var isClosed: Bool { closedBy != nil }

    /// `unconfirmed` when the rule is, when rolling skipped a closed day that is unconfirmed, when
    /// a date lies beyond the office calendar's years of data (its holidays are not known yet, so
    /// only weekends were skipped), or when month arithmetic clamped under a rule whose clamping
    /// is unconfirmed, or when its final date comes from an unconfirmed grace or restoration period.
    public var status: RuleStatus {
        if rule.status == .unconfirmed { return .unconfirmed }
        if !flags.isDisjoint(with: [.dueSkippedUnconfirmed, .finalSkippedUnconfirmed, .outsideCalendar]) {
            return .unconfirmed
        }
        if flags.contains(.clamped) && rule.plan.clampedUnconfirmed { return .unconfirmed }
        if final != nil && rule.spec.final?.status == .unconfirmed { return .unconfirmed }
        return .confirmed
    }

    /// The identity of a deadline for recomputation: the same rule, trigger and year give the
    /// same key, so storing by key never duplicates.
    public var key: Key { Key(rule: rule.id, trigger: trigger, year: year) }

    /// Rule id, trigger and year.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public let rule: String
        public let trigger: Trigger
        public let year: FeeYear?

        /// E.g. "EP.renewal/filed 2023-03-14/5".
        public var description: String {
            "\(rule)/\(trigger)" + (year.map { "/\($0)" } ?? "")
        }
    }

    public static func == (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.rule == rhs.rule && lhs.trigger == rhs.trigger && lhs.year == rhs.year && lhs.nominal == rhs.nominal
            && lhs.due == rhs.due && lhs.final == rhs.final && lhs.windowOpens == rhs.windowOpens
            && lhs.closedBy == rhs.closedBy && lhs.base == rhs.base && lhs.flags == rhs.flags && lhs.leg == rhs.leg
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(due)
    }
}
