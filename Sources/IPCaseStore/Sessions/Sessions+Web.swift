import Foundation
import IPCase
import PostgresClient

/// What a web user may do in one office (Schema/0113_web_workspace.sql).
public enum WebRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// An officer who also answers for the office's users.
    case admin
    /// Reads and writes every record of the office.
    case officer
    /// Rights and deadlines: records events, completes and verifies deadlines.
    case attorney
    /// Reads only.
    case viewer
    /// Submits disclosures and sees only what comes from their own.
    case inventor

    /// Whether the role may change records (the database refuses a viewer's writes as well).
    public var writes: Bool { self != .viewer }
}

/// A user of the web workspace, without their secrets.
public struct WebUser: Sendable, Hashable {
    /// The user's key.
    public var id: Int64
    /// What they sign in with, in lower case.
    public var login: String
    /// Their name as pages show it.
    public var name: String
    /// Where notices for them go.
    public var email: String?
    /// Their language, `nil` for the browser's.
    public var language: String?
    /// Whether sign-in is refused.
    public var disabled: Bool

    /// A user.
    public init(id: Int64, login: String, name: String, email: String?, language: String?, disabled: Bool) {
        self.id = id
        self.login = login
        self.name = name
        self.email = email
        self.language = language
        self.disabled = disabled
    }

    /// The audit trail's actor for what this user does: `web/<login>`.
    public var actor: String { "web/\(login)" }
}

/// A user's role in one office.
public struct WebOfficeRole: Sendable, Hashable {
    /// The office.
    public var office: ID<Office>
    /// The role there.
    public var role: WebRole
    /// Who the user is among the office's parties (an inventor's own party).
    public var party: ID<Party>?

    /// A role in an office.
    public init(office: ID<Office>, role: WebRole, party: ID<Party>? = nil) {
        self.office = office
        self.role = role
        self.party = party
    }
}

/// What sign-in checks: the user, the password hash, the second factor and the lock.
public struct WebSignInRecord: Sendable {
    /// The user.
    public var user: WebUser
    /// The bcrypt hash of the password.
    public var passwordHash: String
    /// The TOTP key (its UTF-8 bytes), when a second factor is set up.
    public var totpSecret: String?
    /// Until when sign-in is refused after failed attempts.
    public var lockedUntil: Date?
    /// The offices the user has a role in, by office key.
    public var offices: [WebOfficeRole]
}

/// A signed-in browser's session as a request sees it.
public struct WebSessionRecord: Sendable, Hashable {
    /// The user.
    public var user: WebUser
    /// The office the session works in, and the user's role there.
    public var office: WebOfficeRole
    /// The token its forms must carry.
    public var csrfToken: String
    /// When it ends unless used.
    public var expiresAt: Date
    /// When it was last used (its expiry is moved on at most once a minute).
    public var lastSeenAt: Date
    /// Whether this is an API token (`Authorization: Bearer`) rather than a browser's session.
    public var isAPIToken: Bool = false
}

/// An API token of a user, without its secret.
public struct WebAPIToken: Sendable, Hashable {
    /// The token's key.
    public var id: Int64
    /// The name its user gave it.
    public var name: String
    /// The office it is scoped to.
    public var office: ID<Office>
    /// When it was made, last used, and revoked.
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

extension ServiceSession {
    // MARK: Users (the owner provisions them: `ipcase-web users …`)

