import IPCase

/// The start-ups of the office's research in a period: how many were formed, how many were in
/// business and resident in a technopark on its last day (by region and by technopark), and the
/// money their rounds closed in the period raised — investment (equity, SAFEs, convertible
/// notes) apart from grants — per currency and, with a rate table, in KZT at the rate of each
/// round's day.
public struct StartupIndicators: Hashable, Sendable, Codable {
    /// Formed in the period (the AUTM figure: see ``IndicatorReport/compute(for:from:office:greenInventory:rates:)``).
    public var formed: Int
    /// Recorded start-ups founded by the period's last day and not exited before it.
    public var activeAtPeriodEnd: Int
    /// Those by the region they are registered in (`unspecified` when not recorded).
    public var activeByRegion: [Tally]
    /// Active start-ups resident in a technopark on the period's last day.
    public var residentsAtPeriodEnd: Int
    /// Those by technopark (one in two technoparks counts in both).
    public var residentsByTechnopark: [Tally]
    /// Equity, SAFE and convertible-note rounds closed in the period, per currency.
    public var ventureInvestment: MoneyTotals
    /// That investment in KZT with a rate table (`nil` without).
    public var ventureInvestmentKZT: ConvertedIncome?
    /// Grant rounds closed in the period, per currency.
    public var grants: MoneyTotals
    /// Those grants in KZT with a rate table (`nil` without).
    public var grantsKZT: ConvertedIncome?

    enum CodingKeys: String, CodingKey {
        case formed
        case activeAtPeriodEnd = "active_at_period_end"
        case activeByRegion = "active_by_region"
        case residentsAtPeriodEnd = "residents_at_period_end"
        case residentsByTechnopark = "residents_by_technopark"
        case ventureInvestment = "venture_investment"
        case ventureInvestmentKZT = "venture_investment_kzt"
        case grants
        case grantsKZT = "grants_kzt"
    }

    /// The figures of `startups` (one office's or all) for `period`.
    /// - Parameters:
    ///   - period: the period.
    ///   - startups: the recorded start-ups in scope.
    ///   - formed: the start-ups formed in the period, as the indicators count them.
    ///   - rates: a rate table for the investment in KZT.
    public static func compute(
        period: ReportPeriod, startups: [Startup], formed: Int, rates: ExchangeRates?
    ) throws(MoneyError) -> StartupIndicators {
        let active = startups.filter { $0.isActive(on: period.to) }
        var regions: [String: (label: String, count: Int)] = [:]
        for startup in active {
            let key = startup.region?.rawValue ?? "unspecified"
            regions[key, default: (startup.region?.name ?? "Region not recorded", 0)].count += 1
        }
        let residents = active.filter { $0.isResident(on: period.to) }
        var technoparks: [String: Int] = [:]
        for startup in residents {
            let current = Set(
                startup.residencies.filter { $0.from <= period.to && ($0.to.map { period.to <= $0 } ?? true) }
                    .map(\.technopark))
            for technopark in current { technoparks[technopark, default: 0] += 1 }
        }
        var investment = MoneyTotals()
        var grants = MoneyTotals()
        var kzt = KZTConversion()
        var grantsKZT = KZTConversion()
        for round in startups.flatMap(\.rounds) where period.contains(round.closedOn) {
            if round.instrument == .grant {
                try grants.add(round.amount)
                try grantsKZT.add(round.amount, on: round.closedOn, rates: rates)
            } else {
                try investment.add(round.amount)
                try kzt.add(round.amount, on: round.closedOn, rates: rates)
            }
        }
        return StartupIndicators(
            formed: formed, activeAtPeriodEnd: active.count,
            activeByRegion: regions.map { Tally(key: $0.key, label: $0.value.label, count: $0.value.count) }
                .sorted { $0.key < $1.key },
            residentsAtPeriodEnd: residents.count,
            residentsByTechnopark: technoparks.map { Tally(key: Self.key($0.key), label: $0.key, count: $0.value) }
                .sorted { $0.key < $1.key },
            ventureInvestment: investment, ventureInvestmentKZT: try ConvertedIncome.of(kzt, rates: rates),
            grants: grants, grantsKZT: try ConvertedIncome.of(grantsKZT, rates: rates))
    }

    /// A technopark's name as a stable key: lower case, words joined by `-` (`Astana Hub` → `astana-hub`).
    static func key(_ name: String) -> String {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
    }
}
