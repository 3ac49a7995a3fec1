import IPCase

extension IndicatorReport {
    /// Right kinds that count as patent applications (AUTM): patents, utility models, PCT
    /// applications and provisionals. Designs, trademarks, selection achievements and objects of
    /// copyright (software, databases, works) and know-how do not.
    public static func isPatentApplication(_ kind: RightKind) -> Bool {
        switch kind {
        case .patent, .utilityModel, .pctApplication, .provisional: true
        case .design, .trademark, .selectionAchievement, .software, .database, .work, .knowHow: false
        }
    }

    /// Agreement kinds under which payments are commercialization (licence) income; payments
    /// under sponsored research, MTAs and NDAs are not.
    public static func isCommercial(_ kind: Agreement.Kind) -> Bool {
        switch kind {
        case .exclusiveLicence, .nonExclusiveLicence, .option, .assignment, .spinOffEquity: true
        case .sponsoredResearch, .mta, .nda: false
        }
    }

    /// The day a right was filed with its office, for counting filings in a period: for a right
    /// that entered from a PCT application, the day its national or regional phase was entered
    /// (its `national-phase-entered` event, when supplied), else its filing date.
    public static func filingActDate(of right: Right, events: [RightEvent]) -> CivilDate? {
        if right.parentPCT != nil,
            let entered = events.filter({ $0.kind == .nationalPhaseEntered }).map(\.date).min()
        {
            return entered
        }
        return right.filingDate
    }

    /// The start-ups of the portfolio with the day each was formed: a recorded start-up
    /// (``Portfolio/startups``) on its founding date; a party an executed spin-off equity
    /// agreement names without a start-up record, on the day its first one was executed (any
    /// office).
    public static func startups(in portfolio: Portfolio) -> [ID<Party>: CivilDate] {
        var formed: [ID<Party>: CivilDate] = [:]
        for agreement in portfolio.agreements where agreement.kind == .spinOffEquity {
            guard let executed = agreement.executedOn else { continue }
            for party in agreement.counterparties {
                formed[party] = min(formed[party] ?? executed, executed)
            }
        }
        for startup in portfolio.startups { formed[startup.party] = startup.foundedOn }
        return formed
    }

    /// Whether `agreement` was in force on `day`: executed on or before it, its term not ended
    /// before it, and in force now (executed, active, in default, cured) or reaching its final
    /// state (`endedOn`, from the workflow history) after it.
    public static func inForce(
        _ agreement: Agreement, on day: CivilDate, endedOn: [ID<Agreement>: CivilDate]
    ) -> Bool {
        guard let signed = agreement.executedOn, signed <= day else { return false }
        if let ends = agreement.term.endsOn, ends < day { return false }
        if agreement.state.isInForce { return true }
        if agreement.state == .draft { return false }
        return endedOn[agreement.id].map { $0 > day } ?? false
    }

