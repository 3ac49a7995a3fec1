import IPCase

/// The indicators of a period: the AUTM licensing-survey metrics and the indicators Kazakh
/// innovation policy monitors. Computed by ``compute(for:from:office:greenInventory:rates:)`` from
/// in-memory records; rendered as text, JSON and HTML. Money is summed per currency, never mixed.
public struct IndicatorReport: Hashable, Sendable, Codable {
    /// The period reported on.
    public var period: ReportPeriod
    /// The office reported on; `nil` for every office in the portfolio.
    public var office: ID<Office>?
    /// The green inventory used for tagging: its source, date and coverage.
    public var greenInventory: InventoryInfo
    /// The AUTM licensing-survey metrics.
    public var autm: AUTMMetrics
    /// The Kazakh policy indicators.
    public var kazakhstan: PolicyIndicators
    /// What the rights cost in the period and what licensees repaid.
    public var patentCosts: PatentCostFigures
    /// Who prepared the report for which office and when, for a report sent to a ministry;
    /// `nil` when not given.
    public var preparation: Preparation?

    /// Who prepared a report, for whom and when.
    public struct Preparation: Hashable, Sendable, Codable {
        /// The office's name as the report shows it.
        public var officeName: String
        /// The day it was prepared.
        public var preparedOn: CivilDate
        /// Who prepared it (a name and position).
        public var preparedBy: String?

        /// Creates the details.
        public init(officeName: String, preparedOn: CivilDate, preparedBy: String? = nil) {
            self.officeName = officeName
            self.preparedOn = preparedOn
            self.preparedBy = preparedBy
        }

        enum CodingKeys: String, CodingKey {
            case officeName = "office_name"
            case preparedOn = "prepared_on"
            case preparedBy = "prepared_by"
        }
    }

    /// The schema name written into JSON, `ipcase.indicators/1`.
    public static let schema = "ipcase.indicators/1"

    /// Creates a report from its parts.
    public init(
        period: ReportPeriod, office: ID<Office>?, greenInventory: InventoryInfo, autm: AUTMMetrics,
        kazakhstan: PolicyIndicators, patentCosts: PatentCostFigures
    ) {
        self.period = period
        self.office = office
        self.greenInventory = greenInventory
        self.autm = autm
        self.kazakhstan = kazakhstan
        self.patentCosts = patentCosts
    }

    enum CodingKeys: String, CodingKey {
        case schema, period, office
        case greenInventory = "green_inventory"
        case autm, kazakhstan
        case patentCosts = "patent_costs"
        case preparation
        case ratesUsed = "rates_used"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        period = try container.decode(ReportPeriod.self, forKey: .period)
        office = try container.decodeIfPresent(ID<Office>.self, forKey: .office)
        greenInventory = try container.decode(InventoryInfo.self, forKey: .greenInventory)
        autm = try container.decode(AUTMMetrics.self, forKey: .autm)
        kazakhstan = try container.decode(PolicyIndicators.self, forKey: .kazakhstan)
        patentCosts = try container.decode(PatentCostFigures.self, forKey: .patentCosts)
        preparation = try container.decodeIfPresent(Preparation.self, forKey: .preparation)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schema, forKey: .schema)
        try container.encode(period, forKey: .period)
        try container.encode(office, forKey: .office)
        try container.encode(greenInventory, forKey: .greenInventory)
        try container.encode(autm, forKey: .autm)
        try container.encode(kazakhstan, forKey: .kazakhstan)
        try container.encode(patentCosts, forKey: .patentCosts)
        try container.encodeIfPresent(preparation, forKey: .preparation)
        if !conversions.isEmpty { try container.encode(ratesUsed, forKey: .ratesUsed) }
    }

    /// Every figure converted to KZT (with a rate table; none without), by its path in the JSON,
    /// in the order the report shows them.
    public var conversions: [(path: String, converted: ConvertedIncome)] {
        var found: [(path: String, converted: ConvertedIncome)] = []
        func add(_ path: String, _ converted: ConvertedIncome?) {
            if let converted { found.append((path, converted)) }
        }
        add("autm.licence_income.total_kzt", autm.licenceIncome.totalKZT)
        add("kazakhstan.commercialization_income.total_kzt", kazakhstan.commercializationIncome.totalKZT)
        add("kazakhstan.exports.income_kzt", kazakhstan.exports.incomeKZT)
        add("kazakhstan.startups.venture_investment_kzt", kazakhstan.startups.ventureInvestmentKZT)
        add("kazakhstan.startups.grants_kzt", kazakhstan.startups.grantsKZT)
        for region in kazakhstan.byRegion { add("kazakhstan.by_region.\(region.key).income_kzt", region.incomeKZT) }
        add("kazakhstan.grant_funding.total_kzt", kazakhstan.grantFunding.totalKZT)
        add("kazakhstan.grant_funding.cofinancing_kzt", kazakhstan.grantFunding.cofinancingKZT)
        add("patent_costs.total_kzt", patentCosts.totalKZT)
        return found
    }

    /// The one list of every rate the report's KZT totals used, by currency then date (JSON
    /// `rates_used`, only with a rate table).
    public var ratesUsed: [RateUsed] {
        var seen: Set<String> = []
        return conversions.flatMap(\.converted.ratesUsed).filter { seen.insert($0.key).inserted }
            .sorted { ($0.currency.code, $0.date) < ($1.currency.code, $1.date) }
    }
}

