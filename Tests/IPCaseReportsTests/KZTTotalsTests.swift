import Foundation
import IPCase
import IPCaseReports
import Testing

@Suite("KZT totals and Triple-Helix links")
struct KZTTotalsTests {
    static let year2025 = try! ReportPeriod.year(2025)

    /// EUR from 2025-09-01 at 545.58, USD from 2025-01-01 at 500; nothing for EUR before September.
    static let rates = try! ExchangeRates([
        ExchangeRate(currency: .eur, date: day("2025-09-01"), kzt: "545.58", source: "test rates"),
        ExchangeRate(currency: .usd, date: day("2025-01-01"), kzt: "500", source: "test rates"),
    ])

    /// The sample portfolio with a grant: a KZT stage co-financed in KZT, a USD stage co-financed
    /// in EUR before any EUR rate.
    static let portfolio: Portfolio = {
        var portfolio = SamplePortfolio.portfolio
        portfolio.projects = [
            FundedProject(
                id: 1, office: 1, reference: "G-1", title: "Sorbent pilot", funder: 5, programme: "Коммерцияландыру",
                stages: [
                    ProjectStage(
                        amount: Money(minorUnits: 5_000_000_000, .kzt), from: day("2025-03-01"), to: day("2025-12-31"),
                        cofinancing: Money(minorUnits: 500_000_000, .kzt)),
                    ProjectStage(
                        amount: Money(minorUnits: 2_000_000, .usd), from: day("2025-07-01"), to: day("2026-06-30"),
                        cofinancing: Money(minorUnits: 100_000, .eur)),
                ], state: .active)
        ]
        return portfolio
    }()

    @Test("every per-currency money total gets a KZT total worked out by hand, naming its rates and what had none")
    func kztTotalsAreExact() throws {
        let report = try IndicatorReport.compute(for: Self.year2025, from: Self.portfolio, rates: Self.rates)
        // Income: 7 284 617.89 KZT + 20 000.00 EUR × 545.58 (2025-09-30) = 10 911 600.00
        // + 11 000.00 USD × 500 = 5 500 000.00 → 23 696 217.89 KZT.
        let income = try #require(report.autm.licenceIncome.totalKZT)
        #expect(income.total == (try SamplePortfolio.money((2_369_621_789, .kzt))))
        #expect(income.ratesUsed.map(\.key) == ["EUR-2025-09-01", "USD-2025-01-01"])
        #expect(income.unconverted.isEmpty)
        #expect(report.kazakhstan.commercializationIncome.totalKZT == income)
        // Per currency, as before.
        #expect(report.autm.licenceIncome.total == (try SamplePortfolio.money((2_000_000, .eur), (728_461_789, .kzt), (1_100_000, .usd))))
        // Almaty: 7 284 617.89 + 10 911 600.00 + 10 000.00 USD × 500 = 23 196 217.89; Karaganda: 1 000 USD = 500 000.00.
        let regions = Dictionary(uniqueKeysWithValues: report.kazakhstan.byRegion.map { ($0.key, $0) })
        #expect(regions["almaty-city"]?.incomeKZT?.total == (try SamplePortfolio.money((2_319_621_789, .kzt))))
        #expect(regions["karaganda"]?.incomeKZT?.total == (try SamplePortfolio.money((50_000_000, .kzt))))
        #expect(regions["ulytau"]?.incomeKZT?.total == (try SamplePortfolio.money((0, .kzt))))
        // Grants: 50 000 000.00 KZT + 20 000.00 USD × 500 = 60 000 000.00; co-financing 5 000 000.00 KZT,
        // and 1 000.00 EUR on 2025-07-01, before the first EUR rate: left apart.
        let grants = report.kazakhstan.grantFunding
        #expect(grants.totalKZT?.total == (try SamplePortfolio.money((6_000_000_000, .kzt))))
        #expect(grants.cofinancing == (try SamplePortfolio.money((100_000, .eur), (500_000_000, .kzt))))
        #expect(grants.cofinancingKZT?.total == (try SamplePortfolio.money((500_000_000, .kzt))))
        #expect(grants.cofinancingKZT?.unconverted == (try SamplePortfolio.money((100_000, .eur))))
        #expect(grants.cofinancingKZT?.ratesUsed.isEmpty == true)
        // One list of the rates for the whole report.
        #expect(report.ratesUsed.map(\.key) == ["EUR-2025-09-01", "USD-2025-01-01"])

        // The JSON has them (and the list), the HTML shows the same figures.
        let json = try #require(try jsonObject(report.json()) as? [String: Any])
        let autm = try #require(json["autm"] as? [String: Any])
        let licenceIncome = try #require(autm["licence_income"] as? [String: Any])
        let totalKZT = try #require(licenceIncome["total_kzt"] as? [String: Any])
        #expect((totalKZT["total"] as? [[String: Any]])?.first?["minor_units"] as? Int == 2_369_621_789)
        let kz = try #require(json["kazakhstan"] as? [String: Any])
        let grantJSON = try #require(kz["grant_funding"] as? [String: Any])
        let cofinancing = try #require(grantJSON["cofinancing_kzt"] as? [String: Any])
        #expect((cofinancing["unconverted"] as? [[String: Any]])?.first?["currency"] as? String == "EUR")
        #expect((json["rates_used"] as? [[String: Any]])?.map { $0["key"] as? String } == ["EUR-2025-09-01", "USD-2025-01-01"])
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        let html = report.html()
        #expect(
            html.contains(
                "data-figure=\"autm.licence_income.total_kzt.total.KZT.minor_units\" data-value=\"2369621789\">23 696 217.89 KZT<"))
        #expect(html.contains("id=\"rate-EUR-2025-09-01\""))
        let table = report.table()
        #expect(table.contains("EUR 545.58 KZT (2025-09-01, test rates)"))
        #expect(table.contains("23 696 217.89 KZT"))

