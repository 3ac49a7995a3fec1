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

    /// The report as a plain-text table: labels on the left, figures aligned on the right.
    public func table(officeName: String? = nil) -> String {
        var rows: [(label: String, value: String)] = []
        func heading(_ text: String) { rows.append((text, "")) }
        func row(_ label: String, _ value: String, depth: Int = 1) {
            rows.append((String(repeating: "  ", count: depth) + label, value))
        }
        func money(_ label: String, _ totals: MoneyTotals, depth: Int = 1) {
            row(label, totals.description, depth: depth)
        }
        func percent(_ text: String?) -> String { text.map { "\($0) %" } ?? "—" }

        heading("AUTM licensing survey")
        row("Disclosures received", "\(autm.disclosuresReceived)")
        row("Patent applications filed", "\(autm.patentApplications.all)")
        row("of which first filings", "\(autm.patentApplications.firstFilings)", depth: 2)
        row("Patents issued", "\(autm.patentsIssued)")
        row("Utility models registered", "\(autm.utilityModelsRegistered)")
        let licences = autm.licencesAndOptionsExecuted
        row("Licences and options executed", "\(licences.total)")
        row("exclusive licences", "\(licences.exclusiveLicences)", depth: 2)
        row("non-exclusive licences", "\(licences.nonExclusiveLicences)", depth: 2)
        row("options", "\(licences.options)", depth: 2)
        row("to start-ups", "\(licences.toStartups)", depth: 2)
        row("Start-ups formed", "\(autm.startupsFormed)")
        row("Active licences at period end", "\(autm.activeLicencesAtPeriodEnd)")
        let income = autm.licenceIncome
        money("Licence income (total)", income.total)
        money("upfront fees", income.upfront, depth: 2)
        money("running royalties", income.runningRoyalties, depth: 2)
        money("milestones", income.milestones, depth: 2)
        money("sublicence income", income.sublicense, depth: 2)
        money("equity cash-outs", income.equityCashOuts, depth: 2)
        money("other", income.other, depth: 2)
        money("Patent costs reimbursed (not income)", income.patentCostReimbursement)

        heading("")
        heading("Kazakh policy indicators")
        let commercial = kazakhstan.commercializationIncome
        money("Commercialization income", commercial.total)
        for kind in commercial.byAgreementKind { money(kind.label, kind.amounts, depth: 2) }
        row("Filings by route", "")
        for route in kazakhstan.filingsByRoute { row(route.label, "\(route.count)", depth: 2) }
        let green = kazakhstan.greenTechnology
        row("Green-technology applications", "\(green.green) of \(green.rights) (\(percent(green.sharePercent)))")
        row("with IPC symbols", "\(green.classified)", depth: 2)
        for category in green.byCategory where category.count > 0 {
            row(category.label, "\(category.count)", depth: 2)
        }
        row("Licences by office region", licencesText(kazakhstan.licencesByOfficeRegion))
        for tally in kazakhstan.licencesByOfficeRegion { row(tally.label, "\(tally.count)", depth: 2) }
        row("Licences by licensee location", licencesText(kazakhstan.licencesByLicenseeLocation))
        for tally in kazakhstan.licencesByLicenseeLocation { row(tally.label, "\(tally.count)", depth: 2) }
        row("Partners by Triple-Helix sector", "")
        for tally in kazakhstan.partnersBySector { row(tally.label, "\(tally.count)", depth: 2) }
        let funding = kazakhstan.fundingSources
        row("R&D funding of disclosures", "\(funding.disclosures) disclosures")
        for source in funding.bySource {
            row(source.label, "\(source.count) (\(percent(source.sharePercent)))", depth: 2)
        }
        row("no source given", "\(funding.unspecified)", depth: 2)
        row("Exports: licences to licensees abroad", "\(kazakhstan.exports.licencesAbroad)")
        money("income from licensees abroad", kazakhstan.exports.income, depth: 2)
        if let converted = kazakhstan.exports.incomeKZT {
            money("in KZT at the rates supplied", converted.total, depth: 2)
            for rate in converted.ratesUsed { row("rate", rate.description, depth: 3) }
            if !converted.unconverted.isEmpty { money("no rate for", converted.unconverted, depth: 3) }
        }
        let registrations = kazakhstan.copyrightRegistrations
        row("Copyright registrations", "\(registrations.total)")
        for tally in registrations.byKind { row(tally.label, "\(tally.count)", depth: 2) }
        for tally in registrations.byOfficeRegion { row(tally.label, "\(tally.count)", depth: 2) }
        let creators = kazakhstan.creators
        row("Inventors and authors", "\(creators.people) (\(creators.recorded) with consent recorded)")
        for tally in creators.byGender + creators.byCareerStage { row(tally.label, tally.shown, depth: 2) }
        let startups = kazakhstan.startups
        row("Start-ups", "")
        row("formed", "\(startups.formed)", depth: 2)
        row("active at the period's end", "\(startups.activeAtPeriodEnd)", depth: 2)
        for tally in startups.activeByRegion { row(tally.label, "\(tally.count)", depth: 3) }
        row("technopark residents at the period's end", "\(startups.residentsAtPeriodEnd)", depth: 2)
        for tally in startups.residentsByTechnopark { row(tally.label, "\(tally.count)", depth: 3) }
        money("venture investment attracted", startups.ventureInvestment, depth: 2)
        if let converted = startups.ventureInvestmentKZT { money("in KZT at the rates supplied", converted.total, depth: 3) }
        money("grants to start-ups", startups.grants, depth: 2)
        row("Licences and income by region", "")
        for region in kazakhstan.byRegion where region.licences > 0 || !region.income.isEmpty {
            row(region.label, "\(region.licences) licences; \(region.income.description)", depth: 2)
        }
        money("Grant funding (stages starting in the period)", kazakhstan.grantFunding.total)
        for row in kazakhstan.grantFunding.byProgramme {
            money("\(row.funder): \(row.programme) (\(row.projects))", row.grant, depth: 2)
            money("co-financing put in", row.cofinancing, depth: 3)
            money("required", row.requiredCofinancing, depth: 3)
        }
        heading("")
        rows += patentCosts.tableRows()

        let width = rows.map { TextEscaping.columns($0.label) }.max() ?? 0
        var out = "Indicators \(period)"
        if let name = officeName ?? preparation?.officeName {
            out += " — \(name)"
        } else if let office {
            out += " — office \(office.rawValue)"
        }
        if let preparation {
            out += "\nPrepared \(preparation.preparedOn)" + (preparation.preparedBy.map { " by \($0)" } ?? "")
        }
        out += "\n\n"
        for (label, value) in rows {
            out += value.isEmpty ? label + "\n" : TextEscaping.padded(label, to: width) + "  " + value + "\n"
        }
        out +=
            "\nGreen technology tagged with the WIPO IPC Green Inventory (\(greenInventory.coverage.rawValue), "
            + "\(greenInventory.date)): \(greenInventory.source)\n"
        return out
    }

    private func licencesText(_ tallies: [Tally]) -> String {
        "\(tallies.reduce(0) { $0 + $1.count })"
    }
}
