/// What a funded project owes its funder or the state by a date; the store turns each into
/// deadlines in the office's docket (``FundedProject/obligationDeadlines()``).
///
/// The days are the grant agreement's (or the programme rules'): they are contractual, entered
/// per project, never assumed.
public enum ProjectObligation: Hashable, Sendable, Codable {
    /// A report on each stage, due `dueWithinDays` after the stage's last day.
    case stageReports(dueWithinDays: Int)
    /// A final report, due `dueWithinDays` after the last stage's last day.
    case finalReport(dueWithinDays: Int)
    /// Something to deliver (a prototype, a test report, a business plan) by a date.
    case deliverable(name: String, dueOn: CivilDate)
    /// The state registration of a budget-funded project, due `dueWithinDays` after its first
    /// stage starts; met when the registration is recorded.
    case stateRegistration(dueWithinDays: Int)

    /// What is wrong with it, e.g. a negative number of days; `nil` when nothing.
    public var problem: String? {
        switch self {
        case .stageReports(let days), .finalReport(let days), .stateRegistration(let days):
            days < 0 || days > 3_660 ? "\(days) days is not between 0 and 3660" : nil
        case .deliverable(let name, _):
            name.allSatisfy(\.isWhitespace) || name.count > 200 ? "a deliverable needs a name of 1 to 200 characters" : nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case stageReports = "stage-reports"
        case finalReport = "final-report"
        case deliverable = "deliverable"
        case stateRegistration = "state-registration"
    }
}

extension FundedProject {
    /// The deadlines its obligations produce, each with its key and due date, and whether it is met.
    ///
    /// - Only a project the funder awarded has obligations: applied and rejected ones have none.
    ///   A completed project still owes every report not yet marked done (the final report is
    ///   due after the work ends); a terminated one owes only what fell due by the day it was
    ///   terminated (later ones are superseded when stored; done, waived or missed ones stay).
    /// - A stage report is keyed by its stage's number, so a stage whose dates change moves its
    ///   report instead of adding one; the final report follows the last stage.
    /// - The state registration is met by the registration recorded on the project.
    /// - Reports and deliverables are met by marking them done in the docket.
    public func obligationDeadlines() -> [ObligationDeadline] {
        switch state {
        case .awarded, .active, .completed: break
        case .terminated:
            guard let endedOn else { return [] }
            var alive = self
            alive.state = .active
            return alive.obligationDeadlines().filter { $0.due <= endedOn }
        case .applied, .rejected: return []
        }
        var result: [ObligationDeadline] = []
        var seen: Set<String> = []
        for obligation in obligations {
            switch obligation {
            case .stageReports(let days):
                guard seen.insert("stage-reports").inserted else { continue }
                for (index, stage) in stages.enumerated() {
                    result.append(
                        ObligationDeadline(
                            kind: .stageReport, triggerKey: "stage-reports", period: index + 1,
                            periodStart: stage.from, periodEnd: stage.to, due: stage.to.adding(days: days),
                            citation: "project \(reference): stage reports within \(days) days",
                            dueWithinDays: days))
                }
            case .finalReport(let days):
                guard let last = stages.last, seen.insert("final-report").inserted else { continue }
                result.append(
                    ObligationDeadline(
                        kind: .finalReport, triggerKey: "final-report", periodStart: stages.first?.from,
                        periodEnd: last.to, due: last.to.adding(days: days),
                        citation: "project \(reference): final report within \(days) days", dueWithinDays: days))
            case .deliverable(let name, let dueOn):
                let trigger = "deliverable:\(name)"
                guard seen.insert(trigger).inserted else { continue }
                result.append(
                    ObligationDeadline(
                        kind: .deliverable, triggerKey: trigger, due: dueOn,
                        citation: "project \(reference): deliverable '\(name)'"))
            case .stateRegistration(let days):
                guard let first = stages.first, seen.insert("state-registration").inserted else { continue }
                let deadline = ObligationDeadline(
                    kind: .stateRegistration, triggerKey: "state-registration", periodStart: first.from,
                    due: first.from.adding(days: days),
                    citation: "project \(reference): state registration within \(days) days of the start",
                    dueWithinDays: days)
                if let registration, let registeredOn {
                    result.append(deadline.closed(by: "registration \(registration) of \(registeredOn)"))
                } else {
                    result.append(deadline)
                }
            }
        }
        return result
    }
}
