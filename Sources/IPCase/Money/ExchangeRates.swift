/// A rate supplied by the user: how many tenge `units` of a currency were worth on a day, and
/// where the figure comes from (e.g. the National Bank of Kazakhstan's official rate). IPCase
/// never fetches rates; a report or forecast converts with the rates it is given and names them.
///
/// The rate is an exact decimal (`470.25` is 47 025 × 10⁻²), never floating point.
public struct ExchangeRate: Hashable, Sendable {
    /// The currency converted from (never KZT).
    public let currency: Currency
    /// The day the rate is for; it applies to amounts dated that day and after, until a later rate.
    public let date: CivilDate
    /// The tenge value of `units` of `currency`, as digits …
    public let kztDigits: Int64
    /// … and the number of them after the decimal point (0–6).
    public let kztScale: Int
    /// How many units of `currency` the rate is for (1, or 10, 100 … where the source quotes so).
    public let units: Int64
    /// Where the figure comes from, as the user gave it.
    public let source: String

    /// Creates a rate, checking it: a currency other than KZT, a positive rate with at most six
    /// decimals, positive units.
    /// - Throws: ``MoneyError/invalidText(_:reason:)`` naming what is wrong.
    public init(currency: Currency, date: CivilDate, kzt text: String, units: Int64 = 1, source: String)
        throws(MoneyError)
    {
        func fail(_ reason: String) -> MoneyError { .invalidText(text, reason: reason) }
        guard currency != .kzt else { throw .invalidText(currency.code, reason: "a rate converts another currency to KZT") }
        guard units > 0 else { throw .invalidText(String(units), reason: "units must be a positive whole number") }
        let parts = PlainText.trimmed(text).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(PlainText.isDigit) })
        else { throw fail("write the tenge value as digits with '.' before any decimals, e.g. 470.25") }
        let decimals = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !decimals.isEmpty else { throw fail("no digits after '.'") }
        guard decimals.count <= 6 else { throw fail("at most six decimals") }
        guard parts[0].count + decimals.count <= 15, let digits = Int64(parts[0] + decimals) else {
            throw fail("too many digits")
        }
        guard digits > 0 else { throw fail("a rate must be more than zero") }
        self.currency = currency
        self.date = date
        self.kztDigits = digits
        self.kztScale = decimals.count
        self.units = units
        self.source = source
    }

    /// The tenge value as written, e.g. `470.25`.
    public var kztText: String {
        guard kztScale > 0 else { return String(kztDigits) }
        var digits = String(kztDigits)
        if digits.count <= kztScale { digits = String(repeating: "0", count: kztScale - digits.count + 1) + digits }
        return digits.dropLast(kztScale) + "." + digits.suffix(kztScale)
    }

    /// `money` in tenge at this rate, rounded half away from zero to the tiyn.
    /// - Precondition: `money` is in ``currency``.
    /// - Throws: ``MoneyError/overflow(_:)`` when the result leaves the 64-bit range.
    public func converting(_ money: Money) throws(MoneyError) -> Money {
        precondition(money.currency == currency, "converting \(money.currency.code) at a \(currency.code) rate")
        // KZT minor = minor × digits × 100 / (10^exponent × 10^scale × units).
        let numerator =
            Int128(money.minorUnits) * Int128(kztDigits) * Int128(Currency.kzt.minorUnitsPerMajor)
        var denominator = Int128(units)
        for _ in 0..<(money.currency.minorUnitExponent + kztScale) { denominator *= 10 }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        var result = quotient
        if remainder.magnitude * 2 >= denominator.magnitude { result += numerator < 0 ? -1 : 1 }
        guard let minor = Int64(exactly: result) else { throw .overflow("converting \(money) to KZT") }
        return Money(minorUnits: minor, .kzt)
    }
}

