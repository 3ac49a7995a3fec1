import IPCase

extension SamplePortfolio {
    /// A small self-contained part of the portfolio whose CSV files have at most `maxRows` rows
    /// each (the sample files in `Deploy/samples/`): agreements with the rights they cover (and
    /// the PCT applications those entered from), more rights of every kind while the events fit,
    /// their payments, and the parties. Deals and disclosures are left out (and so are the links
    /// to them), since the import formats do not carry them.
    public func excerpt(maxRows: Int = 50) -> SamplePortfolio {
        let byID = Dictionary(uniqueKeysWithValues: rights.map { ($0.right.id, $0) })
        var chosen = Set<ID<Right>>()
        var eventRows = 0
        var obligationRows = 0
        var kept: [SampleAgreement] = []

        /// The rights `ids` need (with their parents) that are not chosen yet, and their events.
        func cost(_ ids: [ID<Right>]) -> (rights: [ID<Right>], events: Int) {
            var needed: [ID<Right>] = []
            for id in ids {
                if let parent = byID[id]?.right.parentPCT, !chosen.contains(parent), !needed.contains(parent) {
                    needed.append(parent)
                }
                if !chosen.contains(id), !needed.contains(id) { needed.append(id) }
            }
            return (needed, needed.reduce(0) { $0 + (byID[$1]?.history.count ?? 0) })
        }

        for sample in agreements {
            let agreement = sample.agreement
            if let option = agreement.option, !kept.contains(where: { $0.agreement.id == option }) { continue }
            let rows = agreement.obligations.count + (agreement.financialTerms?.milestones.count ?? 0)
            let (needed, events) = cost(agreement.rightsCovered)
            // Agreements' rights get three fifths of the events; the rest shows other kinds of right.
            guard kept.count < maxRows, obligationRows + rows <= maxRows, eventRows + events <= maxRows * 3 / 5,
                chosen.count + needed.count <= maxRows
            else { continue }
            kept.append(sample)
            obligationRows += rows
            eventRows += events
            chosen.formUnion(needed)
        }
        // More rights, one of each kind and state first, while their events fit.
        var seenShapes = Set<String>()
        for sample in rights.sorted(by: { $0.history.count < $1.history.count }) {
            let shape = "\(sample.right.kind.rawValue)/\(sample.right.state.rawValue)"
            guard !seenShapes.contains(shape) else { continue }
            let (needed, events) = cost([sample.right.id])
            guard eventRows + events <= maxRows, chosen.count + needed.count <= maxRows else { continue }
            seenShapes.insert(shape)
            eventRows += events
            chosen.formUnion(needed)
        }

        let keptIDs = Set(kept.map(\.agreement.id))
        var excerptRights = rights.filter { chosen.contains($0.right.id) }
        for index in excerptRights.indices {
            excerptRights[index].right.disclosure = nil
            excerptRights[index].right.furtherDisclosures = []
        }
        var excerptAgreements = kept
        for index in excerptAgreements.indices { excerptAgreements[index].agreement.deal = nil }
        let familyIDs = Set(excerptRights.compactMap(\.right.family))
        var excerptFamilies = families.filter { familyIDs.contains($0.id) }
        for index in excerptFamilies.indices { excerptFamilies[index].disclosure = nil }
        return SamplePortfolio(
            seed: seed, asOf: asOf, offices: offices, parties: Array(parties.prefix(maxRows)), disclosures: [],
            families: excerptFamilies, rights: excerptRights, deals: [], agreements: excerptAgreements,
            payments: Array(payments.filter { keptIDs.contains($0.agreement) }.prefix(maxRows)), policies: policies)
    }
}
