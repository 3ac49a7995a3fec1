import IPCase
import Testing

@testable import IPCaseSamples

/// The demo portfolio used by most tests (generated once).
enum Fixture {
    static let asOf = (try? CivilDate(iso: "2025-06-30"))!
    static let demo = SamplePortfolio.generate(seed: 42, asOf: asOf)
}

@Suite("Demo portfolio")
struct SamplePortfolioTests {
    let demo = Fixture.demo

    @Test func sameSeedGivesIdenticalPortfolio() {
        let again = SamplePortfolio.generate(seed: 42, asOf: Fixture.asOf)
        #expect(again == demo)
    }

    @Test func differentSeedGivesDifferentPortfolio() {
        let other = SamplePortfolio.generate(seed: 43, asOf: Fixture.asOf)
        #expect(other.rights != demo.rights)
        #expect(other.payments != demo.payments)
    }

    @Test func demoHasTwoOfficesAndTheAdvertisedCounts() {
        #expect(demo.offices.map(\.kind) == [.university, .lawFirm])
        #expect(demo.offices[0].region == .almatyCity)
        #expect(demo.offices[1].region == .astana)
        #expect((35...50).contains(demo.parties.count))
        #expect(demo.disclosures.count == 60)
        #expect((290...330).contains(demo.rights.count))
        #expect(Set(demo.rights.map(\.right.office)) == [1, 2])
        #expect(demo.agreements.count >= 20)
        #expect(demo.payments.count >= 40)
        #expect(demo.policies.count == 2)
    }

    @Test func partiesCoverEveryRoleAndSector() {
        let roles = Set(demo.parties.flatMap(\.party.roles))
        #expect(roles == Set(Party.Role.allCases))
        let sectors = Set(demo.parties.filter { $0.party.has(.licensee) }.map(\.party.sector))
        #expect(sectors.isSuperset(of: [.industry, .government, .academia]))
        let inventors = demo.parties.filter { $0.party.has(.inventor) }
        #expect(inventors.allSatisfy { $0.department != nil })
    }

