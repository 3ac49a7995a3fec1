/// Computes every deadline of a right from its events by the rules of a ``RuleBook``.
///
/// Pure and deterministic: the same jurisdiction, kind and events always give the same
/// deadlines in the same order (rule-file order, then occurrence). The hot path allocates only
/// the output array (none with ``deadlines(jurisdiction:kind:events:into:)`` and a reused
/// buffer) and builds no strings; ``Deadline/explanation`` is rendered on demand.
///
/// ```swift
/// let engine = DeadlineEngine()
/// let schedule = engine.deadlines(
///     jurisdiction: .european, kind: .patent,
///     events: [RightEvent(.filed, on: try CivilDate(iso: "2023-03-14"))])
/// schedule.first { $0.year == FeeYear(3) }?.due   // 2025-03-31
/// ```
public struct DeadlineEngine: Sendable {
    /// The rules and calendars used.
    public let book: RuleBook

    /// An engine over a rule book (by default the embedded one).
    public init(book: RuleBook = .standard) {
        self.book = book
    }

    /// Every deadline of a right, in schedule order; empty when no rule applies.
    public func deadlines(jurisdiction: Jurisdiction, kind: RightKind, events: [RightEvent]) -> [Deadline] {
        var output: [Deadline] = []
        deadlines(jurisdiction: jurisdiction, kind: kind, events: events, into: &output)
        return output
    }

