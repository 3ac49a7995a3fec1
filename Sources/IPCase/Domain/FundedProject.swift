/// A project funded by a grant programme (QazInnovations' commercialization grants, a ministry's
/// budget programme): its funder and programme, stages with their amounts and periods, the
/// co-financing the programme requires and what was put in, its state registration (budget-funded
/// projects) and the disclosures and rights that came out of it.
public struct FundedProject: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<FundedProject>
    /// The office.
    public var office: ID<Office>
    /// Its reference, e.g. `GR-2025-004`.
    public var reference: String
    /// Its title.
    public var title: String
    /// The funder (a party with the role funder).
    public var funder: ID<Party>
    /// The programme, e.g. "Commercialization of RSTA results, stage 1".
    public var programme: String
    /// The least co-financing the programme requires, as a share of the grant (e.g. 10 %).
    public var minimumCofinancing: BasisPoints
    /// The stages, in order.
    public var stages: [ProjectStage]
    /// The state registration of a budget-funded project, when registered.
    public var registration: String?
    /// The day it was registered.
    public var registeredOn: CivilDate?
    /// The disclosures that came out of it.
    public var disclosures: [ID<Disclosure>]
    /// The rights that came out of it.
    public var rights: [ID<Right>]
    /// What it owes the funder or the state by a date: reports, deliverables, registration.
    public var obligations: [ProjectObligation]
    /// Who runs it and is reminded of its deadlines (a party with an e-mail); `nil` to remind
    /// the office's supervisor.
    public var manager: ID<Party>?
    /// The day it was completed or terminated.
    public var endedOn: CivilDate?
    /// Where it is.
    public var state: FundedProjectWorkflow.State

    /// Creates a project, by default applied for.
    public init(
        id: ID<FundedProject>, office: ID<Office>, reference: String, title: String, funder: ID<Party>,
        programme: String, minimumCofinancing: BasisPoints = .zero, stages: [ProjectStage] = [],
        registration: String? = nil, registeredOn: CivilDate? = nil, disclosures: [ID<Disclosure>] = [],
        rights: [ID<Right>] = [], obligations: [ProjectObligation] = [], manager: ID<Party>? = nil,
        endedOn: CivilDate? = nil, state: FundedProjectWorkflow.State = .applied
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.title = title
        self.funder = funder
        self.programme = programme
        self.minimumCofinancing = minimumCofinancing
        self.stages = stages
        self.registration = registration
        self.registeredOn = registeredOn
        self.disclosures = disclosures
        self.rights = rights
        self.obligations = obligations
        self.manager = manager
        self.endedOn = endedOn
        self.state = state
    }

    /// The grant over every stage, per currency.
    public var grant: [Money] { Self.sums(stages.map(\.amount)) }

    /// The co-financing put in over every stage, per currency.
    public var cofinancing: [Money] { Self.sums(stages.compactMap(\.cofinancing)) }

    /// The co-financing the programme requires: the minimum share of each stage's grant,
    /// rounded up to the minor unit, per currency.
    public var requiredCofinancing: [Money] {
        Self.sums(stages.map { $0.requiredCofinancing(share: minimumCofinancing) })
    }

    /// Per currency, the co-financing still missing against the programme's minimum (none when met).
    public var cofinancingShortfall: [Money] {
        requiredCofinancing.compactMap { required in
            let put = cofinancing.first { $0.currency == required.currency }?.minorUnits ?? 0
            return put < required.minorUnits ? Money(minorUnits: required.minorUnits - put, required.currency) : nil
        }
    }

    /// What is wrong with it; empty when none.
    public var problems: [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if reference.allSatisfy(\.isWhitespace) { problems.append(("reference", "a project needs a reference")) }
        if title.allSatisfy(\.isWhitespace) { problems.append(("title", "a project needs a title")) }
        if programme.allSatisfy(\.isWhitespace) { problems.append(("programme", "a project needs its programme")) }
        for (index, stage) in stages.enumerated() {
            if stage.amount.minorUnits <= 0 { problems.append(("stage", "stage \(index + 1): \(stage.amount) is not a positive grant")) }
            if stage.to < stage.from { problems.append(("stage", "stage \(index + 1) ends (\(stage.to)) before it starts (\(stage.from))")) }
            if let cofinancing = stage.cofinancing, cofinancing.currency != stage.amount.currency || cofinancing.minorUnits < 0 {
                problems.append(("cofinancing", "stage \(index + 1): \(cofinancing) is not an amount in \(stage.amount.currency.code)"))
            }
            if index > 0, stage.from < stages[index - 1].to {
                problems.append(("stage", "stage \(index + 1) starts (\(stage.from)) before stage \(index) ends (\(stages[index - 1].to))"))
            }
        }
        for obligation in obligations {
            if let problem = obligation.problem { problems.append(("obligation", problem)) }
        }
        if (registration == nil) != (registeredOn == nil) {
            problems.append(("registration", "a state registration needs both its number and its date"))
        }
        return problems
    }

    static func sums(_ amounts: [Money]) -> [Money] {
        var sums: [Currency: Int64] = [:]
        for amount in amounts { sums[amount.currency, default: 0] &+= amount.minorUnits }
        return sums.keys.sorted().map { Money(minorUnits: sums[$0]!, $0) }
    }
}

/// One stage of a funded project: its grant, period and the co-financing put in.
public struct ProjectStage: Hashable, Sendable, Codable {
    /// The grant of the stage.
    public var amount: Money
    /// The first day.
    public var from: CivilDate
    /// The last day.
    public var to: CivilDate
    /// The co-financing put in, when recorded.
    public var cofinancing: Money?

    /// The co-financing `share` of the stage's grant requires, rounded up to the minor unit
    /// (the largest amount when the product leaves the 64-bit range).
    public func requiredCofinancing(share: BasisPoints) -> Money {
        let (product, overflow) = amount.minorUnits.multipliedReportingOverflow(by: Int64(share.value))
        return Money(minorUnits: overflow ? Int64.max : (product + 9_999) / 10_000, amount.currency)
    }

    /// Creates a stage.
    public init(amount: Money, from: CivilDate, to: CivilDate, cofinancing: Money? = nil) {
        self.amount = amount
        self.from = from
        self.to = to
        self.cofinancing = cofinancing
    }
}
