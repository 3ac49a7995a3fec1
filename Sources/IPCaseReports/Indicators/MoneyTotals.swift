import IPCase

/// Sums of money kept apart per currency (never converted or mixed), sorted by currency code.
///
/// JSON: `[{"currency": "KZT", "minor_units": 150000000, "amount": "1500000.00"}, …]`.
///
/// ```swift
/// var totals = MoneyTotals()
/// try totals.add(Money(minorUnits: 100, .kzt))
/// try totals.add(Money(minorUnits: 5, .usd))
/// totals.amounts   // [1.00 KZT, 0.05 USD]
/// ```
public struct MoneyTotals: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One sum per currency that occurred, sorted by currency code.
    public private(set) var amounts: [Money]

    /// No amounts.
    public init() { amounts = [] }

    /// Whether nothing was added.
    public var isEmpty: Bool { amounts.isEmpty }

    /// Adds `money` to the sum of its currency.
    /// - Throws: `MoneyError.overflow(_:)` when the sum leaves the 64-bit range.
    public mutating func add(_ money: Money) throws(MoneyError) {
        if let index = amounts.firstIndex(where: { $0.currency == money.currency }) {
            amounts[index] = try amounts[index].adding(money)
        } else {
            amounts.append(money)
            amounts.sort { $0.currency < $1.currency }
        }
    }

    /// The sum in `currency`, if any was added.
    public func amount(in currency: Currency) -> Money? { amounts.first { $0.currency == currency } }

    /// `1 500 000.00 KZT + 2 000.00 USD`, or `—` when empty.
    public var description: String {
        amounts.isEmpty ? "—" : amounts.map(\.description).joined(separator: " + ")
    }

    /// The amount as a plain decimal without grouping, e.g. `-1234.56`, `1000` (JPY).
    public static func plainDecimal(_ money: Money) -> String {
        let magnitude = money.minorUnits.magnitude
        let perMajor = UInt64(money.currency.minorUnitsPerMajor)
        var text = (money.minorUnits < 0 ? "-" : "") + String(magnitude / perMajor)
        if money.currency.minorUnitExponent > 0 {
            let minor = String(magnitude % perMajor)
            text += "." + String(repeating: "0", count: money.currency.minorUnitExponent - minor.count) + minor
        }
        return text
    }

    private struct Row: Codable {
        let currency: Currency
        let minorUnits: Int64
        let amount: String

        enum CodingKeys: String, CodingKey {
            case currency
            case minorUnits = "minor_units"
            case amount
        }
    }

    public init(from decoder: any Decoder) throws {
        let rows = try decoder.singleValueContainer().decode([Row].self)
        var totals = MoneyTotals()
        for row in rows { try totals.add(Money(minorUnits: row.minorUnits, row.currency)) }
        self = totals
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(
            amounts.map { Row(currency: $0.currency, minorUnits: $0.minorUnits, amount: MoneyTotals.plainDecimal($0)) })
    }
}

/// Percentages as exact decimal text, from integers (no floating point).
enum Percent {
    /// `part / whole × 100` rounded half up to one decimal, e.g. `1 of 3` → `"33.3"`, `2 of 3` →
    /// `"66.7"`; `nil` when `whole` is zero.
    static func text(_ part: Int, of whole: Int) -> String? {
        guard whole > 0 else { return nil }
        // Tenths of a percent, rounded half up.
        let tenths = (part * 1000 * 2 + whole) / (whole * 2)
        return "\(tenths / 10).\(tenths % 10)"
    }
}
