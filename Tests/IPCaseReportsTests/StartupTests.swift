import Foundation
import IPCase
import IPCaseReports
import Testing

/// Start-ups' cap tables worked out by hand, and the indicators they feed.
@Suite struct StartupTests {
    static func kzt(_ tenge: Int64) -> Money { Money(minorUnits: tenge * 100, .kzt) }

    /// Founded with 1 000 000 shares, the office holding 150 000 (15 %); a seed round of
    /// 100 000 000 KZT at 400 000 000 pre-money issues 250 000 shares (100 / 400 × 1 000 000):
    /// 150 000 / 1 250 000 = 12 %; a SAFE issues none; a Series A with 500 000 new shares:
    /// 150 000 / 1 750 000 = 8.5714 % (8.571428…, rounded half up).
    static let geoSense = Startup(
        id: 1, office: 1, party: 3, foundedOn: day("2024-03-01"), region: .almatyCity, founders: [1],
        sharesAtFounding: 1_000_000, officeShares: 150_000,
        rounds: [
            FinancingRound(id: 1, closedOn: day("2025-02-10"), instrument: .equity, amount: kzt(100_000_000),
                           preMoney: kzt(400_000_000), investors: [8]),
            FinancingRound(id: 2, closedOn: day("2025-06-01"), instrument: .safe, amount: Money(minorUnits: 5_000_000, .usd)),
            FinancingRound(id: 3, closedOn: day("2026-01-20"), instrument: .equity, amount: kzt(600_000_000),
                           newShares: 500_000, investors: [8]),
            FinancingRound(id: 4, closedOn: day("2025-09-01"), instrument: .grant, amount: kzt(20_000_000)),
        ],
        residencies: [Residency(id: 1, technopark: "Astana Hub", from: day("2024-04-01"))])

