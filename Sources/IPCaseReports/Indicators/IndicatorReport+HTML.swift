import IPCase

extension IndicatorReport {
    /// The report as one self-contained HTML file in `language`: inline CSS, inline SVG charts,
    /// no scripts and no external resources, all text escaped. It is also well-formed XML (XHTML
    /// syntax), so XML parsers read it, and it prints on A4 (`@page`, one section per page, no
    /// table cut across pages).
    ///
    /// Every figure of ``json()`` appears in an element with `data-figure` (its path in the JSON:
    /// object keys joined by `.`, list rows by their `key`, `kind` or `currency`, e.g.
    /// `kazakhstan.filings_by_route.national-kz.count`) and `data-value` (the JSON value; money
    /// in minor units; empty where the JSON has `null`), whatever the language. A KZT total names
    /// its rates by reference (`data-rate-ref`, e.g. `kazakhstan.exports.income_kzt.rates_used.EUR-2025-09-01`)
    /// to the report's one list of rates (`rates_used`), shown once at the end.
    ///
    /// - Parameters:
    ///   - title: the page title and heading; the catalog's by default.
    ///   - officeName: shown under the heading when given.
    ///   - language: the language of every label, date and amount.
    public func html(title: String? = nil, officeName: String? = nil, language: Language = .english) -> String {
        let t = Localizer(language)
        let title = title ?? t("report.title")
        var page = HTMLPage(t)
        page.raw("<!DOCTYPE html>\n")
        page.raw(
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"\(language.code)\" xml:lang=\"\(language.code)\">\n<head>\n")
        page.raw("<meta charset=\"utf-8\"/>\n")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        page.raw("<title>\(TextEscaping.xml(title)) \(TextEscaping.xml(t.date(period.from))) – \(TextEscaping.xml(t.date(period.to)))</title>\n")
        page.raw("<style>\n\(IndicatorReport.css)</style>\n</head>\n<body>\n")
        page.raw("<header><h1>\(TextEscaping.xml(title))</h1>\n<p class=\"period\">")
        page.raw(page.markup("report.period", ["from": page.time(period.from), "to": page.time(period.to)]))
        if let name = officeName ?? preparation?.officeName {
            page.raw(" · \(TextEscaping.xml(name))")
        } else if let office {
            page.raw(" · " + TextEscaping.xml(t("report.office", ["office": "\(office.rawValue)"])))
        }
        page.raw("</p>")
        if let preparation {
            let date = page.time(preparation.preparedOn)
            page.raw(
                "\n<p class=\"period\">"
                    + (preparation.preparedBy.map { page.markup("report.prepared-by", ["date": date, "name": TextEscaping.xml($0)]) }
                        ?? page.markup("report.prepared", ["date": date])) + "</p>")
        }
        page.raw("</header>\n")

        // AUTM.
        page.raw("<section id=\"autm\">\n<h2>\(TextEscaping.xml(t("autm.heading")))</h2>\n<table>\n")
        page.raw(
            "<thead><tr><th scope=\"col\">\(TextEscaping.xml(t("column.metric")))</th>"
                + "<th scope=\"col\">\(TextEscaping.xml(t("column.value")))</th></tr></thead>\n<tbody>\n")
        page.countRow(t("autm.disclosures"), "autm.disclosures_received", autm.disclosuresReceived)
        page.countRow(t("autm.applications"), "autm.patent_applications.all", autm.patentApplications.all)
        page.countRow(
            t("autm.first-filings"), "autm.patent_applications.first_filings", autm.patentApplications.firstFilings,
            sub: true)
        page.countRow(t("autm.patents-issued"), "autm.patents_issued", autm.patentsIssued)
        page.countRow(t("autm.utility-models"), "autm.utility_models_registered", autm.utilityModelsRegistered)
        let licences = autm.licencesAndOptionsExecuted
        let prefix = "autm.licences_and_options_executed."
        page.countRow(t("autm.licences"), prefix + "total", licences.total)
        page.countRow(t("autm.licences.exclusive"), prefix + "exclusive_licences", licences.exclusiveLicences, sub: true)
        page.countRow(
            t("autm.licences.non-exclusive"), prefix + "non_exclusive_licences", licences.nonExclusiveLicences, sub: true)
        page.countRow(t("autm.licences.options"), prefix + "options", licences.options, sub: true)
        page.countRow(t("autm.licences.to-startups"), prefix + "to_startups", licences.toStartups, sub: true)
        page.countRow(t("autm.startups-formed"), "autm.startups_formed", autm.startupsFormed)
        page.countRow(
            t("autm.active-licences"), "autm.active_licences_at_period_end", autm.activeLicencesAtPeriodEnd)
        let income = autm.licenceIncome
        let incomeRows: [(String, String, MoneyTotals, Bool)] = [
            (t("income.total"), "total", income.total, false),
            (t("income.upfront"), "upfront", income.upfront, true),
            (t("income.running-royalties"), "running_royalties", income.runningRoyalties, true),
            (t("income.milestones"), "milestones", income.milestones, true),
            (t("income.sublicense"), "sublicense", income.sublicense, true),
            (t("income.equity-cash-outs"), "equity_cash_outs", income.equityCashOuts, true),
            (t("income.other"), "other", income.other, true),
            (
                t("income.patent-cost-reimbursement"), "patent_cost_reimbursement", income.patentCostReimbursement,
                false
            ),
        ]
        for (label, key, totals, sub) in incomeRows {
            page.moneyRow(label, "autm.licence_income.\(key)", totals, sub: sub)
            if key == "total" { page.kztRows(income.totalKZT, "autm.licence_income.total_kzt") }
        }
        page.raw("</tbody>\n</table>\n")
        page.raw("<div class=\"charts\">")
        for currency in income.total.amounts.map(\.currency) {
            let items = incomeRows.dropFirst().filter { $0.1 != "patent_cost_reimbursement" }.compactMap {
                label, key, totals, _ -> SVGChart.Item? in
                guard let amount = totals.amount(in: currency) else { return nil }
                return SVGChart.Item(
                    label: label, value: amount.minorUnits, display: t.money(amount),
                    figure: "autm.licence_income.\(key).\(currency.code).minor_units")
            }
            page.raw(SVGChart.bars(title: t("chart.income-by-kind", ["currency": currency.code]), items: items, t))
        }
        page.raw("</div>\n</section>\n")

        // Kazakh policy indicators.
        page.raw("<section id=\"kazakhstan\">\n<h2>\(TextEscaping.xml(t("kz.heading")))</h2>\n")
        let commercial = kazakhstan.commercializationIncome
        page.raw("<h3>\(TextEscaping.xml(t("kz.commercialization-income")))</h3>\n<table>\n<tbody>\n")
        page.moneyRow(t("kz.total"), "kazakhstan.commercialization_income.total", commercial.total)
        page.kztRows(commercial.totalKZT, "kazakhstan.commercialization_income.total_kzt")
        for kind in commercial.byAgreementKind {
            page.moneyRow(
                t.agreementKind(kind.kind), "kazakhstan.commercialization_income.by_agreement_kind.\(kind.kind).amounts",
                kind.amounts, sub: true)
        }
        page.raw("</tbody>\n</table>\n")

        page.tallySection(
            t("kz.filings-by-route"), "kazakhstan.filings_by_route", kazakhstan.filingsByRoute, chart: .bars,
            label: { t.label("route", $0) })

        let green = kazakhstan.greenTechnology
        page.raw("<h3>\(TextEscaping.xml(t("kz.green")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("kz.green.rights"), "kazakhstan.green_technology.rights", green.rights)
        page.countRow(t("kz.green.classified"), "kazakhstan.green_technology.classified", green.classified, sub: true)
        page.countRow(t("kz.green.green"), "kazakhstan.green_technology.green", green.green, sub: true)
        page.percentRow(t("kz.green.share"), "kazakhstan.green_technology.share_percent", green.sharePercent)
        for category in green.byCategory {
            page.shareRow(category, t.label("green", category.key), "kazakhstan.green_technology.by_category.\(category.key)")
        }
        page.raw("</tbody>\n</table>\n<div class=\"charts\">")
        page.raw(
            SVGChart.pie(
                title: t("chart.green-share"),
                items: [
                    SVGChart.Item(
                        label: t("chart.green"), value: Int64(green.green), display: "\(green.green)",
                        figure: "kazakhstan.green_technology.green"),
                    SVGChart.Item(
                        label: t("chart.not-green"), value: Int64(green.rights - green.green),
                        display: "\(green.rights - green.green)", figure: nil),
                ], t))
        page.raw(
            SVGChart.bars(
                title: t("chart.green-by-category"),
                items: green.byCategory.map {
                    SVGChart.Item(
                        label: t.label("green", $0.key), value: Int64($0.count), display: "\($0.count)",
                        figure: "kazakhstan.green_technology.by_category.\($0.key).count")
                }, t))
        page.raw("</div>\n")

        page.tallySection(
            t("kz.licences-by-office-region"), "kazakhstan.licences_by_office_region", kazakhstan.licencesByOfficeRegion,
            chart: .bars, label: t.region)
        page.tallySection(
            t("kz.licences-by-licensee-location"), "kazakhstan.licences_by_licensee_location",
            kazakhstan.licencesByLicenseeLocation, chart: .bars, label: t.licenseeLocation)
        page.tallySection(
            t("kz.partners-by-sector"), "kazakhstan.partners_by_sector", kazakhstan.partnersBySector, chart: .pie,
            label: { t.label("sector", $0) })
        page.tripleHelixTable(kazakhstan.tripleHelix)

        let funding = kazakhstan.fundingSources
        page.raw("<h3>\(TextEscaping.xml(t("kz.funding")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("autm.disclosures"), "kazakhstan.funding_sources.disclosures", funding.disclosures)
        page.countRow(
            t("kz.funding.naming-none"), "kazakhstan.funding_sources.unspecified", funding.unspecified, sub: true)
        for source in funding.bySource {
            page.shareRow(source, t.label("funding", source.key), "kazakhstan.funding_sources.by_source.\(source.key)")
        }
        page.raw("</tbody>\n</table>\n<div class=\"charts\">")
        page.raw(
            SVGChart.bars(
                title: t("chart.funding"),
                items: funding.bySource.map {
                    SVGChart.Item(
                        label: t.label("funding", $0.key), value: Int64($0.count), display: "\($0.count)",
                        figure: "kazakhstan.funding_sources.by_source.\($0.key).count")
                }, t))
        page.raw("</div>\n")

        let exports = kazakhstan.exports
        page.raw("<h3>\(TextEscaping.xml(t("kz.exports")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("autm.licences"), "kazakhstan.exports.licences_abroad", exports.licencesAbroad)
        page.moneyRow(t("kz.exports.received"), "kazakhstan.exports.income", exports.income)
        page.kztRows(exports.incomeKZT, "kazakhstan.exports.income_kzt")
        page.raw("</tbody>\n</table>\n")

        let registrations = kazakhstan.copyrightRegistrations
        page.raw("<h3>\(TextEscaping.xml(t("kz.copyright")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("kz.copyright.registered"), "kazakhstan.copyright_registrations.total", registrations.total)
        page.raw("</tbody>\n</table>\n")
        page.tallySection(
            t("kz.copyright.by-kind"), "kazakhstan.copyright_registrations.by_kind", registrations.byKind,
            chart: .bars, label: { t.label("right-kind", $0) })
        page.tallySection(
            t("kz.copyright.by-region"), "kazakhstan.copyright_registrations.by_office_region",
            registrations.byOfficeRegion, chart: .bars, label: t.region)

        let creators = kazakhstan.creators
        page.raw("<h3>\(TextEscaping.xml(t("kz.creators")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("kz.creators.people"), "kazakhstan.creators.people", creators.people)
        page.countRow(t("kz.creators.recorded"), "kazakhstan.creators.recorded", creators.recorded, sub: true)
        for tally in creators.byGender {
            page.suppressedRow(tally, t.label("gender", tally.key), "kazakhstan.creators.by_gender.\(tally.key).count")
        }
        for tally in creators.byCareerStage {
            page.suppressedRow(
                tally, t.label("career", tally.key), "kazakhstan.creators.by_career_stage.\(tally.key).count")
        }
        page.raw("</tbody>\n</table>\n")

        let startups = kazakhstan.startups
        let path = "kazakhstan.startups"
        page.raw("<h3>\(TextEscaping.xml(t("kz.startups")))</h3>\n<table>\n<tbody>\n")
        page.countRow(t("kz.startups.formed-in-period"), "\(path).formed", startups.formed)
        page.countRow(t("kz.startups.active-at-end"), "\(path).active_at_period_end", startups.activeAtPeriodEnd)
        for tally in startups.activeByRegion {
            page.countRow(t.region(tally.key), "\(path).active_by_region.\(tally.key).count", tally.count, sub: true)
        }
        page.countRow(
            t("kz.startups.residents-at-end"), "\(path).residents_at_period_end", startups.residentsAtPeriodEnd)
        for tally in startups.residentsByTechnopark {
            page.countRow(tally.label, "\(path).residents_by_technopark.\(tally.key).count", tally.count, sub: true)
        }
        page.moneyRow(t("kz.startups.venture-attracted"), "\(path).venture_investment", startups.ventureInvestment)
        page.kztRows(startups.ventureInvestmentKZT, "\(path).venture_investment_kzt")
        page.moneyRow(t("kz.startups.grants-to"), "\(path).grants", startups.grants)
        page.kztRows(startups.grantsKZT, "\(path).grants_kzt")
        page.raw("</tbody>\n</table>\n")

        page.raw("<h3>\(TextEscaping.xml(t("kz.by-region")))</h3>\n<table>\n<thead><tr>")
        page.raw(
            "<th scope=\"col\">\(TextEscaping.xml(t("column.region")))</th>"
                + "<th scope=\"col\">\(TextEscaping.xml(t("column.licences")))</th>"
                + "<th scope=\"col\">\(TextEscaping.xml(t("column.income")))</th></tr></thead>\n<tbody>\n")
        for region in kazakhstan.byRegion {
            let prefix = "kazakhstan.by_region.\(region.key)"
            page.raw(
                "<tr><th scope=\"row\">\(TextEscaping.xml(t.region(region.key)))</th>"
                    + "<td class=\"num\" data-figure=\"\(prefix).licences\" data-value=\"\(region.licences)\">\(region.licences)</td><td class=\"num\">")
            page.raw(
                region.income.isEmpty
                    ? "—"
                    : region.income.amounts.map { amount in
                        "<span data-figure=\"\(prefix).income.\(amount.currency.code).minor_units\" data-value=\"\(amount.minorUnits)\">"
                            + "\(TextEscaping.xml(t.money(amount)))</span>"
                    }.joined(separator: "<br/>"))
            page.raw("</td></tr>\n")
            page.kztRows(region.incomeKZT, "\(prefix).income_kzt", columns: 3)
        }
        page.raw("</tbody>\n</table>\n")

        let grants = kazakhstan.grantFunding
        page.raw("<h3>\(TextEscaping.xml(t("kz.grants.by-funder")))</h3>\n<table>\n<tbody>\n")
        page.moneyRow(t("kz.grants.stages"), "kazakhstan.grant_funding.total", grants.total)
        page.kztRows(grants.totalKZT, "kazakhstan.grant_funding.total_kzt")
        page.moneyRow(t("kz.grants.cofinancing-total"), "kazakhstan.grant_funding.cofinancing", grants.cofinancing)
        page.kztRows(grants.cofinancingKZT, "kazakhstan.grant_funding.cofinancing_kzt")
        for row in grants.byProgramme {
            let prefix = "kazakhstan.grant_funding.by_programme.\(row.key)"
            page.countRow(
                t("kz.grants.projects", ["funder": row.funder, "programme": row.programme]), "\(prefix).projects",
                row.projects)
            page.moneyRow(t("kz.grants.grant"), "\(prefix).grant", row.grant, sub: true)
            page.moneyRow(t("kz.grants.cofinancing"), "\(prefix).cofinancing", row.cofinancing, sub: true)
            page.moneyRow(t("kz.grants.required-cofinancing"), "\(prefix).required_cofinancing", row.requiredCofinancing, sub: true)
            page.raw(
                "<tr class=\"sub\"><th scope=\"row\">\(TextEscaping.xml(t("kz.grants.funder-programme")))</th><td data-figure=\"\(TextEscaping.xml(prefix)).funder\" "
                    + "data-value=\"\(TextEscaping.xml(row.funder))\">\(TextEscaping.xml(row.funder))</td>"
                    + "<td data-figure=\"\(TextEscaping.xml(prefix)).programme\" data-value=\"\(TextEscaping.xml(row.programme))\">"
                    + "\(TextEscaping.xml(row.programme))</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n")
        page.raw("</section>\n")

        page.patentCostSection(patentCosts, t, ratesInline: false)

        if !conversions.isEmpty {
            page.raw("<section id=\"rates\">\n<h2>\(TextEscaping.xml(t("rates.heading")))</h2>\n<table>\n<tbody>\n")
            let rates = ratesUsed
            if rates.isEmpty {
                page.raw("<tr><th scope=\"row\">\(TextEscaping.xml(t("rates.none")))</th><td class=\"num\">—</td></tr>\n")
            }
            for rate in rates { page.rateRow(rate, "rates_used", anchor: true) }
            page.raw("</tbody>\n</table>\n</section>\n")
        }

        page.raw("<footer><p>")
        page.raw(
            page.markup(
                "note.green",
                [
                    "coverage": TextEscaping.xml(t("coverage.\(greenInventory.coverage.rawValue)")),
                    "date": TextEscaping.xml(t.date(greenInventory.date)),
                    "source": "<code>\(TextEscaping.xml(greenInventory.source))</code>",
                ]))
        if greenInventory.coverage == .subset {
            page.raw(" " + TextEscaping.xml(t("note.subset")))
        }
        page.raw(" " + TextEscaping.xml(t(conversions.isEmpty ? "note.per-currency" : "note.per-currency-kzt")))
        page.raw("</p></footer>\n</body>\n</html>\n")
        return page.text
    }

    static let css = """
        @page { size: A4; margin: 16mm 14mm 18mm 14mm; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d2733; padding: 0 1rem; }
        h1 { margin-bottom: 0.2rem; }
        h2 { border-bottom: 2px solid #2f6f9f; padding-bottom: 0.2rem; margin-top: 2.5rem; }
        h3 { margin-top: 1.8rem; }
        .period { color: #5a6570; margin-top: 0; }
        table { border-collapse: collapse; min-width: 32rem; }
        th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #dde3ea; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.sub th { padding-left: 1.8rem; font-weight: normal; color: #3c4650; }
        tr.kzt th, tr.kzt td { color: #3c4650; font-size: 0.92em; }
        a.rate { color: inherit; text-decoration: none; border-bottom: 1px dotted #5a6570; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1rem 0; }
        .chart-title { font-weight: 600; font-size: 13px; fill: #1d2733; }
        .chart-label, .chart-value, .chart-empty { font-size: 12px; fill: #3c4650; }
        .pie-empty { fill: #eef1f4; }
        footer { margin-top: 3rem; color: #5a6570; font-size: 0.9rem; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10pt; color: #000; }
          section + section { break-before: page; }
          section#rates { break-before: auto; }
          h2, h3 { break-after: avoid; }
          table { break-inside: avoid; width: 100%; min-width: 0; }
          thead { display: table-header-group; }
          tr, .chart, svg { break-inside: avoid; }
          svg { max-width: 100%; height: auto; }
          .charts { display: block; }
          footer { margin-top: 1.5rem; }
        }

        """
}

/// Builds the HTML text of the report in the language of its ``Localizer``; each figure cell
/// carries `data-figure` and `data-value`.
struct HTMLPage {
    enum Chart { case bars, pie }

    private(set) var text = ""
    /// The language's messages and conventions.
    let t: Localizer

    init(_ localizer: Localizer = Localizer(.english)) { t = localizer }

    mutating func raw(_ markup: String) { text += markup }

    /// The message under `key`, escaped, with placeholders filled by `markup` as it is (already
    /// escaped or built here).
    func markup(_ key: String, _ markup: [String: String]) -> String {
        var marked: [String: String] = [:]
        for (index, name) in markup.keys.sorted().enumerated() {
            marked[name] = String(UnicodeScalar(0xE000 + UInt32(index))!)
        }
        var out = TextEscaping.xml(t(key, marked))
        for (name, marker) in marked { out = out.replacingOccurrences(of: marker, with: markup[name]!) }
        return out
    }

    /// A day as a `<time>` element: `<time>2025-12-31</time>`, `<time datetime="2025-12-31">31.12.2025</time>`.
    func time(_ day: CivilDate) -> String {
        let shown = t.date(day)
        return shown == day.description ? "<time>\(shown)</time>" : "<time datetime=\"\(day)\">\(shown)</time>"
    }

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
    mutating func suppressedRow(_ tally: SuppressedTally, _ label: String, _ figure: String) {
        row(label, figure: figure, value: tally.count.map(String.init) ?? "", shown: tally.shown, sub: true)
    }

    /// A sub-row with a count and its share: `label | count | share %`.
    mutating func shareRow(_ tally: ShareTally, _ label: String, _ path: String) {
        text +=
            "<tr class=\"sub\"><th scope=\"row\">\(TextEscaping.xml(label))</th>"
            + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(path)).count\" data-value=\"\(tally.count)\">\(tally.count)</td>"
            + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(path)).share_percent\" "
            + "data-value=\"\(TextEscaping.xml(tally.sharePercent ?? ""))\">"
            + "\(TextEscaping.xml(t.percent(tally.sharePercent)))</td></tr>\n"
    }

    mutating func percentRow(_ label: String, _ figure: String, _ percent: String?, sub: Bool = false) {
        row(label, figure: figure, value: percent ?? "", shown: t.percent(percent), sub: sub)
    }

    /// One row per currency (the label on the first); a dash row when there is no amount.
    mutating func moneyRow(
        _ label: String, _ path: String, _ totals: MoneyTotals, sub: Bool = false, rowClass: String? = nil
    ) {
        let classes = ([sub ? "sub" : nil, rowClass].compactMap { $0 }).joined(separator: " ")
        let attribute = classes.isEmpty ? "" : " class=\"\(classes)\""
        guard !totals.isEmpty else {
            text += "<tr\(attribute)><th scope=\"row\">\(TextEscaping.xml(label))</th><td class=\"num\">—</td></tr>\n"
            return
        }
        for (index, amount) in totals.amounts.enumerated() {
            text +=
                "<tr\(attribute)><th scope=\"row\">\(TextEscaping.xml(index == 0 ? label : ""))</th>"
                + "<td class=\"num\" data-figure=\"\(TextEscaping.xml(path)).\(amount.currency.code).minor_units\" "
                + "data-value=\"\(amount.minorUnits)\">\(TextEscaping.xml(t.money(amount)))</td></tr>\n"
        }
    }

    /// The KZT total of a figure (`path` is its `…_kzt` member): the sum, a reference to each
    /// rate it used in the report's list of rates, and what had no rate; nothing without rates.
    mutating func kztRows(_ converted: ConvertedIncome?, _ path: String, columns: Int = 2) {
        guard let converted else { return }
        let span = columns > 2 ? " colspan=\"\(columns - 1)\"" : ""
        for (index, amount) in converted.total.amounts.enumerated() {
            text +=
                "<tr class=\"sub kzt\"><th scope=\"row\">\(TextEscaping.xml(index == 0 ? t("kzt.total") : ""))</th>"
                + "<td class=\"num\"\(span) data-figure=\"\(TextEscaping.xml(path)).total.\(amount.currency.code).minor_units\" "
                + "data-value=\"\(amount.minorUnits)\">\(TextEscaping.xml(t.money(amount)))</td></tr>\n"
        }
        if !converted.ratesUsed.isEmpty {
            let references = converted.ratesUsed.map { rate in
                "<a class=\"rate\" href=\"#rate-\(TextEscaping.xml(rate.key))\" "
                    + "data-rate-ref=\"\(TextEscaping.xml(path)).rates_used.\(TextEscaping.xml(rate.key))\">"
                    + "\(rate.currency.code) \(TextEscaping.xml(t.date(rate.date)))</a>"
            }
            text +=
                "<tr class=\"sub kzt\"><th scope=\"row\">\(TextEscaping.xml(t("kzt.rates")))</th><td\(span)>"
                + references.joined(separator: "; ") + "</td></tr>\n"
        }
        if !converted.unconverted.isEmpty {
            for (index, amount) in converted.unconverted.amounts.enumerated() {
                text +=
                    "<tr class=\"sub kzt\"><th scope=\"row\">\(TextEscaping.xml(index == 0 ? t("kzt.unconverted") : ""))</th>"
                    + "<td class=\"num\"\(span) data-figure=\"\(TextEscaping.xml(path)).unconverted.\(amount.currency.code).minor_units\" "
                    + "data-value=\"\(amount.minorUnits)\">\(TextEscaping.xml(t.money(amount)))</td></tr>\n"
            }
        }
    }

    /// A rate a conversion used: `EUR | 545.58 KZT | per EUR | 2025-09-01 | source`, each part a
    /// figure; with `anchor`, the target of the KZT totals' references to it.
    mutating func rateRow(_ rate: RateUsed, _ path: String, anchor: Bool = false) {
        func cell(_ field: String, _ value: String, _ shown: String, numeric: Bool = false) -> String {
            "<td\(numeric ? " class=\"num\"" : "") data-figure=\"\(TextEscaping.xml(path)).\(TextEscaping.xml(rate.key)).\(field)\" "
                + "data-value=\"\(TextEscaping.xml(value))\">\(TextEscaping.xml(shown))</td>"
        }
        let per = rate.units == 1 ? rate.currency.code : "\(rate.units) \(rate.currency.code)"
        let id = anchor ? " id=\"rate-\(TextEscaping.xml(rate.key))\"" : ""
        text +=
            "<tr class=\"sub\"\(id)><th scope=\"row\">\(TextEscaping.xml(t("rate.label", ["per": per])))</th>"
            + cell("kzt", rate.kzt, "\(t.decimal(rate.kzt)) \(t.currencySign(.kzt))", numeric: true)
            + cell("units", "\(rate.units)", t("rate.per", ["per": per]))
            + cell("date", "\(rate.date)", t.date(rate.date)) + cell("source", rate.source, rate.source) + "</tr>\n"
    }

    /// A table of tallies with a chart; each row's label from `label(key)`.
    mutating func tallySection(
        _ title: String, _ path: String, _ tallies: [Tally], chart: Chart, label: (String) -> String
    ) {
        text += "<h3>\(TextEscaping.xml(title))</h3>\n<table>\n<tbody>\n"
        if tallies.isEmpty {
            text += "<tr><th scope=\"row\">\(TextEscaping.xml(t("table.none")))</th><td class=\"num\">0</td></tr>\n"
        }
        for tally in tallies {
            countRow(label(tally.key), "\(path).\(tally.key).count", tally.count)
        }
        text += "</tbody>\n</table>\n"
        guard !tallies.isEmpty else { return }
        let items = tallies.map {
            SVGChart.Item(
                label: label($0.key), value: Int64($0.count), display: "\($0.count)", figure: "\(path).\($0.key).count")
        }
        text += "<div class=\"charts\">"
        switch chart {
        case .bars: text += SVGChart.bars(title: title, items: items, t)
        case .pie: text += SVGChart.pie(title: title, items: items, t)
        }
        text += "</div>\n"
    }

    /// The Triple-Helix matrix: a row and a column per sector, each cell a figure.
    mutating func tripleHelixTable(_ helix: TripleHelix) {
        let path = "kazakhstan.triple_helix"
        let sectors = Party.Sector.allCases
        text += "<h3>\(TextEscaping.xml(t("kz.triple-helix")))</h3>\n"
        text += "<p class=\"note\">\(TextEscaping.xml(t("kz.triple-helix.note")))</p>\n<table>\n<thead><tr><th scope=\"col\"></th>"
        for sector in sectors { text += "<th scope=\"col\">\(TextEscaping.xml(t.label("sector", sector.rawValue)))</th>" }
        text += "</tr></thead>\n<tbody>\n"
        for row in helix.matrix {
            text += "<tr><th scope=\"row\">\(TextEscaping.xml(t.label("sector", row.key)))</th>"
            for sector in sectors {
                let count = row.count(with: sector)
                text +=
                    "<td class=\"num\" data-figure=\"\(path).matrix.\(row.key).\(sector.rawValue)\" data-value=\"\(count)\">\(count)</td>"
            }
            text += "</tr>\n"
        }
        text += "</tbody>\n</table>\n<table>\n<tbody>\n"
        countRow(t("kz.triple-helix.agreements"), "\(path).agreements", helix.agreements)
        countRow(t("kz.triple-helix.links"), "\(path).links", helix.links)
        text += "</tbody>\n</table>\n"
    }
}