    /// Adds a web user with a bcrypt `passwordHash`; the login is stored in lower case.
    /// - Throws: ``StoreError/invalid(record:reason:)`` when the login is taken or a field is
    ///   out of bounds.
    public func createWebUser(
        login: String, name: String, email: String?, passwordHash: String, language: String?
    ) async throws -> WebUser {
        let login = login.lowercased()
        let record = "web user \(login)"
        let exists = try await connection.query("SELECT EXISTS (SELECT FROM web_users WHERE login = \(login))")[0]
            .decode(Bool.self, at: 0)
        if exists { throw StoreError.invalid(record: record, reason: "login: \(login) is taken") }
        let id = try await naming(record) {
            try await connection.query(
                """
                INSERT INTO web_users (login, name, email, password_hash, language)
                VALUES (\(login), \(name), \(email), \(passwordHash), \(language))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
        return WebUser(id: id, login: login, name: name, email: email, language: language, disabled: false)
    }

    /// The user signing in with `login`, `nil` when there is none.
    public func webUser(login: String) async throws -> WebUser? {
        try await connection.query(
            "SELECT id, login, name, email, language, disabled FROM web_users WHERE login = \(login.lowercased())"
        ).first.map(Self.webUser)
    }

    /// Replaces a user's password hash, clears their lock and ends all their sessions.
    public func setWebPassword(login: String, passwordHash: String) async throws {
        let changed = try await naming("web user \(login)") {
            try await connection.execute(
                """
                UPDATE web_users SET password_hash = \(passwordHash), failed_sign_ins = 0, locked_until = NULL
                WHERE login = \(login.lowercased())
                """)
        }
        guard changed == 1 else { throw StoreError.notFound(record: "web user \(login)") }
        try await endWebSessions(login: login)
    }

    /// Sets or clears a user's TOTP key (20 to 128 letters and digits; its bytes are the key).
    public func setWebTOTPSecret(login: String, secret: String?) async throws {
        let changed = try await naming("web user \(login)") {
            try await connection.execute(
                "UPDATE web_users SET totp_secret = \(secret) WHERE login = \(login.lowercased())")
        }
        guard changed == 1 else { throw StoreError.notFound(record: "web user \(login)") }
    }

    /// Refuses (or again admits) a user's sign-in; disabling ends their sessions.
    public func setWebUserDisabled(login: String, _ disabled: Bool) async throws {
        let changed = try await connection.execute(
            "UPDATE web_users SET disabled = \(disabled) WHERE login = \(login.lowercased())")
        guard changed == 1 else { throw StoreError.notFound(record: "web user \(login)") }
        if disabled { try await endWebSessions(login: login) }
    }

    /// Gives a user `role` in `office` (or changes it); `party` is who they are there (required
    /// for an inventor).
    public func grantWebOffice(login: String, office: ID<Office>, role: WebRole, party: ID<Party>?) async throws {
        let record = "web user \(login) in office \(office.rawValue)"
        guard let user = try await webUser(login: login) else { throw StoreError.notFound(record: "web user \(login)") }
        if role == .inventor, party == nil {
            throw StoreError.invalid(record: record, reason: "party: an inventor is one of the office's parties")
        }
        let (officeExists, partyExists) = try await connection.query(
            """
            SELECT EXISTS (SELECT FROM offices WHERE office_id = \(office)),
                   \(party?.rawValue)::bigint IS NULL
                   OR EXISTS (SELECT FROM parties WHERE office_id = \(office) AND id = \(party?.rawValue))
            """)[0].decode(Bool.self, Bool.self)
        guard officeExists else { throw StoreError.notFound(record: "office \(office.rawValue)") }
        guard partyExists else {
            throw StoreError.invalid(record: record, reason: "party: office \(office.rawValue) has no party \(party!.rawValue)")
        }
        _ = try await naming(record) {
            try await connection.execute(
                """
                INSERT INTO web_user_offices (user_id, office_id, role, party_id)
                VALUES (\(user.id), \(office), \(role.rawValue), \(party?.rawValue))
                ON CONFLICT (user_id, office_id) DO UPDATE SET role = excluded.role, party_id = excluded.party_id
                """)
        }
    }

    /// Every user, with their roles, by login.
    public func webUsers() async throws -> [(user: WebUser, offices: [WebOfficeRole])] {
        let users = try await connection.query(
            "SELECT id, login, name, email, language, disabled FROM web_users ORDER BY login"
        ).map(Self.webUser)
        let roles = try await connection.query(
            "SELECT user_id, office_id, role, party_id FROM web_user_offices ORDER BY user_id, office_id"
        ).map { row in
            let (user, office, role, party) = try row.decode(Int64.self, ID<Office>.self, String.self, ID<Party>?.self)
            return (user, WebOfficeRole(office: office, role: WebRole(rawValue: role) ?? .viewer, party: party))
        }
        return users.map { user in (user, roles.filter { $0.0 == user.id }.map(\.1)) }
    }

    // MARK: Sign-in (the web login)

    /// What sign-in with `login` checks, `nil` when no such user exists.
    public func webSignIn(login: String) async throws -> WebSignInRecord? {
        guard
            let row = try await connection.query(
                """
                SELECT id, login, name, email, language, disabled, password_hash, totp_secret, locked_until
                FROM web_users WHERE login = \(login.lowercased())
                """
            ).first
        else { return nil }
        let user = try Self.webUser(row)
        let (hash, secret, locked) = try (
            row.decode(String.self, at: 6), row.decode(String?.self, at: 7), row.decode(Date?.self, at: 8)
        )
        let offices = try await connection.query(
            "SELECT office_id, role, party_id FROM web_user_offices WHERE user_id = \(user.id) ORDER BY office_id"
        ).map { row in
            let (office, role, party) = try row.decode(ID<Office>.self, String.self, ID<Party>?.self)
            return WebOfficeRole(office: office, role: WebRole(rawValue: role) ?? .viewer, party: party)
        }
        return WebSignInRecord(user: user, passwordHash: hash, totpSecret: secret, lockedUntil: locked, offices: offices)
    }

    /// Counts a failed sign-in of `user`; the `limit`-th in a row locks sign-in for `lock`
    /// seconds. Returns until when it is locked, if it now is.
    @discardableResult
    public func recordFailedWebSignIn(user: Int64, limit: Int, lock: TimeInterval) async throws -> Date? {
        try await connection.query(
            """
            UPDATE web_users SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= \(limit) THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= \(limit)
                                    THEN now() + make_interval(secs => \(lock)) ELSE locked_until END
            WHERE id = \(user)
            RETURNING locked_until
            """
        ).first?.decode(Date?.self, at: 0)
    }

    /// Starts a session for `user` in `office` under a new secret `token` (only its SHA-256 is
    /// stored), ending in `lifetime` seconds unless used; clears the failed sign-ins.
    public func startWebSession(
        token: String, user: Int64, office: ID<Office>, csrfToken: String, lifetime: TimeInterval
    ) async throws {
        _ = try await connection.execute(
            "UPDATE web_users SET failed_sign_ins = 0, locked_until = NULL WHERE id = \(user) AND failed_sign_ins <> 0")
        _ = try await naming("web session of user \(user)") {
            try await connection.execute(
                """
                INSERT INTO web_sessions (token_hash, user_id, office_id, csrf_token, expires_at)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(user), \(office), \(csrfToken),
                        now() + make_interval(secs => \(lifetime)))
                """)
        }
        // Sessions long expired are cleared by the next sign-in, a few at a time.
        _ = try await connection.execute(
            """
            DELETE FROM web_sessions WHERE token_hash IN (
                SELECT token_hash FROM web_sessions WHERE expires_at < now() - interval '1 day' LIMIT 100)
            """)
    }

    /// Ends the session with `token`; returns whether there was one.
    @discardableResult
    public func endWebSession(token: String) async throws -> Bool {
        try await connection.execute(
            "DELETE FROM web_sessions WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))") > 0
    }

    /// Ends every session of the user signing in with `login`.
    public func endWebSessions(login: String) async throws {
        _ = try await connection.execute(
            """
            DELETE FROM web_sessions WHERE user_id = (SELECT id FROM web_users WHERE login = \(login.lowercased()))
            """)
    }

    /// Moves the session with `token` to `office` (one of its user's), under a new CSRF token.
    /// - Throws: ``StoreError/notFound(record:)`` when the user has no role there.
    public func switchWebSession(token: String, to office: ID<Office>, csrfToken: String) async throws {
        let changed = try await connection.execute(
            """
            UPDATE web_sessions s SET office_id = \(office), csrf_token = \(csrfToken)
            FROM web_user_offices m
            WHERE s.token_hash = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now()
              AND m.user_id = s.user_id AND m.office_id = \(office)
            """)
        guard changed == 1 else { throw StoreError.notFound(record: "office \(office.rawValue)") }
    }

    // MARK: API tokens

    /// Makes an API token `token` (only its SHA-256 is stored) for `user` in `office`, named `name`.
    @discardableResult
    public func createWebAPIToken(token: String, user: Int64, office: ID<Office>, name: String) async throws -> Int64 {
        try await naming("API token \(name)") {
            try await connection.query(
                """
                INSERT INTO web_api_tokens (token_hash, user_id, office_id, name)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(user), \(office), \(name))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
    }

