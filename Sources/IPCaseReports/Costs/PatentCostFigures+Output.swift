import Foundation
import IPCase

/// The patent-cost figures of a period as their own report (`ipcase budget spending`): the
/// same figures the indicators report carries under `patent_costs`, with the period and office.
public struct PatentSpendingReport: Hashable, Sendable, Codable {
    /// The period reported on.
    public var period: ReportPeriod
    /// The office reported on; `nil` for every office in the portfolio.
    public var office: ID<Office>?
    /// The figures.
    public var patentCosts: PatentCostFigures

    /// The schema name written into JSON, `ipcase.patent-spending/1`.
    public static let schema = "ipcase.patent-spending/1"

    /// Creates a report from its figures.
    public init(period: ReportPeriod, office: ID<Office>?, patentCosts: PatentCostFigures) {
        self.period = period
        self.office = office
        self.patentCosts = patentCosts
    }

    /// Computes the report of `period` from `portfolio` (see
    /// ``PatentCostFigures/compute(for:from:office:rates:)``).
    /// - Parameters:
    ///   - period: the days whose costs count.
    ///   - portfolio: the records.
    ///   - office: only this office's records; every office's with `nil`.
    ///   - rates: a rate table to give the total in KZT too.
    public static func compute(
        for period: ReportPeriod, from portfolio: Portfolio, office: ID<Office>? = nil, rates: ExchangeRates? = nil
    ) throws(MoneyError) -> PatentSpendingReport {
        PatentSpendingReport(
            period: period, office: office,
            patentCosts: try PatentCostFigures.compute(for: period, from: portfolio, office: office, rates: rates))
    }

    enum CodingKeys: String, CodingKey {
        case schema, period, office
        case patentCosts = "patent_costs"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        period = try container.decode(ReportPeriod.self, forKey: .period)
        office = try container.decodeIfPresent(ID<Office>.self, forKey: .office)
        patentCosts = try container.decode(PatentCostFigures.self, forKey: .patentCosts)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schema, forKey: .schema)
        try container.encode(period, forKey: .period)
        try container.encode(office, forKey: .office)
        try container.encode(patentCosts, forKey: .patentCosts)
    }

    /// The report as JSON: stable snake_case keys, sorted, pretty-printed; money as a list per
    /// currency of `{"currency", "minor_units", "amount"}`.
    public func json() -> String { TextEscaping.reportJSON(self) }

    /// The report as a plain-text table.
    public func table(officeName: String? = nil) -> String {
        var out = "Patent costs \(period)"
        if let officeName { out += " — \(officeName)" } else if let office { out += " — office \(office.rawValue)" }
        return out + "\n\n" + TextEscaping.alignedRows(patentCosts.tableRows())
    }

    /// CSV (RFC 4180, CRLF): `section,year,group,label,rights,currency,amount`, one row per
    /// figure and currency. Sections: `total`, `total-kzt`, `jurisdiction`, `disclosure`,
    /// `recovery` (groups `costs`, `recovered`, `outstanding`, `not-invoiced`, `borne`) and
    /// `per-right` (groups `licensed`, `unlicensed` with their total and `average`, and
    /// `family`); amounts as plain decimals.
    public func csv() -> String {
        var rows = [["section", "year", "group", "label", "rights", "currency", "amount"]]
        func add(_ section: String, _ year: String, _ group: String, _ label: String, _ rights: String, _ totals: MoneyTotals) {
            for amount in totals.amounts {
                rows.append([section, year, group, label, rights, amount.currency.code, MoneyTotals.plainDecimal(amount)])
            }
        }
        let figures = patentCosts
        add("total", "", "", "Costs incurred", "", figures.total)
        if let converted = figures.totalKZT { add("total-kzt", "", "", "In KZT at the rates supplied", "", converted.total) }
        for row in figures.byYearAndJurisdiction { add("jurisdiction", String(row.year), row.group, row.label, "", row.amounts) }
        for row in figures.byYearAndDisclosure { add("disclosure", String(row.year), row.group, row.label, "", row.amounts) }
        let recovery = figures.recovery
        add("recovery", "", "costs", "Costs incurred", "", recovery.costs)
        add("recovery", "", "recovered", "Recovered from licensees", "", recovery.recovered)
        add("recovery", "", "outstanding", "Invoiced, not yet paid", "", recovery.outstanding)
        add("recovery", "", "not-invoiced", "Reimbursable, not yet invoiced", "", recovery.notInvoiced)
        add("recovery", "", "borne", "Borne by the office", "", recovery.borne)
        for (group, cost) in [("licensed", figures.perRight.licensed), ("unlicensed", figures.perRight.unlicensed)] {
            if cost.total.isEmpty {
                rows.append(["per-right", "", group, "Total", String(cost.rights), "", ""])
            }
            add("per-right", "", group, "Total", String(cost.rights), cost.total)
            add("per-right", "", group, "Average per right", String(cost.rights), cost.average)
        }
        add("per-right", "", "family", "Costs of whole families", "", figures.perRight.familyCosts)
        return rows.map(TextEscaping.csvRecord).joined()
    }

    /// A self-contained HTML page (inline CSS, no scripts, every text escaped, well-formed XML)
    /// whose figures carry `data-figure`/`data-value` as in ``IndicatorReport/html(title:officeName:)``.
    public func html(officeName: String? = nil) -> String {
        var page = HTMLPage()
        page.header(title: "Patent costs", period: period, office: office, officeName: officeName)
        page.patentCostSection(patentCosts)
        page.raw("<footer><p>Money is summed per currency; a KZT total is given only with a rate table you supply.</p></footer>\n")
        page.raw("</body>\n</html>\n")
        return page.text
    }
}

