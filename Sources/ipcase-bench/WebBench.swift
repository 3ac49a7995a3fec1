import ArgumentParser
import Foundation
import Hummingbird
import IPCase
import IPCaseCLI
import IPCaseStore
import IPCaseWeb
import Logging
import NIOCore
import PostgresClient
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ipcase-bench web`: the web workspace's docket under `wrk`, next to its floors.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "The web docket (HTML and JSON) under wrk at 1M deadlines, next to its floors; sign-in under load; ipcase-web's RSS.",
        discussion: """
            Generates the deadlines with the docket benchmark's generator (1 000 attorneys in 50
            offices, on the server), creates a web login (a member of ipcase_web) and a web user
            who is `attorney` of one office with `party` = that office's attorney with the most
            deadlines in the 30-day window, and signs in over HTTP (the form, its CSRF cookie,
            bcrypt cost 12) for a session cookie. PostgreSQL runs on its durable defaults
            (fsync, synchronous_commit, full_page_writes on) unless --database-url is given.

            The server is IPCaseWeb's router in this process (WebApp, on Hummingbird and NIO's
            default event loops; its clock fixed at noon of the generator's as-of day, 2026-06-01,
            so `within=30` is the generated window), on 127.0.0.1 with a pool of --pool
            connections. wrk (apt-get install wrk) drives it with --connections connections on
            --threads threads for --duration seconds per measure, each printed with requests/s
            and p50/p99 latency (wrk --latency):

              docket HTML   GET /docket?attorney=<party>&within=30
              docket JSON   GET /docket.json?attorney=<party>&within=30
              floors        GET /healthz (no database); the attorney query of `ipcase-bench
                            docket` through PostgresClient, --pool connections in loops; the
                            store's part of a docket request without HTTP (session lookup,
                            docket, explanations), --connections tasks on the same pool
              sign-in       the docket HTML again while --sign-ins sign-ins (bcrypt 12) are
                            spread over the run: its p99 beside the one without

            Every response under load is counted by status: one that is not 200 fails the run,
            as does a page whose deadlines are not the generator's. Then the ipcase-web binary
            (built with swift build -c release --product ipcase-web, next to this one) is started
            with `serve` on the same database: its VmRSS idle after start, after a sign-in and a
            few pages, and after the same docket load (as_of in the query: its clock is real).

              swift build -c release --product ipcase-bench --product ipcase-web
              .build/release/ipcase-bench web
              .build/release/ipcase-bench web --pool 4 --duration 5 --rounds 3
            """
    )

    @Option(help: "Measured runs of each measure (medians printed).")
    var rounds = 1

    @Option(help: "Seconds of each wrk run.")
    var duration = 10

    @Option(help: "wrk connections.")
    var connections = 32

    @Option(help: "wrk threads.")
    var threads = 2

    @Option(help: "Database connections of the web server's pool (ipcase-web's database.pool_size).")
    var pool = 8

    @Option(help: "Deadlines to generate (20 per right).")
    var deadlines = 1_000_000

    @Option(name: .customLong("sign-ins"), help: "Sign-ins spread over the sign-in measure's run.")
    var signIns = 10

    @Option(help: "The bcrypt cost of the bench user's password (ipcase-web's default: 12).")
    var bcryptCost = 12

    @Option(help: "The wrk binary.")
    var wrk = "/usr/bin/wrk"

    @Option(name: .customLong("ipcase-web"), help: "The ipcase-web binary (default: next to this one); RSS is not measured without it.")
    var ipcaseWeb: String?

    @Option(
        name: .customLong("database-url"),
        help: "A PostgreSQL server whose user may CREATE DATABASE and CREATE ROLE (default: a throwaway local cluster).")
    var databaseURL: String?

    @Flag(help: "Print the results as JSON (one object) instead of a table.")
    var json = false

    @Flag(help: "Exit non-zero when a goal is missed (verification failures always do).")
    var strict = false

    static let login = "attorney@bench.ipcase.kz"
    static let webLogin = "ipcase_bench_web"

    func validate() throws {
        guard rounds >= 1, duration >= 2, connections >= 1, threads >= 1, threads <= connections else {
            throw ValidationError("--rounds ≥ 1, --duration ≥ 2, --connections ≥ --threads ≥ 1")
        }
        guard (1...256).contains(pool) else { throw ValidationError("--pool: 1–256") }
        guard (4...16).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost: 4–16") }
    }

    func run() async throws {
        try verify(
            FileManager.default.isExecutableFile(atPath: wrk),
            "no wrk at \(wrk) (apt-get install wrk, or --wrk PATH)")
        var arguments = ["--rounds", "1", "--warmup", "0"]
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        if json { arguments.append("--json") }
        if strict { arguments.append("--strict") }
        let harness = try HarnessOptions.parse(arguments)
        var report = Report(title: "Web docket under wrk")
        try await BenchDatabase.with(harness, migrated: true) { database in
            if databaseURL == nil { try await database.useDurableSettings() }
            try await measure(database: database, report: &report)
        }
        try report.emit(harness)
    }

    /// The bench's web user: the office, their party, the password, and what their docket lists.
    struct Subject: Sendable {
        var office: Int
        var attorney: Int
        var password: String
        /// The due days of the attorney's open deadlines in the window, in due order.
        var dues: [Int]
        var webURL: String
    }

    func measure(database: BenchDatabase, report: inout Report) async throws {
        let settings = try await database.durabilitySettings()
        let data = try await DocketBench.generate(size: deadlines, on: database.connection)
        let expected = DocketBench.expectedDockets(rights: data.rights)
        let subject = try await provision(database: database, expected: expected)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        report.context += [
            "\(data.total) deadlines, \(DocketBench.attorneys) attorneys in \(DocketBench.offices) offices (DocketBench's generator), as of \(DocketBench.asOf)",
            "PostgreSQL \(settings) (\(databaseURL == nil ? "durable defaults, throwaway local cluster" : "the server of --database-url, as configured"))",
            "server in process: IPCaseWeb WebApp on Hummingbird (NIO default event loops), StorePool of \(pool) connections; \(cores) cores shared by wrk, the server and PostgreSQL",
            "wrk -t\(threads) -c\(connections) -d\(duration)s --latency, \(rounds) run(s) per measure; user: attorney of office \(subject.office), party \(subject.attorney) (\(subject.dues.count) open deadlines in the window)",
        ]
        report.details.append(data.summary)

        // The server in this process, every response counted by status.
        let counter = StatusCounter()
        var configuration = WebConfiguration(databaseURL: subject.webURL)
        configuration.poolSize = pool
        configuration.secureCookies = false
        configuration.addressAttempts = 1_000_000
        configuration.bcryptCost = bcryptCost
        var quiet = Logger(label: "ipcase-bench-web")
        quiet.logLevel = .warning
        let storePool = StorePool(url: subject.webURL, size: pool, logger: quiet)
        // Noon in Almaty (UTC+5, the offices' zone) of the as-of day: the web's "today".
        let now = Date(timeIntervalSince1970: Double(DocketBench.asOf.daysSinceEpoch) * 86_400 + 7 * 3600)
        let web = try WebApp(configuration: configuration, pool: storePool, logger: quiet, clock: { now })
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: CountingResponder(base: web.router().buildResponder(), counter: counter),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], logger: quiet))
        let server = Task { try await group.run() }
        do {
            var port = 0
            for await value in ports { port = value }
            try verify(port > 0, "the in-process server did not start")
            try await measureServer(
                port: port, counter: counter, subject: subject, database: database, storePool: storePool, report: &report)
            await group.triggerGracefulShutdown()
            try await server.value
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await server.value
            await storePool.close()
            throw error
        }
        await storePool.close()
        try await measureBinary(subject: subject, report: &report)
    }

    /// The login role, the user and their password: attorney of the office of the attorney with
    /// the most deadlines in the window (the lowest key among equals), whose party they are.
    func provision(database: BenchDatabase, expected: [Int: [Int]]) async throws -> Subject {
        let attorney = expected.max { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }?.key ?? 1
        let office = (attorney - 1) % DocketBench.offices + 1
        let password = String(Secrets.token().prefix(20))
        let webPassword = Secrets.token()
        let hash = await Secrets.hash(password, cost: bcryptCost)
        let store = Store(connection: database.connection)
        try await store.withService(actor: "ipcase-bench web") { session in
            try await session.createLoginRole(name: Self.webLogin, password: webPassword, groups: ServiceSession.webLoginGroups)
            _ = try await session.createWebUser(
                login: Self.login, name: "Bench attorney", email: nil, passwordHash: hash, language: "en")
            try await session.grantWebOffice(
                login: Self.login, office: ID(rawValue: Int64(office)), role: .attorney,
                party: ID(rawValue: Int64(attorney)))
        }
        return Subject(
            office: office, attorney: attorney, password: password, dues: (expected[attorney] ?? []).sorted(),
            webURL: Self.replacingUser(in: database.url, user: Self.webLogin, password: webPassword))
    }

    /// `url` with its user and password replaced (percent-encoded), as `WebDemo` makes the web login's.
    static func replacingUser(in url: String, user: String, password: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let host = rest.firstIndex(of: "@").map { rest[rest.index(after: $0)...] } ?? rest
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return "\(url[..<scheme.upperBound])\(user):\(encoded)@\(host)"
    }

    /// Checks the HTML page and the JSON of `path` list exactly the attorney's deadlines.
    static func checkDocket(_ probe: HTTPProbe, token: String, subject: Subject, query: String) throws {
        let cookie = [("Cookie", "ipcase_session=\(token)")]
        let page = try probe.send("GET", "/docket?" + query, headers: cookie)
        try verify(page.status == 200, "GET /docket?\(query): \(page.status)")
        let listed = page.body.components(separatedBy: "id=\"deadline-").count - 1
        try verify(
            listed == subject.dues.count,
            "the docket page lists \(listed) deadlines, the generator's formula \(subject.dues.count)")
        let json = try probe.send("GET", "/docket.json?" + query, headers: cookie)
        try verify(json.status == 200, "GET /docket.json?\(query): \(json.status)")
        let document = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
        let rows = document?["deadlines"] as? [[String: Any]] ?? []
        let dues = try rows.map { row -> Int in
            guard let text = row["due"] as? String else { throw VerificationFailure("a JSON deadline without due") }
            return Int(try CivilDate(iso: text).daysSinceEpoch)
        }
        try verify(dues == subject.dues, "the docket JSON's due dates \(dues) are not the formula's \(subject.dues)")
    }

    func wrkArguments(port: Int, path: String, token: String?, seconds: Int? = nil) -> [String] {
        var arguments = ["-t", String(threads), "-c", String(connections), "-d", "\(seconds ?? duration)s", "--latency"]
        if let token { arguments += ["-H", "Cookie: ipcase_session=\(token)"] }
        return arguments + ["http://127.0.0.1:\(port)\(path)"]
    }

    /// One wrk run whose every response must have been a 200.
    func load(port: Int, path: String, token: String?, counter: StatusCounter, seconds: Int? = nil) async throws -> WrkResult {
        _ = counter.take()
        let result = try await WrkResult.run(binary: wrk, arguments: wrkArguments(port: port, path: path, token: token, seconds: seconds))
        let counts = counter.take()
        let others = counts.filter { $0.key != 200 }
        try verify(
            others.isEmpty && result.errorResponses == 0,
            "\(path): responses other than 200 under load: \(others.sorted { $0.key < $1.key }) (wrk: \(result.errorResponses) non-2xx/3xx)\n\(result.output)")
        try verify(result.requests > 0, "\(path): wrk completed no request\n\(result.output)")
        if result.socketErrors > 0 { progress("web: \(path): wrk reports \(result.socketErrors) socket errors") }
        return result
    }

    /// Throughput and latency figures of `results` (one per round).
    func figures(_ name: String, _ results: [WrkResult], goals: Bool, note: String) -> [Figure] {
        [
            Figure(
                name: "\(name) requests/s", unit: "req/s", samples: results.map(\.requestsPerSecond),
                goal: goals ? .atLeast(1000) : nil, note: note),
            Figure(name: "\(name) p50", unit: "ms", samples: results.map(\.p50), goal: nil),
            Figure(name: "\(name) p99", unit: "ms", samples: results.map(\.p99), goal: goals ? .atMost(50) : nil),
        ]
    }

    func measureServer(
        port: Int, counter: StatusCounter, subject: Subject, database: BenchDatabase, storePool: StorePool,
        report: inout Report
    ) async throws {
        let probe = HTTPProbe(port: port)
        let (login, password) = (Self.login, subject.password)
        let (token, firstSignIn) = try await offPool { try probe.signIn(login: login, password: password) }
        let query = "attorney=\(subject.attorney)&within=30"
        try await offPool { try Self.checkDocket(probe, token: token, subject: subject, query: query) }
        report.details.append(
            "signed in over HTTP in \(String(format: "%.0f", firstSignIn)) ms; the page and the JSON list the formula's \(subject.dues.count) deadlines (checked)")
        let html = "/docket?" + query, json = "/docket.json?" + query

        progress("web: warming up (2 s of wrk on the docket page)")
        _ = try await load(port: port, path: html, token: token, counter: counter, seconds: 2)

        var health: [WrkResult] = [], pages: [WrkResult] = [], documents: [WrkResult] = [], signing: [WrkResult] = []
        var databaseFloor: [LoopResult] = [], storeFloor: [LoopResult] = []
        var signInTimes: [Double] = []
        for round in 0..<rounds {
            progress("web: round \(round + 1) of \(rounds): /healthz")
            health.append(try await load(port: port, path: "/healthz", token: nil, counter: counter))
            progress("web: round \(round + 1): database floor")
            databaseFloor.append(try await attorneyQueryFloor(url: database.url, subject: subject))
            progress("web: round \(round + 1): store floor")
            storeFloor.append(try await storePathFloor(pool: storePool, token: token, subject: subject))
            progress("web: round \(round + 1): docket HTML")
            pages.append(try await load(port: port, path: html, token: token, counter: counter))
            progress("web: round \(round + 1): docket JSON")
            documents.append(try await load(port: port, path: json, token: token, counter: counter))
            progress("web: round \(round + 1): docket HTML with \(signIns) sign-ins")
            let (result, times) = try await loadWithSignIns(
                port: port, path: html, token: token, counter: counter, subject: subject)
            signing.append(result)
            signInTimes += times
        }

        report.figures += figures(
            "docket HTML", pages, goals: true,
            note: "GET \(html) with the session cookie: session lookup, docket, explanations, Mustache page; every response 200")
        report.figures += figures(
            "docket JSON", documents, goals: true,
            note: "GET \(json): the same docket as DocketRenderer.json (the CLI's --format json)")
        report.figures += figures(
            "floor: /healthz", health, goals: false, note: "GET /healthz through the same server and middleware, no database")
        report.figures += [
            Figure(
                name: "floor: attorney query requests/s", unit: "q/s", samples: databaseFloor.map(\.perSecond), goal: nil,
                note: "DocketBench's prepared attorney query through PostgresClient, \(pool) connections in loops (as the owner, no RLS, no transaction)"),
            Figure(name: "floor: attorney query p50", unit: "ms", samples: databaseFloor.map(\.p50), goal: nil),
            Figure(name: "floor: attorney query p99", unit: "ms", samples: databaseFloor.map(\.p99), goal: nil),
            Figure(
                name: "floor: store path requests/s", unit: "req/s", samples: storeFloor.map(\.perSecond), goal: nil,
                note: "what the docket page asks of the store, without HTTP or rendering: StorePool(\(pool)) → withWebSession → office, DocketCommands.entries, office; \(connections) tasks"),
            Figure(name: "floor: store path p50", unit: "ms", samples: storeFloor.map(\.p50), goal: nil),
            Figure(name: "floor: store path p99", unit: "ms", samples: storeFloor.map(\.p99), goal: nil),
        ]
        report.figures += [
            Figure(
                name: "docket HTML during sign-ins requests/s", unit: "req/s", samples: signing.map(\.requestsPerSecond),
                goal: nil,
                note: "the same load while \(signIns) sign-ins (bcrypt cost \(bcryptCost), GET + POST /signin) are spread over the run"),
            Figure(
                name: "docket HTML during sign-ins p99", unit: "ms", samples: signing.map(\.p99), goal: .atMost(50),
                note: "without sign-ins: \(Figure.short(percentile(pages.map(\.p99), 50))) ms (docket HTML p99 above)"),
            Figure(
                name: "sign-in under load", unit: "ms", samples: signInTimes, goal: nil,
                note: "POST /signin to its 303, bcrypt off the cooperative pool; min / median / max over \(signInTimes.count)"),
        ]
        let html50 = percentile(pages.map(\.requestsPerSecond), 50)
        report.details.append(
            String(
                format: "docket HTML: %.0f%% of the /healthz rate, %.0f%% of the store path's; JSON: %.0f%% of the HTML rate",
                100 * html50 / percentile(health.map(\.requestsPerSecond), 50),
                100 * html50 / percentile(storeFloor.map(\.perSecond), 50),
                100 * percentile(documents.map(\.requestsPerSecond), 50) / html50))
    }

    /// The docket load with `signIns` sign-ins spread over it (the first after 1 s).
    func loadWithSignIns(port: Int, path: String, token: String, counter: StatusCounter, subject: Subject)
        async throws -> (WrkResult, [Double])
    {
        let probe = HTTPProbe(port: port)
        let (login, password, count) = (Self.login, subject.password, signIns)
        let spacing = Double(duration - 2) / Double(Swift.max(1, count))
        // The sign-ins' own 303s and sign-in pages are counted too; take them out afterwards.
        async let signed = offPool { () throws -> [Double] in
            usleep(1_000_000)
            var times: [Double] = []
            let start = ContinuousClock.now
            for index in 0..<count {
                let due = 1 + spacing * Double(index)
                let wait = due - 1 - milliseconds(since: start) / 1000
                if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
                times.append(try probe.signIn(login: login, password: password).milliseconds)
            }
            return times
        }
        _ = counter.take()
        let result = try await WrkResult.run(binary: wrk, arguments: wrkArguments(port: port, path: path, token: token))
        let times = try await signed
        var counts = counter.take()
        counts[303, default: 0] -= times.count
        counts[200, default: 0] -= times.count  // the sign-in form pages
        let others = counts.filter { $0.key != 200 && $0.value != 0 }
        try verify(
            others.isEmpty && result.errorResponses == 0,
            "\(path) during sign-ins: other responses \(others) (wrk: \(result.errorResponses) non-2xx/3xx)")
        try verify(times.count == count, "\(times.count) of \(count) sign-ins done during the run")
        return (result, times)
    }

    struct LoopResult {
        var perSecond: Double
        var p50: Double
        var p99: Double
    }

    /// DocketBench's attorney query, prepared, on `pool` connections in loops for `duration` s.
    func attorneyQueryFloor(url: String, subject: Subject) async throws -> LoopResult {
        var connections: [PostgresConnection] = []
        for _ in 0..<pool { connections.append(try await PostgresConnection.connect(url: url, applicationName: "ipcase-bench")) }
        let seconds = Double(duration)
        let start = ContinuousClock.now
        let end = start + .seconds(duration)
        let (office, attorney, expected) = (subject.office, subject.attorney, subject.dues.count)
        let times = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    let statement = try await connection.prepare(name: "web_floor_\(index)", sql: DocketBench.attorneyDocket)
                    var times: [Double] = []
                    while ContinuousClock.now < end {
                        let began = ContinuousClock.now
                        let rows = try await connection.query(statement, [office, attorney, DocketBench.asOf.description])
                        times.append(milliseconds(since: began))
                        try verify(rows.count == expected, "the attorney query returned \(rows.count) rows, expected \(expected)")
                    }
                    return times
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        for connection in connections { await connection.close() }
        let elapsed = Swift.max(seconds, milliseconds(since: start) / 1000)
        return LoopResult(perSecond: Double(times.count) / elapsed, p50: percentile(times, 50), p99: percentile(times, 99))
    }

    /// The store's part of a docket page, as `WebApp` runs it, by `connections` tasks on `pool`.
    func storePathFloor(pool: StorePool, token: String, subject: Subject) async throws -> LoopResult {
        let start = ContinuousClock.now
        let end = start + .seconds(duration)
        let engine = DeadlineEngine()
        var query = DocketQuery(asOf: DocketBench.asOf)
        query.attorney = String(subject.attorney)
        query.statuses = ["open"]
        query.within = 30
        let (scoped, expected) = (query, subject.dues.count)
        let times = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var times: [Double] = []
                    while ContinuousClock.now < end {
                        let began = ContinuousClock.now
                        let count = try await pool.withStore { store in
                            try await store.withWebSession(token: token, idleLifetime: 8 * 3600) { _, office in
                                _ = try await office.currentOffice()
                                let entries = try await DocketCommands.entries(in: office, query: scoped, engine: engine)
                                _ = try await office.currentOffice()
                                return entries.count
                            }
                        }
                        times.append(milliseconds(since: began))
                        try verify(count == expected, "the store path listed \(count) deadlines, expected \(expected)")
                    }
                    return times
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = Swift.max(Double(duration), milliseconds(since: start) / 1000)
        return LoopResult(perSecond: Double(times.count) / elapsed, p50: percentile(times, 50), p99: percentile(times, 99))
    }

    /// `ipcase-web serve` on the same database: VmRSS idle after start, after a few pages and
    /// after the docket load; and that load's figures.
    func measureBinary(subject: Subject, report: inout Report) async throws {
        let binary = ipcaseWeb ?? siblingExecutable("ipcase-web")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            report.details.append(
                "ipcase-web RSS: not measured, no binary at \(binary) (swift build -c release --product ipcase-web)")
            return
        }
        let port = try HTTPProbe.freePort()
        let config = NSTemporaryDirectory() + "ipcase-bench-web-\(getpid()).conf"
        try Data().write(to: URL(fileURLWithPath: config))
        defer { unlink(config) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", config, "--listen", "127.0.0.1:\(port)"]
        process.environment = [
            "PATH": "/usr/bin:/bin", "IPCASE_WEB_DATABASE_URL": subject.webURL,
            "IPCASE_WEB_DATABASE_POOL_SIZE": String(pool), "IPCASE_WEB_SECURITY_SECURE_COOKIES": "false",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
        }
        let probe = HTTPProbe(port: port)
        let ready = try await offPool { () throws -> Double in
            while true {
                if let reply = try? probe.send("GET", "/healthz"), reply.status == 200 { return milliseconds(since: started) }
                try verify(process.isRunning, "ipcase-web serve exited \(process.terminationStatus) before answering")
                try verify(milliseconds(since: started) < 15_000, "ipcase-web serve did not answer /healthz in 15 s")
                usleep(20_000)
            }
        }
        func rss() throws -> (rss: Double, peak: Double) {
            let text = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
            func field(_ name: String) -> Double {
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return .nan }
                return (line.split(separator: " ").dropFirst().compactMap { Double($0) }.first ?? .nan) / 1024
            }
            return (field("VmRSS"), field("VmHWM"))
        }
        try await Task.sleep(for: .seconds(2))
        let idle = try rss()
        // A sign-in and a few pages, as a user's first minute.
        let (login, password) = (Self.login, subject.password)
        let query = "attorney=\(subject.attorney)&within=30&as_of=\(DocketBench.asOf)"
        let token = try await offPool { () throws -> String in
            let (token, _) = try probe.signIn(login: login, password: password)
            for path in ["/", "/docket", "/rights", "/static/app.css"] {
                let reply = try probe.send("GET", path, headers: [("Cookie", "ipcase_session=\(token)")])
                try verify(reply.status == 200, "ipcase-web serve: GET \(path): \(reply.status)")
            }
            for _ in 0..<10 { try Self.checkDocket(probe, token: token, subject: subject, query: query) }
            return token
        }
        try await Task.sleep(for: .seconds(2))
        let afterPages = try rss()
        progress("web: docket HTML through the ipcase-web binary")
        let result = try await WrkResult.run(
            binary: wrk, arguments: wrkArguments(port: port, path: "/docket?" + query, token: token))
        try verify(
            result.errorResponses == 0 && result.requests > 0,
            "ipcase-web serve under load: \(result.errorResponses) non-2xx/3xx of \(result.requests)")
        // A redirect (a lost session) would be a 3xx: the page must still be the docket.
        try await offPool { try Self.checkDocket(probe, token: token, subject: subject, query: query) }
        try await Task.sleep(for: .seconds(2))
        let afterLoad = try rss()
        report.figures += figures(
            "ipcase-web binary: docket HTML", [result], goals: false,
            note: "the release binary (\(binary)) serving GET /docket?\(query), pool \(pool)")
        report.figures += [
            Figure(
                name: "ipcase-web RSS idle after start", unit: "MB", samples: [idle.rss], goal: nil,
                note: "VmRSS (MiB) 2 s after /healthz first answered (\(String(format: "%.0f", ready)) ms after spawn), no request yet but /healthz"),
            Figure(
                name: "ipcase-web RSS after pages", unit: "MB", samples: [afterPages.rss], goal: nil,
                note: "after a sign-in, the dashboard, docket, rights, style sheet and 10 docket pages + JSON, 2 s idle"),
            Figure(
                name: "ipcase-web RSS after load", unit: "MB", samples: [afterLoad.rss], goal: nil,
                note: "after \(duration) s of wrk -c\(connections) on the docket, 2 s idle; peak VmHWM \(String(format: "%.1f", afterLoad.peak)) MiB"),
        ]
    }
}
