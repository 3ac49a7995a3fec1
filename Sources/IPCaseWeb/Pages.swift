import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// The dashboard, the docket and its actions, the rights and their events.
    func addPages(to router: Router<WebContext>) {
        router.get("/") { request, _ in
            try await signedIn(request) { signed in try await dashboard(signed) }
        }
        router.get("/docket") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await docket(signed, query: Form(query: request.uri.query))
            }
        }
        router.get("/docket.json") { request, _ in
            try await signedIn(request, signedOut: jsonSignedOut) { signed in
                try forbidInventor(signed)
                return try await docketJSON(signed, query: Form(query: request.uri.query))
            }
        }
        router.post("/deadlines/{id}/{action}") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            let action = try context.parameters.require("action")
            return try await signedIn(request, form: form) { signed in
                try await deadlineAction(signed, id: id, action: action, form: form)
            }
        }
        router.get("/rights") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await rights(signed, search: Form(query: request.uri.query).text("q"))
            }
        }
        router.get("/rights/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await right(signed, id: ID(rawValue: id), message: nil)
            }
        }
        router.post("/rights/{id}/events") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                try forbidInventor(signed)
                return try await recordEvent(signed, right: ID(rawValue: id), form: form)
            }
        }
    }

    /// An inventor sees only their own records: the office's docket and rights are not theirs
    /// (answered as "not found", like another office's record).
    func forbidInventor(_ signed: Signed) throws {
        if signed.role == .inventor { throw Refusal.notFound }
    }

    // MARK: Dashboard

    func dashboard(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let office = try await signed.currentOffice()
        let today = today(in: office.timeZoneIdentifier)
        var data: [String: Any] = ["today": t.date(today), "inventor": signed.role == .inventor]
        if signed.role == .inventor, let party = signed.record.office.party {
            let mine = try await signed.office.disclosures(inventor: party)
            data["mine"] = mine.prefix(50).map { item -> [String: Any] in
                [
                    "id": item.value.id.rawValue, "reference": item.value.reference, "title": item.value.title,
                    "state": t("web.disclosure.state.\(item.value.state.rawValue)"),
                ]
            }
        } else {
            var query = DocketQuery(asOf: today)
            query.statuses = ["open"]
            query.within = 30
            query.overdue = true
            if signed.role == .attorney, let party = signed.record.office.party { query.attorney = String(party.rawValue) }
            let entries = try await DocketCommands.entries(
                in: signed.office, query: query, engine: engine, phrases: Self.phrases(signed))
            let overdue = entries.filter { $0.due < today }
            let coming = entries.filter { $0.due >= today }
            data["overdue"] = overdue.map { row($0, signed, today: today) }
            data["coming"] = coming.map { row($0, signed, today: today) }
            data["overdueCount"] = overdue.count
            data["comingCount"] = coming.count
            data["mineOnly"] = query.attorney != nil
            let counts = try await signed.office.recordCounts()
            data["hasCounts"] = true
            data["counts"] = counts.map { ["kind": t.catalog.keys.contains("web.count.\($0.kind)") ? t("web.count.\($0.kind)") : $0.kind, "count": $0.count] }
            // The template opens the section on this (Mustache would not on an empty list).
            data["hasCounts"] = !counts.isEmpty
        }
        return views.page("dashboard", title: t("web.nav.dashboard"), chrome: try await chrome(signed), data: data)
    }

    // MARK: Docket

    /// A filter the docket's query string got wrong: the field and what the user is told.
    struct FilterProblem: Sendable {
        var field: String
        var message: String
    }

    /// The docket's conditions from the query string (the command line's filters), and what is
    /// wrong with them, field by field: the page, `/docket.json` and `/api/v1/docket` read them
    /// here. `overdue` and `unverified` are `1` or `true` (or `0`, `false`).
    func docketQuery(_ form: Form, today: CivilDate, _ t: Localizer) -> (query: DocketQuery, problems: [FilterProblem]) {
        var problems: [FilterProblem] = []
        var query = DocketQuery(asOf: today)
        if let text = form.text("as_of") {
            do { query.asOf = try CivilDate(iso: text) } catch {
                problems.append(FilterProblem(field: "as_of", message: t("web.docket.bad-date", ["field": "as_of"])))
            }
        }
        query.attorney = form.text("attorney")
        for code in form.values("jurisdiction") where !code.isEmpty {
            if let jurisdiction = Jurisdiction(code.uppercased()) {
                query.jurisdictions.append(jurisdiction)
            } else {
                problems.append(FilterProblem(field: "jurisdiction", message: t("web.docket.bad-jurisdiction", ["value": code])))
            }
        }
        query.types = form.values("type").filter { !$0.isEmpty }
        let statuses = form.values("status").filter { !$0.isEmpty }
        for status in statuses where !["open", "done", "waived", "missed", "superseded"].contains(status) {
            problems.append(FilterProblem(field: "status", message: t("web.docket.bad-status", ["value": status])))
        }
        query.statuses = statuses.isEmpty ? ["open"] : statuses
        if let within = form.text("within") {
            if let days = Int(within), (0...3650).contains(days) { query.within = days } else {
                problems.append(FilterProblem(field: "within", message: t("web.docket.bad-within", ["value": within])))
            }
        }
        for flag in ["overdue", "unverified"] {
            if let value = form.text(flag), !["1", "true", "0", "false"].contains(value) {
                problems.append(FilterProblem(field: flag, message: t("web.error.field", ["field": flag])))
            }
        }
        query.overdue = ["1", "true"].contains(form["overdue"] ?? "")
        query.unverified = ["1", "true"].contains(form["unverified"] ?? "")
        return (query, problems)
    }

    /// The docket as `ipcase deadlines list --format json` prints it (`DocketRenderer.json`), with
    /// the page's filters; 422 with `{"problems": […]}` when a filter is wrong.
    func docketJSON(_ signed: Signed, query form: Form) async throws -> Response {
        let office = try await signed.currentOffice()
        let (query, problems) = docketQuery(form, today: today(in: office.timeZoneIdentifier), signed.localizer)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        guard problems.isEmpty else {
            let data = try JSONSerialization.data(withJSONObject: ["problems": problems.map(\.message)], options: [.sortedKeys])
            return Response(
                status: .unprocessableContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let entries = try await DocketCommands.entries(in: signed.office, query: query, engine: engine)
        let text = DocketRenderer.json(entries, asOf: query.asOf)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The docket with the command line's filters, from the query string; `calendar` is the
    /// address of a subscription just made (shown once).
    func docket(_ signed: Signed, query form: Form, calendar: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let t = signed.localizer
        let office = try await signed.currentOffice()
        let (query, problems) = docketQuery(form, today: today(in: office.timeZoneIdentifier), t)
        let entries = problems.isEmpty
            ? try await DocketCommands.entries(
                in: signed.office, query: query, engine: engine, phrases: Self.phrases(signed)) : []
        let shown = entries.prefix(500)
        let data: [String: Any] = [
            "calendar": try await calendarBox(signed, filters: form, made: calendar),
            "rows": shown.map { row($0, signed, today: query.asOf) },
            "count": entries.count, "truncated": entries.count > shown.count, "problems": problems.map(\.message),
            "hasProblems": !problems.isEmpty,
            "filter": [
                "as_of": form["as_of"] ?? "", "attorney": query.attorney ?? "",
                "jurisdiction": form.values("jurisdiction").first ?? "", "type": query.types.first ?? "",
                "within": form["within"] ?? "", "overdue": query.overdue, "unverified": query.unverified,
                "statuses": ["open", "done", "waived", "missed", "superseded"].map {
                    ["value": $0, "label": t("web.status.\($0)"), "selected": query.statuses.contains($0)]
                },
            ] as [String: Any],
            "back": signed.path + (form.pairs.isEmpty ? "" : "?" + (formQuery(form))),
        ]
        return views.page(
            "docket", title: t("web.nav.docket"), chrome: try await chrome(signed), data: data,
            status: problems.isEmpty ? status : .unprocessableContent)
    }

    func formQuery(_ form: Form) -> String {
        form.pairs.map { pair in
            [pair.0, pair.1].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }.joined(separator: "=")
        }.joined(separator: "&")
    }

    /// One docket line as a page shows it.
    func row(_ entry: DocketEntry, _ signed: Signed, today: CivilDate) -> [String: Any] {
        let t = signed.localizer
        // The store's entries all have ids; one without (a computed deadline) gets no actions.
        let acts = entry.id != nil && entry.status == .open && [.admin, .officer, .attorney].contains(signed.role)
        return [
            "id": entry.id.map(String.init) ?? "", "reference": entry.rightReference, "title": entry.title,
            "jurisdiction": entry.jurisdiction?.code ?? "", "type": t.name("web.deadline.type.", entry.type), "year": entry.year ?? "",
            "due": t.date(entry.due), "final": entry.final.map { t.date($0) } ?? "",
            "overdue": entry.status == .open && entry.due < today,
            "status": t("web.status.\(entry.status.rawValue)"), "attorney": entry.attorneyName ?? "",
            "citation": entry.citation, "explanation": entry.explanation,
            "explanationHTML": entry.explanationHTML(in: t.language),
            "unconfirmed": entry.ruleStatus == .unconfirmed,
            // Sections are opened by booleans: Mustache renders the section of an empty string.
            "verified": entry.verifiedBy != nil, "verifiedBy": entry.verifiedBy ?? "",
            "version": entry.revision, "acts": acts,
            "canVerify": acts && entry.verifiedBy == nil,
            "hasRight": Self.right(of: entry) != nil,
            "rightPath": Self.right(of: entry).map { "/rights/\($0.rawValue)" } ?? "",
        ]
    }

    /// The phrasebook of the signed-in user's language for explanations, `nil` in English (the
    /// docket's English line is then the explanation).
    static func phrases(_ signed: Signed) -> ExplanationPhrases? {
        signed.localizer.language == .english ? nil : signed.localizer.explanationPhrases
    }

    /// The right a docket line belongs to, from its key (`o1_r42_…`).
    static func right(of entry: DocketEntry) -> ID<Right>? {
        let parts = entry.key.split(separator: "_")
        guard parts.count > 1, parts[1].first == "r", let id = Int64(parts[1].dropFirst()) else { return nil }
        return ID(rawValue: id)
    }

    /// done, waive or verify one deadline, with the version the page showed (a deadline changed
    /// since is refused with a message, nothing written).
    func deadlineAction(_ signed: Signed, id: Int64, action: String, form: Form) async throws -> Response {
        let t = signed.localizer
        let back = Self.localPath(form["back"], default: "/docket")
        guard [.admin, .officer, .attorney].contains(signed.role) else { throw Refusal.notFound }
        guard let version = form["version"].flatMap(Int.init) else {
            return try await refusedPage(signed, message: t("web.error.field", ["field": "version"]), back: back, status: .unprocessableContent)
        }
        do {
            switch action {
            case "verify":
                try await signed.office.verify(deadline: id, version: version)
            case "done", "waive":
                guard let reason = form.text("reason") else {
                    return try await refusedPage(
                        signed, message: t("web.error.field", ["field": "reason"]), back: back, status: .unprocessableContent)
                }
                try await signed.office.complete(
                    deadline: id, version: version, as: action == "done" ? .done : .waived, reason: reason)
            default:
                throw Refusal.notFound
            }
        } catch let error as StoreError {
            // No such deadline in this office (a conflict with no current version): not found.
            if case .notFound = error { throw Refusal.notFound }
            if case .conflict(_, _, nil) = error { throw Refusal.notFound }
            throw ActionRefused(message: Self.message(for: error, t), status: .conflict) { signed in
                try await refusedPage(signed, message: Self.message(for: error, signed.localizer), back: back)
            }
        }
        return redirect(to: back)
    }

    // MARK: Rights

    func rights(_ signed: Signed, search: String?) async throws -> Response {
        let t = signed.localizer
        let found = try await signed.office.rights(matching: search).map(\.value)
        let rows = found.prefix(500).map { right -> [String: Any] in
            [
                "id": right.id.rawValue, "reference": right.reference, "title": right.title,
                "jurisdiction": right.jurisdiction.code, "kind": t.name("web.right.kind.", right.kind.rawValue),
                "number": right.applicationNumber ?? "", "filed": right.filingDate.map { t.date($0) } ?? "",
                "state": t.name("web.right.state.", right.state.rawValue),
            ]
        }
        return views.page(
            "rights", title: t("web.nav.rights"), chrome: try await chrome(signed),
            data: ["rows": Array(rows), "q": search ?? "", "count": rows.count])
    }

    func right(_ signed: Signed, id: ID<Right>, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = signed.localizer
        let right: Right
        do { right = try await signed.office.right(id).value } catch StoreError.notFound { throw Refusal.notFound }
        let office = try await signed.currentOffice()
        let today = today(in: office.timeZoneIdentifier)
        let events = try await signed.office.events(of: id)
        var query = DocketQuery(asOf: today)
        query.right = id
        let deadlines = try await DocketCommands.entries(
            in: signed.office, query: query, engine: engine, phrases: Self.phrases(signed))
        let writes = [.admin, .officer, .attorney].contains(signed.role)
        let data: [String: Any] = [
            "right": [
                "id": right.id.rawValue, "reference": right.reference, "title": right.title,
                "jurisdiction": right.jurisdiction.code, "kind": t.name("web.right.kind.", right.kind.rawValue),
                "state": t.name("web.right.state.", right.state.rawValue),
                "number": right.applicationNumber ?? "", "filed": right.filingDate.map { t.date($0) } ?? "",
                "published": right.publicationDate.map { t.date($0) } ?? "",
                "granted": right.grantDate.map { t.date($0) } ?? "",
                "registration": right.registrationNumber ?? "",
            ] as [String: Any],
            "events": events.map { stored in
                [
                    "date": t.date(stored.event.date), "kind": t.name("web.event.", stored.event.kind.rawValue),
                    "year": stored.event.year.map(String.init) ?? "", "reference": stored.event.reference ?? "",
                    "by": stored.recordedBy,
                ] as [String: Any]
            },
            "deadlines": deadlines.map { row($0, signed, today: today) },
            "eventKinds": RightEventKind.allCases.map { ["value": $0.rawValue, "name": t.name("web.event.", $0.rawValue)] },
            "writes": writes, "hasMessage": message != nil, "message": message ?? "", "back": "/rights/\(id.rawValue)",
            "today": today.description,
        ]
        return views.page(
            "right", title: right.reference, chrome: try await chrome(signed, back: "/rights/\(id.rawValue)"), data: data,
            status: status)
    }

    /// Records an event on a right through its workflow (a refused transition is a message on
    /// the right's page, nothing written); the daemon recomputes its deadlines.
    func recordEvent(_ signed: Signed, right id: ID<Right>, form: Form) async throws -> Response {
        let t = signed.localizer
        guard [.admin, .officer, .attorney].contains(signed.role) else { throw Refusal.notFound }
        func refuse(_ message: String, _ status: HTTPResponse.Status = .unprocessableContent) async throws -> Response {
            try await right(signed, id: id, message: message, status: status)
        }
        guard let kind = form["kind"].flatMap(RightEventKind.init(rawValue:)) else {
            return try await refuse(t("web.error.field", ["field": "kind"]))
        }
        guard let dateText = form.text("date"), let date = try? CivilDate(iso: dateText) else {
            return try await refuse(t("web.error.field", ["field": "date"]))
        }
        var year: Int?
        if let text = form.text("year") {
            guard let value = Int(text), (1...100).contains(value) else { return try await refuse(t("web.error.field", ["field": "year"])) }
            year = value
        }
        do {
            try await signed.office.recordEvent(id, RightEvent(kind, on: date, year: year, reference: form.text("reference")))
        } catch let error as StoreError {
            if case .notFound = error { throw Refusal.notFound }
            throw ActionRefused(message: Self.message(for: error, t), status: .conflict) { signed in
                try await right(signed, id: id, message: Self.message(for: error, signed.localizer), status: .conflict)
            }
        }
        return redirect(to: "/rights/\(id.rawValue)")
    }
}
