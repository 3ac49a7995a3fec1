/// A commercialization opportunity: from an invention or rights to a signed agreement with a
/// counterparty.
public struct Deal: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<Deal>
    /// The office pursuing it.
    public var office: ID<Office>
    /// The office's reference, e.g. "D-12"; labels the record in messages.
    public var reference: String
    /// A short description, e.g. "Licence of the sorbent to KazMunayGas".
    public var title: String
    /// The disclosure being commercialized, if any.
    public var disclosure: ID<Disclosure>?
    /// The rights on offer.
    public var rights: [ID<Right>]
    /// The prospective licensee, buyer or investor.
    public var counterparty: ID<Party>?
    /// The kind of agreement aimed at.
    public var intendedAgreement: Agreement.Kind?
    /// The expected value, for pipeline reports.
    public var expectedValue: Money?
    /// The agreement signed, once executed.
    public var agreement: ID<Agreement>?
    /// Where the deal is in its workflow.
    public var state: DealWorkflow.State

    /// Creates a deal, by default just identified.
    public init(
        id: ID<Deal>, office: ID<Office>, reference: String, title: String,
        disclosure: ID<Disclosure>? = nil, rights: [ID<Right>] = [], counterparty: ID<Party>? = nil,
        intendedAgreement: Agreement.Kind? = nil, expectedValue: Money? = nil,
        agreement: ID<Agreement>? = nil, state: DealWorkflow.State = .identified
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.title = title
        self.disclosure = disclosure
        self.rights = rights
        self.counterparty = counterparty
        self.intendedAgreement = intendedAgreement
        self.expectedValue = expectedValue
        self.agreement = agreement
        self.state = state
    }
}
