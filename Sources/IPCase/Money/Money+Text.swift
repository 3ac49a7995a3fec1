extension Money: CustomStringConvertible {
    /// The amount grouped by thousands with spaces, a `.` before the minor units, and the code:
    /// `1 234 567.89 KZT`, `-0.05 USD`, `1 000 JPY`.
    public var description: String { "\(amountText) \(currency.code)" }

    /// The amount without the code, e.g. `1 234 567.89`.
    public var amountText: String {
        let magnitude = minorUnits.magnitude
        let perMajor = UInt64(currency.minorUnitsPerMajor)
        let major = String(magnitude / perMajor)
        var grouped = ""
        for (offset, character) in major.enumerated() {
            if offset > 0, (major.count - offset) % 3 == 0 { grouped.append(" ") }
            grouped.append(character)
        }
        var text = (minorUnits < 0 ? "-" : "") + grouped
        if currency.minorUnitExponent > 0 {
            let minor = String(magnitude % perMajor)
            text += "." + String(repeating: "0", count: currency.minorUnitExponent - minor.count) + minor
        }
        return text
    }

    /// Parses an amount with its currency code before or after it: `1 234 567.89 KZT`,
    /// `KZT 1234567.89`, `-12.5 USD`, `1000 JPY`.
    ///
    /// Digits may be grouped by threes with spaces (also no-break and narrow no-break spaces);
    /// the decimal separator is `.`, followed by at most as many digits as the currency's minor
    /// unit has (fewer are padded: `12.5 USD` is 1 250 cents).
    /// - Throws: ``MoneyError/invalidText(_:reason:)`` saying what is wrong.
    public init(parsing text: String) throws(MoneyError) {
        func fail(_ reason: String) -> MoneyError { .invalidText(text, reason: reason) }
        let normalized = PlainText.trimmed(
            String(text.map { $0 == "\u{00A0}" || $0 == "\u{202F}" || $0 == "\u{2009}" ? " " : $0 }))
        let tokens = normalized.split(separator: " ")
        guard tokens.count >= 2 else { throw fail("expected an amount and a currency code, e.g. '1 234.56 KZT'") }
        let codeFirst = tokens.first!.allSatisfy(\.isLetter)
        let codeToken = codeFirst ? tokens.first! : tokens.last!
        guard let currency = Currency(code: String(codeToken)), codeToken.count == 3 else {
            throw fail("'\(codeToken)' is not a known currency code")
        }
        var numberTokens = codeFirst ? Array(tokens.dropFirst()) : Array(tokens.dropLast())
        var negative = false
        if let first = numberTokens.first, first.hasPrefix("-") || first.hasPrefix("−") {
            negative = true
            let rest = first.dropFirst()
            if rest.isEmpty { numberTokens.removeFirst() } else { numberTokens[0] = rest }
        }
        guard !numberTokens.isEmpty else { throw fail("no digits") }
        guard let last = numberTokens.last else { throw fail("no digits") }
        let lastParts = last.split(separator: ".", omittingEmptySubsequences: false)
        guard lastParts.count <= 2 else { throw fail("more than one '.'") }
        let groups = Array(numberTokens.dropLast()) + [lastParts[0]]
        let fraction = lastParts.count == 2 ? lastParts[1] : nil
        for group in groups {
            guard !group.isEmpty, group.allSatisfy(PlainText.isDigit) else {
                throw fail("use digits, spaces between groups of three, and '.' before the minor units")
            }
        }
        if groups.count > 1 {
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw fail("digit groups separated by spaces must have three digits")
            }
        }
        var minor: Int64 = 0
        func push(_ digit: Character) throws(MoneyError) {
            let (times, overflow1) = minor.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(Int64(digit.asciiValue! - 48))
            guard !overflow1, !overflow2 else { throw fail("too large") }
            minor = plus
        }
        for group in groups { for digit in group { try push(digit) } }
        let decimals = fraction.map(Array.init) ?? []
        if let fraction {
            guard currency.minorUnitExponent > 0 else { throw fail("\(currency.code) has no minor unit") }
            guard !fraction.isEmpty, fraction.allSatisfy(PlainText.isDigit) else { throw fail("no digits after '.'") }
            guard fraction.count <= currency.minorUnitExponent else {
                throw fail("\(currency.code) has \(currency.minorUnitExponent) decimal places")
            }
        }
        for index in 0..<currency.minorUnitExponent {
            try push(index < decimals.count ? decimals[index] : "0")
        }
        self.init(minorUnits: negative ? -minor : minor, currency)
    }
}