/// Where the green-technology tags come from.
public struct InventoryInfo: Hashable, Sendable, Codable {
    /// The source URL.
    public var source: String
    /// The date of the list.
    public var date: CivilDate
    /// `full` or `subset`.
    public var coverage: GreenInventory.Coverage

    /// Creates the description of an inventory.
    public init(source: String, date: CivilDate, coverage: GreenInventory.Coverage) {
        self.source = source
        self.date = date
        self.coverage = coverage
    }
}

/// The AUTM licensing-survey metrics for a period.
public struct AUTMMetrics: Hashable, Sendable, Codable {
    /// Invention disclosures received in the period.
    public var disclosuresReceived: Int
    /// Patent applications (patents, utility models, PCT, provisionals) filed in the period.
    public var patentApplications: PatentApplications
    /// Patents granted in the period.
    public var patentsIssued: Int
    /// Utility models registered in the period (a title AUTM does not ask for, common in Kazakhstan).
    public var utilityModelsRegistered: Int
    /// Licences and options executed in the period.
    public var licencesAndOptionsExecuted: LicenceCounts
    /// Income received in the period under licences, options, assignments and spin-off agreements, by kind.
    public var licenceIncome: LicenceIncome
    /// Start-up companies formed in the period (their first spin-off equity agreement executed in it).
    public var startupsFormed: Int
    /// Licences in force on the last day of the period.
    public var activeLicencesAtPeriodEnd: Int

    /// Creates the metrics.
    public init(
        disclosuresReceived: Int, patentApplications: PatentApplications, patentsIssued: Int,
        utilityModelsRegistered: Int, licencesAndOptionsExecuted: LicenceCounts, licenceIncome: LicenceIncome,
        startupsFormed: Int, activeLicencesAtPeriodEnd: Int
    ) {
        self.disclosuresReceived = disclosuresReceived
        self.patentApplications = patentApplications
        self.patentsIssued = patentsIssued
        self.utilityModelsRegistered = utilityModelsRegistered
        self.licencesAndOptionsExecuted = licencesAndOptionsExecuted
        self.licenceIncome = licenceIncome
        self.startupsFormed = startupsFormed
        self.activeLicencesAtPeriodEnd = activeLicencesAtPeriodEnd
    }

    enum CodingKeys: String, CodingKey {
        case disclosuresReceived = "disclosures_received"
        case patentApplications = "patent_applications"
        case patentsIssued = "patents_issued"
        case utilityModelsRegistered = "utility_models_registered"
        case licencesAndOptionsExecuted = "licences_and_options_executed"
        case licenceIncome = "licence_income"
        case startupsFormed = "startups_formed"
        case activeLicencesAtPeriodEnd = "active_licences_at_period_end"
    }
}

