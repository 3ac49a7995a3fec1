import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseSamples
import IPCaseStore
import Logging
import PostgresClient
import PostgresServer

@testable import IPCaseWeb

/// The demo portfolio with its deadlines processed, a web login and one user per role (as
/// `ipcase demo --web` makes them), built once for the web tests.
struct WebFixture: Sendable {
    /// The database as its superuser (for seeding and for checking what was written).
    let ownerURL: String
    /// The database as the web login (a member of ipcase_web, no superuser, no BYPASSRLS).
    let webURL: String
    let accounts: [WebRole: WebDemo.Account]
    static let asOf = try! CivilDate(iso: "2025-06-30")
    /// Noon in Almaty on the as-of day: the web's "today".
    static let now = Date(timeIntervalSince1970: Double(asOf.daysSinceEpoch) * 86_400 + 7 * 3600)

    static var quiet: Logger {
        var logger = Logger(label: "ipcase-web-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["IPCASE_TEST_LOG"] == "debug" ? .debug : .warning
        return logger
    }

    static let shared: Task<WebFixture, any Error> = Task { try await make(prefix: "ipcase_web") }

    /// A new database of the throwaway cluster, named `prefix`…, with all of the above (the
    /// browser tests have their own, so that what they change is not what other suites check
    /// meanwhile).
    static func make(prefix: String) async throws -> WebFixture {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: prefix)
        let store = try await Store.connect(url: url, logger: quiet)
        _ = try await Migrator.embedded(logger: quiet).migrate(on: store.connection)
        _ = try await DemoLoader.load(SamplePortfolio.generate(seed: Demo.seed, asOf: asOf), into: store)
        _ = try await DeadlineProcessing.processPendingJobs(store: store, asOf: asOf, logger: quiet)
        await store.connection.close()
        let (webURL, accounts) = try await WebDemo.provision(
            ownerURL: url, office: SamplePortfolio.universityOffice, attorneyOffice: SamplePortfolio.firmOffice,
            webLogin: "t_web_\(UInt32.random(in: 0...UInt32.max))", loginPrefix: "t\(UInt16.random(in: 0...9999))-")
        return WebFixture(
            ownerURL: url, webURL: webURL, accounts: Dictionary(uniqueKeysWithValues: accounts.map { ($0.role, $0) }))
    }

    func account(_ role: WebRole) -> WebDemo.Account { accounts[role]! }

    /// A new web user of its own, `<prefix>-<random>@demo.ipcase.kz`, with a role in each office
    /// of `roles` (what a test changes of it, its language, lock or office, is no other test's);
    /// the account is the first role's.
    func user(_ prefix: String, _ roles: [(ID<Office>, WebRole)], password: String = "a password of the web tests")
        async throws -> WebDemo.Account
    {
        let login = "\(prefix)-\(UInt32.random(in: 0...UInt32.max))@demo.ipcase.kz"
        let store = try await Store.connect(url: ownerURL)
        let hash = await Secrets.hash(password, cost: 12)
        try await store.withService(actor: "test") { session in
            _ = try await session.createWebUser(login: login, name: prefix, email: nil, passwordHash: hash, language: nil)
            for (office, role) in roles { try await session.grantWebOffice(login: login, office: office, role: role, party: nil) }
        }
        await store.connection.close()
        return WebDemo.Account(role: roles[0].1, login: login, password: password, office: roles[0].0, party: nil)
    }

    /// A workspace on this database as the web login, its clock at ``now``.
    func app(_ adjust: (inout WebConfiguration) -> Void = { _ in }) throws -> WebApp {
        var configuration = WebConfiguration(databaseURL: webURL)
        configuration.addressAttempts = 10_000
        adjust(&configuration)
        return try WebApp(
            configuration: configuration, pool: StorePool(url: webURL, size: 4, logger: Self.quiet), logger: Self.quiet,
            clock: { Self.now })
    }

    /// One query as the superuser.
    func rows(_ sql: String) async throws -> [PostgresRow] {
        let connection = try await PostgresConnection.connect(url: ownerURL)
        defer { Task { await connection.close() } }
        return try await connection.query(PostgresQuery(unsafeSQL: sql))
    }

    func int(_ sql: String) async throws -> Int { try await rows(sql)[0].decode(Int.self, at: 0) }
}

/// A browser's part in the in-process tests: cookies kept between requests, form posts, the
/// CSRF token read off the last page.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var language: String?
    var lastPage = ""

    init(_ client: any TestClientProtocol, language: String? = nil) {
        self.client = client
        self.language = language
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get, body: nil, contentType: nil)
    }

    /// Posts `fields` as a form; `csrf: true` adds the token of the last page.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf, let token = csrfToken { fields.append(("_csrf", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Posts `fields` and one file as `multipart/form-data` (what a form with a file input
    /// sends); `csrf: true` adds the token of the last page.
    @discardableResult
    func postFile(
        _ uri: String, _ fields: [(String, String)], file: (field: String, name: String, contents: String),
        csrf: Bool = true
    ) async throws -> TestResponse {
        var fields = fields
        if csrf, let token = csrfToken { fields.append(("_csrf", token)) }
        let boundary = "----ipcase-test-\(UInt32.random(in: 0...UInt32.max))"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file.contents)\r\n--\(boundary)--\r\n"
        return try await send(uri, method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    var csrfToken: String? {
        guard let range = lastPage.range(of: #"name="_csrf" value="([A-Za-z0-9_-]+)""#, options: .regularExpression)
        else { return nil }
        return String(lastPage[range].split(separator: "\"")[3])
    }

    func signIn(_ account: WebDemo.Account) async throws {
        try await get("/signin")
        let response = try await post("/signin", [("login", account.login), ("password", account.password)])
        guard response.status == .seeOther else { throw Failure("sign-in of \(account.login): \(response.status)") }
        try await get("/")
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String? = nil) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let language { headers[.acceptLanguage] = language }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if value.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair.count > 1 ? pair[1] : "" }
        }
        let text = String(buffer: response.body)
        if response.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = text }
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
}

/// Runs `body` with a browser on `web`'s router, in process (`setup` `.live`: over a socket).
func withBrowser<T: Sendable>(
    _ web: WebApp, language: String? = nil, setup: TestingSetup = .router,
    _ body: @Sendable (Browser) async throws -> T
) async throws -> T {
    let app = Application(router: web.router())
    return try await app.test(setup) { client in
        try await body(Browser(client, language: language))
    }
}
