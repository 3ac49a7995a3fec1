import IPCase
import Testing

/// The forecast over a small portfolio whose every figure is worked out by hand from the fee
/// files: EP renewal fees (EPO Rules relating to Fees Art. 2(1) item 4, as in force from 1 April
/// 2024: year 5 1 000 EUR, year 6 1 155 EUR, year 7 1 310 EUR; EPC Rule 51(2): 50 % more in the
/// grace period) and US maintenance fees for a small entity (37 CFR 1.20(e), 860 USD at 3.5
/// years from 19 January 2025).
@Suite("Budget forecast")
struct BudgetForecastTests {
    public static func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    static func right(
        _ id: Int64, _ reference: String, _ jurisdiction: Jurisdiction, _ events: [RightEvent],
        entity: EntitySize = .large, family: String? = nil, dropped: String? = nil
    ) -> ForecastRight {
        ForecastRight(
            right: ID(rawValue: id), reference: reference, jurisdiction: jurisdiction, kind: .patent,
            entitySize: entity, family: family, events: events, droppedFrom: dropped.map(date))
    }

    public static let portfolio: [ForecastRight] = [
        // Years 5 (due 2027-03-31) and 6 (2028-03-31).
        right(1, "EP-1", .european, [RightEvent(.filed, on: date("2023-03-14"))], family: "F-1"),
        // Year 5 due 2026-09-30 is unpaid but payable in grace to 2027-03-31: 1 500 EUR counted in
        // 2027; year 6 due 2027-09-30, year 7 due 2028-09-30.
        right(2, "EP-2", .european, [RightEvent(.filed, on: date("2022-09-10"))], family: "F-1"),
        // Granted 2024-02-06: the 3.5-year fee is due 2027-08-06, at the small-entity amount.
        right(
            3, "US-1", .unitedStates,
            [RightEvent(.filed, on: date("2022-01-10")), RightEvent(.granted, on: date("2024-02-06"))],
            entity: .small),
        // Dropped from 2028: year 5 (2027-03-31) is paid, year 6 (2028-03-31) is not.
        right(4, "EP-3", .european, [RightEvent(.filed, on: date("2023-03-14"))], dropped: "2028-01-01"),
        // EA annual fees are not in the data: not priced, never guessed.
        right(5, "EA-1", .eurasian, [RightEvent(.filed, on: date("2023-03-14"))]),
        // Year 5 (due 2027-03-31) is paid already: only year 6 (2028-03-31) is left.
        right(
            6, "EP-4", .european,
            [RightEvent(.filed, on: date("2023-03-14")), RightEvent(.annuityPaid, on: date("2027-01-15"), year: 5)]),
    ]

    public static let rates = try! ExchangeRates([
        ExchangeRate(currency: .eur, date: date("2026-12-01"), kzt: "600", source: "NBK 2026-12-01"),
        ExchangeRate(currency: .usd, date: date("2026-12-01"), kzt: "500", source: "NBK 2026-12-01"),
    ])

    @Test func everyFeeIsPricedInTheYearItIsDueAndConvertedAtTheGivenRates() throws {
        let forecast = try BudgetForecast(
            rights: Self.portfolio, from: Self.date("2027-01-01"), years: 2, by: .jurisdiction, rates: Self.rates,
            detail: true)
        let cells = forecast.cells.map { "\($0.year) \($0.group) \($0.fees) \($0.conversion.total)" }
        // 2027 EP: EP-1 y5 600 000 + EP-2 y5 in grace 900 000 + EP-2 y6 693 000 + EP-3 y5 600 000.
        // 2028 EP: EP-1 y6 693 000 + EP-2 y7 786 000 + EP-4 y6 693 000.
        #expect(
            cells == [
                "2027 EP 4 2 793 000.00 KZT", "2027 US 1 430 000.00 KZT", "2028 EP 3 2 172 000.00 KZT",
            ])
        #expect(forecast.total.total == Money(minorUnits: 5_395_000_00, .kzt))
        #expect(forecast.feeCount == 8)
        #expect(forecast.total.ratesUsed.map(\.currency) == [.eur, .usd])
        #expect(forecast.total.unconverted.isEmpty)
        let grace = try #require(forecast.fees.first { $0.reference == "EP-2" && $0.year == FeeYear(5) })
        #expect(grace.inGrace && grace.amount == Money(minorUnits: 1500_00, .eur) && grace.kzt == Money(minorUnits: 900_000_00, .kzt))
        let us = try #require(forecast.fees.first { $0.reference == "US-1" })
        #expect(us.amount == Money(minorUnits: 860_00, .usd) && us.due == Self.date("2027-08-06"))
        #expect(forecast.fees.filter { $0.reference == "EP-4" }.map(\.year) == [FeeYear(6)])
        #expect(forecast.unpriced.map { "\($0.reference) \($0.rule) \($0.year!)" } == ["EA-1 EA.annual-fee 5", "EA-1 EA.annual-fee 6"])
        #expect(forecast.dropped.map { "\($0.reference) \($0.from) \($0.feesSaved)" } == ["EP-3 2028-01-01 1"])
    }

    @Test func aCurrencyWithoutARateStaysApartAndGroupsFollowTheGrouping() throws {
        let forecast = try BudgetForecast(
            rights: Self.portfolio, from: Self.date("2027-01-01"), years: 1, by: .family)
        #expect(forecast.total.total == .zero(.kzt))
        #expect(forecast.total.unconverted == [Money(minorUnits: 4655_00, .eur), Money(minorUnits: 860_00, .usd)])
        #expect(forecast.cells.map(\.group) == ["F-1", "no family"])
        #expect(forecast.cells.first?.fees == 3)
    }

    /// The forecast's fast path prices exactly as a quote with its explanation does, for every fee
    /// of every file at every year it covers, on and after each MCI and VAT change.
    @Test func theLookupOfTotalsEqualsTheQuotes() throws {
        let fees = FeeSchedules.standard
        var checked = 0
        for spec in fees.fees {
            for amount in spec.amounts {
                let year: FeeYear? = amount.years.map { FeeYear(halfYears: Int16(Double($0.split(separator: "-")[0])! * 2)) }
                for due in [spec.validFrom, Self.date("2025-06-30"), Self.date("2026-01-01"), Self.date("2026-09-01")]
                where due >= spec.validFrom {
                    for grace in [false, true] {
                        let quote = fees.quote(
                            rule: spec.rule, kind: spec.kinds?.first ?? .patent, year: year, due: due,
                            entity: spec.entity ?? .large, inGrace: grace)
                        let total = fees.total(
                            rule: spec.rule, kind: spec.kinds?.first ?? .patent, year: year, due: due,
                            entity: spec.entity ?? .large, inGrace: grace)
                        #expect(quote?.total == total?.total && quote?.status == total?.status, "\(spec.id) \(due)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 50)
    }
}
