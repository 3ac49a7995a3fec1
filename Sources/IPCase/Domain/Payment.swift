/// Money received under an agreement, to be distributed by the office's policy.
public struct Payment: Hashable, Sendable, Codable {
    /// What the payment is for.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case upfront = "upfront"
        case royalty = "royalty"
        case milestone = "milestone"
        case sublicense = "sublicense"
        /// Reimbursement of patent costs: repays the office, not distributed as income.
        case patentCostReimbursement = "patent-cost-reimbursement"
        case equitySale = "equity-sale"
        case other = "other"
    }

    /// The database key.
    public var id: ID<Payment>
    /// The office that received it.
    public var office: ID<Office>
    /// The agreement it was paid under.
    public var agreement: ID<Agreement>
    /// The amount received.
    public var amount: Money
    /// What it is for.
    public var kind: Kind
    /// The date it was received; chooses the distribution policy.
    public var receivedOn: CivilDate
    /// The payer's or the bank's reference.
    public var reference: String?

    /// Creates a payment.
    public init(
        id: ID<Payment>, office: ID<Office>, agreement: ID<Agreement>, amount: Money, kind: Kind,
        receivedOn: CivilDate, reference: String? = nil
    ) {
        self.id = id
        self.office = office
        self.agreement = agreement
        self.amount = amount
        self.kind = kind
        self.receivedOn = receivedOn
        self.reference = reference
    }
}