/// New patent applications: first filings (no priority claimed, not a national phase) and all.
public struct PatentApplications: Hashable, Sendable, Codable {
    /// Applications that claim no priority and did not enter from a PCT application.
    public var firstFilings: Int
    /// Every application filed (including priority filings abroad and national phase entries).
    public var all: Int

    /// Creates the counts.
    public init(firstFilings: Int, all: Int) {
        self.firstFilings = firstFilings
        self.all = all
    }

    enum CodingKeys: String, CodingKey {
        case firstFilings = "first_filings"
        case all
    }
}

/// Licences and options executed.
public struct LicenceCounts: Hashable, Sendable, Codable {
    /// Exclusive and non-exclusive licences and options.
    public var total: Int
    /// Exclusive licences.
    public var exclusiveLicences: Int
    /// Non-exclusive licences.
    public var nonExclusiveLicences: Int
    /// Options.
    public var options: Int
    /// Of the total, those whose licensee is a start-up (a party with an executed spin-off equity agreement).
    public var toStartups: Int

    /// Creates the counts.
    public init(total: Int, exclusiveLicences: Int, nonExclusiveLicences: Int, options: Int, toStartups: Int) {
        self.total = total
        self.exclusiveLicences = exclusiveLicences
        self.nonExclusiveLicences = nonExclusiveLicences
        self.options = options
        self.toStartups = toStartups
    }

    enum CodingKeys: String, CodingKey {
        case total
        case exclusiveLicences = "exclusive_licences"
        case nonExclusiveLicences = "non_exclusive_licences"
        case options
        case toStartups = "to_startups"
    }
}

/// Licence income by kind, per currency.
public struct LicenceIncome: Hashable, Sendable, Codable {
    /// Upfront (issue) fees.
    public var upfront: MoneyTotals
    /// Running royalties.
    public var runningRoyalties: MoneyTotals
    /// Milestone payments.
    public var milestones: MoneyTotals
    /// Shares of sublicence income.
    public var sublicense: MoneyTotals
    /// Cash from selling equity (equity cash-outs).
    public var equityCashOuts: MoneyTotals
    /// Patent costs reimbursed by licensees (not income; not in `total`).
    public var patentCostReimbursement: MoneyTotals
    /// Other payments.
    public var other: MoneyTotals
    /// Everything but patent-cost reimbursement.
    public var total: MoneyTotals
    /// That total in KZT, each payment at the rate of the day it was received, when the report
    /// was given a rate table (`nil` otherwise).
    public var totalKZT: ConvertedIncome?

    /// Creates the income figures.
    public init(
        upfront: MoneyTotals = MoneyTotals(), runningRoyalties: MoneyTotals = MoneyTotals(),
        milestones: MoneyTotals = MoneyTotals(), sublicense: MoneyTotals = MoneyTotals(),
        equityCashOuts: MoneyTotals = MoneyTotals(), patentCostReimbursement: MoneyTotals = MoneyTotals(),
        other: MoneyTotals = MoneyTotals(), total: MoneyTotals = MoneyTotals()
    ) {
        self.upfront = upfront
        self.runningRoyalties = runningRoyalties
        self.milestones = milestones
        self.sublicense = sublicense
        self.equityCashOuts = equityCashOuts
        self.patentCostReimbursement = patentCostReimbursement
        self.other = other
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case upfront
        case runningRoyalties = "running_royalties"
        case milestones
        case sublicense
        case equityCashOuts = "equity_cash_outs"
        case patentCostReimbursement = "patent_cost_reimbursement"
        case other
        case total
        case totalKZT = "total_kzt"
    }
}

