import IPCase

/// The university's start-ups in the demo, one per executed spin-off equity agreement, derived
/// from the agreements alone (no random numbers, so the rest of the portfolio is as before):
/// founded 30 days before the agreement with 1 000 000 shares, the office holding the shares the
/// agreement gives it; the inventors of the rights it covers as founders; an Astana Hub residency
/// from ten days after the founding; a commercialization grant 20 days after it and, when the
/// company is older than six months, a seed round at 400 000 000 KZT pre-money. Sample figures.
enum StartupLedger {
    static func build(
        agreements: [SampleAgreement], rights: [SampleRight], disclosures: [SampleDisclosure], asOf: CivilDate
    ) -> [Startup] {
        let disclosureOf = Dictionary(rights.map { ($0.right.id, $0.right.disclosure) }, uniquingKeysWith: { a, _ in a })
        let inventors = Dictionary(
            disclosures.map { ($0.disclosure.id, $0.disclosure.inventors.map(\.party)) }, uniquingKeysWith: { a, _ in a })
        var startups: [Startup] = []
        var seen = Set<ID<Party>>()
        for sample in agreements.sorted(by: { $0.agreement.id < $1.agreement.id }) {
            let agreement = sample.agreement
            guard agreement.kind == .spinOffEquity, agreement.office == SamplePortfolio.universityOffice,
                let executed = agreement.executedOn, let company = agreement.counterparties.first,
                seen.insert(company).inserted
            else { continue }
            let founded = executed.adding(days: -30)
            let shares: Int64 = 1_000_000
            let equity = agreement.financialTerms?.equity
            let officeShares = equity?.shares ?? Int64(equity?.percentage?.value ?? 0) * shares / 10_000
            var founders: [ID<Party>] = []
            for right in agreement.rightsCovered {
                for party in disclosureOf[right].flatMap({ $0 }).flatMap({ inventors[$0] }) ?? [] where !founders.contains(party) {
                    founders.append(party)
                }
            }
            var rounds = [
                FinancingRound(
                    closedOn: founded.adding(days: 20), instrument: .grant,
                    amount: Money(minorUnits: 20_000_000_00, .kzt))
            ]
            let seed = SampleDates.add(months: 6, to: founded)
            if seed <= asOf {
                rounds.append(
                    FinancingRound(
                        closedOn: seed, instrument: .equity, amount: Money(minorUnits: 100_000_000_00, .kzt),
                        preMoney: Money(minorUnits: 400_000_000_00, .kzt)))
            }
            startups.append(
                Startup(
                    id: ID(Int64(startups.count + 1)), office: agreement.office, party: company, foundedOn: founded,
                    region: .almatyCity, founders: founders, sharesAtFounding: shares,
                    officeShares: min(officeShares, shares), agreement: agreement.id,
                    rounds: rounds.filter { $0.closedOn <= asOf },
                    residencies: [
                        Residency(
                            technopark: "Astana Hub", from: founded.adding(days: 10),
                            regime: "Astana Hub participant: 0 % CIT, PIT and VAT on qualifying activity")
                    ].filter { $0.from <= asOf }))
        }
        return startups
    }
}