    /// The API tokens of `user`, newest first.
    public func webAPITokens(user: Int64) async throws -> [WebAPIToken] {
        try await connection.query(
            """
            SELECT id, name, office_id, created_at, last_used_at, revoked_at FROM web_api_tokens
            WHERE user_id = \(user) ORDER BY created_at DESC, id DESC
            """
        ).map { row in
            let (id, name, office, created, used, revoked) = try row.decode(
                Int64.self, String.self, ID<Office>.self, Date.self, Date?.self, Date?.self)
            return WebAPIToken(id: id, name: name, office: office, createdAt: created, lastUsedAt: used, revokedAt: revoked)
        }
    }

    /// Revokes `user`'s token `id`; returns whether one was revoked now.
    @discardableResult
    public func revokeWebAPIToken(user: Int64, id: Int64) async throws -> Bool {
        try await connection.execute(
            "UPDATE web_api_tokens SET revoked_at = now() WHERE id = \(id) AND user_id = \(user) AND revoked_at IS NULL") == 1
    }

    /// Sets the language of a user (`nil`: the browser's).
    public func setWebLanguage(user: Int64, language: String?) async throws {
        _ = try await naming("web user \(user)") {
            try await connection.execute("UPDATE web_users SET language = \(language) WHERE id = \(user)")
        }
    }

