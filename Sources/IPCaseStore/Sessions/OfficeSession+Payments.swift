import IPCase
import PostgresClient

/// A distribution as stored: its key, the payment it split and the domain's lines.
public struct StoredDistribution: Sendable, Hashable {
    /// The distribution's key.
    public var id: Int64
    /// The payment it split.
    public var payment: ID<Payment>
    /// The split.
    public var distribution: Distribution
}

extension OfficeSession {
    /// Records a payment received and returns it with its key; queues the recomputation of the
    /// agreement's obligations (a royalty payment meets a report). The payment must be in the
    /// currency of the agreement's terms, when they name amounts.
    public func createPayment(_ payment: Payment) async throws -> Payment {
        try await refuseForeignCurrencies([payment])
        return try await naming(
            "payment of \(payment.amount.minorUnits) \(payment.amount.currency.code) on \(payment.receivedOn)"
        ) {
            let rows = try await connection.query(
                """
                INSERT INTO payments (office_id, agreement_id, kind, received_on, amount_minor, currency, reference)
                VALUES (\(office), \(payment.agreement), \(payment.kind), \(payment.receivedOn),
                        \(payment.amount.minorUnits), \(payment.amount.currency), \(payment.reference))
                RETURNING id
                """)
            var created = payment
            created.id = try rows[0].decode(ID<Payment>.self, at: 0)
            try await enqueueObligationRecomputation(of: [payment.agreement])
            return created
        }
    }