        // Without the EUR rate, the EUR income is left apart: 7 284 617.89 + 5 500 000.00 = 12 784 617.89.
        let usdOnly = try ExchangeRates([Self.rates.rates[1]])
        let partial = try IndicatorReport.compute(for: Self.year2025, from: Self.portfolio, rates: usdOnly)
        let apart = try #require(partial.autm.licenceIncome.totalKZT)
        #expect(apart.total == (try SamplePortfolio.money((1_278_461_789, .kzt))))
        #expect(apart.unconverted == (try SamplePortfolio.money((2_000_000, .eur))))
        #expect(partial.ratesUsed.map(\.key) == ["USD-2025-01-01"])
        try ReportChecks.htmlCarriesEveryJSONFigure(partial)
        #expect(partial.table().contains("no rate for"))

        // Without rates: no KZT figure anywhere, no list.
        let none = try IndicatorReport.compute(for: Self.year2025, from: Self.portfolio)
        #expect(none.conversions.isEmpty)
        #expect((try jsonObject(none.json()) as? [String: Any])?["rates_used"] == nil)
    }

    @Test("Triple-Helix links count each pair of participants of an agreement executed in the period by their sectors")
    func tripleHelixOfTheSamplePortfolio() throws {
        let helix = try IndicatorReport.compute(for: Self.year2025, from: SamplePortfolio.portfolio).kazakhstan.tripleHelix
        // Executed in 2025, each with one counterparty: the university office (academia) with
        // industry in; government in A-7; academia in A-8; other in A-14;
        // the technopark office (other) with industry in A-9.
        #expect(helix.agreements == 9 && helix.links == 9)
        let rows = Dictionary(uniqueKeysWithValues: helix.matrix.map { ($0.key, $0) })
        #expect(helix.matrix.map(\.key) == ["academia", "industry", "government", "other"])
        #expect(rows["academia"] == TripleHelix.Row(key: "academia", academia: 1, industry: 5, government: 1, other: 1))
        #expect(rows["industry"] == TripleHelix.Row(key: "industry", academia: 5, industry: 0, government: 0, other: 1))
        #expect(rows["government"] == TripleHelix.Row(key: "government", academia: 1, industry: 0, government: 0, other: 0))
        #expect(rows["other"] == TripleHelix.Row(key: "other", academia: 1, industry: 1, government: 0, other: 0))
    }

    @Test("an agreement with several counterparties links every pair once; one named twice counts once")
    func tripleHelixOfAConsortium() throws {
        var portfolio = SamplePortfolio.portfolio
        // The university office (academia), KazMunayGas and EcoSorb (industry), the ministry (government).
        portfolio.agreements = [
            Agreement(
                id: 1, office: 1, reference: "C-1", kind: .sponsoredResearch, counterparties: [2, 5, 3, 2],
                term: AgreementTerm(startsOn: day("2025-05-01")), executedOn: day("2025-05-01"), state: .active),
            Agreement(
                id: 2, office: 1, reference: "C-2", kind: .nda, counterparties: [6],
                term: AgreementTerm(startsOn: day("2024-05-01")), executedOn: day("2024-05-01"), state: .active),
        ]
        let report = try IndicatorReport.compute(for: Self.year2025, from: portfolio)
        let helix = report.kazakhstan.tripleHelix
        // Pairs: office–KMG, office–ministry, office–EcoSorb (a–i, a–g, a–i), KMG–ministry (i–g),
        // KMG–EcoSorb (i–i), ministry–EcoSorb (g–i): 6 links; C-2 is outside the period.
        #expect(helix.agreements == 1 && helix.links == 6)
        let rows = Dictionary(uniqueKeysWithValues: helix.matrix.map { ($0.key, $0) })
        #expect(rows["academia"] == TripleHelix.Row(key: "academia", academia: 0, industry: 2, government: 1, other: 0))
        #expect(rows["industry"] == TripleHelix.Row(key: "industry", academia: 2, industry: 1, government: 2, other: 0))
        #expect(rows["government"] == TripleHelix.Row(key: "government", academia: 1, industry: 2, government: 0, other: 0))
        #expect(rows["other"]?.count(with: .academia) == 0)
        // Shown as a table in every language, each cell a figure.
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        #expect(report.html().contains("data-figure=\"kazakhstan.triple_helix.matrix.industry.government\" data-value=\"2\""))
        #expect(report.table(language: .kazakh).contains("«Үштік спираль» байланыстары"))
        #expect(report.table().contains("6 links in 1 agreements"))
    }
}
