/// A start-up company spun off from the office's research: an organization party with its
/// founding date, founders and the office's equity, the technopark residencies it held, the
/// financing rounds it raised and how it ended. It is *formed* on its founding date.
///
/// ```swift
/// var startup = Startup(id: 0, office: 1, party: 12, foundedOn: founded, region: .almatyCity,
///                       sharesAtFounding: 1_000_000, officeShares: 150_000)
/// startup.rounds.append(FinancingRound(closedOn: seed, instrument: .equity,
///                       amount: Money(minorUnits: 100_000_000_00, .kzt),
///                       preMoney: Money(minorUnits: 400_000_000_00, .kzt)))
/// startup.capTable().last?.officeStake.percentText   // "12.0000"
/// ```
public struct Startup: Hashable, Sendable, Codable {
    /// The database key.
    public var id: ID<Startup>
    /// The office whose research it was spun off from.
    public var office: ID<Office>
    /// The company (an organization party).
    public var party: ID<Party>
    /// The day it was founded (registered): the day it counts as formed.
    public var foundedOn: CivilDate
    /// Where it is registered in Kazakhstan; `nil` abroad or not recorded.
    public var region: Region?
    /// Its founders (parties: inventors, the office's staff, investors).
    public var founders: [ID<Party>]
    /// The shares issued when it was founded.
    public var sharesAtFounding: Int64
    /// The office's shares of those.
    public var officeShares: Int64
    /// How the office's shares vest, in words, e.g. "25 % a year over 4 years".
    public var vesting: String?
    /// The spin-off agreement under which the office holds its equity, if any.
    public var agreement: ID<Agreement>?
    /// Its financing rounds, in the order closed.
    public var rounds: [FinancingRound]
    /// Its technopark residencies.
    public var residencies: [Residency]
    /// How it ended, if it has.
    public var exit: Exit?

    /// Creates a start-up.
    public init(
        id: ID<Startup>, office: ID<Office>, party: ID<Party>, foundedOn: CivilDate, region: Region? = nil,
        founders: [ID<Party>] = [], sharesAtFounding: Int64, officeShares: Int64 = 0, vesting: String? = nil,
        agreement: ID<Agreement>? = nil, rounds: [FinancingRound] = [], residencies: [Residency] = [],
        exit: Exit? = nil
    ) {
        self.id = id
        self.office = office
        self.party = party
        self.foundedOn = foundedOn
        self.region = region
        self.founders = founders
        self.sharesAtFounding = sharesAtFounding
        self.officeShares = officeShares
        self.vesting = vesting
        self.agreement = agreement
        self.rounds = rounds
        self.residencies = residencies
        self.exit = exit
    }

    /// What is wrong with the start-up's own figures (not its rounds); empty when none.
    public var problems: [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if sharesAtFounding <= 0 { problems.append(("shares", "\(sharesAtFounding) is not a positive number of shares")) }
        if officeShares < 0 || officeShares > max(sharesAtFounding, 0) {
            problems.append(("office_shares", "\(officeShares) is not between 0 and the \(sharesAtFounding) shares issued"))
        }
        return problems
    }

    /// Whether it was in business on `day`: founded by then and not exited before.
    public func isActive(on day: CivilDate) -> Bool {
        foundedOn <= day && (exit.map { $0.on > day } ?? true)
    }

    /// Whether it was a resident of a technopark on `day`.
    public func isResident(on day: CivilDate) -> Bool {
        residencies.contains { $0.from <= day && ($0.to.map { day <= $0 } ?? true) }
    }

    /// The shares and the office's stake at founding and after each round, in the order closed:
    /// an equity round issues its ``FinancingRound/newShares`` or, without them, the shares its
    /// amount buys at the pre-money price (`amount × shares before / pre-money`, rounded down to
    /// a whole share); a SAFE, a convertible note or a grant issues none (until converted, which
    /// is recorded as an equity round). The office's shares change only by its founding stake.
    public func capTable() -> [CapTableLine] {
        var total = sharesAtFounding
        var lines = [CapTableLine(round: nil, on: foundedOn, newShares: 0, sharesOutstanding: total, officeShares: officeShares)]
        for round in rounds.sorted(by: { $0.closedOn < $1.closedOn }) {
            let issued = round.sharesIssued(before: total)
            let (sum, overflow) = total.addingReportingOverflow(issued)
            total = overflow ? Int64.max : sum
            lines.append(
                CapTableLine(round: round, on: round.closedOn, newShares: issued, sharesOutstanding: total, officeShares: officeShares))
        }
        return lines
    }
}

/// The shares outstanding and the office's stake at one point of a start-up's history.
public struct CapTableLine: Hashable, Sendable, Codable {
    /// The round that led to it; `nil` at founding.
    public var round: FinancingRound?
    /// The day.
    public var on: CivilDate
    /// The shares the round issued.
    public var newShares: Int64
    /// All shares outstanding after it.
    public var sharesOutstanding: Int64
    /// The office's shares.
    public var officeShares: Int64

    /// The office's stake: its shares of those outstanding, exactly.
    public var officeStake: Stake { Stake(shares: officeShares, of: sharesOutstanding) }
}

/// A part of a company's shares as an exact fraction, shown as a percentage.
public struct Stake: Hashable, Sendable, Codable {
    /// The shares held.
    public var shares: Int64
    /// The shares outstanding.
    public var of: Int64

