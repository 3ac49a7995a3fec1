import Foundation
import Hummingbird
import IPCase
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// A user's API tokens: made for the session's office, shown once, revocable.
    func addTokens(to router: Router<WebContext>) {
        router.get("/tokens") { request, _ in
            try await signedIn(request) { signed in try await tokens(signed, made: nil) }
        }
        router.post("/tokens") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            return try await signedIn(request, form: form) { signed in
                guard let name = form.text("name"), name.count <= 100 else {
                    return try await refusedPage(
                        signed, message: signed.localizer("web.error.field", ["field": "name"]), back: "/tokens",
                        status: .unprocessableContent)
                }
                let token = Secrets.token()
                try await signed.office.webAccounts.createWebAPIToken(
                    token: token, user: signed.record.user.id, office: signed.record.office.office, name: name)
                return try await tokens(signed, made: token, status: .created)
            }
        }
        router.post("/tokens/{id}/revoke") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                guard try await signed.office.webAccounts.revokeWebAPIToken(user: signed.record.user.id, id: id) else {
                    throw Refusal.notFound
                }
                return redirect(to: "/tokens")
            }
        }
    }

    func tokens(_ signed: Signed, made: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = signed.localizer
        let list = try await signed.office.webAccounts.webAPITokens(user: signed.record.user.id)
        func stamp(_ date: Date?) -> String { Self.day(date, t) }
        let rows = list.map { token -> [String: Any] in
            [
                "id": token.id, "name": token.name, "office": token.office.rawValue, "created": stamp(token.createdAt),
                "used": stamp(token.lastUsedAt), "revoked": token.revokedAt != nil, "revokedOn": stamp(token.revokedAt),
            ]
        }
        return views.page(
            "tokens", title: t("web.nav.tokens"), chrome: try await chrome(signed),
            data: ["rows": rows, "made": made ?? "", "hasMade": made != nil], status: status)
    }

    /// The UTC day of a moment as the language writes dates, "" for none.
    static func day(_ date: Date?, _ t: Localizer) -> String {
        date.map { t.date(CivilDate(daysSinceEpoch: Int32(($0.timeIntervalSince1970 / 86_400).rounded(.down)))) } ?? ""
    }
}
