extension Deadline {
    /// One line that derives the deadline: the base date and period, month-end clamping or
    /// anchoring, deferral, the citation, each closed day skipped and why, the grace or extension
    /// limit, the payment window, what closed it, and why it is unconfirmed where it is.
    ///
    /// Rendered on demand (never in the engine's hot path), e.g.
    /// "30 months from earliest priority 2023-03-14, PCT Art. 22(1); 2025-09-14 is a Sunday → 2025-09-15".
    /// The English text of ``explanation(phrases:)``.
    public var explanation: String { explanation(phrases: .english).text }

    /// The explanation in the language of `phrases`: its fixed phrases from them, and what comes
    /// from the data (citations, notes, holiday names, sources) quoted as it is written there.
    ///
    /// ```swift
    /// deadline.explanation(phrases: Localizer(.russian).explanationPhrases).text
    /// // "30 месяцев с даты наиболее раннего приоритета 14.03.2023, PCT Art. 22(1); 14.09.2025 — воскресенье → 15.09.2025"
    /// ```
    public func explanation(phrases say: ExplanationPhrases) -> Explanation {
        let plan = rule.plan
        var text = Explanation()
        if let year { text.append(say(.yearPrefix, local: ["year": "\(year)"])) }

        // The period.
        if plan.combination != .single {
            let legs = rule.spec.laterOf ?? rule.spec.earlierOf ?? []
            let parts = legs.enumerated().map { position, leg -> Explanation in
                let source =
                    leg.base.map { say.text($0) } ?? leg.event.map { say.event($0.rawValue) } ?? say(.unknownBase)
                guard position == Int(self.leg) else {
                    return say(.fromUndated, ["period": say.text(leg.period), "base": source])
                }
                var part = say(.fromDated, ["period": say.text(leg.period), "base": source, "date": say.text(base)])
                part.append(say(.arrow, ["date": say.text(undeferredNominal)]))
                return part
            }
            let joined = Explanation.joined(parts, separator: say.template(.legSeparator))
            text.append(say(plan.combination == .laterOf ? .laterOf : .earlierOf, ["legs": joined]))
            if flags.contains(.legMissing) {
                text.append(say(.legMissing))
            } else {
                text.append(say(plan.combination == .laterOf ? .othersEndEarlier : .othersEndLater))
            }
        } else {
            let months = plan.span.months + occurrenceIndex * plan.stepMonths
            let period =
                occurrenceIndex == 0
                ? rule.spec.period ?? Period()
                : Period(years: months / 12, months: months % 12, days: plan.span.days)
            let baseDate = rule.spec.base ?? .trigger
            let baseName = say.text(baseDate, trigger: trigger, last: plan.lastOccurrence && baseDate == .trigger)
            text.append(
                period.isZero
                    ? say(.atDate, ["base": baseName, "date": say.text(base)])
                    : say(.fromDated, ["period": say.text(period), "base": baseName, "date": say.text(base)]))
            let plain = say.text(undeferredNominal)
            if plan.endOfYear {
                text.append(say(.endOfYear, ["date": plain]))
            } else if plan.endOfMonth {
                text.append(say(.endOfMonth, ["date": plain]))
            } else if flags.contains(.clamped) {
                let (_, _, day) = base.components
                text.append(say(.clamped, ["date": plain, "day": Explanation(local: String(day))]))
            } else if due == nominal || flags.contains(.deferred) {
                text.append(say(.arrow, ["date": plain]))
            }
        }
        text.append(say(.citation, ["citation": Explanation(quoted: rule.citation)]))

        if flags.contains(.deferred), let deferral = rule.spec.deferTo {
            text.append(
                say(
                    .deferred,
                    [
                        "period": say.text(deferral.period), "base": say.text(deferral.base), "date": say.text(nominal),
                        "citation": Explanation(quoted: deferral.citation),
                    ]))
        }

        // Rolling.
        if let calendar = rule.calendar {
            if due != nominal {
                text.append(
                    say(
                        .rolled,
                        [
                            "days": Deadline.skipped(from: nominal, to: due, calendar: calendar, say),
                            "date": say.text(due),
                        ]))
            }
            if let note = rule.calendarNote, due != nominal || !calendar.covers(nominal) {
                text.append(say(.note, ["note": Explanation(quoted: note)]))
            } else if flags.contains(.outsideCalendar) {
                text.append(
                    say(
                        .beyondCalendar,
                        local: [
                            "calendar": calendar.id, "from": String(calendar.years.lowerBound),
                            "to": String(calendar.years.upperBound),
                        ]))
            }
        } else {
            text.append(say(.notRolled))
        }

        // Grace or extension.
        if let final, let spec = rule.spec.final {
            let kind: Explanation
            switch spec.kind {
            case .grace: kind = say(.grace)
            case .`extension`: kind = say(.extension)
            case .lateEntry: kind = say(.lateEntry)
            case .restoration: kind = say(.restoration)
            }
            let baseName = say.text(rule.spec.base ?? .trigger, trigger: trigger)
            switch plan.final?.origin {
            case .period:
                // The extended dates, each counted from the start of the period (MPEP 710.01(a)).
                text.append(
                    say(
                        .finalCounted,
                        ["kind": kind, "period": say.text(spec.period), "base": baseName, "date": say.text(base)]))
                if let steps = spec.steps, steps.totalMonths > 0, !flags.contains(.deferred) {
                    var dates: [Explanation] = []
                    var months = steps.totalMonths
                    while months <= spec.period.totalMonths {
                        let end = period.end(extendedBy: .init(months: months, days: 0), in: .shared)
                        dates.append(say.text(CivilDate(daysSinceEpoch: end.day)))
                        months += steps.totalMonths
                    }
                    text.append(
                        say(.finalDates, ["dates": Explanation.joined(dates, separator: say.template(.dateSeparator))]))
                }
            case .nominal:
                text.append(
                    say(.finalAfter, ["kind": kind, "period": say.text(spec.period), "date": say.text(nominal)]))
                if spec.anchor == .monthEndToMonthEnd && nominal.isLastDayOfMonth {
                    text.append(say(.monthEnd))
                }
            case .base, nil:
                let months = spec.period.totalMonths + occurrenceIndex * plan.stepMonths
                let period = occurrenceIndex == 0 ? spec.period : Period(years: months / 12, months: months % 12)
                let until =
                    period.isZero
                    ? say(.atDate, ["base": baseName, "date": say.text(base)])
                    : say(.fromDated, ["period": say.text(period), "base": baseName, "date": say.text(base)])
                text.append(say(.finalTo, ["kind": kind, "until": until]))
            }
            if let cap = spec.cap, flags.contains(.finalCapped) {
                text.append(
                    say(
                        .capped,
                        ["period": say.text(cap.period), "base": cap.from == .base ? baseName : say(.baseNominal)]))
                if let citation = cap.citation { text.append(say(.note, ["note": Explanation(quoted: citation)])) }
            }
            let unrolledFinal = unrolledFinalDate
            if let calendar = rule.calendar, unrolledFinal != final {
                text.append(
                    say(
                        .rolled,
                        [
                            "days": Deadline.skipped(from: unrolledFinal, to: final, calendar: calendar, say),
                            "date": say.text(final),
                        ]))
            } else {
                text.append(say(.arrow, ["date": say.text(final)]))
            }
            if let note = spec.note { text.append(say(.note, ["note": Explanation(quoted: note)])) }
            if let citation = spec.citation { text.append(say(.citation, ["citation": Explanation(quoted: citation)])) }
        }

        if let windowOpens { text.append(say(.windowOpens, ["date": say.text(windowOpens)])) }
        if let closedBy {
            let code = closedBy.kind.rawValue
            text.append(
                say(
                    .metBy,
                    ["event": Explanation(local: say.eventName(code)), "date": say.text(closedBy.date)]))
        }

        var doubts: [Explanation] = []
        if rule.status == .unconfirmed {
            doubts.append(rule.spec.note.map { Explanation(quoted: $0) } ?? say(.ruleUnconfirmed))
        }
        if flags.contains(.dueSkippedUnconfirmed) || flags.contains(.finalSkippedUnconfirmed) {
            doubts.append(say(.rolledUnconfirmed))
        }
        if flags.contains(.outsideCalendar), let calendar = rule.calendar {
            if rule.calendarNote != nil {
                // No data at all for this office (a weekends-only calendar): say that, not "that year".
                doubts.append(say(.officeDaysMissing))
            } else {
                doubts.append(say(.holidaysMissing, local: ["calendar": calendar.id]))
            }
        }
        if flags.contains(.clamped) && plan.clampedUnconfirmed {
            doubts.append(say(.clampingUnconfirmed))
        }
        if final != nil, let spec = rule.spec.final, spec.status == .unconfirmed {
            var doubt = say(.finalUnconfirmed)
            if let citation = spec.citation { doubt.append(say(.note, ["note": Explanation(quoted: citation)])) }
            doubts.append(doubt)
        }
        if !doubts.isEmpty {
            text.append(
                say(.unconfirmed, ["doubts": Explanation.joined(doubts, separator: say.template(.doubtSeparator))]))
        }
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

    /// "2025-09-13 is a Saturday, 2025-09-14 is a Sunday" for the closed days in `from ..< to`, in
    /// the language of `say`; holiday names, decrees and sources quoted from the calendar data.
    static func skipped(
        from: CivilDate, to: CivilDate, calendar: OfficeCalendar, _ say: ExplanationPhrases
    ) -> Explanation {
        var parts: [Explanation] = []
        var day = from
        while day < to {
            if let closed = calendar.closedDay(day) {
                let date = say.text(day)
                var part: Explanation
                switch closed.kind {
                case .weekend:
                    // The calendar names a weekend day by its weekday (in English); say it in the phrasebook's.
                    let weekday =
                        closed.name == day.weekday.name ? say.text(day.weekday) : Explanation(quoted: closed.name)
                    part = say(.weekendDay, ["day": date, "weekday": weekday])
                case .holiday, .closure:
                    part = say(.namedDay, ["day": date, "name": Explanation(quoted: closed.name)])
                    if OfficeCalendar.isWeekend(day.daysSinceEpoch, mask: calendar.weekendMask) {
                        part.append(say(.alsoWeekend, ["weekday": say.text(day.weekday)]))
                    }
                case .carriedOver, .movedByDecree:
                    part = say(.movedDay, ["day": date, "name": Explanation(quoted: closed.name)])
                case .override:
                    part = say(
                        .overrideDay,
                        [
                            "calendar": Explanation(local: calendar.id), "day": date,
                            "source": Explanation(quoted: closed.source),
                        ])
                }
                if closed.status == .unconfirmed { part.append(say(.unconfirmedDay)) }
                parts.append(part)
            }
            day = day.adding(days: 1)
        }
        return Explanation.joined(parts, separator: say.template(.daySeparator))
    }
}
