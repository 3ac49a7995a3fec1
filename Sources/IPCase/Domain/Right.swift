/// One application or title in one jurisdiction: a patent application or patent, a utility
/// model, an industrial design, a trademark, a PCT international application …
public struct Right: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<Right>
    /// The office whose docket holds it.
    public var office: ID<Office>
    /// The office's docket reference, e.g. "KZ-2024-003"; labels the record in messages.
    public var reference: String
    /// The title of the invention, design or mark.
    public var title: String
    /// The granting office or route.
    public var jurisdiction: Jurisdiction
    /// What kind of right.
    public var kind: RightKind
    /// The disclosure it protects, if any: the one whose inventors, funding and IPC symbols
    /// reports and distribution read.
    public var disclosure: ID<Disclosure>?
    /// Further disclosures it comes from, e.g. know-how pooled from several, or an application
    /// combining two inventions; never ``disclosure`` itself, and only with one.
    public var furtherDisclosures: [ID<Disclosure>]
    /// The patent family it belongs to (rights sharing a priority).
    public var family: ID<RightFamily>?
    /// For a right that entered the national or regional phase, the PCT application it came from.
    public var parentPCT: ID<Right>?
    /// The attorney responsible for its deadlines.
    public var responsibleAttorney: ID<Party>?
    /// The application number given by the office.
    public var applicationNumber: String?
    /// The filing date (for a national phase right, the international filing date).
    public var filingDate: CivilDate?
    /// Priorities claimed.
    public var priorityClaims: [PriorityClaim]
    /// The date the application was published.
    public var publicationDate: CivilDate?
    /// The publication number.
    public var publicationNumber: String?
    /// The date of grant or registration.
    public var grantDate: CivilDate?
    /// The patent or registration number.
    public var registrationNumber: String?
    /// The date the right ends at full term.
    public var expiryDate: CivilDate?
    /// Where the right is in its workflow.
    public var state: RightWorkflow.State
    /// While lapsed: the last day it can be restored (e.g. KZ: three years from the missed payment deadline).
    public var restorableUntil: CivilDate?
    /// Whether its deadlines are computed by the rules, or entered by hand (a jurisdiction and
    /// kind without rules, accepted only when asked for).
    public var deadlines: DeadlineMode
    /// The applicant's entity size where an office reduces fees by it (USPTO small and micro
    /// entities); `nil` is a large entity. The fee forecast prices the right's fees at it.
    public var entitySize: EntitySize?

    /// How a right's deadlines come about.
    public enum DeadlineMode: String, Hashable, Sendable, Codable, CaseIterable {
        /// By the rules of its jurisdiction and kind.
        case computed
        /// By hand: no rules apply, and the docket says so.
        case manual
    }

    /// Whether `rules` compute deadlines for a right of this jurisdiction and kind.
    public static func hasRules(_ jurisdiction: Jurisdiction, _ kind: RightKind, in rules: RuleBook = .standard) -> Bool {
        !rules.rules(jurisdiction: jurisdiction, kind: kind).isEmpty
    }

    /// Whether a right of this jurisdiction and kind must be recorded with manual deadlines: the
    /// law sets time limits for its kind, but `rules` have none for the jurisdiction.
    public static func lacksRules(_ jurisdiction: Jurisdiction, _ kind: RightKind, in rules: RuleBook = .standard) -> Bool {
        kind.hasStatutoryDeadlines && !hasRules(jurisdiction, kind, in: rules)
    }

    /// The jurisdictions with rules for `kind`, sorted by code.
    public static func jurisdictionsWithRules(for kind: RightKind, in rules: RuleBook = .standard) -> [Jurisdiction] {
        rules.jurisdictions.filter { hasRules($0, kind, in: rules) }.sorted()
    }

    /// Creates a right, by default a draft.
    public init(
        id: ID<Right>, office: ID<Office>, reference: String, title: String,
        jurisdiction: Jurisdiction, kind: RightKind, disclosure: ID<Disclosure>? = nil,
        family: ID<RightFamily>? = nil, parentPCT: ID<Right>? = nil, responsibleAttorney: ID<Party>? = nil,
        applicationNumber: String? = nil, filingDate: CivilDate? = nil, priorityClaims: [PriorityClaim] = [],
        publicationDate: CivilDate? = nil, publicationNumber: String? = nil, grantDate: CivilDate? = nil,
        registrationNumber: String? = nil, expiryDate: CivilDate? = nil,
        state: RightWorkflow.State = .draft, restorableUntil: CivilDate? = nil, deadlines: DeadlineMode = .computed,
        furtherDisclosures: [ID<Disclosure>] = [], entitySize: EntitySize? = nil
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.title = title
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.disclosure = disclosure
        self.furtherDisclosures = furtherDisclosures
        self.family = family
        self.parentPCT = parentPCT
        self.responsibleAttorney = responsibleAttorney
        self.applicationNumber = applicationNumber
        self.filingDate = filingDate
        self.priorityClaims = priorityClaims
        self.publicationDate = publicationDate
        self.publicationNumber = publicationNumber
        self.grantDate = grantDate
        self.registrationNumber = registrationNumber
        self.expiryDate = expiryDate
        self.state = state
        self.restorableUntil = restorableUntil
        self.deadlines = deadlines
        self.entitySize = entitySize
    }

    /// Every disclosure it comes from: ``disclosure`` first, then the ``furtherDisclosures``.
    public var disclosures: [ID<Disclosure>] { (disclosure.map { [$0] } ?? []) + furtherDisclosures }

    /// The earliest priority date claimed, or the filing date when none is claimed.
    public var earliestPriorityDate: CivilDate? {
        priorityClaims.map(\.date).min() ?? filingDate
    }
}

/// A priority claimed by an application (Paris Convention Art. 4).
public struct PriorityClaim: Hashable, Sendable, Codable {
    /// The office of the earlier application.
    public var jurisdiction: Jurisdiction
    /// The number of the earlier application.
    public var applicationNumber: String
    /// The filing date of the earlier application: the priority date.
    public var date: CivilDate

    /// Creates a priority claim.
    public init(jurisdiction: Jurisdiction, applicationNumber: String, date: CivilDate) {
        self.jurisdiction = jurisdiction
        self.applicationNumber = applicationNumber
        self.date = date
    }
}

/// A patent family: the rights in several jurisdictions that share a priority.
public struct RightFamily: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<RightFamily>
    /// The office whose docket holds it.
    public var office: ID<Office>
    /// The family's reference, e.g. "F-2023-01".
    public var reference: String
    /// The disclosure it protects, if any.
    public var disclosure: ID<Disclosure>?

    /// Creates a family.
    public init(id: ID<RightFamily>, office: ID<Office>, reference: String, disclosure: ID<Disclosure>? = nil) {
        self.id = id
        self.office = office
        self.reference = reference
        self.disclosure = disclosure
    }
}

/// One national or regional phase entered from a PCT application: the right to create.
public struct NationalPhaseEntry: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The office entered, e.g. `KZ`, `EA`, `EP`.
    public var jurisdiction: Jurisdiction
    /// The kind of right sought there (usually a patent, sometimes a utility model).
    public var kind: RightKind

    /// Creates an entry, by default for a patent.
    public init(_ jurisdiction: Jurisdiction, kind: RightKind = .patent) {
        self.jurisdiction = jurisdiction
        self.kind = kind
    }

    /// `EA patent`, `KZ utility-model`.
    public var description: String { "\(jurisdiction.code) \(kind.rawValue)" }
}
