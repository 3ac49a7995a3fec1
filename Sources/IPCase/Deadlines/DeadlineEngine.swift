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
        guard let rules = book.ruleSet(jurisdiction: jurisdiction, kind: kind) else { return 0 }
        let before = output.count
        if output.capacity - before < 32 { output.reserveCapacity(before + 32) }
        let fileEnds = book.endsWithMask(jurisdiction: jurisdiction)
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
                Self.run(rule, summary: summary, events: events, fileEnds: fileEnds, into: &output)
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

    @inline(__always)
    static func add(_ day: Int32, _ span: DeadlineRule.Span, plusMonths extra: Int = 0) -> (CivilDate, Bool) {
        let start = CivilDate(daysSinceEpoch: day)
        let months = span.months + extra
        guard months != 0 else { return (start.adding(days: span.days), false) }
        let (year, month, dayOfMonth) = start.components
        let shifted = CivilDate.shifted(year: year, month: month, day: dayOfMonth, months: months)
        return (shifted.date.adding(days: span.days), shifted.clamped)
    }

    static func run(
        _ rule: DeadlineRule, summary: Summary, events: [RightEvent], fileEnds: UInt64, into output: inout [Deadline]
    ) {
        let plan = rule.plan
        let mask = summary.mask
        guard plan.triggerMask & mask != 0, plan.onlyIfMask & mask == plan.onlyIfMask, plan.unlessMask & mask == 0
        else { return }

        // The right ends with the first terminating event, unless restored later.
        var cutoff = Int32.max
        var ends = (fileEnds | plan.endsWithMask) & mask
        while ends != 0 {
            let ordinal = ends.trailingZeroBitCount
            cutoff = min(cutoff, summary.earliest(ordinal))
            ends &= ends - 1
        }
        if cutoff != .max, summary.latest(RightEventKind.restored.ordinal) > cutoff { cutoff = .max }

        var triggerOrdinal = plan.triggers[0]
        for ordinal in plan.triggers where mask & (1 << UInt64(ordinal)) != 0 {
            triggerOrdinal = ordinal
            break
        }
        let triggerKind = RightEventKind.allCases[triggerOrdinal]
        if plan.perEvent {
            for event in events where event.kind.ordinal == triggerOrdinal {
                emit(
                    rule, plan: plan, trigger: .init(kind: triggerKind, date: event.date), summary: summary,
                    events: events, cutoff: cutoff, into: &output)
            }
        } else {
            let date = CivilDate(daysSinceEpoch: summary.earliest(triggerOrdinal))
            emit(
                rule, plan: plan, trigger: .init(kind: triggerKind, date: date), summary: summary, events: events,
                cutoff: cutoff, into: &output)
        }
    }

    static func emit(
        _ rule: DeadlineRule, plan: DeadlineRule.Plan, trigger: Deadline.Trigger, summary: Summary,
        events: [RightEvent], cutoff: Int32, into output: inout [Deadline]
    ) {
        let triggerDay = trigger.date.daysSinceEpoch
        let baseDay: Int32
        if plan.combine == 0 {
            baseDay = summary.date(plan.base, trigger: triggerDay)
            guard baseDay != .max else { return }
        } else {
            baseDay = .max
        }
        let base = CivilDate(daysSinceEpoch: baseDay)
        let (baseYear, baseMonth, baseDayOfMonth) = plan.combine == 0 ? base.components : (0, 0, 0)

        var deferDay = Int32.max
        if let deferral = plan.deferral, deferral.onlyIfMask & summary.mask == deferral.onlyIfMask {
            let from = summary.date(deferral.source, trigger: triggerDay)
            if from != .max { deferDay = add(from, deferral.span).0.daysSinceEpoch }
        }

        for index in 0..<plan.count {
            var flags: Deadline.Flags = []
            var leg: UInt8 = 0
            var legBase = base
            var nominal: CivilDate
            let stepMonths = index * plan.stepMonths
            if plan.combine != 0 {
                var chosen: (date: CivilDate, clamped: Bool)?
                for (position, candidate) in plan.legs.enumerated() {
                    let from = summary.date(candidate.source, trigger: triggerDay)
                    guard from != .max else {
                        flags.insert(.legMissing)
                        continue
                    }
                    let end = add(from, candidate.span)
                    if let current = chosen, plan.combine > 0 ? end.0 <= current.date : end.0 >= current.date { continue }
                    chosen = (end.0, end.1)
                    leg = UInt8(position)
                    legBase = CivilDate(daysSinceEpoch: from)
                }
                guard let chosen else { return }
                nominal = chosen.date
                if chosen.clamped { flags.insert(.clamped) }
            } else if plan.endOfMonth {
                nominal = CivilDate.endOfMonth(year: baseYear, month: baseMonth, plusMonths: plan.span.months + stepMonths)
                    .adding(days: plan.span.days)
            } else {
                let shifted = CivilDate.shifted(
                    year: baseYear, month: baseMonth, day: baseDayOfMonth, months: plan.span.months + stepMonths)
                nominal = shifted.date.adding(days: plan.span.days)
                if shifted.clamped { flags.insert(.clamped) }
            }
            if nominal.daysSinceEpoch > cutoff { break }
            if nominal.daysSinceEpoch < deferDay && deferDay != .max {
                nominal = CivilDate(daysSinceEpoch: deferDay)
                flags.insert(.deferred)
            }

            var due = nominal
            if let calendar = rule.calendar {
                let roll = calendar.roll(nominal)
                due = roll.date
                if roll.skippedUnconfirmed { flags.insert(.dueSkippedUnconfirmed) }
                if roll.outsideData { flags.insert(.outsideCalendar) }
            }

            var window: CivilDate?
            if let offset = plan.window {
                if offset.fromBase {
                    window = CivilDate.shifted(
                        year: baseYear, month: baseMonth, day: baseDayOfMonth, months: offset.span.months + stepMonths
                    ).date.adding(days: offset.span.days)
                } else {
                    window = add(nominal.daysSinceEpoch, offset.span).0
                }
            }

            var final: CivilDate?
            if let plannedFinal = plan.final {
                var end: CivilDate
                if plannedFinal.fromBase {
                    end = CivilDate.shifted(
                        year: baseYear, month: baseMonth, day: baseDayOfMonth,
                        months: plannedFinal.span.months + stepMonths
                    ).date.adding(days: plannedFinal.span.days)
                } else if plannedFinal.monthEndToMonthEnd && nominal.isLastDayOfMonth {
                    let (year, month, _) = nominal.components
                    end = CivilDate.endOfMonth(year: year, month: month, plusMonths: plannedFinal.span.months)
                        .adding(days: plannedFinal.span.days)
                } else {
                    end = add(nominal.daysSinceEpoch, plannedFinal.span).0
                }
                if let cap = plannedFinal.cap {
                    let limit =
                        cap.fromBase
                        ? CivilDate.shifted(
                            year: baseYear, month: baseMonth, day: baseDayOfMonth, months: cap.span.months + stepMonths
                        ).date.adding(days: cap.span.days)
                        : add(nominal.daysSinceEpoch, cap.span).0
                    if limit < end {
                        end = limit
                        flags.insert(.finalCapped)
                    }
                }
                if let calendar = rule.calendar {
                    let roll = calendar.roll(end)
                    end = roll.date
                    if roll.skippedUnconfirmed { flags.insert(.finalSkippedUnconfirmed) }
                    if roll.outsideData { flags.insert(.outsideCalendar) }
                }
                final = end
            }

            let year: FeeYear? =
                plan.isRepeated
                ? FeeYear(halfYears: plan.firstHalfYears + Int16(index) * plan.stepHalfYears) : nil

            var closedBy: Deadline.Trigger?
            if plan.closedByMask & summary.mask != 0 {
                closedBy = closure(rule, plan: plan, trigger: trigger, year: year, events: events)
            }
            output.append(
                Deadline(
                    rule: rule, trigger: trigger, year: year, nominal: nominal, due: due, final: final,
                    windowOpens: window, closedBy: closedBy, base: plan.combine == 0 ? base : legBase, flags: flags,
                    leg: leg))
        }
    }

    /// The earliest closing event on or after the trigger (matching the year of a fee, and the
    /// office of a national-phase rule when the event names one).
    static func closure(
        _ rule: DeadlineRule, plan: DeadlineRule.Plan, trigger: Deadline.Trigger, year: FeeYear?, events: [RightEvent]
    ) -> Deadline.Trigger? {
        var best: Deadline.Trigger?
        for event in events where plan.closedByMask & event.kind.bit != 0 && event.date >= trigger.date {
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