    /// Computes every indicator of `period` from `portfolio`, for one office or (with `nil`) all.
    ///
    /// Definitions (all dates inclusive):
    /// - disclosures received: `receivedOn` in the period;
    /// - patent applications: rights of a patent kind (``isPatentApplication(_:)``) whose
    ///   ``filingActDate(of:events:)`` is in the period; first filings claim no priority and did
    ///   not enter from a PCT application;
    /// - patents issued / utility models registered: `grantDate` in the period;
    /// - licences and options executed: `executedOn` in the period; "to start-ups" when the
    ///   first counterparty (the licensee) is a start-up: `Party` has no start-up flag, so a party
    ///   is a start-up when any executed spin-off equity agreement in the portfolio names it;
    /// - start-ups formed: recorded start-ups founded in the period, and parties without a record
    ///   whose earliest executed spin-off equity agreement falls in the period;
    /// - active licences at period end: licences executed on or before the last day, whose term
    ///   has not ended before it, and that are in force now (executed, active, in default, cured)
    ///   or reached their final state (``Portfolio/agreementEndedOn``) after the last day;
    /// - income: payments received in the period, except under sponsored research, MTAs and
    ///   NDAs (an agreement not supplied counts as commercial), summed per currency; patent-cost
    ///   reimbursement is listed but left out of totals;
    /// - licences by region: exclusive and non-exclusive licences executed in the period, by the
    ///   office's region and by the licensee's (`abroad-XX` outside Kazakhstan);
    /// - green technology: the patent applications above whose disclosure's IPC symbols fall in
    ///   the Green Inventory;
    /// - partners by sector: distinct counterparties of any agreement executed in the period;
    /// - Triple-Helix links: ``TripleHelix`` (pairs of participants of the agreements executed in
    ///   the period, the office among them, by their two sectors);
    /// - funding sources: disclosures received in the period by each source named;
    /// - filings by route: the patent applications above by jurisdiction: `KZ`, `EA`, `WO`, other;
    /// - exports: licences and options executed in the period whose licensee (first
    ///   counterparty) is outside Kazakhstan, and the commercial income received in the period
    ///   under agreements with such a licensee, per currency; with `rates`, that income in KZT
    ///   too, each payment at the latest rate on or before the day it was received (those
    ///   without one are listed apart, not guessed);
    /// - KZT totals (only with `rates`): the licence income and commercialization income (each
    ///   payment at the latest rate on or before the day received), export income, venture
    ///   investment and grants to start-ups (the round's day), grant funding and its co-financing
    ///   (the stage's first day), each region's income and the patent costs (the cost's day), each
    ///   with the rates it used and what had no rate; ``IndicatorReport/ratesUsed`` lists them all;
    /// - copyright registrations: software, databases and works whose `grantDate` (the
    ///   certificate) is in the period, by kind and by the office's region;
    /// - creators: the distinct inventors and authors of the disclosures received in the period;
    ///   by gender and career stage those who consented (``Creators`` says how small counts are
    ///   hidden);
    /// - start-ups: ``StartupIndicators`` (active and resident at the period's end, investment);
    /// - grant funding: ``GrantFunding`` (stages of awarded projects starting in the period);
    /// - by region: every region and city of republican significance with the licences executed
    ///   and the commercialization income received by its offices;
    /// - patent costs: ``PatentCostFigures/compute(for:from:office:rates:)``.
    ///
    /// - Throws: `MoneyError.overflow(_:)` only if a sum leaves the 64-bit range.
    public static func compute(
        for period: ReportPeriod, from portfolio: Portfolio, office: ID<Office>? = nil,
        greenInventory: GreenInventory = .standard, rates: ExchangeRates? = nil
    ) throws(MoneyError) -> IndicatorReport {
        func inScope(_ owner: ID<Office>) -> Bool { office.map { $0 == owner } ?? true }
        let offices = Dictionary(portfolio.offices.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let parties = Dictionary(portfolio.parties.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let disclosuresByID = Dictionary(
            portfolio.disclosures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let disclosures = portfolio.disclosures.filter { inScope($0.office) }
        let rights = portfolio.rights.filter { inScope($0.office) }
        let agreements = portfolio.agreements.filter { inScope($0.office) }
        let agreementsByID = Dictionary(
            portfolio.agreements.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let payments = portfolio.payments.filter { inScope($0.office) && period.contains($0.receivedOn) }

        // Disclosures and funding.
        let received = disclosures.filter { period.contains($0.receivedOn) }
        let bySource = Disclosure.FundingSource.allCases.map { source in
            let count = received.filter { $0.fundingSources.contains(source) }.count
            return ShareTally(
                key: source.rawValue, label: label(of: source), count: count,
                sharePercent: Percent.text(count, of: received.count))
        }
        let funding = FundingStructure(
            disclosures: received.count, unspecified: received.filter { $0.fundingSources.isEmpty }.count,
            bySource: bySource)

        // Applications, titles, routes, green share.
        let filed = rights.filter {
            isPatentApplication($0.kind)
                && period.contains(filingActDate(of: $0, events: portfolio.rightEvents[$0.id] ?? []))
        }
        let firstFilings = filed.filter { $0.priorityClaims.isEmpty && $0.parentPCT == nil }.count
        let patentsIssued = rights.filter { $0.kind == .patent && period.contains($0.grantDate) }.count
        let utilityModels = rights.filter { $0.kind == .utilityModel && period.contains($0.grantDate) }.count
        let routes: [(key: String, label: String, matches: (Jurisdiction) -> Bool)] = [
            ("national-kz", "National (KZ)", { $0 == .kazakhstan }),
            ("eurasian-ea", "Eurasian (EA)", { $0 == .eurasian }),
            ("pct-wo", "PCT (WO)", { $0 == .pct }),
            ("foreign", "Foreign", { $0 != .kazakhstan && $0 != .eurasian && $0 != .pct }),
        ]
        let filingsByRoute = routes.map { route in
            Tally(key: route.key, label: route.label, count: filed.filter { route.matches($0.jurisdiction) }.count)
        }
        var classified = 0
        var green = 0
        var categoryCounts: [GreenCategory: Int] = [:]
        for right in filed {
            let symbols = right.disclosure.flatMap { disclosuresByID[$0] }?.ipcSymbols ?? []
            guard !symbols.isEmpty else { continue }
            classified += 1
            let categories = greenInventory.categories(for: symbols)
            if !categories.isEmpty { green += 1 }
            for category in categories { categoryCounts[category, default: 0] += 1 }
        }
        let greenShare = GreenShare(
            basis: "applications-filed-in-period", rights: filed.count, classified: classified, green: green,
            sharePercent: Percent.text(green, of: filed.count),
            byCategory: GreenCategory.allCases.map { category in
                let count = categoryCounts[category] ?? 0
                return ShareTally(
                    key: category.rawValue, label: category.name, count: count,
                    sharePercent: Percent.text(count, of: filed.count))
            })

        // Start-ups: recorded ones formed on their founding date; a party named by an executed
        // spin-off equity agreement without a record, on its first one's date (whole portfolio).
        let firstSpinOff = startups(in: portfolio)
        let recordedParties = Set(portfolio.startups.map(\.party))
        let startupsFormed =
            portfolio.startups.filter { inScope($0.office) && period.contains($0.foundedOn) }.count
            + Set(
                agreements.filter { $0.kind == .spinOffEquity && period.contains($0.executedOn) }
                    .flatMap(\.counterparties)
                    .filter { !recordedParties.contains($0) && (firstSpinOff[$0].map(period.contains) ?? false) }
            ).count
        let startupFigures = try StartupIndicators.compute(
            period: period, startups: portfolio.startups.filter { inScope($0.office) }, formed: startupsFormed,
            rates: rates)

        // Agreements executed in the period.
        let executed = agreements.filter { period.contains($0.executedOn) }
        let licencesAndOptions = executed.filter { $0.kind.isLicence || $0.kind == .option }
        let counts = LicenceCounts(
            total: licencesAndOptions.count,
            exclusiveLicences: licencesAndOptions.filter { $0.kind == .exclusiveLicence }.count,
            nonExclusiveLicences: licencesAndOptions.filter { $0.kind == .nonExclusiveLicence }.count,
            options: licencesAndOptions.filter { $0.kind == .option }.count,
            toStartups: licencesAndOptions.filter { agreement in
                agreement.counterparties.first.map { firstSpinOff[$0] != nil } ?? false
            }.count)

        let active = agreements.filter { agreement in
            agreement.kind.isLicence && inForce(agreement, on: period.to, endedOn: portfolio.agreementEndedOn)
        }.count

        /// The region of an office as a tally key and label.
        func region(of office: ID<Office>) -> (key: String, label: String) {
            offices[office].map { ($0.region.rawValue, $0.region.name) } ?? ("unknown", "Unknown")
        }

        // Licences by region.
        let licences = executed.filter { $0.kind.isLicence }
        var byOfficeRegion: [String: (label: String, count: Int)] = [:]
        var byLicensee: [String: (label: String, count: Int)] = [:]
        for licence in licences {
            let officeRegion = region(of: licence.office)
            byOfficeRegion[officeRegion.key, default: (officeRegion.label, 0)].count += 1
            let location = licenseeLocation(licence.counterparties.first.flatMap { parties[$0] })
            byLicensee[location.key, default: (location.label, 0)].count += 1
        }
        func tallies(_ map: [String: (label: String, count: Int)]) -> [Tally] {
            map.map { Tally(key: $0.key, label: $0.value.label, count: $0.value.count) }.sorted { $0.key < $1.key }
        }

        // Partners by sector.
        let partners = Set(executed.flatMap(\.counterparties)).compactMap { parties[$0] }
        let partnersBySector = Party.Sector.allCases.map { sector in
            Tally(key: sector.rawValue, label: label(of: sector), count: partners.filter { $0.sector == sector }.count)
        }

        // Exports: licensees abroad.
        func abroad(_ agreement: Agreement?) -> Bool {
            guard let licensee = agreement?.counterparties.first.flatMap({ parties[$0] }) else { return false }
            return licensee.country != .kazakhstan
        }
        var exportIncome = MoneyTotals()
        var exportKZT = KZTConversion()

        // Copyright registrations.
        let registered = rights.filter { $0.kind.isCopyright && period.contains($0.grantDate) }
        var registrationsByRegion: [String: (label: String, count: Int)] = [:]
        for right in registered {
            let officeRegion = region(of: right.office)
            registrationsByRegion[officeRegion.key, default: (officeRegion.label, 0)].count += 1
        }
        let registrations = CopyrightRegistrations(
            total: registered.count,
            byKind: RightKind.allCases.filter(\.isCopyright).map { kind in
                Tally(key: kind.rawValue, label: kind.name, count: registered.filter { $0.kind == kind }.count)
            },
            byOfficeRegion: tallies(registrationsByRegion))

        // Creators of the period's disclosures.
        let creatorIDs = Set(received.flatMap { $0.inventors.map(\.party) })
        // Consent given but nothing recorded counts as not recorded.
        let recorded = creatorIDs.compactMap { parties[$0]?.demographics }.filter {
            $0.gender != nil || $0.careerStage != nil
        }
        let creators = Creators(
            people: creatorIDs.count, recorded: recorded.count,
            byGender: SuppressedTally.suppressing(
                Party.Gender.allCases.map { gender in
                    (gender.rawValue, label(of: gender), recorded.filter { $0.gender == gender }.count)
                }),
            byCareerStage: SuppressedTally.suppressing(
                Party.CareerStage.allCases.map { stage in
                    (stage.rawValue, label(of: stage), recorded.filter { $0.careerStage == stage }.count)
                }))

        // Income.
        var income = LicenceIncome()
        var commercialTotal = MoneyTotals()
        var incomeByRegion: [Region: MoneyTotals] = [:]
        var incomeKZT = KZTConversion()
        var regionKZT: [Region: KZTConversion] = [:]
        var byKind: [String: MoneyTotals] = [:]
        for payment in payments {
            let kind = agreementsByID[payment.agreement]?.kind
            if let kind, !isCommercial(kind) { continue }
            switch payment.kind {
            case .upfront: try income.upfront.add(payment.amount)
            case .royalty: try income.runningRoyalties.add(payment.amount)
            case .milestone: try income.milestones.add(payment.amount)
            case .sublicense: try income.sublicense.add(payment.amount)
            case .equitySale: try income.equityCashOuts.add(payment.amount)
            case .patentCostReimbursement: try income.patentCostReimbursement.add(payment.amount)
            case .other: try income.other.add(payment.amount)
            }
            guard payment.kind != .patentCostReimbursement else { continue }
            try income.total.add(payment.amount)
            try commercialTotal.add(payment.amount)
            try incomeKZT.add(payment.amount, on: payment.receivedOn, rates: rates)
            if let region = offices[payment.office]?.region {
                try incomeByRegion[region, default: MoneyTotals()].add(payment.amount)
                try regionKZT[region, default: KZTConversion()].add(payment.amount, on: payment.receivedOn, rates: rates)
            }
            if abroad(agreementsByID[payment.agreement]) {
                try exportIncome.add(payment.amount)
                try exportKZT.add(payment.amount, on: payment.receivedOn, rates: rates)
            }
            try byKind[kind?.rawValue ?? "unknown", default: MoneyTotals()].add(payment.amount)
        }
        let kindOrder = Agreement.Kind.allCases.map(\.rawValue) + ["unknown"]
        let byAgreementKind = kindOrder.compactMap { key -> KindIncome? in
            guard let amounts = byKind[key] else { return nil }
            return KindIncome(
                kind: key, label: Agreement.Kind(rawValue: key)?.name ?? "agreement not supplied", amounts: amounts)
        }

        // Licence income and commercialization income are the same payments (see `isCommercial`).
        income.totalKZT = try ConvertedIncome.of(incomeKZT, rates: rates)
        var byRegion: [RegionFigures] = []
        for region in Region.allCases {
            byRegion.append(
                RegionFigures(
                    key: region.rawValue, label: region.name,
                    licences: licences.filter { offices[$0.office]?.region == region }.count,
                    income: incomeByRegion[region] ?? MoneyTotals(),
                    incomeKZT: try ConvertedIncome.of(regionKZT[region] ?? KZTConversion(), rates: rates)))
        }

        let patentCosts = try PatentCostFigures.compute(for: period, from: portfolio, office: office, rates: rates)

        return IndicatorReport(
            period: period, office: office,
            greenInventory: InventoryInfo(
                source: greenInventory.source, date: greenInventory.date, coverage: greenInventory.coverage),
            autm: AUTMMetrics(
                disclosuresReceived: received.count,
                patentApplications: PatentApplications(firstFilings: firstFilings, all: filed.count),
                patentsIssued: patentsIssued, utilityModelsRegistered: utilityModels,
                licencesAndOptionsExecuted: counts, licenceIncome: income, startupsFormed: startupsFormed,
                activeLicencesAtPeriodEnd: active),
            kazakhstan: PolicyIndicators(
                commercializationIncome: CommercializationIncome(
                    total: commercialTotal, byAgreementKind: byAgreementKind, totalKZT: income.totalKZT),
                licencesByOfficeRegion: tallies(byOfficeRegion), licencesByLicenseeLocation: tallies(byLicensee),
                greenTechnology: greenShare, partnersBySector: partnersBySector, fundingSources: funding,
                filingsByRoute: filingsByRoute,
                exports: Exports(
                    licencesAbroad: licencesAndOptions.filter { abroad($0) }.count, income: exportIncome,
                    incomeKZT: try ConvertedIncome.of(exportKZT, rates: rates)),
                copyrightRegistrations: registrations, creators: creators, startups: startupFigures,
                grantFunding: try GrantFunding.compute(
                    period: period, projects: portfolio.projects.filter { inScope($0.office) }, parties: parties,
                    rates: rates),
                byRegion: byRegion,
                tripleHelix: TripleHelix.compute(agreements: executed, offices: offices, parties: parties)),
            patentCosts: patentCosts)
    }

    /// Where a licensee is: its Kazakh region, `kz-unspecified`, `abroad-XX`, or `unknown` when not supplied.
    static func licenseeLocation(_ party: Party?) -> (key: String, label: String) {
        guard let party else { return ("unknown", "Unknown") }
        guard party.country == .kazakhstan else {
            return ("abroad-\(party.country.code.lowercased())", "Abroad: \(party.country.code)")
        }
        guard let region = party.region else { return ("kz-unspecified", "Kazakhstan, region not given") }
        return (region.rawValue, region.name)
    }

    static func label(of source: Disclosure.FundingSource) -> String {
        switch source {
        case .stateBudget: "State budget"
        case .grantProgramme: "Grant programme"
        case .ownFunds: "Own funds"
        case .venture: "Venture"
        case .foreign: "Foreign"
        }
    }

    static func label(of gender: Party.Gender) -> String {
        switch gender {
        case .female: "Women"
        case .male: "Men"
        case .nonBinary: "Non-binary"
        case .undisclosed: "Preferred not to say"
        }
    }

    static func label(of stage: Party.CareerStage) -> String {
        switch stage {
        case .student: "Students"
        case .earlyCareer: "Early career"
        case .midCareer: "Mid career"
        case .senior: "Senior"
        }
    }

    static func label(of sector: Party.Sector) -> String {
        switch sector {
        case .academia: "Academia"
        case .industry: "Industry"
        case .government: "Government"
        case .other: "Other"
        }
    }
}
