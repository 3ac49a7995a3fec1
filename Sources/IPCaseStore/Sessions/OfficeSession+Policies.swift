import IPCase
import PostgresClient

/// A revenue-sharing policy as stored: its key, and how many stored distributions applied it
/// (a policy in use never changes).
public struct StoredPolicy: Sendable, Hashable, Codable {
    /// The database key.
    public var id: Int64
    /// The policy.
    public var policy: DistributionPolicy
    /// The current (not superseded) distributions that applied it.
    public var distributions: Int
}

/// What ``OfficeSession/distribute(_:inventors:sponsors:recompute:)`` did.
public enum DistributionOutcome: Sendable, Hashable {
    /// The payment had no split: it was computed and stored.
    case computed
    /// The payment's split was stored already and is returned as it was.
    case stored
    /// The stored split (its key) was marked superseded and a new one computed and stored.
    case recomputed(replacing: Int64)
}

extension OfficeSession {
    /// Creates a revenue-sharing policy in force from its effective date (until the office's
    /// next one); refused, naming the field, when its net shares do not sum to 100 %, its name
    /// is empty, or the office has a policy from that day already (a policy is a version: a new
    /// rule is a new policy from a later date).
    public func createPolicy(_ policy: DistributionPolicy) async throws -> StoredPolicy {
        let record = "distribution policy '\(policy.name)' from \(policy.effectiveFrom)"
        if policy.name.allSatisfy(\.isWhitespace) {
            throw StoreError.invalid(record: record, reason: "field name: a policy needs a name")
        }
        if let problem = policy.problems.first {
            throw StoreError.invalid(record: record, reason: "field shares: \(problem)")
        }
        if let existing = try await storedPolicies().first(where: { $0.policy.effectiveFrom == policy.effectiveFrom }) {
            throw StoreError.invalid(
                record: record,
                reason:
                    "field effective_from: policy '\(existing.policy.name)' (\(existing.id)) is in force from \(policy.effectiveFrom) already; a new rule takes a later date"
            )
        }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO distribution_policies (office_id, name, effective_from, admin_bp, recover_patent_costs,
                                                   inventors_bp, department_bp, institution_bp, source)
                VALUES (\(office), \(policy.name), \(policy.effectiveFrom), \(policy.administrativeShare),
                        \(policy.recoversPatentCosts), \(policy.inventorsShare), \(policy.departmentShare),
                        \(policy.institutionShare), \(policy.source))
                RETURNING id
                """)
            return StoredPolicy(id: try rows[0].decode(Int64.self, at: 0), policy: policy, distributions: 0)
        }
    }

    /// The office's revenue-sharing policies, oldest first, with their keys and use.
    public func storedPolicies() async throws -> [StoredPolicy] {
        try await connection.query(
            """
            SELECT p.id, p.name, p.effective_from, p.admin_bp, p.recover_patent_costs, p.inventors_bp,
                   p.department_bp, p.institution_bp, p.source,
                   (SELECT count(*)::int FROM distributions d
                    WHERE d.office_id = p.office_id AND d.policy_id = p.id AND d.superseded_at IS NULL)
            FROM distribution_policies p WHERE p.office_id = \(office) ORDER BY p.effective_from
            """
        ).map { row in
            let (id, name, from, admin, recovers, inventors, department, institution) = try row.decode(
                Int64.self, String.self, CivilDate.self, BasisPoints.self, Bool.self, BasisPoints.self,
                BasisPoints.self, BasisPoints.self)
            return StoredPolicy(
                id: id,
                policy: DistributionPolicy(
                    office: office, name: name, effectiveFrom: from, administrativeShare: admin,
                    recoversPatentCosts: recovers, inventorsShare: inventors, departmentShare: department,
                    institutionShare: institution, source: try row.decode(String?.self, at: 8)),
                distributions: try row.decode(Int.self, at: 9))
        }
    }

    /// The office's revenue-sharing policies, oldest first.
    public func policies() async throws -> [DistributionPolicy] {
        try await storedPolicies().map(\.policy)
    }

    /// The policy with key `id`.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func policy(_ id: Int64) async throws -> StoredPolicy {
        guard let found = try await storedPolicies().first(where: { $0.id == id }) else {
            throw StoreError.notFound(record: "distribution policy \(id)")
        }
        return found
    }

    /// The payment's current (not superseded) split, if it has one.
    public func distribution(of payment: ID<Payment>) async throws -> StoredDistribution? {
        try await currentDistributions(payment: payment, recipient: nil).first
    }

    /// The office's current (not superseded) splits, by the date of their payments; with
    /// `recipient`, only those with a line for that party (an inventor's statements).
    public func distributions(recipient: ID<Party>? = nil) async throws -> [StoredDistribution] {
        try await currentDistributions(payment: nil, recipient: recipient)
    }

    /// The current splits of `payment` (or of every payment), of those with a line for
    /// `recipient` (or all), with their lines: two statements whatever their number.
    func currentDistributions(payment: ID<Payment>?, recipient: ID<Party>?) async throws -> [StoredDistribution] {
        let rows = try await connection.query(
            """
            SELECT d.id, d.payment_id, d.policy_id, d.gross_minor, d.currency, d.patent_costs_outstanding_minor,
                   d.computed_by, to_char(d.computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00')
            FROM distributions d
            JOIN payments p ON p.office_id = d.office_id AND p.id = d.payment_id
            WHERE d.office_id = \(office) AND d.superseded_at IS NULL
              AND (\(payment)::bigint IS NULL OR d.payment_id = \(payment))
              AND (\(recipient)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM distribution_lines l
                              WHERE l.office_id = d.office_id AND l.distribution_id = d.id
                                AND l.party_id = \(recipient)))
            ORDER BY p.received_on, d.payment_id
            """)
        guard !rows.isEmpty else { return [] }
        let heads = try rows.map { row in
            try row.decode(
                Int64.self, ID<Payment>.self, Int64.self, Int64.self, Currency.self, Int64.self, String.self,
                String.self)
        }
        var lines: [Int64: [Distribution.Line]] = [:]
        let currencies = Dictionary(heads.map { ($0.0, $0.4) }, uniquingKeysWith: { first, _ in first })
        for row in try await connection.query(
            """
            SELECT distribution_id, recipient, party_id, amount_minor, rate_bp, base_minor, basis
            FROM distribution_lines
            WHERE office_id = \(office) AND distribution_id = ANY(\(heads.map(\.0))::bigint[])
            ORDER BY distribution_id, line_no
            """)
        {
            let (id, kind, party, amount, rate, base, basis) = try row.decode(
                Int64.self, String.self, ID<Party>?.self, Int64.self, BasisPoints?.self, Int64.self, String.self)
            guard let recipient = Distribution.Recipient(kind: kind, party: party), let currency = currencies[id] else {
                throw StoreError.invalid(
                    record: "distribution \(id)", reason: "a stored line's recipient '\(kind)' does not decode")
            }
            lines[id, default: []].append(
                Distribution.Line(
                    recipient: recipient, amount: Money(minorUnits: amount, currency), rate: rate,
                    base: Money(minorUnits: base, currency), basis: basis))
        }
        let policies = Dictionary(
            try await storedPolicies().map { ($0.id, $0.policy) }, uniquingKeysWith: { first, _ in first })
        return try heads.map { id, payment, policyID, gross, currency, outstanding, by, at in
            guard let policy = policies[policyID] else {
                throw StoreError.notFound(record: "distribution policy \(policyID)")
            }
            return StoredDistribution(
                id: id, payment: payment,
                distribution: Distribution(
                    gross: Money(minorUnits: gross, currency), policy: policy, lines: lines[id] ?? [],
                    patentCostsOutstanding: Money(minorUnits: outstanding, currency)),
                computedBy: by, computedAt: at)
        }
    }

    /// The payment's split, stored once: a payment split before returns its stored split
    /// (``DistributionOutcome/stored``), unless `recompute` marks that one superseded (by the
    /// session's actor, now) and stores a new one. A new split takes the policy in force on the
    /// payment's date and the office's unrecovered patent costs; the database checks its lines
    /// sum exactly to the gross. In the session's transaction.
    /// - Parameters:
    ///   - payment: the payment to split.
    ///   - inventors: the inventors and their shares (usually those of the licensed disclosure).
    ///   - sponsors: sponsor or partner shares of the gross.
    ///   - recompute: replace a stored split instead of returning it.
    public func distribute(
        _ payment: ID<Payment>, inventors: [InventorShare], sponsors: [SponsorShare] = [], recompute: Bool = false
    ) async throws -> (distribution: StoredDistribution, outcome: DistributionOutcome) {
        // One split of a payment at a time.
        _ = try await connection.query(
            "SELECT 1 FROM payments WHERE office_id = \(office) AND id = \(payment) FOR UPDATE")
        let existing = try await distribution(of: payment)
        if let existing, !recompute { return (existing, .stored) }
        if let existing {
            _ = try await connection.execute(
                """
                UPDATE distributions SET superseded_at = now(), superseded_by = ipcase_current_actor()
                WHERE office_id = \(office) AND id = \(existing.id)
                """)
        }
        let stored = try await self.payment(payment).value
        let costs = try await unrecoveredPatentCosts(in: stored.amount.currency)
        let policies = try await policies()
        let distribution: Distribution
        do {
            distribution = try stored.distribution(
                policies: policies, sponsors: sponsors, unreimbursedPatentCosts: costs, inventors: inventors)
        } catch {
            throw StoreError.invalid(record: "payment \(payment)", reason: error.description)
        }
        _ = try await save(distribution, of: payment)
        // Read back as stored: who computed it and when.
        guard let saved = try await self.distribution(of: payment) else {
            throw StoreError.invalid(record: "payment \(payment)", reason: "its distribution was not stored")
        }
        return (saved, existing.map { .recomputed(replacing: $0.id) } ?? .computed)
    }
}
