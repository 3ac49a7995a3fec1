import Foundation
import IPCase

extension IndicatorReport {
    /// The report as JSON: stable snake_case keys, sorted, pretty-printed (see the README for
    /// the keys). Money is a list per currency of `{"currency", "minor_units", "amount"}`.
    public func json() -> String { TextEscaping.reportJSON(self) }

    /// Reads a report written by ``json()``.
    public static func decode(json: Data) throws -> IndicatorReport {
        try JSONDecoder().decode(IndicatorReport.self, from: json)
    }

    /// The report as a plain-text table in `language`: labels on the left, figures aligned on
    /// the right; every label from the language's catalog, dates and amounts by its conventions
    /// (see ``Localizer``).
    public func table(officeName: String? = nil, language: Language = .english) -> String {
        let t = Localizer(language)
        var rows: [(label: String, value: String)] = []
        func heading(_ text: String) { rows.append((text, "")) }
        func row(_ label: String, _ value: String, depth: Int = 1) {
            rows.append((String(repeating: "  ", count: depth) + label, value))
        }
        func money(_ label: String, _ totals: MoneyTotals, depth: Int = 1) {
            row(label, t.money(totals), depth: depth)
        }
        /// A KZT total under the figure it converts: the sum, the rates it used, what had none.
        func kzt(_ converted: ConvertedIncome?, depth: Int = 2) {
            guard let converted else { return }
            money(t("kzt.total"), converted.total, depth: depth)
            if !converted.ratesUsed.isEmpty {
                row(t("kzt.rates"), converted.ratesUsed.map { "\($0.currency.code) \(t.date($0.date))" }.joined(separator: "; "), depth: depth + 1)
            }
            if !converted.unconverted.isEmpty { money(t("kzt.unconverted"), converted.unconverted, depth: depth + 1) }
        }
        func count(_ value: Int) -> String { "\(value)" }

        heading(t("autm.heading"))
        row(t("autm.disclosures"), count(autm.disclosuresReceived))
        row(t("autm.applications"), count(autm.patentApplications.all))
        row(t("autm.first-filings"), count(autm.patentApplications.firstFilings), depth: 2)
        row(t("autm.patents-issued"), count(autm.patentsIssued))
        row(t("autm.utility-models"), count(autm.utilityModelsRegistered))
        let licences = autm.licencesAndOptionsExecuted
        row(t("autm.licences"), count(licences.total))
        row(t("autm.licences.exclusive"), count(licences.exclusiveLicences), depth: 2)
        row(t("autm.licences.non-exclusive"), count(licences.nonExclusiveLicences), depth: 2)
        row(t("autm.licences.options"), count(licences.options), depth: 2)
        row(t("autm.licences.to-startups"), count(licences.toStartups), depth: 2)
        row(t("autm.startups-formed"), count(autm.startupsFormed))
        row(t("autm.active-licences"), count(autm.activeLicencesAtPeriodEnd))
        let income = autm.licenceIncome
        money(t("income.total"), income.total)
        kzt(income.totalKZT)
        money(t("income.upfront"), income.upfront, depth: 2)
        money(t("income.running-royalties"), income.runningRoyalties, depth: 2)
        money(t("income.milestones"), income.milestones, depth: 2)
        money(t("income.sublicense"), income.sublicense, depth: 2)
        money(t("income.equity-cash-outs"), income.equityCashOuts, depth: 2)
        money(t("income.other"), income.other, depth: 2)
        money(t("income.patent-cost-reimbursement"), income.patentCostReimbursement)

        heading("")
        heading(t("kz.heading"))
        let commercial = kazakhstan.commercializationIncome
        money(t("kz.commercialization-income"), commercial.total)
        kzt(commercial.totalKZT)
        for kind in commercial.byAgreementKind { money(t.agreementKind(kind.kind), kind.amounts, depth: 2) }
        row(t("kz.filings-by-route"), "")
        for route in kazakhstan.filingsByRoute { row(t.label("route", route.key), count(route.count), depth: 2) }
        let green = kazakhstan.greenTechnology
        row(
            t("kz.green"),
            t("text.of", ["part": count(green.green), "whole": count(green.rights), "share": t.percent(green.sharePercent)]))
        row(t("kz.green.classified"), count(green.classified), depth: 2)
        for category in green.byCategory where category.count > 0 {
            row(t.label("green", category.key), count(category.count), depth: 2)
        }
        row(t("kz.licences-by-office-region"), licencesText(kazakhstan.licencesByOfficeRegion))
        for tally in kazakhstan.licencesByOfficeRegion { row(t.region(tally.key), count(tally.count), depth: 2) }
        row(t("kz.licences-by-licensee-location"), licencesText(kazakhstan.licencesByLicenseeLocation))
        for tally in kazakhstan.licencesByLicenseeLocation {
            row(t.licenseeLocation(tally.key), count(tally.count), depth: 2)
        }
        row(t("kz.partners-by-sector"), "")
        for tally in kazakhstan.partnersBySector { row(t.label("sector", tally.key), count(tally.count), depth: 2) }
        tripleHelixRows(t).forEach { rows.append($0) }
        let funding = kazakhstan.fundingSources
        row(t("kz.funding"), t("text.disclosures", ["count": count(funding.disclosures)]))
        for source in funding.bySource {
            row(t.label("funding", source.key), "\(source.count) (\(t.percent(source.sharePercent)))", depth: 2)
        }
        row(t("kz.funding.unspecified"), count(funding.unspecified), depth: 2)
        row(t("kz.exports.licences"), count(kazakhstan.exports.licencesAbroad))
        money(t("kz.exports.income"), kazakhstan.exports.income, depth: 2)
        kzt(kazakhstan.exports.incomeKZT, depth: 3)
        let registrations = kazakhstan.copyrightRegistrations
        row(t("kz.copyright"), count(registrations.total))
        for tally in registrations.byKind { row(t.label("right-kind", tally.key), count(tally.count), depth: 2) }
        for tally in registrations.byOfficeRegion { row(t.region(tally.key), count(tally.count), depth: 2) }
        let creators = kazakhstan.creators
        row(
            t("kz.creators"),
            t("text.creators", ["people": count(creators.people), "recorded": count(creators.recorded)]))
        for tally in creators.byGender { row(t.label("gender", tally.key), tally.shown, depth: 2) }
        for tally in creators.byCareerStage { row(t.label("career", tally.key), tally.shown, depth: 2) }
        let startups = kazakhstan.startups
        row(t("kz.startups"), "")
        row(t("kz.startups.formed"), count(startups.formed), depth: 2)
        row(t("kz.startups.active"), count(startups.activeAtPeriodEnd), depth: 2)
        for tally in startups.activeByRegion { row(t.region(tally.key), count(tally.count), depth: 3) }
        row(t("kz.startups.residents"), count(startups.residentsAtPeriodEnd), depth: 2)
        for tally in startups.residentsByTechnopark { row(tally.label, count(tally.count), depth: 3) }
        money(t("kz.startups.venture"), startups.ventureInvestment, depth: 2)
        kzt(startups.ventureInvestmentKZT, depth: 3)
        money(t("kz.startups.grants"), startups.grants, depth: 2)
        kzt(startups.grantsKZT, depth: 3)
        row(t("kz.by-region"), "")
        for region in kazakhstan.byRegion where region.licences > 0 || !region.income.isEmpty {
            row(
                t.region(region.key),
                t("text.region", ["licences": count(region.licences), "income": t.money(region.income)]), depth: 2)
            kzt(region.incomeKZT, depth: 3)
        }
        let grants = kazakhstan.grantFunding
        money(t("kz.grants"), grants.total)
        kzt(grants.totalKZT)
        for row in grants.byProgramme {
            money("\(row.funder): \(row.programme) (\(row.projects))", row.grant, depth: 2)
            money(t("kz.grants.cofinancing"), row.cofinancing, depth: 3)
            money(t("kz.grants.required"), row.requiredCofinancing, depth: 3)
        }
        money(t("kz.grants.cofinancing-total"), grants.cofinancing, depth: 2)
        kzt(grants.cofinancingKZT, depth: 3)
        heading("")
        rows += patentCosts.tableRows(t)
        let rates = ratesUsed
        if !conversions.isEmpty {
            heading("")
            heading(t("rates.heading"))
            if rates.isEmpty { row(t("rates.none"), "—") }
            for rate in rates { row(rate.currency.code, t.rate(rate)) }
        }

        let width = rows.map { TextEscaping.columns($0.label) }.max() ?? 0
        var out = t("report.heading", ["from": t.date(period.from), "to": t.date(period.to)])
        if let name = officeName ?? preparation?.officeName {
            out += " — \(name)"
        } else if let office {
            out += " — " + t("report.office", ["office": "\(office.rawValue)"])
        }
        if let preparation {
            let date = t.date(preparation.preparedOn)
            out +=
                "\n"
                + (preparation.preparedBy.map { t("report.prepared-by", ["date": date, "name": $0]) }
                    ?? t("report.prepared", ["date": date]))
        }
        out += "\n\n"
        for (label, value) in rows {
            out += value.isEmpty ? label + "\n" : TextEscaping.padded(label, to: width) + "  " + value + "\n"
        }
        out +=
            "\n"
            + t(
                "note.green",
                [
                    "coverage": t("coverage.\(greenInventory.coverage.rawValue)"), "date": t.date(greenInventory.date),
                    "source": greenInventory.source,
                ]) + "\n"
        return out
    }

    /// The Triple-Helix matrix as rows of the table: one per sector, its links with each.
    private func tripleHelixRows(_ t: Localizer) -> [(label: String, value: String)] {
        let helix = kazakhstan.tripleHelix
        let sectors = Party.Sector.allCases
        let width = sectors.map { TextEscaping.columns(t.label("sector", $0.rawValue)) }.max() ?? 0
        func cells(_ values: [String]) -> String {
            values.map { String(repeating: " ", count: max(0, width - TextEscaping.columns($0))) + $0 }
                .joined(separator: " ")
        }
        var rows: [(label: String, value: String)] = [
            (
                "  " + t("kz.triple-helix"),
                t("text.links", ["links": "\(helix.links)", "agreements": "\(helix.agreements)"])
            ),
            ("", cells(sectors.map { t.label("sector", $0.rawValue) })),
        ]
        for row in helix.matrix {
            rows.append(("    " + t.label("sector", row.key), cells(sectors.map { "\(row.count(with: $0))" })))
        }
        return rows
    }

    private func licencesText(_ tallies: [Tally]) -> String {
        "\(tallies.reduce(0) { $0 + $1.count })"
    }
}
