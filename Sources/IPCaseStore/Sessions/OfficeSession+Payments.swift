import IPCase
import PostgresClient

/// A distribution as stored: its key, the payment it split, the domain's lines, and who
/// computed it when.
public struct StoredDistribution: Sendable, Hashable {
    /// The distribution's key.
    public var id: Int64
    /// The payment it split.
    public var payment: ID<Payment>
    /// The split.
    public var distribution: Distribution
    /// Who computed it (the session's actor).
    public var computedBy: String = ""
    /// When, as the database's clock had it (`YYYY-MM-DD HH:MM:SS+00`).
    public var computedAt: String = ""
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

    /// Patent costs in `currency` not yet recovered by earlier distributions (the current ones:
    /// a superseded split recovered nothing).
    public func unrecoveredPatentCosts(in currency: Currency) async throws -> Money {
        let rows = try await connection.query(
            """
            SELECT (SELECT coalesce(sum(amount_minor), 0) FROM patent_costs
                    WHERE office_id = \(office) AND currency = \(currency))
                 - (SELECT coalesce(sum(l.amount_minor), 0) FROM distribution_lines l
                    JOIN distributions d ON d.office_id = l.office_id AND d.id = l.distribution_id
                    WHERE l.office_id = \(office) AND d.currency = \(currency) AND l.recipient = 'patent-costs'
                      AND d.superseded_at IS NULL)
            """)
        return Money(minorUnits: max(0, try rows[0].decode(Int64.self, at: 0)), currency)
    }

    /// Stores a computed distribution of a payment.
    func save(_ distribution: Distribution, of payment: ID<Payment>) async throws -> StoredDistribution {
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
