import Foundation

/// The reviewable form of an office's official fees: one JSON file per office under
/// `Data/fees/`, like the deadline rules. Each fee prices the deadlines of one rule
/// (`EP.renewal`, `US.maintenance-fee`, `KZ.annual-fee`) for some years, from a date, with its
/// legal source and `confirmed`/`unconfirmed`. Field names are `snake_case` in the files.
public struct FeeScheduleFile: Codable, Sendable, Hashable {
    /// The office code, e.g. `EP`.
    public var office: String
    /// What the file holds.
    public var title: String
    /// Index values fees may be set in (the MCI/МРП of Kazakhstan), by the day they apply from.
    public var indices: [IndexValue]?
    /// VAT rates by the day they apply from, for fees marked `vat`.
    public var vat: [VATRate]?
    /// The fees.
    public var fees: [FeeSpec]
}

/// One value of an index fees are set in, e.g. the MCI: 4 325 KZT from 1 January 2026.
public struct IndexValue: Codable, Sendable, Hashable {
    /// `MCI`.
    public var name: String
    /// The first day the value applies.
    public var from: CivilDate
    /// Its value in tenge, a plain decimal.
    public var kzt: String
    public var citation: String
    public var status: RuleStatus
}

/// A VAT rate from a day.
public struct VATRate: Codable, Sendable, Hashable {
    public var from: CivilDate
    /// Percent, a plain decimal with at most two decimals, e.g. `12`.
    public var percent: String
    public var citation: String
    public var status: RuleStatus
}

/// A US entity size: the USPTO's fees for small and micro entities are reduced.
public enum EntitySize: String, Codable, Sendable, Hashable, CaseIterable {
    case large, small, micro
}

/// One fee as written in a fee file.
public struct FeeSpec: Codable, Sendable, Hashable {
    /// Stable id, e.g. `EP.renewal.2024-04`.
    public var id: String
    /// The deadline rule whose deadlines it prices.
    public var rule: String
    /// Right kinds it applies to (all the rule's kinds when absent).
    public var kinds: [RightKind]?
    /// The entity size it is for (any when absent).
    public var entity: EntitySize?
    /// The first due date it applies to.
    public var validFrom: CivilDate
    /// The last due date it applies to (until a later fee when absent).
    public var validUntil: CivilDate?
    /// The currency of `amount`s (KZT for `mci`).
    public var currency: Currency
    /// The amount per year (or once, without `years`).
    public var amounts: [FeeAmount]
    /// In the grace period: a percentage of the fee added…
    public var graceSurchargePercent: String?
    /// …or a fixed surcharge in `currency`.
    public var graceSurcharge: String?
    /// Whether VAT is added (at the file's rate in force on the due date).
    public var vat: Bool?
    public var citation: String
    public var status: RuleStatus
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, rule, kinds, entity, currency, amounts, vat, citation, status, note
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case graceSurchargePercent = "grace_surcharge_percent"
        case graceSurcharge = "grace_surcharge"
    }
}

/// An amount of a fee for some years: `{"years": "10-20", "amount": "1775"}`, or set in the
/// MCI: `{"years": "1-3", "mci": "5.2"}` (the MCI in force on the due date).
public struct FeeAmount: Codable, Sendable, Hashable {
    /// `3`, `3.5` or `10-20`; absent for a fee paid once.
    public var years: String?
    /// A plain decimal in the fee's currency…
    public var amount: String?
    /// …or a number of MCI.
    public var mci: String?
}

/// The price of one deadline: the fee, any grace surcharge and VAT, with the sources.
public struct FeeQuote: Sendable, Hashable {
    /// The fee that applied.
    public let spec: FeeSpec
    /// The fee itself.
    public let fee: Money
    /// The grace-period surcharge, when paid late.
    public let surcharge: Money?
    /// VAT on fee and surcharge.
    public let vat: Money?
    /// What is paid.
    public let total: Money
    /// `unconfirmed` when the fee, its MCI value or its VAT rate is.
    public let status: RuleStatus
    /// How the amount was reached, line by line, each with its source.
    public let explanation: [String]
}

/// Every office's fees, decoded from `Data/fees/*.json` (and any file the user adds), checked
/// and indexed by rule.
///
/// ```swift
/// let fees = FeeSchedules.standard
/// let quote = fees.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(5),
///                        due: try CivilDate(iso: "2026-03-31"))
/// quote?.total.description   // "1 000.00 EUR"
/// ```
public struct FeeSchedules: Sendable {
    /// The schedules embedded in this build.
    public static let standard: FeeSchedules = {
        do {
            return try FeeSchedules(files: EmbeddedFiles.all.filter { $0.path.hasPrefix("fees/") })
        } catch {
            preconditionFailure("embedded fee data is invalid: \(error)")
        }
    }()

