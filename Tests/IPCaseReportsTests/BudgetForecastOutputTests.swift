import Foundation
import IPCase
import IPCaseReports
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The forecast's table, CSV, JSON and HTML carry the same figures: two EP rights (years 5 and 6
/// at 1 000 and 1 155 EUR, EPO Rules relating to Fees Art. 2(1) item 4 from 1 April 2024) and
/// a small-entity US patent (860 USD at 3.5 years, 37 CFR 1.20(e)) with no USD rate.
@Suite("Budget forecast outputs")
struct BudgetForecastOutputTests {
    static let forecast = make(detail: false)

    static func make(detail: Bool) -> BudgetForecast {
        let rights = [
            ForecastRight(
                right: 1, reference: "EP-1", jurisdiction: .european, kind: .patent, family: "F<1>",
                events: [RightEvent(.filed, on: day("2023-03-14"))]),
            ForecastRight(
                right: 2, reference: "EP-2", jurisdiction: .european, kind: .patent, family: "F<1>",
                events: [RightEvent(.filed, on: day("2023-05-02"))]),
            ForecastRight(
                right: 3, reference: "US-1", jurisdiction: .unitedStates, kind: .patent, entitySize: .small,
                events: [RightEvent(.filed, on: day("2022-01-10")), RightEvent(.granted, on: day("2024-02-06"))]),
        ]
        let rates = try! ExchangeRates([
            ExchangeRate(currency: .eur, date: day("2026-12-01"), kzt: "600", source: "NBK & co")
        ])
        return try! BudgetForecast(
            rights: rights, from: day("2027-01-01"), years: 2, by: .family, rates: rates, detail: detail)
    }

    @Test func theTableCSVAndJSONGiveTheSameSums() throws {
        let forecast = Self.forecast
        // 2027: EP-1 y5 (03-31) + EP-2 y5 (05-31) = 2 000 EUR = 1 200 000 KZT; US-1 860 USD, no rate.
        // 2028: EP-1 y6 + EP-2 y6 = 2 310 EUR = 1 386 000 KZT.
        #expect(
            forecast.csv()
                == "year,family,fees,unconfirmed,kzt,unconverted\r\n2027,F<1>,2,2,1200000.00,\r\n"
                + "2027,no family,1,1,0.00,860.00 USD\r\n2028,F<1>,2,2,1386000.00,\r\n")
        let text = forecast.text(officeName: "TTO")
        #expect(text.contains("Total: 2 586 000.00 KZT for 5 fees of 3 rights, plus 860.00 USD with no rate"), "\(text)")
        #expect(text.contains("Rates used: EUR 600 KZT (2026-12-01, NBK & co)"))
        let json = try #require(jsonObject(try forecast.json(officeName: "TTO")) as? [String: Any])
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["kzt"] as? String == "2586000.00")
        let years = try #require(json["years"] as? [[String: Any]])
        #expect(years.map { $0["kzt"] as? String } == ["1200000.00", "1386000.00"])
        let detail = Self.make(detail: true).csv(detail: true).split(separator: "\r\n")
        #expect(detail.count == 6 && detail[1] == "2027-03-31,no,EP-1,EP.renewal,5,1000.00,EUR,600000.00,unconfirmed,F<1>")
    }

    @Test func theHTMLIsWellFormedEscapedAndItsBarsAddUpToTheYears() throws {
        let html = Self.forecast.html(officeName: "TTO <Almaty>")
        #expect(html.contains("TTO &lt;Almaty&gt;") && !html.contains("<Almaty>") && !html.contains("<script"))
        final class Bars: NSObject, XMLParserDelegate {
            var values: [Int64] = []
            var figures: [String: String] = [:]
            func parser(
                _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]
            ) {
                if elementName == "rect", let value = attributes["data-chart-value"] { values.append(Int64(value)!) }
                if let figure = attributes["data-figure"] { figures[figure] = attributes["data-value"] }
            }
        }
        let bars = Bars()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = bars
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        // The USD fee has no rate: no segment for it; the EUR years are one segment each.
        #expect(bars.values == [1_200_000_00, 1_386_000_00])
        #expect(bars.figures["total.kzt"] == "2586000.00")
        #expect(bars.figures["years.2027.F<1>.kzt"] == "1200000.00")
    }
}
