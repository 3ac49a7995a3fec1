import Foundation
import IPCaseTestSupport
import PostgresClient
import Testing

/// `ipcase-web` deployed as the README's "Installing ipcase-web under systemd" tells: the roles
/// script with `-v web_password`, a user added by the owner, `ipcase-web serve --config` as the
/// `ipcase_webserver` login over SCRAM (password in the PGPASSFILE); then a PostgreSQL restart
/// under it and SIGTERM. A test of ``DeploymentTests`` (serialized: it restarts their cluster).
extension DeploymentTests {
    /// A browser's part, in python3's http.client: `signin PORT LOGIN PASSWORD` prints the
    /// cookies the sign-in set; `get PORT PATH COOKIES` prints the status and the body.
    static let webClient = #"""
        import http.client, json, re, sys, urllib.parse
        port = int(sys.argv[2])
        def request(method, path, body=None, cookies=None):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            headers = {"Connection": "close"}
            if cookies: headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            if body is not None: headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            set = {}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, val = pair.partition("=")
                    if val and "max-age=0" not in value.lower(): set[key] = val
            return response.status, text, set
        if sys.argv[1] == "signin":
            status, page, cookies = request("GET", "/signin")
            csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
            form = urllib.parse.urlencode({"_csrf": csrf, "login": sys.argv[3], "password": sys.argv[4]})
            status, _, session = request("POST", "/signin", form, cookies)
            print(json.dumps({"status": status, "cookies": session}))
        else:
            status, text, _ = request("GET", sys.argv[3], None, json.loads(sys.argv[4]))
            print(json.dumps({"status": status, "body": text}))
        """#

    struct WebReply: Decodable {
        var status: Int
        var body: String?
        var cookies: [String: String]?
    }

    static func web(_ arguments: [String]) async throws -> WebReply {
        let output = try await Python.script(webClient, arguments: arguments)
        return try JSONDecoder().decode(WebReply.self, from: Data(output.utf8))
    }

    /// `GET path` with `cookies`; a refused connection or a timeout counts as status 0.
    static func get(port: Int, _ path: String, cookies: String) async -> WebReply {
        (try? await web(["get", "\(port)", path, cookies])) ?? WebReply(status: 0)
    }

    static func freePort() async throws -> Int {
        let output = try await Python.script(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
        return try #require(Int(output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(
        "ipcase-web under the roles script's ipcase_webserver login: users added by the owner sign in and read their office; the login alone reads nothing; a PostgreSQL restart, then SIGTERM"
    )
    func theWebWorkspaceDeploys() async throws {
        let deployment = try await Deployment.make()
        defer { try? FileManager.default.removeItem(atPath: deployment.directory) }
        _ = try await deployment.ipcase(
            ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"],
            as: "ipcase_owner")
        _ = try await deployment.ipcase(
            ["offices", "grant", "--login", "ipcase_cli", "--office", "1", "--role", "officer"], as: "ipcase_owner")
        _ = try await deployment.ipcase(
            ["rights", "create", "--office", "1", "--ref", "ATU-7-KZ", "--jurisdiction", "KZ", "--kind", "patent",
             "--title", "Sorbent"], as: "ipcase_cli")

        // The owner adds the user; the password is printed once.
        let added = try await deployment.run(
            "ipcase-web",
            ["users", "add", "--database-url", deployment.url("ipcase_owner"), "--login", "Aliya@Alatau.example",
             "--name", "Aliya Nurlanova", "--office", "1", "--role", "officer", "--language", "ru"])
        #expect(added.status == 0, "ipcase-web users add: \(added.stderr)")
        #expect(added.stdout.contains("added aliya@alatau.example as officer of office 1"))
        let password = try #require(
            added.stdout.split(separator: "\n").first { $0.hasPrefix("password: ") }?.dropFirst("password: ".count))

        // The web login alone (no signed-in user's token) reads no office's rows.
        let secret = Deployment.passwords["ipcase_webserver"]!
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let login = try await PostgresConnection.connect(
            url: "postgresql://ipcase_webserver:\(secret)@127.0.0.1:\(deployment.port)/\(deployment.database)")
        _ = try await login.execute("SELECT set_config('ipcase.office_id', '1', false)")
        #expect(try await login.query("SELECT count(*) FROM rights")[0].decode(Int.self) == 0)
        #expect(try await login.query("SELECT count(*) FROM offices")[0].decode(Int.self) == 0)
        await login.close()

        let port = try await Self.freePort()
        let config = deployment.directory + "/ipcase-web.conf"
        try """
            [database]
            url = "\(deployment.url("ipcase_webserver"))"
            pool_size = 2
            [listen]
            host = "127.0.0.1"
            port = \(port)
            [security]
            secure_cookies = false
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let checked = try await deployment.run("ipcase-web", ["check-config", "--config", config])
        #expect(checked.status == 0, "ipcase-web check-config: \(checked.stderr)")
        let server = try DaemonProcess(
            ["serve", "--config", config], databaseURL: "", environment: ["PGPASSFILE": deployment.passfile],
            program: "ipcase-web")
        let up = await eventually { await Self.get(port: port, "/healthz", cookies: "{}").status == 200 }
        #expect(up, "ipcase-web serve did not answer /healthz: \(server.log)")

        let signIn = try await Self.web(["signin", "\(port)", "aliya@alatau.example", String(password)])
        #expect(signIn.status == 303, "sign-in: \(signIn)")
        let cookies = String(decoding: try JSONEncoder().encode(signIn.cookies ?? [:]), as: UTF8.self)
        let rights = await Self.get(port: port, "/rights", cookies: cookies)
        #expect(rights.status == 200)
        #expect(rights.body?.contains("ATU-7-KZ") == true, "the officer's rights page: \(rights.body ?? "")")
        #expect(rights.body?.contains("Alatau TTO") == true)

        // PostgreSQL restarts under the server: requests fail meanwhile (promptly, no hang) and
        // work again on the same session once it is back, without restarting ipcase-web.
        let cluster = try await Deployment.cluster.value
        try await cluster.stopServer()
        let started = ContinuousClock.now
        let down = await Self.get(port: port, "/rights", cookies: cookies)
        #expect(down.status >= 500, "while PostgreSQL is down: \(down.status)")
        #expect(ContinuousClock.now - started < .seconds(15))
        try await cluster.startServer()
        let back = await eventually(timeout: .seconds(30)) {
            let page = await Self.get(port: port, "/rights", cookies: cookies)
            return page.status == 200 && page.body?.contains("ATU-7-KZ") == true
        }
        #expect(back, "the rights page after PostgreSQL restarted: \(server.log)")

        // SIGTERM: the server stops listening and exits 0.
        server.signal(SIGTERM)
        let exit = await server.exit(timeout: .seconds(20))
        #expect(exit?.reason == .exit && exit?.status == 0, "ipcase-web after SIGTERM: \(String(describing: exit)) \(server.log)")
        #expect(await Self.get(port: port, "/healthz", cookies: "{}").status == 0)
        #expect(!server.log.contains(Deployment.passwords["ipcase_webserver"]!))
    }
}
