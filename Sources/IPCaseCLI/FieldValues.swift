import Foundation
import IPCase
import IPCaseReports

/// Why one value of a record could not be read. The text completes the field's name:
/// `'12,5' is not an amount in KZT (use 12.50)`; the caller adds where the value came from (a
/// CSV row and column, a command-line option).
public struct FieldProblem: Error, Sendable, Hashable {
    /// What is wrong, starting with the value as given (English).
    public var text: String
    /// The catalog message that says it in every language (`import.problem.…`), if there is one.
    public var key: String?
    /// The values of the catalog message's placeholders.
    public var arguments: [String: String]

    /// Creates a problem said in English only.
    public init(_ text: String) {
        self.text = text
        self.key = nil
        self.arguments = [:]
    }

    /// Creates a problem said by the catalog message `key` (``text`` is its English text).
    public init(key: String, _ arguments: [String: String] = [:]) {
        self.text = Localizer(.english)(key, arguments)
        self.key = key
        self.arguments = arguments
    }
}

/// The parsers of record values shared by `ipcase import` (CSV columns) and the records commands
/// (options), so a value reads the same way wherever it is typed.
///
/// ```swift
/// try FieldValues.amount("1234.50", in: .kzt)          // 123 450 minor units
/// try FieldValues.choice("royalty", Payment.Kind.self) // .royalty
/// ```
public enum FieldValues {
    /// One of an enumeration's raw values, e.g. `royalty` for `Payment.Kind`.
    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type) throws(FieldProblem)
        -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw FieldProblem(
                key: "import.problem.not-one-of",
                ["value": text, "choices": T.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return value
    }

    /// A currency code such as `KZT`.
    public static func currency(_ text: String) throws(FieldProblem) -> Currency {
        guard let currency = Currency(code: text) else {
            throw FieldProblem(key: "import.problem.currency", ["value": text])
        }
        return currency
    }

    /// An e-mail address: one `@` with a name before it and a domain with a dot after it, no
    /// spaces, at most 254 characters (RFC 5321's limit).
    public static func email(_ text: String) throws(FieldProblem) -> String {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !text.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," || $0 == ";" })
        else { throw FieldProblem(key: "import.problem.email", ["value": text]) }
        return text
    }

    /// An IANA time zone this system knows, such as `Asia/Almaty` (an office's civil date, and
    /// so every "today" of its docket, is taken in it).
    public static func timeZone(_ text: String) throws(FieldProblem) -> String {
        guard !text.isEmpty, text.utf8.count <= 64, TimeZone(identifier: text) != nil else {
            throw FieldProblem(key: "import.problem.time-zone", ["value": text])
        }
        return text
    }

    /// A working-day calendar that has data (`Sources/IPCase/Data/calendars`), by its code.
    public static func calendar(_ text: String, in rules: RuleBook = .standard) throws(FieldProblem) -> Jurisdiction {
        guard let code = Jurisdiction(text), rules.calendar(id: code.code) != nil else {
            let known = rules.calendarIDs.sorted().joined(separator: ", ")
            throw FieldProblem(key: "import.problem.calendar", ["value": text, "known": known])
        }
        return code
    }

    /// The code of a language IPCase writes in: `en`, `kk` or `ru` (an office's notices).
    public static func language(_ text: String) throws(FieldProblem) -> String {
        guard let language = Language(rawValue: text) else {
            let codes = Language.allCases.map(\.code).sorted().joined(separator: ", ")
            throw FieldProblem(key: "import.problem.not-one-of", ["value": text, "choices": codes])
        }
        return language.code
    }

    /// A title (of a right, disclosure or deal): at most 2 000 characters, refused rather than cut.
    public static func title(_ text: String) throws(FieldProblem) -> String { try limited(text, 2_000) }

    /// A name (of a party or office): at most 500 characters, refused rather than cut.
    public static func name(_ text: String) throws(FieldProblem) -> String { try limited(text, 500) }

    static func limited(_ text: String, _ limit: Int) throws(FieldProblem) -> String {
        guard text.count <= limit else {
            throw FieldProblem(key: "import.problem.too-long", ["length": String(text.count), "limit": String(limit)])
        }
        return text
    }

    /// A telephone number: digits with an optional leading `+` and spaces, dashes, dots or
    /// brackets between them, 5 to 32 characters.
    public static func phone(_ text: String) throws(FieldProblem) -> String {
        let allowed = Set("0123456789 +-().")
        let digits = text.filter(\.isNumber).count
        guard (5...32).contains(text.count), digits >= 5, text.allSatisfy({ allowed.contains($0) }),
            !text.dropFirst().contains("+")
        else { throw FieldProblem(key: "import.problem.phone", ["value": text]) }
        return text
    }

    /// An ISO 3166 alpha-2 country code such as `KZ`.
    public static func country(_ text: String) throws(FieldProblem) -> Country {
        guard let country = Country(text) else { throw FieldProblem(key: "import.problem.country", ["value": text]) }
        return country
    }

    /// An amount in major units without grouping spaces (`1234.50`), in `currency`; negative
    /// amounts are refused, and zero too unless `allowZero`.
    public static func amount(_ text: String, in currency: Currency, allowZero: Bool = true) throws(FieldProblem)
        -> Money
    {
        let example = currency.minorUnitExponent > 0 ? "1234.50" : "1234"
        guard !text.contains(" "), let amount = try? Money(parsing: "\(text) \(currency.code)") else {
            throw FieldProblem(
                key: "import.problem.amount", ["value": text, "currency": currency.code, "example": example])
        }
        guard amount.minorUnits > 0 || (allowZero && amount.minorUnits == 0) else {
            throw FieldProblem(
                key: "import.problem.amount-positive", ["value": text, "currency": currency.code, "example": example])
        }
        return amount
    }

    /// A percentage with up to two decimals, e.g. `3.50`.
    public static func percent(_ text: String) throws(FieldProblem) -> BasisPoints {
        guard let rate = BasisPoints(percent: text) else {
            throw FieldProblem(key: "import.problem.percent", ["value": text])
        }
        return rate
    }

    /// An inventor and share as `PARTY=PERCENT`, e.g. `12=60`.
    public static func inventorShare(_ text: String) throws(FieldProblem) -> InventorShare {
        let parts = text.split(separator: "=")
        guard parts.count == 2, let party = Int64(parts[0]), let share = BasisPoints(percent: String(parts[1])) else {
            throw FieldProblem("'\(text)' is not PARTY=PERCENT, e.g. 12=60")
        }
        return InventorShare(ID(rawValue: party), share)
    }

    /// Royalty reports as `INTERVAL:DAYS`, e.g. `quarterly:30` (each report due 30 days after
    /// the end of every quarter).
    public static func royaltyReports(_ text: String) throws(FieldProblem) -> Obligation {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let interval = ReportingInterval(rawValue: String(parts[0])),
            let days = Int(parts[1]), days >= 0
        else {
            throw FieldProblem(
                "'\(text)' is not INTERVAL:DAYS with INTERVAL one of \(ReportingInterval.allCases.map(\.rawValue).joined(separator: ", ")), e.g. quarterly:30"
            )
        }
        return .royaltyReports(every: interval, dueWithinDays: days)
    }

    /// A milestone as `NAME:YYYY-MM-DD`, e.g. `First sale:2027-06-30` (the name may contain `:`).
    public static func milestone(_ text: String) throws(FieldProblem) -> Obligation {
        guard let colon = text.lastIndex(of: ":"),
            let due = try? CivilDate(iso: String(text[text.index(after: colon)...])),
            !text[..<colon].trimmingCharacters(in: .whitespaces).isEmpty
        else { throw FieldProblem("'\(text)' is not NAME:YYYY-MM-DD, e.g. \"First sale:2027-06-30\"") }
        return .milestone(name: text[..<colon].trimmingCharacters(in: .whitespaces), dueOn: due)
    }

    /// A milestone payment as `NAME:AMOUNT` or `NAME:AMOUNT:YYYY-MM-DD` in `currency`, e.g.
    /// `First sale:1000000:2027-06-30`.
    public static func milestonePayment(_ text: String, in currency: Currency) throws(FieldProblem)
        -> MilestonePayment
    {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var due: CivilDate?
        if parts.count >= 3, let day = try? CivilDate(iso: parts[parts.count - 1]) {
            due = day
            parts.removeLast()
        }
        guard parts.count >= 2, let amountText = parts.last else {
            throw FieldProblem("'\(text)' is not NAME:AMOUNT[:YYYY-MM-DD], e.g. \"First sale:1000000:2027-06-30\"")
        }
        let name = parts.dropLast().joined(separator: ":").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw FieldProblem("'\(text)' has no milestone name before the amount") }
        return MilestonePayment(name: name, amount: try amount(amountText, in: currency, allowZero: false), dueOn: due)
    }

    /// The columns (CSV) or option names (`--` and `-` for `_`) that ``financialTerms(_:problem:)`` reads.
    public static let financialTermsFields = [
        "currency", "upfront", "royalty_rate", "royalty_base", "minimum_annual_royalty", "sublicense_share",
        "patent_costs", "equity_percentage", "equity_shares",
    ]

    /// Financial terms from named values (``financialTermsFields``; an empty value is not given),
    /// all amounts in `currency`; `nil` when no term is given. Each bad value is reported to
    /// `problem` with its field name, and left out.
    public static func financialTerms(
        _ value: (String) -> String, problem: (_ field: String, _ text: String) -> Void
    ) -> FinancialTerms? {
        let termFields = financialTermsFields.filter { $0 != "currency" }
        guard termFields.contains(where: { !value($0).isEmpty }) else { return nil }
        let currencyText = value("currency")
        let currency = try? Self.currency(currencyText)
        if currency == nil, !currencyText.isEmpty {
            problem("currency", "'\(currencyText)' is not a currency code such as KZT")
        }
        func money(_ field: String, _ text: String? = nil) -> Money? {
            let given = text ?? value(field)
            guard !given.isEmpty else { return nil }
            guard let currency else {
                if currencyText.isEmpty { problem("currency", "an amount in \(field) needs a currency") }
                return nil
            }
            do throws(FieldProblem) { return try amount(given, in: currency) } catch {
                problem(field, error.text)
                return nil
            }
        }
        func rate(_ field: String) -> BasisPoints? {
            let given = value(field)
            guard !given.isEmpty else { return nil }
            do throws(FieldProblem) { return try percent(given) } catch {
                problem(field, error.text)
                return nil
            }
        }
        var terms = FinancialTerms(
            upfront: money("upfront"), minimumAnnualRoyalty: money("minimum_annual_royalty"),
            sublicenseIncomeShare: rate("sublicense_share"))
        if let royalty = rate("royalty_rate") {
            if let base = RunningRoyalty.Base(rawValue: value("royalty_base")) {
                terms.runningRoyalty = RunningRoyalty(rate: royalty, base: base)
            } else {
                problem("royalty_base", "'\(value("royalty_base"))' is not net-sales, gross-sales or net-revenue")
            }
        }
        let costs = value("patent_costs")
        if costs.hasPrefix("fixed:") {
            if let amount = money("patent_costs", String(costs.dropFirst(6))) {
                terms.patentCostReimbursement = .fixed(amount)
            }
        } else if costs == "actual" {
            terms.patentCostReimbursement = .actualCosts(cap: nil)
        } else if costs.hasPrefix("actual:") {
            if let cap = money("patent_costs", String(costs.dropFirst(7))) {
                terms.patentCostReimbursement = .actualCosts(cap: cap)
            }
        } else if !costs.isEmpty {
            problem("patent_costs", "'\(costs)' is not fixed:AMOUNT, actual or actual:CAP")
        }
        let equityPercent = rate("equity_percentage")
        let sharesText = value("equity_shares")
        let shares = Int64(sharesText)
        if !sharesText.isEmpty, shares == nil {
            problem("equity_shares", "'\(sharesText)' is not a whole number of shares")
        }
        if equityPercent != nil || shares != nil { terms.equity = Equity(percentage: equityPercent, shares: shares) }
        return terms
    }
}
