import Foundation
import HTTPTypes
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseReports
import IPCaseStore
import Logging
import NIOCore

extension WebApp {
    /// CSV import by upload (admins and officers): the file is checked by the command line's
    /// importer (`CSVImport`, every row's problems shown beside the row, nothing written), then
    /// on confirmation written in one transaction, as the signed-in user, in a task whose
    /// progress the job's page shows (it refreshes itself while the task works).
    func addImports(to router: Router<WebContext>) {
        router.get("/import") { request, _ in
            try await signedIn(request) { signed in
                try requireImporter(signed)
                return try await importForm(signed, kind: nil, message: nil)
            }
        }
        router.post("/import") { request, _ in
            // Read up to the limit, whatever Content-Length says: one byte more and it is refused.
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: configuration.maxUploadBytes) } catch is NIOTooManyBytesError {
                return try await tooLarge(request)
            }
            let upload: Upload
            do { upload = try Upload(body, contentType: request.headers[.contentType]) } catch {
                return try await plainError(.badRequest, request: request, key: "web.import.malformed")
            }
            return try await signedIn(request, form: upload.form) { signed in
                try requireImporter(signed)
                return try await startCheck(signed, upload: upload)
            }
        }
        router.get("/import/{id}") { request, context in
            let id = try context.parameters.require("id")
            return try await signedIn(request) { signed in
                try requireImporter(signed)
                guard let job = imports.job(id, user: signed.record.user.id, office: signed.record.office.office) else {
                    throw Refusal.notFound
                }
                return try await importJob(signed, job)
            }
        }
        router.post("/import/{id}/apply") { request, context in
            let form = try await request.form(limit: 64 * 1024)
            let id = try context.parameters.require("id")
            return try await signedIn(request, form: form) { signed in
                try requireImporter(signed)
                return try await startImport(signed, id: id)
            }
        }
    }

    /// Who may import: an admin or an officer (others are answered as for a page that is not there).
    func requireImporter(_ signed: Signed) throws {
        guard [.admin, .officer].contains(signed.role) else { throw Refusal.notFound }
    }

    /// 413 and a page saying how large an upload may be.
    func tooLarge(_ request: Request) async throws -> Response {
        try await plainError(
            .contentTooLarge, request: request, key: "web.import.too-large",
            arguments: ["limit": Self.size(configuration.maxUploadBytes)])
    }

    /// `10.0 MiB`, `512 KiB`.
    static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MiB", Double(bytes) / 1_048_576) : "\(bytes / 1024) KiB"
    }

    func importForm(_ signed: Signed, kind: RecordFile?, message: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let t = signed.localizer
        let kinds = RecordFile.allCases.map { file -> [String: Any] in
            ["value": file.rawValue, "label": t("web.import.kind.\(file.rawValue)"), "selected": file == kind]
        }
        return views.page(
            "import", title: t("web.import.title"), chrome: try await chrome(signed),
            data: [
                "kinds": kinds, "hasMessage": message != nil, "message": message ?? "",
                "limit": Self.size(configuration.maxUploadBytes),
            ], status: status)
    }

    /// Takes the uploaded file as a new job and starts checking it; to the job's page.
    func startCheck(_ signed: Signed, upload: Upload) async throws -> Response {
        let t = signed.localizer
        guard let kind = upload.form["kind"].flatMap(RecordFile.init(rawValue:)) else {
            return try await importForm(
                signed, kind: nil, message: t("web.error.field", ["field": "kind"]), status: .unprocessableContent)
        }
        // No file chosen: the browser sends the field with no name and no bytes.
        guard let file = upload.files["file"], !file.bytes.isEmpty else {
            return try await importForm(signed, kind: kind, message: t("web.import.no-file"), status: .unprocessableContent)
        }
        let name = file.name ?? "\(kind.rawValue).csv"
        let id = imports.add(
            user: signed.record.user.id, office: signed.record.office.office, kind: kind, fileName: name,
            bytes: file.bytes, now: clock())
        let options = importOptions(signed)
        let source = CSVImport.Source.bytes(file.bytes, name: name)
        let imports = imports
        let logger = logger
        Task {
            let state: ImportJobs.State
            do {
                let result = try await CSVImport.check(kind, source: source, options: options) { _, done, total in
                    imports.set(id, .checking(done: done, total: total))
                }
                state = .checked(result)
            } catch {
                state = Self.failure(error, logger: logger)
            }
            imports.set(id, state)
        }
        return redirect(to: "/import/\(id)")
    }

    /// Starts writing the checked job `id` (checked again first: the office's records may
    /// have changed since); to its page.
    func startImport(_ signed: Signed, id: String) async throws -> Response {
        let t = signed.localizer
        guard let job = imports.confirm(id, user: signed.record.user.id, office: signed.record.office.office, now: clock()),
            let bytes = job.bytes
        else {
            guard imports.job(id, user: signed.record.user.id, office: signed.record.office.office) != nil else {
                throw Refusal.notFound
            }
            return try await refusedPage(signed, message: t("web.import.not-waiting"), back: "/import/\(id)")
        }
        let options = importOptions(signed)
        let imports = imports
        let logger = logger
        Task {
            let state: ImportJobs.State
            do {
                let result = try await CSVImport.run(
                    job.kind, source: .bytes(bytes, name: job.fileName), options: options
                ) { phase, done, total in
                    imports.set(id, .importing(phase: phase, done: done, total: total))
                }
                state = .imported(result)
                logger.info(
                    "web import written",
                    metadata: ["import.kind": "\(job.kind.rawValue)", "import.records": "\(result.written)"])
            } catch {
                state = Self.failure(error, logger: logger)
            }
            imports.set(id, state)
        }
        return redirect(to: "/import/\(id)")
    }

    /// What a failed check or import leaves its job with.
    static func failure(_ error: any Error, logger: Logger) -> ImportJobs.State {
        switch error {
        case let problems as CSVImport.Problems: return .refused(problems)
        case let error as CLIError: return .failed(error.description)
        case let error as StoreError: return .failed(error.description)
        default:
            logger.error("web import failed", metadata: ["error": "\(String(reflecting: error))"])
            return .failed("")
        }
    }

    /// The import's transactions: each one of the signed-in user's session, so row-level
    /// security and the audit trail's actor are the session's (the session must still be live,
    /// in the same office, with a role that imports).
    func importOptions(_ signed: Signed) -> CSVImport.Options {
        CSVImport.Options(
            office: signed.record.office.office,
            transactions: SessionTransactions(
                pool: pool, token: signed.token, idleLifetime: TimeInterval(configuration.sessionIdleSeconds),
                user: signed.record.user.id),
            actor: signed.record.user.actor)
    }

    /// The page of an import job: its progress (refreshing), its problems row by row, what it
    /// would write with the button that confirms it, or what it wrote.
    func importJob(_ signed: Signed, _ job: ImportJobs.Job) async throws -> Response {
        let t = signed.localizer
        var data: [String: Any] = [
            "id": job.id, "file": job.fileName, "kind": t("web.import.kind.\(job.kind.rawValue)"),
            "running": job.state.running, "hasRefresh": job.state.running, "refresh": 1,
        ]
        var status = HTTPResponse.Status.ok
        func progress(_ done: Int, _ total: Int, _ key: String) {
            data["progress"] = [
                "done": done, "total": max(total, 1), "label": t(key),
                "text": t("web.import.progress", ["done": String(done), "total": String(total)]),
            ]
        }
        switch job.state {
        case .checking(let done, let total):
            progress(done, total, "web.import.checking")
        case .importing(let phase, let done, let total):
            progress(done, total, phase == "writing" ? "web.import.writing" : "web.import.checking-again")
        case .checked(let result):
            data["checked"] = true
            data["summary"] = t(
                "web.import.summary",
                ["rows": String(result.rows), "records": String(result.records), "file": job.fileName])
        case .imported(let result):
            data["imported"] = true
            data["summary"] = t(
                "web.import.written",
                ["rows": String(result.rows), "written": String(result.written), "jobs": String(result.jobs)])
        case .refused(let problems):
            data["refused"] = true
            data["problemCount"] = problems.items.count
            let (general, rows) = Self.problemRows(problems, in: t)
            data["general"] = general
            data["hasGeneral"] = !general.isEmpty
            data["rows"] = rows
            data["hasRows"] = !rows.isEmpty
            status = .unprocessableContent
        case .failed(let message):
            data["failed"] = true
            data["message"] = message.isEmpty ? t("web.error.failed") : message
            status = .unprocessableContent
        }
        return views.page(
            "import-job", title: t("web.import.title"), chrome: try await chrome(signed), data: data, status: status)
    }

    /// The problems of a file in the language of `t`: those of no row, and per row (in file
    /// order) its problems beside its values, the columns with a problem marked.
    static func problemRows(_ problems: CSVImport.Problems, in t: Localizer)
        -> (general: [String], rows: [[String: Any]])
    {
        var general: [String] = []
        var order: [Int] = []
        var byRow: [Int: [CSVImport.Problem]] = [:]
        for item in problems.items {
            guard let row = item.row else {
                general.append(item.message(in: t))
                continue
            }
            if byRow[row] == nil { order.append(row) }
            byRow[row, default: []].append(item)
        }
        let rows = order.map { row -> [String: Any] in
            let items = byRow[row]!
            let bad = Set(items.compactMap(\.column))
            let fields = items.first { !$0.fields.isEmpty }?.fields ?? []
            let values = fields.enumerated().map { index, value -> [String: Any] in
                let column = index < problems.header.count ? problems.header[index] : "\(index + 1)"
                return ["column": column, "value": value, "bad": bad.contains(column)]
            }
            return [
                "row": row,
                "problems": items.map {
                    ["column": $0.column ?? "", "hasColumn": $0.column != nil, "message": $0.message(in: t)]
                },
                "values": values, "hasValues": !values.isEmpty,
            ]
        }
        return (general, rows)
    }
}

/// An import's transactions in a web session (``WebApp/importOptions(_:)``).
struct SessionTransactions: ImportTransactions {
    let pool: StorePool
    let token: String
    let idleLifetime: TimeInterval
    let user: Int64

    func withOffice<T: Sendable>(
        _ office: ID<Office>, actor: String, _ body: @Sendable (OfficeSession) async throws -> T
    ) async throws -> T {
        try await pool.withStore { store in
            try await store.withWebSession(token: token, idleLifetime: idleLifetime) { record, session in
                guard !record.isAPIToken, record.user.id == user, record.office.office == office,
                    [.admin, .officer].contains(record.office.role)
                else { throw StoreError.notFound(record: "web session") }
                return try await body(session)
            }
        }
    }

    /// Not on the web: a file shared by offices is for the command line (`--skip-other-offices`).
    func withService<T: Sendable>(actor: String, _ body: @Sendable (ServiceSession) async throws -> T) async throws -> T {
        throw StoreError.invalid(record: "import", reason: "rows of other offices are skipped by the command line only")
    }
}
