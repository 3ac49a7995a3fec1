import IPCase
import PostgresClient

extension PatentCost.Kind: PostgresTextEnum {}
extension CostRecovery.Basis: PostgresTextEnum {}
extension CostInvoice.State: PostgresTextEnum {}

/// A cost of the ledger as stored, with the invoice that bills it (if any).
public struct StoredPatentCost: Sendable, Hashable, Codable {
    /// The cost.
    public var cost: PatentCost
    /// The right's docket reference, or the family's, for statements and lists.
    public var subject: String
    /// The cost-recovery invoice it is on.
    public var invoice: ID<CostInvoice>?
}

/// A cost-recovery invoice to a licensee: the statement of one agreement's reimbursable costs
/// for a period, and what its payments have settled.
public struct CostInvoice: Sendable, Hashable, Codable {
    /// What is paid of it.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Nothing paid yet.
        case issued = "issued"
        /// Paid in part.
        case partlyPaid = "partly-paid"
        /// Paid in full.
        case paid = "paid"
    }

    /// One cost the invoice covers.
    public struct Line: Sendable, Hashable, Codable {
        /// The cost, as the ledger holds it.
        public var cost: StoredPatentCost
        /// What the invoice bills of it (less under a cap, nothing under a fixed sum).
        public var billed: Money
    }

    /// The database key.
    public var id: ID<CostInvoice>
    /// The agreement it is issued under.
    public var agreement: ID<Agreement>
    /// The agreement's reference.
    public var agreementReference: String
    /// The licensee invoiced (the agreement's first counterparty).
    public var licensee: ID<Party>
    /// The first day of the costs it covers.
    public var periodFrom: CivilDate
    /// The last day of the costs it covers.
    public var periodTo: CivilDate
    /// The day it was issued.
    public var issuedOn: CivilDate
    /// The day it is due.
    public var dueOn: CivilDate
    /// What the licensee owes.
    public var amount: Money
    /// How the amount was reached.
    public var basis: CostRecovery.Basis
    /// What is paid of it.
    public var state: State
    /// The sum of the payments matched to it.
    public var settled: Money
    /// The costs it covers, in date order.
    public var lines: [Line]

    /// What is still owed.
    public var outstanding: Money {
        Money(minorUnits: amount.minorUnits - settled.minorUnits, amount.currency)
    }
}

/// What a licensee owes on cost-recovery invoices in one currency, by how late it is.
public struct AgedReceivable: Sendable, Hashable, Codable {
    /// The licensee.
    public var licensee: ID<Party>
    /// The licensee's name.
    public var licenseeName: String
    /// The currency of the amounts.
    public var currency: Currency
    /// What is outstanding, by age (every age present, zero where nothing is).
    public var amounts: [CostRecovery.Age: Money]
    /// The invoices with something outstanding.
    public var invoices: [ID<CostInvoice>]

    /// Everything outstanding.
    public var total: Money {
        Money(minorUnits: amounts.values.reduce(0) { $0 + $1.minorUnits }, currency)
    }
}

/// The costs of one right (or of one family, for costs of a whole family) in one calendar year
/// and currency.
public struct YearlyPatentCost: Sendable, Hashable, Codable {
    /// The right, or `nil` for a cost of a whole family.
    public var right: ID<Right>?
    /// The family of a family's cost.
    public var family: ID<RightFamily>?
    /// The calendar year the costs were incurred in.
    public var year: Int
    /// Their sum.
    public var amount: Money
}

extension OfficeSession {
    /// Adds a cost to the ledger and returns it with its key; refused, naming the field, for
    /// the first of ``problems(of:)``.
    public func addPatentCost(_ cost: PatentCost) async throws -> PatentCost {
        let record = "patent cost of \(cost.amount) on \(cost.incurredOn)"
        if let problem = try await problems(of: cost).first {
            throw StoreError.invalid(record: record, reason: "field \(problem.field): \(problem.reason)")
        }
        return try await naming(record) {
            let rows = try await connection.query(
                """
                INSERT INTO patent_costs (office_id, right_id, family_id, kind, incurred_on, description, amount_minor,
                                          currency, invoice_ref, payee_party_id, reimbursable, agreement_id,
                                          fee_rule, fee_year)
                VALUES (\(office), \(cost.right), \(cost.family), \(cost.kind), \(cost.incurredOn), \(cost.description),
                        \(cost.amount.minorUnits), \(cost.amount.currency), \(cost.invoiceReference), \(cost.payee),
                        \(cost.reimbursable), \(cost.agreement), \(cost.feeRule), \(cost.feeYear))
                RETURNING id
                """)
            var created = cost
            created.id = try rows[0].decode(ID<PatentCost>.self, at: 0)
            created.office = office
            return created
        }
    }

