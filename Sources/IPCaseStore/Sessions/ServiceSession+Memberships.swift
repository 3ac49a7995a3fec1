import IPCase
import PostgresClient

/// A personal login's membership of one office: with it, row-level security admits the
/// office's rows to that login's sessions (Schema/0070_office_members.sql).
public struct OfficeMembership: Sendable, Hashable {
    /// What a member may do in the office.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// An officer who answers for the office's members.
        case admin
        /// Reads and writes every record of the office.
        case officer
        /// Reads and writes (the web workspace narrows it to rights and deadlines).
        case attorney
        /// Reads only.
        case viewer
    }

    /// The login role's name, e.g. `aliya`.
    public var login: String
    /// The office.
    public var office: ID<Office>
    /// The role in that office.
    public var role: Role

    /// A membership.
    public init(login: String, office: ID<Office>, role: Role) {
        self.login = login
        self.office = office
        self.role = role
    }
}

extension ServiceSession {
    /// Makes `login` a member of `office` with `role` (or changes its role). Provisioning: only
    /// the owner may change memberships.
    ///
    /// - Throws: ``StoreError/notFound(record:)`` for an office that does not exist;
    ///   ``StoreError/invalid(record:reason:)`` when `login` is not a login role of ipcase_app or
    ///   ipcase_report (a membership would give it nothing).
    @discardableResult
    public func grantMembership(login: String, office: ID<Office>, role: OfficeMembership.Role) async throws
        -> OfficeMembership
    {
        let record = "membership of \(login) in office \(office.rawValue)"
        let (officeExists, isLogin, isPersonal) = try await connection.query(
            """
            SELECT EXISTS (SELECT FROM offices WHERE office_id = \(office)),
                   r.rolcanlogin IS TRUE,
                   coalesce(pg_has_role(r.oid, 'ipcase_app', 'USAGE') OR pg_has_role(r.oid, 'ipcase_report', 'USAGE'), false)
            FROM (SELECT) AS one LEFT JOIN pg_catalog.pg_roles r ON r.rolname = \(login)
            """
        )[0].decode(Bool.self, Bool.self, Bool.self)
        guard officeExists else { throw StoreError.notFound(record: "office \(office.rawValue)") }
        guard isLogin else {
            throw StoreError.invalid(record: record, reason: "there is no login role named \(login)")
        }
        guard isPersonal else {
            throw StoreError.invalid(
                record: record,
                reason: "\(login) is a member of neither ipcase_app nor ipcase_report, so an office gives it nothing")
        }
        _ = try await naming(record) {
            try await connection.execute(
                """
                INSERT INTO office_members (office_id, login, role) VALUES (\(office), \(login), \(role.rawValue))
                ON CONFLICT (login, office_id) DO UPDATE SET role = excluded.role
                WHERE office_members.role IS DISTINCT FROM excluded.role
                """)
        }
        return OfficeMembership(login: login, office: office, role: role)
    }

    /// Ends `login`'s membership of `office`; returns whether there was one.
    @discardableResult
    public func revokeMembership(login: String, office: ID<Office>) async throws -> Bool {
        try await connection.execute(
            "DELETE FROM office_members WHERE office_id = \(office) AND login = \(login)") > 0
    }

    /// The memberships of `office` (of every office when `nil`), by office and login.
    public func memberships(of office: ID<Office>? = nil) async throws -> [OfficeMembership] {
        try await connection.query(
            """
            SELECT office_id, login, role FROM office_members
            WHERE \(office?.rawValue)::bigint IS NULL OR office_id = \(office?.rawValue)
            ORDER BY office_id, login
            """
        ).map { row in
            let (office, login, role) = try row.decode(ID<Office>.self, String.self, String.self)
            guard let role = OfficeMembership.Role(rawValue: role) else {
                throw StoreError.invalid(record: "membership of \(login)", reason: "unknown role \(role)")
            }
            return OfficeMembership(login: login, office: office, role: role)
        }
    }
}
