extension Deadline {
    /// One line that derives the deadline: the base date and period, month-end clamping or
    /// anchoring, deferral, the citation, each closed day skipped and why, the grace or extension
    /// limit, the payment window, what closed it, and why it is unconfirmed where it is.
    ///
    /// Rendered on demand (never in the engine's hot path), e.g.
    /// "30 months from earliest priority 2023-03-14, PCT Art. 22(1); 2025-09-14 is a Sunday → 2025-09-15".
    public var explanation: String {
        let plan = rule.plan
        var text = ""
        if let year { text += "year \(year): " }

        // The period.
        if plan.combination != .single {
            text += plan.combination == .laterOf ? "later of " : "earlier of "
            let legs = rule.spec.laterOf ?? rule.spec.earlierOf ?? []
            let parts = legs.enumerated().map { position, leg in
                let source = leg.base.map(Deadline.name(of:)) ?? leg.event?.rawValue ?? "?"
                return position == Int(self.leg)
                    ? "\(leg.period) from \(source) \(base) → \(undeferredNominal)"
                    : "\(leg.period) from \(source)"
            }
            text += parts.joined(separator: " and ")
            if flags.contains(.legMissing) {
                text += " [not every date recorded: the limit may be later]"
            } else {
                text += plan.combination == .laterOf ? " (the others end earlier)" : " (the others end later)"
            }
        } else {
            let months = plan.span.months + occurrenceIndex * plan.stepMonths
            let period =
                occurrenceIndex == 0
                ? rule.spec.period ?? Period()
                : Period(years: months / 12, months: months % 12, days: plan.span.days)
            var baseName = Deadline.name(of: rule.spec.base ?? .trigger, trigger: trigger)
            if plan.lastOccurrence && (rule.spec.base ?? .trigger) == .trigger { baseName = "the last " + baseName }
            text += period.isZero ? "\(baseName) \(base)" : "\(period) from \(baseName) \(base)"
            let plain = undeferredNominal
            if plan.endOfYear {
                text += ", to the end of that year → \(plain)"
            } else if plan.endOfMonth {
                text += ", last day of that month → \(plain)"
            } else if flags.contains(.clamped) {
                let (_, _, day) = base.components
                text += " → \(plain) (no day \(day) in that month: its last day)"
            } else if due == nominal || flags.contains(.deferred) {
                text += " → \(plain)"
            }
        }
        text += ", \(rule.citation)"

        if flags.contains(.deferred), let deferral = rule.spec.deferTo {
            text +=
                "; before \(deferral.period) from \(Deadline.name(of: deferral.base)) (\(nominal)), so due then, \(deferral.citation)"
        }

        // Rolling.
        if let calendar = rule.calendar {
            if due != nominal {
                text += "; " + Deadline.skipped(from: nominal, to: due, calendar: calendar) + " → \(due)"
            }
            if let note = rule.calendarNote, due != nominal || !calendar.covers(nominal) {
                text += " (\(note))"
            } else if flags.contains(.outsideCalendar) {
                text +=
                    " (beyond the \(calendar.id) calendar data \(calendar.years.lowerBound)–\(calendar.years.upperBound): weekends only)"
            }
        } else {
            text += "; not rolled"
        }

        // Grace or extension.
        if let final, let spec = rule.spec.final {
            let kind: String
            switch spec.kind {
            case .grace: kind = "grace"
            case .`extension`: kind = "extension"
            case .lateEntry: kind = "late entry"
            case .restoration: kind = "restoration"
            }
            let baseName = Deadline.name(of: rule.spec.base ?? .trigger, trigger: trigger)
            switch plan.final?.origin {
            case .period:
                // The extended dates, each counted from the start of the period (MPEP 710.01(a)).
                text += "; \(kind) by up to \(spec.period), counted from \(baseName) \(base)"
                if let steps = spec.steps, steps.totalMonths > 0, !flags.contains(.deferred) {
                    var dates: [String] = []
                    var months = steps.totalMonths
                    while months <= spec.period.totalMonths {
                        let end = period.end(extendedBy: .init(months: months, days: 0), in: .shared)
                        dates.append(CivilDate(daysSinceEpoch: end.day).description)
                        months += steps.totalMonths
                    }
                    text += " (\(dates.joined(separator: ", ")))"
                }
            case .nominal:
                text += "; \(kind) to \(spec.period) after \(nominal)"
                if spec.anchor == .monthEndToMonthEnd && nominal.isLastDayOfMonth {
                    text += ", month end to month end"
                }
            case .base, nil:
                let months = spec.period.totalMonths + occurrenceIndex * plan.stepMonths
                let period = occurrenceIndex == 0 ? spec.period : Period(years: months / 12, months: months % 12)
                text += "; \(kind) to " + (period.isZero ? "\(baseName) \(base)" : "\(period) from \(baseName) \(base)")
            }
            if let cap = spec.cap, flags.contains(.finalCapped) {
                text +=
                    ", capped at \(cap.period) from \(cap.from == .base ? baseName : "the nominal date")"
                if let citation = cap.citation { text += " (\(citation))" }
            }
            let unrolledFinal = unrolledFinalDate
            if let calendar = rule.calendar, unrolledFinal != final {
                text += "; " + Deadline.skipped(from: unrolledFinal, to: final, calendar: calendar) + " → \(final)"
            } else {
                text += " → \(final)"
            }
            if let note = spec.note { text += " (\(note))" }
            if let citation = spec.citation { text += ", \(citation)" }
        }

        if let windowOpens { text += "; may be done from \(windowOpens)" }
        if let closedBy { text += "; met by \(closedBy.kind.rawValue) \(closedBy.date)" }

        var doubts: [String] = []
        if rule.status == .unconfirmed { doubts.append(rule.spec.note ?? "rule not yet confirmed") }
        if flags.contains(.dueSkippedUnconfirmed) || flags.contains(.finalSkippedUnconfirmed) {
            doubts.append("rolled over a closed day that is not confirmed")
        }
        if flags.contains(.outsideCalendar), let calendar = rule.calendar {
            if rule.calendarNote != nil {
                // No data at all for this office (a weekends-only calendar): say that, not "that year".
                doubts.append("the office's closed days other than weekends are not in the calendar data")
            } else {
                doubts.append("the \(calendar.id) holidays of that year are not in the calendar data yet")
            }
        }
        if flags.contains(.clamped) && plan.clampedUnconfirmed {
            doubts.append("month-end clamping here is not confirmed")
        }
        if final != nil, let spec = rule.spec.final, spec.status == .unconfirmed {
            doubts.append("the final date is not confirmed" + (spec.citation.map { " (\($0))" } ?? ""))
        }
        if !doubts.isEmpty { text += "; unconfirmed: " + doubts.joined(separator: "; ") }
        return text
    }