    /// The files, by path.
    public let files: [String: FeeScheduleFile]
    /// The files as given, so that ``adding(files:)`` lays more over them.
    private let sources: [(path: String, contents: String)]
    /// Per rule, its fees newest first, each with what pricing needs parsed ahead.
    private let byRule: [String: [CompiledFee]]

    /// A fee with its year ranges, the index values and VAT rates it may use, and every price it
    /// can have computed once: a quote then costs a lookup, not a parse (a forecast prices
    /// millions of deadlines). A class: the hot path passes one reference, not a copy of the
    /// spec's strings.
    final class CompiledFee: Sendable {
        let spec: FeeSpec
        let file: FeeScheduleFile
        /// Per amount, the years it covers (`nil`: a one-off fee).
        let years: [ClosedRange<FeeYear>?]
        /// The MCI values by day, oldest first (for MCI amounts).
        let indices: [IndexValue]
        /// The VAT rates by day, oldest first (for a fee with VAT).
        let rates: [VATRate]
        /// Per (amount, index value, VAT rate, grace), the total and its status; `nil` where
        /// it cannot be priced (an amount that overflows).
        let prices: [(total: Money, status: RuleStatus)?]

        init(
            spec: FeeSpec, file: FeeScheduleFile, years: [ClosedRange<FeeYear>?], indices: [IndexValue],
            rates: [VATRate], prices: [(total: Money, status: RuleStatus)?]
        ) {
            self.spec = spec
            self.file = file
            self.years = years
            self.indices = indices
            self.rates = rates
            self.prices = prices
        }

        func slot(amount: Int, index: Int, rate: Int, inGrace: Bool) -> Int {
            ((amount * max(1, indices.count) + index) * max(1, rates.count) + rate) * 2 + (inGrace ? 1 : 0)
        }
    }

    /// A fee file that cannot be used, naming the file and the problem.
    public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Decodes and checks fee files; a later file's fee with the id of an earlier one replaces it
    /// (an office's own file over the embedded one).
    public init(files: [(path: String, contents: String)]) throws(LoadError) {
        var decoded: [String: FeeScheduleFile] = [:]
        var specs: [String: (spec: FeeSpec, file: FeeScheduleFile)] = [:]
        var order: [String] = []
        for (path, contents) in files where path.hasSuffix(".json") {
            let file: FeeScheduleFile
            do {
                file = try JSONDecoder().decode(FeeScheduleFile.self, from: Data(contents.utf8))
            } catch {
                throw LoadError(file: path, message: RuleBook.describe(error))
            }
            try FeeSchedules.check(file, path: path)
            decoded[path] = file
            for spec in file.fees {
                if specs[spec.id] == nil { order.append(spec.id) }
                specs[spec.id] = (spec, file)
            }
        }
        self.files = decoded
        self.sources = files
        var byRule: [String: [CompiledFee]] = [:]
        for id in order {
            let (spec, file) = specs[id]!
            byRule[spec.rule, default: []].append(FeeSchedules.compile(spec, file: file))
        }
        for rule in byRule.keys { byRule[rule]!.sort { $0.spec.validFrom > $1.spec.validFrom } }
        self.byRule = byRule
    }

    /// These schedules with the fees of `extra` laid over them (same id replaces).
    public func adding(files extra: [(path: String, contents: String)]) throws(LoadError) -> FeeSchedules {
        try FeeSchedules(files: sources + extra)
    }

    /// Every fee, sorted by rule, then newest first.
    public var fees: [FeeSpec] {
        byRule.keys.sorted().flatMap { byRule[$0]!.map(\.spec) }
    }

    /// The fee, amount, index value and VAT rate that price a deadline of `rule` for `year`, due
    /// on `due`: the fee in force on the due date for the kind and entity size (a fee without
    /// `entity` serves every size) with an amount for the year, and the MCI value and VAT rate
    /// in force that day. `nil` when no fee applies, or its MCI value or VAT rate is not in force
    /// yet.
    private func select(rule: String, kind: RightKind, year: FeeYear?, due: CivilDate, entity: EntitySize)
        -> (fee: CompiledFee, amount: Int, index: Int, rate: Int)?
    {
        guard let candidates = byRule[rule] else { return nil }
        for fee in candidates
        where fee.spec.validFrom <= due && (fee.spec.validUntil.map { due <= $0 } ?? true)
            && (fee.spec.kinds?.contains(kind) ?? true) && (fee.spec.entity == nil || fee.spec.entity == entity)
        {
            let covering = fee.years.firstIndex { range in
                switch (range, year) {
                case (nil, nil): true
                case (let range?, let year?): range.contains(year)
                default: false
                }
            }
            guard let amount = covering else { continue }
            var index = 0
            if fee.spec.amounts[amount].mci != nil {
                guard let found = fee.indices.lastIndex(where: { $0.from <= due }) else { return nil }
                index = found
            }
            var rate = 0
            if fee.spec.vat == true {
                guard let found = fee.rates.lastIndex(where: { $0.from <= due }) else { return nil }
                rate = found
            }
            return (fee, amount, index, rate)
        }
        return nil
    }

