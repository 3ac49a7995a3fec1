/// A cost the office paid for a right or a whole family: an entry of the expense ledger.
///
/// A reimbursable cost names the agreement under which the licensee repays it (one whose
/// terms carry ``FinancialTerms/patentCostReimbursement``); ``CostRecovery`` turns such costs
/// into invoices. An official fee may name the deadline rule and fee year it paid.
public struct PatentCost: Hashable, Sendable, Codable {
    /// What the cost is for.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A fee paid to a patent office (filing, examination, grant, annuity …).
        case officialFee = "official-fee"
        /// A patent attorney's fee.
        case attorneyFee = "attorney-fee"
        /// A translation (e.g. for validation or national phase entry).
        case translation = "translation"
        /// Anything else.
        case other = "other"
    }

    /// The database key.
    public var id: ID<PatentCost>
    /// The office that paid it.
    public var office: ID<Office>
    /// The right it was paid for; `nil` for a cost of a whole family.
    public var right: ID<Right>?
    /// The family it was paid for, when not for one right.
    public var family: ID<RightFamily>?
    /// What it is for.
    public var kind: Kind
    /// The amount paid.
    public var amount: Money
    /// The day it was incurred (the invoice's date).
    public var incurredOn: CivilDate
    /// The payee's invoice number.
    public var invoiceReference: String?
    /// Whom it was paid to (an attorney, an office, a translator).
    public var payee: ID<Party>?
    /// Whether a licensee reimburses it, under ``agreement``.
    public var reimbursable: Bool
    /// The agreement it is reimbursable under.
    public var agreement: ID<Agreement>?
    /// The deadline rule an official fee paid, e.g. `EP.renewal`.
    public var feeRule: String?
    /// The fee year an official fee paid (with ``feeRule``), e.g. 5 for the fifth-year renewal.
    public var feeYear: Int?
    /// Free text.
    public var description: String

    /// Creates a cost.
    public init(
        id: ID<PatentCost> = 0, office: ID<Office>, right: ID<Right>? = nil,
        family: ID<RightFamily>? = nil,
        kind: Kind = .other, amount: Money, incurredOn: CivilDate, invoiceReference: String? = nil,
        payee: ID<Party>? = nil, reimbursable: Bool = false, agreement: ID<Agreement>? = nil,
        feeRule: String? = nil, feeYear: Int? = nil, description: String = ""
    ) {
        self.id = id
        self.office = office
        self.right = right
        self.family = family
        self.kind = kind
        self.amount = amount
        self.incurredOn = incurredOn
        self.invoiceReference = invoiceReference
        self.payee = payee
        self.reimbursable = reimbursable
        self.agreement = agreement
        self.feeRule = feeRule
        self.feeYear = feeYear
        self.description = description
    }
}

/// How reimbursable patent costs become a licensee's invoice, and how outstanding invoices age.
///
/// Under `actual` terms an invoice bills the costs not yet invoiced; under `actual:CAP` it
/// bills them until everything invoiced under the agreement reaches the cap (the cost that
/// crosses it is billed in part, later ones not at all, and all are marked invoiced so none
/// comes back); under `fixed:AMOUNT` the first invoice bills the fixed sum, whatever the costs,
/// and lists the costs it covers at nothing; no later invoice follows.
public enum CostRecovery {
    /// How an invoice's amount was reached.
    public enum Basis: String, Hashable, Sendable, Codable, CaseIterable {
        /// The costs as incurred.
        case actual = "actual"
        /// The costs, up to the agreement's cap.
        case actualCapped = "actual-capped"
        /// The agreement's fixed sum.
        case fixed = "fixed"
    }

    /// One cost on a statement: what it was and what of it is billed.
    public struct Line: Hashable, Sendable, Codable {
        /// The cost.
        public var cost: ID<PatentCost>
        /// Its amount.
        public var amount: Money
        /// What the invoice bills of it.
        public var billed: Money

        /// Creates a line.
        public init(cost: ID<PatentCost>, amount: Money, billed: Money) {
            self.cost = cost
            self.amount = amount
            self.billed = billed
        }
    }

    /// An invoice's content before it is stored.
    public struct Statement: Hashable, Sendable, Codable {
        /// How the total was reached.
        public var basis: Basis
        /// The costs covered, in date order.
        public var lines: [Line]
        /// What the licensee owes.
        public var total: Money
    }

    /// The statements for costs not yet invoiced under an agreement: one per currency under
    /// `actual` terms, at most one (in the term's currency) under a cap or a fixed sum; none
    /// when there is nothing to bill.
    /// - Parameters:
    ///   - costs: the agreement's reimbursable costs not yet invoiced, in date order.
    ///   - terms: the agreement's patent-cost term.
    ///   - invoicedBefore: the totals of the agreement's earlier invoices.
    public static func statements(
        for costs: [(id: ID<PatentCost>, amount: Money)], terms: PatentCostReimbursement,
        invoicedBefore: [Money]
    ) -> [Statement] {
        switch terms {
        case .fixed(let sum):
            guard invoicedBefore.isEmpty else { return [] }
            let covered = costs.filter { $0.amount.currency == sum.currency }
            return [
                Statement(
                    basis: .fixed,
                    lines: covered.map { Line(cost: $0.id, amount: $0.amount, billed: .zero(sum.currency)) },
                    total: sum)
            ]
        case .actualCosts(let cap?):
            let before = invoicedBefore.filter { $0.currency == cap.currency }.reduce(0) {
                $0 + $1.minorUnits
            }
            var room = max(0, cap.minorUnits - before)
            guard room > 0 else { return [] }
            var lines: [Line] = []
            for cost in costs where cost.amount.currency == cap.currency {
                let billed = min(room, cost.amount.minorUnits)
                room -= billed
                lines.append(
                    Line(cost: cost.id, amount: cost.amount, billed: Money(minorUnits: billed, cap.currency)))
            }
            let total = lines.reduce(0) { $0 + $1.billed.minorUnits }
            guard total > 0 else { return [] }
            return [
                Statement(basis: .actualCapped, lines: lines, total: Money(minorUnits: total, cap.currency))
            ]
        case .actualCosts(nil):
            var currencies: [Currency] = []
            for cost in costs where !currencies.contains(cost.amount.currency) {
                currencies.append(cost.amount.currency)
            }
            return currencies.map { currency in
                let lines = costs.filter { $0.amount.currency == currency }.map {
                    Line(cost: $0.id, amount: $0.amount, billed: $0.amount)
                }
                return Statement(
                    basis: .actual, lines: lines,
                    total: Money(minorUnits: lines.reduce(0) { $0 + $1.billed.minorUnits }, currency))
            }
        }
    }

    /// How long an invoice is past its due date.
    public enum Age: String, Hashable, Sendable, Codable, CaseIterable {
        /// Due on or after the day asked about.
        case notYetDue = "not-yet-due"
        /// 1–30 days past due.
        case upTo30 = "0-30"
        /// 31–60 days past due.
        case upTo60 = "31-60"
        /// 61–90 days past due.
        case upTo90 = "61-90"
        /// More than 90 days past due.
        case over90 = "90+"

        /// The age of an invoice due on `dueOn`, as of `asOf`: on its due day it is not yet late.
        public init(dueOn: CivilDate, asOf: CivilDate) {
            let late = dueOn.days(to: asOf)
            switch late {
            case ..<1: self = .notYetDue
            case 1...30: self = .upTo30
            case 31...60: self = .upTo60
            case 61...90: self = .upTo90
            default: self = .over90
            }
        }
    }
}
