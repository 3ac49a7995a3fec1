import IPCase

/// What the office spent on its rights in a period and how much of it licensees repaid: the
/// patent-cost section of the indicators report and of `ipcase budget spending`. Computed by
/// ``compute(for:from:office:rates:)`` from the ledger, the cost-recovery invoices and the
/// agreements of a ``Portfolio``. Money is summed per currency, never mixed; with a rate table
/// the period's total is also given in KZT.
public struct PatentCostFigures: Hashable, Sendable, Codable {
    /// Every cost incurred in the period, per currency.
    public var total: MoneyTotals
    /// That total in KZT, each cost at the latest rate on or before the day it was incurred,
    /// when the report was given a rate table (`nil` otherwise).
    public var totalKZT: ConvertedIncome?
    /// The period's costs per calendar year and jurisdiction of the right (`family` for costs
    /// of a whole family), years in order, jurisdictions by code.
    public var byYearAndJurisdiction: [SpendingRow]
    /// The period's costs per calendar year and disclosure (the right's first disclosure, or
    /// the family's; `none` without one), years in order, disclosures by reference.
    public var byYearAndDisclosure: [SpendingRow]
    /// The period's costs split by how far licensees repaid them.
    public var recovery: RecoveryFigures
    /// The period's costs per licensed and per unlicensed right.
    public var perRight: CostPerRight

    /// Creates the figures.
    public init(
        total: MoneyTotals, totalKZT: ConvertedIncome?, byYearAndJurisdiction: [SpendingRow],
        byYearAndDisclosure: [SpendingRow], recovery: RecoveryFigures, perRight: CostPerRight
    ) {
        self.total = total
        self.totalKZT = totalKZT
        self.byYearAndJurisdiction = byYearAndJurisdiction
        self.byYearAndDisclosure = byYearAndDisclosure
        self.recovery = recovery
        self.perRight = perRight
    }

    enum CodingKeys: String, CodingKey {
        case total
        case totalKZT = "total_kzt"
        case byYearAndJurisdiction = "by_year_and_jurisdiction"
        case byYearAndDisclosure = "by_year_and_disclosure"
        case recovery
        case perRight = "per_right"
    }
}

/// The costs of one calendar year and one group (a jurisdiction or a disclosure).
public struct SpendingRow: Hashable, Sendable, Codable {
    /// `year-group`, e.g. `2025-EP`, `2025-D-2024-003`: what names the row in the JSON.
    public var key: String
    /// The calendar year the costs were incurred in.
    public var year: Int
    /// The jurisdiction's code, `family`, the disclosure's reference or `none`.
    public var group: String
    /// The group in words.
    public var label: String
    /// The costs, per currency.
    public var amounts: MoneyTotals

    /// Creates a row.
    public init(year: Int, group: String, label: String, amounts: MoneyTotals) {
        self.key = "\(year)-\(group)"
        self.year = year
        self.group = group
        self.label = label
        self.amounts = amounts
    }
}

/// The period's costs by how far they were repaid; for every currency `costs` is the sum of
/// the other four.
///
/// A cost on a cost-recovery invoice counts what the invoice bills of it: its line (for a
/// fixed sum, the sum spread over the costs it covers oldest first, each up to its amount).
/// The payments matched to the invoice, recorded up to now, repay its costs oldest first; the
/// rest of what is billed is outstanding. What no invoice bills (a cost that is not
/// reimbursable, the part a cap cut off) the office bears.
public struct RecoveryFigures: Hashable, Sendable, Codable {
    /// How the figures are reached: `costs-incurred-in-period; payments-recorded-to-date`.
    public var basis: String
    /// Every cost incurred in the period.
    public var costs: MoneyTotals
    /// Repaid by licensees.
    public var recovered: MoneyTotals
    /// Billed to licensees, not yet paid.
    public var outstanding: MoneyTotals
    /// Reimbursable, not yet invoiced.
    public var notInvoiced: MoneyTotals
    /// Borne by the office: not reimbursable, or cut off by a cap or a fixed sum.
    public var borne: MoneyTotals

    /// Creates the figures.
    public init(
        costs: MoneyTotals = MoneyTotals(), recovered: MoneyTotals = MoneyTotals(),
        outstanding: MoneyTotals = MoneyTotals(), notInvoiced: MoneyTotals = MoneyTotals(),
        borne: MoneyTotals = MoneyTotals()
    ) {
        self.basis = "costs-incurred-in-period; payments-recorded-to-date"
        self.costs = costs
        self.recovered = recovered
        self.outstanding = outstanding
        self.notInvoiced = notInvoiced
        self.borne = borne
    }

    enum CodingKeys: String, CodingKey {
        case basis, costs, recovered, outstanding
        case notInvoiced = "not_invoiced"
        case borne
    }
}

