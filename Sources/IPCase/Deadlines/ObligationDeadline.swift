/// One dated obligation of an agreement or a funded project: a royalty report for a period, a
/// milestone, the last day to exercise an option; a stage or final report to the funder, a
/// deliverable, a project's state registration. Computed by
/// ``Agreement/obligationDeadlines(payments:closed:lastRightExpires:)`` and
/// ``FundedProject/obligationDeadlines()``, and stored like a right's ``Deadline``, keyed by
/// (agreement or project, rule, trigger, period) so that recomputing never duplicates it.
///
/// Contractual dates are **not rolled** past closed days: the agreement fixes them, and the docket
/// keeps the earlier date. (Civil-law defaults such as Art. 193 of the Civil Code of the Russian
/// Federation — and the same rule in the Kazakh Civil Code's chapter on time limits — move a term
/// that ends on a non-working day to the next working day unless the contract says otherwise;
/// docketing the unmoved date can only leave more time, never less.)
public struct ObligationDeadline: Hashable, Sendable {
    /// What is owed.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A royalty report for one reporting period.
        case royaltyReport = "royalty_report"
        /// A development or commercial milestone.
        case milestone = "milestone"
        /// The last day to exercise an option (the sweeper lapses the option when it is missed).
        case optionExercise = "option_exercise"
        /// A funded project's report to its funder on one stage.
        case stageReport = "stage_report"
        /// A funded project's final report to its funder.
        case finalReport = "final_report"
        /// Something a funded project is to deliver by a date.
        case deliverable = "deliverable"
        /// The state registration of a budget-funded project.
        case stateRegistration = "state_registration"

        /// What a funded project owes (the others are an agreement's).
        public static let projectKinds: [Kind] = [.stageReport, .finalReport, .deliverable, .stateRegistration]

