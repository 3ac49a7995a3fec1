import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The deal pipeline by state, and a deal advanced with its workflow's allowed events only.
    func addDeals(to router: Router<WebContext>) {
        router.get("/deals") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await pipeline(signed)
            }
        }
        router.get("/deals/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await deal(signed, id: ID(rawValue: id), message: nil)
            }
        }
        router.post("/deals/{id}/events") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                try await advanceDeal(signed, id: ID(rawValue: id), form: form)
            }
        }
    }

    func pipeline(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let deals = try await signed.office.deals().map(\.value)
        let stages = DealWorkflow.State.allCases.map { state -> [String: Any] in
            let here = deals.filter { $0.state == state }
            return [
                "state": state.rawValue, "label": t("web.deal.state.\(state.rawValue)"), "count": here.count,
                "deals": here.map { ["id": $0.id.rawValue, "reference": $0.reference, "title": $0.title] },
            ]
        }
        return views.page(
            "deals", title: t("web.nav.deals"), chrome: try await chrome(signed),
            data: ["stages": stages, "count": deals.count])
    }

    func deal(_ signed: Signed, id: ID<Deal>, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = signed.localizer
        let found: Deal
        do { found = try await signed.office.deal(id).value } catch StoreError.notFound { throw Refusal.notFound }
        var counterparty: String?
        if let party = found.counterparty { counterparty = try await signed.office.party(party).value.name }
        let advances = [.officer, .admin].contains(signed.role)
        let allowed = DealWorkflow.transitions(from: found.state)
        let events = advances
            ? DealWorkflow.Event.Kind.allCases.filter { allowed[$0] != nil }.map { kind -> [String: Any] in
                [
                    "value": kind.rawValue, "label": t("web.deal.event.\(kind.rawValue)"),
                    "needsNDA": kind == .startEvaluation, "needsKind": kind == .executeAgreement,
                    "needsReason": kind == .lose,
                ]
            } : []
        let kinds = Agreement.Kind.allCases.map { kind -> [String: Any] in
            ["value": kind.rawValue, "label": t("agreement.\(kind.rawValue)"), "selected": kind == found.intendedAgreement]
        }
        let data: [String: Any] = [
            "deal": [
                "id": found.id.rawValue, "reference": found.reference, "title": found.title,
                "state": t("web.deal.state.\(found.state.rawValue)"), "counterparty": counterparty ?? "",
                "value": found.expectedValue.map { t.money($0) } ?? "",
                "intended": found.intendedAgreement.map { t("agreement.\($0.rawValue)") } ?? "",
            ] as [String: Any],
            "events": events, "hasEvents": !events.isEmpty, "kinds": kinds,
            "hasMessage": message != nil, "message": message ?? "",
        ]
        return views.page("deal", title: found.reference, chrome: try await chrome(signed), data: data, status: status)
    }

    /// Applies one allowed event (officers and admins); a refused transition or a missing field
    /// is a message on the deal's page, nothing written.
    func advanceDeal(_ signed: Signed, id: ID<Deal>, form: Form) async throws -> Response {
        let t = signed.localizer
        guard [.officer, .admin].contains(signed.role) else { throw Refusal.notFound }
        let name = form["event"] ?? ""
        let office = try await signed.currentOffice()
        let event: DealWorkflow.Event
        do {
            event = try Advance.dealEvent(
                name,
                details: Advance.Details(
                    date: today(in: office.timeZoneIdentifier), kind: form.text("kind"), reason: form.text("reason"),
                    agreement: form.text("agreement").flatMap(Int64.init)))
        } catch let error as CLIError {
            return try await deal(signed, id: id, message: error.description, status: .unprocessableContent)
        }
        do {
            try await signed.office.applyDealEvent(id, event)
        } catch let error as StoreError {
            if case .notFound = error { throw Refusal.notFound }
            throw ActionRefused(message: Self.message(for: error, t), status: .conflict) { signed in
                try await deal(signed, id: id, message: Self.message(for: error, signed.localizer), status: .conflict)
            }
        }
        return redirect(to: "/deals/\(id.rawValue)")
    }
}
