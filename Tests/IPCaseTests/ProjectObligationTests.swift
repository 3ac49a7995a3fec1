import IPCase
import Testing

/// A funded project's reports, deliverables and state registration as deadlines, against dates
/// worked out by hand (contractual days, not rolled).
@Suite("Funded project obligations as deadlines")
struct ProjectObligationTests {
    /// Two stages as QazInnovations' commercialization grants run them: 6 months, then 18.
    func project(
        _ obligations: [ProjectObligation], state: FundedProjectWorkflow.State = .active, endedOn: String? = nil,
        registration: (String, String)? = nil
    ) -> FundedProject {
        FundedProject(
            id: 3, office: 1, reference: "GR-2026-003", title: "Sorbent pilot line", funder: 9,
            programme: "Commercialization grant", minimumCofinancing: 1000,
            stages: [
                ProjectStage(amount: Money(minorUnits: 20_000_000_00, .kzt), from: date("2026-03-01"), to: date("2026-08-31")),
                ProjectStage(amount: Money(minorUnits: 80_000_000_00, .kzt), from: date("2026-09-01"), to: date("2027-02-28")),
            ],
            registration: registration?.0, registeredOn: registration.map { date($0.1) }, obligations: obligations,
            endedOn: endedOn.map(date), state: state)
    }

    let everything: [ProjectObligation] = [
        .stageReports(dueWithinDays: 30), .finalReport(dueWithinDays: 60),
        .deliverable(name: "Pilot line acceptance", dueOn: date("2026-12-15")), .stateRegistration(dueWithinDays: 30),
    ]

    @Test func eachStageReportFinalReportDeliverableAndRegistrationIsDueByTheGrantAgreementsDays() {
        let deadlines = project(everything).obligationDeadlines()
        #expect(deadlines.map(\.ruleID) == [
            "project.stage-report", "project.stage-report", "project.final-report", "project.deliverable",
            "project.state-registration",
        ])
        // 31 Aug + 30 days = 30 Sep; 28 Feb 2027 + 30 = 30 Mar; + 60 = 29 Apr; 1 Mar + 30 = 31 Mar.
        #expect(deadlines.map(\.due) == ["2026-09-30", "2027-03-30", "2027-04-29", "2026-12-15", "2026-03-31"].map(date))
        #expect(deadlines.map(\.period) == [1, 2, nil, nil, nil])
        #expect(deadlines.map(\.key) == [
            "project.stage-report/stage-reports/1", "project.stage-report/stage-reports/2",
            "project.final-report/final-report", "project.deliverable/deliverable:Pilot line acceptance",
            "project.state-registration/state-registration",
        ])
        #expect(deadlines.allSatisfy { !$0.isClosed })
        #expect(
            deadlines[0].explanation
                == "report on stage 1 (ends 2026-08-31): 30 days after 2026-08-31 → 2026-09-30, project GR-2026-003: stage reports within 30 days; contractual date, not rolled"
        )
        #expect(deadlines[4].citation == "project GR-2026-003: state registration within 30 days of the start")
    }

    @Test func aRecordedRegistrationMeetsTheRegistrationDeadline() {
        let deadlines = project([.stateRegistration(dueWithinDays: 30)], registration: ("0124РК00321", "2026-03-20"))
            .obligationDeadlines()
        #expect(deadlines.count == 1)
        #expect(deadlines[0].closedBy == "registration 0124РК00321 of 2026-03-20")
    }

    @Test func onlyAnAwardedProjectOwesAndATerminatedOneOnlyWhatFellDueByItsEnd() {
        #expect(project(everything, state: .applied).obligationDeadlines().isEmpty)
        #expect(project(everything, state: .rejected).obligationDeadlines().isEmpty)
        #expect(project(everything, state: .awarded).obligationDeadlines().count == 5)
        // Completed: the final report is due after the work ends, so everything is still owed.
        #expect(project(everything, state: .completed, endedOn: "2027-02-28").obligationDeadlines().count == 5)
        // Terminated on 1 Oct 2026: the registration (31 Mar) and stage 1's report (30 Sep) stay.
        let terminated = project(everything, state: .terminated, endedOn: "2026-10-01").obligationDeadlines()
        #expect(terminated.map(\.due) == ["2026-09-30", "2026-03-31"].map(date))
    }

    @Test func aStageReportKeepsItsKeyWhenTheStageMoves() {
        var moved = project([.stageReports(dueWithinDays: 30)])
        let before = moved.obligationDeadlines()
        moved.stages[0].to = date("2026-09-15")
        let after = moved.obligationDeadlines()
        #expect(before.map(\.key) == after.map(\.key))
        #expect(after[0].due == date("2026-10-15"))
    }

    @Test func badObligationsAreNamed() {
        #expect(ProjectObligation.stageReports(dueWithinDays: -1).problem == "-1 days is not between 0 and 3660")
        #expect(ProjectObligation.deliverable(name: " ", dueOn: date("2026-01-01")).problem != nil)
        let project = project([.finalReport(dueWithinDays: 5000)])
        #expect(project.problems.map(\.field) == ["obligation"])
    }

    @Test func everyTransitionRecomputesTheProjectsDeadlines() throws {
        var workflow = FundedProjectWorkflow(id: 3)
        #expect(try workflow.apply(.award(on: date("2026-02-15"))) == [.recomputeDeadlines(for: .project(3))])
        #expect(try workflow.apply(.start(on: date("2026-03-01"))) == [.recomputeDeadlines(for: .project(3))])
    }
}