/// What the period cost per licensed and per unlicensed right.
///
/// The rights counted are those with a cost in the period and those not ended (expired,
/// lapsed, abandoned, withdrawn, refused, revoked) that were filed on or before its last day.
/// A right is licensed when a licence or option in force on the period's last day covers it.
/// Costs of a whole family are in no right's figure; they are given apart.
public struct CostPerRight: Hashable, Sendable, Codable {
    /// The licensed rights.
    public var licensed: RightGroupCost
    /// The other rights.
    public var unlicensed: RightGroupCost
    /// Costs of whole families, per currency.
    public var familyCosts: MoneyTotals

    /// Creates the figures.
    public init(licensed: RightGroupCost, unlicensed: RightGroupCost, familyCosts: MoneyTotals) {
        self.licensed = licensed
        self.unlicensed = unlicensed
        self.familyCosts = familyCosts
    }

    enum CodingKeys: String, CodingKey {
        case licensed, unlicensed
        case familyCosts = "family_costs"
    }
}

/// The costs of a group of rights and their average per right.
public struct RightGroupCost: Hashable, Sendable, Codable {
    /// The rights in the group.
    public var rights: Int
    /// Their costs in the period, per currency.
    public var total: MoneyTotals
    /// `total` divided by `rights` per currency, rounded half up to the minor unit; empty
    /// without rights.
    public var average: MoneyTotals

    /// The figures of `rights` rights that cost `total`.
    public init(rights: Int, total: MoneyTotals) {
        self.rights = rights
        self.total = total
        var average = MoneyTotals()
        if rights > 0 {
            for amount in total.amounts {
                let count = Int64(rights)
                let (quotient, remainder) = amount.minorUnits.quotientAndRemainder(dividingBy: count)
                let rounded = quotient + (remainder.magnitude * 2 >= UInt64(count) ? (amount.minorUnits < 0 ? -1 : 1) : 0)
                // A quotient of an Int64 by a positive count cannot leave the range.
                try! average.add(Money(minorUnits: rounded, amount.currency))
            }
        }
        self.average = average
    }
}

/// A cost-recovery invoice as the report reads it: what it bills of each cost and what its
/// payments settled.
public struct RecoveryInvoice: Hashable, Sendable {
    /// One cost the invoice covers.
    public struct Line: Hashable, Sendable {
        /// The cost.
        public var cost: ID<PatentCost>
        /// The cost's amount.
        public var costAmount: Money
        /// What the invoice bills of it (nothing on a fixed-sum invoice).
        public var billed: Money

        /// Creates a line.
        public init(cost: ID<PatentCost>, costAmount: Money, billed: Money) {
            self.cost = cost
            self.costAmount = costAmount
            self.billed = billed
        }
    }

    /// How the amount was reached.
    public var basis: CostRecovery.Basis
    /// What the licensee owes in all.
    public var amount: Money
    /// The sum of the payments matched to it.
    public var settled: Money
    /// The costs it covers, oldest first.
    public var lines: [Line]

    /// Creates an invoice.
    public init(basis: CostRecovery.Basis, amount: Money, settled: Money, lines: [Line]) {
        self.basis = basis
        self.amount = amount
        self.settled = settled
        self.lines = lines
    }

    /// Per cost: what the invoice bills of it and what of that is repaid. A fixed sum is spread
    /// over its costs oldest first, each up to its amount; the settled sum repays the billed
    /// amounts oldest first. Costs in another currency than the invoice are billed nothing.
    public func shares() -> [ID<PatentCost>: (billed: Int64, recovered: Int64)] {
        var shares: [ID<PatentCost>: (billed: Int64, recovered: Int64)] = [:]
        var billable = amount.minorUnits
        var paid = settled.minorUnits
        for line in lines {
            guard line.costAmount.currency == amount.currency else {
                shares[line.cost] = (0, 0)
                continue
            }
            let cap = basis == .fixed ? line.costAmount.minorUnits : line.billed.minorUnits
            let billed = max(0, min(cap, billable))
            billable -= billed
            let recovered = max(0, min(billed, paid))
            paid -= recovered
            shares[line.cost] = (billed, recovered)
        }
        return shares
    }
}

extension PatentCostFigures {
    /// The states after which a right no longer counts in ``CostPerRight`` unless it had a cost.
    static let endedStates: Set<RightWorkflow.State> = [
        .expired, .lapsed, .abandoned, .withdrawn, .refused, .revoked,
    ]

