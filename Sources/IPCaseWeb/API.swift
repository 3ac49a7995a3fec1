import Foundation
import HTTPTypes
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore
import PostgresClient

/// The JSON API under `/api/v1`: the docket, rights, events and deadline actions, for a user's
/// API token (`Authorization: Bearer …`, scoped to one office, revocable), with cursor
/// pagination and errors as `application/problem+json` naming the field. Its OpenAPI 3.1
/// document is `Data/openapi.json`, served at `/api/v1/openapi.json`.
///
/// The API takes tokens only, never the browser's cookie: so it needs no CSRF token, and a page
/// on another site cannot call it with the user's session.
extension WebApp {
    func addAPI(to router: Router<WebContext>) {
        router.get("/api/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: views.openAPI)))
        }
        router.get("/api/v1/docket") { request, _ in
            try await api(request) { signed in
                guard signed.role != .inventor else { throw Problem.notFound }
                return try await apiDocket(signed, query: Form(query: request.uri.query))
            }
        }
        router.get("/api/v1/rights") { request, _ in
            try await api(request) { signed in
                guard signed.role != .inventor else { throw Problem.notFound }
                return try await apiRights(signed, query: Form(query: request.uri.query))
            }
        }
        router.get("/api/v1/rights/{id}") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return try await api(request) { signed in
                guard signed.role != .inventor, let id else { throw Problem.notFound }
                return try await apiRight(signed, id: ID(rawValue: id))
            }
        }
        router.post("/api/v1/rights/{id}/events") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await api(request) { signed in
                guard [.admin, .officer, .attorney].contains(signed.role), let id else { throw Problem.notFound }
                return try await apiRecordEvent(signed, right: ID(rawValue: id), body: body)
            }
        }
        router.post("/api/v1/deadlines/{id}/{action}") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            let action = context.parameters.get("action") ?? ""
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await api(request) { signed in
                guard [.admin, .officer, .attorney].contains(signed.role), let id, ["complete", "verify"].contains(action)
                else { throw Problem.notFound }
                return try await apiDeadline(signed, id: id, action: action, body: body)
            }
        }
    }

    /// An error answered as `application/problem+json` (RFC 9457), naming the field when one is
    /// at fault.
    struct Problem: Error, Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var field: String?

        static let notFound = Problem(title: "Not Found", status: 404, detail: "no such record in this token's office")
        static let unauthorized = Problem(
            title: "Unauthorized", status: 401, detail: "send Authorization: Bearer <token> (make one on the Tokens page)")
        static func invalid(_ field: String, _ detail: String) -> Problem {
            Problem(title: "Unprocessable Content", status: 422, detail: detail, field: field)
        }
        static func conflict(_ detail: String) -> Problem { Problem(title: "Conflict", status: 409, detail: detail) }

        var response: Response {
            var headers = HTTPFields()
            headers[.contentType] = "application/problem+json"
            if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"ipcase\"" }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = (try? encoder.encode(self)) ?? Data()
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// Runs `body` as the request's API token (one transaction, row-level security bound to the
    /// token); a missing, revoked or expired token is 401, a problem thrown by `body` its answer
    /// (nothing written).
    func api(_ request: Request, _ body: @escaping @Sendable (Signed) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return Problem.unauthorized.response
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        let path = request.uri.path
        do {
            return try await pool.withStore { store in
                try await store.withWebSession(token: token, idleLifetime: 0) { record, office in
                    guard record.isAPIToken else { throw StoreError.notFound(record: "web session") }
                    let language = record.user.language.flatMap(Language.init(rawValue:)) ?? .english
                    return try await body(Signed(record: record, office: office, token: token, language: language, path: path))
                }
            }
        } catch StoreError.notFound(let record) where record == "web session" {
            return Problem.unauthorized.response
        } catch let problem as Problem {
            return problem.response
        } catch let error as StoreError {
            switch error {
            case .notFound: return Problem.notFound.response
            case .conflict(_, _, nil): return Problem.notFound.response
            case .conflict(let record, let expected, let current?):
                return Problem.conflict("\(record) is at version \(current), not \(expected): read it again").response
            case .invalid(let record, let reason), .workflow(let record, let reason):
                return Problem.conflict("\(record): \(reason)").response
            }
        } catch let error as PostgresError where error.code == .invalidParameter {
            // A value the database cannot hold (a NUL in a query parameter): the request's fault.
            return Problem(title: "Unprocessable Content", status: 422, detail: error.reason ?? "a value the database cannot hold").response
        } catch {
            // Logged without the request's values; the client learns only that it failed.
            logger.error("api request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            return Problem(title: "Internal Server Error", status: 500, detail: "the request failed; nothing was written").response
        }
    }

    /// A JSON answer.
    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    struct Page<Item: Encodable>: Encodable {
        var items: [Item]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey {
            case items
            case nextCursor = "next_cursor"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    /// `limit` (1–500, default 100) and `cursor` (opaque: the sort key of the last item of the
    /// page before) of a list.
    func paging(_ query: Form) throws -> (limit: Int, after: [String]?) {
        var limit = 100
        if let text = query.text("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw Problem.invalid("limit", "limit: \(text) is not a number 1–500")
            }
            limit = value
        }
        var after: [String]?
        if let cursor = query.text("cursor") {
            var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
                throw Problem.invalid("cursor", "cursor: not a cursor this API gave")
            }
            after = text.components(separatedBy: "\u{1F}")
        }
        return (limit, after)
    }

    static func cursor(_ parts: [String]) -> String {
        Data(parts.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The first `limit` of `items` (sorted by `key`) after the cursor's key, and the next cursor.
    func page<Item>(_ items: [Item], key: (Item) -> [String], less: ([String], [String]) -> Bool, query: Form) throws
        -> (items: [Item], next: String?)
    {
        let (limit, after) = try paging(query)
        let rest = after.map { after in items.filter { less(after, key($0)) } } ?? items
        let shown = Array(rest.prefix(limit))
        return (shown, rest.count > limit ? shown.last.map { Self.cursor(key($0)) } : nil)
    }

    // MARK: Docket

    func apiDocket(_ signed: Signed, query form: Form) async throws -> Response {
        let office = try await signed.currentOffice()
        let (query, problems) = docketQuery(form, today: today(in: office.timeZoneIdentifier), signed.localizer)
        if let problem = problems.first { throw Problem.invalid(problem.field, problem.message) }
        let entries = try await DocketCommands.entries(in: signed.office, query: query, engine: engine)
        // Sorted as the docket is: due date, reference, key.
        let key: (DocketEntry) -> [String] = { [$0.due.description, $0.rightReference, String($0.id ?? 0)] }
        let (items, next) = try page(entries, key: key, less: Self.docketLess, query: form)
        return try json(Page(items: items, nextCursor: next))
    }

    static func docketLess(_ a: [String], _ b: [String]) -> Bool {
        guard a.count == 3, b.count == 3 else { return true }
        if a[0] != b[0] { return a[0] < b[0] }
        if a[1] != b[1] { return a[1] < b[1] }
        return (Int64(a[2]) ?? 0) < (Int64(b[2]) ?? 0)
    }

    // MARK: Rights

    struct RightItem: Encodable {
        var id: Int64
        var reference: String
        var title: String
        var jurisdiction: String
        var kind: String
        var state: String
        var applicationNumber: String?
        var filingDate: String?
        var registrationNumber: String?
        var grantDate: String?
        enum CodingKeys: String, CodingKey {
            case id, reference, title, jurisdiction, kind, state
            case applicationNumber = "application_number", filingDate = "filing_date"
            case registrationNumber = "registration_number", grantDate = "grant_date"
        }
        init(_ right: Right) {
            id = right.id.rawValue
            reference = right.reference
            title = right.title
            jurisdiction = right.jurisdiction.code
            kind = right.kind.rawValue
            state = right.state.rawValue
            applicationNumber = right.applicationNumber
            filingDate = right.filingDate?.description
            registrationNumber = right.registrationNumber
            grantDate = right.grantDate?.description
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(reference, forKey: .reference)
            try c.encode(title, forKey: .title)
            try c.encode(jurisdiction, forKey: .jurisdiction)
            try c.encode(kind, forKey: .kind)
            try c.encode(state, forKey: .state)
            try c.encode(applicationNumber, forKey: .applicationNumber)
            try c.encode(filingDate, forKey: .filingDate)
            try c.encode(registrationNumber, forKey: .registrationNumber)
            try c.encode(grantDate, forKey: .grantDate)
        }
    }

    struct EventItem: Encodable {
        var id: Int64
        var kind: String
        var date: String
        var year: Int?
        var reference: String?
        var recordedBy: String
        enum CodingKeys: String, CodingKey {
            case id, kind, date, year, reference
            case recordedBy = "recorded_by"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(date, forKey: .date)
            try c.encode(year, forKey: .year)
            try c.encode(reference, forKey: .reference)
            try c.encode(recordedBy, forKey: .recordedBy)
        }
    }

    struct RightDetail: Encodable {
        var right: RightItem
        var events: [EventItem]
        var deadlines: [DocketEntry]
    }

    func apiRights(_ signed: Signed, query: Form) async throws -> Response {
        let rights = try await signed.office.rights(matching: query.text("q")).map(\.value)
        let (items, next) = try page(
            rights, key: { [$0.reference, String($0.id.rawValue)] },
            less: { a, b in
                guard a.count == 2, b.count == 2 else { return true }
                return a[0] != b[0] ? a[0] < b[0] : (Int64(a[1]) ?? 0) < (Int64(b[1]) ?? 0)
            }, query: query)
        return try json(Page(items: items.map(RightItem.init), nextCursor: next))
    }

    func apiRight(_ signed: Signed, id: ID<Right>) async throws -> Response {
        let right = try await signed.office.right(id).value
        let office = try await signed.currentOffice()
        var query = DocketQuery(asOf: today(in: office.timeZoneIdentifier))
        query.right = id
        let deadlines = try await DocketCommands.entries(in: signed.office, query: query, engine: engine)
        let events = try await signed.office.events(of: id).map {
            EventItem(
                id: $0.id, kind: $0.event.kind.rawValue, date: $0.event.date.description, year: $0.event.year,
                reference: $0.event.reference, recordedBy: $0.recordedBy)
        }
        return try json(RightDetail(right: RightItem(right), events: events, deadlines: deadlines))
    }

    /// The fields of a JSON object body, or a problem naming what is wrong.
    func object(_ body: ByteBuffer) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw Problem(title: "Bad Request", status: 400, detail: "the body is not a JSON object")
        }
        // PostgreSQL text cannot hold NUL: named here rather than failing in the database.
        for (key, value) in object {
            if let text = value as? String, text.unicodeScalars.contains("\0") {
                throw Problem.invalid(key, "\(key): contains a NUL character")
            }
        }
        return object
    }

    struct Recorded: Encodable {
        var eventID: Int64?
        var fromState: String
        var toState: String
        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", fromState = "from_state", toState = "to_state"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(eventID, forKey: .eventID)
            try c.encode(fromState, forKey: .fromState)
            try c.encode(toState, forKey: .toState)
        }
    }

    func apiRecordEvent(_ signed: Signed, right id: ID<Right>, body: ByteBuffer) async throws -> Response {
        let fields = try object(body)
        guard let kindText = fields["kind"] as? String, let kind = RightEventKind(rawValue: kindText) else {
            throw Problem.invalid("kind", "kind: one of \(RightEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let dateText = fields["date"] as? String, let date = try? CivilDate(iso: dateText) else {
            throw Problem.invalid("date", "date: a date YYYY-MM-DD")
        }
        var year: Int?
        if let value = fields["year"], !(value is NSNull) {
            guard let number = value as? Int, (1...100).contains(number) else { throw Problem.invalid("year", "year: a whole number 1–100") }
            year = number
        }
        var reference: String?
        if let value = fields["reference"], !(value is NSNull) {
            guard let text = value as? String, text.count <= 200 else { throw Problem.invalid("reference", "reference: text of at most 200 characters") }
            reference = text.isEmpty ? nil : text
        }
        _ = try await signed.office.right(id)
        let recorded = try await signed.office.recordEvent(id, RightEvent(kind, on: date, year: year, reference: reference))
        return try json(Recorded(eventID: recorded.eventID, fromState: recorded.fromState, toState: recorded.toState), status: .created)
    }

    struct DeadlineState: Encodable {
        var id: Int64
        var revision: Int
    }

    func apiDeadline(_ signed: Signed, id: Int64, action: String, body: ByteBuffer) async throws -> Response {
        let fields = try object(body)
        guard let version = fields["version"] as? Int else { throw Problem.invalid("version", "version: the revision the deadline was read at") }
        let revision: Int
        if action == "verify" {
            revision = try await signed.office.verify(deadline: id, version: version)
        } else {
            guard let how = fields["as"] as? String, let completion = ["done": DeadlineCompletion.done, "waived": .waived][how] else {
                throw Problem.invalid("as", "as: done or waived")
            }
            guard let reason = (fields["reason"] as? String)?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
                throw Problem.invalid("reason", "reason: why (paid, instructed not to renew, …)")
            }
            revision = try await signed.office.complete(deadline: id, version: version, as: completion, reason: reason)
        }
        return try json(DeadlineState(id: id, revision: revision))
    }
}
