import Foundation
import Hummingbird
import IPCase
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The offices the user belongs to, their role in each and a switch to another (the
    /// header's `/office` post); for an admin, the web users of the current office and the
    /// language of its notices (`/offices/language`, as `ipcase offices update --language`).
    func addOffices(to router: Router<WebContext>) {
        router.get("/offices") { request, _ in
            try await signedIn(request) { signed in try await offices(signed) }
        }
        router.post("/offices/language") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            return try await signedIn(request, form: form) { signed in
                guard signed.role == .admin else { throw Refusal.notFound }
                guard let language = form["language"].flatMap(Language.init(rawValue:)) else {
                    return try await refusedPage(
                        signed, message: signed.localizer("web.error.language"), back: "/offices",
                        status: .unprocessableContent)
                }
                try await signed.office.setLanguage(language.code)
                return redirect(to: "/offices")
            }
        }
    }

    func offices(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let current = signed.record.office.office
        let mine = try await signed.office.webAccounts.webOffices(user: signed.record.user.id)
        let offices = mine.map { office -> [String: Any] in
            [
                "id": office.office.rawValue, "name": office.name, "role": t("web.role.\(office.role.rawValue)"),
                "current": office.office == current,
            ]
        }
        var data: [String: Any] = ["offices": offices, "admin": signed.role == .admin]
        if signed.role == .admin {
            let noticeLanguage = try await signed.office.language()
            data["noticeLanguages"] = Language.allCases.map {
                ["code": $0.code, "name": Chrome.languageNames[$0]!, "selected": $0.code == noticeLanguage]
            }
            let members = try await signed.office.webMembers()
            let names = try await partyNames(signed, members.compactMap(\.role.party))
            data["members"] = members.map { member -> [String: Any] in
                [
                    "login": member.user.login, "name": member.user.name, "email": member.user.email ?? "",
                    "role": t("web.role.\(member.role.role.rawValue)"),
                    "party": member.role.party.map { names[$0] ?? "#\($0.rawValue)" } ?? "",
                    "disabled": member.user.disabled,
                ]
            }
        }
        return views.page("offices", title: t("web.nav.offices"), chrome: try await chrome(signed), data: data)
    }
}
