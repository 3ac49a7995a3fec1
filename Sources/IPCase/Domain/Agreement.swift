/// A contract the office is party to: a licence, option, assignment, sponsored research
/// agreement, MTA, NDA or spin-off equity agreement.
public struct Agreement: Hashable, Sendable, Codable {
    /// The kind of agreement.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case exclusiveLicence = "exclusive-licence"
        case nonExclusiveLicence = "non-exclusive-licence"
        case option = "option"
        case assignment = "assignment"
        case sponsoredResearch = "sponsored-research"
        /// Material transfer agreement.
        case mta = "mta"
        /// Non-disclosure (confidentiality) agreement.
        case nda = "nda"
        case spinOffEquity = "spin-off-equity"

        /// Human-readable name, e.g. "exclusive licence".
        public var name: String {
            switch self {
            case .exclusiveLicence: "exclusive licence"
            case .nonExclusiveLicence: "non-exclusive licence"
            case .option: "option"
            case .assignment: "assignment"
            case .sponsoredResearch: "sponsored research agreement"
            case .mta: "MTA"
            case .nda: "NDA"
            case .spinOffEquity: "spin-off equity agreement"
            }
        }

        /// Whether it is a licence (exclusive or not).
        public var isLicence: Bool {
            switch self {
            case .exclusiveLicence, .nonExclusiveLicence: true
            case .option, .assignment, .sponsoredResearch, .mta, .nda, .spinOffEquity: false
            }
        }

        /// Whether it protects confidential information or material during an evaluation (NDA, MTA).
        public var isConfidentiality: Bool {
            switch self {
            case .mta, .nda: true
            case .exclusiveLicence, .nonExclusiveLicence, .option, .assignment, .sponsoredResearch,
                .spinOffEquity:
                false
            }
        }

        /// Whether executing it needs the rights it covers (sponsored research, MTA and NDA need none).
        public var needsRightsCovered: Bool {
            switch self {
            case .exclusiveLicence, .nonExclusiveLicence, .option, .assignment, .spinOffEquity: true
            case .sponsoredResearch, .mta, .nda: false
            }
        }

        /// Whether executing it needs financial terms (MTA and NDA need none).
        public var needsFinancialTerms: Bool {
            switch self {
            case .exclusiveLicence, .nonExclusiveLicence, .option, .assignment, .sponsoredResearch,
                .spinOffEquity:
                true
            case .mta, .nda: false
            }
        }
    }

    /// The database key.
    public var id: ID<Agreement>
    /// The office that is party to it.
    public var office: ID<Office>
    /// The office's reference, e.g. "LIC-2025-004"; labels the record in messages.
    public var reference: String
    /// The kind of agreement.
    public var kind: Kind
    /// The other parties (licensee, assignee, sponsor …).
    public var counterparties: [ID<Party>]
    /// The rights it covers.
    public var rightsCovered: [ID<Right>]
    /// The field of use it is limited to, in the contract's words; `nil` for all fields.
    public var fieldOfUse: String?
    /// Where it applies.
    public var territory: Territory
    /// When it starts and ends.
    public var term: AgreementTerm
    /// The money and equity it provides for.
    public var financialTerms: FinancialTerms?
    /// What the counterparty must do by when; each becomes a deadline.
    public var obligations: [Obligation]
    /// The deal it came from.
    public var deal: ID<Deal>?
    /// For a licence granted by exercising an option, the option.
    public var option: ID<Agreement>?
    /// The date it was signed by all parties.
    public var executedOn: CivilDate?
    /// Where the agreement is in its workflow.
    public var state: AgreementWorkflow.State

    /// Creates an agreement, by default a draft.
    public init(
        id: ID<Agreement>, office: ID<Office>, reference: String, kind: Kind,
        counterparties: [ID<Party>] = [], rightsCovered: [ID<Right>] = [], fieldOfUse: String? = nil,
        territory: Territory = .worldwide, term: AgreementTerm = AgreementTerm(),
        financialTerms: FinancialTerms? = nil, obligations: [Obligation] = [], deal: ID<Deal>? = nil,
        option: ID<Agreement>? = nil, executedOn: CivilDate? = nil, state: AgreementWorkflow.State = .draft
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.kind = kind
        self.counterparties = counterparties
        self.rightsCovered = rightsCovered
        self.fieldOfUse = fieldOfUse
        self.territory = territory
        self.term = term
        self.financialTerms = financialTerms
        self.obligations = obligations
        self.deal = deal
        self.option = option
        self.executedOn = executedOn
        self.state = state
    }
}

/// Where an agreement applies: worldwide, or a list of countries.
public struct Territory: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The countries, sorted; empty means worldwide.
    public let countries: [Country]

    /// Everywhere.
    public static let worldwide = Territory(countries: [])

    /// The listed countries (sorted, de-duplicated); an empty list means worldwide.
    public init(countries: [Country]) { self.countries = Array(Set(countries)).sorted() }

    /// Whether it applies everywhere.
    public var isWorldwide: Bool { countries.isEmpty }

    /// Whether it covers `country`.
    public func covers(_ country: Country) -> Bool { isWorldwide || countries.contains(country) }

    /// `worldwide` or the codes, e.g. `KZ, RU`.
    public var description: String { isWorldwide ? "worldwide" : countries.map(\.code).joined(separator: ", ") }
}

/// The term of an agreement.
public struct AgreementTerm: Hashable, Sendable, Codable {
    /// The effective date.
    public var startsOn: CivilDate?
    /// The last day, when fixed.
    public var endsOn: CivilDate?
    /// Whether it runs until the last covered right expires (usual for patent licences).
    public var untilLastRightExpires: Bool

    /// Creates a term.
    public init(startsOn: CivilDate? = nil, endsOn: CivilDate? = nil, untilLastRightExpires: Bool = false) {
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.untilLastRightExpires = untilLastRightExpires
    }
}

/// Something a counterparty must do by a date; the store turns each into deadlines.
public enum Obligation: Hashable, Sendable, Codable {
    /// Royalty reports at the end of every interval, each due within `dueWithinDays` after it.
    case royaltyReports(every: ReportingInterval, dueWithinDays: Int)
    /// A development or commercial milestone to reach by a date.
    case milestone(name: String, dueOn: CivilDate)
    /// The last day to exercise an option.
    case optionExercise(by: CivilDate)

    enum CodingKeys: String, CodingKey {
        case royaltyReports = "royalty-reports"
        case milestone = "milestone"
        case optionExercise = "option-exercise"
    }
}

/// How often something recurs within an agreement (royalty reports).
public enum ReportingInterval: String, Hashable, Sendable, Codable, CaseIterable {
    case monthly = "monthly"
    case quarterly = "quarterly"
    case semiAnnual = "semi-annual"
    case annual = "annual"

    /// The length in months.
    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .semiAnnual: 6
        case .annual: 12
        }
    }
}
