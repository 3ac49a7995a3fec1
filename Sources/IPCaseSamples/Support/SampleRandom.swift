/// A small seeded pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Every draw is computed with our own integer arithmetic (never the standard library's
/// `random(in:using:)`, whose algorithm may change between releases), so a seed gives the same
/// sample on every platform and toolchain.
///
/// ```swift
/// var random = SampleRandom(seed: 42)
/// random.int(in: 1...6)        // the same roll on every machine
/// random.chance(percent: 20)   // true about one time in five
/// ```
public struct SampleRandom: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator whose whole sequence is decided by `seed`.
    public init(seed: UInt64) {
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator for one part of the sample (a family, a record), independent of how many
    /// numbers other parts drew: `seed` mixed with `stream`.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x6A09_E667_F3BC_C909)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotate(s3, 45)
        return result
    }

    @inlinable
    static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A number in `0..<bound` (Lemire's multiply-high; the tiny bias is irrelevant for samples).
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "an empty range has no random element")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    @inlinable
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Whether an event of probability `percent` % happened.
    @inlinable
    public mutating func chance(percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty collection.
    @inlinable
    public mutating func pick<C: RandomAccessCollection>(_ elements: C) -> C.Element where C.Index == Int {
        elements[elements.startIndex + below(elements.count)]
    }

    /// An index chosen with probability proportional to `weights` (all ≥ 0, some > 0).
    public mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var roll = below(total)
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    /// `count` distinct elements of `elements` in their original order (`count` is capped).
    public mutating func sample<T>(_ elements: [T], count: Int) -> [T] {
        var indices = Array(elements.indices)
        let wanted = min(count, indices.count)
        for position in 0..<wanted {
            let swapWith = position + below(indices.count - position)
            indices.swapAt(position, swapWith)
        }
        return indices.prefix(wanted).sorted().map { elements[$0] }
    }
}
