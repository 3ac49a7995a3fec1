/// A right as the budget forecast needs it: its route, what groups it and the engine's input.
public struct ForecastRight: Sendable, Hashable {
    /// The right.
    public var right: ID<Right>
    /// Its docket reference.
    public var reference: String
    /// The granting office or route.
    public var jurisdiction: Jurisdiction
    /// The kind of right.
    public var kind: RightKind
    /// The entity size its fees are priced at.
    public var entitySize: EntitySize
    /// Its family's reference, if any (for `--by family`).
    public var family: String?
    /// The reference of the disclosure it protects, if any (for `--by disclosure`).
    public var disclosure: String?
    /// The engine's input: see ``RightEvent/engineInput(filingDate:priorityClaims:recorded:)``.
    public var events: [RightEvent]
    /// The due date of the first fee the office decided not to pay: from then on the right costs
    /// nothing.
    public var droppedFrom: CivilDate?

    /// A right for the forecast.
    public init(
        right: ID<Right>, reference: String, jurisdiction: Jurisdiction, kind: RightKind,
        entitySize: EntitySize = .large, family: String? = nil, disclosure: String? = nil, events: [RightEvent],
        droppedFrom: CivilDate? = nil
    ) {
        self.right = right
        self.reference = reference
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.entitySize = entitySize
        self.family = family
        self.disclosure = disclosure
        self.events = events
        self.droppedFrom = droppedFrom
    }
}

