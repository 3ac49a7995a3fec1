/// Splits an integer total into parts proportional to integer weights so that the parts always
/// sum exactly to the total: the largest-remainder (Hamilton) method.
///
/// The rule, for a total `T ≥ 0` and weights `w₁ … wₙ` with sum `W > 0`:
/// 1. each part starts as the floor of `T × wᵢ / W` (exact 128-bit arithmetic, no floating point);
/// 2. the leftover `T − Σ floors` (always fewer than `n` units) is handed out one unit at a time
///    to the parts with the largest fractional remainders `(T × wᵢ) mod W`;
/// 3. equal remainders are broken by a stable order: the earlier-listed part first.
///
/// A negative total is split as the negation of the split of its magnitude, so a reversal mirrors
/// the original exactly. No part is ever negative for a non-negative total, a zero weight always
/// gets zero, and each part differs from its exact share by less than one unit.
///
/// ```swift
/// try LargestRemainder.split(100, weights: [1, 1, 1])   // [34, 33, 33]
/// try LargestRemainder.split(1, weights: [3_333, 3_333, 3_334])   // [0, 0, 1]
/// ```
public enum LargestRemainder {
    /// Splits `total` by `weights`.
    /// - Throws: ``MoneyError/invalidWeights(_:)`` when there are no weights, a weight is
    ///   negative, all are zero, or their sum overflows.
    public static func split(_ total: Int64, weights: [Int64]) throws(MoneyError) -> [Int64] {
        guard !weights.isEmpty else { throw .invalidWeights("no weights") }
        var sum: UInt64 = 0
        for weight in weights {
            guard weight >= 0 else { throw .invalidWeights("weight \(weight) is negative") }
            let (next, overflow) = sum.addingReportingOverflow(UInt64(weight))
            guard !overflow else { throw .invalidWeights("the weights' sum overflows") }
            sum = next
        }
        guard sum > 0 else { throw .invalidWeights("all weights are zero") }

        let magnitude = total.magnitude
        var parts = [UInt64](repeating: 0, count: weights.count)
        var remainders = [UInt64](repeating: 0, count: weights.count)
        var allotted: UInt64 = 0
        for (index, weight) in weights.enumerated() {
            // magnitude × weight ≤ magnitude × sum, so the quotient fits in 64 bits.
            let product = magnitude.multipliedFullWidth(by: UInt64(weight))
            let (quotient, remainder) = sum.dividingFullWidth(product)
            parts[index] = quotient
            remainders[index] = remainder
            allotted += quotient
        }
        let leftover = Int(magnitude - allotted)
        if leftover > 0 {
            let order = weights.indices.sorted { lhs, rhs in
                remainders[lhs] != remainders[rhs] ? remainders[lhs] > remainders[rhs] : lhs < rhs
            }
            for index in order.prefix(leftover) { parts[index] += 1 }
        }
        if total < 0 {
            // Parts sum to |total| ≤ 2⁶³, so each negation fits (2⁶³ itself becomes Int64.min).
            return parts.map { Int64(bitPattern: 0 &- $0) }
        }
        return parts.map { Int64($0) }
    }
}