    /// The price of a deadline of `rule` for `year`, due on `due`: the fee in force on the due
    /// date for the kind and entity size (a fee without `entity` serves every size), with the
    /// grace surcharge when `inGrace`; `nil` when no fee prices it.
    public func quote(
        rule: String, kind: RightKind, year: FeeYear?, due: CivilDate, entity: EntitySize = .large,
        inGrace: Bool = false
    ) -> FeeQuote? {
        guard let (fee, amount, index, rate) = select(rule: rule, kind: kind, year: year, due: due, entity: entity)
        else { return nil }
        return try? FeeSchedules.price(
            fee.spec, fee.spec.amounts[amount], index: fee.spec.amounts[amount].mci == nil ? nil : fee.indices[index],
            vat: fee.spec.vat == true ? fee.rates[rate] : nil, year: year, due: due, inGrace: inGrace)
    }

    /// The price of `deadline` of a right of `kind`.
    public func quote(for deadline: Deadline, kind: RightKind, entity: EntitySize = .large, inGrace: Bool = false)
        -> FeeQuote?
    {
        quote(rule: deadline.ruleID, kind: kind, year: deadline.year, due: deadline.due, entity: entity, inGrace: inGrace)
    }

    /// What ``quote(rule:kind:year:due:entity:inGrace:)`` would total, and its status, without
    /// the explanation: the forecast's hot path, a lookup in prices computed when the schedules
    /// were loaded.
    public func total(
        rule: String, kind: RightKind, year: FeeYear?, due: CivilDate, entity: EntitySize = .large,
        inGrace: Bool = false
    ) -> (total: Money, status: RuleStatus)? {
        guard let (fee, amount, index, rate) = select(rule: rule, kind: kind, year: year, due: due, entity: entity)
        else { return nil }
        return fee.prices[fee.slot(amount: amount, index: index, rate: rate, inGrace: inGrace)]
    }

    private static func compile(_ spec: FeeSpec, file: FeeScheduleFile) -> CompiledFee {
        let years = spec.amounts.map { amount -> ClosedRange<FeeYear>? in
            guard let text = amount.years else { return nil }
            let bounds = text.split(separator: "-").compactMap { Double($0) }.map { FeeYear(halfYears: Int16($0 * 2)) }
            return bounds.first! ... bounds.last!
        }
        let indices = (file.indices ?? []).filter { $0.name == "MCI" }.sorted { $0.from < $1.from }
        let rates = (file.vat ?? []).sorted { $0.from < $1.from }
        // In ``CompiledFee/slot(amount:index:rate:inGrace:)`` order: a fee without MCI or VAT has
        // the same price at every index value or rate.
        var prices: [(total: Money, status: RuleStatus)?] = []
        for amount in spec.amounts {
            for indexPosition in 0..<max(1, indices.count) {
                for ratePosition in 0..<max(1, rates.count) {
                    let index = amount.mci == nil || indices.isEmpty ? nil : indices[indexPosition]
                    let rate = spec.vat == true && !rates.isEmpty ? rates[ratePosition] : nil
                    for grace in [false, true] {
                        let quote = try? price(
                            spec, amount, index: index, vat: rate, year: nil, due: spec.validFrom, inGrace: grace)
                        prices.append(quote.map { ($0.total, $0.status) })
                    }
                }
            }
        }
        return CompiledFee(spec: spec, file: file, years: years, indices: indices, rates: rates, prices: prices)
    }

