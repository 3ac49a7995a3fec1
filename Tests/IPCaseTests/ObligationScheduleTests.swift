import IPCase
import Testing

@Suite("Agreement obligations as deadlines")
struct ObligationScheduleTests {
    func licence(
        _ obligations: [Obligation], startsOn: String = "2026-03-01", endsOn: String? = nil,
        untilLastRightExpires: Bool = false, state: AgreementWorkflow.State = .active,
        kind: Agreement.Kind = .exclusiveLicence
    ) -> Agreement {
        Agreement(
            id: 4, office: 1, reference: "LIC-4", kind: kind, counterparties: [7], rightsCovered: [11],
            term: AgreementTerm(
                startsOn: date(startsOn), endsOn: endsOn.map(date), untilLastRightExpires: untilLastRightExpires),
            financialTerms: sampleTerms, obligations: obligations, executedOn: date("2026-02-20"), state: state)
    }

    func royalty(_ received: String, id: Int64, reference: String? = nil) -> Payment {
        Payment(
            id: ID(id), office: 1, agreement: 4, amount: Money(minorUnits: 100_000, .kzt), kind: .royalty,
            receivedOn: date(received), reference: reference)
    }

    @Test func quarterlyReportsCoverCalendarQuartersFromTheEffectiveDateUntilTheTermEnds() {
        let reports = licence([.royaltyReports(every: .quarterly, dueWithinDays: 45)], endsOn: "2026-11-15")
            .obligationDeadlines()
        #expect(reports.map(\.period) == [1, 2, 3, 4])
        #expect(reports.map(\.periodStart) == ["2026-03-01", "2026-04-01", "2026-07-01", "2026-10-01"].map(date))
        #expect(reports.map(\.periodEnd) == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-11-15"].map(date))
        #expect(reports.map(\.due) == ["2026-05-15", "2026-08-14", "2026-11-14", "2026-12-30"].map(date))
        #expect(reports.allSatisfy { $0.ruleID == "agreement.royalty-report" && $0.type == "royalty_report" })
        #expect(reports.allSatisfy { $0.triggerKey == "effective:2026-03-01/quarterly" && !$0.isClosed })
        #expect(reports[2].key == "agreement.royalty-report/effective:2026-03-01/quarterly/3")
    }

