import Foundation
import HTTPTypes
import Hummingbird
import IPCase
import IPCaseReports
import IPCaseStore
import Logging
import NIOCore
import Synchronization

/// The web workspace: its routes over a pool of store connections.
///
/// Every page of a signed-in user runs in one transaction of that user's session
/// (`Store.withWebSession`): the session is looked up, the office chosen and the actor named in
/// its first statement, so row-level security admits that office's rows only while the session
/// lives. A form post is checked for the session's CSRF token inside the same transaction,
/// before anything is written.
///
/// ```swift
/// let web = try WebApp(configuration: configuration, pool: StorePool(url: url, size: 8))
/// try await web.application().runService()
/// ```
public struct WebApp: Sendable {
    /// The settings.
    public let configuration: WebConfiguration
    /// The connections requests share.
    public let pool: StorePool
    let views: Views
    let limiter: AddressLimiter
    let engine: DeadlineEngine
    /// The CSV imports under way or waiting for confirmation (`/import`).
    let imports: ImportJobs
    let logger: Logger
    /// The time now (tests fix it).
    let clock: @Sendable () -> Date

    /// The cookie that carries the session token.
    static let sessionCookie = "ipcase_session"
    /// The cookie of the signed-out language choice, and of the sign-in form's CSRF token.
    static let languageCookie = "ipcase_lang"
    static let signInCookie = "ipcase_signin"