        /// The rule id stored with the deadline, e.g. `agreement.royalty-report`.
        public var ruleID: String {
            switch self {
            case .royaltyReport: "agreement.royalty-report"
            case .milestone: "agreement.milestone"
            case .optionExercise: "agreement.option-exercise"
            case .stageReport: "project.stage-report"
            case .finalReport: "project.final-report"
            case .deliverable: "project.deliverable"
            case .stateRegistration: "project.state-registration"
            }
        }
    }

    /// What is owed.
    public let kind: Kind
    /// The trigger part of the key: `effective:2026-03-01/quarterly` for royalty reports,
    /// `milestone:<name>` for a milestone, `option-exercise` for an option; `stage-reports`,
    /// `final-report`, `deliverable:<name>` and `state-registration` for a project's.
    public let triggerKey: String
    /// The report's number (1 for the first, possibly partial, period; a project's stage number
    /// for a stage report); `nil` for the others.
    public let period: Int?
    /// The reporting period covered (reports only).
    public let periodStart: CivilDate?
    /// The last day of the period covered (reports only).
    public let periodEnd: CivilDate?
    /// The day it is due (not rolled: a contractual date).
    public let due: CivilDate
    /// What met it, e.g. `royalty payment 2026-04-20 (INV-7)`, `option exercised`; `nil` while open.
    public let closedBy: String?
    /// The source: the agreement's clause, e.g. `agreement LIC-2025-004: royalty reports quarterly within 45 days`.
    public let citation: String
    /// For reports: the interval and the days allowed after the period's end.
    let interval: ReportingInterval?
    let dueWithinDays: Int

    /// The rule id, e.g. `agreement.royalty-report`.
    public var ruleID: String { kind.ruleID }

    /// A stored deadline type in words with its year, or the period of a royalty report or the
    /// stage of a project's report: `renewal year 5`, `national phase`, `royalty report period
    /// 3`, `stage report stage 2`.
    public static func words(type: String, year: String?) -> String {
        let words = String(type.map { $0 == "_" || $0 == "-" ? " " : $0 })
        let unit =
            switch type {
            case Kind.royaltyReport.rawValue: "period"
            case Kind.stageReport.rawValue: "stage"
            default: "year"
            }
        return year.map { "\(words) \(unit) \($0)" } ?? words
    }
    /// The stored deadline type, e.g. `royalty_report`.
    public var type: String { kind.rawValue }
    /// Whether something met it.
    public var isClosed: Bool { closedBy != nil }

    /// `agreement.royalty-report/effective:2026-03-01/quarterly/3`: rule, trigger and period.
    public var key: String { "\(ruleID)/\(triggerKey)" + (period.map { "/\($0)" } ?? "") }

    /// One line that derives the date, e.g. "report 3 on 2026-07-01 – 2026-09-30 (quarterly,
    /// calendar periods from the effective date 2026-03-01): 45 days after 2026-09-30 → 2026-11-14,
    /// agreement LIC-1: royalty reports quarterly within 45 days; contractual date, not rolled".
    public var explanation: String {
        var text: String
        switch kind {
        case .royaltyReport:
            let start = periodStart.map(\.description) ?? "?"
            let end = periodEnd.map(\.description) ?? "?"
            let anchor = triggerKey.split(separator: ":").dropFirst().first?.split(separator: "/").first ?? ""
            text = "report \(period ?? 0) on \(start) – \(end) (\(interval?.rawValue ?? "?"), calendar periods"
            text += " from the effective date \(anchor)): \(dueWithinDays) days after \(end) → \(due)"
        case .milestone:
            text = "milestone due \(due)"
        case .optionExercise:
            text = "option exercisable until \(due)"
        case .stageReport:
            let end = periodEnd.map(\.description) ?? "?"
            text = "report on stage \(period ?? 0) (ends \(end)): \(dueWithinDays) days after \(end) → \(due)"
        case .finalReport:
            let end = periodEnd.map(\.description) ?? "?"
            text = "final report (the last stage ends \(end)): \(dueWithinDays) days after \(end) → \(due)"
        case .deliverable:
            text = "deliverable due \(due)"
        case .stateRegistration:
            let start = periodStart.map(\.description) ?? "?"
            text = "state registration (work starts \(start)): \(dueWithinDays) days after \(start) → \(due)"
        }
        text += ", \(citation); contractual date, not rolled"
        if let closedBy { text += "; met by \(closedBy)" }
        return text
    }

    init(
        kind: Kind, triggerKey: String, period: Int? = nil, periodStart: CivilDate? = nil,
        periodEnd: CivilDate? = nil, due: CivilDate, closedBy: String? = nil, citation: String,
        interval: ReportingInterval? = nil, dueWithinDays: Int = 0
    ) {
        self.kind = kind
        self.triggerKey = triggerKey
        self.period = period
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.due = due
        self.closedBy = closedBy
        self.citation = citation
        self.interval = interval
        self.dueWithinDays = dueWithinDays
    }

    /// A copy met by `reason`.
    func closed(by reason: String) -> ObligationDeadline {
        ObligationDeadline(
            kind: kind, triggerKey: triggerKey, period: period, periodStart: periodStart, periodEnd: periodEnd,
            due: due, closedBy: reason, citation: citation, interval: interval, dueWithinDays: dueWithinDays)
    }
}

extension Agreement {
    /// How many years of royalty periods an agreement with no earlier end produces (a patent's
    /// term): a perpetual licence does not generate reports forever.
    public static let obligationHorizonYears = 20

    /// The last day its obligations run: the term's end, the last covered right's expiry when
    /// the term runs until then, and at most ``obligationHorizonYears`` from `start`.
    func obligationsEnd(from start: CivilDate, lastRightExpires: CivilDate?) -> CivilDate {
        var end = start.adding(years: Self.obligationHorizonYears).date.adding(days: -1)
        if let endsOn = term.endsOn { end = min(end, endsOn) }
        if term.untilLastRightExpires, let lastRightExpires { end = min(end, lastRightExpires) }
        return end
    }

