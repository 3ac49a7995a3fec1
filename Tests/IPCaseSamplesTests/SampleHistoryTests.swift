import IPCase
import Testing

@testable import IPCaseSamples

/// Every record's history replays through its workflow machine to the record's state, and the
/// dates follow the law.
@Suite("Histories")
struct SampleHistoryTests {
    let demo = Fixture.demo
    static let bulk = Array(SamplePortfolio.rights(count: 3_000, seed: 9, asOf: Fixture.asOf))

    /// The right rebuilt from a blank draft by applying its workflow events.
    static func replayed(_ sample: SampleRight) throws(WorkflowError) -> Right {
        var right = sample.right
        right.state = .draft
        right.restorableUntil = nil
        right.filingDate = nil
        right.applicationNumber = nil
        right.publicationDate = nil
        right.grantDate = nil
        right.registrationNumber = nil
        for event in sample.workflowEvents { _ = try right.apply(event) }
        return right
    }

    @Test func everyRightHistoryReplaysToTheRecord() throws {
        for sample in demo.rights + Self.bulk {
            let machine = try RightWorkflow(id: sample.right.id, kind: sample.right.kind).replaying(
                sample.workflowEvents)
            #expect(machine.state == sample.right.state, "\(sample.right.reference)")
            #expect(machine.restorableUntil == sample.right.restorableUntil, "\(sample.right.reference)")
            #expect(try Self.replayed(sample) == sample.right, "\(sample.right.reference)")
        }
    }

    @Test func everyDisclosureHistoryReplaysToTheRecord() throws {
        for sample in demo.disclosures {
            var disclosure = sample.disclosure
            disclosure.state = .received
            disclosure.reviewOn = nil
            for step in sample.history { _ = try disclosure.apply(step.event) }
            #expect(disclosure == sample.disclosure, "\(sample.disclosure.reference)")
        }
    }

    @Test func everyDealHistoryReplaysToTheRecord() throws {
        for sample in demo.deals {
            let machine = try DealWorkflow(id: sample.deal.id).replaying(sample.history.map(\.event))
            #expect(machine.state == sample.deal.state, "\(sample.deal.reference)")
            #expect(sample.history.allSatisfy { $0.date >= sample.identifiedOn && $0.date <= demo.asOf })
        }
    }

    @Test func dealsEvaluateUnderAConfidentialityAgreementSignedBefore() {
        for sample in demo.deals {
            for step in sample.history {
                guard case .startEvaluation(let under?) = step.event else { continue }
                let agreement = demo.agreements.first { $0.agreement.id == under.agreement }?.agreement
                #expect(agreement?.kind.isConfidentiality == true)
                #expect(agreement?.executedOn.map { $0 <= step.date } == true)
            }
        }
    }

    @Test func everyAgreementHistoryReplaysToTheRecord() throws {
        for sample in demo.agreements {
            var agreement = sample.agreement
            agreement.state = .draft
            agreement.executedOn = nil
            for step in sample.history { _ = try agreement.apply(step.event) }
            #expect(agreement == sample.agreement, "\(sample.agreement.reference)")
            #expect(zip(sample.history, sample.history.dropFirst()).allSatisfy { $0.date <= $1.date })
            #expect(sample.history.allSatisfy { $0.date <= demo.asOf })
        }
    }

    @Test func rightEventsAreOrderedAndNotInTheFuture() {
        for sample in demo.rights + Self.bulk {
            let dates = sample.history.map(\.date)
            #expect(dates == dates.sorted(), "\(sample.right.reference)")
            #expect(dates.allSatisfy { $0 <= Fixture.asOf }, "\(sample.right.reference)")
        }
    }

