import Foundation
import IPCase

extension BudgetForecast {
    /// What the outputs call the grouping's column: `jurisdiction`, `family`, `disclosure`.
    var groupHeading: String { grouping == .year ? "" : grouping.rawValue }

    /// The forecast as a plain-text table: per year (and group) the fees and their KZT sum,
    /// then the totals, the rates used, what had no rate, what is not priced and what decisions
    /// saved. `detail` lists every fee instead of the sums (when the forecast kept them);
    /// `unpricedLimit` is how many unpriced fee deadlines are listed before the rest are counted.
    public func text(officeName: String? = nil, detail: Bool = false, unpricedLimit: Int = 50) -> String {
        var lines = ["Budget forecast\(officeName.map { " — \($0)" } ?? ""): official fees \(from) to \(through), in KZT"]
        lines.append("")
        if detail {
            var table = TextTable(
                headers: ["DUE", "RIGHT", "RULE", "YEAR", "AMOUNT", "KZT", "STATUS"],
                alignments: [.left, .left, .left, .right, .right, .right, .left])
            for fee in fees {
                table.rows.append([
                    fee.due.description + (fee.inGrace ? " (grace)" : ""), fee.reference, fee.rule,
                    fee.year?.description ?? "", fee.amount.description, fee.kzt.map(Self.amount) ?? "no rate",
                    fee.status.rawValue,
                ])
            }
            lines += table.lines()
        } else {
            var table = TextTable(
                headers: grouping == .year
                    ? ["YEAR", "FEES", "KZT", "NO RATE"] : ["YEAR", groupHeading.uppercased(), "FEES", "KZT", "NO RATE"],
                alignments: grouping == .year ? [.left, .right, .right, .left] : [.left, .left, .right, .right, .left])
            for cell in cells {
                let figures = [
                    String(cell.fees), Self.amount(cell.conversion.total), Self.unconverted(cell.conversion),
                ]
                table.rows.append(grouping == .year ? [String(cell.year)] + figures : [String(cell.year), cell.group] + figures)
            }
            lines += table.lines()
        }
        lines.append("")
        lines.append(
            "Total: \(Self.amount(total.total)) KZT for \(feeCount) fees of \(rightCount) rights"
                + (total.unconverted.isEmpty ? "" : ", plus \(Self.unconverted(total)) with no rate")
                + (unconfirmedCount > 0 ? "; \(unconfirmedCount) fees priced from unconfirmed data" : ""))
        lines.append(
            total.ratesUsed.isEmpty
                ? "Rates used: none" : "Rates used: " + total.ratesUsed.map { RateUsed($0).description }.joined(separator: "; "))
        if !unpriced.isEmpty {
            lines.append("")
            lines.append("Not priced (\(unpriced.count) fee deadlines no fee in the schedules covers):")
            for item in unpriced.prefix(unpricedLimit) {
                lines.append("  \(item.due)  \(item.reference)  \(item.rule)\(item.year.map { " year \($0)" } ?? "")")
            }
            if unpriced.count > unpricedLimit {
                lines.append("  … and \(unpriced.count - unpricedLimit) more (--format csv --detail lists them)")
            }
        }
        if !dropped.isEmpty {
            lines.append("")
            lines.append("Dropped by decision (costs nothing from then on):")
            for item in dropped { lines.append("  \(item.reference) from \(item.from): \(item.feesSaved) fees not paid") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV (RFC 4180, CRLF): `year,<group>,fees,unconfirmed,kzt,unconverted` per cell (no group column `--by year`);
    /// with `detail`, one row per fee:
    /// `due,in_grace,right,rule,year,amount,currency,kzt,status,group`, then the unpriced ones
    /// with empty amounts.
    public func csv(detail: Bool = false) -> String {
        var rows: [[String]] = []
        if detail {
            rows.append(["due", "in_grace", "right", "rule", "year", "amount", "currency", "kzt", "status", "group"])
            for fee in fees {
                rows.append([
                    fee.due.description, fee.inGrace ? "yes" : "no", fee.reference, fee.rule, fee.year?.description ?? "",
                    MoneyTotals.plainDecimal(fee.amount), fee.amount.currency.code,
                    fee.kzt.map(MoneyTotals.plainDecimal) ?? "", fee.status.rawValue, fee.group,
                ])
            }
            for item in unpriced {
                rows.append([
                    item.due.description, "no", item.reference, item.rule, item.year?.description ?? "", "", "", "",
                    "not priced", "",
                ])
            }
        } else {
            rows.append(
                grouping == .year
                    ? ["year", "fees", "unconfirmed", "kzt", "unconverted"]
                    : ["year", groupHeading, "fees", "unconfirmed", "kzt", "unconverted"])
            for cell in cells {
                let figures = [
                    String(cell.fees), String(cell.unconfirmed), MoneyTotals.plainDecimal(cell.conversion.total),
                    cell.conversion.unconverted.map { "\(MoneyTotals.plainDecimal($0)) \($0.currency.code)" }
                        .joined(separator: "; "),
                ]
                rows.append(grouping == .year ? [String(cell.year)] + figures : [String(cell.year), cell.group] + figures)
            }
        }
        return rows.map(TextEscaping.csvRecord).joined()
    }

    /// JSON: `{"from", "through", "by", "rights", "fees", "unconfirmed_fees", "total": {"kzt",
    /// "kzt_minor_units", "unconverted"}, "years": [{"year", "fees", "kzt", "kzt_minor_units",
    /// "groups": [{"group", "fees", "unconfirmed", "kzt", "kzt_minor_units", "unconverted"}]}],
    /// "rates_used", "unpriced": [{"right", "rule", "type", "year", "due"}], "dropped": [{"right",
    /// "from", "fees_saved"}]}`, with `"detail": [{"due", "in_grace", "right", "rule", "year",
    /// "amount", "kzt", "status", "group"}]` when asked; amounts as plain decimals.
    public func json(officeName: String? = nil, detail: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(ForecastJSON(self, office: officeName, detail: detail)), as: UTF8.self) + "\n"
    }

    /// A self-contained HTML page: a stacked bar per year (one segment per group, the seven
    /// largest and the rest together), the table, the rates used, what is not priced and what
    /// decisions saved. No scripts, no external resources, every text escaped; well-formed XML.
    public func html(officeName: String? = nil) -> String {
        let title = "Budget forecast"
        var page = ""
        page += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n"
        page += "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page += "<title>\(title) \(from) – \(through)</title>\n<style>\n\(IndicatorReport.css)</style>\n</head>\n<body>\n"
        page += "<header><h1>\(title)</h1>\n<p class=\"period\">Official fees <time>\(from)</time> – <time>\(through)</time>"
        if let officeName { page += " · \(TextEscaping.xml(officeName))" }
        page += " · in KZT</p></header>\n"
        page +=
            "<p>Total <strong data-figure=\"total.kzt\" data-value=\"\(MoneyTotals.plainDecimal(total.total))\">"
            + "\(TextEscaping.xml(Self.amount(total.total))) KZT</strong> for \(feeCount) fees of \(rightCount) rights"
            + (total.unconverted.isEmpty ? "" : ", plus \(TextEscaping.xml(Self.unconverted(total))) with no rate")
            + (unconfirmedCount > 0 ? "; \(unconfirmedCount) fees priced from unconfirmed data" : "") + ".</p>\n"
        page += "<section id=\"chart\">\n" + stackedChart() + "\n</section>\n"
        page += "<section id=\"years\">\n<h2>By year</h2>\n<table>\n<thead><tr><th scope=\"col\">Year</th>"
        if grouping != .year { page += "<th scope=\"col\">\(TextEscaping.xml(groupHeading.capitalized))</th>" }
        page += "<th scope=\"col\">Fees</th><th scope=\"col\">KZT</th><th scope=\"col\">No rate</th></tr></thead>\n<tbody>\n"
        for cell in cells {
            page += "<tr><th scope=\"row\">\(cell.year)</th>"
            if grouping != .year { page += "<td>\(TextEscaping.xml(cell.group))</td>" }
            page +=
                "<td class=\"num\">\(cell.fees)</td><td class=\"num\" data-figure=\"years.\(cell.year).\(TextEscaping.xml(cell.group)).kzt\" "
                + "data-value=\"\(MoneyTotals.plainDecimal(cell.conversion.total))\">\(TextEscaping.xml(Self.amount(cell.conversion.total)))</td>"
                + "<td>\(TextEscaping.xml(Self.unconverted(cell.conversion)))</td></tr>\n"
        }
        page += "</tbody>\n</table>\n</section>\n"
        page += "<section id=\"rates\">\n<h2>Rates used</h2>\n"
        page +=
            total.ratesUsed.isEmpty
            ? "<p>None: every fee is in KZT or has no rate.</p>\n"
            : "<ul>\n" + total.ratesUsed.map { "<li>\(TextEscaping.xml(RateUsed($0).description))</li>\n" }.joined() + "</ul>\n"
        page += "</section>\n"
        if !unpriced.isEmpty {
            page += "<section id=\"unpriced\">\n<h2>Not priced</h2>\n<p>\(unpriced.count) fee deadlines no fee in the schedules covers.</p>\n<table>\n"
            page += "<thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Right</th><th scope=\"col\">Rule</th><th scope=\"col\">Year</th></tr></thead>\n<tbody>\n"
            for item in unpriced.prefix(200) {
                page +=
                    "<tr><td><time>\(item.due)</time></td><td>\(TextEscaping.xml(item.reference))</td>"
                    + "<td>\(TextEscaping.xml(item.rule))</td><td class=\"num\">\(item.year?.description ?? "")</td></tr>\n"
            }
            page += "</tbody>\n</table>\n</section>\n"
        }
        if !dropped.isEmpty {
            page += "<section id=\"dropped\">\n<h2>Dropped by decision</h2>\n<ul>\n"
            for item in dropped {
                page += "<li>\(TextEscaping.xml(item.reference)) from <time>\(item.from)</time>: \(item.feesSaved) fees not paid</li>\n"
            }
            page += "</ul>\n</section>\n"
        }
        return page + "</body>\n</html>\n"
    }

    /// One vertical bar per year, stacked by group (the seven largest groups, then `others`).
    func stackedChart() -> String {
        let shown = Array(groups.prefix(7))
        let series = shown + (groups.count > shown.count ? ["others"] : [])
        let years = Array(self.years)
        var values = Array(repeating: Array(repeating: Int64(0), count: series.count), count: years.count)
        for cell in cells {
            let row = cell.year - from.year
            let column = shown.firstIndex(of: cell.group) ?? (series.count - 1)
            values[row][column] += cell.conversion.total.minorUnits
        }
        let largest = max(1, values.map { $0.reduce(0, +) }.max() ?? 1)
        let barWidth = 40
        let gap = 16
        let plotHeight = 220
        let left = 10
        let width = max(420, left + years.count * (barWidth + gap) + 200)
        let height = plotHeight + 60
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Official fees per year, KZT\">"
        svg += "<text x=\"0\" y=\"16\" class=\"chart-title\">Official fees per year, KZT</text>"
        for (row, year) in years.enumerated() {
            let x = left + row * (barWidth + gap)
            var top = plotHeight + 24
            for (column, value) in values[row].enumerated() where value > 0 {
                let length = max(1, Int(value * Int64(plotHeight) / largest))
                top -= length
                let shownValue = Self.amount(Money(minorUnits: value, .kzt))
                svg +=
                    "<rect x=\"\(x)\" y=\"\(top)\" width=\"\(barWidth)\" height=\"\(length)\" "
                    + "fill=\"\(SVGChart.palette[column % SVGChart.palette.count])\" data-chart-value=\"\(value)\">"
                    + "<title>\(year) \(TextEscaping.xml(series[column])): \(TextEscaping.xml(shownValue)) KZT</title></rect>"
            }
            svg += "<text x=\"\(x)\" y=\"\(plotHeight + 40)\" class=\"chart-label\">\(year)</text>"
        }
        let legendX = left + years.count * (barWidth + gap) + 10
        for (column, name) in series.enumerated() {
            let y = 30 + column * 22
            svg += "<rect x=\"\(legendX)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(SVGChart.palette[column % SVGChart.palette.count])\"/>"
            svg +=
                "<text x=\"\(legendX + 20)\" y=\"\(y + 12)\" class=\"chart-label\">"
                + "\(TextEscaping.xml(TextEscaping.truncated(name, toColumns: 24)))</text>"
        }
        if cells.isEmpty { svg += "<text x=\"0\" y=\"44\" class=\"chart-empty\">no fees</text>" }
        return svg + "</svg>"
    }

    /// `1 234 567.89`: the amount with grouped digits, without its currency.
    static func amount(_ money: Money) -> String { money.amountText }

    /// `1 775.00 EUR + 860.00 USD`, or empty.
    static func unconverted(_ conversion: KZTConversion) -> String {
        conversion.unconverted.map(\.description).joined(separator: " + ")
    }
}

/// The JSON form of a ``BudgetForecast``.
private struct ForecastJSON: Encodable {
    struct Total: Encodable {
        var kzt: String
        var kztMinorUnits: Int64
        var unconverted: MoneyTotals
        init(_ conversion: KZTConversion) throws {
            kzt = MoneyTotals.plainDecimal(conversion.total)
            kztMinorUnits = conversion.total.minorUnits
            var rest = MoneyTotals()
            for money in conversion.unconverted { try rest.add(money) }
            unconverted = rest
        }
        enum CodingKeys: String, CodingKey {
            case kzt, unconverted
            case kztMinorUnits = "kzt_minor_units"
        }
    }
    struct Group: Encodable {
        var group: String
        var fees: Int
        var unconfirmed: Int
        var kzt: String
        var kztMinorUnits: Int64
        var unconverted: MoneyTotals
        enum CodingKeys: String, CodingKey {
            case group, fees, unconfirmed, kzt, unconverted
            case kztMinorUnits = "kzt_minor_units"
        }
    }
    struct Year: Encodable {
        var year: Int
        var fees: Int
        var kzt: String
        var kztMinorUnits: Int64
        var groups: [Group]
        enum CodingKeys: String, CodingKey {
            case year, fees, kzt, groups
            case kztMinorUnits = "kzt_minor_units"
        }
    }
    struct Unpriced: Encodable {
        var right: String
        var rule: String
        var type: String
        var year: String?
        var due: String
    }
    struct Dropped: Encodable {
        var right: String
        var from: String
        var feesSaved: Int
        enum CodingKeys: String, CodingKey {
            case right, from
            case feesSaved = "fees_saved"
        }
    }
    struct Fee: Encodable {
        var due: String
        var inGrace: Bool
        var right: String
        var rule: String
        var year: String?
        var amount: String
        var currency: String
        var kzt: String?
        var status: String
        var group: String
        enum CodingKeys: String, CodingKey {
            case due, right, rule, year, amount, currency, kzt, status, group
            case inGrace = "in_grace"
        }
    }

    var office: String?
    var from: String
    var through: String
    var by: String
    var rights: Int
    var fees: Int
    var unconfirmedFees: Int
    var total: Total
    var years: [Year]
    var ratesUsed: [RateUsed]
    var unpriced: [Unpriced]
    var dropped: [Dropped]
    var detail: [Fee]?

    enum CodingKeys: String, CodingKey {
        case office, from, through, by, rights, fees, total, years, unpriced, dropped, detail
        case unconfirmedFees = "unconfirmed_fees"
        case ratesUsed = "rates_used"
    }

    init(_ forecast: BudgetForecast, office: String?, detail: Bool) throws {
        self.office = office
        from = forecast.from.description
        through = forecast.through.description
        by = forecast.grouping.rawValue
        rights = forecast.rightCount
        fees = forecast.feeCount
        unconfirmedFees = forecast.unconfirmedCount
        total = try Total(forecast.total)
        years = try forecast.years.map { year in
            let cells = forecast.cells.filter { $0.year == year }
            let sum = try forecast.yearTotal(year)
            return Year(
                year: year, fees: cells.reduce(0) { $0 + $1.fees }, kzt: MoneyTotals.plainDecimal(sum),
                kztMinorUnits: sum.minorUnits,
                groups: try cells.map { cell in
                    let figures = try Total(cell.conversion)
                    return Group(
                        group: cell.group, fees: cell.fees, unconfirmed: cell.unconfirmed, kzt: figures.kzt,
                        kztMinorUnits: figures.kztMinorUnits, unconverted: figures.unconverted)
                })
        }
        ratesUsed = forecast.total.ratesUsed.map(RateUsed.init)
        unpriced = forecast.unpriced.map {
            Unpriced(right: $0.reference, rule: $0.rule, type: $0.type.rawValue, year: $0.year?.description, due: $0.due.description)
        }
        dropped = forecast.dropped.map { Dropped(right: $0.reference, from: $0.from.description, feesSaved: $0.feesSaved) }
        self.detail =
            detail
            ? forecast.fees.map {
                Fee(
                    due: $0.due.description, inGrace: $0.inGrace, right: $0.reference, rule: $0.rule,
                    year: $0.year?.description, amount: MoneyTotals.plainDecimal($0.amount),
                    currency: $0.amount.currency.code, kzt: $0.kzt.map(MoneyTotals.plainDecimal),
                    status: $0.status.rawValue, group: $0.group)
            } : nil
    }
}
