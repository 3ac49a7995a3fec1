import Foundation
import IPCase
import PostgresClient

/// A calendar subscription of a web user (Schema/0116_web_calendar_tokens.sql), without its secret.
public struct WebCalendarToken: Sendable, Hashable {
    /// The subscription's key.
    public var id: Int64
    /// The name its user gave it.
    public var name: String
    /// The office it is scoped to.
    public var office: ID<Office>
    /// The docket's filters it shows, as the docket page's query string (`""`: open deadlines).
    public var filters: String
    /// When it was made, last fetched, and revoked.
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// What a calendar feed request works with: whose subscription it is, in which office.
public struct WebCalendarRecord: Sendable, Hashable {
    /// The subscription.
    public var token: WebCalendarToken
    /// Its user.
    public var user: WebUser
    /// The user's role in the subscription's office.
    public var office: WebOfficeRole
}

extension ServiceSession {
    /// Makes a calendar subscription `token` (only its SHA-256 is stored) for `user` in
    /// `office`, named `name`, showing the docket with `filters` (the docket page's query string).
    @discardableResult
    public func createWebCalendarToken(
        token: String, user: Int64, office: ID<Office>, name: String, filters: String
    ) async throws -> Int64 {
        try await naming("calendar subscription \(name)") {
            try await connection.query(
                """
                INSERT INTO web_calendar_tokens (token_hash, user_id, office_id, name, filters)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(user), \(office), \(name), \(filters))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
    }

    /// The calendar subscriptions of `user` in `office`, newest first.
    public func webCalendarTokens(user: Int64, office: ID<Office>) async throws -> [WebCalendarToken] {
        try await connection.query(
            """
            SELECT id, name, office_id, filters, created_at, last_used_at, revoked_at FROM web_calendar_tokens
            WHERE user_id = \(user) AND office_id = \(office) ORDER BY created_at DESC, id DESC
            """
        ).map(Self.webCalendarToken)
    }

    /// Revokes `user`'s calendar subscription `id`; returns whether one was revoked now.
    @discardableResult
    public func revokeWebCalendarToken(user: Int64, id: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE web_calendar_tokens SET revoked_at = now()
            WHERE id = \(id) AND user_id = \(user) AND revoked_at IS NULL
            """) == 1
    }

    static func webCalendarToken(_ row: PostgresRow) throws -> WebCalendarToken {
        let (id, name, office, filters, created, used, revoked) = try row.decode(
            Int64.self, String.self, ID<Office>.self, String.self, Date.self, Date?.self, Date?.self)
        return WebCalendarToken(
            id: id, name: name, office: office, filters: filters, createdAt: created, lastUsedAt: used,
            revokedAt: revoked)
    }
}

extension Store {
    /// Runs `body` in one transaction as the calendar subscription with the secret `token`:
    /// the office is the subscription's, the actor its user (`web/<login>`), and row-level
    /// security admits the office's rows, for reading only, while the subscription is not
    /// revoked, its user enabled and holding a role there other than inventor (Schema/0116).
    ///
    /// - Throws: ``StoreError/notFound(record:)`` (`calendar subscription`) when no usable
    ///   subscription has the token.
    public func withWebCalendar<T: Sendable>(
        token: String, _ body: @Sendable (WebCalendarRecord, OfficeSession) async throws -> T
    ) async throws -> T {
        try await connection.withTransaction { @Sendable connection in
            guard
                let row = try await connection.query(
                    """
                    SELECT set_config('ipcase.web_session', \(token), true),
                           set_config('ipcase.office_id', k.office_id::text, true),
                           set_config('ipcase.actor', 'web/' || u.login, true),
                           k.id, k.name, k.office_id, k.filters, k.created_at, k.last_used_at, k.revoked_at,
                           u.id, u.login, u.name, u.email, u.language, u.disabled, m.role, m.party_id
                    FROM web_calendar_tokens k
                    JOIN web_users u ON u.id = k.user_id
                    JOIN web_user_offices m ON m.user_id = k.user_id AND m.office_id = k.office_id
                    WHERE k.token_hash = sha256(convert_to(\(token), 'UTF8')) AND k.revoked_at IS NULL
                      AND NOT u.disabled AND m.role <> 'inventor'
                    """
                ).first
            else { throw StoreError.notFound(record: "calendar subscription") }
            let subscription = try WebCalendarToken(
                id: row.decode(Int64.self, at: 3), name: row.decode(String.self, at: 4),
                office: row.decode(ID<Office>.self, at: 5), filters: row.decode(String.self, at: 6),
                createdAt: row.decode(Date.self, at: 7), lastUsedAt: row.decode(Date?.self, at: 8),
                revokedAt: row.decode(Date?.self, at: 9))
            let user = try WebUser(
                id: row.decode(Int64.self, at: 10), login: row.decode(String.self, at: 11),
                name: row.decode(String.self, at: 12), email: row.decode(String?.self, at: 13),
                language: row.decode(String?.self, at: 14), disabled: row.decode(Bool.self, at: 15))
            let (role, party) = try (row.decode(String.self, at: 16), row.decode(ID<Party>?.self, at: 17))
            if (subscription.lastUsedAt ?? .distantPast).timeIntervalSinceNow < -60 {
                _ = try await connection.execute(
                    "UPDATE web_calendar_tokens SET last_used_at = now() WHERE id = \(subscription.id)")
            }
            let record = WebCalendarRecord(
                token: subscription, user: user,
                office: WebOfficeRole(office: subscription.office, role: WebRole(rawValue: role) ?? .viewer, party: party))
            return try await body(record, OfficeSession(connection: connection, office: subscription.office))
        }
    }
}
