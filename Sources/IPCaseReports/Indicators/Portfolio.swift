import IPCase

/// A reporting period: `from` through `to`, both days included.
///
/// ```swift
/// let year = try ReportPeriod.year(2025)            // 2025-01-01 … 2025-12-31
/// let h1 = try ReportPeriod(from: try CivilDate(iso: "2025-01-01"), to: try CivilDate(iso: "2025-06-30"))
/// ```
public struct ReportPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first day.
    public let from: CivilDate
    /// The last day.
    public let to: CivilDate

    /// A period that ends before it starts.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The first day given.
        public let from: CivilDate
        /// The last day given.
        public let to: CivilDate
        public var description: String { "the period ends (\(to)) before it starts (\(from))" }
    }

    /// Creates a period; throws when `to` is before `from`.
    public init(from: CivilDate, to: CivilDate) throws(Invalid) {
        guard from <= to else { throw Invalid(from: from, to: to) }
        self.from = from
        self.to = to
    }

    /// The calendar year `year`.
    public static func year(_ year: Int) throws(CivilDate.Invalid) -> ReportPeriod {
        let first = try CivilDate(year: year, month: 1, day: 1)
        let last = try CivilDate(year: year, month: 12, day: 31)
        return ReportPeriod(ordered: first, last)
    }

    private init(ordered from: CivilDate, _ to: CivilDate) {
        self.from = from
        self.to = to
    }

    /// Whether `date` lies in the period.
    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }

    /// Whether `date` is given and lies in the period.
    public func contains(_ date: CivilDate?) -> Bool { date.map(contains) ?? false }

    /// `2025-01-01 – 2025-12-31`.
    public var description: String { "\(from) – \(to)" }

    enum CodingKeys: String, CodingKey { case from, to }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(CivilDate.self, forKey: .from)
        let to = try container.decode(CivilDate.self, forKey: .to)
        do {
            try self.init(from: from, to: to)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}

/// The records an indicator report is computed from: plain arrays of domain values, as the store
/// loads them (or as tests and the demo build them by hand).
public struct Portfolio: Sendable {
    /// Offices (for their regions and names).
    public var offices: [Office]
    /// Parties (licensees, partners) with their sector, region and country.
    public var parties: [Party]
    /// Invention disclosures with funding sources and IPC symbols.
    public var disclosures: [Disclosure]
    /// Rights (applications and titles).
    public var rights: [Right]
    /// Agreements with kinds, counterparties, execution dates and terms.
    public var agreements: [Agreement]
    /// Payments received.
    public var payments: [Payment]
    /// Events of rights where known; used for the date a national or regional phase was entered.
    public var rightEvents: [ID<Right>: [RightEvent]]
    /// For agreements now in a final state (expired, terminated, exercised, lapsed): the day that
    /// state was reached (from the workflow history). Without it such an agreement is not active
    /// at any period end.
    public var agreementEndedOn: [ID<Agreement>: CivilDate]
    /// Families (for the disclosure of a family's costs).
    public var families: [RightFamily]
    /// The expense ledger.
    public var costs: [PatentCost]
    /// Cost-recovery invoices with their lines and what is settled.
    public var costInvoices: [RecoveryInvoice]
    /// Start-ups with their rounds, residencies and exits.
    public var startups: [Startup]
    /// Funded projects (grants) with their stages.
    public var projects: [FundedProject]

    /// Creates a portfolio; every list defaults to empty.
    public init(
        offices: [Office] = [], parties: [Party] = [], disclosures: [Disclosure] = [], rights: [Right] = [],
        agreements: [Agreement] = [], payments: [Payment] = [], rightEvents: [ID<Right>: [RightEvent]] = [:],
        agreementEndedOn: [ID<Agreement>: CivilDate] = [:], families: [RightFamily] = [],
        costs: [PatentCost] = [], costInvoices: [RecoveryInvoice] = [], startups: [Startup] = [],
        projects: [FundedProject] = []
    ) {
        self.offices = offices
        self.parties = parties
        self.disclosures = disclosures
        self.rights = rights
        self.agreements = agreements
        self.payments = payments
        self.rightEvents = rightEvents
        self.agreementEndedOn = agreementEndedOn
        self.families = families
        self.costs = costs
        self.costInvoices = costInvoices
        self.startups = startups
        self.projects = projects
    }
}
