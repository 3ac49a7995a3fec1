import Foundation
import IPCase
import IPCaseReports
import Testing

@Suite("Indicators")
struct IndicatorTests {
    static let year2025 = try! ReportPeriod.year(2025)

    static func report(office: ID<Office>? = nil, period: ReportPeriod = year2025) throws -> IndicatorReport {
        try IndicatorReport.compute(for: period, from: SamplePortfolio.portfolio, office: office)
    }

    @Test func autmMetricsOfTheSamplePortfolioAreExact() throws {
        let autm = try Self.report().autm
        #expect(autm.disclosuresReceived == 4)  // D-1, D-2, D-3, D-6
        #expect(autm.patentApplications == PatentApplications(firstFilings: 3, all: 6))  // R-1 R-5 R-9 | + R-2 R-3 R-4
        #expect(autm.patentsIssued == 2)  // R-7, R-8 (granted on the last day)
        #expect(autm.utilityModelsRegistered == 1)  // R-5
        #expect(
            autm.licencesAndOptionsExecuted
                == LicenceCounts(total: 5, exclusiveLicences: 2, nonExclusiveLicences: 2, options: 1, toStartups: 2))
        #expect(autm.startupsFormed == 1)  // EcoSorb; OldSpin was formed in 2023
        #expect(autm.activeLicencesAtPeriodEnd == 5)  // A-1 A-2 A-3 A-9, A-10 ended after the period
        let income = autm.licenceIncome
        #expect(income.upfront == (try SamplePortfolio.money((500_000_000, .kzt), (2_000_000, .eur))))
        #expect(income.runningRoyalties == (try SamplePortfolio.money((123_456_789, .kzt), (100_000, .usd))))
        #expect(income.milestones == (try SamplePortfolio.money((75_000_000, .kzt))))
        #expect(income.sublicense == (try SamplePortfolio.money((30_000_000, .kzt))))
        #expect(income.equityCashOuts == (try SamplePortfolio.money((1_000_000, .usd))))
        #expect(income.patentCostReimbursement == (try SamplePortfolio.money((45_000_000, .kzt))))
        #expect(income.other == (try SamplePortfolio.money((5_000, .kzt))))
        #expect(
            income.total
                == (try SamplePortfolio.money((2_000_000, .eur), (728_461_789, .kzt), (1_100_000, .usd))))
    }

    @Test func kazakhPolicyIndicatorsOfTheSamplePortfolioAreExact() throws {
        let kz = try Self.report().kazakhstan
        #expect(
            kz.commercializationIncome.total.amounts.map(\.description) == [
                "20 000.00 EUR", "7 284 617.89 KZT", "11 000.00 USD",
            ])
        #expect(
            kz.commercializationIncome.byAgreementKind == [
                KindIncome(
                    kind: "exclusive-licence", label: "exclusive licence",
                    amounts: try SamplePortfolio.money((698_456_789, .kzt), (100_000, .usd))),
                KindIncome(
                    kind: "non-exclusive-licence", label: "non-exclusive licence",
                    amounts: try SamplePortfolio.money((2_000_000, .eur), (30_000_000, .kzt))),
                KindIncome(
                    kind: "spin-off-equity", label: "spin-off equity agreement",
                    amounts: try SamplePortfolio.money((1_000_000, .usd))),
                KindIncome(
                    kind: "unknown", label: "agreement not supplied", amounts: try SamplePortfolio.money((5_000, .kzt))),
            ])
        #expect(
            kz.licencesByOfficeRegion == [
                Tally(key: "almaty-city", label: "Almaty", count: 3),
                Tally(key: "karaganda", label: "Karaganda Region", count: 1),
            ])
        #expect(
            kz.licencesByLicenseeLocation == [
                Tally(key: "abroad-de", label: "Abroad: DE", count: 1),
                Tally(key: "almaty-city", label: "Almaty", count: 1),
                Tally(key: "atyrau", label: "Atyrau Region", count: 2),
            ])
        let green = kz.greenTechnology
        #expect(green.rights == 6)
        #expect(green.classified == 5)  // R-5 has no disclosure
        #expect(green.green == 4)  // R-1, R-2 (wind), R-3 (CCS), R-9 (storage)
        #expect(green.sharePercent == "66.7")
        #expect(
            green.byCategory.map { "\($0.key)=\($0.count)/\($0.sharePercent ?? "-")" } == [
                "alternative-energy-production=2/33.3", "transportation=0/0.0", "energy-conservation=1/16.7",
                "waste-management=1/16.7", "agriculture-forestry=0/0.0", "administrative-regulatory-design=0/0.0",
                "nuclear-power-generation=0/0.0",
            ])
        #expect(
            kz.partnersBySector.map { "\($0.key)=\($0.count)" } == [
                "academia=1", "industry=4", "government=1", "other=1",
            ])
        let funding = kz.fundingSources
        #expect(funding.disclosures == 4)
        #expect(funding.unspecified == 1)
        #expect(
            funding.bySource.map { "\($0.key)=\($0.count)/\($0.sharePercent ?? "-")" } == [
                "state-budget=2/50.0", "grant-programme=1/25.0", "own-funds=1/25.0", "venture=0/0.0", "foreign=0/0.0",
            ])
        #expect(
            kz.filingsByRoute.map { "\($0.key)=\($0.count)" } == [
                "national-kz=3", "eurasian-ea=1", "pct-wo=1", "foreign=1",
            ])
    }

    @Test func oneOfficeCountsOnlyItsOwnRecords() throws {
        let report = try Self.report(office: 1)
        #expect(report.office == 1)
        #expect(report.autm.disclosuresReceived == 3)
        #expect(report.autm.patentApplications == PatentApplications(firstFilings: 2, all: 5))
        #expect(report.autm.licencesAndOptionsExecuted.total == 4)
        #expect(report.autm.activeLicencesAtPeriodEnd == 4)
        #expect(report.autm.licenceIncome.runningRoyalties == (try SamplePortfolio.money((123_456_789, .kzt))))
        #expect(report.kazakhstan.greenTechnology.sharePercent == "60.0")
        #expect(report.kazakhstan.licencesByOfficeRegion == [Tally(key: "almaty-city", label: "Almaty", count: 3)])
        #expect(report.kazakhstan.fundingSources.bySource[0].sharePercent == "33.3")
    }

    @Test func anEmptyPeriodHasZerosNoMoneyAndNoShares() throws {
        let report = try Self.report(period: try ReportPeriod.year(2030))
        #expect(report.autm.disclosuresReceived == 0)
        #expect(report.autm.patentApplications == PatentApplications(firstFilings: 0, all: 0))
        #expect(report.autm.licencesAndOptionsExecuted.total == 0)
        #expect(report.autm.licenceIncome == LicenceIncome())
        #expect(report.autm.activeLicencesAtPeriodEnd == 4)  // open-ended licences run on
        #expect(report.kazakhstan.commercializationIncome.total.isEmpty)
        #expect(report.kazakhstan.commercializationIncome.byAgreementKind.isEmpty)
        #expect(report.kazakhstan.greenTechnology.sharePercent == nil)
        #expect(report.kazakhstan.fundingSources.bySource.allSatisfy { $0.count == 0 && $0.sharePercent == nil })
        #expect(report.kazakhstan.partnersBySector.allSatisfy { $0.count == 0 })
        #expect(report.kazakhstan.licencesByOfficeRegion.isEmpty)
        // The HTML of an empty report is still well-formed and carries every JSON figure.
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        let empty = try IndicatorReport.compute(for: Self.year2025, from: Portfolio())
        #expect(empty.autm.activeLicencesAtPeriodEnd == 0)
        #expect(empty.kazakhstan.filingsByRoute.allSatisfy { $0.count == 0 })
        try ReportChecks.htmlCarriesEveryJSONFigure(empty)
    }

    @Test func licencesStillInForceCountAsActiveInLaterYears() throws {
        // In 2030: A-1, A-2, A-3, A-9 are in force with open-ended terms; A-10 ended in 2026.
        #expect(try Self.report(period: try ReportPeriod.year(2030)).autm.activeLicencesAtPeriodEnd == 4)
        // At the end of 2022: A-10 (ended 2026) and A-12 (term to mid-2025) are; A-11 has no known end date.
        #expect(try Self.report(period: try ReportPeriod.year(2022)).autm.activeLicencesAtPeriodEnd == 2)
    }

    @Test("exports are licences to and income from licensees abroad; copyright registrations count by kind and region")
    func exportsAndCopyrightRegistrations() throws {
        let kz = try Self.report().kazakhstan
        // A-3 to Siemens AG (DE); the assignment to Frontier Fund (US) is not a licence.
        #expect(kz.exports.licencesAbroad == 1)
        #expect(kz.exports.income.amounts.map(\.description) == ["20 000.00 EUR"])
        let registrations = kz.copyrightRegistrations
        #expect(registrations.total == 2)
        #expect(registrations.byKind.map { "\($0.key)=\($0.count)" } == ["software=1", "database=1", "work=0"])
        #expect(registrations.byOfficeRegion.map { "\($0.key)=\($0.count)" } == ["almaty-city=1", "karaganda=1"])
        // Office 2 alone: its database, and no exports.
        let second = try Self.report(office: 2).kazakhstan
        #expect(second.copyrightRegistrations.byOfficeRegion.map { "\($0.key)=\($0.count)" } == ["karaganda=1"])
        #expect(second.exports.licencesAbroad == 0 && second.exports.income.amounts.isEmpty)
        let text = try Self.report().table()
        #expect(text.contains("Exports: licences to licensees abroad"))
        #expect(text.contains("Copyright registrations"))
    }

    @Test("with a rate table, export income is also given in KZT at the rate of the day received, naming the rates")
    func exportIncomeInTenge() throws {
        let day = { (text: String) in try CivilDate(iso: text) }
        // A-3's 20 000 EUR arrived on 2025-09-30: the rate of 2025-09-01 applies, not the later one.
        let rates = try ExchangeRates([
            ExchangeRate(currency: .eur, date: day("2025-09-01"), kzt: "545.58", source: "test rates"),
            ExchangeRate(currency: .eur, date: day("2025-10-01"), kzt: "600", source: "test rates"),
            ExchangeRate(currency: .usd, date: day("2025-01-01"), kzt: "500", source: "test rates"),
        ])
        let report = try IndicatorReport.compute(for: Self.year2025, from: SamplePortfolio.portfolio, rates: rates)
        let converted = try #require(report.kazakhstan.exports.incomeKZT)
        #expect(converted.total.amounts.map(\.description) == ["10 911 600.00 KZT"])
        #expect(converted.ratesUsed.map(\.description) == ["EUR 545.58 KZT (2025-09-01, test rates)"])
        #expect(converted.unconverted.isEmpty)
        // Without rates there is no KZT figure; with a table lacking EUR, the income stays apart.
        #expect(try Self.report().kazakhstan.exports.incomeKZT == nil)
        let usdOnly = try ExchangeRates([rates.rates[2]])
        let apart = try #require(
            try IndicatorReport.compute(for: Self.year2025, from: SamplePortfolio.portfolio, rates: usdOnly)
                .kazakhstan.exports.incomeKZT)
        #expect(apart.total.amounts.map(\.description) == ["0.00 KZT"] && apart.ratesUsed.isEmpty)
        #expect(apart.unconverted.amounts.map(\.description) == ["20 000.00 EUR"])
        // Every output shows it: the table, the HTML (every JSON figure), the JSON.
        #expect(report.table().contains("EUR 545.58 KZT (2025-09-01, test rates)"))
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        try ReportChecks.htmlCarriesEveryJSONFigure(
            try IndicatorReport.compute(for: Self.year2025, from: SamplePortfolio.portfolio, rates: usdOnly))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let exports = try #require((json["kazakhstan"] as? [String: Any])?["exports"] as? [String: Any])
        let kzt = try #require(exports["income_kzt"] as? [String: Any])
        #expect((kzt["total"] as? [[String: Any]])?.first?["minor_units"] as? Int == 1_091_160_000)
        #expect((kzt["rates_used"] as? [[String: Any]])?.first?["kzt"] as? String == "545.58")
    }

    @Test("inventors and authors by gender and career stage count only those who consented, and hide counts under 5")
    func creatorsAreCountedWithConsentAndSmallCountsHidden() throws {
        let consent = try CivilDate(iso: "2025-01-15")
        func person(_ id: Int64, _ gender: Party.Gender?, _ stage: Party.CareerStage? = .senior) -> Party {
            Party(
                id: ID(id), kind: .person, name: "Person \(id)", roles: [.inventor], sector: .academia,
                demographics: gender.map { Party.Demographics(consentedOn: consent, gender: $0, careerStage: stage) })
        }
        // Five women and one man consented; one person did not; one consented and gave nothing.
        var nothing = person(8, nil)
        nothing.demographics = Party.Demographics(consentedOn: consent)
        let people = (1...5).map { person($0, .female) } + [person(6, .male), person(7, nil), nothing]
        func disclosure(_ id: ID<Disclosure>, _ inventors: [Int64], received: String) throws -> Disclosure {
            Disclosure(
                id: id, office: 1, reference: "D-\(id.rawValue)", title: "D", receivedOn: try CivilDate(iso: received),
                inventors: inventors.map { InventorShare(ID($0), BasisPoints(points: 10_000 / inventors.count)!) })
        }
        var portfolio = Portfolio(
            offices: [SamplePortfolio.office1], parties: people,
            disclosures: [
                try disclosure(1, [1, 2, 3], received: "2025-03-01"), try disclosure(2, [3, 4, 5, 6, 7, 8], received: "2025-06-01"),
            ])
        var creators = try IndicatorReport.compute(for: Self.year2025, from: portfolio).kazakhstan.creators
        #expect(creators.people == 8)
        #expect(creators.recorded == 6)
        // One man alone would be "<5", and the five women would give him away: both hidden.
        #expect(creators.byGender.map { "\($0.key)=\($0.shown)" } == ["female=<5", "male=<5", "non-binary=0", "undisclosed=0"])
        #expect(creators.byGender.first?.count == nil)
        #expect(creators.byCareerStage.map { "\($0.key)=\($0.shown)" } == ["student=0", "early-career=0", "mid-career=0", "senior=6"])

        // Six of each: nothing to hide.
        portfolio.parties = (1...12).map { person($0, $0 <= 6 ? .female : .male, $0 % 2 == 0 ? .student : .senior) }
        portfolio.disclosures = [try disclosure(1, Array(1...12), received: "2025-03-01")]
        creators = try IndicatorReport.compute(for: Self.year2025, from: portfolio).kazakhstan.creators
        #expect(creators.byGender.map { "\($0.key)=\($0.shown)" } == ["female=6", "male=6", "non-binary=0", "undisclosed=0"])
        #expect(creators.byCareerStage.map { "\($0.key)=\($0.shown)" } == ["student=6", "early-career=0", "mid-career=0", "senior=6"])
        let html = try IndicatorReport.compute(for: Self.year2025, from: portfolio).html()
        #expect(html.contains("data-figure=\"kazakhstan.creators.by_gender.female.count\" data-value=\"6\""))
    }

    @Test func currenciesAreNeverMixed() throws {
        var portfolio = SamplePortfolio.portfolio
        portfolio.payments = [
            SamplePortfolio.payment(1, 1, 100, .kzt, .royalty, on: "2025-01-01"),
            SamplePortfolio.payment(2, 1, 100, .usd, .royalty, on: "2025-01-02"),
            SamplePortfolio.payment(3, 1, 7, .jpy, .royalty, on: "2025-01-03"),
            SamplePortfolio.payment(4, 1, 1, .kwd, .royalty, on: "2025-01-04"),
            SamplePortfolio.payment(5, 1, 250, .kzt, .royalty, on: "2025-01-05"),
        ]
        let report = try IndicatorReport.compute(for: Self.year2025, from: portfolio)
        let royalties = report.autm.licenceIncome.runningRoyalties
        #expect(royalties.amounts.map(\.description) == ["7 JPY", "0.001 KWD", "3.50 KZT", "1.00 USD"])
        #expect(report.kazakhstan.commercializationIncome.total == royalties)
        let json = try #require(try jsonObject(report.json()) as? [String: Any])
        let autm = try #require(json["autm"] as? [String: Any])
        let income = try #require(autm["licence_income"] as? [String: Any])
        let rows = try #require(income["running_royalties"] as? [[String: Any]])
        #expect(rows.map { $0["currency"] as? String } == ["JPY", "KWD", "KZT", "USD"])
        #expect(rows.map { $0["amount"] as? String } == ["7", "0.001", "3.50", "1.00"])
        #expect(rows.map { $0["minor_units"] as? Int } == [7, 1, 350, 100])
    }

    @Test func periodsRefuseToEndBeforeTheyStart() throws {
        #expect(throws: ReportPeriod.Invalid.self) { try ReportPeriod(from: day("2025-02-01"), to: day("2025-01-31")) }
        let single = try ReportPeriod(from: day("2025-02-01"), to: day("2025-02-01"))
        #expect(single.contains(day("2025-02-01")))
        #expect(!single.contains(day("2025-02-02")))
        #expect(try ReportPeriod.year(2024).to == day("2024-12-31"))
        let bad = Data(#"{"from": "2025-03-01", "to": "2025-01-01"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReportPeriod.self, from: bad) }
    }

    @Test func jsonHasStableDocumentedKeysAndDecodesBack() throws {
        let report = try Self.report()
        let text = report.json()
        #expect(text == (try Self.report()).json(), "same input, same bytes")
        let object = try #require(try jsonObject(text) as? [String: Any])
        #expect(
            Set(object.keys) == ["schema", "period", "office", "green_inventory", "autm", "kazakhstan", "patent_costs"])
        let costs = try #require(object["patent_costs"] as? [String: Any])
        #expect(
            Set(costs.keys) == [
                "total", "by_year_and_jurisdiction", "by_year_and_disclosure", "recovery", "per_right",
            ])  // total_kzt only with a rate table
        #expect(object["schema"] as? String == "ipcase.indicators/1")
        #expect(object["office"] is NSNull)
        let autm = try #require(object["autm"] as? [String: Any])
        #expect(
            Set(autm.keys) == [
                "disclosures_received", "patent_applications", "patents_issued", "utility_models_registered",
                "licences_and_options_executed", "licence_income", "startups_formed", "active_licences_at_period_end",
            ])
        let kz = try #require(object["kazakhstan"] as? [String: Any])
        #expect(
            Set(kz.keys) == [
                "commercialization_income", "licences_by_office_region", "licences_by_licensee_location",
                "green_technology", "partners_by_sector", "funding_sources", "filings_by_route", "exports",
                "copyright_registrations", "creators", "startups", "grant_funding", "by_region", "triple_helix",
            ])
        let inventory = try #require(object["green_inventory"] as? [String: Any])
        #expect(inventory["coverage"] as? String == "subset")
        #expect(try IndicatorReport.decode(json: Data(text.utf8)) == report)
    }

    @Test func htmlIsWellFormedSelfContainedAndCarriesEveryJSONFigure() throws {
        let report = try Self.report()
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        let html = report.html(title: "Indicators <2025> & more", officeName: "Satbayev \"TTO\" <Almaty>")
        #expect(html.contains("Indicators &lt;2025&gt; &amp; more"))
        #expect(html.contains("Satbayev &quot;TTO&quot; &lt;Almaty&gt;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("url("))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("7 284 617.89 KZT"))
    }

    @Test("a report to send names the office, the day it was prepared and who prepared it, in every output")
    func preparationIsShown() throws {
        var report = try Self.report(office: 1)
        report.preparation = IndicatorReport.Preparation(
            officeName: "Satbayev University TTO", preparedOn: day("2026-01-15"), preparedBy: "A. Seitkali <head>")
        let html = report.html()
        #expect(html.contains("Satbayev University TTO") && html.contains("Prepared <time>2026-01-15</time> by A. Seitkali &lt;head&gt;"))
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
        #expect(report.table().contains("Prepared 2026-01-15 by A. Seitkali <head>"))
        let json = try #require(try jsonObject(report.json()) as? [String: Any])
        let preparation = try #require(json["preparation"] as? [String: Any])
        #expect(preparation["office_name"] as? String == "Satbayev University TTO" && preparation["prepared_on"] as? String == "2026-01-15")
        #expect(try IndicatorReport.decode(json: Data(report.json().utf8)) == report)
        #expect(try jsonObject(Self.report().json()) as? [String: Any] != nil)
        #expect((try jsonObject(Self.report().json()) as? [String: Any])?["preparation"] == nil)
    }

    @Test("every region and city of republican significance is listed with its licences and income")
    func everyRegionIsListed() throws {
        let report = try Self.report()
        let regions = report.kazakhstan.byRegion
        #expect(regions.count == 20 && Set(regions.map(\.key)) == Set(Region.allCases.map(\.rawValue)))
        // Office 1 (Almaty): licences A-1, A-2, A-3 and its income; office 2 (Karaganda): A-9 and 1 000.00 USD.
        let almaty = try #require(regions.first { $0.key == "almaty-city" })
        #expect(almaty.licences == 3)
        #expect(almaty.income.amounts.map(\.description) == ["20 000.00 EUR", "7 284 617.89 KZT", "10 000.00 USD"])
        let karaganda = try #require(regions.first { $0.key == "karaganda" })
        #expect(karaganda.licences == 1 && karaganda.income.amounts.map(\.description) == ["1 000.00 USD"])
        #expect(regions.first { $0.key == "ulytau" }?.licences == 0)
        #expect(regions.first { $0.key == "ulytau" }?.income.isEmpty == true)
        try ReportChecks.htmlCarriesEveryJSONFigure(report)
    }

    @Test func textTableShowsTheFigures() throws {
        let text = try Self.report().table(officeName: "All offices")
        #expect(text.hasPrefix("Indicators 2025-01-01 – 2025-12-31 — All offices\n"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("  Disclosures received") && $0.hasSuffix("  4") })
        #expect(
            lines.contains {
                $0.hasPrefix("  Licence income (total)")
                    && $0.hasSuffix("20 000.00 EUR + 7 284 617.89 KZT + 11 000.00 USD")
            })
        #expect(lines.contains { $0.hasPrefix("  Green-technology applications") && $0.hasSuffix("4 of 6 (66.7 %)") })
        #expect(lines.contains { $0.hasPrefix("    Atyrau Region") && $0.hasSuffix("  2") })
        #expect(text.contains("(subset, 2026-11-22): https://www.wipo.int/classifications/ipc/green-inventory/"))
    }
}
