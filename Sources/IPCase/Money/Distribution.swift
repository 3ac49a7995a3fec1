/// How one payment is shared: one line per recipient, summing exactly to the gross.
///
/// ```swift
/// let policy = try DistributionPolicy.effective(on: payment.receivedOn, among: policies)
/// let result = try policy.distribute(payment.amount, unreimbursedPatentCosts: costs,
///                                    inventors: disclosure.inventors)
/// result.total == payment.amount   // always
/// ```
public struct Distribution: Hashable, Sendable, Codable {
    /// Who receives a line.
    public enum Recipient: Hashable, Sendable, Codable, CustomStringConvertible {
        /// A sponsor or partner.
        case sponsor(ID<Party>)
        /// The office's administrative share.
        case administration
        /// Recovery of the office's unreimbursed patent costs.
        case patentCosts
        /// One inventor.
        case inventor(ID<Party>)
        /// The inventors' department.
        case department
        /// The institution.
        case institution

        /// The stable spelling of the recipient's kind: `sponsor`, `administration`, `patent-costs`,
        /// `inventor`, `department`, `institution`.
        public var kind: String {
            switch self {
            case .sponsor: "sponsor"
            case .administration: "administration"
            case .patentCosts: "patent-costs"
            case .inventor: "inventor"
            case .department: "department"
            case .institution: "institution"
            }
        }

        /// The party, for sponsors and inventors.
        public var party: ID<Party>? {
            switch self {
            case .sponsor(let party), .inventor(let party): party
            case .administration, .patentCosts, .department, .institution: nil
            }
        }

        /// `inventor #7`, `administration`.
        public var description: String { party.map { "\(kind) \($0)" } ?? kind }

        /// The recipient of a stored line: its ``kind`` and, for sponsors and inventors, its
        /// party; `nil` for an unknown kind or a party missing or out of place.
        public init?(kind: String, party: ID<Party>?) {
            switch (kind, party) {
            case ("sponsor", let party?): self = .sponsor(party)
            case ("inventor", let party?): self = .inventor(party)
            case ("administration", nil): self = .administration
            case ("patent-costs", nil): self = .patentCosts
            case ("department", nil): self = .department
            case ("institution", nil): self = .institution
            default: return nil
            }
        }

        enum CodingKeys: String, CodingKey {
            case sponsor = "sponsor"
            case administration = "administration"
            case patentCosts = "patent-costs"
            case inventor = "inventor"
            case department = "department"
            case institution = "institution"
        }
    }

    /// One recipient's amount and how it was reached.
    public struct Line: Hashable, Sendable, Codable {
        /// Who receives it.
        public let recipient: Recipient
        /// The amount.
        public let amount: Money
        /// The percentage applied, or `nil` for cost recovery (an amount, not a rate).
        public let rate: BasisPoints?
        /// The amount the rate was applied to (for cost recovery, the amount available).
        public let base: Money
        /// One line for reports, e.g. "33.33 % of the inventors' 2 520.00 KZT (40.00 % of net 6 300.00 KZT)".
        public let basis: String

        /// Creates a line.
        public init(recipient: Recipient, amount: Money, rate: BasisPoints?, base: Money, basis: String) {
            self.recipient = recipient
            self.amount = amount
            self.rate = rate
            self.base = base
            self.basis = basis
        }
    }

    /// The amount distributed.
    public let gross: Money
    /// The policy applied.
    public let policy: DistributionPolicy
    /// The lines, in step order: sponsors, administration, patent costs, inventors, department, institution.
    public let lines: [Line]
    /// Unreimbursed patent costs still outstanding after this distribution.
    public let patentCostsOutstanding: Money

    /// A distribution from its parts, e.g. as it was stored: the lines are taken as they are,
    /// not computed (``DistributionPolicy/distribute(_:sponsors:unreimbursedPatentCosts:inventors:)``
    /// computes them).
    /// - Parameters:
    ///   - gross: the amount distributed.
    ///   - policy: the policy applied.
    ///   - lines: the lines in step order.
    ///   - patentCostsOutstanding: the patent costs still unrecovered after it.
    public init(gross: Money, policy: DistributionPolicy, lines: [Line], patentCostsOutstanding: Money) {
        self.gross = gross
        self.policy = policy
        self.lines = lines
        self.patentCostsOutstanding = patentCostsOutstanding
    }

    /// The sum of the lines; always equal to ``gross``.
    public var total: Money {
        Money(minorUnits: lines.reduce(0) { $0 + $1.amount.minorUnits }, gross.currency)
    }

    /// The total for one recipient (zero when absent).
    public func amount(for recipient: Recipient) -> Money {
        Money(
            minorUnits: lines.filter { $0.recipient == recipient }.reduce(0) { $0 + $1.amount.minorUnits },
            gross.currency)
    }
}

