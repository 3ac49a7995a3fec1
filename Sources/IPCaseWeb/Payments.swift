import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// Payments received and their distribution by the office's revenue-sharing policy; an
    /// inventor sees only their own distribution statements.
    func addPayments(to router: Router<WebContext>) {
        router.get("/payments") { request, _ in
            try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await payments(signed)
            }
        }
        router.get("/payments/{id}") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request) { signed in
                try forbidInventor(signed)
                return try await payment(signed, id: ID(rawValue: id), message: nil)
            }
        }
        router.post("/payments/{id}/distribution") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await signedIn(request, form: form) { signed in
                try await distributePayment(signed, id: ID(rawValue: id))
            }
        }
        router.get("/distributions") { request, _ in
            try await signedIn(request) { signed in try await distributions(signed) }
        }
    }

    func payments(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let payments = try await signed.office.versionedPayments().map(\.value).reversed()
        let agreements = Dictionary(
            try await signed.office.agreements().map { ($0.value.id, $0.value.reference) },
            uniquingKeysWith: { a, _ in a })
        let distributed = Set(try await signed.office.distributions().map(\.payment))
        let rows = payments.prefix(500).map { payment -> [String: Any] in
            [
                "id": payment.id.rawValue, "date": t.date(payment.receivedOn),
                "agreementID": payment.agreement.rawValue, "agreement": agreements[payment.agreement] ?? "",
                "kind": t("web.payment.kind.\(payment.kind.rawValue)"), "amount": t.money(payment.amount),
                "reference": payment.reference ?? "", "distributed": distributed.contains(payment.id),
            ]
        }
        return views.page(
            "payments", title: t("web.nav.payments"), chrome: try await chrome(signed),
            data: [
                "rows": Array(rows), "count": payments.count,
                "total": t.money(Self.totals(payments.map(\.amount))),
            ])
    }

    func payment(_ signed: Signed, id: ID<Payment>, message: String?, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let t = signed.localizer
        let found: Payment
        do { found = try await signed.office.payment(id).value } catch StoreError.notFound { throw Refusal.notFound }
        let agreement = try await signed.office.agreement(found.agreement).value
        let stored = try await signed.office.distribution(of: id)
        let names = try await partyNames(signed, stored?.distribution.lines.compactMap(\.recipient.party) ?? [])
        let distributes = [.officer, .admin].contains(signed.role)
        var data: [String: Any] = [
            "payment": [
                "id": found.id.rawValue, "date": t.date(found.receivedOn), "amount": t.money(found.amount),
                "kind": t("web.payment.kind.\(found.kind.rawValue)"), "reference": found.reference ?? "",
                "agreementID": agreement.id.rawValue, "agreement": agreement.reference,
            ] as [String: Any],
            "distributed": stored != nil, "distributes": distributes && stored == nil,
            "hasMessage": message != nil, "message": message ?? "", "links": true,
        ]
        if let stored {
            data["statement"] = statement(stored, names: names, t, only: nil)
        }
        return views.page(
            "payment", title: t("web.payment.title"),
            chrome: try await chrome(signed, back: "/payments/\(id.rawValue)"),
            data: data, status: status)
    }

    /// Splits a payment by the policy in force on its date (an officer's or an admin's), as
    /// `ipcase distribution` does; a payment split before keeps its split. A refusal (no policy
    /// in force, no inventors) is a message on the payment's page, nothing written.
    func distributePayment(_ signed: Signed, id: ID<Payment>) async throws -> Response {
        guard [.officer, .admin].contains(signed.role) else { throw Refusal.notFound }
        do {
            _ = try await Distributions.distribute(in: signed.office, payment: id)
        } catch let error as StoreError {
            if case .notFound = error { throw Refusal.notFound }
            throw ActionRefused(message: Self.message(for: error, signed.localizer), status: .conflict) { signed in
                try await payment(
                    signed, id: id, message: Self.message(for: error, signed.localizer), status: .conflict)
            }
        }
        return redirect(to: "/payments/\(id.rawValue)")
    }

    /// The distribution statements: an inventor's own (their lines only), else every current
    /// distribution of the office.
    func distributions(_ signed: Signed) async throws -> Response {
        let t = signed.localizer
        let mine = signed.role == .inventor ? signed.record.office.party : nil
        if signed.role == .inventor, mine == nil { throw Refusal.notFound }
        let stored = try await signed.office.distributions(recipient: mine).reversed()
        let payments = Dictionary(
            try await signed.office.versionedPayments().map { ($0.value.id, $0.value) }, uniquingKeysWith: { a, _ in a }
        )
        let agreements = Dictionary(
            try await signed.office.agreements().map { ($0.value.id, $0.value.reference) },
            uniquingKeysWith: { a, _ in a })
        let names = try await partyNames(signed, stored.flatMap { $0.distribution.lines.compactMap(\.recipient.party) })
        let statements = stored.prefix(500).compactMap { distribution -> [String: Any]? in
            guard let payment = payments[distribution.payment] else { return nil }
            var values = statement(distribution, names: names, t, only: mine)
            values["paymentID"] = payment.id.rawValue
            values["date"] = t.date(payment.receivedOn)
            values["kind"] = t("web.payment.kind.\(payment.kind.rawValue)")
            values["agreementID"] = payment.agreement.rawValue
            values["agreement"] = agreements[payment.agreement] ?? ""
            return values
        }
        return views.page(
            "distributions", title: t(mine == nil ? "web.nav.distributions" : "web.nav.my-distributions"),
            chrome: try await chrome(signed),
            data: ["statements": statements, "count": statements.count, "inventor": mine != nil, "links": mine == nil])
    }

    /// A distribution as a statement: its policy, its lines (only `only`'s, when given: an
    /// inventor's own statement) with rate, base and amount, and the gross.
    func statement(_ stored: StoredDistribution, names: [ID<Party>: String], _ t: Localizer, only: ID<Party>?)
        -> [String: Any]
    {
        let distribution = stored.distribution
        let lines = distribution.lines.filter { only == nil || $0.recipient.party == only }
        let shown = lines.map { line -> [String: Any] in
            [
                "recipient": t("web.distribution.recipient.\(line.recipient.kind)"),
                "name": line.recipient.party.map { names[$0] ?? "#\($0.rawValue)" } ?? "",
                "partyID": line.recipient.party?.rawValue ?? 0, "hasParty": line.recipient.party != nil,
                "rate": line.rate.map { Self.percent($0, t) } ?? "—", "base": t.money(line.base),
                "amount": t.money(line.amount),
            ]
        }
        return [
            "id": stored.id, "gross": t.money(distribution.gross),
            "policy": distribution.policy.name, "policyFrom": t.date(distribution.policy.effectiveFrom),
            "computedBy": stored.computedBy, "computedAt": stored.computedAt,
            "outstanding": t.money(distribution.patentCostsOutstanding),
            "lines": shown, "share": t.money(Self.totals(lines.map(\.amount))),
        ]
    }
}
