import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// Disclosures: an inventor submits one and sees their own; the office assesses them through
    /// the disclosure workflow (only its allowed events are offered).
    func addDisclosures(to router: Router<WebContext>) {
        router.get("/disclosures") { request, _ in
            try await signedIn(request) { signed in try await disclosures(signed) }
        }
        router.get("/disclosures/new") { request, _ in
            try await signedIn(request) { signed in
                try requireSubmitter(signed)
                return try await disclosureForm(signed, values: Form(""), problems: [], status: .ok)
            }
        }
        router.post("/disclosures") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            return try await signedIn(request, form: form) { signed in
                try requireSubmitter(signed)
                return try await submitDisclosure(signed, form: form)
            }
        }
        router.get("/disclosures/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try await disclosure(signed, id: ID(rawValue: id), message: nil)
            }
        }
        router.post("/disclosures/{id}/events") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                try await advanceDisclosure(signed, id: ID(rawValue: id), form: form)
            }
        }
    }

    /// Who may submit: an inventor (for themselves), an officer or an admin.
    func requireSubmitter(_ signed: Signed) throws {
        guard [.inventor, .officer, .admin].contains(signed.role) else { throw Refusal.notFound }
    }

    /// The disclosure `id` as `signed` may see it: an inventor only their own (else not found,
    /// as another office's record is).
    func visibleDisclosure(_ signed: Signed, _ id: ID<Disclosure>) async throws -> Versioned<Disclosure> {
        let found: Versioned<Disclosure>
        do { found = try await signed.office.disclosure(id) } catch StoreError.notFound { throw Refusal.notFound }
        if signed.role == .inventor {
            guard let party = signed.record.office.party, found.value.inventors.contains(where: { $0.party == party })
            else { throw Refusal.notFound }
        }
        return found
    }

    func disclosures(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let list: [Versioned<Disclosure>]
        if signed.role == .inventor {
            guard let party = signed.record.office.party else { throw Refusal.notFound }
            list = try await signed.office.disclosures(inventor: party)
        } else {
            list = try await signed.office.disclosures()
        }
        let rows = list.prefix(500).map { item -> [String: Any] in
            let value = item.value
            return [
                "id": value.id.rawValue, "reference": value.reference, "title": value.title,
                "received": t.date(value.receivedOn), "state": t("web.disclosure.state.\(value.state.rawValue)"),
                "trl": value.readiness.map { String($0.level) } ?? "",
            ]
        }
        return views.page(
            "disclosures", title: t("web.nav.disclosures"), chrome: try await chrome(signed),
            data: [
                "rows": Array(rows), "count": list.count,
                "submits": [.inventor, .officer, .admin].contains(signed.role),
            ])
    }

    func disclosureForm(_ signed: Signed, values: Form, problems: [String], status: HTTPResponse.Status) async throws
        -> Response
    {
        let t = signed.localizer
        let me = signed.record.office.party.map { "\($0.rawValue)=100" } ?? ""
        let chosen = Set(values.values("funding"))
        return views.page(
            "disclosure-new", title: t("web.disclosure.new"), chrome: try await chrome(signed),
            data: [
                "problems": problems, "hasProblems": !problems.isEmpty,
                "title": values["title"] ?? "", "department": values["department"] ?? "",
                "trl": values["trl"] ?? "", "ipc": values["ipc"] ?? "",
                "inventors": values["inventors"] ?? me,
                "funding": Disclosure.FundingSource.allCases.map {
                    ["value": $0.rawValue, "label": t("web.funding.\($0.rawValue)"), "checked": chosen.contains($0.rawValue)]
                },
            ], status: status)
    }

    /// Checks the form field by field (every problem named), then creates the disclosure as
    /// received today; an inventor must be one of its inventors.
    func submitDisclosure(_ signed: Signed, form: Form) async throws -> Response {
        let t = signed.localizer
        var problems: [String] = []
        let title = form.text("title")
        if title == nil { problems.append(t("web.error.field", ["field": "title"])) }
        var readiness: TechnologyReadinessLevel?
        if let text = form.text("trl") {
            readiness = Int(text).flatMap(TechnologyReadinessLevel.init)
            if readiness == nil { problems.append(t("web.disclosure.bad-trl", ["value": text])) }
        }
        var symbols: [IPCSymbol] = []
        for raw in (form["ipc"] ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if let symbol = IPCSymbol(text) { symbols.append(symbol) } else {
                problems.append(t("web.disclosure.bad-ipc", ["value": text]))
            }
        }
        var funding: [Disclosure.FundingSource] = []
        for value in form.values("funding") {
            if let source = Disclosure.FundingSource(rawValue: value) { funding.append(source) } else {
                problems.append(t("web.error.field", ["field": "funding"]))
            }
        }
        var inventors: [InventorShare] = []
        for line in (form["inventors"] ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" }) {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: " ", with: "")
            if text.isEmpty { continue }
            do { inventors.append(try FieldValues.inventorShare(text)) } catch {
                problems.append("inventors: " + error.text)
            }
        }
        if inventors.isEmpty {
            problems.append(t("web.error.field", ["field": "inventors"]))
        } else if inventors.reduce(0, { $0 + $1.share.value }) != 10_000 {
            problems.append(t("web.disclosure.bad-shares"))
        }
        if signed.role == .inventor, let party = signed.record.office.party, !inventors.contains(where: { $0.party == party }) {
            problems.append(t("web.disclosure.not-yours"))
        }
        guard problems.isEmpty, let title else {
            return try await disclosureForm(signed, values: form, problems: problems, status: .unprocessableContent)
        }
        let office = try await signed.currentOffice()
        let today = today(in: office.timeZoneIdentifier)
        let prefix = "WEB-\(today.year)-"
        let taken = try await signed.office.disclosureReferences(prefix: prefix)
        let next = (taken.compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0) + 1
        let reference = prefix + (next < 100 ? String(format: "%03d", next) : String(next))
        let created: Disclosure
        do {
            created = try await signed.office.createDisclosure(
                Disclosure(
                    id: 0, office: signed.record.office.office, reference: reference, title: title, receivedOn: today,
                    department: form.text("department"), inventors: inventors, fundingSources: funding,
                    readiness: readiness, ipcSymbols: symbols))
        } catch let error as StoreError {
            let message = Self.message(for: error, t)
            throw ActionRefused(message: message, status: .unprocessableContent) { signed in
                try await disclosureForm(signed, values: form, problems: [Self.message(for: error, signed.localizer)], status: .unprocessableContent)
            }
        }
        return redirect(to: "/disclosures/\(created.id.rawValue)")
    }

    func disclosure(_ signed: Signed, id: ID<Disclosure>, message: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let t = signed.localizer
        let found = try await visibleDisclosure(signed, id).value
        let parties = try await signed.office.parties(found.inventors.map(\.party))
        let names = Dictionary(parties.map { ($0.value.id, $0.value.name) }, uniquingKeysWith: { a, _ in a })
        let assesses = [.officer, .admin].contains(signed.role)
        let events = assesses
            ? DisclosureWorkflow.Event.Kind.allCases.filter { DisclosureWorkflow.transitions(from: found.state)[$0] != nil }
                .map { kind -> [String: Any] in
                ["value": kind.rawValue, "label": t("web.disclosure.event.\(kind.rawValue)"), "needsDate": kind == .putOnHold]
            } : []
        let data: [String: Any] = [
            "disclosure": [
                "id": found.id.rawValue, "reference": found.reference, "title": found.title,
                "received": t.date(found.receivedOn), "state": t("web.disclosure.state.\(found.state.rawValue)"),
                "department": found.department ?? "", "trl": found.readiness.map { String($0.level) } ?? "",
                "ipc": found.ipcSymbols.map(\.text).joined(separator: ", "),
                "funding": found.fundingSources.map { t("web.funding.\($0.rawValue)") }.joined(separator: ", "),
            ] as [String: Any],
            "inventors": found.inventors.map { ["name": names[$0.party] ?? "#\($0.party.rawValue)", "share": $0.share.description] },
            "events": events, "hasEvents": !events.isEmpty,
            "hasMessage": message != nil, "message": message ?? "",
        ]
        return views.page("disclosure", title: found.reference, chrome: try await chrome(signed), data: data, status: status)
    }

    /// Applies one of the allowed workflow events (an officer's or an admin's); a refused one is
    /// a message on the disclosure's page, nothing written.
    func advanceDisclosure(_ signed: Signed, id: ID<Disclosure>, form: Form) async throws -> Response {
        let t = signed.localizer
        guard [.officer, .admin].contains(signed.role) else { throw Refusal.notFound }
        let found = try await visibleDisclosure(signed, id).value
        let name = form["event"] ?? ""
        let event: DisclosureWorkflow.Event
        do {
            if name == DisclosureWorkflow.Event.Kind.startAssessment.rawValue {
                event = .startAssessment(inventors: found.inventors)
            } else {
                let until = try form.text("until").map { try CivilDate(iso: $0) }
                let office = try await signed.currentOffice()
                event = try Advance.disclosureEvent(
                    name, details: Advance.Details(date: today(in: office.timeZoneIdentifier), until: until))
            }
        } catch {
            return try await disclosure(signed, id: id, message: t("web.error.field", ["field": name == "put-on-hold" ? "until" : "event"]), status: .unprocessableContent)
        }
        do {
            try await signed.office.applyDisclosureEvent(id, event)
        } catch let error as StoreError {
            throw ActionRefused(message: Self.message(for: error, t), status: .conflict) { signed in
                try await disclosure(signed, id: id, message: Self.message(for: error, signed.localizer), status: .conflict)
            }
        } catch let error as WorkflowError {
            throw ActionRefused(message: "\(error)", status: .conflict) { signed in
                try await disclosure(signed, id: id, message: t("web.error.invalid") + " \(error)", status: .conflict)
            }
        }
        return redirect(to: "/disclosures/\(id.rawValue)")
    }
}
