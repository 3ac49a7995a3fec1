import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The office's agreements and one agreement's terms, obligations, payments and compliance;
    /// an inventor sees only those covering a right from one of their disclosures.
    func addAgreements(to router: Router<WebContext>) {
        router.get("/agreements") { request, _ in
            try await signedIn(request) { signed in try await agreements(signed) }
        }
        router.get("/agreements/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try await agreement(signed, id: ID(rawValue: id))
            }
        }
    }

    /// The agreements `signed` may see: the office's, or an inventor's own (those covering a
    /// right from a disclosure they are an inventor of).
    func visibleAgreements(_ signed: Signed) async throws -> [Versioned<Agreement>] {
        guard signed.role == .inventor else { return try await signed.office.agreements() }
        guard let party = signed.record.office.party else { throw Refusal.notFound }
        return try await signed.office.agreements(fromDisclosuresOf: party)
    }

    /// The agreement `id` as `signed` may see it (else not found, as another office's is).
    func visibleAgreement(_ signed: Signed, _ id: ID<Agreement>) async throws -> Versioned<Agreement> {
        if signed.role == .inventor {
            guard let found = try await visibleAgreements(signed).first(where: { $0.value.id == id }) else {
                throw Refusal.notFound
            }
            return found
        }
        do { return try await signed.office.agreement(id) } catch StoreError.notFound { throw Refusal.notFound }
    }

    func agreements(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let list = try await visibleAgreements(signed).map(\.value)
        let names = try await partyNames(signed, list.flatMap(\.counterparties))
        let rows = list.prefix(500).map { agreement -> [String: Any] in
            [
                "id": agreement.id.rawValue, "reference": agreement.reference,
                "kind": t("agreement.\(agreement.kind.rawValue)"),
                "counterparties": agreement.counterparties.map { names[$0] ?? "#\($0.rawValue)" }.joined(
                    separator: ", "),
                "state": t("web.agreement.state.\(agreement.state.rawValue)"),
                "executed": agreement.executedOn.map { t.date($0) } ?? "",
                "starts": agreement.term.startsOn.map { t.date($0) } ?? "",
                "ends": Self.ends(agreement.term, t),
            ]
        }
        return views.page(
            "agreements", title: t("web.nav.agreements"), chrome: try await chrome(signed),
            data: ["rows": Array(rows), "count": list.count])
    }

    func agreement(_ signed: Signed, id: ID<Agreement>) async throws -> Response {
        let t = signed.localizer
        let found = try await visibleAgreement(signed, id).value
        let office = try await signed.office.currentOffice().value
        let today = today(in: office.timeZoneIdentifier)
        let officer = signed.role != .inventor
        let names = try await partyNames(signed, found.counterparties)
        var rights: [[String: Any]] = []
        for right in found.rightsCovered {
            let value = try await signed.office.right(right).value
            rights.append(["id": right.rawValue, "reference": value.reference, "title": value.title])
        }
        // Its obligations' deadlines, as the docket has them (superseded ones are history).
        var query = DocketQuery(asOf: today)
        query.agreement = id
        query.statuses = ["open", "done", "waived", "missed"]
        let deadlines = try await DocketCommands.entries(in: signed.office, query: query, engine: engine)
        // A draft is not yet bound by its obligations: no compliance to speak of.
        let compliance =
            found.state == .draft
            ? nil : try await signed.office.compliance(asOf: today, reference: found.reference).first
        var alerts: [String] = []
        if found.state == .inDefault { alerts.append(t("web.agreement.in-default")) }
        for status in compliance?.obligations ?? [] where status.overdue > 0 {
            let arguments = [
                "type": t("web.obligation.\(status.type)"), "count": String(status.overdue),
                "since": status.overdueSince.map { t.date($0) } ?? "",
            ]
            alerts.append(
                t(
                    status.type == ObligationDeadline.Kind.optionExercise.rawValue
                        ? "web.agreement.not-exercised" : "web.agreement.overdue", arguments))
        }
        let payments = try await signed.office.payments(under: id).map(\.value)
        let terms = found.financialTerms
        let data: [String: Any] = [
            "agreement": [
                "id": found.id.rawValue, "reference": found.reference, "kind": t("agreement.\(found.kind.rawValue)"),
                "state": t("web.agreement.state.\(found.state.rawValue)"),
                "fieldOfUse": found.fieldOfUse ?? "",
                "territory": found.territory.isWorldwide
                    ? t("web.agreement.worldwide") : found.territory.countries.map(\.code).joined(separator: ", "),
                "starts": found.term.startsOn.map { t.date($0) } ?? "", "ends": Self.ends(found.term, t),
                "executed": found.executedOn.map { t.date($0) } ?? "",
            ] as [String: Any],
            "counterparties": found.counterparties.map { ["id": $0.rawValue, "name": names[$0] ?? "#\($0.rawValue)"] },
            "rights": rights, "links": officer,
            "terms": Self.terms(terms, t), "hasTerms": !(terms?.isEmpty ?? true),
            "milestones": (terms?.milestones ?? []).map { milestone -> [String: Any] in
                [
                    "name": milestone.name, "amount": t.money(milestone.amount),
                    "due": milestone.dueOn.map { t.date($0) } ?? "",
                ]
            },
            "obligations": found.obligations.map { Self.obligation($0, t) },
            "deadlines": deadlines.map { row($0, signed, today: today) },
            "alerts": alerts, "hasAlerts": !alerts.isEmpty,
            "received": t.money(Self.totals(payments.map(\.amount))),
            "payments": payments.map { payment -> [String: Any] in
                [
                    "id": payment.id.rawValue, "date": t.date(payment.receivedOn),
                    "kind": t("web.payment.kind.\(payment.kind.rawValue)"), "amount": t.money(payment.amount),
                    "reference": payment.reference ?? "",
                ]
            },
        ]
        return views.page("agreement", title: found.reference, chrome: try await chrome(signed), data: data)
    }

    /// The names of the parties given, by key (one query).
    func partyNames(_ signed: Signed, _ ids: [ID<Party>]) async throws -> [ID<Party>: String] {
        let parties = try await signed.office.parties(Array(Set(ids)))
        return Dictionary(parties.map { ($0.value.id, $0.value.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// When an agreement's term ends: its date, "when the last right expires", or nothing.
    static func ends(_ term: AgreementTerm, _ t: Localizer) -> String {
        term.endsOn.map { t.date($0) } ?? (term.untilLastRightExpires ? t("web.agreement.until-last-right") : "")
    }

    /// Sums per currency (amounts of one currency added exactly).
    static func totals(_ amounts: [Money]) -> MoneyTotals {
        var totals = MoneyTotals()
        for amount in amounts { try? totals.add(amount) }
        return totals
    }

    /// A share as the language writes it: `3.50 %`, `3,50 %`.
    static func percent(_ share: BasisPoints, _ t: Localizer) -> String {
        t.percent(String(share.description.dropLast(2)))
    }

    /// The financial terms as label and value lines (those the agreement has).
    static func terms(_ terms: FinancialTerms?, _ t: Localizer) -> [[String: String]] {
        guard let terms else { return [] }
        var lines: [(String, String)] = []
        if let upfront = terms.upfront { lines.append(("web.terms.upfront", t.money(upfront))) }
        if let royalty = terms.runningRoyalty {
            lines.append(
                ("web.terms.royalty", percent(royalty.rate, t) + " " + t("web.terms.base.\(royalty.base.rawValue)")))
        }
        if let minimum = terms.minimumAnnualRoyalty { lines.append(("web.terms.minimum", t.money(minimum))) }
        if let share = terms.sublicenseIncomeShare { lines.append(("web.terms.sublicense", percent(share, t))) }
        switch terms.patentCostReimbursement {
        case .fixed(let amount)?: lines.append(("web.terms.patent-costs", t.money(amount)))
        case .actualCosts(let cap)?:
            lines.append(
                ("web.terms.patent-costs", t("web.terms.actual-costs") + (cap.map { " ≤ " + t.money($0) } ?? "")))
        case nil: break
        }
        if let equity = terms.equity {
            let parts = [equity.percentage.map { percent($0, t) }, equity.shares.map { String($0) }].compactMap { $0 }
            lines.append(("web.terms.equity", parts.joined(separator: ", ")))
        }
        return lines.map { ["label": t($0.0), "value": $0.1] }
    }

    /// One obligation as a line: royalty reports and when they are due, a milestone, an option's exercise.
    static func obligation(_ obligation: Obligation, _ t: Localizer) -> String {
        switch obligation {
        case .royaltyReports(let every, let days):
            t("web.obligation.reports", ["every": t("web.interval.\(every.rawValue)"), "days": String(days)])
        case .milestone(let name, let due): t("web.obligation.milestone-by", ["name": name, "date": t.date(due)])
        case .optionExercise(let by): t("web.obligation.exercise-by", ["date": t.date(by)])
        }
    }
}