/// The indicators Kazakh innovation policy monitors.
public struct PolicyIndicators: Hashable, Sendable, Codable {
    /// Income from commercialization, per currency, in total and by agreement kind.
    public var commercializationIncome: CommercializationIncome
    /// Licences executed in the period by the region of the office that granted them.
    public var licencesByOfficeRegion: [Tally]
    /// Licences executed in the period by where the licensee is: a Kazakh region, or abroad.
    public var licencesByLicenseeLocation: [Tally]
    /// The share of green-technology rights among the applications filed in the period.
    public var greenTechnology: GreenShare
    /// Partners (counterparties of agreements executed in the period) by Triple-Helix sector.
    public var partnersBySector: [Tally]
    /// The links between the sectors of the participants of the agreements executed in the period.
    public var tripleHelix: TripleHelix
    /// Where the research behind the disclosures received in the period was funded.
    public var fundingSources: FundingStructure
    /// Applications filed in the period by route: national KZ, Eurasian EA, PCT WO, foreign.
    public var filingsByRoute: [Tally]
    /// Licences to and income from licensees abroad: the office's technology exports.
    public var exports: Exports
    /// Computer programs, databases and other works entered in the register in the period.
    public var copyrightRegistrations: CopyrightRegistrations
    /// The inventors and authors of the period by gender and career stage, where they consented.
    public var creators: Creators
    /// Start-ups: formed, active and resident in technoparks, and the investment they attracted.
    public var startups: StartupIndicators
    /// Grant funding by funder and programme, with its co-financing.
    public var grantFunding: GrantFunding
    /// Every one of the 17 regions and 3 cities of republican significance, in order, with the
    /// licences executed and the commercialization income received by offices there.
    public var byRegion: [RegionFigures]

    /// Creates the indicators.
    public init(
        commercializationIncome: CommercializationIncome, licencesByOfficeRegion: [Tally],
        licencesByLicenseeLocation: [Tally], greenTechnology: GreenShare, partnersBySector: [Tally],
        fundingSources: FundingStructure, filingsByRoute: [Tally], exports: Exports,
        copyrightRegistrations: CopyrightRegistrations, creators: Creators, startups: StartupIndicators,
        grantFunding: GrantFunding, byRegion: [RegionFigures], tripleHelix: TripleHelix
    ) {
        self.tripleHelix = tripleHelix
        self.byRegion = byRegion
        self.creators = creators
        self.startups = startups
        self.grantFunding = grantFunding
        self.exports = exports
        self.copyrightRegistrations = copyrightRegistrations
        self.commercializationIncome = commercializationIncome
        self.licencesByOfficeRegion = licencesByOfficeRegion
        self.licencesByLicenseeLocation = licencesByLicenseeLocation
        self.greenTechnology = greenTechnology
        self.partnersBySector = partnersBySector
        self.fundingSources = fundingSources
        self.filingsByRoute = filingsByRoute
    }

    enum CodingKeys: String, CodingKey {
        case commercializationIncome = "commercialization_income"
        case licencesByOfficeRegion = "licences_by_office_region"
        case licencesByLicenseeLocation = "licences_by_licensee_location"
        case greenTechnology = "green_technology"
        case partnersBySector = "partners_by_sector"
        case tripleHelix = "triple_helix"
        case fundingSources = "funding_sources"
        case filingsByRoute = "filings_by_route"
        case exports
        case copyrightRegistrations = "copyright_registrations"
        case creators
        case startups
        case grantFunding = "grant_funding"
        case byRegion = "by_region"
    }
}

/// The inventors and authors named on the disclosures received in the period, in aggregate:
/// by gender and by career stage for those who consented to have them recorded. A count of 1 to
/// 4 people is shown as `<5` (`count` is `null`), and when only one count of a breakdown would be
/// hidden, the next smallest is hidden too, so no hidden count follows from the others.
public struct Creators: Hashable, Sendable, Codable {
    /// Distinct inventors and authors of the disclosures received in the period.
    public var people: Int
    /// Those of them whose gender or career stage is recorded with consent.
    public var recorded: Int
    public var byGender: [SuppressedTally]
    public var byCareerStage: [SuppressedTally]

