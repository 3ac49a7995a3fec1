import IPCase

/// Exactly `count` generated rights with their histories, produced lazily family by family, for
/// imports and benchmarks at scale. Iterating twice gives the same rights.
///
/// ```swift
/// for sample in SamplePortfolio.rights(count: 100_000, seed: 7, asOf: today) {
///     csv.append(sample)   // memory stays flat
/// }
/// ```
public struct SampleRights: Sequence, Sendable {
    /// How many rights the sequence yields.
    public let count: Int
    /// The seed.
    public let seed: UInt64
    /// The day the histories run up to.
    public let asOf: CivilDate
    /// The office and attorney of each family, in turn.
    public let desks: [SampleDesk]

    /// Creates the sequence; `desks` must not be empty.
    public init(count: Int, seed: UInt64, asOf: CivilDate, desks: [SampleDesk]) {
        precondition(!desks.isEmpty, "generated rights need at least one office and attorney")
        self.count = Swift.max(0, count)
        self.seed = seed
        self.asOf = asOf
        self.desks = desks
    }

    /// Exactly `count`.
    public var underestimatedCount: Int { count }

    /// A fresh iterator from the first family.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// Generates families one at a time and hands out their rights.
    public struct Iterator: IteratorProtocol {
        private let desks: [SampleDesk]
        private let remainingTotal: Int
        private var produced = 0
        private var familyIndex = 0
        private var random: SampleRandom
        private var factory: FamilyFactory
        private var buffer: [SampleRight] = []
        private var bufferIndex = 0

        init(_ sequence: SampleRights) {
            desks = sequence.desks
            remainingTotal = sequence.count
            random = SampleRandom(seed: sequence.seed, stream: 0xB01C)
            factory = FamilyFactory(asOf: sequence.asOf, random: &random)
            buffer.reserveCapacity(8)
        }

        /// The next right, generating the next family when the current one is used up.
        public mutating func next() -> SampleRight? {
            guard produced < remainingTotal else { return nil }
            while bufferIndex >= buffer.count {
                buffer.removeAll(keepingCapacity: true)
                bufferIndex = 0
                let desk = desks[familyIndex % desks.count]
                let spec = RoutePlanner.bulkFamily(
                    index: familyIndex, desk: desk, asOf: factory.asOf, random: &random)
                familyIndex += 1
                buffer = factory.rights(for: spec, random: &random)
            }
            produced += 1
            defer { bufferIndex += 1 }
            return buffer[bufferIndex]
        }
    }
}

/// Chooses routes, dates and titles of families.
enum RoutePlanner {
    /// The IPC symbols of each catalogue technology, parsed once.
    static let technologyIPC: [[IPCSymbol]] = SampleCatalog.technologies.map { $0.ipc.compactMap(IPCSymbol.init) }

    /// A priority date up to `years` years before `asOf`, recent years more likely.
    static func priorityDate(asOf: CivilDate, years: Int, random: inout SampleRandom) -> CivilDate {
        // Weights fall from the most recent year backwards.
        let year = random.weighted(years == 15 ? yearWeights15 : (0..<years).map { Swift.max(2, 14 - $0) })
        return asOf.adding(days: -(year * 365 + random.int(in: 20...364)))
    }

    /// The offices a PCT application enters: EA, EP, US (and KZ when it was not the first filing).
    static func nationalPhases(includingKZ: Bool, includingUS: Bool = true, random: inout SampleRandom)
        -> [Jurisdiction]
    {
        if random.chance(percent: 8) { return [] }
        var offices: [Jurisdiction] = []
        if includingKZ && random.chance(percent: 40) {
            offices.append(.kazakhstan)
        } else if random.chance(percent: 75) {
            offices.append(.eurasian)
        }
        if random.chance(percent: 45) { offices.append(.european) }
        if includingUS && random.chance(percent: 30) { offices.append(.unitedStates) }
        if offices.isEmpty { offices.append(.eurasian) }
        return offices
    }

    static let yearWeights15 = (0..<15).map { Swift.max(2, 14 - $0) }
    static let bulkRoutes: [FamilyRoute] = [
        .kzPatent(pct: false), .kzPatent(pct: true), .kzUtilityModel, .kzDesign, .kzTrademark, .eaDirect,
        .pctFirst, .usProvisional(pct: true), .inboundPCT(origin: "DE", office: .eurasian),
    ]
    static let bulkWeights = [22, 14, 12, 6, 16, 6, 8, 4, 12]

    /// A family of the large generated set.
    static func bulkFamily(index: Int, desk: SampleDesk, asOf: CivilDate, random: inout SampleRandom) -> FamilySpec {
        var route = bulkRoutes[random.weighted(bulkWeights)]
        if case .inboundPCT = route {
            route = .inboundPCT(
                origin: random.pick(SampleCatalog.foreignOrigins),
                office: random.chance(percent: 60) ? .eurasian : .kazakhstan)
        }
        let technology = random.below(SampleCatalog.technologies.count)
        let title: String
        switch route {
        case .kzDesign: title = random.pick(SampleCatalog.designs)
        case .kzTrademark: title = random.pick(SampleCatalog.trademarks)
        case .kzPatent, .kzUtilityModel, .eaDirect, .pctFirst, .usProvisional, .inboundPCT, .kzCopyright, .knowHow:
            title = SampleCatalog.technologies[technology].title
        }
        var spec = FamilySpec(
            office: desk.office, family: ID(Int64(index) + 1),
            reference: "B\(SampleText.padded(index + 1, 7))", title: title, ipc: technologyIPC[technology],
            disclosure: nil, localAttorney: desk.attorney, foreignAttorney: desk.attorney,
            priority: priorityDate(asOf: asOf, years: 15, random: &random), route: route)
        switch route {
        case .kzPatent(true), .pctFirst, .usProvisional:
            spec.nationalPhases = nationalPhases(
                includingKZ: route == .pctFirst, includingUS: route != .usProvisional(pct: true), random: &random)
            if random.chance(percent: 5) {
                spec.lateFollowUp = true
                spec.priority = SampleDates.add(months: -12, to: asOf).adding(days: random.int(in: 3...80))
            }
        case .kzPatent(false), .kzUtilityModel, .kzDesign, .kzTrademark, .eaDirect, .inboundPCT, .kzCopyright, .knowHow:
            break
        }
        return spec
    }
}
