import Foundation
import IPCase
import Testing

@Suite("Money")
struct MoneyTests {
    let tenge = Money(minorUnits: 100_00, .kzt)
    let dollar = Money(minorUnits: 1_00, .usd)

    @Test func mixingCurrenciesIsRefused() {
        #expect(throws: MoneyError.currencyMismatch(.kzt, .usd)) { try tenge + dollar }
        #expect(throws: MoneyError.currencyMismatch(.kzt, .usd)) { try tenge - dollar }
        #expect(throws: MoneyError.currencyMismatch(.kzt, .usd)) { try tenge.isLess(than: dollar) }
        #expect(throws: MoneyError.currencyMismatch(.kzt, .usd)) { try Money.sum([tenge, dollar], in: .kzt) }
        #expect(
            MoneyError.currencyMismatch(.kzt, .usd).description
                == "cannot combine KZT and USD amounts; convert one first")
    }

    @Test func sameCurrencyArithmeticIsExact() throws {
        #expect(try tenge + Money(minorUnits: 1, .kzt) == Money(minorUnits: 100_01, .kzt))
        #expect(try tenge - Money(minorUnits: 100_01, .kzt) == Money(minorUnits: -1, .kzt))
        #expect(try tenge.multiplied(by: 3) == Money(minorUnits: 300_00, .kzt))
        #expect(try Money.sum([tenge, tenge, tenge], in: .kzt) == Money(minorUnits: 300_00, .kzt))
        #expect(try Money(major: 5, .jpy) == Money(minorUnits: 5, .jpy))
        #expect(try Money(major: 5, .kwd) == Money(minorUnits: 5_000, .kwd))
    }

    @Test func overflowIsRefused() {
        let huge = Money(minorUnits: .max, .kzt)
        #expect(throws: MoneyError.self) { try huge + Money(minorUnits: 1, .kzt) }
        #expect(throws: MoneyError.self) { try huge.multiplied(by: 2) }
        #expect(throws: MoneyError.self) { try Money(minorUnits: .min, .kzt).negated() }
        #expect(throws: MoneyError.self) { try Money(major: .max / 10, .kzt) }
    }

    struct TextCase: Sendable, CustomTestStringConvertible {
        let minor: Int64
        let currency: Currency
        let text: String
        var testDescription: String { text }
    }

    @Test(
        "formats with thousands grouped by spaces and parses back",
        arguments: [
            TextCase(minor: 123_456_789, currency: .kzt, text: "1 234 567.89 KZT"),
            TextCase(minor: 0, currency: .kzt, text: "0.00 KZT"),
            TextCase(minor: 1, currency: .kzt, text: "0.01 KZT"),
            TextCase(minor: 99, currency: .kzt, text: "0.99 KZT"),
            TextCase(minor: 100_000, currency: .kzt, text: "1 000.00 KZT"),
            TextCase(minor: 100_000_003, currency: .kzt, text: "1 000 000.03 KZT"),
            TextCase(minor: -5, currency: .usd, text: "-0.05 USD"),
            TextCase(minor: -123_400, currency: .eur, text: "-1 234.00 EUR"),
            TextCase(minor: 1_000, currency: .jpy, text: "1 000 JPY"),
            TextCase(minor: 999, currency: .jpy, text: "999 JPY"),
            TextCase(minor: 1_234_567, currency: .kwd, text: "1 234.567 KWD"),
            TextCase(minor: .max, currency: .kzt, text: "92 233 720 368 547 758.07 KZT"),
        ])
    func formatsAndParsesBack(_ testCase: TextCase) throws {
        let money = Money(minorUnits: testCase.minor, testCase.currency)
        #expect(money.description == testCase.text)
        #expect(try Money(parsing: testCase.text) == money)
    }

    @Test(
        "accepts other common spellings",
        arguments: [
            ("KZT 1234567.89", Money(minorUnits: 123_456_789, .kzt)),
            ("1234567.89 kzt", Money(minorUnits: 123_456_789, .kzt)),
            ("12.5 USD", Money(minorUnits: 1_250, .usd)),
            ("  7 RUB ", Money(minorUnits: 700, .rub)),
            ("1\u{00A0}234.00 KZT", Money(minorUnits: 123_400, .kzt)),
            ("1\u{202F}000 JPY", Money(minorUnits: 1_000, .jpy)),
            ("- 3.10 EUR", Money(minorUnits: -310, .eur)),
        ])
    func acceptsOtherSpellings(_ text: String, _ expected: Money) throws {
        #expect(try Money(parsing: text) == expected)
    }

    @Test(
        "refuses ambiguous or malformed text, saying why",
        arguments: [
            ("12.345 USD", "USD has 2 decimal places"),
            ("1.5 JPY", "JPY has no minor unit"),
            ("1,234.56 USD", "use digits, spaces between groups of three, and '.' before the minor units"),
            ("12 34 KZT", "digit groups separated by spaces must have three digits"),
            ("100 XYZ", "'XYZ' is not a known currency code"),
            ("100", "expected an amount and a currency code, e.g. '1 234.56 KZT'"),
            ("1.2.3 KZT", "more than one '.'"),
            ("99999999999999999999 KZT", "too large"),
        ])
    func refusesMalformedText(_ text: String, _ reason: String) {
        #expect(throws: MoneyError.invalidText(text, reason: reason)) { try Money(parsing: text) }
    }

    @Test func currenciesKnowTheirMinorUnits() {
        #expect(Currency(code: "kzt") == .kzt)
        #expect(Currency(code: "KZT")?.minorUnitExponent == 2)
        #expect(Currency(code: "JPY")?.minorUnitExponent == 0)
        #expect(Currency(code: "KWD")?.minorUnitsPerMajor == 1_000)
        #expect(Currency(code: "XYZ") == nil)
        #expect(Set(Currency.known.map(\.code)).count == Currency.known.count)
    }

    @Test func moneyEncodesAsMinorUnitsAndCode() throws {
        let data = try JSONEncoder().encode(Money(minorUnits: 123_45, .kzt))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["minorUnits"] as? Int == 12_345)
        #expect(object?["currency"] as? String == "KZT")
        #expect(try JSONDecoder().decode(Money.self, from: data) == Money(minorUnits: 123_45, .kzt))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(#"{"minorUnits":1,"currency":"XYZ"}"#.utf8))
        }
    }

    @Test func basisPointsReadAndWriteAsPercentages() {
        #expect(BasisPoints(points: 3_333)?.description == "33.33 %")
        #expect(BasisPoints(points: 5)?.description == "0.05 %")
        #expect(BasisPoints.whole.description == "100.00 %")
        #expect(BasisPoints(percent: "33.33 %") == 3_333)
        #expect(BasisPoints(percent: "12.5%") == 1_250)
        #expect(BasisPoints(percent: "100") == .whole)
        #expect(BasisPoints(percent: "100.01") == nil)
        #expect(BasisPoints(percent: "1.234") == nil)
        #expect(BasisPoints(points: 10_001) == nil)
        #expect(BasisPoints(points: -1) == nil)
    }

    @Test func aRoyaltyIsRoundedHalfUpToTheMinorUnit() {
        let royalty = RunningRoyalty(rate: 250, base: .netSales)  // 2.5 %
        #expect(royalty.royalty(on: Money(minorUnits: 1_000_00, .kzt)) == Money(minorUnits: 25_00, .kzt))
        #expect(royalty.royalty(on: Money(minorUnits: 20, .kzt)) == Money(minorUnits: 1, .kzt))  // 0.5 → 1
        #expect(royalty.royalty(on: Money(minorUnits: 19, .kzt)) == Money(minorUnits: 0, .kzt))  // 0.475 → 0
    }
}