/// The rates a user supplied, by currency and date (see ``ExchangeRate``).
///
/// An amount dated D converts at the latest rate for its currency dated on or before D. An amount
/// with no such rate is left unconverted, and reports say so; KZT needs no rate.
///
/// ```swift
/// let rates = try ExchangeRates([
///     ExchangeRate(currency: .usd, date: CivilDate(2025, 1, 2)!, kzt: "525.11", source: "NBK"),
/// ])
/// rates.rate(for: .usd, on: CivilDate(2025, 3, 1)!)?.kztText   // "525.11"
/// rates.rate(for: .usd, on: CivilDate(2024, 12, 31)!)         // nil: no rate yet
/// ```
public struct ExchangeRates: Hashable, Sendable {
    /// Every rate, by currency code then date.
    public let rates: [ExchangeRate]
    private let byCurrency: [Currency: [ExchangeRate]]

    /// No rates: nothing converts but KZT.
    public static let none = ExchangeRates(checked: [])

    private init(checked sorted: [ExchangeRate]) {
        self.rates = sorted
        self.byCurrency = Dictionary(grouping: sorted, by: \.currency)
    }

    /// A table of `rates`.
    /// - Throws: ``MoneyError/invalidText(_:reason:)`` when two rates are for the same currency and day.
    public init(_ rates: [ExchangeRate]) throws(MoneyError) {
        let sorted = rates.sorted { ($0.currency, $0.date) < ($1.currency, $1.date) }
        for (earlier, later) in zip(sorted, sorted.dropFirst())
        where earlier.currency == later.currency && earlier.date == later.date {
            throw .invalidText(
                "\(later.currency.code) \(later.date)", reason: "two rates for the same currency and day")
        }
        self.init(checked: sorted)
    }

    /// Whether the table has no rates.
    public var isEmpty: Bool { rates.isEmpty }

    /// The rate for an amount in `currency` dated `date`: the latest on or before it.
    public func rate(for currency: Currency, on date: CivilDate) -> ExchangeRate? {
        guard let rates = byCurrency[currency] else { return nil }
        return rates.last { $0.date <= date }
    }

    public static func == (lhs: ExchangeRates, rhs: ExchangeRates) -> Bool { lhs.rates == rhs.rates }
    public func hash(into hasher: inout Hasher) { hasher.combine(rates) }
}

/// Amounts converted to tenge with ``ExchangeRates``: the sum, the rates used, and what could not
/// be converted for want of a rate (kept per currency).
///
/// JSON: `{"total": [{"currency": "KZT", …}], "rates_used": [{"currency": "USD", "date": "2025-01-02",
/// "kzt": "525.11", "units": 1, "source": "NBK"}], "unconverted": [{"currency": "GBP", …}]}`.
public struct KZTConversion: Hashable, Sendable {
    /// The sum in KZT of every amount converted (and of every KZT amount).
    public private(set) var total: Money = .zero(.kzt)
    /// The rates applied, by currency then date.
    public private(set) var ratesUsed: [ExchangeRate] = []
    /// Per currency, the amounts that had no rate on or before their date.
    public private(set) var unconverted: [Money] = []

    /// Nothing converted yet.
    public init() {}

    /// Adds `money` dated `date`, converted at the rate in force that day (KZT as it is).
    /// - Throws: ``MoneyError/overflow(_:)`` when a sum leaves the 64-bit range.
    public mutating func add(_ money: Money, on date: CivilDate, rates: ExchangeRates) throws(MoneyError) {
        guard money.currency != .kzt else {
            total = try total.adding(money)
            return
        }
        guard let rate = rates.rate(for: money.currency, on: date) else {
            if let index = unconverted.firstIndex(where: { $0.currency == money.currency }) {
                unconverted[index] = try unconverted[index].adding(money)
            } else {
                unconverted.append(money)
                unconverted.sort { $0.currency < $1.currency }
            }
            return
        }
        total = try total.adding(rate.converting(money))
        if !ratesUsed.contains(rate) {
            ratesUsed.append(rate)
            ratesUsed.sort { ($0.currency, $0.date) < ($1.currency, $1.date) }
        }
    }
}
