import Foundation
import HTTPTypes
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore
import NIOCore

extension WebApp {
    /// Calendar subscriptions: a personal address (`/calendar/<token>.ics`) made on the docket
    /// page with its filters, read by calendar clients with the token alone, revocable there.
    func addCalendar(to router: Router<WebContext>) {
        router.post("/calendar") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            let origin = origin(of: request)
            return try await signedIn(request, form: form) { signed in
                try forbidInventor(signed)
                return try await makeCalendar(signed, form: form, origin: origin)
            }
        }
        router.post("/calendar/subscriptions/{id}/revoke") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                guard try await signed.office.webAccounts.revokeWebCalendarToken(user: signed.record.user.id, id: id) else {
                    throw Refusal.notFound
                }
                return redirect(to: Self.localPath(form["back"], default: "/docket"))
            }
        }
        router.get("/calendar/{file}") { request, context in
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".ics") else { return try await notFoundPage(request) }
            let token = String(file.dropLast(4))
            guard token.utf8.count == 43, token.utf8.allSatisfy(Self.isTokenByte) else {
                return try await notFoundPage(request)
            }
            do {
                return try await calendarFeed(token: token)
            } catch StoreError.notFound(let record) where record == "calendar subscription" {
                return try await notFoundPage(request)
            }
        }
    }

    /// A byte of a token (base64url: `A–Z a–z 0–9 - _`).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// `https://host` of the request (`http://` when cookies are not marked secure: a demo on
    /// 127.0.0.1), for an address to paste into a calendar client.
    func origin(of request: Request) -> String {
        (configuration.secureCookies ? "https://" : "http://") + (request.head.authority ?? "localhost")
    }

    /// Makes a subscription with the docket's filters as the form carries them (the page's
    /// query string, without `as_of`: a feed is always as of today); the docket page shows its
    /// address once.
    func makeCalendar(_ signed: Signed, form: Form, origin: String) async throws -> Response {
        let t = signed.localizer
        let filters = Form(query: form["filters"])
        let kept = Form(pairs: filters.pairs.filter { $0.0 != "as_of" && !$0.1.isEmpty })
        let office = try await signed.office.currentOffice().value
        let (_, problems) = docketQuery(kept, today: today(in: office.timeZoneIdentifier), t)
        let name = form.text("name") ?? t("web.calendar.default-name")
        guard problems.isEmpty, name.utf8.count <= 100 else {
            let message = problems.first?.message ?? t("web.error.field", ["field": "name"])
            return try await refusedPage(signed, message: message, back: "/docket", status: .unprocessableContent)
        }
        let token = Secrets.token()
        let query = formQuery(kept)
        try await signed.office.webAccounts.createWebCalendarToken(
            token: token, user: signed.record.user.id, office: signed.record.office.office, name: name, filters: query)
        // The docket page as it was, its actions returning to it (not to this post's address).
        var shown = signed
        shown.path = "/docket"
        shown.back = "/docket" + (query.isEmpty ? "" : "?" + query)
        return try await docket(shown, query: kept, calendar: origin + "/calendar/\(token).ics", status: .created)
    }

    /// The subscription's docket as iCalendar (RFC 5545, ``DocketCalendar``), in a transaction
    /// of the subscription (row-level security admits its office, for reading).
    func calendarFeed(token: String) async throws -> Response {
        let text = try await pool.withStore { store in
            try await store.withWebCalendar(token: token) { record, session in
                let office = try await session.currentOffice().value
                let language = record.user.language.flatMap(Language.init(rawValue:)) ?? .english
                let (query, _) = docketQuery(
                    Form(query: record.token.filters), today: today(in: office.timeZoneIdentifier), Localizer(language))
                let entries = try await DocketCommands.entries(in: session, query: query, engine: engine)
                let feed = DocketCalendar(name: "IPCase · \(office.name) · \(record.token.name)", stamp: clock())
                return feed.render(entries)
            }
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.cacheControl] = "private, no-cache"
        headers[.contentDisposition] = "inline; filename=\"ipcase.ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The docket page's subscription box: the user's subscriptions in this office.
    func calendarBox(_ signed: Signed, filters: Form, made: String?) async throws -> [String: Any] {
        let t = signed.localizer
        let list = try await signed.office.webAccounts.webCalendarTokens(
            user: signed.record.user.id, office: signed.record.office.office)
        func stamp(_ date: Date?) -> String { Self.day(date, t) }
        let rows = list.map { token -> [String: Any] in
            [
                "id": token.id, "name": token.name,
                "filters": token.filters.isEmpty ? t("web.calendar.defaults") : token.filters,
                "created": stamp(token.createdAt), "used": stamp(token.lastUsedAt),
                "revoked": token.revokedAt != nil, "revokedOn": stamp(token.revokedAt),
            ]
        }
        let kept = Form(pairs: filters.pairs.filter { $0.0 != "as_of" && !$0.1.isEmpty })
        return [
            "rows": rows, "hasRows": !rows.isEmpty, "filters": formQuery(kept), "made": made ?? "",
            "hasMade": made != nil,
        ]
    }
}
