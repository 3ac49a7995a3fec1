import IPCase

/// The messages of a language together with its conventions for dates, amounts and shares:
/// what every localized output (the indicators' table and HTML, later the web workspace's pages)
/// renders with.
///
/// - English: ISO dates (`2025-12-31`), amounts as IPCase writes them elsewhere
///   (`1 234 567.89 KZT`), the currency's ISO code after the amount.
/// - Kazakh and Russian: `31.12.2025`; digits grouped by threes with a no-break space (U+00A0), a
///   decimal comma, then a no-break space and the currency: `₸` for tenge, the ISO code for every
///   other currency (`1 234 567,89 ₸`, `20 000,00 EUR`), the same way everywhere in a report.
///
/// ```swift
/// let russian = Localizer(.russian)
/// russian.money(Money(minorUnits: 123_456_789, .kzt))   // "1 234 567,89 ₸" (no-break spaces)
/// russian.date(CivilDate(2025, 12, 31)!)                // "31.12.2025"
/// russian("report.title")                               // "Показатели IPCase"
/// ```
public struct Localizer: Hashable, Sendable {
    /// The language.
    public let language: Language
    /// Its messages.
    public let catalog: Catalog

    /// The embedded catalog of `language` with its conventions.
    public init(_ language: Language) {
        self.language = language
        self.catalog = Catalog.standard(language)
    }

    /// The message under `key` (see ``Catalog/callAsFunction(_:_:)``).
    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        catalog(key, arguments)
    }

    /// The name of `value` in this language, the message `prefix` + `value` (`web.right.state.`
    /// + `granted`), or `value` itself when the catalog has none (a code the data added later).
    public func name(_ prefix: String, _ value: String) -> String {
        (try? catalog.message(prefix + value)) ?? value
    }

    /// `count` with its noun in the form the language takes after the number: the message
    /// `key.one`, `key.few` or `key.many` with `{count}` filled (Russian: 1, 21 → one; 2–4, 22–24
    /// → few; 5–20, 25 … → many; English: 1 → one, else many; Kazakh: the noun does not change).
    ///
    /// ```swift
    /// Localizer(.russian).count(3, "notice.days")    // "3 дня"
    /// Localizer(.english).count(1, "notice.days")    // "1 day"
    /// ```
    public func count(_ count: Int, _ key: String) -> String {
        let form: String
        switch language {
        case .russian:
            let (units, tens) = (abs(count) % 10, abs(count) % 100)
            form =
                units == 1 && tens != 11
                ? "one" : (2...4).contains(units) && !(12...14).contains(tens) ? "few" : "many"
        case .english, .kazakh:
            form = count == 1 ? "one" : "many"
        }
        return catalog("\(key).\(form)", ["count": String(count)])
    }

    /// The grouping separator: a space in English, a no-break space in Kazakh and Russian.
    var groupSeparator: String { language == .english ? " " : "\u{00A0}" }
    /// The decimal separator: `.` in English, `,` in Kazakh and Russian.
    var decimalSeparator: String { language == .english ? "." : "," }

    /// A day: `2025-12-31` in English, `31.12.2025` in Kazakh and Russian.
    public func date(_ day: CivilDate) -> String {
        guard language != .english else { return day.description }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(day.day)).\(two(day.month)).\(day.year)"
    }

    /// An amount without its currency, grouped by thousands: `1 234 567.89`, `1 234 567,89`.
    public func amount(_ money: Money) -> String {
        grouped(MoneyTotals.plainDecimal(money))
    }

    /// An amount with its currency: `1 234 567.89 KZT` in English, `1 234 567,89 ₸` in Kazakh
    /// and Russian (`20 000,00 EUR` for other currencies).
    public func money(_ money: Money) -> String {
        guard language != .english else { return money.description }
        return amount(money) + "\u{00A0}" + currencySign(money.currency)
    }

    /// How the language shows a currency: the ISO code, or `₸` for tenge in Kazakh and Russian.
    public func currencySign(_ currency: Currency) -> String {
        language != .english && currency == .kzt ? "₸" : currency.code
    }

    /// Sums per currency joined by ` + `, or `—` when there is none.
    public func money(_ totals: MoneyTotals) -> String {
        totals.isEmpty ? "—" : totals.amounts.map { money($0) }.joined(separator: " + ")
    }

    /// A share in percent from its exact text (`"66.7"` → `66.7 %`, `66,7 %`), `—` without one.
    public func percent(_ text: String?) -> String {
        guard let text else { return "—" }
        return decimal(text) + (language == .english ? " %" : "\u{00A0}%")
    }

    /// A plain decimal (`470.25`) with the language's separators (`470,25`), digits grouped.
    public func decimal(_ text: String) -> String { grouped(text) }

    /// A rate as shown: `EUR 545.58 KZT (2025-09-01, NBK)`, `JPY 100 = 330,5 ₸ (01.09.2025, NBK)`.
    public func rate(_ rate: RateUsed) -> String {
        let per = rate.units == 1 ? rate.currency.code : "\(rate.currency.code) \(rate.units) ="
        return catalog(
            "rate.line",
            [
                "per": per, "kzt": decimal(rate.kzt), "tenge": currencySign(.kzt), "date": date(rate.date),
                "source": rate.source,
            ])
    }

    /// `-1234567.89` → `-1 234 567.89` or `-1 234 567,89`.
    private func grouped(_ plain: String) -> String {
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? plain.dropFirst() : Substring(plain)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        var text = ""
        for (offset, character) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { text += groupSeparator }
            text.append(character)
        }
        if parts.count == 2 { text += decimalSeparator + parts[1] }
        return (negative ? "-" : "") + text
    }
}