/// What the office's open rights will cost in official fees over the coming years: every fee
/// deadline the rules engine produces, priced by the ``FeeSchedules`` in force on its due date and
/// converted to tenge with the rates the user supplied (never fetched).
///
/// A fee is counted in the calendar year of its due date, from ``from`` to the end of the last
/// year. A fee whose due date passed before ``from`` but whose final date has not (the grace
/// period) is counted in the first year with its grace surcharge. A fee deadline no fee prices
/// (a year the data does not cover, an office without fees) is listed in ``unpriced``, never
/// guessed; a fee in a currency without a rate stays in its currency in ``Cell/conversion``.
/// A cell's fees in one currency at one rate are summed, then converted once (so the cell's
/// tenge figure has one rounding per rate, not one per fee).
/// A right the office decided to drop (``ForecastRight/droppedFrom``) costs nothing from that
/// fee on; what that saves is in ``dropped``.
///
/// ```swift
/// let forecast = try BudgetForecast(
///     rights: rights, from: try CivilDate(iso: "2027-01-01"), years: 10, by: .jurisdiction,
///     rates: ExchangeRates([
///         ExchangeRate(currency: .eur, date: try CivilDate(iso: "2026-12-01"), kzt: "600", source: "NBK"),
///     ]))
/// forecast.cells.first   // 2027, EP: 4 fees, 3 120 000.00 KZT
/// ```
public struct BudgetForecast: Sendable {
    /// How fees are grouped within each year.
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        /// One group per year.
        case year
        /// By the right's jurisdiction.
        case jurisdiction
        /// By the right's family (rights without one alone under `no family`).
        case family
        /// By the disclosure the right protects.
        case disclosure
    }

    /// Deadline types that cost an official fee: a deadline of such a type that no fee prices is
    /// reported as not priced. (A deadline of another type is priced when a fee names its rule.)
    public static let feeTypes: Set<DeadlineType> = [
        .renewal, .maintenanceFee, .grantFee, .examinationFee, .trademarkRenewal,
    ]

    /// One priced fee (kept only when the forecast is asked for its detail).
    public struct Fee: Sendable, Hashable {
        public var reference: String
        public var rule: String
        public var year: FeeYear?
        public var due: CivilDate
        /// Counted in the grace period, with the surcharge.
        public var inGrace: Bool
        /// In the fee's currency.
        public var amount: Money
        /// In KZT, when a rate converts it.
        public var kzt: Money?
        public var status: RuleStatus
        public var group: String
    }

    /// A fee deadline no fee prices.
    public struct Unpriced: Sendable, Hashable {
        public var reference: String
        public var rule: String
        public var type: DeadlineType
        public var year: FeeYear?
        public var due: CivilDate
    }

    /// A right dropped by a decision, and the fees in the forecast's years it will not pay.
    public struct Dropped: Sendable, Hashable {
        public var reference: String
        public var from: CivilDate
        public var feesSaved: Int
    }

    /// The fees of one group in one year.
    public struct Cell: Sendable, Hashable {
        public var year: Int
        public var group: String
        public var fees: Int
        /// Fees priced from `unconfirmed` data.
        public var unconfirmed: Int
        /// The sum in KZT, the rates used and what had no rate.
        public var conversion: KZTConversion
    }

    /// The first day counted.
    public let from: CivilDate
    /// The last day counted (31 December of the last year).
    public let through: CivilDate
    /// How each year's fees are grouped.
    public let grouping: Grouping
    /// Per year and group, in year then group order.
    public let cells: [Cell]
    /// All years together.
    public let total: KZTConversion
    /// How many fees are counted.
    public let feeCount: Int
    /// How many of them are priced from `unconfirmed` data.
    public let unconfirmedCount: Int
    /// How many rights were looked at.
    public let rightCount: Int
    /// Fee deadlines with no price, by due date.
    public let unpriced: [Unpriced]
    /// Rights dropped by decisions.
    public let dropped: [Dropped]
    /// Every fee counted, when asked for (`detail`).
    public let fees: [Fee]

    /// The calendar years covered.
    public var years: ClosedRange<Int> { from.year...through.year }

    /// The forecast of `rights` for `years` calendar years starting with the year of `from`.
    ///
    /// - Parameters:
    ///   - rights: the rights to forecast (the live ones; see ``ForecastRight``).
    ///   - from: the first day counted.
    ///   - years: how many calendar years, the year of `from` first (1–100).
    ///   - grouping: how each year's fees are grouped.
    ///   - engine: the rules engine that gives the deadlines.
    ///   - schedules: the fees that price them.
    ///   - rates: the user's rates to KZT.
    ///   - detail: keep every fee in ``fees`` (a large portfolio has millions).
    /// - Throws: ``MoneyError/overflow(_:)`` when a sum leaves the 64-bit range.
    public init(
        rights: [ForecastRight], from: CivilDate, years: Int, by grouping: Grouping = .year,
        engine: DeadlineEngine = DeadlineEngine(), fees schedules: FeeSchedules = .standard,
        rates: ExchangeRates = .none, detail: Bool = false
    ) throws(MoneyError) {
        precondition((1...100).contains(years), "a forecast covers 1 to 100 years")
        // 31 December always exists, and the CLI keeps years within the calendar's range.
        let through = try! CivilDate(year: from.year + years - 1, month: 12, day: 31)
        var counts: [CellKey: (fees: Int, unconfirmed: Int)] = [:]
        // Per cell, currency and rate: the fees' sum in their currency, converted once at the end.
        var sums: [SumKey: (minorUnits: Int64, on: CivilDate)] = [:]
        var feeCount = 0
        var unconfirmed = 0
        var unpriced: [Unpriced] = []
        var dropped: [Dropped] = []
        var kept: [Fee] = []
        var buffer: [Deadline] = []
        buffer.reserveCapacity(64)
        for right in rights {
            buffer.removeAll(keepingCapacity: true)
            engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events, into: &buffer)
            let group: String =
                switch grouping {
                case .year: "all"
                case .jurisdiction: right.jurisdiction.code
                case .family: right.family ?? "no family"
                case .disclosure: right.disclosure ?? "no disclosure"
                }
            var saved = 0
            for deadline in buffer where deadline.closedBy == nil {
                let final = deadline.final ?? deadline.due
                guard final >= from, deadline.due <= through else { continue }
                let inGrace = deadline.due < from
                if let dropFrom = right.droppedFrom, deadline.due >= dropFrom {
                    if Self.feeTypes.contains(deadline.type) { saved += 1 }
                    continue
                }
                guard
                    let price = schedules.total(
                        rule: deadline.ruleID, kind: right.kind, year: deadline.year, due: deadline.due,
                        entity: right.entitySize, inGrace: inGrace)
                else {
                    if Self.feeTypes.contains(deadline.type) {
                        unpriced.append(
                            Unpriced(
                                reference: right.reference, rule: deadline.ruleID, type: deadline.type,
                                year: deadline.year, due: deadline.due))
                    }
                    continue
                }
                let counted = inGrace ? from : deadline.due
                let key = CellKey(year: counted.year, group: group)
                let currency = price.total.currency
                let rate = currency == .kzt ? nil : rates.rate(for: currency, on: counted)?.date
                let sumKey = SumKey(cell: key, currency: currency, rate: rate)
                let (added, overflow) = sums[sumKey, default: (0, counted)].minorUnits
                    .addingReportingOverflow(price.total.minorUnits)
                guard !overflow else { throw .overflow("the \(key.year) \(group) fees in \(currency.code)") }
                sums[sumKey, default: (0, counted)].minorUnits = added
                let isUnconfirmed = price.status == .unconfirmed
                counts[key, default: (0, 0)].fees += 1
                if isUnconfirmed { counts[key, default: (0, 0)].unconfirmed += 1 }
                feeCount += 1
                if isUnconfirmed { unconfirmed += 1 }
                if detail {
                    let kzt: Money? =
                        price.total.currency == .kzt
                        ? price.total : try rates.rate(for: price.total.currency, on: counted)?.converting(price.total)
                    kept.append(
                        Fee(
                            reference: right.reference, rule: deadline.ruleID, year: deadline.year, due: deadline.due,
                            inGrace: inGrace, amount: price.total, kzt: kzt, status: price.status, group: group))
                }
            }
            if let dropFrom = right.droppedFrom {
                dropped.append(Dropped(reference: right.reference, from: dropFrom, feesSaved: saved))
            }
        }
        var cells: [CellKey: Cell] = [:]
        for (key, count) in counts {
            cells[key] = Cell(
                year: key.year, group: key.group, fees: count.fees, unconfirmed: count.unconfirmed,
                conversion: KZTConversion())
        }
        var total = KZTConversion()
        for (key, sum) in sums.sorted(by: { ($0.key.currency, $0.value.on) < ($1.key.currency, $1.value.on) }) {
            let money = Money(minorUnits: sum.minorUnits, key.currency)
            try cells[key.cell]!.conversion.add(money, on: sum.on, rates: rates)
            try total.add(money, on: sum.on, rates: rates)
        }
        self.from = from
        self.through = through
        self.grouping = grouping
        self.cells = cells.values.sorted { ($0.year, $0.group) < ($1.year, $1.group) }
        self.total = total
        self.feeCount = feeCount
        self.unconfirmedCount = unconfirmed
        self.rightCount = rights.count
        self.unpriced = unpriced.sorted { ($0.due, $0.reference, $0.rule) < ($1.due, $1.reference, $1.rule) }
        self.dropped = dropped.sorted { ($0.from, $0.reference) < ($1.from, $1.reference) }
        self.fees = kept.sorted { ($0.due, $0.reference, $0.rule) < ($1.due, $1.reference, $1.rule) }
    }

    /// The sum of one year's cells.
    public func yearTotal(_ year: Int) throws(MoneyError) -> Money {
        var sum = Money.zero(.kzt)
        for cell in cells where cell.year == year { sum = try sum.adding(cell.conversion.total) }
        return sum
    }

    /// The groups in order of their total over all years, largest first (ties by name).
    public var groups: [String] {
        var totals: [String: Int64] = [:]
        for cell in cells { totals[cell.group, default: 0] += cell.conversion.total.minorUnits }
        return totals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
    }

    private struct CellKey: Hashable {
        var year: Int
        var group: String
    }

    /// The fees of a cell in one currency converted at one rate (the day of the rate; none for
    /// KZT and for a currency without a rate that day).
    private struct SumKey: Hashable {
        var cell: CellKey
        var currency: Currency
        var rate: CivilDate?
    }
}