    /// Creates the figures.
    public init(people: Int, recorded: Int, byGender: [SuppressedTally], byCareerStage: [SuppressedTally]) {
        self.people = people
        self.recorded = recorded
        self.byGender = byGender
        self.byCareerStage = byCareerStage
    }

    enum CodingKeys: String, CodingKey {
        case people, recorded
        case byGender = "by_gender"
        case byCareerStage = "by_career_stage"
    }
}

/// A count of people that may be too small to show.
public struct SuppressedTally: Hashable, Sendable, Codable {
    /// The stable key.
    public var key: String
    /// The key in words.
    public var label: String
    /// The count, `nil` (JSON `null`) when suppressed.
    public var count: Int?
    /// The count as shown: the number, or `<5`.
    public var shown: String { count.map(String.init) ?? "<5" }

    /// Creates a row.
    public init(key: String, label: String, count: Int?) {
        self.key = key
        self.label = label
        self.count = count
    }

    enum CodingKeys: String, CodingKey { case key, label, count }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(label, forKey: .label)
        try container.encode(count, forKey: .count)  // null when suppressed, never left out
    }

    /// The rows of a breakdown, with counts of 1–4 suppressed and, when exactly one is, the
    /// next smallest non-zero count too.
    public static func suppressing(_ rows: [(key: String, label: String, count: Int)]) -> [SuppressedTally] {
        var hidden = Set(rows.indices.filter { (1..<5).contains(rows[$0].count) })
        if hidden.count == 1,
            let next = rows.indices.filter({ !hidden.contains($0) && rows[$0].count > 0 })
                .min(by: { rows[$0].count < rows[$1].count })
        {
            hidden.insert(next)
        }
        return rows.indices.map { index in
            SuppressedTally(
                key: rows[index].key, label: rows[index].label,
                count: hidden.contains(index) ? nil : rows[index].count)
        }
    }
}

/// Technology exports: what the office licenses to licensees outside Kazakhstan.
public struct Exports: Hashable, Sendable, Codable {
    /// Licences and options executed in the period whose licensee (first counterparty) is abroad.
    public var licencesAbroad: Int
    /// Commercial income received in the period under agreements whose licensee is abroad, per
    /// currency (patent-cost reimbursement excluded, as in the commercialization income).
    public var income: MoneyTotals
    /// That income in KZT, when the report was given a rate table (`nil` otherwise).
    public var incomeKZT: ConvertedIncome?

    /// Creates the figures.
    public init(licencesAbroad: Int, income: MoneyTotals, incomeKZT: ConvertedIncome? = nil) {
        self.licencesAbroad = licencesAbroad
        self.income = income
        self.incomeKZT = incomeKZT
    }

    enum CodingKeys: String, CodingKey {
        case licencesAbroad = "licences_abroad"
        case income
        case incomeKZT = "income_kzt"
    }
}

/// Amounts converted to KZT with the user's rate table: the total, the rates used, and what
/// had no rate on or before its date (left per currency, not in the total).
public struct ConvertedIncome: Hashable, Sendable, Codable {
    /// The sum in KZT.
    public var total: MoneyTotals
    /// Every rate applied.
    public var ratesUsed: [RateUsed]
    /// Amounts without a rate, per currency.
    public var unconverted: MoneyTotals

    /// The figures of `conversion`.
    public init(_ conversion: KZTConversion) throws(MoneyError) {
        var total = MoneyTotals()
        try total.add(conversion.total)
        var unconverted = MoneyTotals()
        for money in conversion.unconverted { try unconverted.add(money) }
        self.total = total
        self.ratesUsed = conversion.ratesUsed.map(RateUsed.init)
        self.unconverted = unconverted
    }

    /// The figures of `conversion` when there is a rate table, `nil` without one: how every
    /// KZT total of the reports is made (amounts added with ``KZTConversion/add(_:on:rates:)``).
    static func of(_ conversion: KZTConversion, rates: ExchangeRates?) throws(MoneyError) -> ConvertedIncome? {
        rates == nil ? nil : try ConvertedIncome(conversion)
    }

