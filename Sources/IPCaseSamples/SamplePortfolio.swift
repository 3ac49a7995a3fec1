import IPCase

/// A deterministic, realistic sample portfolio for `ipcase demo`, tests and benchmarks: domain
/// values with their workflow histories, dated relative to a chosen day. Pure: no I/O.
///
/// Identifiers (`ID<Office>`, `ID<Right>` …) are local to the sample, from 1, and consistent
/// across its records; the store maps them to its own keys as it inserts them in order.
///
/// ```swift
/// let asOf = try CivilDate(iso: "2025-06-30")
/// let demo = SamplePortfolio.generate(seed: 1, asOf: asOf)           // ~300 rights, 2 offices
/// let big = SamplePortfolio.rights(count: 100_000, seed: 1, asOf: asOf) // lazy, for benchmarks
/// ```
public struct SamplePortfolio: Hashable, Sendable {
    /// How much to generate.
    public enum Scale: Hashable, Sendable {
        /// A university technology-transfer office and a patent-attorney firm: parties,
        /// disclosures, about 300 rights, deals in every stage, agreements of every kind, payments.
        case demo
        /// The demo's offices and parties and exactly `n` generated rights (no disclosures,
        /// deals or agreements); for large `n` prefer the lazy `SamplePortfolio.rights(count:seed:asOf:offices:attorneys:)`.
        case rights(Int)
    }

    /// The seed the portfolio was generated from.
    public var seed: UInt64
    /// The day the histories run up to; later events are the future.
    public var asOf: CivilDate
    /// The offices: a university technology-transfer office and a patent-attorney firm.
    public var offices: [Office]
    /// Inventors, attorneys, licensees, investors and funders.
    public var parties: [SampleParty]
    /// Invention disclosures with their assessment histories.
    public var disclosures: [SampleDisclosure]
    /// Patent families.
    public var families: [RightFamily]
    /// Rights with their histories; a PCT application comes before the national rights entered from it.
    public var rights: [SampleRight]
    /// The commercialization pipeline, with histories.
    public var deals: [SampleDeal]
    /// Agreements with their histories; an option comes before the licence granted by exercising it.
    public var agreements: [SampleAgreement]
    /// Income received under the agreements.
    public var payments: [Payment]
    /// The offices' revenue distribution policies, each with its effective date.
    public var policies: [DistributionPolicy]
    /// The university's expense ledger: filing, attorney and annual fees of its rights.
    public var costs: [PatentCost]
    /// The university's start-ups with their rounds and residencies.
    public var startups: [Startup]
    /// The university's funded projects, each with the workflow events it went through.
    public var projects: [SampleProject]
    /// The university's technology offers with their outreach.
    public var offers: [TechnologyOffer]

    /// Creates a portfolio from its parts.
    public init(
        seed: UInt64, asOf: CivilDate, offices: [Office], parties: [SampleParty], disclosures: [SampleDisclosure],
        families: [RightFamily], rights: [SampleRight], deals: [SampleDeal], agreements: [SampleAgreement],
        payments: [Payment], policies: [DistributionPolicy], costs: [PatentCost] = [], startups: [Startup] = [],
        projects: [SampleProject] = [], offers: [TechnologyOffer] = []
    ) {
        self.seed = seed
        self.asOf = asOf
        self.offices = offices
        self.parties = parties
        self.disclosures = disclosures
        self.families = families
        self.rights = rights
        self.deals = deals
        self.agreements = agreements
        self.payments = payments
        self.policies = policies
        self.costs = costs
        self.startups = startups
        self.projects = projects
        self.offers = offers
    }

    /// Generates the portfolio of `scale` from `seed`, with histories up to `asOf`: the same
    /// arguments give the same portfolio on every machine.
    public static func generate(seed: UInt64, asOf: CivilDate, scale: Scale = .demo) -> SamplePortfolio {
        switch scale {
        case .demo:
            var builder = DemoBuilder(seed: seed, asOf: asOf)
            return builder.build()
        case .rights(let count):
            let base = DemoBuilder.people(asOf: asOf)
            let rights = Array(SamplePortfolio.rights(count: count, seed: seed, asOf: asOf))
            var families: [RightFamily] = []
            var seen = Set<ID<RightFamily>>()
            for sample in rights {
                guard let family = sample.right.family, seen.insert(family).inserted else { continue }
                families.append(
                    RightFamily(id: family, office: sample.right.office, reference: sample.familyReference ?? ""))
            }
            return SamplePortfolio(
                seed: seed, asOf: asOf, offices: base.offices, parties: base.parties, disclosures: [],
                families: families, rights: rights, deals: [], agreements: [], payments: [], policies: [])
        }
    }

