/// A technology the office markets to industry: a non-confidential summary of disclosures and
/// rights on offer, with its readiness and sectors, and the outreach to companies it led to.
/// An interested company becomes a deal in the pipeline (``Outreach/deal``).
public struct TechnologyOffer: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<TechnologyOffer>
    /// The office.
    public var office: ID<Office>
    /// Its reference, e.g. `TO-2026-003`.
    public var reference: String
    /// The title shown to companies.
    public var title: String
    /// The non-confidential summary: nothing that would destroy novelty.
    public var summary: String
    /// The disclosures it markets.
    public var disclosures: [ID<Disclosure>]
    /// The rights it markets.
    public var rights: [ID<Right>]
    /// The readiness level of the technology offered.
    public var readiness: TechnologyReadinessLevel?
    /// Industry sectors it addresses, e.g. `oil and gas`, `water treatment`.
    public var sectors: [String]
    /// The day it was published (offered).
    public var offeredOn: CivilDate
    /// The outreach to companies, oldest first.
    public var outreach: [Outreach]

    /// Creates an offer.
    public init(
        id: ID<TechnologyOffer>, office: ID<Office>, reference: String, title: String, summary: String,
        disclosures: [ID<Disclosure>] = [], rights: [ID<Right>] = [], readiness: TechnologyReadinessLevel? = nil,
        sectors: [String] = [], offeredOn: CivilDate, outreach: [Outreach] = []
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.title = title
        self.summary = summary
        self.disclosures = disclosures
        self.rights = rights
        self.readiness = readiness
        self.sectors = sectors
        self.offeredOn = offeredOn
        self.outreach = outreach
    }

    /// What is wrong with it; empty when none.
    public var problems: [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if reference.allSatisfy(\.isWhitespace) { problems.append(("reference", "an offer needs a reference")) }
        if title.allSatisfy(\.isWhitespace) { problems.append(("title", "an offer needs a title")) }
        if summary.allSatisfy(\.isWhitespace) {
            problems.append(("summary", "an offer needs its non-confidential summary"))
        }
        if disclosures.isEmpty && rights.isEmpty {
            problems.append(("disclosures", "an offer markets at least one disclosure or right"))
        }
        return problems
    }

    /// The Green Inventory categories of the IPC symbols of `disclosures` (the offer's own,
    /// looked up by the caller): the offer's green tag.
    public static func greenCategories(
        of symbols: [IPCSymbol], inventory: GreenInventory = .standard
    ) -> [GreenCategory] {
        inventory.categories(for: symbols)
    }
}

/// A contact with a company about an offer, and how it answered.
public struct Outreach: Hashable, Sendable, Codable {
    /// How the company was reached.
    public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
        case email = "email"
        case call = "call"
        case meeting = "meeting"
        case event = "event"
        case portal = "portal"
    }

    /// What the company answered.
    public enum Response: String, Hashable, Sendable, Codable, CaseIterable {
        /// No answer yet.
        case pending = "pending"
        /// It wants to know more.
        case interested = "interested"
        /// It is not interested.
        case declined = "declined"
        /// It signed a confidentiality agreement to evaluate the technology.
        case ndaSigned = "nda-signed"
    }

    /// The database key.
    public var id: Int64
    /// The day of the contact.
    public var on: CivilDate
    /// How.
    public var channel: Channel
    /// The company (an organization party).
    public var company: ID<Party>
    /// The person contacted, in words (name and position).
    public var contact: String?
    /// The answer.
    public var response: Response
    /// The deal opened from it, once the company is in the pipeline.
    public var deal: ID<Deal>?

    /// Creates an outreach.
    public init(
        id: Int64 = 0, on: CivilDate, channel: Channel, company: ID<Party>, contact: String? = nil,
        response: Response = .pending, deal: ID<Deal>? = nil
    ) {
        self.id = id
        self.on = on
        self.channel = channel
        self.company = company
        self.contact = contact
        self.response = response
        self.deal = deal
    }
}