    static func webUser(_ row: PostgresRow) throws -> WebUser {
        let (id, login, name, email, language, disabled) = try row.decode(
            Int64.self, String.self, String.self, String?.self, String?.self, Bool.self)
        return WebUser(id: id, login: login, name: name, email: email, language: language, disabled: disabled)
    }
}

extension Store {
    /// Runs `body` in one transaction as the web session with the secret `token`: the office is
    /// the session's, the actor its user (`web/<login>`), and row-level security admits the
    /// office's rows only while the session is live (Schema/0113). COMMIT when `body` returns,
    /// ROLLBACK when it throws.
    ///
    /// The session is looked up and the transaction scoped in one statement; a session used
    /// more than a minute ago has its expiry moved `idleLifetime` seconds on.
    ///
    /// - Throws: ``StoreError/notFound(record:)`` (`web session`) when no live session has the
    ///   token, its user is disabled or no longer has a role in its office.
    public func withWebSession<T: Sendable>(
        token: String, idleLifetime: TimeInterval,
        _ body: @Sendable (WebSessionRecord, OfficeSession) async throws -> T
    ) async throws -> T {
        try await connection.withTransaction { @Sendable connection in
            guard
                let row = try await connection.query(
                    """
                    SELECT set_config('ipcase.web_session', \(token), true),
                           set_config('ipcase.office_id', c.office_id::text, true),
                           set_config('ipcase.actor', 'web/' || u.login, true),
                           -- An inventor's requests run as ipcase_web_inventor: the database
                           -- admits an inventor's session under that role only (Schema/0117).
                           CASE WHEN m.role = 'inventor' THEN set_config('role', 'ipcase_web_inventor', true) END,
                           u.id, u.login, u.name, u.email, u.language, u.disabled,
                           c.office_id, m.role, m.party_id, c.csrf_token, c.expires_at, c.last_seen_at, c.api
                    FROM (SELECT s.user_id, s.office_id, s.csrf_token, s.expires_at, s.last_seen_at, false AS api
                          FROM web_sessions s
                          WHERE s.token_hash = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now()
                          UNION ALL
                          SELECT t.user_id, t.office_id, '', coalesce(t.expires_at, now() + interval '100 years'),
                                 coalesce(t.last_used_at, t.created_at), true
                          FROM web_api_tokens t
                          WHERE t.token_hash = sha256(convert_to(\(token), 'UTF8')) AND t.revoked_at IS NULL
                            AND (t.expires_at IS NULL OR t.expires_at > now())) c
                    JOIN web_users u ON u.id = c.user_id
                    JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
                    WHERE NOT u.disabled
                    """
                ).first
            else { throw StoreError.notFound(record: "web session") }
            let (id, login, name, email, language, disabled) = try (
                row.decode(Int64.self, at: 4), row.decode(String.self, at: 5), row.decode(String.self, at: 6),
                row.decode(String?.self, at: 7), row.decode(String?.self, at: 8), row.decode(Bool.self, at: 9)
            )
            let (office, role, party, csrf, expires, seen) = try (
                row.decode(ID<Office>.self, at: 10), row.decode(String.self, at: 11),
                row.decode(ID<Party>?.self, at: 12), row.decode(String.self, at: 13),
                row.decode(Date.self, at: 14), row.decode(Date.self, at: 15)
            )
            let api = try row.decode(Bool.self, at: 16)
            var record = WebSessionRecord(
                user: WebUser(id: id, login: login, name: name, email: email, language: language, disabled: disabled),
                office: WebOfficeRole(office: office, role: WebRole(rawValue: role) ?? .viewer, party: party),
                csrfToken: csrf, expiresAt: expires, lastSeenAt: seen, isAPIToken: api)
            if seen.timeIntervalSinceNow < -60 {
                if api {
                    _ = try await connection.execute(
                        "UPDATE web_api_tokens SET last_used_at = now() WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
                } else {
                    record.expiresAt = try await connection.query(
                        """
                        UPDATE web_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => \(idleLifetime))
                        WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))
                        RETURNING expires_at
                        """)[0].decode(Date.self, at: 0)
                }
            }
            return try await body(record, OfficeSession(connection: connection, office: office))
        }
    }

    /// Runs `body` in one transaction as the web session with `token`, without an office: for
    /// what the session's user reads across their offices (the office switcher).
    public func withWebAccounts<T: Sendable>(
        token: String? = nil, _ body: @Sendable (ServiceSession) async throws -> T
    ) async throws -> T {
        try await connection.withTransaction { @Sendable connection in
            if let token {
                _ = try await connection.query("SELECT set_config('ipcase.web_session', \(token), true)")
            }
            return try await body(ServiceSession(connection: connection))
        }
    }
}

extension OfficeSession {
    /// The same transaction's statements on the web workspace's own tables (sign-out, the
    /// user's language, the session's office), for a web session's request.
    public var webAccounts: ServiceSession { ServiceSession(connection: connection) }
}

extension OfficeSession {
    /// The web users with a role in this office, and their role there, by login (what an
    /// office's admin sees of its members).
    public func webMembers() async throws -> [(user: WebUser, role: WebOfficeRole)] {
        try await connection.query(
            """
            SELECT u.id, u.login, u.name, u.email, u.language, u.disabled, m.role, m.party_id
            FROM web_user_offices m JOIN web_users u ON u.id = m.user_id
            WHERE m.office_id = \(office)
            ORDER BY u.login
            """
        ).map { row in
            let (role, party) = try (row.decode(String.self, at: 6), row.decode(ID<Party>?.self, at: 7))
            return (
                try ServiceSession.webUser(row),
                WebOfficeRole(office: office, role: WebRole(rawValue: role) ?? .viewer, party: party)
            )
        }
    }
}

extension ServiceSession {
    /// The offices web user `user` has a role in, with its name and the role, by office key.
    /// In a web session's transaction, the names are those of its own user's offices.
    public func webOffices(user: Int64) async throws -> [(office: ID<Office>, name: String, role: WebRole)] {
        try await connection.query(
            """
            SELECT m.office_id, o.name, m.role
            FROM web_user_offices m JOIN offices o ON o.office_id = m.office_id
            WHERE m.user_id = \(user)
            ORDER BY m.office_id
            """
        ).map { row in
            let (office, name, role) = try row.decode(ID<Office>.self, String.self, String.self)
            return (office, name, WebRole(rawValue: role) ?? .viewer)
        }
    }

