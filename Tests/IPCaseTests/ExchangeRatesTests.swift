import IPCase
import Testing

@Suite("Exchange rates")
struct ExchangeRatesTests {
    static func day(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    static func rate(_ currency: Currency, _ date: String, _ kzt: String, units: Int64 = 1) throws -> ExchangeRate {
        try ExchangeRate(currency: currency, date: day(date), kzt: kzt, units: units, source: "test table")
    }

    @Test("a rate converts exactly, rounding half away from zero to the tiyn")
    func conversionIsExact() throws {
        let eur = try Self.rate(.eur, "2025-09-30", "545.58")
        #expect(try eur.converting(Money(minorUnits: 20_000_00, .eur)).description == "10 911 600.00 KZT")
        // 0.01 EUR × 545.58 = 5.4558 KZT → 5.46; a refund converts to the same magnitude.
        #expect(try eur.converting(Money(minorUnits: 1, .eur)).minorUnits == 546)
        #expect(try eur.converting(Money(minorUnits: -1, .eur)).minorUnits == -546)
        // Exactly half a tiyn rounds away from zero: 0.01 USD × 0.5 = 0.005 KZT.
        let half = try Self.rate(.usd, "2025-01-01", "0.5")
        #expect(try half.converting(Money(minorUnits: 1, .usd)).minorUnits == 1)
        #expect(try half.converting(Money(minorUnits: -1, .usd)).minorUnits == -1)
        let below = try Self.rate(.usd, "2025-01-01", "0.499999")
        #expect(try below.converting(Money(minorUnits: 1, .usd)).minorUnits == 0)
        // A rate per 100 units, for a currency without minor units: 1 000 JPY at 330.5 per 100.
        let yen = try Self.rate(.jpy, "2025-01-01", "330.5", units: 100)
        #expect(try yen.converting(Money(minorUnits: 1_000, .jpy)).description == "3 305.00 KZT")
        // Three minor digits: 1.234 KWD at 1 700.25 = 2 098.1085 → 2 098.11.
        let dinar = try Self.rate(.kwd, "2025-01-01", "1700.25")
        #expect(try dinar.converting(Money(minorUnits: 1_234, .kwd)).description == "2 098.11 KZT")
        #expect(dinar.kztText == "1700.25" && yen.kztText == "330.5" && half.kztText == "0.5")
    }

    @Test("a result beyond the amount range is refused, not wrapped")
    func overflowIsRefused() throws {
        let rate = try Self.rate(.usd, "2025-01-01", "999999999")
        #expect(throws: MoneyError.self) { try rate.converting(Money(minorUnits: .max / 2, .usd)) }
    }

    @Test("a rate that is not a positive decimal, is for KZT or has no units is refused, saying why")
    func badRatesAreRefused() {
        for (text, reason) in [
            ("0", "more than zero"), ("-5", "digits"), ("5,25", "digits"), ("5.", "after '.'"),
            ("1.1234567", "six decimals"), ("", "digits"), ("1e3", "digits"),
        ] {
            #expect {
                try ExchangeRate(currency: .usd, date: Self.day("2025-01-01"), kzt: text, source: "s")
            } throws: { ($0 as? MoneyError)?.description.contains(reason) ?? false }
        }
        #expect(throws: MoneyError.self) {
            try ExchangeRate(currency: .kzt, date: Self.day("2025-01-01"), kzt: "1", source: "s")
        }
        #expect(throws: MoneyError.self) {
            try ExchangeRate(currency: .usd, date: Self.day("2025-01-01"), kzt: "1", units: 0, source: "s")
        }
    }

    @Test("an amount takes the latest rate on or before its day; before the first rate it has none")
    func latestRateOnOrBefore() throws {
        let rates = try ExchangeRates([
            Self.rate(.usd, "2025-03-01", "505.00"), Self.rate(.usd, "2025-01-02", "525.11"),
            Self.rate(.eur, "2025-01-02", "545.58"),
        ])
        #expect(rates.rate(for: .usd, on: Self.day("2025-01-01")) == nil)
        #expect(rates.rate(for: .usd, on: Self.day("2025-01-02"))?.kztText == "525.11")
        #expect(rates.rate(for: .usd, on: Self.day("2025-02-28"))?.kztText == "525.11")
        #expect(rates.rate(for: .usd, on: Self.day("2025-03-01"))?.kztText == "505.00")
        #expect(rates.rate(for: .gbp, on: Self.day("2025-03-01")) == nil)
        #expect(rates.rates.map(\.currency) == [.eur, .usd, .usd])
        #expect(throws: MoneyError.self) {
            try ExchangeRates([Self.rate(.usd, "2025-01-02", "1"), Self.rate(.usd, "2025-01-02", "2")])
        }
    }

    @Test("a conversion sums in KZT, names the rates it used and keeps amounts without a rate apart")
    func conversionNamesRatesAndLeavesTheRestApart() throws {
        let rates = try ExchangeRates([Self.rate(.usd, "2025-01-02", "525.11"), Self.rate(.usd, "2025-03-01", "505")])
        var conversion = KZTConversion()
        try conversion.add(Money(minorUnits: 100_00, .usd), on: Self.day("2025-02-01"), rates: rates)  // 52 511.00
        try conversion.add(Money(minorUnits: 100_00, .usd), on: Self.day("2025-04-01"), rates: rates)  // 50 500.00
        try conversion.add(Money(minorUnits: 1_000_00, .kzt), on: Self.day("2025-04-01"), rates: rates)
        try conversion.add(Money(minorUnits: 5_00, .gbp), on: Self.day("2025-04-01"), rates: rates)
        try conversion.add(Money(minorUnits: 1_00, .usd), on: Self.day("2024-12-31"), rates: rates)
        try conversion.add(Money(minorUnits: 5_00, .gbp), on: Self.day("2025-05-01"), rates: rates)
        #expect(conversion.total.description == "104 011.00 KZT")
        #expect(conversion.ratesUsed.map(\.kztText) == ["525.11", "505"])
        #expect(conversion.unconverted.map(\.description) == ["10.00 GBP", "1.00 USD"])
    }
}
