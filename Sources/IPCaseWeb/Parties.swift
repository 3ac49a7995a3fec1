import Foundation
import Hummingbird
import IPCase
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The office's parties (searched by name) and one party's contact and roles: the
    /// disclosures they are an inventor of, the agreements they are a counterparty of. Not an
    /// inventor's.
    func addParties(to router: Router<WebContext>) {
        router.get("/parties") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await parties(signed, search: Form(query: request.uri.query).text("q"))
            }
        }
        router.get("/parties/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await party(signed, id: ID(rawValue: id))
            }
        }
    }

    func parties(_ signed: Signed, search: String?) async throws -> Response {
        let t = signed.localizer
        let found = try await signed.office.parties(matching: search).map(\.value)
        let rows = found.prefix(500).map { party -> [String: Any] in
            [
                "id": party.id.rawValue, "name": party.name, "kind": t("web.party.kind.\(party.kind.rawValue)"),
                "roles": Self.roles(party, t), "email": party.email ?? "", "country": party.country.code,
            ]
        }
        return views.page(
            "parties", title: t("web.nav.parties"), chrome: try await chrome(signed),
            data: ["rows": Array(rows), "q": search ?? "", "count": found.count])
    }

    func party(_ signed: Signed, id: ID<Party>) async throws -> Response {
        let t = signed.localizer
        let found: Party
        do { found = try await signed.office.party(id).value } catch StoreError.notFound { throw Refusal.notFound }
        let disclosures = try await signed.office.disclosures(inventor: id).map(\.value)
        let agreements = try await signed.office.agreements(counterparty: id).map(\.value)
        let data: [String: Any] = [
            "party": [
                "id": found.id.rawValue, "name": found.name, "kind": t("web.party.kind.\(found.kind.rawValue)"),
                "roles": Self.roles(found, t), "email": found.email ?? "", "hasEmail": found.email != nil,
                "phone": found.phone ?? "", "country": found.country.code,
                "region": found.region.map { t("region.\($0.rawValue)") } ?? "",
                "sector": t("sector.\(found.sector.rawValue)"),
            ] as [String: Any],
            "disclosures": disclosures.map { disclosure -> [String: Any] in
                [
                    "id": disclosure.id.rawValue, "reference": disclosure.reference, "title": disclosure.title,
                    "share": disclosure.inventors.first { $0.party == id }.map { Self.percent($0.share, t) } ?? "",
                    "state": t("web.disclosure.state.\(disclosure.state.rawValue)"),
                ]
            },
            "agreements": agreements.map { agreement -> [String: Any] in
                [
                    "id": agreement.id.rawValue, "reference": agreement.reference,
                    "kind": t("agreement.\(agreement.kind.rawValue)"),
                    "state": t("web.agreement.state.\(agreement.state.rawValue)"),
                ]
            },
            "hasDisclosures": !disclosures.isEmpty, "hasAgreements": !agreements.isEmpty,
        ]
        return views.page("party", title: found.name, chrome: try await chrome(signed), data: data)
    }

    /// A party's roles in the language, joined.
    static func roles(_ party: Party, _ t: Localizer) -> String {
        party.roles.map { t("web.party.role.\($0.rawValue)") }.joined(separator: ", ")
    }
}
