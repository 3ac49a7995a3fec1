/// The money and equity an agreement provides for.
public struct FinancialTerms: Hashable, Sendable, Codable {
    /// A fee due on signing.
    public var upfront: Money?
    /// A percentage of sales or revenue.
    public var runningRoyalty: RunningRoyalty?
    /// The least royalty due for each contract year, whatever the sales.
    public var minimumAnnualRoyalty: Money?
    /// Payments due when milestones are reached.
    public var milestones: [MilestonePayment]
    /// The office's share of income the licensee receives from sublicensees.
    public var sublicenseIncomeShare: BasisPoints?
    /// How the counterparty reimburses the office's patent costs.
    public var patentCostReimbursement: PatentCostReimbursement?
    /// Equity the office receives (spin-offs, licences for equity).
    public var equity: Equity?

    /// Creates financial terms.
    public init(
        upfront: Money? = nil, runningRoyalty: RunningRoyalty? = nil, minimumAnnualRoyalty: Money? = nil,
        milestones: [MilestonePayment] = [], sublicenseIncomeShare: BasisPoints? = nil,
        patentCostReimbursement: PatentCostReimbursement? = nil, equity: Equity? = nil
    ) {
        self.upfront = upfront
        self.runningRoyalty = runningRoyalty
        self.minimumAnnualRoyalty = minimumAnnualRoyalty
        self.milestones = milestones
        self.sublicenseIncomeShare = sublicenseIncomeShare
        self.patentCostReimbursement = patentCostReimbursement
        self.equity = equity
    }

    /// The currency the terms' amounts are in (upfront, minimum royalty, milestones, in that
    /// order of precedence); `nil` when no amount is set. Payments under the agreement must be in it.
    public var currency: Currency? {
        upfront?.currency ?? minimumAnnualRoyalty?.currency ?? milestones.first?.amount.currency
    }

    /// Whether no term is set at all (which does not count as agreed terms).
    public var isEmpty: Bool {
        upfront == nil && runningRoyalty == nil && minimumAnnualRoyalty == nil && milestones.isEmpty
            && sublicenseIncomeShare == nil && patentCostReimbursement == nil && equity == nil
    }
}

/// A running royalty: a rate of a base.
public struct RunningRoyalty: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What the rate applies to.
    public enum Base: String, Hashable, Sendable, Codable, CaseIterable {
        case netSales = "net-sales"
        case grossSales = "gross-sales"
        case netRevenue = "net-revenue"
    }

    /// The rate, e.g. 300 bp = 3 %.
    public var rate: BasisPoints
    /// What the rate applies to.
    public var base: Base

    /// Creates a running royalty.
    public init(rate: BasisPoints, base: Base) {
        self.rate = rate
        self.base = base
    }

    /// The royalty on `amount` of the base, rounded half up to the minor unit.
    public func royalty(on amount: Money) -> Money { amount.portion(rate) }

    /// `3.00 % of net-sales`.
    public var description: String { "\(rate) of \(base.rawValue)" }
}

/// A payment due when a milestone is reached (first sale, regulatory approval …).
public struct MilestonePayment: Hashable, Sendable, Codable {
    /// The milestone, e.g. "Marketing authorisation in Kazakhstan".
    public var name: String
    /// The amount due.
    public var amount: Money
    /// The date it is due by, when the agreement fixes one.
    public var dueOn: CivilDate?

    /// Creates a milestone payment.
    public init(name: String, amount: Money, dueOn: CivilDate? = nil) {
        self.name = name
        self.amount = amount
        self.dueOn = dueOn
    }
}

/// How a counterparty reimburses the office's patent costs.
public enum PatentCostReimbursement: Hashable, Sendable, Codable {
    /// A fixed sum for past costs.
    case fixed(Money)
    /// Actual costs as invoiced, up to an optional cap.
    case actualCosts(cap: Money?)

    enum CodingKeys: String, CodingKey {
        case fixed = "fixed"
        case actualCosts = "actual-costs"
    }
}

/// Equity the office receives: a percentage of the company, a number of shares, or both.
public struct Equity: Hashable, Sendable, Codable {
    /// The percentage of the company's capital.
    public var percentage: BasisPoints?
    /// The number of shares.
    public var shares: Int64?

    /// Creates an equity term.
    public init(percentage: BasisPoints? = nil, shares: Int64? = nil) {
        self.percentage = percentage
        self.shares = shares
    }
}
