/// An office's rule for sharing income from its agreements, in force from a date until the
/// next policy of the office takes effect.
///
/// Income passes through these steps; every step that takes a percentage uses
/// ``LargestRemainder``, so the lines of a ``Distribution`` always sum exactly to the gross:
/// 1. sponsor or partner shares (co-owners, funders), a percentage of the gross each;
/// 2. the ``administrativeShare`` of what remains;
/// 3. recovery of unreimbursed patent costs out of what remains (when ``recoversPatentCosts``);
/// 4. the net: ``inventorsShare`` (split among the inventors by their shares),
///    ``departmentShare`` and ``institutionShare``, which sum to 100 %.
public struct DistributionPolicy: Hashable, Sendable, Codable {
    /// The office the policy belongs to.
    public var office: ID<Office>
    /// A name, e.g. "IP policy 2024".
    public var name: String
    /// The first day the policy applies (by payment date).
    public var effectiveFrom: CivilDate
    /// The administrative percentage taken after sponsor shares.
    public var administrativeShare: BasisPoints
    /// Whether unreimbursed patent costs are recovered before the net is shared.
    public var recoversPatentCosts: Bool
    /// The inventors' part of the net.
    public var inventorsShare: BasisPoints
    /// The inventors' department's part of the net.
    public var departmentShare: BasisPoints
    /// The institution's part of the net.
    public var institutionShare: BasisPoints
    /// Where the policy is laid down, e.g. "Rector's order No. 57 of 2024-01-10".
    public var source: String?

    /// Creates a policy.
    public init(
        office: ID<Office>, name: String, effectiveFrom: CivilDate, administrativeShare: BasisPoints,
        recoversPatentCosts: Bool = true, inventorsShare: BasisPoints, departmentShare: BasisPoints,
        institutionShare: BasisPoints, source: String? = nil
    ) {
        self.office = office
        self.name = name
        self.effectiveFrom = effectiveFrom
        self.administrativeShare = administrativeShare
        self.recoversPatentCosts = recoversPatentCosts
        self.inventorsShare = inventorsShare
        self.departmentShare = departmentShare
        self.institutionShare = institutionShare
        self.source = source
    }

    /// What is wrong with the policy; empty when the net shares sum to 100 %.
    public var problems: [String] {
        let net = inventorsShare.value + departmentShare.value + institutionShare.value
        guard net == BasisPoints.whole.value else {
            return ["inventors, department and institution shares sum to \(BasisPoints.describe(net)), not 100.00 %"]
        }
        return []
    }

    /// The policy in force on `date`: the one with the latest ``effectiveFrom`` not after it.
    /// - Throws: ``DistributionError/noPolicy(on:)`` when none had taken effect yet, and
    ///   ``DistributionError/ambiguousPolicies(on:names:)`` when two take effect the same day.
    public static func effective(on date: CivilDate, among policies: [DistributionPolicy]) throws(DistributionError)
        -> DistributionPolicy
    {
        let candidates = policies.filter { $0.effectiveFrom <= date }
        guard let latest = candidates.map(\.effectiveFrom).max() else { throw .noPolicy(on: date) }
        let chosen = candidates.filter { $0.effectiveFrom == latest }
        guard chosen.count == 1 else {
            throw .ambiguousPolicies(on: latest, names: chosen.map(\.name).sorted())
        }
        return chosen[0]
    }
}

/// A sponsor's or partner's share of the gross (a co-owner, a funder under its grant terms).
public struct SponsorShare: Hashable, Sendable, Codable {
    /// The sponsor or partner.
    public var party: ID<Party>
    /// Its share of the gross.
    public var share: BasisPoints

    /// Creates a sponsor share.
    public init(_ party: ID<Party>, _ share: BasisPoints) {
        self.party = party
        self.share = share
    }
}

/// Why income could not be distributed.
public enum DistributionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No policy had taken effect by the payment date.
    case noPolicy(on: CivilDate)
    /// Several policies take effect on the same day.
    case ambiguousPolicies(on: CivilDate, names: [String])
    /// The policy's shares are inconsistent.
    case invalidPolicy(name: String, problems: [String])
    /// A gross amount or patent costs below zero.
    case negativeAmount(String)
    /// Sponsor shares above 100 % of the gross.
    case sponsorSharesExceedWhole(total: Int)
    /// Inventor shares that cannot split the inventors' part; the phrases say what is needed.
    case invalidInventorShares([String])
    /// A money error (mixed currencies, overflow).
    case money(MoneyError)

    public var description: String {
        switch self {
        case .noPolicy(let date):
            "no distribution policy is in effect on \(date)"
        case .ambiguousPolicies(let date, let names):
            "several distribution policies take effect on \(date): \(names.joined(separator: ", "))"
        case .invalidPolicy(let name, let problems):
            "distribution policy '\(name)' is invalid: \(problems.joined(separator: "; "))"
        case .negativeAmount(let what):
            "\(what) must not be negative"
        case .sponsorSharesExceedWhole(let total):
            "sponsor shares sum to \(BasisPoints.describe(total)), more than 100.00 %"
        case .invalidInventorShares(let missing):
            "the inventors' part needs \(missing.joined(separator: " and "))"
        case .money(let error):
            error.description
        }
    }
}
