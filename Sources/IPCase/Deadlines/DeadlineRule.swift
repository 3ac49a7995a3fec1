/// One rule compiled for one jurisdiction and right kind: the reviewable ``RuleSpec`` plus the
/// compact plan the engine runs.
public final class DeadlineRule: Sendable, Hashable, CustomStringConvertible {
    /// Stable id, e.g. `EP.renewal`.
    public let id: String
    /// The deadline type it produces.
    public let type: DeadlineType
    /// The jurisdiction it was compiled for.
    public let jurisdiction: Jurisdiction
    /// The right kind it was compiled for.
    public let kind: RightKind
    /// The rule as written in its file.
    public let spec: RuleSpec
    /// The file it comes from, e.g. `rules/EP.json`.
    public let file: String
    /// The calendar that rolls it (`nil`: not rolled).
    public let calendar: OfficeCalendar?
    /// Why the calendar is only weekends, when there is no data for the office.
    public let calendarNote: String?
    @usableFromInline let plan: Plan

    /// The legal citation.
    public var citation: String { spec.citation }
    /// Whether the rule is confirmed.
    public var status: RuleStatus { spec.status }

    init(
        spec: RuleSpec, file: String, jurisdiction: Jurisdiction, kind: RightKind, calendar: OfficeCalendar?,
        calendarNote: String?, plan: Plan
    ) {
        self.id = spec.id
        self.type = spec.type
        self.spec = spec
        self.file = file
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.calendar = calendar
        self.calendarNote = calendarNote
        self.plan = plan
    }

    public static func == (lhs: DeadlineRule, rhs: DeadlineRule) -> Bool {
        lhs === rhs
            || (lhs.id == rhs.id && lhs.jurisdiction == rhs.jurisdiction && lhs.kind == rhs.kind && lhs.spec == rhs.spec)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(jurisdiction)
        hasher.combine(kind)
    }

    /// E.g. "EP.renewal (EP patent)".
    public var description: String { "\(id) (\(jurisdiction) \(kind.rawValue))" }

    /// Where a date comes from, resolved against a right's events.
    @usableFromInline
    enum Source: Sendable, Hashable {
        case trigger
        case filing
        case earliestPriority
        case grant
        case publication
        case event(Int)

        init(_ base: RuleSpec.BaseDate) {
            switch base {
            case .trigger, .notification: self = .trigger
            case .filing: self = .filing
            case .earliestPriority: self = .earliestPriority
            case .grant: self = .grant
            case .publication: self = .publication
            }
        }
    }

    /// A period in the engine's units.
    @usableFromInline
    struct Span: Sendable, Hashable {
        @usableFromInline var months: Int
        @usableFromInline var days: Int

        init(_ period: Period) {
            months = period.totalMonths
            days = period.totalDays
        }
    }

    /// The compiled rule: only integers and masks, read in the hot path.
    @usableFromInline
    struct Plan: Sendable {
        /// Trigger kinds (ordinals) in order of preference.
        @usableFromInline var triggers: [Int]
        @usableFromInline var triggerMask: UInt64
        @usableFromInline var perEvent: Bool
        @usableFromInline var base: Source
        @usableFromInline var span: Span
        @usableFromInline var endOfMonth: Bool
        /// 0: single period; 1: later of `legs`; -1: earlier of `legs`.
        @usableFromInline var combine: Int
        @usableFromInline var legs: [(source: Source, span: Span)]
        /// Occurrences: count, first label, step.
        @usableFromInline var count: Int
        @usableFromInline var firstHalfYears: Int16
        @usableFromInline var stepHalfYears: Int16
        @usableFromInline var stepMonths: Int
        @usableFromInline var isRepeated: Bool
        @usableFromInline var window: (fromBase: Bool, span: Span)?
        @usableFromInline var deferral: (source: Source, span: Span, onlyIfMask: UInt64)?
        @usableFromInline var final: Final?
        @usableFromInline var onlyIfMask: UInt64
        @usableFromInline var unlessMask: UInt64
        @usableFromInline var closedByMask: UInt64
        @usableFromInline var endsWithMask: UInt64
        @usableFromInline var clampedUnconfirmed: Bool

        /// A compiled final date.
        @usableFromInline
        struct Final: Sendable {
            @usableFromInline var fromBase: Bool
            @usableFromInline var span: Span
            @usableFromInline var monthEndToMonthEnd: Bool
            @usableFromInline var cap: (fromBase: Bool, span: Span)?
        }
    }
}