    /// Why the ledger would refuse `cost`, each naming its field (`right`, `family`, `payee`,
    /// `agreement`, `reimbursable`, `currency`, `amount`, `fee year`): neither or both of right
    /// and family; a right, family, payee or agreement not in this office; a reimbursable cost
    /// without its agreement (or an agreement for a cost that is not reimbursable); an agreement
    /// without a patent-cost term, that does not cover the right (or any right of the family),
    /// or whose terms are in another currency; a fee year without its fee rule. Empty when none.
    public func problems(of cost: PatentCost) async throws -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if cost.amount.minorUnits <= 0 { problems.append(("amount", "must be more than zero")) }
        switch (cost.right, cost.family) {
        case (nil, nil): problems.append(("right", "a cost is of a right or of a family; give one"))
        case (.some, .some):
            problems.append(("family", "a cost is of a right or of a family, not both"))
        default: break
        }
        if let right = cost.right, try await !exists("rights", right.rawValue) {
            problems.append(("right", "right \(right.rawValue) does not exist in this office"))
        }
        if let family = cost.family, try await !exists("right_families", family.rawValue) {
            problems.append(("family", "family \(family.rawValue) does not exist in this office"))
        }
        if let payee = cost.payee, try await !exists("parties", payee.rawValue) {
            problems.append(("payee", "party \(payee.rawValue) does not exist in this office"))
        }
        if cost.feeYear != nil, cost.feeRule == nil {
            problems.append(("fee year", "a fee year needs its fee rule"))
        }
        if let year = cost.feeYear, !(1...100).contains(year) {
            problems.append(("fee year", "\(year) is not 1–100"))
        }
        switch (cost.reimbursable, cost.agreement) {
        case (true, nil):
            problems.append(
                ("agreement", "a reimbursable cost names the agreement it is reimbursed under"))
        case (false, .some):
            problems.append(("reimbursable", "a cost reimbursed under an agreement is reimbursable"))
        case (true, let agreement?):
            problems += try await reimbursementProblems(of: cost, under: agreement)
        case (false, nil): break
        }
        return problems
    }

    private func exists(_ table: String, _ id: Int64) async throws -> Bool {
        try await !connection.query(
            "SELECT 1 FROM \(identifier: table) WHERE office_id = \(office) AND id = \(id)"
        ).isEmpty
    }

    private func reimbursementProblems(of cost: PatentCost, under id: ID<Agreement>) async throws
        -> [(field: String, reason: String)]
    {
        let agreement: Agreement
        do {
            agreement = try await self.agreement(id).value
        } catch StoreError.notFound {
            return [("agreement", "agreement \(id.rawValue) does not exist in this office")]
        }
        guard let terms = agreement.financialTerms?.patentCostReimbursement else {
            return [
                (
                    "agreement",
                    "agreement \(agreement.reference) has no patent_costs term (fixed:AMOUNT, actual or actual:CAP)"
                )
            ]
        }
        var problems: [(field: String, reason: String)] = []
        let covered: Bool
        if let right = cost.right {
            covered = agreement.rightsCovered.contains(right)
        } else {
            covered = try await !connection.query(
                """
                SELECT 1 FROM rights WHERE office_id = \(office) AND family_id = \(cost.family)
                  AND id = ANY(\(agreement.rightsCovered)::bigint[])
                """
            ).isEmpty
        }
        if !covered,
            let subject = cost.right.map({ "right \($0.rawValue)" })
                ?? cost.family.map({ "any right of family \($0.rawValue)" })
        {
            problems.append(("agreement", "agreement \(agreement.reference) does not cover \(subject)"))
        }
        let termCurrency: Currency? =
            switch terms {
            case .fixed(let sum): sum.currency
            case .actualCosts(let cap): cap?.currency
            }
        if let expected = termCurrency ?? agreement.financialTerms?.currency,
            expected != cost.amount.currency
        {
            problems.append(
                (
                    "currency",
                    "\(cost.amount.currency.code) is not the currency of agreement \(agreement.reference)'s terms (\(expected.code))"
                ))
        }
        return problems
    }

    /// The ledger's costs in date order, filtered: a family's costs include those of its rights.
    /// - Parameters:
    ///   - right: only this right's costs.
    ///   - family: only this family's costs and its rights'.
    ///   - kind: only costs of this kind.
    ///   - from: only costs incurred on or after this day.
    ///   - to: only costs incurred on or before this day.
    ///   - reimbursable: only reimbursable costs (`true`) or only others (`false`).
    public func patentCosts(
        right: ID<Right>? = nil, family: ID<RightFamily>? = nil, kind: PatentCost.Kind? = nil,
        from: CivilDate? = nil, to: CivilDate? = nil, reimbursable: Bool? = nil
    ) async throws -> [StoredPatentCost] {
        try await connection.query(
            """
            \(unescaped: Self.costColumns)
            WHERE c.office_id = \(office)
              AND (\(right)::bigint IS NULL OR c.right_id = \(right))
              AND (\(family)::bigint IS NULL OR c.family_id = \(family) OR r.family_id = \(family))
              AND (\(kind)::text IS NULL OR c.kind = \(kind))
              AND (\(from)::date IS NULL OR c.incurred_on >= \(from))
              AND (\(to)::date IS NULL OR c.incurred_on <= \(to))
              AND (\(reimbursable)::boolean IS NULL OR c.reimbursable = \(reimbursable))
            ORDER BY c.incurred_on, c.id
            """
        ).map(decodeCost)
    }

    /// The ledger's costs summed per right (or family, for a family's costs), calendar year and
    /// currency, oldest year first; `years` limits the years.
    public func patentCostsPerRightAndYear(_ years: ClosedRange<Int>? = nil) async throws
        -> [YearlyPatentCost]
    {
        try await connection.query(
            """
            SELECT right_id, family_id, extract(year FROM incurred_on)::int AS year, currency, sum(amount_minor)::bigint
            FROM patent_costs
            WHERE office_id = \(office)
              AND (\(years?.lowerBound)::int IS NULL OR incurred_on >= make_date(\(years?.lowerBound)::int, 1, 1))
              AND (\(years?.upperBound)::int IS NULL OR incurred_on <= make_date(\(years?.upperBound)::int, 12, 31))
            GROUP BY right_id, family_id, year, currency
            ORDER BY year, right_id NULLS LAST, family_id, currency
            """
        ).map { row in
            let (right, family, year, currency, minor) = try row.decode(
                ID<Right>?.self, ID<RightFamily>?.self, Int.self, Currency.self, Int64.self)
            return YearlyPatentCost(
                right: right, family: family, year: year, amount: Money(minorUnits: minor, currency))
        }
    }

    /// Invoices the licensee of `agreement` for its reimbursable costs of `from`…`to` not yet
    /// invoiced, as the agreement's patent-cost term says (`CostRecovery`): one invoice per
    /// currency under `actual`, the costs up to the cap under `actual:CAP`, the fixed sum once
    /// under `fixed:AMOUNT`. In the session's transaction; refused (nothing written) when there
    /// is nothing to invoice.
    /// - Parameters:
    ///   - agreement: the agreement whose licensee is invoiced (its first counterparty).
    ///   - from: the first day of the costs covered.
    ///   - to: the last day of the costs covered.
    ///   - issuedOn: the invoice's date.
    ///   - dueOn: the day it is due.
    public func invoicePatentCosts(
        under agreement: ID<Agreement>, from: CivilDate, to: CivilDate, issuedOn: CivilDate,
        dueOn: CivilDate
    ) async throws -> [CostInvoice] {
        let stored = try await self.agreement(agreement).value
        let record = "cost invoice of agreement \(stored.reference)"
        guard from <= to else {
            throw StoreError.invalid(record: record, reason: "field from: \(from) is after \(to)")
        }
        guard dueOn >= issuedOn else {
            throw StoreError.invalid(
                record: record, reason: "field due: \(dueOn) is before the issue date \(issuedOn)")
        }
        guard let terms = stored.financialTerms?.patentCostReimbursement else {
            throw StoreError.invalid(
                record: record,
                reason: "field agreement: \(stored.reference) has no patent_costs term to invoice under")
        }
        guard let licensee = stored.counterparties.first else {
            throw StoreError.invalid(
                record: record,
                reason: "field agreement: \(stored.reference) has no counterparty to invoice")
        }
        // One invoicing of an agreement at a time: the cap and the fixed sum count earlier invoices.
        _ = try await connection.query(
            "SELECT 1 FROM agreements WHERE office_id = \(office) AND id = \(agreement) FOR UPDATE")
        let costs = try await connection.query(
            """
            SELECT c.id, c.amount_minor, c.currency FROM patent_costs c
            WHERE c.office_id = \(office) AND c.agreement_id = \(agreement) AND c.reimbursable
              AND c.incurred_on BETWEEN \(from) AND \(to)
              AND NOT EXISTS (SELECT FROM cost_invoice_lines l WHERE l.office_id = c.office_id AND l.cost_id = c.id)
            ORDER BY c.incurred_on, c.id
            """
        ).map { row in
            let (id, minor, currency) = try row.decode(ID<PatentCost>.self, Int64.self, Currency.self)
            return (id: id, amount: Money(minorUnits: minor, currency))
        }
        let before = try await connection.query(
            "SELECT amount_minor, currency FROM cost_invoices WHERE office_id = \(office) AND agreement_id = \(agreement)"
        ).map { row in
            let (minor, currency) = try row.decode(Int64.self, Currency.self)
            return Money(minorUnits: minor, currency)
        }
        let statements = CostRecovery.statements(for: costs, terms: terms, invoicedBefore: before)
        guard !statements.isEmpty else {
            let reason =
                switch terms {
                case .fixed: "its fixed patent-cost sum is invoiced already"
                case .actualCosts(let cap?) where !costs.isEmpty: "its cap of \(cap) is invoiced already"
                case .actualCosts: "no reimbursable cost from \(from) to \(to) is left to invoice"
                }
            throw StoreError.invalid(record: record, reason: "nothing to invoice: \(reason)")
        }
        var invoices: [CostInvoice] = []
        for statement in statements {
            let id = try await naming(record) {
                let rows = try await connection.query(
                    """
                    INSERT INTO cost_invoices (office_id, agreement_id, licensee_party_id, period_from, period_to,
                                               issued_on, due_on, amount_minor, currency, basis)
                    VALUES (\(office), \(agreement), \(licensee), \(from), \(to), \(issuedOn), \(dueOn),
                            \(statement.total.minorUnits), \(statement.total.currency), \(statement.basis))
                    RETURNING id
                    """)
                let id = try rows[0].decode(ID<CostInvoice>.self, at: 0)
                let lines = statement.lines
                _ = try await connection.execute(
                    """
                    INSERT INTO cost_invoice_lines (office_id, invoice_id, cost_id, amount_minor)
                    SELECT \(office), \(id), cost, billed
                    FROM unnest(\(lines.map(\.cost))::bigint[], \(lines.map(\.billed.minorUnits))::bigint[])
                         AS l(cost, billed)
                    """)
                return id
            }
            invoices.append(try await costInvoice(id))
        }
        return invoices
    }

    /// The cost-recovery invoice with key `id`, with its lines and what is settled.
    public func costInvoice(_ id: ID<CostInvoice>) async throws -> CostInvoice {
        guard let invoice = try await costInvoices(id: id).first else {
            throw StoreError.notFound(record: "cost invoice \(id.rawValue)")
        }
        return invoice
    }

    /// The office's cost-recovery invoices (or one agreement's), oldest first, with their lines.
    public func costInvoices(under agreement: ID<Agreement>? = nil) async throws -> [CostInvoice] {
        try await costInvoices(id: nil, agreement: agreement)
    }

    private func costInvoices(id: ID<CostInvoice>?, agreement: ID<Agreement>? = nil) async throws
        -> [CostInvoice]
    {
        var invoices = try await connection.query(
            """
            SELECT i.id, i.agreement_id, a.reference, i.licensee_party_id, i.period_from, i.period_to, i.issued_on,
                   i.due_on, i.amount_minor, i.currency, i.basis, i.state,
                   (SELECT coalesce(sum(p.amount_minor), 0)::bigint FROM payments p
                    WHERE p.office_id = i.office_id AND p.cost_invoice_id = i.id)
            FROM cost_invoices i JOIN agreements a ON a.office_id = i.office_id AND a.id = i.agreement_id
            WHERE i.office_id = \(office) AND (\(id)::bigint IS NULL OR i.id = \(id))
              AND (\(agreement)::bigint IS NULL OR i.agreement_id = \(agreement))
            ORDER BY i.issued_on, i.id
            """
        ).map { row in
            let (key, agreement, reference, licensee, from, to, issued, due) = try row.decode(
                ID<CostInvoice>.self, ID<Agreement>.self, String.self, ID<Party>.self, CivilDate.self,
                CivilDate.self,
                CivilDate.self, CivilDate.self)
            let currency = try row.decode(Currency.self, at: 9)
            return CostInvoice(
                id: key, agreement: agreement, agreementReference: reference, licensee: licensee,
                periodFrom: from,
                periodTo: to, issuedOn: issued, dueOn: due,
                amount: Money(minorUnits: try row.decode(Int64.self, at: 8), currency),
                basis: try row.decode(CostRecovery.Basis.self, at: 10),
                state: try row.decode(CostInvoice.State.self, at: 11),
                settled: Money(minorUnits: try row.decode(Int64.self, at: 12), currency), lines: [])
        }
        guard !invoices.isEmpty else { return [] }
        let lines = try await connection.query(
            """
            \(unescaped: Self.costColumns)
            WHERE c.office_id = \(office) AND l.invoice_id = ANY(\(invoices.map(\.id))::bigint[])
            ORDER BY c.incurred_on, c.id
            """)
        var byInvoice: [ID<CostInvoice>: [CostInvoice.Line]] = [:]
        for row in lines {
            let cost = try decodeCost(row)
            let billed = try row.decode(Int64.self, at: Self.costColumnCount)
            byInvoice[cost.invoice!, default: []].append(
                CostInvoice.Line(cost: cost, billed: Money(minorUnits: billed, cost.cost.amount.currency)))
        }
        for index in invoices.indices { invoices[index].lines = byInvoice[invoices[index].id] ?? [] }
        return invoices
    }

    /// Matches a patent-cost reimbursement to the invoice it (partly or wholly) settles; the
    /// invoice's state follows. Refused, naming the field, for another kind of payment, an
    /// invoice of another agreement or currency, or more than is outstanding.
    public func matchPayment(_ payment: ID<Payment>, to invoice: ID<CostInvoice>) async throws {
        let paid = try await self.payment(payment).value
        let record = "payment \(payment.rawValue)"
        let target: CostInvoice
        do {
            target = try await costInvoice(invoice)
        } catch StoreError.notFound {
            throw StoreError.invalid(
                record: record,
                reason: "field invoice: cost invoice \(invoice.rawValue) does not exist in this office")
        }
        guard paid.kind == .patentCostReimbursement else {
            throw StoreError.invalid(
                record: record,
                reason:
                    "field kind: only a patent-cost-reimbursement settles a cost invoice, not \(paid.kind.rawValue)"
            )
        }
        guard paid.agreement == target.agreement else {
            throw StoreError.invalid(
                record: record,
                reason:
                    "field invoice: cost invoice \(invoice.rawValue) is under agreement \(target.agreementReference), not this payment's"
            )
        }
        guard paid.amount.currency == target.amount.currency else {
            throw StoreError.invalid(
                record: record,
                reason:
                    "field currency: cost invoice \(invoice.rawValue) is in \(target.amount.currency.code)")
        }
        // Matched already to this invoice: nothing to do (its amount is part of what is settled).
        let matched: ID<CostInvoice>? =
            try await connection.query(
                "SELECT cost_invoice_id FROM payments WHERE office_id = \(office) AND id = \(payment)"
            ).first?.decode(ID<CostInvoice>?.self, at: 0) ?? nil
        guard matched != invoice else { return }
        guard paid.amount.minorUnits <= target.outstanding.minorUnits else {
            throw StoreError.invalid(
                record: record,
                reason:
                    "field amount: \(paid.amount) is more than the \(target.outstanding) outstanding on cost invoice \(invoice.rawValue)"
            )
        }
        _ = try await naming(record) {
            try await connection.execute(
                "UPDATE payments SET cost_invoice_id = \(invoice) WHERE office_id = \(office) AND id = \(payment)"
            )
        }
    }

    /// What licensees owe on cost-recovery invoices as of `asOf`, per licensee and currency,
    /// by days past the due date (`CostRecovery.Age`): invoices issued by then, less the
    /// payments received by then.
    public func agedReceivables(asOf: CivilDate) async throws -> [AgedReceivable] {
        let rows = try await connection.query(
            """
            SELECT i.id, i.licensee_party_id, p.name, i.currency, i.due_on,
                   i.amount_minor - coalesce((SELECT sum(s.amount_minor) FROM payments s
                                              WHERE s.office_id = i.office_id AND s.cost_invoice_id = i.id
                                                AND s.received_on <= \(asOf)), 0)::bigint
            FROM cost_invoices i JOIN parties p ON p.office_id = i.office_id AND p.id = i.licensee_party_id
            WHERE i.office_id = \(office) AND i.issued_on <= \(asOf)
            ORDER BY p.name, i.licensee_party_id, i.currency, i.due_on, i.id
            """)
        var result: [AgedReceivable] = []
        for row in rows {
            let (invoice, licensee, name, currency, due, outstanding) = try row.decode(
                ID<CostInvoice>.self, ID<Party>.self, String.self, Currency.self, CivilDate.self, Int64.self
            )
            guard outstanding > 0 else { continue }
            if result.last?.licensee != licensee || result.last?.currency != currency {
                result.append(
                    AgedReceivable(
                        licensee: licensee, licenseeName: name, currency: currency,
                        amounts: Dictionary(
                            uniqueKeysWithValues: CostRecovery.Age.allCases.map { ($0, .zero(currency)) }),
                        invoices: []))
            }
            let age = CostRecovery.Age(dueOn: due, asOf: asOf)
            let sum = result[result.count - 1].amounts[age]!.minorUnits + outstanding
            result[result.count - 1].amounts[age] = Money(minorUnits: sum, currency)
            result[result.count - 1].invoices.append(invoice)
        }
        return result
    }

    static let costColumns = """
        SELECT c.id, c.right_id, c.family_id, c.kind, c.amount_minor, c.currency, c.incurred_on, c.invoice_ref,
               c.payee_party_id, c.reimbursable, c.agreement_id, c.fee_rule, c.fee_year::int, c.description,
               coalesce(r.reference, f.reference, ''), l.invoice_id, l.amount_minor
        FROM patent_costs c
        LEFT JOIN rights r ON r.office_id = c.office_id AND r.id = c.right_id
        LEFT JOIN right_families f ON f.office_id = c.office_id AND f.id = c.family_id
        LEFT JOIN cost_invoice_lines l ON l.office_id = c.office_id AND l.cost_id = c.id
        """
    /// The column of `costColumns` after the cost's own: what its invoice bills of it.
    static let costColumnCount = 16

    func decodeCost(_ row: PostgresRow) throws -> StoredPatentCost {
        let (id, right, family, kind, minor, currency, incurred, invoiceRef) = try row.decode(
            ID<PatentCost>.self, ID<Right>?.self, ID<RightFamily>?.self, PatentCost.Kind.self, Int64.self,
            Currency.self, CivilDate.self, String?.self)
        let payee = try row.decode(ID<Party>?.self, at: 8)
        let reimbursable = try row.decode(Bool.self, at: 9)
        let agreement = try row.decode(ID<Agreement>?.self, at: 10)
        let feeRule = try row.decode(String?.self, at: 11)
        let feeYear = try row.decode(Int?.self, at: 12)
        let description = try row.decode(String.self, at: 13)
        let subject = try row.decode(String.self, at: 14)
        let invoice = try row.decode(ID<CostInvoice>?.self, at: 15)
        return StoredPatentCost(
            cost: PatentCost(
                id: id, office: office, right: right, family: family, kind: kind,
                amount: Money(minorUnits: minor, currency), incurredOn: incurred,
                invoiceReference: invoiceRef,
                payee: payee, reimbursable: reimbursable, agreement: agreement, feeRule: feeRule,
                feeYear: feeYear,
                description: description),
            subject: subject, invoice: invoice)
    }
}
