import IPCase
import PostgresClient
import Testing

@testable import IPCaseStore

@Suite("Expense ledger and cost recovery")
struct CostLedgerTests {
    @Test func costsSumPerRightAndYearAndTheDatabaseRefusesAnOverpaidInvoice() async throws {
        let database = try await StoreTestDatabase.migrated()
        let offices = try await SeededOffices.seed(database)
        let app = try await database.store(as: "ipcase_app", memberOf: [offices.a])
        let right = offices.rightOfA
        let (yearly, invoice) = try await app.withOffice(offices.a, actor: "aliya") { session in
            for (day, minor) in [("2025-03-01", 10_000), ("2025-11-30", 2_500), ("2026-01-15", 4_000)] {
                _ = try await session.addPatentCost(
                    PatentCost(
                        office: offices.a, right: right, kind: .officialFee,
                        amount: Money(minorUnits: Int64(minor), .kzt),
                        incurredOn: try CivilDate(iso: day), feeRule: "KZ.annuity", feeYear: 3))
            }
            let invoice = try await session.costInvoices().first!
            return (try await session.patentCostsPerRightAndYear(2025...2026), invoice)
        }
        // The seed's two costs of 2024 are outside the years asked for.
        #expect(
            yearly == [
                YearlyPatentCost(
                    right: right, family: nil, year: 2025, amount: Money(minorUnits: 12_500, .kzt)),
                YearlyPatentCost(
                    right: right, family: nil, year: 2026, amount: Money(minorUnits: 4_000, .kzt)),
            ])
        #expect(invoice.state == .partlyPaid && invoice.outstanding == Money(minorUnits: 5_000, .kzt))

        // Past the store's checks, the database itself refuses settling more than the invoice's amount.
        await #expect(
            throws: StoreError.invalid(
                record: "payment",
                reason: "the payments settling cost invoice \(invoice.id.rawValue) would exceed its amount")
        ) {
            try await app.withOffice(offices.a, actor: "aliya") { session in
                try await naming("payment") {
                    _ = try await session.connection.execute(
                        """
                        INSERT INTO payments (office_id, agreement_id, kind, received_on, amount_minor, currency, cost_invoice_id)
                        VALUES (\(offices.a), \(invoice.agreement), 'patent-cost-reimbursement', '2024-06-01', 5001, 'KZT',
                                \(invoice.id))
                        """)
                }
            }
        }
    }
}