extension PatentCostFigures {
    /// The rows of the plain-text table, labels indented by depth.
    func tableRows() -> [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = []
        func row(_ label: String, _ value: String, depth: Int = 1) {
            rows.append((String(repeating: "  ", count: depth) + label, value))
        }
        rows.append(("Patent costs", ""))
        row("Costs incurred", total.description)
        if let converted = totalKZT {
            row("in KZT at the rates supplied", converted.total.description, depth: 2)
            for rate in converted.ratesUsed { row("rate", rate.description, depth: 3) }
            if !converted.unconverted.isEmpty { row("no rate for", converted.unconverted.description, depth: 3) }
        }
        row("By year and jurisdiction", byYearAndJurisdiction.isEmpty ? "—" : "")
        for spending in byYearAndJurisdiction { row("\(spending.year) \(spending.label)", spending.amounts.description, depth: 2) }
        row("By year and disclosure", byYearAndDisclosure.isEmpty ? "—" : "")
        for spending in byYearAndDisclosure {
            row(TextEscaping.truncated("\(spending.year) \(spending.label)", toColumns: 56), spending.amounts.description, depth: 2)
        }
        row("Recovered from licensees", recovery.recovered.description)
        row("Unrecovered: invoiced, not yet paid", recovery.outstanding.description)
        row("Unrecovered: reimbursable, not yet invoiced", recovery.notInvoiced.description)
        row("Unrecovered: borne by the office", recovery.borne.description)
        for (label, cost) in [("Licensed rights", perRight.licensed), ("Unlicensed rights", perRight.unlicensed)] {
            row(label, "\(cost.rights)")
            row("costs", cost.total.description, depth: 2)
            row("average per right", cost.average.description, depth: 2)
        }
        row("Costs of whole families (in no right's figure)", perRight.familyCosts.description)
        return rows
    }
}

extension TextEscaping {
    /// A report as JSON: sorted keys, pretty-printed, slashes unescaped, ending in a newline.
    static func reportJSON(_ report: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The reports encode plain strings, integers and dates, which cannot fail.
        let data = try! encoder.encode(report)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Rows of `label  value` with the values aligned; a row without a value is a heading.
    static func alignedRows(_ rows: [(label: String, value: String)]) -> String {
        let width = rows.filter { !$0.value.isEmpty }.map { columns($0.label) }.max() ?? 0
        return rows.map { $0.value.isEmpty ? $0.label + "\n" : padded($0.label, to: width) + "  " + $0.value + "\n" }
            .joined()
    }
}

extension HTMLPage {
    /// The document's head and heading: title, period, the office.
    mutating func header(title: String, period: ReportPeriod, office: ID<Office>?, officeName: String?) {
        raw("<!DOCTYPE html>\n")
        raw("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n")
        raw("<meta charset=\"utf-8\"/>\n")
        raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        raw("<title>\(TextEscaping.xml(title)) \(period)</title>\n")
        raw("<style>\n\(IndicatorReport.css)</style>\n</head>\n<body>\n")
        raw(
            "<header><h1>\(TextEscaping.xml(title))</h1>\n<p class=\"period\">Period <time>\(period.from)</time> – <time>\(period.to)</time>"
        )
        if let officeName {
            raw(" · \(TextEscaping.xml(officeName))")
        } else if let office {
            raw(" · office \(office.rawValue)")
        }
        raw("</p></header>\n")
    }

