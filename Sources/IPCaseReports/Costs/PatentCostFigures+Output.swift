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
        return out + "\n\n" + TextEscaping.alignedRows(patentCosts.tableRows(ratesInline: true))
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
    /// whose figures carry `data-figure`/`data-value` as in ``IndicatorReport/html(title:officeName:language:)``.
    public func html(officeName: String? = nil) -> String {
        var page = HTMLPage()
        page.header(title: "Patent costs", period: period, office: office, officeName: officeName)
        page.patentCostSection(patentCosts, Localizer(.english), ratesInline: true)
        page.raw("<footer><p>Money is summed per currency; a KZT total is given only with a rate table you supply.</p></footer>\n")
        page.raw("</body>\n</html>\n")
        return page.text
    }
}

extension PatentCostFigures {
    /// The rows of the plain-text table in the language of `t`, labels indented by depth; with
    /// `ratesInline`, each rate the KZT total used in full (the indicators list them once instead).
    func tableRows(_ t: Localizer = Localizer(.english), ratesInline: Bool = false) -> [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = []
        func row(_ label: String, _ value: String, depth: Int = 1) {
            rows.append((String(repeating: "  ", count: depth) + label, value))
        }
        rows.append((t("costs.heading"), ""))
        row(t("costs.incurred"), t.money(total))
        if let converted = totalKZT {
            row(t("kzt.total"), t.money(converted.total), depth: 2)
            if ratesInline {
                for rate in converted.ratesUsed { row(t("kzt.rate"), t.rate(rate), depth: 3) }
            } else if !converted.ratesUsed.isEmpty {
                row(t("kzt.rates"), converted.ratesUsed.map { "\($0.currency.code) \(t.date($0.date))" }.joined(separator: "; "), depth: 3)
            }
            if !converted.unconverted.isEmpty { row(t("kzt.unconverted"), t.money(converted.unconverted), depth: 3) }
        }
        row(t("costs.by-jurisdiction"), byYearAndJurisdiction.isEmpty ? "—" : "")
        for spending in byYearAndJurisdiction {
            row("\(spending.year) \(t.jurisdictionGroup(spending.group))", t.money(spending.amounts), depth: 2)
        }
        row(t("costs.by-disclosure"), byYearAndDisclosure.isEmpty ? "—" : "")
        for spending in byYearAndDisclosure {
            row(
                TextEscaping.truncated("\(spending.year) \(t.disclosureGroup(spending))", toColumns: 56),
                t.money(spending.amounts), depth: 2)
        }
        row(t("costs.recovered"), t.money(recovery.recovered))
        row(t("costs.outstanding"), t.money(recovery.outstanding))
        row(t("costs.not-invoiced"), t.money(recovery.notInvoiced))
        row(t("costs.borne"), t.money(recovery.borne))
        for (label, cost) in [(t("costs.licensed"), perRight.licensed), (t("costs.unlicensed"), perRight.unlicensed)] {
            row(label, "\(cost.rights)")
            row(t("costs.costs"), t.money(cost.total), depth: 2)
            row(t("costs.average"), t.money(cost.average), depth: 2)
        }
        row(t("costs.family"), t.money(perRight.familyCosts))
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

    /// The patent-cost figures under `patent_costs` in the language of `t`: spending by year and
    /// jurisdiction and by disclosure, recovery, cost per licensed and unlicensed right; with
    /// `ratesInline` the KZT total's rates in full, else by reference to the report's list.
    mutating func patentCostSection(_ figures: PatentCostFigures, _ t: Localizer, ratesInline: Bool) {
        let path = "patent_costs"
        func h(_ key: String) -> String { TextEscaping.xml(t(key)) }
        raw("<section id=\"patent-costs\">\n<h2>\(h("costs.heading"))</h2>\n<table>\n<tbody>\n")
        moneyRow(t("costs.incurred"), "\(path).total", figures.total)
        if let converted = figures.totalKZT {
            if ratesInline {
                moneyRow(t("kzt.total"), "\(path).total_kzt.total", converted.total, sub: true)
                for rate in converted.ratesUsed { rateRow(rate, "\(path).total_kzt.rates_used") }
                if !converted.unconverted.isEmpty {
                    moneyRow(t("kzt.unconverted"), "\(path).total_kzt.unconverted", converted.unconverted, sub: true)
                }
            } else {
                kztRows(converted, "\(path).total_kzt")
            }
        }
        raw("</tbody>\n</table>\n")
        spendingTable(
            t("costs.by-jurisdiction"), t("column.jurisdiction"), "\(path).by_year_and_jurisdiction",
            figures.byYearAndJurisdiction, label: { t.jurisdictionGroup($0.group) })
        spendingTable(
            t("costs.by-disclosure"), t("column.disclosure"), "\(path).by_year_and_disclosure",
            figures.byYearAndDisclosure, label: t.disclosureGroup)

        let recovery = figures.recovery
        raw("<h3>\(h("costs.recovery"))</h3>\n<table>\n<tbody>\n")
        moneyRow(t("costs.incurred"), "\(path).recovery.costs", recovery.costs)
        moneyRow(t("costs.recovery.recovered"), "\(path).recovery.recovered", recovery.recovered, sub: true)
        moneyRow(t("costs.recovery.outstanding"), "\(path).recovery.outstanding", recovery.outstanding, sub: true)
        moneyRow(t("costs.recovery.not-invoiced"), "\(path).recovery.not_invoiced", recovery.notInvoiced, sub: true)
        moneyRow(t("costs.recovery.borne"), "\(path).recovery.borne", recovery.borne, sub: true)
        raw("</tbody>\n</table>\n")
        for currency in recovery.costs.amounts.map(\.currency) {
            let items = [
                (t("chart.recovered"), "recovered", recovery.recovered),
                (t("chart.outstanding"), "outstanding", recovery.outstanding),
                (t("chart.not-invoiced"), "not_invoiced", recovery.notInvoiced), (t("chart.borne"), "borne", recovery.borne),
            ].compactMap { (label: String, key: String, totals: MoneyTotals) -> SVGChart.Item? in
                guard let amount = totals.amount(in: currency) else { return nil }
                return SVGChart.Item(
                    label: label, value: amount.minorUnits, display: t.money(amount),
                    figure: "\(path).recovery.\(key).\(currency.code).minor_units")
            }
            raw(
                "<div class=\"charts\">"
                    + SVGChart.pie(title: t("chart.costs-by-recovery", ["currency": currency.code]), items: items, t)
                    + "</div>\n")
        }

        raw("<h3>\(h("costs.per-right"))</h3>\n<table>\n<tbody>\n")
        for (label, key, cost) in [
            (t("costs.licensed"), "licensed", figures.perRight.licensed),
            (t("costs.unlicensed"), "unlicensed", figures.perRight.unlicensed),
        ] {
            countRow(label, "\(path).per_right.\(key).rights", cost.rights)
            moneyRow(t("costs.costs"), "\(path).per_right.\(key).total", cost.total, sub: true)
            moneyRow(t("costs.average"), "\(path).per_right.\(key).average", cost.average, sub: true)
        }
        moneyRow(t("costs.family"), "\(path).per_right.family_costs", figures.perRight.familyCosts)
        raw("</tbody>\n</table>\n</section>\n")
    }

    /// A table of spending rows: year, group, amount per currency; each a figure.
    private mutating func spendingTable(
        _ title: String, _ column: String, _ path: String, _ rows: [SpendingRow], label: (SpendingRow) -> String
    ) {
        raw("<h3>\(TextEscaping.xml(title))</h3>\n<table>\n")
        raw(
            "<thead><tr><th scope=\"col\">\(TextEscaping.xml(t("column.year")))</th><th scope=\"col\">\(TextEscaping.xml(column))</th>"
                + "<th scope=\"col\">\(TextEscaping.xml(t("column.costs")))</th></tr></thead>\n<tbody>\n")
        if rows.isEmpty { raw("<tr><td colspan=\"3\">\(TextEscaping.xml(t("table.none")))</td></tr>\n") }
        for row in rows {
            let figure = "\(path).\(row.key)"
            for (index, amount) in row.amounts.amounts.enumerated() {
                raw("<tr>")
                if index == 0 {
                    raw(
                        "<td data-figure=\"\(TextEscaping.xml(figure)).year\" data-value=\"\(row.year)\">\(row.year)</td>"
                            + "<td data-figure=\"\(TextEscaping.xml(figure)).group\" data-value=\"\(TextEscaping.xml(row.group))\">"
                            + "\(TextEscaping.xml(label(row)))</td>")
                } else {
                    raw("<td></td><td></td>")
                }
                raw(
                    "<td class=\"num\" data-figure=\"\(TextEscaping.xml(figure)).amounts.\(amount.currency.code).minor_units\" "
                        + "data-value=\"\(amount.minorUnits)\">\(TextEscaping.xml(t.money(amount)))</td></tr>\n")
            }
        }
        raw("</tbody>\n</table>\n")
    }
}
