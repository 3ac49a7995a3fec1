import IPCase

/// Builds the university's deals, agreements and payments around its disclosures and rights.
struct CommerceBuilder {
    let asOf: CivilDate
    var random: SampleRandom
    private(set) var deals: [SampleDeal] = []
    private(set) var agreements: [SampleAgreement] = []
    private(set) var payments: [Payment] = []
    private var referenceCounts: [String: Int] = [:]

    init(asOf: CivilDate, random: SampleRandom) {
        self.asOf = asOf
        self.random = random
    }

    static let office = SamplePortfolio.universityOffice

    /// How an agreement's life goes after it is signed.
    enum Fate {
        case draft
        case executed
        case active
        case expired(on: CivilDate)
        case terminated(on: CivilDate, reason: String)
        case cured(
            defaultOn: CivilDate, reason: AgreementWorkflow.DefaultReason, curedOn: CivilDate, reinstatedOn: CivilDate)
        case inDefault(on: CivilDate, reason: AgreementWorkflow.DefaultReason, cureBy: CivilDate)
        case defaultTerminated(defaultOn: CivilDate, reason: AgreementWorkflow.DefaultReason, terminatedOn: CivilDate)
        case exercised(on: CivilDate, licence: Agreement.Kind)
        case lapsedOption(on: CivilDate)
    }

    /// A deal to build: where it ends, with whom, aiming at what.
    struct DealPlan {
        let stage: DealWorkflow.State
        let counterparty: String
        let kind: Agreement.Kind
        let value: Int64
        let currency: Currency
        /// For lost and withdrawn deals: how far they had got.
        var reached: DealWorkflow.State = .contacted
        var reason: String? = nil
    }

    static let dealPlans: [DealPlan] = [
        .init(
            stage: .identified, counterparty: "HelioGrid LLP", kind: .exclusiveLicence, value: 15_000_000,
            currency: .kzt),
        .init(
            stage: .identified, counterparty: "Astana Municipal Water Utility", kind: .nonExclusiveLicence,
            value: 3_000_000, currency: .kzt),
        .init(
            stage: .contacted, counterparty: "Caspian Drilling Technologies JSC", kind: .sponsoredResearch,
            value: 40_000_000, currency: .kzt),
        .init(
            stage: .contacted, counterparty: "Hartwell Instruments Inc.", kind: .nonExclusiveLicence, value: 60_000,
            currency: .usd),
        .init(
            stage: .underEvaluation, counterparty: "Karaganda Institute of Mining Research", kind: .option,
            value: 2_000_000, currency: .kzt),
        .init(
            stage: .underEvaluation, counterparty: "Nomad BioPharm LLP", kind: .exclusiveLicence, value: 25_000_000,
            currency: .kzt),
        .init(
            stage: .negotiating, counterparty: "Sary-Arka Mining Equipment LLP", kind: .exclusiveLicence,
            value: 20_000_000, currency: .kzt),
        .init(
            stage: .negotiating, counterparty: "Steppe Ventures Fund I", kind: .spinOffEquity, value: 50_000_000,
            currency: .kzt),
        .init(
            stage: .termSheetAgreed, counterparty: "Zhetysu Solar Energy LLP", kind: .exclusiveLicence,
            value: 30_000_000, currency: .kzt),
        .init(
            stage: .termSheetAgreed, counterparty: "Institute of Polymer Materials", kind: .nonExclusiveLicence,
            value: 1_500_000, currency: .kzt),
        .init(
            stage: .agreementExecuted, counterparty: "Qazaq Water Systems LLP", kind: .exclusiveLicence,
            value: 45_000_000, currency: .kzt),
        .init(
            stage: .agreementExecuted, counterparty: "Lindqvist Process Engineering GmbH", kind: .exclusiveLicence,
            value: 180_000, currency: .eur),
        .init(
            stage: .agreementExecuted, counterparty: "Zhetysu Solar Energy LLP", kind: .option, value: 2_500_000,
            currency: .kzt),
        .init(
            stage: .agreementExecuted, counterparty: "Shenzhen Qingtian New Energy Co., Ltd.", kind: .option,
            value: 25_000, currency: .usd),
        .init(
            stage: .agreementExecuted, counterparty: "SorbTech LLP", kind: .spinOffEquity, value: 12_000_000,
            currency: .kzt),
        .init(
            stage: .agreementExecuted, counterparty: "Sary-Arka Mining Equipment LLP", kind: .nonExclusiveLicence,
            value: 8_000_000, currency: .kzt),
        .init(
            stage: .lost, counterparty: "Turan AgroTech LLP", kind: .exclusiveLicence, value: 10_000_000,
            currency: .kzt, reached: .underEvaluation, reason: "chose a competing technology"),
        .init(
            stage: .lost, counterparty: "Hartwell Instruments Inc.", kind: .exclusiveLicence, value: 150_000,
            currency: .usd, reached: .negotiating, reason: "no agreement on the royalty rate"),
        .init(
            stage: .withdrawn, counterparty: "National Centre for Industrial Safety", kind: .sponsoredResearch,
            value: 20_000_000, currency: .kzt, reached: .contacted),
    ]