    /// Creates a stake of `shares` out of `of`.
    public init(shares: Int64, of total: Int64) {
        self.shares = shares
        self.of = total
    }

    /// The percentage with four decimals, rounded half up, e.g. `"12.0000"`; computed in
    /// integers (no floating point).
    public var percentText: String {
        guard of > 0, shares > 0 else { return "0.0000" }
        // shares × 1 000 000 / of, rounded half up: the percentage in ten-thousandths.
        let product = min(shares, of).multipliedFullWidth(by: 2_000_000)
        let (doubled, _) = of.dividingFullWidth((high: product.high, low: product.low))
        let tenThousandths = (doubled + 1) / 2
        let whole = tenThousandths / 10_000
        let fraction = String(tenThousandths % 10_000)
        return "\(whole)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}

/// Money a start-up raised: a round of equity, a SAFE, a convertible note or a grant.
public struct FinancingRound: Hashable, Sendable, Codable {
    /// What the investors received.
    public enum Instrument: String, Hashable, Sendable, Codable, CaseIterable {
        /// New shares (a priced round, or the conversion of notes or SAFEs).
        case equity = "equity"
        /// A simple agreement for future equity: no shares until it converts.
        case safe = "safe"
        /// A loan that converts into shares later.
        case convertibleNote = "convertible-note"
        /// Non-dilutive funding (a grant).
        case grant = "grant"
    }

    /// The database key.
    public var id: Int64
    /// The day the round closed.
    public var closedOn: CivilDate
    /// What the investors received.
    public var instrument: Instrument
    /// The money raised.
    public var amount: Money
    /// The company's value before the round (priced equity rounds).
    public var preMoney: Money?
    /// The shares the round issued, when known (they take precedence over the pre-money price).
    public var newShares: Int64?
    /// The investors (parties, among them venture funds of kind investor).
    public var investors: [ID<Party>]

    /// Creates a round.
    public init(
        id: Int64 = 0, closedOn: CivilDate, instrument: Instrument, amount: Money, preMoney: Money? = nil,
        newShares: Int64? = nil, investors: [ID<Party>] = []
    ) {
        self.id = id
        self.closedOn = closedOn
        self.instrument = instrument
        self.amount = amount
        self.preMoney = preMoney
        self.newShares = newShares
        self.investors = investors
    }

    /// What is wrong with the round; empty when none.
    public var problems: [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if amount.minorUnits <= 0 { problems.append(("amount", "\(amount) is not a positive amount")) }
        if let preMoney {
            if preMoney.minorUnits <= 0 { problems.append(("pre_money", "\(preMoney) is not a positive valuation")) }
            if preMoney.currency != amount.currency {
                problems.append(("pre_money", "\(preMoney.currency.code) is not the round's currency \(amount.currency.code)"))
            }
        }
        if let newShares, newShares < 0 { problems.append(("new_shares", "\(newShares) is not 0 or more")) }
        if instrument != .equity, (newShares ?? 0) > 0 {
            problems.append(("new_shares", "a \(instrument.rawValue) issues no shares; record its conversion as an equity round"))
        }
        return problems
    }

    /// The shares it issued given `before` shares outstanding (see ``Startup/capTable()``).
    public func sharesIssued(before: Int64) -> Int64 {
        guard instrument == .equity else { return 0 }
        if let newShares { return newShares }
        guard let preMoney, preMoney.minorUnits > 0, preMoney.currency == amount.currency, amount.minorUnits > 0 else {
            return 0
        }
        let product = amount.minorUnits.multipliedFullWidth(by: before)
        guard product.high < preMoney.minorUnits else { return Int64.max }
        return preMoney.minorUnits.dividingFullWidth(product).quotient
    }
}

/// A stay of a start-up in a technopark (or as an Astana Hub participant) with its regime.
public struct Residency: Hashable, Sendable, Codable {
    /// The database key.
    public var id: Int64
    /// The technopark, e.g. "Astana Hub", "Alatau Park of Innovative Technologies".
    public var technopark: String
    /// The first day.
    public var from: CivilDate
    /// The last day; `nil` while it lasts.
    public var to: CivilDate?
    /// The regime, e.g. "0 % CIT, PIT and VAT on qualifying activity".
    public var regime: String?

    /// Creates a residency.
    public init(id: Int64 = 0, technopark: String, from: CivilDate, to: CivilDate? = nil, regime: String? = nil) {
        self.id = id
        self.technopark = technopark
        self.from = from
        self.to = to
        self.regime = regime
    }
}

/// How a start-up ended.
public struct Exit: Hashable, Sendable, Codable {
    /// The kind of end.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Bought by another company.
        case acquisition = "acquisition"
        /// Listed on a stock exchange.
        case ipo = "ipo"
        /// Wound up.
        case liquidation = "liquidation"
    }

    /// The kind.
    public var kind: Kind
    /// The day.
    public var on: CivilDate
    /// The acquirer, for an acquisition.
    public var acquirer: ID<Party>?

    /// Creates an exit.
    public init(kind: Kind, on: CivilDate, acquirer: ID<Party>? = nil) {
        self.kind = kind
        self.on = on
        self.acquirer = acquirer
    }
}
