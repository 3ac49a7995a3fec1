/// An amount of money: integer minor units (tiyn, cents) and an ISO 4217 currency. Never
/// floating point; arithmetic refuses to mix currencies and to overflow.
///
/// ```swift
/// let fee = Money(minorUnits: 123_456_789, .kzt)
/// fee.description                                   // "1 234 567.89 KZT"
/// try Money(parsing: "1 234 567.89 KZT") == fee     // true
/// try fee + Money(minorUnits: 1, .usd)              // throws MoneyError.currencyMismatch
/// ```
public struct Money: Hashable, Sendable, Codable {
    /// The amount in minor units (1 KZT = 100 minor units).
    public let minorUnits: Int64
    /// The currency.
    public let currency: Currency

    /// Creates an amount from minor units.
    public init(minorUnits: Int64, _ currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Creates an amount of whole major units (tenge, dollars).
    /// - Throws: ``MoneyError/overflow(_:)`` when it does not fit.
    public init(major: Int64, _ currency: Currency) throws(MoneyError) {
        let (value, overflow) = major.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        guard !overflow else { throw .overflow("\(major) \(currency.code)") }
        self.init(minorUnits: value, currency)
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency) }

    /// Whether the amount is zero.
    public var isZero: Bool { minorUnits == 0 }
    /// Whether the amount is below zero.
    public var isNegative: Bool { minorUnits < 0 }

    /// The sum of two amounts in the same currency.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (value, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow("\(self) + \(other)") }
        return Money(minorUnits: value, currency)
    }

    /// The difference of two amounts in the same currency.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (value, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow("\(self) − \(other)") }
        return Money(minorUnits: value, currency)
    }

    /// The amount times an integer factor.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (value, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow("\(self) × \(factor)") }
        return Money(minorUnits: value, currency)
    }

    /// The amount with the opposite sign.
    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow("−(\(self))") }
        return Money(minorUnits: -minorUnits, currency)
    }

    /// Whether `self` is less than `other` (same currency only).
    public func isLess(than other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(other)
        return minorUnits < other.minorUnits
    }

    /// The sum of `amounts`, all in `currency` (zero when empty).
    public static func sum(_ amounts: some Sequence<Money>, in currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Splits the amount by integer weights with ``LargestRemainder``: the parts sum exactly to it.
    public func split(by weights: [Int64]) throws(MoneyError) -> [Money] {
        try LargestRemainder.split(minorUnits, weights: weights).map { Money(minorUnits: $0, currency) }
    }

    /// `rate` of the amount, rounded half up to the minor unit (the part of a two-way largest-remainder split).
    public func portion(_ rate: BasisPoints) -> Money {
        // Two positive-sum weights never fail.
        let parts =
            (try? LargestRemainder.split(minorUnits, weights: [Int64(rate.value), Int64(rate.complement.value)]))!
        return Money(minorUnits: parts[0], currency)
    }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
    }

    /// The sum of two amounts in the same currency.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money { try lhs.adding(rhs) }
    /// The difference of two amounts in the same currency.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money { try lhs.subtracting(rhs) }
}
