import Foundation
import IPCase
import IPCaseReports
import Testing

/// The patent-cost figures of a small ledger worked out by hand: what each cost is, where it
/// counts and why, in the comments.
@Suite struct PatentCostFiguresTests {
    static let year2025 = try! ReportPeriod.year(2025)

    static func right(
        _ id: ID<Right>, _ jurisdiction: Jurisdiction, disclosure: ID<Disclosure>?, filed: String,
        state: RightWorkflow.State, office: ID<Office> = 1
    ) -> Right {
        Right(
            id: id, office: office, reference: "R-\(id.rawValue)", title: "Right \(id.rawValue)",
            jurisdiction: jurisdiction, kind: .patent, disclosure: disclosure, filingDate: day(filed), state: state)
    }

    static func cost(
        _ id: ID<PatentCost>, right: ID<Right>? = nil, family: ID<RightFamily>? = nil, _ minor: Int64,
        _ currency: Currency, on date: String, reimbursable: Bool = false, office: ID<Office> = 1
    ) -> PatentCost {
        PatentCost(
            id: id, office: office, right: right, family: family, amount: Money(minorUnits: minor, currency),
            incurredOn: day(date), reimbursable: reimbursable, agreement: reimbursable ? 1 : nil)
    }

    static func money(_ minor: Int64, _ currency: Currency) -> Money { Money(minorUnits: minor, currency) }

    /// R-1 (EP, D-1) is licensed under A-1; R-2 (KZ, D-1) and R-5 (KZ, no disclosure) are not;
    /// R-3 is abandoned without a cost in 2025 and R-4 was filed in 2026 (neither counts as a
    /// right of 2025); R-9 is another office's.
    static let portfolio = Portfolio(
        disclosures: [
            Disclosure(id: 1, office: 1, reference: "D-1", title: "Sorbent", receivedOn: day("2023-01-10")),
            Disclosure(id: 2, office: 1, reference: "D-2", title: "Turbine blade", receivedOn: day("2023-02-10")),
        ],
        rights: [
            right(1, .european, disclosure: 1, filed: "2023-05-01", state: .granted),
            right(2, .kazakhstan, disclosure: 1, filed: "2024-01-15", state: .filed),
            right(3, .unitedStates, disclosure: 2, filed: "2023-06-01", state: .abandoned),
            right(4, .kazakhstan, disclosure: 2, filed: "2026-01-05", state: .filed),
            right(5, .kazakhstan, disclosure: nil, filed: "2022-03-03", state: .granted),
            right(9, .kazakhstan, disclosure: nil, filed: "2022-03-03", state: .granted, office: 2),
        ],
        agreements: [
            Agreement(
                id: 1, office: 1, reference: "A-1", kind: .exclusiveLicence, counterparties: [7], rightsCovered: [1],
                executedOn: day("2024-05-01"), state: .active),
            // Ended before the period's last day: R-2 is not licensed by it.
            Agreement(
                id: 2, office: 1, reference: "A-2", kind: .nonExclusiveLicence, counterparties: [7],
                rightsCovered: [2], term: AgreementTerm(endsOn: day("2025-06-30")), executedOn: day("2024-01-01"),
                state: .active),
        ],
        families: [RightFamily(id: 1, office: 1, reference: "F-1", disclosure: 2)],
        costs: [
            // c1: EP fee, reimbursable; on invoice I-1 (actual), 600.00 of 1 000.00 EUR paid.
            cost(1, right: 1, 100_000, .eur, on: "2025-02-10", reimbursable: true),
            // c2: attorney, reimbursable, not invoiced yet.
            cost(2, right: 1, 50_000_000, .kzt, on: "2025-03-01", reimbursable: true),
            // c3: KZ fee, not reimbursable: borne.
            cost(3, right: 2, 12_000_000, .kzt, on: "2025-06-15"),
            // c4: translation for the whole family F-1 (disclosure D-2): borne, in no right's figure.
            cost(4, family: 1, 9_000_000, .kzt, on: "2025-07-01"),
            // c5: last year: not counted.
            cost(5, right: 2, 5_000_000, .kzt, on: "2024-12-31"),
            // c6: EP fee, reimbursable; invoice I-2 under a cap bills 1 500.00 of 2 000.00 EUR, paid in full.
            cost(6, right: 1, 200_000, .eur, on: "2025-09-01", reimbursable: true),
            // c7: another office's.
            cost(7, right: 9, 1_000_000, .kzt, on: "2025-05-05", office: 2),
        ],
        costInvoices: [
            RecoveryInvoice(
                basis: .actual, amount: money(100_000, .eur), settled: money(60_000, .eur),
                lines: [RecoveryInvoice.Line(cost: 1, costAmount: money(100_000, .eur), billed: money(100_000, .eur))]),
            RecoveryInvoice(
                basis: .actualCapped, amount: money(150_000, .eur), settled: money(150_000, .eur),
                lines: [RecoveryInvoice.Line(cost: 6, costAmount: money(200_000, .eur), billed: money(150_000, .eur))]),
        ])

