import Testing

@testable import IPCaseSamples

@Suite("Seeded generator")
struct SampleRandomTests {
    @Test func sameSeedGivesSameSequenceOnEveryRun() {
        var first = SampleRandom(seed: 2024)
        var second = SampleRandom(seed: 2024)
        let a = (0..<64).map { _ in first.next() }
        let b = (0..<64).map { _ in second.next() }
        #expect(a == b)
    }

    /// Reference values pin the algorithm (xoshiro256** seeded by SplitMix64): a change of
    /// algorithm would silently change every sample portfolio.
    @Test func firstDrawsMatchPinnedReferenceValues() {
        var random = SampleRandom(seed: 0)
        let draws = (0..<3).map { _ in random.next() }
        #expect(draws == SampleRandomTests.pinned)
    }

    static let pinned: [UInt64] = [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768]

    @Test func boundedDrawsStayInRange() {
        var random = SampleRandom(seed: 7)
        for _ in 0..<10_000 {
            let value = random.int(in: -3...5)
            #expect((-3...5).contains(value))
        }
    }
}