    /// A workspace over `pool`.
    public init(
        configuration: WebConfiguration, pool: StorePool, logger: Logger = Logger(label: "ipcase-web"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.configuration = configuration
        self.pool = pool
        self.views = try Views()
        self.limiter = AddressLimiter(
            attempts: configuration.addressAttempts, window: TimeInterval(configuration.addressWindowSeconds))
        self.engine = DeadlineEngine()
        self.imports = ImportJobs()
        self.logger = logger
        self.clock = clock
    }

    /// Today in the time zone `identifier` (an office's), UTC when it is not known.
    func today(in identifier: String) -> CivilDate {
        let now = clock()
        let offset = TimeZone(identifier: identifier)?.secondsFromGMT(for: now) ?? 0
        return CivilDate(daysSinceEpoch: Int32(((now.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down)))
    }

    /// The router with every route and the security headers.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/healthz") { _, _ in "ok\n" }
        for (path, type, text) in [
            ("/static/app.css", "text/css; charset=utf-8", views.styleSheet),
            ("/static/favicon.svg", "image/svg+xml", views.icon),
        ] {
            router.get(RouterPath(path)) { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = type
                headers[.cacheControl] = "public, max-age=3600"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        // Browsers ask for /favicon.ico whatever the page links.
        router.get("/favicon.ico") { _, _ in Response(status: .permanentRedirect, headers: [.location: "/static/favicon.svg"]) }
        addSignIn(to: router)
        addPages(to: router)
        addDisclosures(to: router)
        addReports(to: router)
        addDeals(to: router)
        addAgreements(to: router)
        addPayments(to: router)
        addParties(to: router)
        addOffices(to: router)
        addTokens(to: router)
        addImports(to: router)
        addCalendar(to: router)
        addAPI(to: router)
        return router
    }

    /// The server: the router on `configuration.host`:`port`; `onServerRunning` is called with
    /// the listening channel once it is bound (port 0 binds a free port: its `localAddress` says
    /// which).
    public func application(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    // MARK: Sessions

    /// What a signed-in request works with.
    struct Signed: Sendable {
        var record: WebSessionRecord
        var office: OfficeSession
        /// The session's secret token (what the cookie carries).
        var token: String
        var language: Language
        var path: String
        /// Where the page's language buttons return: the page itself, query and all, when it
        /// answers a GET; `nil` for a page answering a post (its address is no page).
        var back: String?

        /// The office as read in this request's transaction, once (a page and its chrome both show it).
        var officeRecord = RequestOffice()

        var role: WebRole { record.office.role }
        var localizer: Localizer { Localizer(language) }

        /// The session's office, read at the first call of the request and then remembered.
        func currentOffice() async throws -> Office {
            if let office = officeRecord.value { return office }
            let office = try await self.office.currentOffice().value
            officeRecord.value = office
            return office
        }
    }

    /// What one request read of its session's office.
    final class RequestOffice: Sendable {
        private let stored = Mutex<Office?>(nil)
        var value: Office? {
            get { stored.withLock { $0 } }
            set { stored.withLock { $0 = newValue } }
        }
    }

    /// Runs `body` as the request's signed-in session: redirects to sign-in when there is none
    /// (or answers `signedOut`, for what programs read); for a form post (`form` given) refuses
    /// it with 403, nothing written, unless it carries the session's CSRF token.
    func signedIn(
        _ request: Request, form: Form? = nil, signedOut: (@Sendable () -> Response)? = nil,
        _ body: @escaping @Sendable (Signed) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else {
            return signedOut?() ?? redirect(to: "/signin")
        }
        let path = request.uri.path
        let back = Self.returnPath(request)
        let acceptLanguage = request.headers[.acceptLanguage]
        let idle = TimeInterval(configuration.sessionIdleSeconds)
        do {
            return try await pool.withStore { store in
                try await store.withWebSession(token: token, idleLifetime: idle) { record, office in
                    // A page takes a browser's session only: an API token in a cookie is no session.
                    guard !record.isAPIToken else { throw StoreError.notFound(record: "web session") }
                    let language = record.user.language.flatMap(Language.init(rawValue:)) ?? Language.negotiated(acceptLanguage)
                    let signed = Signed(
                        record: record, office: office, token: token, language: language, path: path, back: back)
                    if let form {
                        guard let sent = form["_csrf"], !record.csrfToken.isEmpty, Secrets.equal(sent, record.csrfToken) else {
                            throw Refusal.csrf
                        }
                    }
                    return try await body(signed)
                }
            }
        } catch StoreError.notFound(let record) where record == "web session" {
            var response = signedOut?() ?? redirect(to: "/signin")
            response.setCookie(expiredCookie(Self.sessionCookie))
            return response
        } catch let refused as ActionRefused {
            return try await signedIn(request) { signed in try await refused.render(signed) }
        } catch Refusal.csrf {
            return try await plainError(.forbidden, request: request, key: "web.error.csrf")
        } catch let refusal as Refusal {
            if case .notFound = refusal { return try await notFoundPage(request) }
            throw refusal
        } catch {
            // A 500: what failed, for the operator (the page says only that it failed).
            logger.error("page request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            throw error
        }
    }

    /// An action the store refused: its transaction is rolled back (nothing written), and the
    /// page saying so is rendered in a new one.
    struct ActionRefused: Error {
        var message: String
        var status: HTTPResponse.Status
        var render: @Sendable (Signed) async throws -> Response
    }

    /// Why a request is refused (what the page says is the catalog's).
    enum Refusal: Error {
        case csrf
        case notFound
        case forbidden
    }

    /// The address of the page `request` asks for, query and all, when it is a GET; else `nil`.
    static func returnPath(_ request: Request) -> String? {
        guard request.method == .get else { return nil }
        guard let query = request.uri.query, !query.isEmpty else { return request.uri.path }
        return request.uri.path + "?" + query
    }

    /// The chrome of a signed-in page; its language buttons return to `back`, else to the page
    /// itself (``Signed/back``), else to the dashboard.
    func chrome(_ signed: Signed, back: String? = nil) async throws -> Chrome {
        let t = signed.localizer
        // The user's offices for the header's switcher, the current one's name among them.
        let current = signed.record.office.office
        let offices = try await signed.office.webAccounts.webOffices(user: signed.record.user.id)
        var officeName = offices.first { $0.office == current }?.name
        if officeName == nil { officeName = try await signed.currentOffice().name }
        var navigation: [(String, String)] = [("/", t("web.nav.dashboard"))]
        if signed.role == .inventor {
            navigation += [
                ("/disclosures", t("web.nav.my-disclosures")), ("/agreements", t("web.nav.my-agreements")),
                ("/distributions", t("web.nav.my-distributions")),
            ]
        } else {
            navigation += [
                ("/docket", t("web.nav.docket")), ("/rights", t("web.nav.rights")),
                ("/disclosures", t("web.nav.disclosures")), ("/deals", t("web.nav.deals")),
                ("/agreements", t("web.nav.agreements")), ("/payments", t("web.nav.payments")),
                ("/parties", t("web.nav.parties")), ("/report", t("web.nav.report")),
            ]
            if [.admin, .officer].contains(signed.role) { navigation.append(("/import", t("web.nav.import"))) }
        }
        navigation += [("/offices", t("web.nav.offices")), ("/tokens", t("web.nav.tokens"))]
        return Chrome(
            language: signed.language, userName: signed.record.user.name, officeName: officeName,
            role: t("web.role.\(signed.role.rawValue)"), csrf: signed.record.csrfToken, path: signed.path,
            back: back ?? signed.back ?? "/", navigation: navigation,
            offices: offices.map { (id: $0.office.rawValue, name: $0.name, current: $0.office == current) })
    }

    // MARK: Responses

    /// What a request for JSON without a live session gets: 401 and `{"error": "signed out"}`.
    @Sendable func jsonSignedOut() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"signed out"}"#)))
    }

    func redirect(to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        return Response(status: .seeOther, headers: headers)
    }

    /// A local path to go back to after a post: `/…`, never `//host` or a scheme.
    static func localPath(_ value: String?, default fallback: String) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            !value.contains("\n"), !value.contains("\r")
        else { return fallback }
        return value
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }

    func expiredCookie(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// A page with one message and no data, in the request's language (signed in or not).
    func plainError(
        _ status: HTTPResponse.Status, request: Request, key: String, arguments: [String: String] = [:]
    ) async throws -> Response {
        let language = Language.negotiated(request.headers[.acceptLanguage])
        let t = Localizer(language)
        return views.page(
            "message", title: t(key, arguments),
            chrome: Chrome(language: language, csrf: "", path: request.uri.path, back: Self.returnPath(request) ?? "/"),
            data: ["message": t(key, arguments), "back": "/"], status: status)
    }

    func notFoundPage(_ request: Request) async throws -> Response {
        try await plainError(.notFound, request: request, key: "web.error.not-found")
    }

    /// A signed-in page saying why an action was refused (nothing was written), with a way back.
    func refusedPage(_ signed: Signed, message: String, back: String, status: HTTPResponse.Status = .conflict)
        async throws -> Response
    {
        let t = signed.localizer
        return views.page(
            "message", title: t("web.error.refused"), chrome: try await chrome(signed, back: back),
            data: ["message": message, "back": back, "refused": true], status: status)
    }

    /// What a store error says to the user, in their language.
    static func message(for error: Error, _ t: Localizer) -> String {
        switch error {
        case StoreError.conflict(let record, _, _):
            return t("web.error.conflict") + " (" + record + ")"
        case StoreError.invalid(let record, let reason), StoreError.workflow(let record, let reason):
            return t("web.error.invalid") + " " + record + ": " + reason
        case StoreError.notFound(let record):
            return t("web.error.not-found") + " (" + record + ")"
        default:
            return t("web.error.failed")
        }
    }
}

/// Headers every response carries: a Content-Security-Policy without inline scripts or styles,
/// no framing, no MIME sniffing, no referrer to other sites.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        // A handler may set a narrower policy of its own (the report document's inline style).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}

/// Sign-in attempts per address in a sliding window, in this process.
actor AddressLimiter {
    let attempts: Int
    let window: TimeInterval
    private var seen: [String: [Date]] = [:]

    init(attempts: Int, window: TimeInterval) {
        self.attempts = attempts
        self.window = window
    }

    /// Counts an attempt from `address`; false when it is one too many.
    func admit(_ address: String, now: Date = Date()) -> Bool {
        let since = now.addingTimeInterval(-window)
        var times = (seen[address] ?? []).filter { $0 > since }
        guard times.count < attempts else {
            seen[address] = times
            return false
        }
        times.append(now)
        seen[address] = times
        if seen.count > 10_000 { seen = seen.filter { $0.value.contains { $0 > since } } }
        return true
    }
}