    /// Computes the figures of `period` from `portfolio`, for one office or (with `nil`) all.
    ///
    /// The costs are the ledger's with `incurredOn` in the period. ``RecoveryFigures`` and
    /// ``CostPerRight`` say how recovery and licensing are judged; with `rates` the total is
    /// converted each cost at the latest rate on or before its day (those without one are
    /// listed apart).
    ///
    /// - Throws: `MoneyError.overflow(_:)` only if a sum leaves the 64-bit range.
    public static func compute(
        for period: ReportPeriod, from portfolio: Portfolio, office: ID<Office>? = nil, rates: ExchangeRates? = nil
    ) throws(MoneyError) -> PatentCostFigures {
        func inScope(_ owner: ID<Office>) -> Bool { office.map { $0 == owner } ?? true }
        let costs = portfolio.costs.filter { inScope($0.office) && period.contains($0.incurredOn) }
        let rights = Dictionary(
            portfolio.rights.filter { inScope($0.office) }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let families = Dictionary(
            portfolio.families.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let disclosures = Dictionary(
            portfolio.disclosures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        var total = MoneyTotals()
        var kzt = KZTConversion()
        var byJurisdiction: [Int: [String: (label: String, amounts: MoneyTotals)]] = [:]
        var byDisclosure: [Int: [String: (label: String, amounts: MoneyTotals)]] = [:]
        for cost in costs {
            try total.add(cost.amount)
            try kzt.add(cost.amount, on: cost.incurredOn, rates: rates)
            let year = cost.incurredOn.year
            let right = cost.right.flatMap { rights[$0] }
            let jurisdiction: (key: String, label: String) =
                if let right { (right.jurisdiction.code, right.jurisdiction.code) } else { ("family", "Whole families") }
            try byJurisdiction[year, default: [:]][jurisdiction.key, default: (jurisdiction.label, MoneyTotals())]
                .amounts.add(cost.amount)
            let disclosureID = right.map { $0.disclosure } ?? cost.family.flatMap { families[$0]?.disclosure }
            let disclosure: (key: String, label: String) =
                if let found = disclosureID.flatMap({ disclosures[$0] }) {
                    (found.reference, "\(found.reference) \(found.title)")
                } else {
                    ("none", "No disclosure")
                }
            try byDisclosure[year, default: [:]][disclosure.key, default: (disclosure.label, MoneyTotals())]
                .amounts.add(cost.amount)
        }
        func rows(_ map: [Int: [String: (label: String, amounts: MoneyTotals)]]) -> [SpendingRow] {
            map.keys.sorted().flatMap { year in
                map[year]!.sorted { $0.key < $1.key }.map {
                    SpendingRow(year: year, group: $0.key, label: $0.value.label, amounts: $0.value.amounts)
                }
            }
        }

        // Recovery: what each cost's invoice bills of it and what is repaid.
        var shares: [ID<PatentCost>: (billed: Int64, recovered: Int64)] = [:]
        for invoice in portfolio.costInvoices {
            shares.merge(invoice.shares()) { first, _ in first }
        }
        var recovery = RecoveryFigures()
        for cost in costs {
            let currency = cost.amount.currency
            try recovery.costs.add(cost.amount)
            if let share = shares[cost.id] {
                // Only what there is: a part of nothing adds no row of zero.
                for (part, minor) in [
                    (\RecoveryFigures.recovered, share.recovered),
                    (\RecoveryFigures.outstanding, share.billed - share.recovered),
                    (\RecoveryFigures.borne, cost.amount.minorUnits - share.billed),
                ] where minor != 0 {
                    try recovery[keyPath: part].add(Money(minorUnits: minor, currency))
                }
            } else if cost.reimbursable {
                try recovery.notInvoiced.add(cost.amount)
            } else {
                try recovery.borne.add(cost.amount)
            }
        }

        // Per licensed and unlicensed right.
        let licensedRights = Set(
            portfolio.agreements.filter { agreement in
                (agreement.kind.isLicence || agreement.kind == .option) && inScope(agreement.office)
                    && IndicatorReport.inForce(agreement, on: period.to, endedOn: portfolio.agreementEndedOn)
            }.flatMap(\.rightsCovered))
        var costOfRight: [ID<Right>: MoneyTotals] = [:]
        var familyCosts = MoneyTotals()
        for cost in costs {
            if let right = cost.right {
                try costOfRight[right, default: MoneyTotals()].add(cost.amount)
            } else {
                try familyCosts.add(cost.amount)
            }
        }
        let counted = rights.values.filter { right in
            if costOfRight[right.id] != nil { return true }
            guard !endedStates.contains(right.state), let filed = right.filingDate else { return false }
            return filed <= period.to
        }
        var licensedTotal = MoneyTotals()
        var unlicensedTotal = MoneyTotals()
        var licensedCount = 0
        for right in counted {
            let isLicensed = licensedRights.contains(right.id)
            if isLicensed { licensedCount += 1 }
            for amount in costOfRight[right.id]?.amounts ?? [] {
                if isLicensed { try licensedTotal.add(amount) } else { try unlicensedTotal.add(amount) }
            }
        }

        return PatentCostFigures(
            total: total, totalKZT: try ConvertedIncome.of(kzt, rates: rates),
            byYearAndJurisdiction: rows(byJurisdiction), byYearAndDisclosure: rows(byDisclosure),
            recovery: recovery,
            perRight: CostPerRight(
                licensed: RightGroupCost(rights: licensedCount, total: licensedTotal),
                unlicensed: RightGroupCost(rights: counted.count - licensedCount, total: unlicensedTotal),
                familyCosts: familyCosts))
    }
}