    /// The deadlines its obligations produce, each with its key, due date and whether it is met.
    ///
    /// - Royalty reports cover calendar periods (months, quarters, halves, years) from the
    ///   effective date (the term's start, else the execution date); the first period may be
    ///   partial, and so may the last, which ends with the term. Each is due `dueWithinDays`
    ///   after its period ends. Periods run until the term ends (or the last covered right
    ///   expires) and at most ``obligationHorizonYears``.
    /// - A royalty payment received after a period ended meets that period's report: payments in
    ///   date order meet the oldest report still open, skipping those in `closed`.
    /// - A milestone is due on its date; an option's exercise by its date, met once exercised.
    /// - A draft has none; an agreement that ended (expired, terminated, lapsed, exercised) without
    ///   a recorded end date has none either, and after its end only what fell due in its term.
    ///
    /// - Parameters:
    ///   - payments: the payments received under it (only royalties meet reports).
    ///   - closed: keys (``ObligationDeadline/key``) of reports already closed in the docket (a
    ///     report received without payment and marked done, or waived): payments skip them.
    ///   - lastRightExpires: the expiry of the last covered right, for a term that runs until then.
    public func obligationDeadlines(
        payments: [Payment] = [], closed: Set<String> = [], lastRightExpires: CivilDate? = nil
    ) -> [ObligationDeadline] {
        guard state != .draft else { return [] }
        let ended: Bool
        switch state {
        case .expired, .terminated, .lapsed, .exercised: ended = true
        case .draft, .executed, .active, .inDefault, .cured: ended = false
        }
        if ended && term.endsOn == nil { return [] }
        var result: [ObligationDeadline] = []
        var seen: Set<String> = []
        for obligation in obligations {
            switch obligation {
            case .royaltyReports(let every, let dueWithinDays):
                guard let start = term.startsOn ?? executedOn else { continue }
                let trigger = "effective:\(start)/\(every.rawValue)"
                guard seen.insert(trigger).inserted else { continue }
                let reports = royaltyReports(
                    every: every, dueWithinDays: dueWithinDays, from: start,
                    through: obligationsEnd(from: start, lastRightExpires: lastRightExpires), trigger: trigger)
                result += Self.meet(reports, with: payments, skipping: closed)
            case .milestone(let name, let dueOn):
                let trigger = "milestone:\(name)"
                guard seen.insert(trigger).inserted else { continue }
                if let endsOn = term.endsOn, ended, dueOn > endsOn { continue }
                result.append(
                    ObligationDeadline(
                        kind: .milestone, triggerKey: trigger, due: dueOn,
                        citation: "agreement \(reference): milestone '\(name)'"))
            case .optionExercise(let by):
                guard seen.insert("option-exercise").inserted else { continue }
                if state == .terminated || state == .expired, let endsOn = term.endsOn, by > endsOn { continue }
                let deadline = ObligationDeadline(
                    kind: .optionExercise, triggerKey: "option-exercise", due: by,
                    citation: "agreement \(reference): option period")
                result.append(state == .exercised ? deadline.closed(by: "option exercised") : deadline)
            }
        }
        return result
    }

    /// The report deadlines of calendar periods from `start` through `end`.
    func royaltyReports(
        every interval: ReportingInterval, dueWithinDays: Int, from start: CivilDate, through end: CivilDate,
        trigger: String
    ) -> [ObligationDeadline] {
        let citation = "agreement \(reference): royalty reports \(interval.rawValue) within \(dueWithinDays) days"
        var reports: [ObligationDeadline] = []
        var periodStart = start
        var number = 1
        while periodStart <= end {
            let (year, month, _) = periodStart.components
            let monthIndex = year * 12 + (month - 1)
            let lastMonth = (monthIndex / interval.months + 1) * interval.months - 1
            let calendarEnd = CivilDate.firstOfYear(lastMonth / 12).adding(months: lastMonth % 12).date.lastDayOfMonth
            let periodEnd = min(calendarEnd, end)
            reports.append(
                ObligationDeadline(
                    kind: .royaltyReport, triggerKey: trigger, period: number, periodStart: periodStart,
                    periodEnd: periodEnd, due: periodEnd.adding(days: dueWithinDays), citation: citation,
                    interval: interval, dueWithinDays: dueWithinDays))
            periodStart = calendarEnd.adding(days: 1)
            number += 1
        }
        return reports
    }

    /// Marks reports met by royalty payments: each payment, in date order, meets the oldest open
    /// report whose period ended before the payment arrived.
    static func meet(_ reports: [ObligationDeadline], with payments: [Payment], skipping closed: Set<String>)
        -> [ObligationDeadline]
    {
        var reports = reports
        var next = 0
        let royalties = payments.filter { $0.kind == .royalty }.sorted {
            ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id)
        }
        for payment in royalties {
            while next < reports.count, closed.contains(reports[next].key) { next += 1 }
            guard next < reports.count, let end = reports[next].periodEnd, end < payment.receivedOn else { continue }
            let reference = payment.reference.map { " (\($0))" } ?? ""
            reports[next] = reports[next].closed(by: "royalty payment \(payment.receivedOn)\(reference)")
            next += 1
        }
        return reports
    }
}
