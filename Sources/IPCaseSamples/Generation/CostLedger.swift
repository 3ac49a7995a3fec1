import IPCase

/// The university's expense ledger in the demo: what each of its rights cost to file and
/// keep. Derived from the rights and agreements alone (no random numbers, so the rest of the
/// portfolio is as before): a filing fee and the attorney's drafting fee on the filing date,
/// and for the last four years each annual fee from the third year on, on its anniversary.
/// Amounts are round sample figures in the office's currency, not quotes of a schedule. A cost
/// of a right covered by an agreement carrying patent-cost reimbursement, incurred on or after
/// that agreement was executed, is reimbursable under it.
enum CostLedger {
    static func build(rights: [SampleRight], agreements: [SampleAgreement], asOf: CivilDate) -> [PatentCost] {
        var reimbursing: [ID<Right>: (agreement: ID<Agreement>, from: CivilDate, currency: Currency?)] = [:]
        for sample in agreements {
            let agreement = sample.agreement
            guard let terms = agreement.financialTerms, let recovery = terms.patentCostReimbursement,
                let executed = agreement.executedOn
            else { continue }
            // The currency the terms bill in (a cap's or fixed sum's, else the terms'); a cost in
            // another currency is the office's own.
            let currency: Currency? =
                switch recovery {
                case .fixed(let sum): sum.currency
                case .actualCosts(let cap): cap?.currency ?? terms.currency
                }
            for right in agreement.rightsCovered where reimbursing[right] == nil {
                reimbursing[right] = (agreement.id, executed, currency)
            }
        }
        var costs: [PatentCost] = []
        func add(
            _ right: Right, _ kind: PatentCost.Kind, _ amount: Money, on date: CivilDate, _ description: String,
            rule: String? = nil, year: Int? = nil
        ) {
            guard date <= asOf else { return }
            let recovery = reimbursing[right.id].flatMap { terms in
                date >= terms.from && (terms.currency.map { $0 == amount.currency } ?? true) ? terms.agreement : nil
            }
            costs.append(
                PatentCost(
                    id: ID(Int64(costs.count + 1)), office: right.office, right: right.id, kind: kind, amount: amount,
                    incurredOn: date, invoiceReference: "\(right.reference)/\(costs.count + 1)",
                    reimbursable: recovery != nil, agreement: recovery, feeRule: rule, feeYear: year,
                    description: description))
        }
        for sample in rights {
            let right = sample.right
            guard right.office == SamplePortfolio.universityOffice, Self.kinds.contains(right.kind),
                let filed = right.filingDate, right.state != .draft
            else { continue }
            let prices = Self.prices(right.jurisdiction)
            add(right, .officialFee, prices.filing, on: filed, "filing fee")
            add(right, .attorneyFee, prices.attorney, on: filed.adding(days: 10), "drafting and filing")
            guard let annual = prices.annual, right.kind == .patent || right.kind == .utilityModel else { continue }
            for year in 3...25 {
                let due = SampleDates.add(years: year - 1, to: filed)
                guard due <= asOf else { break }
                guard due > SampleDates.add(years: -4, to: asOf) else { continue }
                add(right, .officialFee, annual, on: due, "annual fee, year \(year)", rule: "\(right.jurisdiction.code).annual-fee", year: year)
            }
        }
        return costs
    }

    /// The kinds of right the ledger has costs for.
    static let kinds: Set<RightKind> = [.patent, .utilityModel, .pctApplication, .design, .trademark]

    /// Round sample amounts per jurisdiction: filing fee, attorney's fee, one annual fee.
    static func prices(_ jurisdiction: Jurisdiction) -> (filing: Money, attorney: Money, annual: Money?) {
        func kzt(_ tenge: Int64) -> Money { Money(minorUnits: tenge * 100, .kzt) }
        switch jurisdiction {
        case .kazakhstan: return (kzt(23_000), kzt(150_000), kzt(23_000))
        case .eurasian: return (kzt(300_000), kzt(250_000), kzt(45_000))
        case .european: return (Money(minorUnits: 150_000, .eur), Money(minorUnits: 250_000, .eur), nil)
        case .unitedStates: return (Money(minorUnits: 182_000, .usd), Money(minorUnits: 300_000, .usd), nil)
        default: return (Money(minorUnits: 140_000, .usd), Money(minorUnits: 120_000, .usd), nil)
        }
    }
}
