/// One rule compiled for one jurisdiction and right kind: the reviewable ``RuleSpec`` plus the
/// compact plan the engine runs.
public final class DeadlineRule: @unchecked Sendable, Hashable, CustomStringConvertible {
    // @unchecked: `planPointer` is written once in `init` and only read afterwards; the class
    // owns and frees it.
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
    /// The compiled plan, read in place by the engine (no copy per right).
    @usableFromInline let planPointer: UnsafeMutablePointer<Plan>
    /// The compiled plan.
    @usableFromInline var plan: Plan { planPointer.pointee }

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
        planPointer = .allocate(capacity: 1)
        planPointer.initialize(to: plan)
    }

    deinit {
        planPointer.deinitialize(count: 1)
        planPointer.deallocate()
    }

    public static func == (lhs: DeadlineRule, rhs: DeadlineRule) -> Bool {
        lhs === rhs
            || (lhs.id == rhs.id && lhs.jurisdiction == rhs.jurisdiction && lhs.kind == rhs.kind
                && lhs.spec == rhs.spec)
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

        @inline(__always)
        init(months: Int, days: Int) {
            self.months = months
            self.days = days
        }
    }

    /// One period of a combination, compiled.
    @usableFromInline
    struct Leg: Sendable {
        @usableFromInline var source: Source
        @usableFromInline var span: Span
    }

    /// The compiled rule: integers, masks and fixed-size fields only (copying it costs no
    /// reference counting), read in the hot path.
    @usableFromInline
    struct Plan: Sendable {
        /// Trigger kinds in order of preference (up to three).
        @usableFromInline var triggers: (RightEventKind, RightEventKind, RightEventKind)
        @usableFromInline var triggerCount: Int
        @usableFromInline var triggerMask: UInt64
        @usableFromInline var perEvent: Bool
        /// The trigger's latest date instead of its earliest (``RuleSpec/Occurrence/last``).
        @usableFromInline var lastOccurrence: Bool
        @usableFromInline var base: Source
        @usableFromInline var span: Span
        @usableFromInline var endOfMonth: Bool
        /// The period ends on 31 December of the year it reaches (``endOfMonth`` is set too).
        @usableFromInline var endOfYear: Bool
        /// One period, or the later or earlier end of the legs.
        @usableFromInline var combination: Combination
        @usableFromInline var legs: (Leg, Leg, Leg)
        @usableFromInline var legCount: Int
        /// Occurrences: count, first label, step.
        @usableFromInline var count: Int
        @usableFromInline var firstHalfYears: Int16
        @usableFromInline var stepHalfYears: Int16
        @usableFromInline var stepMonths: Int
        @usableFromInline var isRepeated: Bool
        @usableFromInline var window: (origin: Origin, span: Span)?
        @usableFromInline var deferral: (source: Source, span: Span, onlyIfMask: UInt64)?
        @usableFromInline var final: Final?
        @usableFromInline var onlyIfMask: UInt64
        @usableFromInline var unlessMask: UInt64
        @usableFromInline var closedByMask: UInt64
        @usableFromInline var endsWithMask: UInt64
        @usableFromInline var clampedUnconfirmed: Bool
        /// The rule's calendar, not reference-counted (the rule owns it).
        @usableFromInline unowned(unsafe) var calendar: OfficeCalendar?

        @inline(__always)
        func trigger(_ index: Int) -> RightEventKind {
            switch index {
            case 0: triggers.0
            case 1: triggers.1
            default: triggers.2
            }
        }

        @inline(__always)
        func leg(_ index: Int) -> Leg {
            switch index {
            case 0: legs.0
            case 1: legs.1
            default: legs.2
            }
        }

        /// A compiled final date.
        @usableFromInline
        struct Final: Sendable {
            @usableFromInline var origin: Origin
            @usableFromInline var span: Span
            @usableFromInline var monthEndToMonthEnd: Bool
            @usableFromInline var cap: (origin: Origin, span: Span)?
        }

        /// How the periods of a rule combine.
        @usableFromInline
        enum Combination: Sendable {
            /// One period from the base date.
            case single
            /// The latest end of the legs (PCT Rule 54bis.1).
            case laterOf
            /// The earliest end of the legs.
            case earlierOf
        }

        /// What a window, a final date or a cap counts from.
        @usableFromInline
        enum Origin: Sendable {
            /// The base date, plus the occurrence's repeat step.
            case base
            /// The unrolled end of the period: a grace period that runs from the expiry of the
            /// period (EPC Rule 51(2), J 4/91).
            case nominal
            /// The period itself, lengthened and counted again from its start: an extension of
            /// time ends on the date corresponding to the start date in the later month, whatever
            /// the clamped end of the shorter period was (MPEP 710.01(a)).
            case period
        }
    }
}