@Suite("Largest remainder")
struct MoneyLargestRemainderTests {
    struct SplitCase: Sendable, CustomTestStringConvertible {
        let total: Int64
        let weights: [Int64]
        let parts: [Int64]
        init(_ total: Int64, _ weights: [Int64], _ parts: [Int64]) {
            self.total = total
            self.weights = weights
            self.parts = parts
        }
        var testDescription: String { "\(total) by \(weights)" }
    }

    static let splitCases: [SplitCase] = [
        SplitCase(100, [1, 1, 1], [34, 33, 33]),
        SplitCase(1, [3_333, 3_333, 3_334], [0, 0, 1]),
        SplitCase(2, [1, 1, 1], [1, 1, 0]),
        SplitCase(1_000_003, [5_000, 5_000], [500_002, 500_001]),
        SplitCase(0, [1, 2, 3], [0, 0, 0]),
        SplitCase(10, [0, 1, 0], [0, 10, 0]),
        SplitCase(-100, [1, 1, 1], [-34, -33, -33]),
        SplitCase(7, [1], [7]),
    ]

    @Test("splits exactly, leftovers to the largest remainders, ties to the earlier part", arguments: splitCases)
    func splitsExactly(_ testCase: SplitCase) throws {
        #expect(try LargestRemainder.split(testCase.total, weights: testCase.weights) == testCase.parts)
    }

    @Test func theExtremesOfTheRangeSplitWithoutOverflow() throws {
        let parts = try LargestRemainder.split(.max, weights: [.max / 3, .max / 3, .max / 3])
        #expect(parts.reduce(0, &+) == .max)
        let negative = try LargestRemainder.split(.min, weights: [1, 0])
        #expect(negative == [.min, 0])
        let halves = try LargestRemainder.split(.min, weights: [1, 1])
        #expect(halves == [.min / 2, .min / 2])
    }

    @Test func weightsThatCannotSplitAreRefused() {
        #expect(throws: MoneyError.invalidWeights("no weights")) { try LargestRemainder.split(1, weights: []) }
        #expect(throws: MoneyError.invalidWeights("all weights are zero")) {
            try LargestRemainder.split(1, weights: [0, 0])
        }
        #expect(throws: MoneyError.invalidWeights("weight -1 is negative")) {
            try LargestRemainder.split(1, weights: [2, -1])
        }
        #expect(throws: MoneyError.invalidWeights("the weights' sum overflows")) {
            try LargestRemainder.split(1, weights: [.max, .max, .max])
        }
    }

    @Test func everyPartIsWithinOneUnitOfItsExactShareAndTheyAlwaysSum() throws {
        var generator = SeededGenerator(seed: 2024)
        for _ in 0..<5_000 {
            let total = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)
            let weights = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                Int64.random(in: 0...10_000, using: &generator)
            }
            guard weights.contains(where: { $0 > 0 }) else { continue }
            let parts = try LargestRemainder.split(total, weights: weights)
            let sum = weights.reduce(0, +)
            #expect(parts.reduce(0, +) == total)
            for (part, weight) in zip(parts, weights) {
                // |part × sum − total × weight| < sum, in exact 128-bit arithmetic.
                let exact = total.multipliedFullWidth(by: weight)
                let mine = part.multipliedFullWidth(by: sum)
                let difference =
                    (Int128(mine.high) << 64 | Int128(mine.low)) - (Int128(exact.high) << 64 | Int128(exact.low))
                #expect(difference.magnitude < UInt128(sum))
                #expect(total < 0 || part >= 0)
            }
        }
    }
}
