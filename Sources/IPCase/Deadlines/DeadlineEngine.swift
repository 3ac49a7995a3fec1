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
            let day =
                plan.pointee.lastOccurrence
                ? summary.latest(triggerKind.ordinal) : summary.earliest(triggerKind.ordinal)
            let date = CivilDate(daysSinceEpoch: day)
            emit(
                rule, plan: plan, trigger: .init(kind: triggerKind, date: date), summary: summary, events: events,
                cutoff: cutoff, into: &output)
        }
    }

    /// The deadlines of one trigger: for each occurrence, the steps in order: the nominal date
    /// (``nominal(_:base:stepMonths:summary:triggerDay:table:)``), a deferral, rolling the due
    /// date, the window, the final date (``unrolledFinal(_:nominal:base:stepMonths:table:)``, then
    /// rolled), the fee year and what closed it.
    @inline(__always)
    static func emit(
        _ rule: DeadlineRule, plan: UnsafePointer<DeadlineRule.Plan>, trigger: Deadline.Trigger, summary: Summary,
        events: [RightEvent], cutoff: Int32, into output: inout [Deadline]
    ) {
        let table = MonthTable.shared
        let triggerDay = trigger.date.daysSinceEpoch
        // A single period's base is the same for every occurrence; a combination's is its leg's.
        let single = plan.pointee.combination == .single
        var baseDay: Int32 = 0
        var base = MonthDate(month: 0, day: 1)
        if single {
            baseDay = summary.date(plan.pointee.base, trigger: triggerDay)
            guard baseDay != .max else { return }
            base = MonthDate(baseDay)
        }
        var deferDay = Int32.max
        if let deferral = plan.pointee.deferral, deferral.onlyIfMask & summary.mask == deferral.onlyIfMask {
            let from = summary.date(deferral.source, trigger: triggerDay)
            if from != .max {
                deferDay =
                    Reckoning(
                        start: MonthDate(from), months: deferral.span.months,
                        days: Int32(truncatingIfNeeded: deferral.span.days)
                    ).end(in: table).day
            }
        }
        // Read what every occurrence needs once: `output.append` writes memory, so fields read
        // through the pointer inside the loop would be reloaded each time.
        let count = plan.pointee.count
        let planStepMonths = plan.pointee.stepMonths
        let calendar = plan.pointee.calendar
        let window = plan.pointee.window
        let plannedFinal = plan.pointee.final
        let isRepeated = plan.pointee.isRepeated
        let firstHalfYears = plan.pointee.firstHalfYears
        let stepHalfYears = plan.pointee.stepHalfYears
        let closedByMask = plan.pointee.closedByMask
        // A repeated deadline (a renewal every 10 years) is met by a yearless event of its own
        // cycle only: after the previous occurrence's nominal date.
        var cycleStart = triggerDay

        for index in 0..<count {
            let stepMonths = index &* planStepMonths
            guard
                var nominal = Self.nominal(
                    plan, base: base, baseDay: baseDay, stepMonths: stepMonths, summary: summary,
                    triggerDay: triggerDay, table: table)
            else { return }
            if nominal.day > cutoff { break }
            if nominal.day < deferDay && deferDay != .max { nominal.defer(to: deferDay) }
            // The window and the final date count from the nominal date as a month date:
            // convert once (a period with a days part, or a deferral), not in each step.
            if nominal.date == nil && (window != nil || plannedFinal != nil) { nominal.date = MonthDate(nominal.day) }
            var flags = nominal.flags
            let due = roll(nominal.day, by: calendar, unconfirmed: .dueSkippedUnconfirmed, flags: &flags)

            var windowOpens: CivilDate?
            if let window {
                let start = single ? base : MonthDate(nominal.base)
                windowOpens = CivilDate(
                    daysSinceEpoch: offset(
                        window.origin, window.span, nominal: nominal, plan: plan, base: start,
                        stepMonths: stepMonths, table: table))
            }

            var final: CivilDate?
            if let plannedFinal {
                let start = single ? base : MonthDate(nominal.base)
                let end = unrolledFinal(
                    plannedFinal, nominal: nominal, plan: plan, base: start, stepMonths: stepMonths, table: table)
                if end.capped { flags.insert(.finalCapped) }
                final = roll(end.day, by: calendar, unconfirmed: .finalSkippedUnconfirmed, flags: &flags)
            }

            let year: FeeYear? =
                isRepeated
                ? FeeYear(halfYears: firstHalfYears &+ Int16(truncatingIfNeeded: index) &* stepHalfYears) : nil

            var closedBy: Deadline.Trigger?
            if closedByMask & summary.mask != 0 {
                closedBy = closure(
                    rule, plan: plan, trigger: trigger, year: year, cycleStart: isRepeated && index > 0 ? cycleStart : nil,
                    events: events)
            }
            cycleStart = nominal.day
            output.append(
                Deadline(
                    rule: rule, trigger: trigger, year: year, nominal: CivilDate(daysSinceEpoch: nominal.day),
                    due: due, final: final, windowOpens: windowOpens, closedBy: closedBy,
                    base: CivilDate(daysSinceEpoch: nominal.base), flags: flags, leg: nominal.leg))
        }
    }

    /// The end of an occurrence's period before rolling.
    @usableFromInline
    struct Nominal {
        /// Days since 1970-01-01.
        var day: Int32
        /// The end as a month date, when known without conversion.
        var date: MonthDate?
        /// The date the period ran from, as the explanation shows it.
        var base: Int32
        /// The leg of a combination that was chosen.
        var leg: UInt8
        var flags: Deadline.Flags

        /// The nominal date as a month date.
        @inline(__always)
        func monthDate() -> MonthDate { date ?? MonthDate.converting(day) }

        /// Moved later to the date of a deferral.
        @inline(__always)
        mutating func `defer`(to deferred: Int32) {
            day = deferred
            date = nil
            flags.insert(.deferred)
        }
    }

    /// Step 1, the nominal date: the end of a single period (its occurrence `stepMonths` later),
    /// or the later or earlier end of a combination's legs; `nil` when no leg's date is known.
    @_transparent
    static func nominal(
        _ plan: UnsafePointer<DeadlineRule.Plan>, base: MonthDate, baseDay: Int32, stepMonths: Int, summary: Summary,
        triggerDay: Int32, table: MonthTable
    ) -> Nominal? {
        let combination = plan.pointee.combination
        guard combination != .single else {
            let span = plan.pointee.span
            let period = Reckoning(
                start: base, months: span.months &+ stepMonths, days: Int32(truncatingIfNeeded: span.days),
                endOfMonth: plan.pointee.endOfMonth, endOfYear: plan.pointee.endOfYear)
            let end = period.end(in: table)
            return Nominal(
                day: end.day, date: end.date, base: baseDay, leg: 0, flags: end.clamped ? .clamped : [])
        }
        var chosen: Nominal?
        var missing = false
        for position in 0..<plan.pointee.legCount {
            let leg = plan.pointee.leg(position)
            let from = summary.date(leg.source, trigger: triggerDay)
            guard from != .max else {
                missing = true
                continue
            }
            let period = Reckoning(
                start: MonthDate(from), months: leg.span.months, days: Int32(truncatingIfNeeded: leg.span.days))
            let end = period.end(in: table)
            if let current = chosen, combination == .laterOf ? end.day <= current.day : end.day >= current.day {
                continue
            }
            chosen = Nominal(
                day: end.day, date: end.date, base: from, leg: UInt8(position),
                flags: end.clamped ? .clamped : [])
        }
        if missing { chosen?.flags.insert(.legMissing) }
        return chosen
    }

    /// Step 2, rolling: `day` moved past the closed days of the rule's calendar (not moved
    /// without one), noting an unconfirmed closed day skipped or a year beyond the data.
    @_transparent
    static func roll(
        _ day: Int32, by calendar: OfficeCalendar?, unconfirmed: Deadline.Flags, flags: inout Deadline.Flags
    ) -> CivilDate {
        let date = CivilDate(daysSinceEpoch: day)
        guard let calendar else { return date }
        let roll = calendar.roll(date)
        if roll.skippedUnconfirmed { flags.insert(unconfirmed) }
        if roll.outsideData { flags.insert(.outsideCalendar) }
        return roll.date
    }

    /// A date `span` from an origin (a window's opening, a final date, a cap), before rolling:
    /// from the base (with the occurrence's step), from the nominal date, or the period itself
    /// lengthened by `span` and counted from its start.
    @_transparent
    static func offset(
        _ origin: DeadlineRule.Plan.Origin, _ span: DeadlineRule.Span, nominal: Nominal, plan: UnsafePointer<DeadlineRule.Plan>,
        base: MonthDate, stepMonths: Int, table: MonthTable
    ) -> Int32 {
        switch origin {
        case .base:
            return Reckoning(start: base, months: span.months &+ stepMonths, days: Int32(truncatingIfNeeded: span.days))
                .end(in: table).day
        case .nominal:
            return nominal.monthDate().adding(months: span.months, in: table).date.daysSinceEpoch(in: table)
                &+ Int32(truncatingIfNeeded: span.days)
        case .period:
            return extended(nominal, by: span, plan: plan, base: base, stepMonths: stepMonths, table: table)
        }
    }

    /// The end of the period a nominal date ends, lengthened by `span` (an extension of time):
    /// kept out of line, as only a few rules have one, so that the common steps stay small
    /// enough for the optimizer to inline the output's append into the occurrence loop.
    @inline(never)
    static func extended(
        _ nominal: Nominal, by span: DeadlineRule.Span, plan: UnsafePointer<DeadlineRule.Plan>, base: MonthDate,
        stepMonths: Int, table: MonthTable
    ) -> Int32 {
        period(of: nominal, plan: plan, base: base, stepMonths: stepMonths).end(extendedBy: span, in: table).day
    }

    /// The period a nominal date ends, counted from its start (the base with the occurrence's
    /// step, or the chosen leg's date); after a deferral, a period of nothing from the date
    /// deferred to.
    @_transparent
    static func period(
        of nominal: Nominal, plan: UnsafePointer<DeadlineRule.Plan>, base: MonthDate, stepMonths: Int
    ) -> Reckoning {
        if nominal.flags.contains(.deferred) { return Reckoning(start: nominal.monthDate(), months: 0) }
        switch plan.pointee.combination {
        case .single:
            let span = plan.pointee.span
            return Reckoning(
                start: base, months: span.months &+ stepMonths, days: Int32(truncatingIfNeeded: span.days),
                endOfMonth: plan.pointee.endOfMonth, endOfYear: plan.pointee.endOfYear)
        case .laterOf, .earlierOf:
            let leg = plan.pointee.leg(Int(nominal.leg))
            return Reckoning(start: base, months: leg.span.months, days: Int32(truncatingIfNeeded: leg.span.days))
        }
    }

    /// Step 3, the final date before rolling: the end of the grace period (month end to month
    /// end where the rule says so) or of the extension, never later than its cap.
    @_transparent
    static func unrolledFinal(
        _ final: DeadlineRule.Plan.Final, nominal: Nominal, plan: UnsafePointer<DeadlineRule.Plan>, base: MonthDate,
        stepMonths: Int, table: MonthTable
    ) -> (day: Int32, capped: Bool) {
        var day: Int32
        let date = final.origin == .nominal && final.monthEndToMonthEnd ? nominal.monthDate() : nil
        if let date, date.day == table.length(date.month) {
            day = table.firstDay(date.month &+ final.span.months &+ 1) &- 1 &+ Int32(truncatingIfNeeded: final.span.days)
        } else {
            day = offset(final.origin, final.span, nominal: nominal, plan: plan, base: base, stepMonths: stepMonths, table: table)
        }
        guard let cap = final.cap else { return (day, false) }
        let limit = offset(cap.origin, cap.span, nominal: nominal, plan: plan, base: base, stepMonths: stepMonths, table: table)
        return limit < day ? (limit, true) : (day, false)
    }

    /// The earliest closing event on or after the trigger (matching the year of a fee, and the
    /// office of a national-phase rule when the event names one). For a later occurrence of a
    /// repeated deadline, `cycleStart` is the previous occurrence's nominal day: an event without
    /// a year (a renewal requested) meets only the occurrence whose cycle it falls in, after it.
    static func closure(
        _ rule: DeadlineRule, plan: UnsafePointer<DeadlineRule.Plan>, trigger: Deadline.Trigger, year: FeeYear?,
        cycleStart: Int32?, events: [RightEvent]
    ) -> Deadline.Trigger? {
        var best: Deadline.Trigger?
        for event in events where plan.pointee.closedByMask & event.kind.bit != 0 && event.date >= trigger.date {
            if event.kind == .annuityPaid {
                guard let paid = event.year, let year, year.isPaid(byYear: paid) else { continue }
            } else if let cycleStart, event.date.daysSinceEpoch <= cycleStart {
                continue
            }
            if let office = rule.spec.office, let reference = event.reference, reference.uppercased() != office {
                continue
            }
            if best == nil || event.date < best!.date { best = .init(kind: event.kind, date: event.date) }
        }
        return best
    }
}