    /// The patent-cost figures under `patent_costs`: spending by year and jurisdiction and by
    /// disclosure, recovery, cost per licensed and unlicensed right.
    mutating func patentCostSection(_ figures: PatentCostFigures) {
        let path = "patent_costs"
        raw("<section id=\"patent-costs\">\n<h2>Patent costs</h2>\n<table>\n<tbody>\n")
        moneyRow("Costs incurred", "\(path).total", figures.total)
        if let converted = figures.totalKZT {
            moneyRow("in KZT at the rates supplied", "\(path).total_kzt.total", converted.total, sub: true)
            for rate in converted.ratesUsed { rateRow(rate, "\(path).total_kzt.rates_used") }
            if !converted.unconverted.isEmpty {
                moneyRow("no rate for", "\(path).total_kzt.unconverted", converted.unconverted, sub: true)
            }
        }
        raw("</tbody>\n</table>\n")
        spendingTable("By year and jurisdiction", "Jurisdiction", "\(path).by_year_and_jurisdiction", figures.byYearAndJurisdiction)
        spendingTable("By year and disclosure", "Disclosure", "\(path).by_year_and_disclosure", figures.byYearAndDisclosure)

        let recovery = figures.recovery
        raw("<h3>Recovered and unrecovered costs</h3>\n<table>\n<tbody>\n")
        moneyRow("Costs incurred", "\(path).recovery.costs", recovery.costs)
        moneyRow("recovered from licensees", "\(path).recovery.recovered", recovery.recovered, sub: true)
        moneyRow("invoiced, not yet paid", "\(path).recovery.outstanding", recovery.outstanding, sub: true)
        moneyRow("reimbursable, not yet invoiced", "\(path).recovery.not_invoiced", recovery.notInvoiced, sub: true)
        moneyRow("borne by the office", "\(path).recovery.borne", recovery.borne, sub: true)
        raw("</tbody>\n</table>\n")
        for currency in recovery.costs.amounts.map(\.currency) {
            let items = [
                ("Recovered", "recovered", recovery.recovered), ("Invoiced, unpaid", "outstanding", recovery.outstanding),
                ("Not invoiced", "not_invoiced", recovery.notInvoiced), ("Borne", "borne", recovery.borne),
            ].compactMap { (label: String, key: String, totals: MoneyTotals) -> SVGChart.Item? in
                guard let amount = totals.amount(in: currency) else { return nil }
                return SVGChart.Item(
                    label: label, value: amount.minorUnits, display: amount.description,
                    figure: "\(path).recovery.\(key).\(currency.code).minor_units")
            }
            raw("<div class=\"charts\">" + SVGChart.pie(title: "Patent costs by recovery, \(currency.code)", items: items) + "</div>\n")
        }

        raw("<h3>Cost per licensed and unlicensed right</h3>\n<table>\n<tbody>\n")
        for (label, key, cost) in [
            ("Licensed rights", "licensed", figures.perRight.licensed),
            ("Unlicensed rights", "unlicensed", figures.perRight.unlicensed),
        ] {
            countRow(label, "\(path).per_right.\(key).rights", cost.rights)
            moneyRow("costs", "\(path).per_right.\(key).total", cost.total, sub: true)
            moneyRow("average per right", "\(path).per_right.\(key).average", cost.average, sub: true)
        }
        moneyRow("Costs of whole families (in no right's figure)", "\(path).per_right.family_costs", figures.perRight.familyCosts)
        raw("</tbody>\n</table>\n</section>\n")
    }

    /// A table of spending rows: year, group, amount per currency; each a figure.
    private mutating func spendingTable(_ title: String, _ column: String, _ path: String, _ rows: [SpendingRow]) {
        raw("<h3>\(TextEscaping.xml(title))</h3>\n<table>\n")
        raw(
            "<thead><tr><th scope=\"col\">Year</th><th scope=\"col\">\(TextEscaping.xml(column))</th>"
                + "<th scope=\"col\">Costs</th></tr></thead>\n<tbody>\n")
        if rows.isEmpty { raw("<tr><td colspan=\"3\">none</td></tr>\n") }
        for row in rows {
            let figure = "\(path).\(row.key)"
            for (index, amount) in row.amounts.amounts.enumerated() {
                raw("<tr>")
                if index == 0 {
                    raw(
                        "<td data-figure=\"\(TextEscaping.xml(figure)).year\" data-value=\"\(row.year)\">\(row.year)</td>"
                            + "<td data-figure=\"\(TextEscaping.xml(figure)).group\" data-value=\"\(TextEscaping.xml(row.group))\">"
                            + "\(TextEscaping.xml(row.label))</td>")
                } else {
                    raw("<td></td><td></td>")
                }
                raw(
                    "<td class=\"num\" data-figure=\"\(TextEscaping.xml(figure)).amounts.\(amount.currency.code).minor_units\" "
                        + "data-value=\"\(amount.minorUnits)\">\(TextEscaping.xml(amount.description))</td></tr>\n")
            }
        }
        raw("</tbody>\n</table>\n")
    }
}