    /// The occurrence index of a repeated rule.
    private var occurrenceIndex: Int {
        guard let year else { return 0 }
        return Int((year.halfYears - rule.plan.firstHalfYears) / max(rule.plan.stepHalfYears, 1))
    }

    /// The engine's nominal step for this deadline, rebuilt from what it stored.
    private var reckoned: DeadlineEngine.Nominal {
        DeadlineEngine.Nominal(
            day: nominal.daysSinceEpoch, date: nil, base: base.daysSinceEpoch, leg: leg, flags: flags)
    }

    /// The period the deadline's nominal date ends, as the engine counts it.
    private var period: Reckoning {
        withUnsafePointer(to: rule.plan) { plan in
            DeadlineEngine.period(
                of: reckoned, plan: plan, base: MonthDate(base.daysSinceEpoch),
                stepMonths: occurrenceIndex * rule.plan.stepMonths)
        }
    }

    /// The nominal date before any deferral.
    private var undeferredNominal: CivilDate {
        guard flags.contains(.deferred) else { return nominal }
        var undeferred = reckoned
        undeferred.flags.remove(.deferred)
        let period = withUnsafePointer(to: rule.plan) { plan in
            DeadlineEngine.period(
                of: undeferred, plan: plan, base: MonthDate(base.daysSinceEpoch),
                stepMonths: occurrenceIndex * rule.plan.stepMonths)
        }
        return CivilDate(daysSinceEpoch: period.end(in: .shared).day)
    }

    /// The final date before rolling, as the engine computed it.
    private var unrolledFinalDate: CivilDate {
        guard let final = rule.plan.final else { return due }
        let end = withUnsafePointer(to: rule.plan) { plan in
            DeadlineEngine.unrolledFinal(
                final, nominal: reckoned, plan: plan, base: MonthDate(base.daysSinceEpoch),
                stepMonths: occurrenceIndex * rule.plan.stepMonths, table: .shared)
        }
        return CivilDate(daysSinceEpoch: end.day)
    }

    static func name(of base: RuleSpec.BaseDate) -> String {
        switch base {
        case .trigger: "the trigger"
        case .filing: "filing"
        case .earliestPriority: "earliest priority"
        case .grant: "grant"
        case .publication: "publication"
        case .notification: "notification"
        }
    }

    static func name(of base: RuleSpec.BaseDate, trigger: Trigger) -> String {
        base == .trigger ? trigger.kind.rawValue : name(of: base)
    }

    /// "2025-09-13 is a Saturday, 2025-09-14 is a Sunday" for the closed days in `from ..< to`.
    static func skipped(from: CivilDate, to: CivilDate, calendar: OfficeCalendar) -> String {
        var parts: [String] = []
        var day = from
        while day < to {
            if let closed = calendar.closedDay(day) {
                var part: String
                switch closed.kind {
                case .weekend: part = "\(day) is a \(closed.name)"
                case .holiday, .closure:
                    part = "\(day) is \(closed.name)"
                    if OfficeCalendar.isWeekend(day.daysSinceEpoch, mask: calendar.weekendMask) {
                        part += ", a \(day.weekday.name)"
                    }
                case .carriedOver, .movedByDecree: part = "\(day) is a \(closed.name)"
                case .override: part = "\(calendar.id) closed \(day) by \(closed.source)"
                }
                if closed.status == .unconfirmed { part += " (unconfirmed)" }
                parts.append(part)
            }
            day = day.adding(days: 1)
        }
        return parts.joined(separator: ", ")
    }
}