    /// Offices act, applicants file and pay on working days; only dates the law sets (lapse,
    /// restoration, expiry) may fall on a weekend.
    @Test func actsAndPaymentsFallOnWorkingDays() {
        let lawDates: Set<String> = ["lapsed", "restored", "expired"]
        for sample in demo.rights + Self.bulk {
            for step in sample.history where !lawDates.contains(step.eventName) {
                #expect(
                    step.date.weekday != .saturday && step.date.weekday != .sunday,
                    "\(sample.right.reference) \(step.eventName) on \(step.date.weekday.name)")
            }
        }
        #expect(demo.payments.allSatisfy { $0.receivedOn.weekday != .saturday && $0.receivedOn.weekday != .sunday })
    }

    @Test func pctApplicationsAreFiledWithinThePriorityYear() throws {
        var checked = 0
        for sample in demo.rights + Self.bulk where sample.right.kind == .pctApplication {
            guard let priority = sample.right.priorityClaims.first?.date, let filed = sample.right.filingDate else {
                continue
            }
            #expect(filed <= SampleDates.add(months: 12, to: priority), "\(sample.right.reference)")
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func nationalPhasesAreEnteredWithin31MonthsOfPriority() {
        var checked = 0
        for sample in demo.rights + Self.bulk {
            for event in sample.events where event.kind == .nationalPhaseEntered {
                let priority = sample.right.earliestPriorityDate!
                let months = event.reference == "US" ? 30 : 31
                #expect(event.date <= SampleDates.add(months: months, to: priority), "\(sample.right.reference)")
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test func nationalRightsCarryTheirPCTFilingAndEntry() {
        for sample in demo.rights + Self.bulk where sample.right.parentPCT != nil {
            let kinds = sample.events.map(\.kind)
            #expect(kinds.contains(.pctFiled))
            #expect(kinds.contains(.nationalPhaseEntered))
            #expect(
                sample.events.first { $0.kind == .nationalPhaseEntered }?.reference == sample.right.jurisdiction.code)
        }
    }

    @Test func publicationFollowsPriorityByEighteenMonths() {
        for sample in demo.rights + Self.bulk where sample.right.kind == .pctApplication {
            guard let published = sample.right.publicationDate else { continue }
            let priority = sample.right.earliestPriorityDate!
            #expect(published >= SampleDates.add(months: 18, to: priority))
            #expect(published <= SampleDates.add(months: 18, to: priority).adding(days: 30))
        }
    }

    @Test func annuitiesAreForDistinctYearsAndOnlyWhileAlive() {
        for sample in demo.rights + Self.bulk {
            let years = sample.events.filter { $0.kind == .annuityPaid }.compactMap(\.year)
            #expect(Set(years).count == years.count, "\(sample.right.reference) pays a year twice")
            #expect(years == years.sorted(), "\(sample.right.reference)")
        }
    }

    @Test func convertedProvisionalsExpireAfterTwelveMonths() {
        var converted = 0
        for sample in demo.rights + Self.bulk where sample.right.kind == .provisional {
            guard let conversion = sample.events.first(where: { $0.kind == .nonProvisionalFiled }) else { continue }
            let filed = sample.right.filingDate!
            #expect(conversion.date <= SampleDates.add(months: 12, to: filed))
            if sample.right.state == .expired {
                #expect(sample.events.last?.date == SampleDates.add(months: 12, to: filed))
            }
            converted += 1
        }
        #expect(converted > 0)
    }

    @Test func restoredRightsWereRestoredInTime() {
        for sample in demo.rights + Self.bulk {
            var until: CivilDate?
            for step in sample.history {
                if case .workflow(.lapsed(_, let end)) = step { until = end }
                if case .workflow(.restored(let date)) = step { #expect(date <= until!) }
            }
        }
    }

    /// What the attorney sees in the demo: a populated docket in the coming 90 days.
    @Test func docketHasWorkInTheComingNinetyDaysAndSomeOverdue() {
        let asOf = demo.asOf
        var upcoming = 0
        var overdue = 0
        for sample in demo.rights {
            let kinds = Set(sample.events.map(\.kind))
            // National phase entries due (31 months from priority) for PCT applications not yet entered.
            if sample.right.kind == .pctApplication, sample.right.state == .published || sample.right.state == .filed,
                let priority = sample.right.earliestPriorityDate
            {
                let due = SampleDates.add(months: 31, to: priority)
                if due > asOf, due <= asOf.adding(days: 90) { upcoming += 1 }
            }
            // Office actions awaiting a response.
            if let action = sample.events.last(where: { $0.kind == .officeAction }),
                !sample.events.contains(where: { $0.kind == .responseFiled && $0.date >= action.date }),
                !kinds.contains(.abandoned)
            {
                let due = SampleDates.add(months: 3, to: action.date)
                if due > asOf, due <= asOf.adding(days: 90) { upcoming += 1 }
                if due <= asOf { overdue += 1 }
            }
        }
        #expect(upcoming >= 10)
        #expect(overdue >= 1)

        // Annuities: the first unpaid fee year of rights in force in KZ and EA.
        var feesDue = 0
        var feesOverdue = 0
        for sample in demo.rights where sample.right.state == .inForce {
            guard sample.right.jurisdiction == .kazakhstan || sample.right.jurisdiction == .eurasian,
                sample.right.kind != .trademark, let filed = sample.right.filingDate
            else { continue }
            let paid = Set(sample.events.filter { $0.kind == .annuityPaid }.compactMap(\.year))
            var year = sample.right.jurisdiction == .kazakhstan ? 1 : 3
            while paid.contains(year) { year += 1 }
            let due = SampleDates.add(years: year - 1, to: filed)
            if due > asOf, due <= asOf.adding(days: 90) { feesDue += 1 }
            if due <= asOf { feesOverdue += 1 }
        }
        #expect(feesDue >= 10)
        #expect(feesOverdue >= 2)
    }
}