    @Test func theOfficesStakeAfterEachRoundIsExact() {
        let lines = Self.geoSense.capTable()
        #expect(lines.map(\.newShares) == [0, 250_000, 0, 0, 500_000])
        #expect(lines.map(\.sharesOutstanding) == [1_000_000, 1_250_000, 1_250_000, 1_250_000, 1_750_000])
        #expect(lines.map(\.officeStake.percentText) == ["15.0000", "12.0000", "12.0000", "12.0000", "8.5714"])
        #expect(Stake(shares: 1, of: 3).percentText == "33.3333" && Stake(shares: 2, of: 3).percentText == "66.6667")
        #expect(Stake(shares: 0, of: 10).percentText == "0.0000" && Stake(shares: 10, of: 10).percentText == "100.0000")
        // Shares the amount buys are rounded down to a whole share: 1 KZT at 3 KZT pre-money of 10 shares → 3.
        let odd = FinancingRound(closedOn: day("2025-01-01"), instrument: .equity, amount: Self.kzt(1), preMoney: Self.kzt(3))
        #expect(odd.sharesIssued(before: 10) == 3)
        // Large figures stay exact (no overflow): 10¹² KZT at 4 × 10¹² of 10⁹ shares → 2.5 × 10⁸.
        let big = FinancingRound(
            closedOn: day("2025-01-01"), instrument: .equity, amount: Self.kzt(1_000_000_000_000),
            preMoney: Self.kzt(4_000_000_000_000))
        #expect(big.sharesIssued(before: 1_000_000_000) == 250_000_000)
        #expect(!odd.problems.contains { $0.field == "new_shares" })
        #expect(FinancingRound(closedOn: day("2025-01-01"), instrument: .safe, amount: Self.kzt(1), newShares: 5)
            .problems.contains { $0.field == "new_shares" })
    }

    @Test func startupIndicatorsCountFoundingActivityResidencyAndInvestment() throws {
        var portfolio = SamplePortfolio.portfolio
        var exited = Startup(
            id: 2, office: 1, party: 7, foundedOn: day("2023-03-01"), region: nil, sharesAtFounding: 100,
            exit: Exit(kind: .liquidation, on: day("2025-06-30")))
        exited.residencies = [Residency(id: 2, technopark: "Astana Hub", from: day("2023-04-01"))]
        portfolio.startups = [Self.geoSense, exited]
        let rates = try ExchangeRates([ExchangeRate(currency: .usd, date: day("2025-01-01"), kzt: "500", source: "test rates")])
        let report = try IndicatorReport.compute(for: try .year(2025), from: portfolio, office: 1, rates: rates)
        let startups = report.kazakhstan.startups
        // EcoSorb (party 3) is recorded as founded 2024-03-01: not formed in 2025 any more; OldSpin
        // (party 7) was recorded in 2023: nothing formed in 2025.
        #expect(startups.formed == 0 && report.autm.startupsFormed == 0)
        #expect(startups.activeAtPeriodEnd == 1)  // OldSpin was liquidated on 2025-06-30
        #expect(startups.activeByRegion.map { "\($0.key)=\($0.count)" } == ["almaty-city=1"])
        #expect(startups.residentsAtPeriodEnd == 1)
        #expect(startups.residentsByTechnopark.map { "\($0.key)=\($0.count)" } == ["astana-hub=1"])
        // The seed round and the SAFE; the grant apart; the Series A is in 2026.
        #expect(startups.ventureInvestment.amounts.map(\.description) == ["100 000 000.00 KZT", "50 000.00 USD"])
        #expect(startups.grants.amounts.map(\.description) == ["20 000 000.00 KZT"])
        #expect(startups.ventureInvestmentKZT?.total.amounts.map(\.description) == ["125 000 000.00 KZT"])
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        #expect(report.table().contains("venture investment attracted"))
        // In 2024 GeoSense was formed.
        #expect(try IndicatorReport.compute(for: try .year(2024), from: portfolio, office: 1).autm.startupsFormed == 1)
    }

    /// Two projects of one programme and one of another: the stages starting in 2025 count
    /// (30 000 000 + 20 000 000 KZT; the 2026 stage does not), with their co-financing
    /// (3 500 000 put in; 10 % required: 3 000 000 + 2 000 000); an applied project does not.
    @Test func grantFundingIsSummedByFunderAndProgramme() throws {
        func stage(_ tenge: Int64, _ from: String, _ to: String, _ put: Int64? = nil) -> ProjectStage {
            ProjectStage(amount: Self.kzt(tenge), from: day(from), to: day(to), cofinancing: put.map(Self.kzt))
        }
        var portfolio = SamplePortfolio.portfolio
        portfolio.projects = [
            FundedProject(
                id: 1, office: 1, reference: "GR-1", title: "Sorbent", funder: 5, programme: "Commercialization grant",
                minimumCofinancing: 1_000,
                stages: [stage(30_000_000, "2025-02-01", "2025-07-31", 3_500_000), stage(70_000_000, "2026-01-01", "2026-12-31")],
                state: .active),
            FundedProject(
                id: 2, office: 1, reference: "GR-2", title: "Blade", funder: 5, programme: "Commercialization grant",
                minimumCofinancing: 1_000, stages: [stage(20_000_000, "2025-09-01", "2026-02-28")], state: .awarded),
            FundedProject(
                id: 3, office: 1, reference: "GR-3", title: "Pending", funder: 5, programme: "Other",
                stages: [stage(5_000_000, "2025-03-01", "2025-04-01")], state: .applied),
        ]
        let report = try IndicatorReport.compute(for: try .year(2025), from: portfolio, office: 1)
        let grants = report.kazakhstan.grantFunding
        #expect(grants.total.amounts.map(\.description) == ["50 000 000.00 KZT"])
        #expect(grants.byProgramme.map(\.key) == ["5-commercialization-grant"])
        let row = try #require(grants.byProgramme.first)
        #expect(row.funder == "Ministry of Energy" && row.projects == 2)
        #expect(row.cofinancing.amounts.map(\.description) == ["3 500 000.00 KZT"])
        #expect(row.requiredCofinancing.amounts.map(\.description) == ["5 000 000.00 KZT"])
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        #expect(report.table().contains("Ministry of Energy: Commercialization grant (2)"))
    }
}