    /// The names of the offices the transaction's web session's user has a role in, by key.
    public func webOfficeNames() async throws -> [(office: ID<Office>, name: String)] {
        try await connection.query("SELECT office_id, name FROM offices ORDER BY office_id").map {
            try $0.decode(ID<Office>.self, String.self)
        }
    }
}

extension ServiceSession {
    /// The group roles of the web server's login: `ipcase_web`, and `ipcase_web_inventor`, which
    /// it takes for an inventor's requests (Schema/0117, `Deploy/postgres-roles.sql`).
    public static let webLoginGroups = ["ipcase_web", "ipcase_web_inventor"]

    /// Creates (or gives a new password to) the login role `name` as a member of `groups`, with
    /// no superuser, BYPASSRLS, CREATEDB or CREATEROLE: what `Deploy/postgres-roles.sql` does
    /// for a deployment, for the demo and tests on a throwaway server (needs CREATEROLE).
    /// The statements are composed by the server (`format` with `%I` and `%L`), never by
    /// pasting text.
    public func createLoginRole(name: String, password: String, groups: [String]) async throws {
        let statements = try await connection.query(
            """
            SELECT statement FROM (
                SELECT 1, format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L',
                                 \(name)::text, \(password)::text)
                WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(name))
                UNION ALL
                SELECT 1, format('ALTER ROLE %I PASSWORD %L', \(name)::text, \(password)::text)
                WHERE EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(name))
                UNION ALL
                SELECT 2, format('GRANT %I TO %I', g, \(name)::text) FROM unnest(\(groups)::text[]) AS g
            ) s (step, statement) ORDER BY step
            """
        ).map { try $0.decode(String.self, at: 0) }
        for statement in statements { try await connection.executeScript(statement) }
    }

    /// The first party of `office` with `role`, by key (the demo's users are such parties).
    public func firstParty(of office: ID<Office>, role: Party.Role) async throws -> ID<Party>? {
        try await connection.query(
            "SELECT id FROM parties WHERE office_id = \(office) AND \(role.rawValue) = ANY(roles) ORDER BY id LIMIT 1"
        ).first?.decode(ID<Party>.self, at: 0)
    }
}
