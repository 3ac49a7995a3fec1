import IPCase

/// Grant funding of the period by funder and programme: the stages of awarded projects (awarded,
/// active, completed or terminated) that start in the period, their grant and the co-financing
/// put in, per currency, and what the programmes required.
public struct GrantFunding: Hashable, Sendable, Codable {
    /// One funder's programme.
    public struct Row: Hashable, Sendable, Codable {
        /// `funder-programme` as a stable key, e.g. `12-qazinnovations-commercialization-grant`.
        public var key: String
        /// The funder's name.
        public var funder: String
        /// The programme.
        public var programme: String
        /// The projects with a stage starting in the period.
        public var projects: Int
        /// The grant of those stages.
        public var grant: MoneyTotals
        /// The co-financing put into them.
        public var cofinancing: MoneyTotals
        /// The co-financing their programmes required (each stage's minimum share, rounded up).
        public var requiredCofinancing: MoneyTotals

        enum CodingKeys: String, CodingKey {
            case key, funder, programme, projects, grant, cofinancing
            case requiredCofinancing = "required_cofinancing"
        }
    }

    /// The rows by key.
    public var byProgramme: [Row]
    /// The grant of every row.
    public var total: MoneyTotals
    /// That grant in KZT, each stage at the rate of its first day, with a rate table (`nil` without).
    public var totalKZT: ConvertedIncome?
    /// The co-financing put in of every row.
    public var cofinancing: MoneyTotals
    /// That co-financing in KZT, each stage's at the rate of its first day, with a rate table.
    public var cofinancingKZT: ConvertedIncome?

    enum CodingKeys: String, CodingKey {
        case byProgramme = "by_programme"
        case total
        case totalKZT = "total_kzt"
        case cofinancing
        case cofinancingKZT = "cofinancing_kzt"
    }

    /// The figures of `projects` (those in scope) for `period`; funders named from `parties`;
    /// with `rates`, the grant and co-financing in KZT too.
    public static func compute(
        period: ReportPeriod, projects: [FundedProject], parties: [ID<Party>: Party], rates: ExchangeRates? = nil
    ) throws(MoneyError) -> GrantFunding {
        let awarded: Set<FundedProjectWorkflow.State> = [.awarded, .active, .completed, .terminated]
        var rows: [String: Row] = [:]
        var total = MoneyTotals()
        var cofinancing = MoneyTotals()
        var totalKZT = KZTConversion()
        var cofinancingKZT = KZTConversion()
        for project in projects where awarded.contains(project.state) {
            let stages = project.stages.filter { period.contains($0.from) }
            guard !stages.isEmpty else { continue }
            let key = "\(project.funder.rawValue)-" + StartupIndicators.key(project.programme)
            var row = rows[key] ?? Row(
                key: key, funder: parties[project.funder]?.name ?? "party \(project.funder.rawValue)",
                programme: project.programme, projects: 0, grant: MoneyTotals(), cofinancing: MoneyTotals(),
                requiredCofinancing: MoneyTotals())
            row.projects += 1
            for stage in stages {
                try row.grant.add(stage.amount)
                try total.add(stage.amount)
                try totalKZT.add(stage.amount, on: stage.from, rates: rates)
                if let put = stage.cofinancing {
                    try row.cofinancing.add(put)
                    try cofinancing.add(put)
                    try cofinancingKZT.add(put, on: stage.from, rates: rates)
                }
                try row.requiredCofinancing.add(stage.requiredCofinancing(share: project.minimumCofinancing))
            }
            rows[key] = row
        }
        return GrantFunding(
            byProgramme: rows.values.sorted { $0.key < $1.key }, total: total,
            totalKZT: try ConvertedIncome.of(totalKZT, rates: rates), cofinancing: cofinancing,
            cofinancingKZT: try ConvertedIncome.of(cofinancingKZT, rates: rates))
    }
}