    static func texts(_ totals: MoneyTotals) -> [String] { totals.amounts.map(\.description) }

    @Test("spending by year and jurisdiction and by disclosure sums the period's costs per currency")
    func spendingByJurisdictionAndDisclosure() throws {
        let figures = try PatentCostFigures.compute(for: Self.year2025, from: Self.portfolio, office: 1)
        #expect(Self.texts(figures.total) == ["3 000.00 EUR", "710 000.00 KZT"])
        #expect(figures.totalKZT == nil)
        #expect(
            figures.byYearAndJurisdiction.map { "\($0.key): \(Self.texts($0.amounts).joined(separator: " + "))" } == [
                "2025-EP: 3 000.00 EUR + 500 000.00 KZT", "2025-KZ: 120 000.00 KZT", "2025-family: 90 000.00 KZT",
            ])
        #expect(
            figures.byYearAndDisclosure.map { "\($0.key): \(Self.texts($0.amounts).joined(separator: " + "))" } == [
                "2025-D-1: 3 000.00 EUR + 620 000.00 KZT", "2025-D-2: 90 000.00 KZT",
            ])
        #expect(figures.byYearAndDisclosure.first?.label == "D-1 Sorbent")
        // Over two years, each year has its rows; every office counts without an office.
        let twoYears = try ReportPeriod(from: day("2024-01-01"), to: day("2025-12-31"))
        let all = try PatentCostFigures.compute(for: twoYears, from: Self.portfolio)
        #expect(all.byYearAndJurisdiction.map(\.key) == ["2024-KZ", "2025-EP", "2025-KZ", "2025-family"])
        #expect(Self.texts(all.byYearAndJurisdiction[2].amounts) == ["130 000.00 KZT"])  // c3 + c7
    }

    @Test("recovered, invoiced-unpaid, not-invoiced and borne add up to the costs in every currency")
    func recoveredAndUnrecovered() throws {
        let recovery = try PatentCostFigures.compute(for: Self.year2025, from: Self.portfolio, office: 1).recovery
        #expect(Self.texts(recovery.costs) == ["3 000.00 EUR", "710 000.00 KZT"])
        #expect(Self.texts(recovery.recovered) == ["2 100.00 EUR"])  // 600 of c1, 1 500 of c6
        #expect(Self.texts(recovery.outstanding) == ["400.00 EUR"])  // the rest of c1's invoice
        #expect(Self.texts(recovery.notInvoiced) == ["500 000.00 KZT"])  // c2
        #expect(Self.texts(recovery.borne) == ["500.00 EUR", "210 000.00 KZT"])  // cut by the cap; c3, c4
        for currency in recovery.costs.amounts.map(\.currency) {
            let parts = [recovery.recovered, recovery.outstanding, recovery.notInvoiced, recovery.borne]
                .compactMap { $0.amount(in: currency)?.minorUnits }.reduce(0, +)
            #expect(parts == recovery.costs.amount(in: currency)?.minorUnits)
        }
    }

    @Test("a fixed sum is spread over its costs oldest first and its payments repay them in the same order")
    func fixedSumShares() {
        let invoice = RecoveryInvoice(
            basis: .fixed, amount: Self.money(30_000, .kzt), settled: Self.money(25_000, .kzt),
            lines: [
                RecoveryInvoice.Line(cost: 1, costAmount: Self.money(20_000, .kzt), billed: Self.money(0, .kzt)),
                RecoveryInvoice.Line(cost: 2, costAmount: Self.money(20_000, .kzt), billed: Self.money(0, .kzt)),
                RecoveryInvoice.Line(cost: 3, costAmount: Self.money(5_000, .eur), billed: Self.money(0, .eur)),
            ])
        let shares = invoice.shares()
        #expect(shares[1]?.billed == 20_000 && shares[1]?.recovered == 20_000)
        #expect(shares[2]?.billed == 10_000 && shares[2]?.recovered == 5_000)
        #expect(shares[3]?.billed == 0 && shares[3]?.recovered == 0)  // another currency: billed nothing
    }

    @Test("cost per licensed and unlicensed right counts live rights of the period and leaves family costs apart")
    func costPerRight() throws {
        let perRight = try PatentCostFigures.compute(for: Self.year2025, from: Self.portfolio, office: 1).perRight
        #expect(perRight.licensed.rights == 1)  // R-1 under A-1
        #expect(Self.texts(perRight.licensed.total) == ["3 000.00 EUR", "500 000.00 KZT"])
        #expect(Self.texts(perRight.licensed.average) == ["3 000.00 EUR", "500 000.00 KZT"])
        #expect(perRight.unlicensed.rights == 2)  // R-2 (A-2 ended 2025-06-30) and R-5; not
        #expect(Self.texts(perRight.unlicensed.total) == ["120 000.00 KZT"])
        #expect(Self.texts(perRight.unlicensed.average) == ["60 000.00 KZT"])
        #expect(Self.texts(perRight.familyCosts) == ["90 000.00 KZT"])
        // Averages round half up to the minor unit.
        var total = MoneyTotals()
        try total.add(Self.money(200, .kzt))
        #expect(RightGroupCost(rights: 3, total: total).average.amounts.map(\.minorUnits) == [67])
        #expect(RightGroupCost(rights: 0, total: MoneyTotals()).average.isEmpty)
    }

    @Test("with a rate table the total is given in KZT, each cost at the rate of its day, naming the rates")
    func totalInTenge() throws {
        let rates = try ExchangeRates([
            ExchangeRate(currency: .eur, date: day("2025-01-01"), kzt: "500", source: "test rates"),
            ExchangeRate(currency: .eur, date: day("2025-08-01"), kzt: "550", source: "test rates"),
        ])
        let figures = try PatentCostFigures.compute(for: Self.year2025, from: Self.portfolio, office: 1, rates: rates)
        let converted = try #require(figures.totalKZT)
        // 710 000 KZT + 1 000 EUR × 500 + 2 000 EUR × 550.
        #expect(Self.texts(converted.total) == ["2 310 000.00 KZT"])
        #expect(converted.ratesUsed.map(\.key) == ["EUR-2025-01-01", "EUR-2025-08-01"])
        #expect(converted.unconverted.isEmpty)
    }

    @Test("the indicators report and the spending report carry the figures; their HTML carries every JSON figure")
    func outputsAgree() throws {
        let rates = try ExchangeRates([
            ExchangeRate(currency: .eur, date: day("2025-01-01"), kzt: "500", source: "test rates")
        ])
        let indicators = try IndicatorReport.compute(for: Self.year2025, from: Self.portfolio, office: 1)
        #expect(indicators.patentCosts == (try PatentCostFigures.compute(for: Self.year2025, from: Self.portfolio, office: 1)))
        try ReportChecks.htmlCarriesEveryJSONFigure(indicators)
        #expect(indicators.table().contains("Recovered from licensees"))
        #expect(try IndicatorReport.decode(json: Data(indicators.json().utf8)) == indicators)

        let report = try PatentSpendingReport.compute(for: Self.year2025, from: Self.portfolio, office: 1, rates: rates)
        try ReportChecks.htmlCarriesEveryJSONFigure(html: report.html(officeName: "TTO <A&B>"), json: report.json())
        #expect(report.html(officeName: "TTO <A&B>").contains("TTO &lt;A&amp;B&gt;"))
        let json = try #require(try jsonObject(report.json()) as? [String: Any])
        #expect(json["schema"] as? String == "ipcase.patent-spending/1")
        let costs = try #require(json["patent_costs"] as? [String: Any])
        let recovery = try #require(costs["recovery"] as? [String: Any])
        #expect((recovery["recovered"] as? [[String: Any]])?.first?["minor_units"] as? Int == 210_000)
        #expect(
            try JSONDecoder().decode(PatentSpendingReport.self, from: Data(report.json().utf8)) == report)

        let table = report.table(officeName: "TTO")
        #expect(table.contains("2025 EP") && table.contains("3 000.00 EUR + 500 000.00 KZT"))
        #expect(table.contains("average per right") && table.contains("60 000.00 KZT"))

        let csv = report.csv()
        #expect(csv.hasPrefix("section,year,group,label,rights,currency,amount\r\n"))
        #expect(csv.contains("jurisdiction,2025,EP,EP,,EUR,3000.00\r\n"))
        #expect(csv.contains("disclosure,2025,D-1,D-1 Sorbent,,KZT,620000.00\r\n"))
        #expect(csv.contains("recovery,,recovered,Recovered from licensees,,EUR,2100.00\r\n"))
        #expect(csv.contains("per-right,,unlicensed,Average per right,2,KZT,60000.00\r\n"))
        #expect(csv.contains("total-kzt,,,In KZT at the rates supplied,,KZT,2210000.00\r\n"))
    }
}
