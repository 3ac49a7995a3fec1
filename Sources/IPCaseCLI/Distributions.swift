import IPCase
import IPCaseStore

/// `ipcase distribution`: a payment split by the office's policy.
public enum Distributions {
    /// One printed line: who receives how much.
    public struct Line: Sendable, Hashable {
        /// `inventor`, `department`, `administration` …
        public var recipient: String
        /// The party's name for inventors and sponsors.
        public var name: String?
        /// The amount.
        public var amount: Money
    }

    /// A payment's split as printed: the lines, the policy, who computed it when, and whether
    /// it was computed now, stored before, or recomputed.
    public struct Result: Sendable, Hashable {
        /// The payment's amount.
        public var gross: Money
        /// The lines, which sum exactly to `gross`.
        public var lines: [Line]
        /// The policy's name and effective date.
        public var policy: String
        /// Who computed the split and when.
        public var computedBy: String, computedAt: String
        /// What happened.
        public var outcome: DistributionOutcome
    }

    /// Splits payment `id` by the policy in force on its date among the inventors of the
    /// disclosures behind the rights its agreement covers (shares weighted per disclosure) and
    /// stores the split; a payment split before keeps its stored split (returned as it is)
    /// unless `recompute` replaces it. The lines sum exactly to the payment.
    public static func distribute(
        store: Store, office: ID<Office>, payment id: ID<Payment>, actor: String, recompute: Bool = false
    ) async throws -> Result {
        try await store.withOffice(office, actor: actor) { session in
            try await distribute(in: session, payment: id, recompute: recompute)
        }
    }

    /// The same in `session`'s transaction (the web workspace's request): the split of payment
    /// `id`, computed and stored unless it was stored before (or `recompute`).
    public static func distribute(in session: OfficeSession, payment id: ID<Payment>, recompute: Bool = false)
        async throws -> Result
    {
        let payment = try await session.payment(id).value
        let agreement = try await session.agreement(payment.agreement).value
        var disclosures: [ID<Disclosure>] = []
        for right in agreement.rightsCovered {
            if let disclosure = try await session.right(right).value.disclosure, !disclosures.contains(disclosure) {
                disclosures.append(disclosure)
            }
        }
        // Inventor shares: each disclosure counts equally; within it, the inventors' shares.
        var points: [ID<Party>: Int] = [:]
        var order: [ID<Party>] = []
        for disclosure in disclosures {
            for inventor in try await session.disclosure(disclosure).value.inventors {
                if points[inventor.party] == nil { order.append(inventor.party) }
                points[inventor.party, default: 0] += inventor.share.value
            }
        }
        let total = points.values.reduce(0, +)
        var inventors: [InventorShare] = []
        var assigned = 0
        for (index, party) in order.enumerated() {
            let share = index == order.count - 1 ? 10_000 - assigned : points[party]! * 10_000 / max(total, 1)
            assigned += share
            if let basis = BasisPoints(points: share) { inventors.append(InventorShare(party, basis)) }
        }
        let (stored, outcome) = try await session.distribute(id, inventors: inventors, recompute: recompute)
        var names: [ID<Party>: String] = [:]
        for line in stored.distribution.lines {
            if let party = line.recipient.party, names[party] == nil {
                names[party] = try await session.party(party).value.name
            }
        }
        let policy = stored.distribution.policy
        return Result(
            gross: payment.amount,
            lines: stored.distribution.lines.map {
                Line(recipient: $0.recipient.kind, name: $0.recipient.party.flatMap { names[$0] }, amount: $0.amount)
            },
            policy: "\(policy.name) (from \(policy.effectiveFrom))", computedBy: stored.computedBy,
            computedAt: stored.computedAt, outcome: outcome)
    }
}