    private static func price(
        _ spec: FeeSpec, _ amount: FeeAmount, index: IndexValue?, vat rate: VATRate?, year: FeeYear?, due: CivilDate,
        inGrace: Bool
    ) throws -> FeeQuote {
        var status = spec.status
        let label = year.map { "year \($0) " } ?? ""
        var lines: [String] = []
        let fee: Money
        if let mci = amount.mci, let index {
            let value = try Money(parsing: "\(index.kzt) KZT")
            fee = try FeeSchedules.times(value, decimal: mci)
            if index.status == .unconfirmed { status = .unconfirmed }
            lines.append("\(spec.rule) \(label)fee: \(mci) MCI × \(value.amountText) KZT (MCI from \(index.from), \(index.citation)) = \(fee); \(spec.citation)")
        } else {
            fee = try Money(parsing: "\(amount.amount ?? "0") \(spec.currency.code)")
            lines.append("\(spec.rule) \(label)fee in force on \(due) (from \(spec.validFrom)): \(fee); \(spec.citation)")
        }
        var surcharge: Money?
        if inGrace {
            if let percent = spec.graceSurchargePercent {
                surcharge = try FeeSchedules.times(fee, decimal: percent, per: 100)
                lines.append("grace-period surcharge \(percent) %: \(surcharge!)")
            } else if let fixed = spec.graceSurcharge {
                surcharge = try Money(parsing: "\(fixed) \(fee.currency.code)")
                lines.append("grace-period surcharge: \(surcharge!)")
            }
        }
        var total = try fee.adding(surcharge ?? .zero(fee.currency))
        var vat: Money?
        if let rate {
            vat = try FeeSchedules.times(total, decimal: rate.percent, per: 100)
            if rate.status == .unconfirmed { status = .unconfirmed }
            lines.append("VAT \(rate.percent) % (from \(rate.from), \(rate.citation)): \(vat!)")
            total = try total.adding(vat!)
        }
        lines.append("total: \(total) (\(status.rawValue))")
        return FeeQuote(spec: spec, fee: fee, surcharge: surcharge, vat: vat, total: total, status: status, explanation: lines)
    }

    /// `money` × `decimal` / `per`, rounded half away from zero to the minor unit.
    static func times(_ money: Money, decimal: String, per: Int64 = 1) throws -> Money {
        let (digits, scale) = try decimalParts(decimal)
        var denominator = Int128(per)
        for _ in 0..<scale { denominator *= 10 }
        let numerator = Int128(money.minorUnits) * Int128(digits)
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        var result = quotient
        if remainder.magnitude * 2 >= denominator.magnitude { result += numerator < 0 ? -1 : 1 }
        guard let minor = Int64(exactly: result) else { throw MoneyError.overflow("\(money) × \(decimal)") }
        return Money(minorUnits: minor, money.currency)
    }

    /// A plain non-negative decimal as digits and scale: `5.25` → (525, 2).
    static func decimalParts(_ text: String) throws(MoneyError) -> (Int64, Int) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(PlainText.isDigit) }), text.count <= 15,
            let digits = Int64(parts.joined())
        else { throw .invalidText(text, reason: "write a plain decimal such as 12 or 5.25") }
        return (digits, parts.count == 2 ? parts[1].count : 0)
    }

    private static func check(_ file: FeeScheduleFile, path: String) throws(LoadError) {
        func fail(_ message: String) -> LoadError { LoadError(file: path, message: message) }
        var ids = Set<String>()
        for value in file.indices ?? [] {
            do { _ = try Money(parsing: "\(value.kzt) KZT") } catch { throw fail("index \(value.name) from \(value.from): \(error)") }
        }
        for rate in file.vat ?? [] {
            do { _ = try decimalParts(rate.percent) } catch { throw fail("VAT from \(rate.from): \(error)") }
        }
        for spec in file.fees {
            guard ids.insert(spec.id).inserted else { throw fail("a second fee \(spec.id)") }
            guard !spec.amounts.isEmpty else { throw fail("\(spec.id): no amounts") }
            if let until = spec.validUntil, until < spec.validFrom {
                throw fail("\(spec.id): valid_until \(until) is before valid_from \(spec.validFrom)")
            }
            if spec.vat == true, file.vat?.isEmpty ?? true { throw fail("\(spec.id): vat without VAT rates in the file") }
            for amount in spec.amounts {
                if let years = amount.years {
                    let bounds = years.split(separator: "-", omittingEmptySubsequences: false)
                    guard (1...2).contains(bounds.count), bounds.allSatisfy({ Double($0).map { ($0 * 2).rounded() == $0 * 2 } ?? false })
                    else { throw fail("\(spec.id): years '\(years)' is not a year such as 3, 3.5 or 10-20") }
                }
                switch (amount.amount, amount.mci) {
                case (let text?, nil):
                    do { _ = try Money(parsing: "\(text) \(spec.currency.code)") } catch { throw fail("\(spec.id): \(error)") }
                case (nil, let mci?):
                    guard spec.currency == .kzt else { throw fail("\(spec.id): an MCI amount is in KZT") }
                    guard file.indices?.contains(where: { $0.name == "MCI" }) == true else {
                        throw fail("\(spec.id): mci without MCI values in the file")
                    }
                    do { _ = try decimalParts(mci) } catch { throw fail("\(spec.id): mci \(error)") }
                default: throw fail("\(spec.id): give either amount or mci")
                }
            }
            for text in [spec.graceSurchargePercent].compactMap({ $0 }) {
                do { _ = try decimalParts(text) } catch { throw fail("\(spec.id): grace_surcharge_percent \(error)") }
            }
            if let fixed = spec.graceSurcharge {
                do { _ = try Money(parsing: "\(fixed) \(spec.currency.code)") } catch { throw fail("\(spec.id): \(error)") }
            }
        }
    }
}