    @Test func aContractualDueDateOnASaturdayIsNotRolled() {
        let third = licence([.royaltyReports(every: .quarterly, dueWithinDays: 45)], endsOn: "2026-11-15")
            .obligationDeadlines()[2]
        #expect(third.due == date("2026-11-14"))
        #expect(third.due.weekday.name == "Saturday")
        #expect(
            third.explanation
                == "report 3 on 2026-07-01 – 2026-09-30 (quarterly, calendar periods from the effective date 2026-03-01): "
                + "45 days after 2026-09-30 → 2026-11-14, agreement LIC-4: royalty reports quarterly within 45 days; "
                + "contractual date, not rolled")
    }

    @Test(
        "periods end on calendar boundaries",
        arguments: [
            (ReportingInterval.monthly, ["2026-05-31", "2026-06-30", "2026-07-31"]),
            (.semiAnnual, ["2026-06-30", "2026-12-31", "2027-06-30"]),
            (.annual, ["2026-12-31", "2027-12-31", "2028-12-31"]),
        ])
    func periodsEndOnCalendarBoundaries(_ interval: ReportingInterval, _ ends: [String]) {
        let reports = licence([.royaltyReports(every: interval, dueWithinDays: 30)], startsOn: "2026-05-10")
            .obligationDeadlines()
        #expect(reports.prefix(3).map(\.periodEnd) == ends.map(date))
        #expect(reports[0].periodStart == date("2026-05-10"))
    }

    @Test func royaltyPaymentsMeetTheOldestOpenReportWhosePeriodHasEnded() {
        let agreement = licence([.royaltyReports(every: .quarterly, dueWithinDays: 45)], endsOn: "2026-11-15")
        let payments = [
            royalty("2026-04-20", id: 1, reference: "INV-1"),
            // Before the second quarter ends: an advance, it meets nothing.
            royalty("2026-06-01", id: 2),
            royalty("2026-07-10", id: 3),
            royalty("2026-12-01", id: 4),
        ]
        // Report 3 was received without payment and closed by hand in the docket.
        let closed: Set<String> = ["agreement.royalty-report/effective:2026-03-01/quarterly/3"]
        let reports = agreement.obligationDeadlines(payments: payments, closed: closed)
        #expect(
            reports.map(\.closedBy) == [
                "royalty payment 2026-04-20 (INV-1)", "royalty payment 2026-07-10", nil, "royalty payment 2026-12-01",
            ])
        #expect(reports[0].explanation.hasSuffix("; met by royalty payment 2026-04-20 (INV-1)"))
        let upfront = Payment(
            id: 9, office: 1, agreement: 4, amount: Money(minorUnits: 5, .kzt), kind: .upfront,
            receivedOn: date("2026-05-01"))
        #expect(agreement.obligationDeadlines(payments: [upfront]).allSatisfy { !$0.isClosed })
    }

    @Test func aPerpetualLicenceStopsAtTheHorizon() {
        let reports = licence([.royaltyReports(every: .annual, dueWithinDays: 60)], startsOn: "2026-01-01")
            .obligationDeadlines()
        #expect(reports.count == Agreement.obligationHorizonYears)
        #expect(reports.last?.periodEnd == date("2045-12-31"))
    }

    @Test func aTermUntilTheLastRightExpiresEndsWithThatRight() {
        let reports = licence(
            [.royaltyReports(every: .annual, dueWithinDays: 60)], startsOn: "2026-01-01", untilLastRightExpires: true
        ).obligationDeadlines(lastRightExpires: date("2030-06-30"))
        #expect(reports.count == 5)
        #expect(reports.last?.periodStart == date("2030-01-01"))
        #expect(reports.last?.periodEnd == date("2030-06-30"))
        #expect(reports.last?.due == date("2030-08-29"))
    }

    @Test func terminatingEndsTheTermAndTheReports() throws {
        var agreement = licence([
            .royaltyReports(every: .quarterly, dueWithinDays: 30),
            .milestone(name: "First sale", dueOn: date("2027-01-31")),
        ])
        _ = try agreement.apply(.terminate(on: date("2026-08-15"), reason: "breach"))
        #expect(agreement.term.endsOn == date("2026-08-15"))
        let deadlines = agreement.obligationDeadlines()
        #expect(deadlines.map(\.kind) == [.royaltyReport, .royaltyReport, .royaltyReport])
        #expect(deadlines.last?.periodEnd == date("2026-08-15"))
        #expect(deadlines.last?.due == date("2026-09-14"))
    }

    @Test func milestonesAndTheOptionExerciseAreDueOnTheirDates() {
        let obligations: [Obligation] = [
            .milestone(name: "Prototype delivered", dueOn: date("2026-12-01")),
            .optionExercise(by: date("2027-02-28")),
        ]
        let active = licence(obligations, kind: .option).obligationDeadlines()
        #expect(active.map(\.kind) == [.milestone, .optionExercise])
        #expect(active.map(\.due) == [date("2026-12-01"), date("2027-02-28")])
        #expect(active.map(\.triggerKey) == ["milestone:Prototype delivered", "option-exercise"])
        #expect(active.map(\.type) == ["milestone", "option_exercise"])
        #expect(active.allSatisfy { $0.period == nil && !$0.isClosed })
        let exercised = licence(obligations, endsOn: "2027-01-10", state: .exercised, kind: .option)
            .obligationDeadlines()
        #expect(exercised.last?.closedBy == "option exercised")
        #expect(licence(obligations, state: .draft, kind: .option).obligationDeadlines().isEmpty)
    }

    @Test func recomputingGivesTheSameKeys() {
        let agreement = licence([
            .royaltyReports(every: .monthly, dueWithinDays: 20), .milestone(name: "Launch", dueOn: date("2027-05-01")),
        ])
        let first = agreement.obligationDeadlines().map(\.key)
        #expect(first == agreement.obligationDeadlines().map(\.key))
        #expect(Set(first).count == first.count)
    }
}
