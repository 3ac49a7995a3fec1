import IPCase

/// The Triple-Helix links of a period: how often academia, industry and government (and
/// `other`) meet in the agreements the office executes.
///
/// Definition: for every agreement executed in the period (any kind), its participants are the
/// office and each distinct counterparty with a party record. Every pair of distinct
/// participants is one link, counted once in the cell of its two sectors: the matrix is
/// symmetric, and the diagonal counts links within one sector. A pair that signs two agreements
/// counts twice (links are collaborations, not partners). The office counts by its kind
/// (``sector(of:)``): universities and research institutes are academia, companies industry,
/// technoparks and law firms other (a technopark may be a state, a university or a private
/// body). Counterparties without a party record are left out, as in `partners_by_sector`.
///
/// JSON: `{"basis": …, "agreements": 9, "links": 9, "matrix": [{"key": "academia",
/// "academia": 1, "industry": 5, "government": 1, "other": 1}, …]}`, one row per sector.
public struct TripleHelix: Hashable, Sendable, Codable {
    /// One row of the matrix: a sector and its links with each sector.
    public struct Row: Hashable, Sendable, Codable {
        /// The sector of the row (`academia`, `industry`, `government`, `other`).
        public var key: String
        /// Links with academia.
        public var academia: Int
        /// Links with industry.
        public var industry: Int
        /// Links with government.
        public var government: Int
        /// Links with other organizations.
        public var other: Int

        /// Creates a row.
        public init(key: String, academia: Int, industry: Int, government: Int, other: Int) {
            self.key = key
            self.academia = academia
            self.industry = industry
            self.government = government
            self.other = other
        }

        /// The links with `sector`.
        public func count(with sector: Party.Sector) -> Int {
            switch sector {
            case .academia: academia
            case .industry: industry
            case .government: government
            case .other: other
            }
        }

        mutating func addLink(with sector: Party.Sector) {
            switch sector {
            case .academia: academia += 1
            case .industry: industry += 1
            case .government: government += 1
            case .other: other += 1
            }
        }
    }

    /// What is counted: `agreements-executed-in-period; pairs-of-participants`.
    public var basis: String
    /// The agreements executed in the period.
    public var agreements: Int
    /// Every link (each pair once, wherever it sits in the matrix).
    public var links: Int
    /// One row per sector, in the order of `Party.Sector`.
    public var matrix: [Row]

    /// The Triple-Helix sector the office itself counts as, by its kind.
    public static func sector(of kind: Office.Kind) -> Party.Sector {
        switch kind {
        case .university, .researchInstitute: .academia
        case .company: .industry
        case .technopark, .lawFirm: .other
        }
    }

    /// The links of `agreements` (those executed in the period), with their offices and parties.
    public static func compute(
        agreements: [Agreement], offices: [ID<Office>: Office], parties: [ID<Party>: Party]
    ) -> TripleHelix {
        var rows = Party.Sector.allCases.map {
            Row(key: $0.rawValue, academia: 0, industry: 0, government: 0, other: 0)
        }
        func index(_ sector: Party.Sector) -> Int { Party.Sector.allCases.firstIndex(of: sector)! }
        var links = 0
        for agreement in agreements {
            var seen: Set<ID<Party>> = []
            var sectors = offices[agreement.office].map { [sector(of: $0.kind)] } ?? []
            for id in agreement.counterparties where seen.insert(id).inserted {
                if let party = parties[id] { sectors.append(party.sector) }
            }
            for first in sectors.indices {
                for second in sectors.indices where second > first {
                    let (a, b) = (sectors[first], sectors[second])
                    rows[index(a)].addLink(with: b)
                    if a != b { rows[index(b)].addLink(with: a) }
                    links += 1
                }
            }
        }
        return TripleHelix(
            basis: "agreements-executed-in-period; pairs-of-participants", agreements: agreements.count, links: links,
            matrix: rows)
    }
}
