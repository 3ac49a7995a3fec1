import IPCase

extension IndicatorReport {
    /// The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts and
    /// no external resources, all text escaped. It is also well-formed XML (XHTML syntax), so
    /// XML parsers read it.
    ///
    /// Every figure of ``json()`` appears in an element with `data-figure` (its path in the JSON:
    /// object keys joined by `.`, list rows by their `key`, `kind` or `currency`, e.g.
    /// `kazakhstan.filings_by_route.national-kz.count`) and `data-value` (the JSON value; money
    /// in minor units; empty where the JSON has `null`).
    ///
    /// - Parameters:
    ///   - title: the page title and heading.
    ///   - officeName: shown under the heading when given.
    public func html(title: String = "IPCase indicators", officeName: String? = nil) -> String {
        var page = HTMLPage()
        page.raw("<!DOCTYPE html>\n")
        page.raw("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n")
        page.raw("<meta charset=\"utf-8\"/>\n")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        page.raw("<title>\(TextEscaping.xml(title)) \(period)</title>\n")
        page.raw("<style>\n\(IndicatorReport.css)</style>\n</head>\n<body>\n")
        page.raw(
            "<header><h1>\(TextEscaping.xml(title))</h1>\n<p class=\"period\">Period <time>\(period.from)</time> – <time>\(period.to)</time>"
        )
        if let name = officeName ?? preparation?.officeName {
            page.raw(" · \(TextEscaping.xml(name))")
        } else if let office {
            page.raw(" · office \(office.rawValue)")
        }
        page.raw("</p>")
        if let preparation {
            page.raw(
                "\n<p class=\"period\">Prepared <time>\(preparation.preparedOn)</time>"
                    + (preparation.preparedBy.map { " by \(TextEscaping.xml($0))" } ?? "") + "</p>")
        }
        page.raw("</header>\n")

        // AUTM.
        page.raw("<section id=\"autm\">\n<h2>AUTM licensing survey</h2>\n<table>\n")
        page.raw("<thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n")
        page.countRow("Disclosures received", "autm.disclosures_received", autm.disclosuresReceived)
        page.countRow("Patent applications filed", "autm.patent_applications.all", autm.patentApplications.all)
        page.countRow(
            "of which first filings", "autm.patent_applications.first_filings", autm.patentApplications.firstFilings,
            sub: true)
        page.countRow("Patents issued", "autm.patents_issued", autm.patentsIssued)
        page.countRow("Utility models registered", "autm.utility_models_registered", autm.utilityModelsRegistered)
        let licences = autm.licencesAndOptionsExecuted
        let prefix = "autm.licences_and_options_executed."
        page.countRow("Licences and options executed", prefix + "total", licences.total)
        page.countRow("exclusive licences", prefix + "exclusive_licences", licences.exclusiveLicences, sub: true)
        page.countRow(
            "non-exclusive licences", prefix + "non_exclusive_licences", licences.nonExclusiveLicences, sub: true)
        page.countRow("options", prefix + "options", licences.options, sub: true)
        page.countRow("to start-ups", prefix + "to_startups", licences.toStartups, sub: true)
        page.countRow("Start-ups formed", "autm.startups_formed", autm.startupsFormed)
        page.countRow(
            "Active licences at period end", "autm.active_licences_at_period_end", autm.activeLicencesAtPeriodEnd)
        let income = autm.licenceIncome
        let incomeRows: [(String, String, MoneyTotals, Bool)] = [
            ("Licence income (total)", "total", income.total, false),
            ("upfront fees", "upfront", income.upfront, true),
            ("running royalties", "running_royalties", income.runningRoyalties, true),
            ("milestones", "milestones", income.milestones, true),
            ("sublicence income", "sublicense", income.sublicense, true),
            ("equity cash-outs", "equity_cash_outs", income.equityCashOuts, true),
            ("other", "other", income.other, true),
            (
                "Patent costs reimbursed (not income)", "patent_cost_reimbursement", income.patentCostReimbursement,
                false
            ),
        ]
        for (label, key, totals, sub) in incomeRows {
            page.moneyRow(label, "autm.licence_income.\(key)", totals, sub: sub)
        }
        page.raw("</tbody>\n</table>\n")
        page.raw("<div class=\"charts\">")
        for currency in income.total.amounts.map(\.currency) {
            let items = incomeRows.dropFirst().filter { $0.1 != "patent_cost_reimbursement" }.compactMap {
                label, key, totals, _ -> SVGChart.Item? in
                guard let amount = totals.amount(in: currency) else { return nil }
                return SVGChart.Item(
                    label: label, value: amount.minorUnits, display: amount.description,
                    figure: "autm.licence_income.\(key).\(currency.code).minor_units")
            }
            page.raw(SVGChart.bars(title: "Licence income by kind, \(currency.code)", items: items))
        }
        page.raw("</div>\n</section>\n")

        // Kazakh policy indicators.
        page.raw("<section id=\"kazakhstan\">\n<h2>Kazakh policy indicators</h2>\n")
        let commercial = kazakhstan.commercializationIncome
        page.raw("<h3>Commercialization income</h3>\n<table>\n<tbody>\n")
        page.moneyRow("Total", "kazakhstan.commercialization_income.total", commercial.total)
        for kind in commercial.byAgreementKind {
            page.moneyRow(
                kind.label, "kazakhstan.commercialization_income.by_agreement_kind.\(kind.kind).amounts", kind.amounts,
                sub: true)
        }
        page.raw("</tbody>\n</table>\n")

        page.tallySection(
            "Filings by route", "kazakhstan.filings_by_route", kazakhstan.filingsByRoute, chart: .bars)

        let green = kazakhstan.greenTechnology
        page.raw("<h3>Green-technology applications</h3>\n<table>\n<tbody>\n")
        page.countRow("Applications filed in the period", "kazakhstan.green_technology.rights", green.rights)
        page.countRow("with IPC symbols", "kazakhstan.green_technology.classified", green.classified, sub: true)
        page.countRow("green (in the IPC Green Inventory)", "kazakhstan.green_technology.green", green.green, sub: true)
        page.percentRow("Share of green applications", "kazakhstan.green_technology.share_percent", green.sharePercent)
        for category in green.byCategory {
            page.shareRow(category, "kazakhstan.green_technology.by_category.\(category.key)")
        }
        page.raw("</tbody>\n</table>\n<div class=\"charts\">")
        page.raw(
            SVGChart.pie(
                title: "Green share of applications",
                items: [
                    SVGChart.Item(
                        label: "Green", value: Int64(green.green), display: "\(green.green)",
                        figure: "kazakhstan.green_technology.green"),
                    SVGChart.Item(
                        label: "Not green or unclassified", value: Int64(green.rights - green.green),
                        display: "\(green.rights - green.green)", figure: nil),
                ]))
        page.raw(
            SVGChart.bars(
                title: "Green applications by category",
                items: green.byCategory.map {
                    SVGChart.Item(
                        label: $0.label, value: Int64($0.count), display: "\($0.count)",
                        figure: "kazakhstan.green_technology.by_category.\($0.key).count")
                }))
        page.raw("</div>\n")

        page.tallySection(
            "Licences by office region", "kazakhstan.licences_by_office_region", kazakhstan.licencesByOfficeRegion,
            chart: .bars)
        page.tallySection(
            "Licences by licensee location", "kazakhstan.licences_by_licensee_location",
            kazakhstan.licencesByLicenseeLocation, chart: .bars)
        page.tallySection(
            "Partners by Triple-Helix sector", "kazakhstan.partners_by_sector", kazakhstan.partnersBySector, chart: .pie
        )

        let funding = kazakhstan.fundingSources
        page.raw("<h3>R&amp;D funding of disclosures</h3>\n<table>\n<tbody>\n")
        page.countRow("Disclosures received", "kazakhstan.funding_sources.disclosures", funding.disclosures)
        page.countRow(
            "naming no funding source", "kazakhstan.funding_sources.unspecified", funding.unspecified, sub: true)
        for source in funding.bySource {
            page.shareRow(source, "kazakhstan.funding_sources.by_source.\(source.key)")
        }
        page.raw("</tbody>\n</table>\n<div class=\"charts\">")
        page.raw(
            SVGChart.bars(
                title: "Disclosures by funding source",
                items: funding.bySource.map {
                    SVGChart.Item(
                        label: $0.label, value: Int64($0.count), display: "\($0.count)",
                        figure: "kazakhstan.funding_sources.by_source.\($0.key).count")
                }))
        page.raw("</div>\n")

        let exports = kazakhstan.exports
        page.raw("<h3>Exports: licensees abroad</h3>\n<table>\n<tbody>\n")
        page.countRow("Licences and options executed", "kazakhstan.exports.licences_abroad", exports.licencesAbroad)
        page.moneyRow("Income received", "kazakhstan.exports.income", exports.income)
        if let converted = exports.incomeKZT {
            page.moneyRow("in KZT at the rates supplied", "kazakhstan.exports.income_kzt.total", converted.total, sub: true)
            for rate in converted.ratesUsed { page.rateRow(rate, "kazakhstan.exports.income_kzt.rates_used") }
            if !converted.unconverted.isEmpty {
                page.moneyRow("no rate for", "kazakhstan.exports.income_kzt.unconverted", converted.unconverted, sub: true)
            }
        }
        page.raw("</tbody>\n</table>\n")

        let registrations = kazakhstan.copyrightRegistrations
        page.raw("<h3>Copyright registrations</h3>\n<table>\n<tbody>\n")
        page.countRow("Registered in the period", "kazakhstan.copyright_registrations.total", registrations.total)
        page.raw("</tbody>\n</table>\n")
        page.tallySection(
            "Copyright registrations by kind", "kazakhstan.copyright_registrations.by_kind", registrations.byKind,
            chart: .bars)
        page.tallySection(
            "Copyright registrations by office region", "kazakhstan.copyright_registrations.by_office_region",
            registrations.byOfficeRegion, chart: .bars)

        let creators = kazakhstan.creators
        page.raw("<h3>Inventors and authors</h3>\n<table>\n<tbody>\n")
        page.countRow("Of the disclosures received", "kazakhstan.creators.people", creators.people)
        page.countRow("with consent recorded", "kazakhstan.creators.recorded", creators.recorded, sub: true)
        for (path, rows) in [("by_gender", creators.byGender), ("by_career_stage", creators.byCareerStage)] {
            for tally in rows { page.suppressedRow(tally, "kazakhstan.creators.\(path).\(tally.key).count") }
        }
        page.raw("</tbody>\n</table>\n")

        let startups = kazakhstan.startups
        let path = "kazakhstan.startups"
        page.raw("<h3>Start-ups</h3>\n<table>\n<tbody>\n")
        page.countRow("Formed in the period", "\(path).formed", startups.formed)
        page.countRow("Active at the period's end", "\(path).active_at_period_end", startups.activeAtPeriodEnd)
        for tally in startups.activeByRegion { page.countRow(tally.label, "\(path).active_by_region.\(tally.key).count", tally.count, sub: true) }
        page.countRow("Technopark residents at the period's end", "\(path).residents_at_period_end", startups.residentsAtPeriodEnd)
        for tally in startups.residentsByTechnopark {
            page.countRow(tally.label, "\(path).residents_by_technopark.\(tally.key).count", tally.count, sub: true)
        }
        page.moneyRow("Venture investment attracted", "\(path).venture_investment", startups.ventureInvestment)
        if let converted = startups.ventureInvestmentKZT {
            page.moneyRow("in KZT at the rates supplied", "\(path).venture_investment_kzt.total", converted.total, sub: true)
            for rate in converted.ratesUsed { page.rateRow(rate, "\(path).venture_investment_kzt.rates_used") }
            if !converted.unconverted.isEmpty {
                page.moneyRow("no rate for", "\(path).venture_investment_kzt.unconverted", converted.unconverted, sub: true)
            }
        }
        page.moneyRow("Grants to start-ups", "\(path).grants", startups.grants)
        page.raw("</tbody>\n</table>\n")

        page.raw("<h3>Licences and income by region</h3>\n<table>\n<thead><tr><th scope=\"col\">Region</th>")
        page.raw("<th scope=\"col\">Licences</th><th scope=\"col\">Income</th></tr></thead>\n<tbody>\n")
        for region in kazakhstan.byRegion {
            let prefix = "kazakhstan.by_region.\(region.key)"
            page.raw(
                "<tr><th scope=\"row\">\(TextEscaping.xml(region.label))</th>"
                    + "<td class=\"num\" data-figure=\"\(prefix).licences\" data-value=\"\(region.licences)\">\(region.licences)</td><td class=\"num\">")
            page.raw(
                region.income.isEmpty
                    ? "—"
                    : region.income.amounts.map { amount in
                        "<span data-figure=\"\(prefix).income.\(amount.currency.code).minor_units\" data-value=\"\(amount.minorUnits)\">"
                            + "\(TextEscaping.xml(amount.description))</span>"
                    }.joined(separator: "<br/>"))
            page.raw("</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n")

        let grants = kazakhstan.grantFunding
        page.raw("<h3>Grant funding by funder and programme</h3>\n<table>\n<tbody>\n")
        page.moneyRow("Grants of stages starting in the period", "kazakhstan.grant_funding.total", grants.total)
        for row in grants.byProgramme {
            let prefix = "kazakhstan.grant_funding.by_programme.\(row.key)"
            page.countRow("\(row.funder): \(row.programme) — projects", "\(prefix).projects", row.projects)
            page.moneyRow("grant", "\(prefix).grant", row.grant, sub: true)
            page.moneyRow("co-financing put in", "\(prefix).cofinancing", row.cofinancing, sub: true)
            page.moneyRow("co-financing required", "\(prefix).required_cofinancing", row.requiredCofinancing, sub: true)
            page.raw(
                "<tr class=\"sub\"><th scope=\"row\">funder, programme</th><td data-figure=\"\(TextEscaping.xml(prefix)).funder\" "
                    + "data-value=\"\(TextEscaping.xml(row.funder))\">\(TextEscaping.xml(row.funder))</td>"
                    + "<td data-figure=\"\(TextEscaping.xml(prefix)).programme\" data-value=\"\(TextEscaping.xml(row.programme))\">"
                    + "\(TextEscaping.xml(row.programme))</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n")
        page.raw("</section>\n")

        page.patentCostSection(patentCosts)

        page.raw(
            "<footer><p>Green technology is tagged from the IPC symbols of each application's disclosure with the "
                + "WIPO IPC Green Inventory (\(TextEscaping.xml(greenInventory.coverage.rawValue)), "
                + "\(greenInventory.date)), <code>\(TextEscaping.xml(greenInventory.source))</code>.")
        if greenInventory.coverage == .subset {
            page.raw(" The list shipped is a labelled subset of the inventory, not the whole of it.")
        }
        page.raw(" Money is summed per currency, never converted.</p></footer>\n</body>\n</html>\n")
        return page.text
    }

    static let css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d2733; padding: 0 1rem; }
        h1 { margin-bottom: 0.2rem; }
        h2 { border-bottom: 2px solid #2f6f9f; padding-bottom: 0.2rem; margin-top: 2.5rem; }
        h3 { margin-top: 1.8rem; }
        .period { color: #5a6570; margin-top: 0; }
        table { border-collapse: collapse; min-width: 32rem; }
        th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #dde3ea; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.sub th { padding-left: 1.8rem; font-weight: normal; color: #3c4650; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1rem 0; }
        .chart-title { font-weight: 600; font-size: 13px; fill: #1d2733; }
        .chart-label, .chart-value, .chart-empty { font-size: 12px; fill: #3c4650; }
        .pie-empty { fill: #eef1f4; }
        footer { margin-top: 3rem; color: #5a6570; font-size: 0.9rem; }

        """
}

/// Builds the HTML text of the report; each figure cell carries `data-figure` and `data-value`.
struct HTMLPage {
    enum Chart { case bars, pie }

    private(set) var text = ""

    mutating func raw(_ markup: String) { text += markup }

    private mutating func row(_ label: String, figure: String, value: String, shown: String, sub: Bool) {
        text +=
            "<tr\(sub ? " class=\"sub\"" : "")><th scope=\"row\">\(TextEscaping.xml(label))</th>"
            + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(figure))\" data-value=\"\(TextEscaping.xml(value))\">"
            + "\(TextEscaping.xml(shown))</td></tr>\n"
    }

    mutating func countRow(_ label: String, _ figure: String, _ count: Int, sub: Bool = false) {
        row(label, figure: figure, value: "\(count)", shown: "\(count)", sub: sub)
    }

    /// A count of people that may be suppressed: `data-value` empty (the JSON's `null`), `<5` shown.
    mutating func suppressedRow(_ tally: SuppressedTally, _ figure: String) {
        row(tally.label, figure: figure, value: tally.count.map(String.init) ?? "", shown: tally.shown, sub: true)
    }

    /// A sub-row with a count and its share: `label | count | share %`.
    mutating func shareRow(_ tally: ShareTally, _ path: String) {
        text +=
            "<tr class=\"sub\"><th scope=\"row\">\(TextEscaping.xml(tally.label))</th>"
            + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(path)).count\" data-value=\"\(tally.count)\">\(tally.count)</td>"
            + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(path)).share_percent\" "
            + "data-value=\"\(TextEscaping.xml(tally.sharePercent ?? ""))\">"
            + "\(TextEscaping.xml(tally.sharePercent.map { "\($0) %" } ?? "—"))</td></tr>\n"
    }

    mutating func percentRow(_ label: String, _ figure: String, _ percent: String?, sub: Bool = false) {
        row(label, figure: figure, value: percent ?? "", shown: percent.map { "\($0) %" } ?? "—", sub: sub)
    }

    /// One row per currency (the label on the first); a dash row when there is no amount.
    mutating func moneyRow(_ label: String, _ path: String, _ totals: MoneyTotals, sub: Bool = false) {
        guard !totals.isEmpty else {
            text +=
                "<tr\(sub ? " class=\"sub\"" : "")><th scope=\"row\">\(TextEscaping.xml(label))</th><td class=\"num\">—</td></tr>\n"
            return
        }
        for (index, amount) in totals.amounts.enumerated() {
            row(
                index == 0 ? label : "", figure: "\(path).\(amount.currency.code).minor_units",
                value: "\(amount.minorUnits)", shown: amount.description, sub: sub)
        }
    }

    /// A rate a conversion used: `EUR | 545.58 KZT | 2025-09-01 | source`, each part a figure.
    mutating func rateRow(_ rate: RateUsed, _ path: String) {
        func cell(_ field: String, _ value: String, _ shown: String, numeric: Bool = false) -> String {
            "<td\(numeric ? " class=\"num\"" : "") data-figure=\"\(TextEscaping.xml(path)).\(TextEscaping.xml(rate.key)).\(field)\" "
                + "data-value=\"\(TextEscaping.xml(value))\">\(TextEscaping.xml(shown))</td>"
        }
        let per = rate.units == 1 ? rate.currency.code : "\(rate.units) \(rate.currency.code)"
        text +=
            "<tr class=\"sub\"><th scope=\"row\">rate: \(TextEscaping.xml(per))</th>"
            + cell("kzt", rate.kzt, "\(rate.kzt) KZT", numeric: true) + cell("units", "\(rate.units)", "per \(per)")
            + cell("date", "\(rate.date)", "\(rate.date)") + cell("source", rate.source, rate.source) + "</tr>\n"
    }

    mutating func tallySection(_ title: String, _ path: String, _ tallies: [Tally], chart: Chart) {
        text += "<h3>\(TextEscaping.xml(title))</h3>\n<table>\n<tbody>\n"
        if tallies.isEmpty {
            text += "<tr><th scope=\"row\">none</th><td class=\"num\">0</td></tr>\n"
        }
        for tally in tallies {
            countRow(tally.label, "\(path).\(tally.key).count", tally.count)
        }
        text += "</tbody>\n</table>\n"
        guard !tallies.isEmpty else { return }
        let items = tallies.map {
            SVGChart.Item(
                label: $0.label, value: Int64($0.count), display: "\($0.count)", figure: "\(path).\($0.key).count")
        }
        text += "<div class=\"charts\">"
        switch chart {
        case .bars: text += SVGChart.bars(title: title, items: items)
        case .pie: text += SVGChart.pie(title: title, items: items)
        }
        text += "</div>\n"
    }
}