    /// Appends every deadline of a right to `output` (reuse one buffer for many rights to avoid
    /// allocation); returns how many were appended.
    @discardableResult
    public func deadlines(
        jurisdiction: Jurisdiction, kind: RightKind, events: [RightEvent], into output: inout [Deadline]
    ) -> Int {
        guard let set = book.engineSet(jurisdiction: jurisdiction, kind: kind) else { return 0 }
        let rules = set.rules
        let before = output.count
        if output.capacity - before < 32 { output.reserveCapacity(before + 32) }
        let fileEnds = set.endsWithMask
        let kinds = RightEventKind.ordinalCount
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * kinds) { table in
            for index in 0..<kinds {
                table[index] = .max
                table[kinds + index] = .min
            }
            var mask: UInt64 = 0
            for event in events {
                let ordinal = event.kind.ordinal
                let day = event.date.daysSinceEpoch
                mask |= 1 << UInt64(ordinal)
                if day < table[ordinal] { table[ordinal] = day }
                if day > table[kinds + ordinal] { table[kinds + ordinal] = day }
            }
            let summary = Summary(table: UnsafePointer(table.baseAddress!), mask: mask)
            for rule in rules {
                rule._withUnsafeGuaranteedRef {
                    Self.run($0, summary: summary, events: events, fileEnds: fileEnds, into: &output)
                }
            }
        }
        return output.count - before
    }

    /// The earliest and latest date of each event kind present.
    struct Summary {
        let table: UnsafePointer<Int32>
        let mask: UInt64

        @inline(__always)
        func earliest(_ ordinal: Int) -> Int32 { table[ordinal] }

        @inline(__always)
        func latest(_ ordinal: Int) -> Int32 { table[RightEventKind.ordinalCount + ordinal] }

        /// The date of a source, `Int32.max` when missing.
        @inline(__always)
        func date(_ source: DeadlineRule.Source, trigger: Int32) -> Int32 {
            switch source {
            case .trigger: return trigger
            case .filing:
                let filed = earliest(RightEventKind.filed.ordinal)
                return filed != .max ? filed : earliest(RightEventKind.pctFiled.ordinal)
            case .earliestPriority:
                return min(
                    earliest(RightEventKind.priority.ordinal),
                    min(earliest(RightEventKind.filed.ordinal), earliest(RightEventKind.pctFiled.ordinal)))
            case .grant: return earliest(RightEventKind.granted.ordinal)
            case .publication: return earliest(RightEventKind.published.ordinal)
            case .event(let ordinal): return earliest(ordinal)
            }
        }
    }

    /// `day` plus a span (month arithmetic, then days); off the hot path's common case.
    @inline(__always)
    static func add(_ day: Int32, _ span: DeadlineRule.Span) -> (CivilDate, Bool) {
        guard span.months != 0 else { return (CivilDate(daysSinceEpoch: day + Int32(span.days)), false) }
        let (shifted, clamped) = YearMonthDay(CivilDate(daysSinceEpoch: day)).adding(months: span.months)
        return (CivilDate(daysSinceEpoch: shifted.daysSinceEpoch + Int32(span.days)), clamped)
    }

    static func run(
        _ rule: DeadlineRule, summary: Summary, events: [RightEvent], fileEnds: UInt64, into output: inout [Deadline]
    ) {
        let plan = UnsafePointer(rule.planPointer)
        let mask = summary.mask
        guard plan.pointee.triggerMask & mask != 0, plan.pointee.onlyIfMask & mask == plan.pointee.onlyIfMask,
            plan.pointee.unlessMask & mask == 0
        else { return }

        // The right ends with the first terminating event after its last restoration (or
        // rescinded lapse): a right restored and lapsed again ends with the second lapse.
        let resumed = max(
            summary.latest(RightEventKind.restored.ordinal), summary.latest(RightEventKind.lapseRescinded.ordinal))
        var cutoff = Int32.max
        var ends = (fileEnds | plan.pointee.endsWithMask) & mask
        while ends != 0 {
            let ordinal = ends.trailingZeroBitCount
            let first = summary.earliest(ordinal)
            let last = summary.latest(ordinal)
            if first > resumed {
                cutoff = min(cutoff, first)
            } else if last > resumed {
                cutoff = min(cutoff, last)
            }
            ends &= ends - 1
        }

        var triggerKind = plan.pointee.triggers.0
        for index in 0..<plan.pointee.triggerCount where mask & plan.pointee.trigger(index).bit != 0 {
            triggerKind = plan.pointee.trigger(index)
            break
        }
        if plan.pointee.perEvent {
            // One deadline per distinct trigger date, in date order, whatever the order of events.
            var previous = Int32.min
            while true {
                var next = Int32.max
                for event in events where event.kind == triggerKind {
                    let day = event.date.daysSinceEpoch
                    if day > previous && day < next { next = day }
                }
                guard next != .max else { break }
                emit(
                    rule, plan: plan, trigger: .init(kind: triggerKind, date: CivilDate(daysSinceEpoch: next)),
                    summary: summary, events: events, cutoff: cutoff, into: &output)
                previous = next
            }
        } else {
            let date = CivilDate(daysSinceEpoch: summary.earliest(triggerKind.ordinal))
            emit(
                rule, plan: plan, trigger: .init(kind: triggerKind, date: date), summary: summary, events: events,
                cutoff: cutoff, into: &output)
        }
    }

    @inline(__always)
    static func emit(
        _ rule: DeadlineRule, plan: UnsafePointer<DeadlineRule.Plan>, trigger: Deadline.Trigger, summary: Summary,
        events: [RightEvent], cutoff: Int32, into output: inout [Deadline]
    ) {
        let months = MonthTable.shared
        let triggerDay = trigger.date.daysSinceEpoch
        var baseDay: Int32 = 0
        // The base date as a month index and a day of the month.
        var baseMonth = 0
        var baseDayOfMonth = 1
        if plan.pointee.combine == 0 {
            baseDay = summary.date(plan.pointee.base, trigger: triggerDay)
            guard baseDay != .max else { return }
            let base = YearMonthDay(CivilDate(daysSinceEpoch: baseDay))
            baseMonth = MonthTable.index(base)
            baseDayOfMonth = base.day
        }

        var deferDay = Int32.max
        if let deferral = plan.pointee.deferral, deferral.onlyIfMask & summary.mask == deferral.onlyIfMask {
            let from = summary.date(deferral.source, trigger: triggerDay)
            if from != .max { deferDay = add(from, deferral.span).0.daysSinceEpoch }
        }
        // Read the plan once: `output.append` writes memory, so fields read through the pointer
        // inside the loop would be reloaded on every occurrence.
        let calendar = plan.pointee.calendar
        let count = plan.pointee.count
        let planStepMonths = plan.pointee.stepMonths
        let combine = plan.pointee.combine
        let span = plan.pointee.span
        let endOfMonth = plan.pointee.endOfMonth
        let plannedWindow = plan.pointee.window
        let plannedFinal = plan.pointee.final
        let isRepeated = plan.pointee.isRepeated
        let firstHalfYears = plan.pointee.firstHalfYears
        let stepHalfYears = plan.pointee.stepHalfYears
        let closedByMask = plan.pointee.closedByMask

        /// `months` after (month, day), clamped to the month's last day.
        @inline(__always)
        func shifted(_ month: Int, _ day: Int, _ count: Int) -> (month: Int, day: Int, clamped: Bool) {
            let target = month &+ count
            let length = months.length(target)
            return day > length ? (target, length, true) : (target, day, false)
        }

        for index in 0..<count {
            var flags: Deadline.Flags = []
            var leg: UInt8 = 0
            var legBase = CivilDate(daysSinceEpoch: baseDay)
            var nominalDay: Int32
            // The nominal date as month index and day, when known without conversion.
            var nominalMonth = 0
            var nominalDayOfMonth = 0
            var nominalKnown = false
            let stepMonths = index &* planStepMonths
            if combine != 0 {
                var chosen: (date: CivilDate, clamped: Bool)?
                for position in 0..<plan.pointee.legCount {
                    let candidate = plan.pointee.leg(position)
                    let from = summary.date(candidate.source, trigger: triggerDay)
                    guard from != .max else {
                        flags.insert(.legMissing)
                        continue
                    }
                    let end = add(from, candidate.span)
                    if let current = chosen, combine > 0 ? end.0 <= current.date : end.0 >= current.date {
                        continue
                    }
                    chosen = (end.0, end.1)
                    leg = UInt8(position)
                    legBase = CivilDate(daysSinceEpoch: from)
                }
                guard let chosen else { return }
                nominalDay = chosen.date.daysSinceEpoch
                if chosen.clamped { flags.insert(.clamped) }
            } else {
                let target = baseMonth &+ span.months &+ stepMonths
                if endOfMonth {
                    nominalMonth = target
                    nominalDayOfMonth = months.length(target)
                } else {
                    let end = shifted(baseMonth, baseDayOfMonth, span.months &+ stepMonths)
                    nominalMonth = end.month
                    nominalDayOfMonth = end.day
                    if end.clamped { flags.insert(.clamped) }
                }
                nominalDay = months.day(nominalMonth, nominalDayOfMonth)
                if span.days != 0 {
                    nominalDay &+= Int32(truncatingIfNeeded: span.days)
                } else {
                    nominalKnown = true
                }
            }
            if nominalDay > cutoff { break }
            if nominalDay < deferDay && deferDay != .max {
                nominalDay = deferDay
                nominalKnown = false
                flags.insert(.deferred)
            }
            let nominal = CivilDate(daysSinceEpoch: nominalDay)
            if !nominalKnown && (plannedWindow != nil || plannedFinal != nil) {
                let date = YearMonthDay(nominal)
                nominalMonth = MonthTable.index(date)
                nominalDayOfMonth = date.day
            }

            var due = nominal
            if let calendar {
                let roll = calendar.roll(nominal)
                due = roll.date
                if roll.skippedUnconfirmed { flags.insert(.dueSkippedUnconfirmed) }
                if roll.outsideData { flags.insert(.outsideCalendar) }
            }

            var window: CivilDate?
            if let offset = plannedWindow {
                let end =
                    offset.fromBase
                    ? shifted(baseMonth, baseDayOfMonth, offset.span.months &+ stepMonths)
                    : shifted(nominalMonth, nominalDayOfMonth, offset.span.months)
                window = CivilDate(
                    daysSinceEpoch: months.day(end.month, end.day) &+ Int32(truncatingIfNeeded: offset.span.days))
            }

            var final: CivilDate?
            if let plannedFinal {
                var endDay: Int32
                if plannedFinal.fromBase {
                    let end = shifted(baseMonth, baseDayOfMonth, plannedFinal.span.months &+ stepMonths)
                    endDay = months.day(end.month, end.day)
                } else if plannedFinal.monthEndToMonthEnd && nominalDayOfMonth == months.length(nominalMonth) {
                    endDay = months.firstDay(nominalMonth &+ plannedFinal.span.months &+ 1) &- 1
                } else {
                    let end = shifted(nominalMonth, nominalDayOfMonth, plannedFinal.span.months)
                    endDay = months.day(end.month, end.day)
                }
                endDay &+= Int32(truncatingIfNeeded: plannedFinal.span.days)
                if let cap = plannedFinal.cap {
                    let end =
                        cap.fromBase
                        ? shifted(baseMonth, baseDayOfMonth, cap.span.months &+ stepMonths)
                        : shifted(nominalMonth, nominalDayOfMonth, cap.span.months)
                    let limit = months.day(end.month, end.day) &+ Int32(truncatingIfNeeded: cap.span.days)
                    if limit < endDay {
                        endDay = limit
                        flags.insert(.finalCapped)
                    }
                }
                var end = CivilDate(daysSinceEpoch: endDay)
                if let calendar {
                    let roll = calendar.roll(end)
                    end = roll.date
                    if roll.skippedUnconfirmed { flags.insert(.finalSkippedUnconfirmed) }
                    if roll.outsideData { flags.insert(.outsideCalendar) }
                }
                final = end
            }

            let year: FeeYear? =
                isRepeated
                ? FeeYear(
                    halfYears: firstHalfYears &+ Int16(truncatingIfNeeded: index)
                        &* stepHalfYears)
                : nil

            var closedBy: Deadline.Trigger?
            if closedByMask & summary.mask != 0 {
                closedBy = closure(rule, plan: plan, trigger: trigger, year: year, events: events)
            }
            output.append(
                Deadline(
                    rule: rule, trigger: trigger, year: year, nominal: nominal, due: due, final: final,
                    windowOpens: window, closedBy: closedBy, base: legBase, flags: flags, leg: leg))
        }
    }

    /// The earliest closing event on or after the trigger (matching the year of a fee, and the
    /// office of a national-phase rule when the event names one).
    static func closure(
        _ rule: DeadlineRule, plan: UnsafePointer<DeadlineRule.Plan>, trigger: Deadline.Trigger, year: FeeYear?,
        events: [RightEvent]
    ) -> Deadline.Trigger? {
        var best: Deadline.Trigger?
        for event in events where plan.pointee.closedByMask & event.kind.bit != 0 && event.date >= trigger.date {
            if event.kind == .annuityPaid {
                guard let paid = event.year, let year, year.isPaid(byYear: paid) else { continue }
            }
            if let office = rule.spec.office, let reference = event.reference, reference.uppercased() != office {
                continue
            }
            if best == nil || event.date < best!.date { best = .init(kind: event.kind, date: event.date) }
        }
        return best
    }
}