    enum CodingKeys: String, CodingKey {
        case total
        case ratesUsed = "rates_used"
        case unconverted
    }
}

extension KZTConversion {
    /// Adds `money` dated `date` when there is a rate table (see `add(_:on:rates:)`); nothing without.
    mutating func add(_ money: Money, on date: CivilDate, rates: ExchangeRates?) throws(MoneyError) {
        if let rates { try add(money, on: date, rates: rates) }
    }
}

/// A rate a conversion used, as the user supplied it.
public struct RateUsed: Hashable, Sendable, Codable {
    /// The currency and day, e.g. `EUR-2025-09-01`: what names the rate in the JSON.
    public var key: String
    /// The currency converted.
    public var currency: Currency
    /// The day of the rate.
    public var date: CivilDate
    /// The tenge value of `units` of the currency, as written (`470.25`).
    public var kzt: String
    /// How many units of the currency the rate is for.
    public var units: Int64
    /// Where the rate comes from.
    public var source: String

    /// The figures of `rate`.
    public init(_ rate: ExchangeRate) {
        key = "\(rate.currency.code)-\(rate.date)"
        currency = rate.currency
        date = rate.date
        kzt = rate.kztText
        units = rate.units
        source = rate.source
    }

    /// `USD 470.25 (2025-01-02, NBK)`, `JPY 100 = 330.5 (…)`.
    public var description: String {
        let per = units == 1 ? "" : " \(units) ="
        return "\(currency.code)\(per) \(kzt) KZT (\(date), \(source))"
    }
}

/// Objects of copyright entered in the state register in the period (their registration date).
public struct CopyrightRegistrations: Hashable, Sendable, Codable {
    /// Every registration.
    public var total: Int
    /// By kind: `software`, `database`, `work`.
    public var byKind: [Tally]
    /// By the region of the office that holds them.
    public var byOfficeRegion: [Tally]

    /// Creates the figures.
    public init(total: Int, byKind: [Tally], byOfficeRegion: [Tally]) {
        self.total = total
        self.byKind = byKind
        self.byOfficeRegion = byOfficeRegion
    }

    enum CodingKeys: String, CodingKey {
        case total
        case byKind = "by_kind"
        case byOfficeRegion = "by_office_region"
    }
}

/// Commercialization income: total and by the kind of agreement paid under.
public struct CommercializationIncome: Hashable, Sendable, Codable {
    /// Every income payment (patent-cost reimbursement excluded), per currency.
    public var total: MoneyTotals
    /// The same by agreement kind (`unknown` when the agreement was not supplied), kinds with income only.
    public var byAgreementKind: [KindIncome]
    /// The total in KZT, each payment at the rate of the day it was received, when the report
    /// was given a rate table (`nil` otherwise).
    public var totalKZT: ConvertedIncome?

    /// Creates the figures.
    public init(total: MoneyTotals, byAgreementKind: [KindIncome], totalKZT: ConvertedIncome? = nil) {
        self.total = total
        self.byAgreementKind = byAgreementKind
        self.totalKZT = totalKZT
    }

    enum CodingKeys: String, CodingKey {
        case total
        case byAgreementKind = "by_agreement_kind"
        case totalKZT = "total_kzt"
    }
}

/// Income under one kind of agreement.
public struct KindIncome: Hashable, Sendable, Codable {
    /// The agreement kind's stable spelling, or `unknown`.
    public var kind: String
    /// The kind in words.
    public var label: String
    /// The amounts, per currency.
    public var amounts: MoneyTotals

    /// Creates a row.
    public init(kind: String, label: String, amounts: MoneyTotals) {
        self.kind = kind
        self.label = label
        self.amounts = amounts
    }
}