    // MARK: Building

    mutating func build(disclosures: [SampleDisclosure], rights: [SampleRight]) {
        // Technologies on offer: approved disclosures and their rights still alive.
        var offers: [(disclosure: SampleDisclosure, rights: [ID<Right>])] = []
        for sample in disclosures where sample.disclosure.state == .approvedForProtection {
            let alive = rights.filter { $0.right.disclosure == sample.disclosure.id && Self.isAlive($0.right.state) }
            if !alive.isEmpty { offers.append((sample, alive.map(\.right.id))) }
        }
        let kzUtilityModels = rights.filter {
            $0.right.office == Self.office && $0.right.kind == .utilityModel && Self.isAlive($0.right.state)
        }.map(\.right.id)

        for (index, plan) in Self.dealPlans.enumerated() {
            let offer = offers[index % offers.count]
            buildDeal(index: index, plan: plan, offer: offer.disclosure, rights: offer.rights)
        }
        func spare(_ index: Int) -> [ID<Right>] { offers[(Self.dealPlans.count + index) % offers.count].rights }
        let today = asOf
        func years(_ count: Int) -> CivilDate { today.adding(days: -count * 365) }

        // Agreements that did not come through the pipeline.
        let hartwell = years(5).adding(days: random.int(in: 0...60))
        addAgreement(
            .nonExclusiveLicence, with: ["Hartwell Instruments Inc."], rights: spare(0), executed: hartwell,
            fate: .expired(on: SampleDates.add(years: 3, to: hartwell)), currency: .usd,
            terms: FinancialTerms(
                upfront: usd(20_000), runningRoyalty: RunningRoyalty(rate: 250, base: .netSales),
                minimumAnnualRoyalty: usd(10_000)),
            obligations: [.royaltyReports(every: .semiAnnual, dueWithinDays: 60)], field: "laboratory instruments",
            territory: Territory(countries: [.unitedStates]), termYears: 3)
        let utility = years(4).adding(days: random.int(in: 0...90))
        addAgreement(
            .nonExclusiveLicence, with: ["Astana Municipal Water Utility"], rights: spare(1), executed: utility,
            fate: .terminated(on: utility.adding(days: random.int(in: 500...800)), reason: "by mutual agreement"),
            currency: .kzt, terms: FinancialTerms(upfront: kzt(1_500_000)), obligations: [],
            field: "municipal water treatment",
            territory: Territory(countries: [.kazakhstan]), termYears: 5)
        let turan = years(3).adding(days: random.int(in: 0...60))
        addAgreement(
            .exclusiveLicence, with: ["Turan AgroTech LLP"], rights: spare(2), executed: turan,
            fate: .inDefault(
                on: asOf.adding(days: -random.int(in: 10...40)), reason: .missedPayment,
                cureBy: asOf.adding(days: random.int(in: 20...60))),
            currency: .kzt,
            terms: FinancialTerms(
                upfront: kzt(3_000_000), runningRoyalty: RunningRoyalty(rate: 400, base: .netSales),
                minimumAnnualRoyalty: kzt(1_200_000)),
            obligations: [.royaltyReports(every: .quarterly, dueWithinDays: 30)], field: "agriculture",
            territory: Territory(countries: [.kazakhstan]), untilLastRightExpires: true)
        let nomad = years(4).adding(days: random.int(in: 0...60))
        addAgreement(
            .exclusiveLicence, with: ["Nomad BioPharm LLP"], rights: spare(3), executed: nomad,
            fate: .defaultTerminated(
                defaultOn: nomad.adding(days: 700), reason: .missedMilestone, terminatedOn: nomad.adding(days: 790)),
            currency: .kzt,
            terms: FinancialTerms(
                upfront: kzt(5_000_000), runningRoyalty: RunningRoyalty(rate: 500, base: .netSales),
                milestones: [
                    MilestonePayment(
                        name: "Marketing authorisation filed", amount: kzt(10_000_000), dueOn: nomad.adding(days: 650))
                ]),
            obligations: [
                .royaltyReports(every: .quarterly, dueWithinDays: 45),
                .milestone(name: "Marketing authorisation filed", dueOn: nomad.adding(days: 650)),
            ],
            field: "veterinary medicine",
            territory: Territory(countries: [.kazakhstan, Country("KG")!, Country("UZ")!]),
            untilLastRightExpires: true)
        let polymer = years(2).adding(days: random.int(in: 0...60))
        addAgreement(
            .option, with: ["Institute of Polymer Materials"], rights: spare(4), executed: polymer,
            fate: .lapsedOption(on: polymer.adding(days: 366)), currency: .kzt,
            terms: FinancialTerms(upfront: kzt(500_000)), obligations: [.optionExercise(by: polymer.adding(days: 365))],
            field: "polymer composites", territory: .worldwide, termYears: 1)
        let assignment = years(3).adding(days: random.int(in: 0...120))
        addAgreement(
            .assignment, with: ["Turan AgroTech LLP"],
            rights: kzUtilityModels.isEmpty ? spare(6) : [kzUtilityModels[0]], executed: assignment,
            fate: .active, currency: .kzt, terms: FinancialTerms(upfront: kzt(4_500_000)), obligations: [], field: nil,
            territory: Territory(countries: [.kazakhstan]))
        let research = asOf.adding(days: -random.int(in: 300...500))
        addAgreement(
            .sponsoredResearch, with: ["Caspian Drilling Technologies JSC"], rights: [], executed: research,
            fate: .active,
            currency: .kzt,
            terms: FinancialTerms(
                milestones: [
                    MilestonePayment(
                        name: "Stage 1: laboratory tests", amount: kzt(12_000_000), dueOn: research.adding(days: 30)),
                    MilestonePayment(
                        name: "Stage 2: field trials", amount: kzt(18_000_000), dueOn: research.adding(days: 400)),
                ]),
            obligations: [
                .milestone(name: "Interim research report", dueOn: asOf.adding(days: random.int(in: 15...75))),
                .milestone(name: "Final research report", dueOn: SampleDates.add(years: 2, to: research)),
            ],
            field: "drilling fluids", territory: .worldwide, termYears: 2)
        let safety = years(5).adding(days: random.int(in: 0...60))
        addAgreement(
            .sponsoredResearch, with: ["National Centre for Industrial Safety"], rights: [], executed: safety,
            fate: .expired(on: SampleDates.add(years: 2, to: safety)), currency: .kzt,
            terms: FinancialTerms(
                milestones: [
                    MilestonePayment(name: "Research funding", amount: kzt(25_000_000), dueOn: safety.adding(days: 20))
                ]),
            obligations: [.milestone(name: "Final research report", dueOn: SampleDates.add(years: 2, to: safety))],
            field: "mine gas detection", territory: Territory(countries: [.kazakhstan]), termYears: 2)
        addAgreement(
            .mta, with: ["Karaganda Institute of Mining Research"], rights: [], executed: years(1), fate: .active,
            currency: .kzt, terms: nil, obligations: [], field: "ore samples for flotation tests",
            territory: Territory(countries: [.kazakhstan]), termYears: 2)
        let geo = asOf.adding(days: -random.int(in: 5...25))
        addAgreement(
            .spinOffEquity, with: ["GeoSense Analytics LLP"], rights: spare(5), executed: geo, fate: .executed,
            currency: .kzt, terms: FinancialTerms(equity: Equity(percentage: 1_500, shares: 150_000)),
            obligations: [.milestone(name: "Seed round closed", dueOn: asOf.adding(days: random.int(in: 30...85)))],
            field: nil, territory: .worldwide, untilLastRightExpires: true)

        // The university's know-how, licensed to its start-up (signed, not yet paying).
        if let knowHow = rights.first(where: { $0.right.office == Self.office && $0.right.kind == .knowHow }) {
            addAgreement(
                .nonExclusiveLicence, with: ["GeoSense Analytics LLP"], rights: [knowHow.right.id],
                executed: SampleDates.workday(asOf.adding(days: -random.int(in: 20...50)), backward: true),
                fate: .executed, currency: .kzt,
                terms: FinancialTerms(upfront: kzt(2_000_000), runningRoyalty: RunningRoyalty(rate: 200, base: .netSales)),
                obligations: [], field: "sorbent production", territory: Territory(countries: [.kazakhstan]),
                termYears: 5)
        }

        // Payments in the order received, numbered in that order.
        payments.sort { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
        for index in payments.indices { payments[index].id = ID(Int64(index + 1)) }
    }

    static func isAlive(_ state: RightWorkflow.State) -> Bool {
        switch state {
        case .filed, .published, .underExamination, .allowed, .granted, .inForce, .nationalPhaseEntered, .submitted,
            .registered:
            true
        case .draft, .expired, .lapsed, .abandoned, .withdrawn, .refused, .revoked: false
        }
    }

    private func kzt(_ major: Int64) -> Money { Money(minorUnits: major * 100, .kzt) }
    private func usd(_ major: Int64) -> Money { Money(minorUnits: major * 100, .usd) }

    // MARK: Deals

    private mutating func buildDeal(index: Int, plan: DealPlan, offer: SampleDisclosure, rights: [ID<Right>]) {
        let id = ID<Deal>(Int64(index + 1))
        let reference = "D-\(SampleText.padded(index + 1, 2))"
        let counterparty = DemoBuilder.organization(plan.counterparty)
        let order: [DealWorkflow.State] = [
            .identified, .contacted, .underEvaluation, .negotiating, .termSheetAgreed, .agreementExecuted,
        ]
        let target = plan.stage == .lost || plan.stage == .withdrawn ? plan.reached : plan.stage
        let steps = order.firstIndex(of: target)! + (plan.stage == .lost || plan.stage == .withdrawn ? 1 : 0)
        let span =
            switch plan.stage {
            case .identified: random.int(in: 5...60)
            case .contacted: random.int(in: 20...120)
            case .underEvaluation: random.int(in: 60...200)
            case .negotiating: random.int(in: 90...300)
            case .termSheetAgreed: random.int(in: 120...400)
            case .agreementExecuted: random.int(in: 400...1_500)
            case .lost, .withdrawn: random.int(in: 200...900)
            }
        let identified = asOf.adding(days: -span)
        // Milestones of the deal, evenly spread with some jitter, the last at least a week ago
        // (executed deals: well before today so the agreement has a history).
        let end = plan.stage == .agreementExecuted ? identified.adding(days: span / 3) : asOf.adding(days: -7)
        let gap = max(2, identified.days(to: end) / max(1, steps))
        var dates: [CivilDate] = []
        for step in 0..<steps {
            dates.append(identified.adding(days: gap * (step + 1) - random.int(in: 0...(gap / 3))))
        }
        var history: [DatedEvent<DealWorkflow.Event>] = []
        var agreement: ID<Agreement>?
        for (step, date) in dates.enumerated() {
            let isEnding = (plan.stage == .lost || plan.stage == .withdrawn) && step == steps - 1
            if isEnding {
                history.append(DatedEvent(plan.stage == .lost ? .lose(reason: plan.reason) : .withdraw, on: date))
                continue
            }
            switch order[step + 1] {
            case .contacted:
                history.append(DatedEvent(.makeContact, on: date))
            case .underEvaluation:
                // The NDA (or MTA for materials) is signed a little before the evaluation starts.
                let kind: Agreement.Kind = plan.kind == .option || plan.counterparty.contains("BioPharm") ? .mta : .nda
                let signed = date.adding(days: -random.int(in: 3...12))
                let confidentiality = addAgreement(
                    kind, with: [plan.counterparty], rights: [], executed: signed,
                    fate: SampleDates.add(years: 3, to: signed) <= asOf
                        ? .expired(on: SampleDates.add(years: 3, to: signed)) : .active,
                    currency: plan.currency, terms: nil, obligations: [], field: "evaluation of \(reference)",
                    territory: .worldwide, termYears: 3)
                history.append(
                    DatedEvent(.startEvaluation(under: .init(agreement: confidentiality, kind: kind)), on: date))
            case .negotiating:
                history.append(DatedEvent(.startNegotiation, on: date))
            case .termSheetAgreed:
                history.append(DatedEvent(.agreeTermSheet, on: date))
                if plan.stage == .termSheetAgreed && plan.kind == .exclusiveLicence {
                    addAgreement(
                        plan.kind, with: [plan.counterparty], rights: rights, executed: nil, fate: .draft,
                        currency: plan.currency,
                        terms: FinancialTerms(
                            upfront: Money(minorUnits: plan.value * 10, plan.currency),
                            runningRoyalty: RunningRoyalty(rate: 350, base: .netSales)),
                        obligations: [.royaltyReports(every: .quarterly, dueWithinDays: 45)], field: nil,
                        territory: Territory(countries: [.kazakhstan]), untilLastRightExpires: true, deal: id)
                }
            case .agreementExecuted:
                history.append(DatedEvent(.executeAgreement(kind: plan.kind), on: date))
                agreement = executedAgreement(plan: plan, deal: id, rights: rights, executed: date)
            case .identified, .lost, .withdrawn:
                break
            }
        }
        let deal = Deal(
            id: id, office: Self.office, reference: reference,
            title:
                "\(plan.kind.name.capitalizedFirst) of \(offer.disclosure.title.lowercasedFirst) to \(plan.counterparty)",
            disclosure: offer.disclosure.id, rights: rights, counterparty: counterparty, intendedAgreement: plan.kind,
            expectedValue: Money(minorUnits: plan.value * 100, plan.currency), agreement: agreement, state: plan.stage)
        deals.append(SampleDeal(deal: deal, identifiedOn: identified, history: history))
    }

    /// The agreement signed at the end of an executed deal, with its life since.
    private mutating func executedAgreement(
        plan: DealPlan, deal: ID<Deal>, rights: [ID<Right>], executed: CivilDate
    ) -> ID<Agreement> {
        let money = { (major: Int64) in Money(minorUnits: major * 100, plan.currency) }
        switch plan.kind {
        case .exclusiveLicence where plan.currency == .kzt:
            return addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed, fate: .active,
                currency: plan.currency,
                terms: FinancialTerms(
                    upfront: money(5_000_000), runningRoyalty: RunningRoyalty(rate: 300, base: .netSales),
                    minimumAnnualRoyalty: money(2_000_000),
                    milestones: [
                        MilestonePayment(
                            name: "First commercial sale in Kazakhstan", amount: money(3_000_000),
                            dueOn: SampleDates.add(years: 1, to: executed)),
                        MilestonePayment(
                            name: "Second production line commissioned", amount: money(7_000_000),
                            dueOn: asOf.adding(days: random.int(in: 20...80))),
                    ], sublicenseIncomeShare: 2_500, patentCostReimbursement: .actualCosts(cap: money(4_000_000))),
                obligations: [
                    .royaltyReports(every: .quarterly, dueWithinDays: 45),
                    .milestone(
                        name: "First commercial sale in Kazakhstan", dueOn: SampleDates.add(years: 1, to: executed)),
                    .milestone(
                        name: "Second production line commissioned", dueOn: asOf.adding(days: random.int(in: 20...80))),
                ],
                field: "water treatment",
                territory: Territory(countries: [.kazakhstan, Country("KG")!, Country("UZ")!]),
                untilLastRightExpires: true, deal: deal)
        case .exclusiveLicence:
            let defaulted = min(
                SampleDates.later(executed.adding(days: 120), asOf.adding(days: -240)), asOf.adding(days: -80))
            return addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed,
                fate: .cured(
                    defaultOn: defaulted, reason: .missedReport,
                    curedOn: defaulted.adding(days: random.int(in: 20...50)),
                    reinstatedOn: defaulted.adding(days: random.int(in: 55...70))),
                currency: plan.currency,
                terms: FinancialTerms(
                    upfront: money(40_000), runningRoyalty: RunningRoyalty(rate: 450, base: .netSales),
                    minimumAnnualRoyalty: money(15_000), sublicenseIncomeShare: 3_000,
                    patentCostReimbursement: .fixed(money(12_000))),
                obligations: [.royaltyReports(every: .quarterly, dueWithinDays: 60)], field: "mineral processing",
                territory: Territory(countries: [.germany, Country("AT")!, Country("CH")!, Country("PL")!]),
                untilLastRightExpires: true, deal: deal)
        case .option where plan.currency == .kzt:
            let exerciseBy = asOf.adding(days: random.int(in: 20...80))
            return addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed, fate: .active,
                currency: plan.currency, terms: FinancialTerms(upfront: money(1_000_000)),
                obligations: [.optionExercise(by: exerciseBy)], field: "solar power plants",
                territory: Territory(countries: [.kazakhstan]),
                termYears: nil, endsOn: exerciseBy, deal: deal)
        case .option:
            let exercised = SampleDates.later(executed.adding(days: 180), asOf.adding(days: -400))
            let option = addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed,
                fate: .exercised(on: exercised, licence: .exclusiveLicence), currency: plan.currency,
                terms: FinancialTerms(upfront: money(15_000)),
                obligations: [.optionExercise(by: executed.adding(days: 365 * 2))], field: "battery storage",
                territory: Territory(countries: [.china]), termYears: 2, deal: deal)
            // The licence the exercise grants.
            addAgreement(
                .exclusiveLicence, with: [plan.counterparty], rights: rights,
                executed: exercised.adding(days: random.int(in: 10...40)),
                fate: .active, currency: plan.currency,
                terms: FinancialTerms(
                    upfront: money(60_000), runningRoyalty: RunningRoyalty(rate: 200, base: .netSales),
                    minimumAnnualRoyalty: money(20_000)),
                obligations: [.royaltyReports(every: .semiAnnual, dueWithinDays: 60)], field: "battery storage",
                territory: Territory(countries: [.china]), untilLastRightExpires: true, option: option)
            return option
        case .spinOffEquity:
            return addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed, fate: .active,
                currency: plan.currency,
                terms: FinancialTerms(
                    runningRoyalty: RunningRoyalty(rate: 150, base: .netRevenue),
                    patentCostReimbursement: .actualCosts(cap: nil), equity: Equity(percentage: 1_000, shares: 100_000)),
                obligations: [
                    .royaltyReports(every: .annual, dueWithinDays: 90),
                    .milestone(name: "Pilot customer contract signed", dueOn: SampleDates.add(years: 1, to: executed)),
                ],
                field: nil, territory: .worldwide, untilLastRightExpires: true, deal: deal)
        case .nonExclusiveLicence, .assignment, .sponsoredResearch, .mta, .nda:
            return addAgreement(
                plan.kind, with: [plan.counterparty], rights: rights, executed: executed, fate: .active,
                currency: plan.currency,
                terms: FinancialTerms(
                    upfront: money(1_500_000), runningRoyalty: RunningRoyalty(rate: 200, base: .grossSales),
                    minimumAnnualRoyalty: money(800_000)),
                obligations: [.royaltyReports(every: .quarterly, dueWithinDays: 30)], field: "mining equipment",
                territory: Territory(countries: [.kazakhstan]), untilLastRightExpires: true, deal: deal)
        }
    }

    // MARK: Agreements and payments

    private mutating func reference(_ kind: Agreement.Kind, year: Int) -> String {
        let prefix =
            switch kind {
            case .exclusiveLicence, .nonExclusiveLicence: "LIC"
            case .option: "OPT"
            case .assignment: "ASG"
            case .sponsoredResearch: "SRA"
            case .mta: "MTA"
            case .nda: "NDA"
            case .spinOffEquity: "SPO"
            }
        let key = "\(prefix)-\(year)"
        let number = (referenceCounts[key] ?? 0) + 1
        referenceCounts[key] = number
        return "\(key)-\(SampleText.padded(number, 3))"
    }

    /// Adds an agreement signed on `executed` (nil: still a draft) with its history and payments.
    @discardableResult
    private mutating func addAgreement(
        _ kind: Agreement.Kind, with counterparties: [String], rights: [ID<Right>], executed: CivilDate?, fate: Fate,
        currency: Currency, terms: FinancialTerms?, obligations: [Obligation], field: String?, territory: Territory,
        termYears: Int? = nil, endsOn: CivilDate? = nil, untilLastRightExpires: Bool = false, deal: ID<Deal>? = nil,
        option: ID<Agreement>? = nil
    ) -> ID<Agreement> {
        let id = ID<Agreement>(Int64(agreements.count + 1))
        let activated = executed.map { $0.adding(days: random.int(in: 0...20)) }
        var history: [DatedEvent<AgreementWorkflow.Event>] = []
        var state = AgreementWorkflow.State.draft
        let parties = counterparties.map(DemoBuilder.organization)
        let execution = executed.map {
            AgreementWorkflow.Execution(on: $0, counterparties: parties, rightsCovered: rights, financialTerms: terms)
        }
        var stopsPaying: CivilDate = asOf
        if let execution, let activated {
            history.append(DatedEvent(.execute(execution), on: execution.date))
            state = .executed
            switch fate {
            case .draft, .executed:
                break
            case .active, .expired, .terminated, .cured, .inDefault, .defaultTerminated, .exercised, .lapsedOption:
                history.append(DatedEvent(.activate(on: activated), on: activated))
                state = .active
            }
            switch fate {
            case .draft, .executed, .active:
                break
            case .expired(let date):
                history.append(DatedEvent(.expire(on: date), on: date))
                state = .expired
                stopsPaying = date
            case .terminated(let date, let reason):
                history.append(DatedEvent(.terminate(on: date, reason: reason), on: date))
                state = .terminated
                stopsPaying = date
            case .cured(let defaulted, let reason, let cured, let reinstated):
                history.append(
                    DatedEvent(
                        .declareDefault(on: defaulted, reason: reason, cureBy: defaulted.adding(days: 60)),
                        on: defaulted))
                history.append(DatedEvent(.cure(on: cured), on: cured))
                history.append(DatedEvent(.reinstate(on: reinstated), on: reinstated))
                state = .active
            case .inDefault(let date, let reason, let cureBy):
                history.append(DatedEvent(.declareDefault(on: date, reason: reason, cureBy: cureBy), on: date))
                state = .inDefault
                stopsPaying = SampleDates.add(months: -4, to: date)
            case .defaultTerminated(let defaulted, let reason, let terminated):
                history.append(
                    DatedEvent(
                        .declareDefault(on: defaulted, reason: reason, cureBy: defaulted.adding(days: 60)),
                        on: defaulted))
                history.append(DatedEvent(.terminate(on: terminated, reason: "default not cured"), on: terminated))
                state = .terminated
                stopsPaying = defaulted
            case .exercised(let date, let licence):
                history.append(DatedEvent(.exerciseOption(on: date, licence: licence), on: date))
                state = .exercised
                stopsPaying = date
            case .lapsedOption(let date):
                history.append(DatedEvent(.lapseOption(on: date), on: date))
                state = .lapsed
                stopsPaying = date
            }
        }
        let starts: CivilDate? =
            switch fate {
            case .draft: nil
            case .executed, .active, .expired, .terminated, .cured, .inDefault, .defaultTerminated, .exercised,
                .lapsedOption:
                activated
            }
        let year = executed?.year ?? asOf.year
        var agreement = Agreement(
            id: id, office: Self.office, reference: reference(kind, year: year), kind: kind, counterparties: parties,
            rightsCovered: rights, fieldOfUse: field, territory: territory,
            term: AgreementTerm(
                startsOn: starts,
                endsOn: endsOn ?? termYears.flatMap { years in starts.map { SampleDates.add(years: years, to: $0) } },
                untilLastRightExpires: untilLastRightExpires),
            financialTerms: terms, obligations: obligations, deal: deal, option: option, executedOn: executed,
            state: state)
        // The term ends with the agreement (expiry, termination, exercise, lapse), as the workflow records it.
        var replay = agreement
        replay.state = .draft
        for step in history { _ = try? replay.apply(step.event) }
        agreement.term.endsOn = replay.term.endsOn
        agreements.append(SampleAgreement(agreement: agreement, history: history))
        if let executed, let activated, state != .executed {
            addPayments(
                agreement: agreement, currency: currency, executed: executed, activated: activated,
                until: min(stopsPaying, asOf))
        }
        return id
    }

    /// Income under an agreement from signing to `until`: upfront, royalties by quarter with
    /// minimum-royalty top-ups, milestones reached, patent-cost reimbursements, an equity sale.
    private mutating func addPayments(
        agreement: Agreement, currency: Currency, executed: CivilDate, activated: CivilDate, until: CivilDate
    ) {
        guard let terms = agreement.financialTerms else { return }
        let perMajor = currency.minorUnitsPerMajor
        // Typical royalty per quarter in major units.
        let quarterly: ClosedRange<Int> = currency == .kzt ? 250_000...2_400_000 : 2_000...18_000
        func pay(_ amount: Money, _ kind: Payment.Kind, _ proposed: CivilDate, _ note: String) {
            let date = SampleDates.workday(proposed)
            guard date <= until, !amount.isZero else { return }
            let id = ID<Payment>(Int64(payments.count + 1))
            payments.append(
                Payment(
                    id: id, office: Self.office, agreement: agreement.id, amount: amount, kind: kind, receivedOn: date,
                    reference: "\(agreement.reference) \(note)"))
        }
        if let upfront = terms.upfront {
            pay(upfront, .upfront, executed.adding(days: random.int(in: 10...40)), "upfront fee")
        }
        for milestone in terms.milestones {
            let due = milestone.dueOn ?? SampleDates.add(years: 1, to: executed)
            let kind: Payment.Kind = agreement.kind == .sponsoredResearch ? .other : .milestone
            pay(milestone.amount, kind, due.adding(days: -random.int(in: 0...40)), milestone.name)
        }
        if terms.runningRoyalty != nil {
            // Calendar quarters (half-years, years) after activation, paid when reported.
            var interval = 3
            for obligation in agreement.obligations {
                if case .royaltyReports(let every, _) = obligation { interval = every.months }
            }
            var periodEnd = SampleDates.endOfMonth(SampleDates.add(months: interval, to: activated))
            var yearTotal: Int64 = 0
            var contractYear = 1
            var anniversary = SampleDates.add(years: 1, to: activated)
            var growth: Int64 = 100
            while periodEnd < until {
                let paid = periodEnd.adding(days: random.int(in: 15...44))
                if paid > until { break }
                let amount = Int64(random.int(in: quarterly)) * Int64(interval) / 3 * growth / 100
                let money = Money(minorUnits: amount * perMajor + Int64(random.below(Int(perMajor))), currency)
                pay(money, .royalty, paid, "royalties to \(periodEnd)")
                yearTotal += money.minorUnits
                if periodEnd >= anniversary {
                    if let minimum = terms.minimumAnnualRoyalty, yearTotal < minimum.minorUnits {
                        pay(
                            Money(minorUnits: minimum.minorUnits - yearTotal, currency), .royalty, paid.adding(days: 3),
                            "minimum royalty top-up, year \(contractYear)")
                    }
                    yearTotal = 0
                    contractYear += 1
                    anniversary = SampleDates.add(years: contractYear, to: activated)
                    growth += 15
                }
                periodEnd = SampleDates.endOfMonth(SampleDates.add(months: interval, to: periodEnd))
            }
        }
        if let reimbursement = terms.patentCostReimbursement {
            var date = executed.adding(days: random.int(in: 60...120))
            while date <= until {
                let amount: Money =
                    switch reimbursement {
                    case .fixed(let money): money
                    case .actualCosts: Money(minorUnits: Int64(random.int(in: 300_000...900_000)) * perMajor, currency)
                    }
                pay(amount, .patentCostReimbursement, date, "patent costs")
                if case .fixed = reimbursement { break }
                date = SampleDates.add(years: 1, to: date)
            }
        }
        if agreement.kind == .spinOffEquity, let equity = terms.equity, equity.shares != nil {
            pay(
                Money(minorUnits: 9_600_000 * perMajor, currency), .equitySale,
                SampleDates.later(SampleDates.add(years: 2, to: executed), asOf.adding(days: -150)),
                "sale of 2 500 shares to Steppe Ventures Fund I")
        }
    }
}

extension String {
    /// With the first letter in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    /// With the first letter in lower case (unless the word is an acronym).
    var lowercasedFirst: String {
        guard let second = dropFirst().first, second.isLowercase else { return self }
        return prefix(1).lowercased() + dropFirst()
    }
}