extension DistributionPolicy {
    /// Distributes `gross` by this policy (see the type's steps; parts always sum to `gross`).
    /// - Parameters:
    ///   - gross: the income, not negative.
    ///   - sponsors: sponsor or partner shares of the gross, at most 100 % in all.
    ///   - unreimbursedPatentCosts: patent costs not yet recovered, in the gross's currency; `nil` for none.
    ///   - inventors: the inventors and their shares (summing to 100 % when the inventors' share is not zero).
    public func distribute(
        _ gross: Money, sponsors: [SponsorShare] = [], unreimbursedPatentCosts: Money? = nil,
        inventors: [InventorShare]
    ) throws(DistributionError) -> Distribution {
        let currency = gross.currency
        let costs = unreimbursedPatentCosts ?? .zero(currency)
        guard costs.currency == currency else { throw .money(.currencyMismatch(currency, costs.currency)) }
        guard !gross.isNegative else { throw .negativeAmount("the gross amount \(gross)") }
        guard !costs.isNegative else { throw .negativeAmount("unreimbursed patent costs \(costs)") }
        guard problems.isEmpty else { throw .invalidPolicy(name: name, problems: problems) }
        let sponsorTotal = sponsors.reduce(0) { $0 + $1.share.value }
        guard sponsorTotal <= BasisPoints.whole.value else { throw .sponsorSharesExceedWhole(total: sponsorTotal) }
        if inventorsShare != .zero {
            let missing = InventorShare.problems(in: inventors)
            guard missing.isEmpty else { throw .invalidInventorShares(missing) }
        }

        func split(_ amount: Money, _ weights: [Int]) throws(DistributionError) -> [Money] {
            do {
                return try amount.split(by: weights.map(Int64.init))
            } catch {
                throw .money(error)
            }
        }
        var lines: [Distribution.Line] = []

        // 1. Sponsor shares of the gross; the last part is what remains.
        let sponsorParts = try split(gross, sponsors.map(\.share.value) + [BasisPoints.whole.value - sponsorTotal])
        for (sponsor, amount) in zip(sponsors, sponsorParts) {
            lines.append(
                .init(
                    recipient: .sponsor(sponsor.party), amount: amount, rate: sponsor.share, base: gross,
                    basis: "\(sponsor.share) of gross \(gross) (sponsor share)"))
        }
        let afterSponsors = sponsorParts.last!

        // 2. Administrative percentage.
        let adminParts = try split(afterSponsors, [administrativeShare.value, administrativeShare.complement.value])
        lines.append(
            .init(
                recipient: .administration, amount: adminParts[0], rate: administrativeShare, base: afterSponsors,
                basis: "\(administrativeShare) of \(afterSponsors) after sponsor shares (administrative share)"))
        let afterAdmin = adminParts[1]

        // 3. Recovery of unreimbursed patent costs, up to what remains.
        let recovered =
            recoversPatentCosts
            ? Money(minorUnits: min(costs.minorUnits, afterAdmin.minorUnits), currency) : .zero(currency)
        if recoversPatentCosts {
            lines.append(
                .init(
                    recipient: .patentCosts, amount: recovered, rate: nil, base: afterAdmin,
                    basis: "recovers unreimbursed patent costs of \(costs), up to the \(afterAdmin) available"))
        }
        let net = Money(minorUnits: afterAdmin.minorUnits - recovered.minorUnits, currency)

        // 4. The net among inventors, department and institution; the inventors' part by their shares.
        let netParts = try split(net, [inventorsShare.value, departmentShare.value, institutionShare.value])
        let inventorsPool = netParts[0]
        if inventorsShare != .zero {
            let inventorParts = try split(inventorsPool, inventors.map(\.share.value))
            for (inventor, amount) in zip(inventors, inventorParts) {
                lines.append(
                    .init(
                        recipient: .inventor(inventor.party), amount: amount, rate: inventor.share, base: inventorsPool,
                        basis: "\(inventor.share) of the inventors' \(inventorsPool) (\(inventorsShare) of net \(net))")
                )
            }
        }
        lines.append(
            .init(
                recipient: .department, amount: netParts[1], rate: departmentShare, base: net,
                basis: "\(departmentShare) of net \(net) (department share)"))
        lines.append(
            .init(
                recipient: .institution, amount: netParts[2], rate: institutionShare, base: net,
                basis: "\(institutionShare) of net \(net) (institution share)"))

        return Distribution(
            gross: gross, policy: self, lines: lines,
            patentCostsOutstanding: Money(minorUnits: costs.minorUnits - recovered.minorUnits, currency))
    }
}

extension Payment {
    /// Distributes the payment by the policy in force on its ``receivedOn`` date.
    ///
    /// A ``Kind/patentCostReimbursement`` is not income: it all goes to patent costs.
    public func distribution(
        policies: [DistributionPolicy], sponsors: [SponsorShare] = [], unreimbursedPatentCosts: Money? = nil,
        inventors: [InventorShare]
    ) throws(DistributionError) -> Distribution {
        let policy = try DistributionPolicy.effective(on: receivedOn, among: policies)
        switch kind {
        case .patentCostReimbursement:
            let costs = unreimbursedPatentCosts ?? .zero(amount.currency)
            guard costs.currency == amount.currency else {
                throw .money(.currencyMismatch(amount.currency, costs.currency))
            }
            guard !amount.isNegative else { throw .negativeAmount("the gross amount \(amount)") }
            guard !costs.isNegative else { throw .negativeAmount("unreimbursed patent costs \(costs)") }
            let line = Distribution.Line(
                recipient: .patentCosts, amount: amount, rate: .whole, base: amount,
                basis: "patent-cost reimbursement \(amount), not distributed as income")
            return Distribution(
                gross: amount, policy: policy, lines: [line],
                patentCostsOutstanding: Money(minorUnits: max(0, costs.minorUnits - amount.minorUnits), amount.currency)
            )
        case .upfront, .royalty, .milestone, .sublicense, .equitySale, .other:
            return try policy.distribute(
                amount, sponsors: sponsors, unreimbursedPatentCosts: unreimbursedPatentCosts, inventors: inventors)
        }
    }
}