    @Test func rightsSpanEveryOfficeAndKindOfTheDemo() {
        let jurisdictions = Set(demo.rights.map(\.right.jurisdiction.code))
        #expect(jurisdictions == ["KZ", "EA", "WO", "EP", "US"])
        let kinds = Set(demo.rights.map(\.right.kind))
        #expect(kinds.isSuperset(of: [.patent, .utilityModel, .design, .trademark, .pctApplication, .provisional]))
        let states = Set(demo.rights.map(\.right.state))
        #expect(
            states.isSuperset(of: [
                .draft, .filed, .underExamination, .granted, .inForce, .lapsed, .expired, .abandoned, .refused,
                .nationalPhaseEntered,
            ]))
    }

    @Test func referencesAreUnique() {
        #expect(Set(demo.rights.map(\.right.reference)).count == demo.rights.count)
        #expect(Set(demo.rights.map(\.right.id)).count == demo.rights.count)
        #expect(Set(demo.agreements.map(\.agreement.reference)).count == demo.agreements.count)
        #expect(Set(demo.deals.map(\.deal.reference)).count == demo.deals.count)
        #expect(Set(demo.disclosures.map(\.disclosure.reference)).count == demo.disclosures.count)
        #expect(Set(demo.parties.map(\.party.name)).count == demo.parties.count)
    }

    @Test func everyDealStageIsPresent() {
        #expect(Set(demo.deals.map(\.deal.state)) == Set(DealWorkflow.State.allCases))
    }

    @Test func everyAgreementKindIsPresent() {
        #expect(Set(demo.agreements.map(\.agreement.kind)) == Set(Agreement.Kind.allCases))
        let states = Set(demo.agreements.map(\.agreement.state))
        #expect(states == Set(AgreementWorkflow.State.allCases).subtracting([.cured]))
    }

    @Test func everyDisclosureStateIsPresentAndInventorSharesSumToWhole() {
        #expect(Set(demo.disclosures.map(\.disclosure.state)) == Set(DisclosureWorkflow.State.allCases))
        for sample in demo.disclosures {
            #expect(sample.disclosure.inventors.reduce(0) { $0 + $1.share.value } == 10_000)
            #expect(InventorShare.problems(in: sample.disclosure.inventors).isEmpty)
        }
    }

    @Test func aboutOneFifthOfDisclosuresAreGreenTechnologies() {
        let greenTitles = Set(SampleCatalog.technologies.filter(\.green).map(\.title))
        let green = demo.disclosures.filter { sample in greenTitles.contains { sample.disclosure.title.hasPrefix($0) } }
        let share = Double(green.count) / Double(demo.disclosures.count)
        #expect((0.15...0.45).contains(share))
        #expect(demo.disclosures.allSatisfy { !$0.disclosure.ipcSymbols.isEmpty })
    }

    @Test func disclosuresUseEveryFundingSource() {
        #expect(Set(demo.disclosures.flatMap(\.disclosure.fundingSources)) == Set(Disclosure.FundingSource.allCases))
    }

    @Test func approvedDisclosuresAreProtectedAfterApproval() {
        for sample in demo.disclosures where sample.disclosure.state == .approvedForProtection {
            let approved = sample.history.last!.date
            let rights = demo.rights.filter { $0.right.disclosure == sample.disclosure.id }
            #expect(!rights.isEmpty, "\(sample.disclosure.reference) has no rights")
            for right in rights {
                let first = right.history.first?.date
                #expect(first == nil || first! >= approved, "\(right.right.reference) filed before approval")
            }
        }
    }

    @Test func paymentsAreMostlyTengeWithSomeDollarsAndEuros() {
        let currencies = demo.payments.map(\.amount.currency)
        #expect(Set(currencies) == [.kzt, .usd, .eur])
        #expect(currencies.filter { $0 == .kzt }.count * 2 > currencies.count)
        #expect(
            Set(demo.payments.map(\.kind)).isSuperset(of: [
                .upfront, .royalty, .milestone, .patentCostReimbursement, .equitySale,
            ]))
        for payment in demo.payments {
            #expect(payment.receivedOn <= demo.asOf)
            #expect(payment.amount.minorUnits > 0)
            let agreement = demo.agreements.first { $0.agreement.id == payment.agreement }!.agreement
            #expect(payment.receivedOn >= agreement.executedOn!)
        }
    }

    @Test func everyPaymentCanBeDistributedByThePolicyInForce() throws {
        for payment in demo.payments {
            let distribution = try payment.distribution(
                policies: demo.policies, inventors: [InventorShare(1, BasisPoints.whole)])
            #expect(distribution.total == payment.amount)
        }
        let used = Set(
            demo.payments.map { (try? DistributionPolicy.effective(on: $0.receivedOn, among: demo.policies))?.name })
        #expect(used.count == 2)
    }

    @Test func obligationsIncludeRoyaltyReportsMilestonesAndOptionExercise() {
        let obligations = demo.agreements.flatMap(\.agreement.obligations)
        #expect(obligations.contains { if case .royaltyReports = $0 { true } else { false } })
        #expect(obligations.contains { if case .milestone = $0 { true } else { false } })
        #expect(obligations.contains { if case .optionExercise = $0 { true } else { false } })
        // Some obligations fall due in the coming 90 days.
        let soon = obligations.compactMap { obligation -> CivilDate? in
            switch obligation {
            case .milestone(_, let date), .optionExercise(let date): date
            case .royaltyReports: nil
            }
        }.filter { $0 > demo.asOf && $0 <= demo.asOf.adding(days: 90) }
        #expect(soon.count >= 3)
    }

    @Test func exercisedOptionIsFollowedByItsLicence() {
        let exercised = demo.agreements.filter { $0.agreement.state == .exercised }
        #expect(!exercised.isEmpty)
        for option in exercised {
            let licence = demo.agreements.first { $0.agreement.option == option.agreement.id }
            #expect(licence?.agreement.kind.isLicence == true)
        }
    }

    @Test func executedDealsPointToTheirAgreement() {
        for sample in demo.deals {
            if sample.deal.state == .agreementExecuted {
                let agreement = demo.agreements.first { $0.agreement.id == sample.deal.agreement }
                #expect(agreement?.agreement.kind == sample.deal.intendedAgreement)
                #expect(agreement?.agreement.deal == sample.deal.id)
            } else {
                #expect(sample.deal.agreement == nil)
            }
        }
    }

    @Test func policiesHaveDistinctEffectiveDatesAndValidShares() {
        #expect(Set(demo.policies.map(\.effectiveFrom)).count == demo.policies.count)
        #expect(demo.policies.allSatisfy { $0.problems.isEmpty })
        #expect(demo.policies.allSatisfy { $0.effectiveFrom <= demo.asOf })
    }

    @Test func crossReferencesPointToRecordsOfThePortfolio() {
        let rightIDs = Set(demo.rights.map(\.right.id))
        let partyIDs = Set(demo.parties.map(\.party.id))
        let familyIDs = Set(demo.families.map(\.id))
        for sample in demo.rights {
            #expect(sample.right.responsibleAttorney.map { partyIDs.contains($0) } ?? false)
            #expect(sample.right.family.map { familyIDs.contains($0) } ?? false)
            if let parent = sample.right.parentPCT {
                let pct = demo.rights.first { $0.right.id == parent }
                #expect(pct?.right.kind == .pctApplication)
                #expect(pct?.right.reference == sample.parentReference)
            }
        }
        for sample in demo.agreements {
            #expect(sample.agreement.rightsCovered.allSatisfy(rightIDs.contains))
            #expect(sample.agreement.counterparties.allSatisfy(partyIDs.contains))
        }
    }
}