    /// The payment with key `id`.
    public func payment(_ id: ID<Payment>) async throws -> Versioned<Payment> {
        let rows = try await connection.query(
            "\(unescaped: Self.paymentColumns) WHERE office_id = \(office) AND id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound(record: "payment \(id)") }
        return try decodePayment(row)
    }

    /// Records patent costs paid by the office for a right (recovered from income before the
    /// inventors' split).
    public func recordPatentCost(
        _ amount: Money, right: ID<Right>?, incurredOn: CivilDate, description: String = ""
    ) async throws {
        _ = try await naming("patent cost of \(amount.minorUnits) \(amount.currency.code)") {
            try await connection.execute(
                """
                INSERT INTO patent_costs (office_id, right_id, incurred_on, description, amount_minor, currency)
                VALUES (\(office), \(right), \(incurredOn), \(description), \(amount.minorUnits), \(amount.currency))
                """)
        }
    }

    /// Patent costs in `currency` not yet recovered by earlier distributions.
    public func unrecoveredPatentCosts(in currency: Currency) async throws -> Money {
        let rows = try await connection.query(
            """
            SELECT (SELECT coalesce(sum(amount_minor), 0) FROM patent_costs
                    WHERE office_id = \(office) AND currency = \(currency))
                 - (SELECT coalesce(sum(l.amount_minor), 0) FROM distribution_lines l
                    JOIN distributions d ON d.office_id = l.office_id AND d.id = l.distribution_id
                    WHERE l.office_id = \(office) AND d.currency = \(currency) AND l.recipient = 'patent-costs')
            """)
        return Money(minorUnits: max(0, try rows[0].decode(Int64.self, at: 0)), currency)
    }

    /// Saves a revenue-sharing policy (one per office and effective date).
    public func savePolicy(_ policy: DistributionPolicy) async throws {
        _ = try await naming("distribution policy '\(policy.name)' from \(policy.effectiveFrom)") {
            try await connection.execute(
                """
                INSERT INTO distribution_policies (office_id, name, effective_from, admin_bp, recover_patent_costs,
                                                   inventors_bp, department_bp, institution_bp, source)
                VALUES (\(office), \(policy.name), \(policy.effectiveFrom), \(policy.administrativeShare),
                        \(policy.recoversPatentCosts), \(policy.inventorsShare), \(policy.departmentShare),
                        \(policy.institutionShare), \(policy.source))
                ON CONFLICT (office_id, effective_from) DO UPDATE
                SET name = excluded.name, admin_bp = excluded.admin_bp,
                    recover_patent_costs = excluded.recover_patent_costs, inventors_bp = excluded.inventors_bp,
                    department_bp = excluded.department_bp, institution_bp = excluded.institution_bp,
                    source = excluded.source
                """)
        }
    }

    /// The office's revenue-sharing policies, oldest first.
    public func policies() async throws -> [DistributionPolicy] {
        try await connection.query(
            """
            SELECT name, effective_from, admin_bp, recover_patent_costs, inventors_bp, department_bp,
                   institution_bp, source
            FROM distribution_policies WHERE office_id = \(office) ORDER BY effective_from
            """
        ).map { row in
            let (name, from, admin, recovers, inventors, department, institution, source) = try row.decode(
                String.self, CivilDate.self, BasisPoints.self, Bool.self, BasisPoints.self, BasisPoints.self,
                BasisPoints.self, String?.self)
            return DistributionPolicy(
                office: office, name: name, effectiveFrom: from, administrativeShare: admin,
                recoversPatentCosts: recovers, inventorsShare: inventors, departmentShare: department,
                institutionShare: institution, source: source)
        }
    }

    /// Splits a payment by the policy in force on its date and stores the split, in this
    /// transaction: unrecovered patent costs come from the office's ledger; the lines are
    /// checked by the database to sum exactly to the gross.
    /// - Parameters:
    ///   - payment: the payment to split.
    ///   - inventors: the inventors and their shares (usually those of the licensed disclosure).
    ///   - sponsors: sponsor or partner shares of the gross.
    public func distribute(
        _ payment: ID<Payment>, inventors: [InventorShare], sponsors: [SponsorShare] = []
    ) async throws -> StoredDistribution {
        let stored = try await self.payment(payment).value
        let record = "payment \(payment)"
        let costs = try await unrecoveredPatentCosts(in: stored.amount.currency)
        let policies = try await policies()
        let distribution: Distribution
        do {
            distribution = try stored.distribution(
                policies: policies, sponsors: sponsors, unreimbursedPatentCosts: costs, inventors: inventors)
        } catch {
            throw StoreError.invalid(record: record, reason: error.description)
        }
        return try await save(distribution, of: payment)
    }

    /// Stores a computed distribution of a payment.
    public func save(_ distribution: Distribution, of payment: ID<Payment>) async throws -> StoredDistribution {
        try await naming("distribution of payment \(payment)") {
            let rows = try await connection.query(
                """
                INSERT INTO distributions (office_id, payment_id, policy_id, gross_minor, currency,
                                           patent_costs_outstanding_minor)
                SELECT \(office), \(payment), p.id, \(distribution.gross.minorUnits), \(distribution.gross.currency),
                       \(distribution.patentCostsOutstanding.minorUnits)
                FROM distribution_policies p
                WHERE p.office_id = \(office) AND p.effective_from = \(distribution.policy.effectiveFrom)
                RETURNING id
                """)
            guard let row = rows.first else {
                throw StoreError.invalid(
                    record: "distribution of payment \(payment)",
                    reason: "its policy (effective \(distribution.policy.effectiveFrom)) is not stored")
            }
            let id = try row.decode(Int64.self, at: 0)
            let lines = distribution.lines
            _ = try await connection.execute(
                """
                INSERT INTO distribution_lines (office_id, distribution_id, line_no, recipient, party_id,
                                                amount_minor, rate_bp, base_minor, basis)
                SELECT \(office), \(id), n, recipient, party, amount, rate, base, basis
                FROM unnest(\(lines.map(\.recipient.kind))::text[], \(lines.map(\.recipient.party))::bigint[],
                            \(lines.map(\.amount.minorUnits))::bigint[], \(lines.map(\.rate))::int[],
                            \(lines.map(\.base.minorUnits))::bigint[], \(lines.map(\.basis))::text[])
                     WITH ORDINALITY AS l(recipient, party, amount, rate, base, basis, n)
                """)
            return StoredDistribution(id: id, payment: payment, distribution: distribution)
        }
    }

    /// The stored lines of a distribution: recipient kind, party and amount in minor units, in order.
    public func distributionLines(_ id: Int64) async throws -> [(recipient: String, party: ID<Party>?, amount: Int64)] {
        try await connection.query(
            """
            SELECT recipient, party_id, amount_minor FROM distribution_lines
            WHERE office_id = \(office) AND distribution_id = \(id) ORDER BY line_no
            """
        ).map { row in
            let (recipient, party, amount) = try row.decode(String.self, ID<Party>?.self, Int64.self)
            return (recipient, party, amount)
        }
    }
}