/// A count under a stable key with a label, e.g. `{"key": "academia", "label": "Academia", "count": 3}`.
public struct Tally: Hashable, Sendable, Codable {
    /// The stable key.
    public var key: String
    /// The key in words.
    public var label: String
    /// The count.
    public var count: Int

    /// Creates a row.
    public init(key: String, label: String, count: Int) {
        self.key = key
        self.label = label
        self.count = count
    }
}

/// A count with its share of a whole, e.g. disclosures funded by the state budget.
public struct ShareTally: Hashable, Sendable, Codable {
    /// The stable key.
    public var key: String
    /// The key in words.
    public var label: String
    /// The count.
    public var count: Int
    /// The share of the whole in percent with one decimal (`"37.5"`), `nil` when the whole is zero.
    public var sharePercent: String?

    /// Creates a row.
    public init(key: String, label: String, count: Int, sharePercent: String?) {
        self.key = key
        self.label = label
        self.count = count
        self.sharePercent = sharePercent
    }

    enum CodingKeys: String, CodingKey {
        case key, label, count
        case sharePercent = "share_percent"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(label, forKey: .label)
        try container.encode(count, forKey: .count)
        try container.encode(sharePercent, forKey: .sharePercent)
    }
}

/// Green-technology rights among the applications filed in the period.
public struct GreenShare: Hashable, Sendable, Codable {
    /// What the counts are of: `applications-filed-in-period`.
    public var basis: String
    /// Applications filed in the period.
    public var rights: Int
    /// Of those, the ones whose disclosure carries at least one IPC symbol.
    public var classified: Int
    /// Of those, the ones with at least one symbol in the Green Inventory.
    public var green: Int
    /// `green` as a percentage of `rights`, one decimal; `nil` when no right was filed.
    public var sharePercent: String?
    /// Green rights by category (a right in two categories counts in both), every category listed.
    public var byCategory: [ShareTally]

    /// Creates the figures.
    public init(
        basis: String, rights: Int, classified: Int, green: Int, sharePercent: String?, byCategory: [ShareTally]
    ) {
        self.basis = basis
        self.rights = rights
        self.classified = classified
        self.green = green
        self.sharePercent = sharePercent
        self.byCategory = byCategory
    }

    enum CodingKeys: String, CodingKey {
        case basis, rights, classified, green
        case sharePercent = "share_percent"
        case byCategory = "by_category"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(basis, forKey: .basis)
        try container.encode(rights, forKey: .rights)
        try container.encode(classified, forKey: .classified)
        try container.encode(green, forKey: .green)
        try container.encode(sharePercent, forKey: .sharePercent)
        try container.encode(byCategory, forKey: .byCategory)
    }
}

/// The R&D funding structure of the disclosures received in the period.
public struct FundingStructure: Hashable, Sendable, Codable {
    /// Disclosures received in the period.
    public var disclosures: Int
    /// Of those, the ones that name no funding source.
    public var unspecified: Int
    /// Disclosures by funding source (one with two sources counts in both), every source listed,
    /// with the share of `disclosures`.
    public var bySource: [ShareTally]

    /// Creates the figures.
    public init(disclosures: Int, unspecified: Int, bySource: [ShareTally]) {
        self.disclosures = disclosures
        self.unspecified = unspecified
        self.bySource = bySource
    }

    enum CodingKeys: String, CodingKey {
        case disclosures, unspecified
        case bySource = "by_source"
    }
}

/// One region's (or city's) licences and commercialization income, by the region of the office.
public struct RegionFigures: Hashable, Sendable, Codable {
    /// The region's stable spelling, e.g. `almaty-city`.
    public var key: String
    /// Its name.
    public var label: String
    /// Exclusive and non-exclusive licences executed in the period by its offices.
    public var licences: Int
    /// Commercialization income its offices received in the period, per currency.
    public var income: MoneyTotals
    /// That income in KZT with a rate table (`nil` without).
    public var incomeKZT: ConvertedIncome?

    enum CodingKeys: String, CodingKey {
        case key, label, licences, income
        case incomeKZT = "income_kzt"
    }
}