    /// Exactly `count` generated rights with their histories, produced lazily family by family
    /// (memory stays flat whatever the count). References are unique (`B0000001-KZ` …).
    ///
    /// - Parameters:
    ///   - count: how many rights.
    ///   - seed: the generator's seed (the same seed gives the same rights).
    ///   - asOf: the day the histories reach.
    ///   - desks: the office and responsible attorney of each family, taken in turn.
    public static func rights(
        count: Int, seed: UInt64, asOf: CivilDate, desks: [SampleDesk] = SamplePortfolio.demoDesks
    ) -> SampleRights {
        SampleRights(count: count, seed: seed, asOf: asOf, desks: desks)
    }

    /// The university's technology-transfer office in the demo.
    public static let universityOffice: ID<Office> = 1
    /// The patent-attorney firm in the demo.
    public static let firmOffice: ID<Office> = 2
    /// The demo's attorneys at their offices: the university's in-house attorney and the firm's four.
    public static let demoDesks: [SampleDesk] = [
        SampleDesk(office: 1, attorney: 21), SampleDesk(office: 2, attorney: 22), SampleDesk(office: 2, attorney: 23),
        SampleDesk(office: 2, attorney: 24), SampleDesk(office: 2, attorney: 25),
    ]
}

/// An attorney at an office: who dockets a generated family, and where.
public struct SampleDesk: Hashable, Sendable {
    /// The office whose docket holds the family.
    public var office: ID<Office>
    /// The responsible attorney.
    public var attorney: ID<Party>

    /// Creates a desk.
    public init(office: ID<Office>, attorney: ID<Party>) {
        self.office = office
        self.attorney = attorney
    }
}

/// A party and what the sample knows of it beyond the domain record.
public struct SampleParty: Hashable, Sendable {
    /// The record.
    public var party: Party
    /// The office whose records it appears in.
    public var office: ID<Office>
    /// An inventor's department, e.g. "Department of Petroleum Engineering".
    public var department: String?

    /// Creates a sample party.
    public init(party: Party, office: ID<Office>, department: String? = nil) {
        self.party = party
        self.office = office
        self.department = department
    }
}

/// A workflow event with the day it happened.
public struct DatedEvent<Event: Hashable & Sendable>: Hashable, Sendable {
    /// The day.
    public var date: CivilDate
    /// The event.
    public var event: Event

    /// Creates a dated event.
    public init(_ event: Event, on date: CivilDate) {
        self.date = date
        self.event = event
    }
}

/// A disclosure with its assessment history; replaying the events on a new
/// `DisclosureWorkflow` reaches `disclosure.state`.
public struct SampleDisclosure: Hashable, Sendable {
    /// The record.
    public var disclosure: Disclosure
    /// The workflow events, oldest first.
    public var history: [DatedEvent<DisclosureWorkflow.Event>]

    /// Creates a sample disclosure.
    public init(disclosure: Disclosure, history: [DatedEvent<DisclosureWorkflow.Event>]) {
        self.disclosure = disclosure
        self.history = history
    }
}

/// A deal with its history; replaying the events on a new `DealWorkflow` reaches `deal.state`.
public struct SampleDeal: Hashable, Sendable {
    /// The record.
    public var deal: Deal
    /// The day the opportunity was identified.
    public var identifiedOn: CivilDate
    /// The workflow events, oldest first.
    public var history: [DatedEvent<DealWorkflow.Event>]

    /// Creates a sample deal.
    public init(deal: Deal, identifiedOn: CivilDate, history: [DatedEvent<DealWorkflow.Event>]) {
        self.deal = deal
        self.identifiedOn = identifiedOn
        self.history = history
    }
}

/// An agreement with its history; replaying the events on a new `AgreementWorkflow` reaches
/// `agreement.state`.
public struct SampleAgreement: Hashable, Sendable {
    /// The record.
    public var agreement: Agreement
    /// The workflow events, oldest first.
    public var history: [DatedEvent<AgreementWorkflow.Event>]

    /// Creates a sample agreement.
    public init(agreement: Agreement, history: [DatedEvent<AgreementWorkflow.Event>]) {
        self.agreement = agreement
        self.history = history
    }
}

/// A funded project of the sample with the workflow events it went through, oldest first.
public struct SampleProject: Hashable, Sendable {
    /// The record.
    public var project: FundedProject
    /// Its workflow events.
    public var events: [FundedProjectWorkflow.Event]

    /// Creates a sample project.
    public init(project: FundedProject, events: [FundedProjectWorkflow.Event]) {
        self.project = project
        self.events = events
    }
}
