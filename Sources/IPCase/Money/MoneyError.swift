/// Why a money operation was refused.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two amounts in different currencies were combined.
    case currencyMismatch(Currency, Currency)
    /// The result does not fit in 64-bit minor units.
    case overflow(String)
    /// Text that is not an amount with a currency; the reason says what is wrong.
    case invalidText(String, reason: String)
    /// Weights that cannot split an amount (none, negative, or all zero).
    case invalidWeights(String)

    public var description: String {
        switch self {
        case .currencyMismatch(let lhs, let rhs):
            "cannot combine \(lhs.code) and \(rhs.code) amounts; convert one first"
        case .overflow(let operation):
            "\(operation) overflows the amount range"
        case .invalidText(let text, let reason):
            "'\(text)' is not an amount: \(reason)"
        case .invalidWeights(let reason):
            "cannot split an amount: \(reason)"
        }
    }
}
