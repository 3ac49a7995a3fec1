import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import Logging
import PostgresClient
import PostgresServer

/// A fresh, migrated database for one suite, with stores as the owner and as the daemon role.
struct SweeperTestDatabase: Sendable {
    /// The database's URL as the superuser (owner of the schema).
    let url: String
    /// A superuser connection, for seeding and checking.
    let admin: PostgresConnection

    static func migrated(prefix: String) async throws -> SweeperTestDatabase {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: prefix)
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        return SweeperTestDatabase(url: url, admin: admin)
    }

    /// A store connected as a new non-superuser login role in `ipcase_daemon`, as ipcased runs.
    func daemonStore() async throws -> Store {
        let name = "t_daemon_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw\(UInt64.random(in: 0...UInt64.max))"
        try await admin.executeScript(
            """
            CREATE ROLE \(PostgresQuery.quoteIdentifier(name)) LOGIN NOSUPERUSER NOBYPASSRLS
                PASSWORD '\(password)' IN ROLE ipcase_daemon
            """)
        guard let scheme = url.range(of: "://") else { fatalError("unexpected test database URL") }
        let rest = url[scheme.upperBound...]
        let host = rest.firstIndex(of: "@").map { rest[rest.index(after: $0)...] } ?? rest
        let connection = try await PostgresConnection.connect(
            url: "\(url[..<scheme.upperBound])\(name):\(password)@\(host)")
        return Store(connection: connection)
    }

    /// A store as the superuser.
    func ownerStore() async throws -> Store {
        Store(connection: try await PostgresConnection.connect(url: url))
    }

    /// One integer from a query run as the superuser.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await admin.query(query)[0].decode(Int.self, at: 0)
    }

    /// Claims and processes every due job as the daemon role, as worker `worker`.
    func processQueued(_ daemon: Store, worker: String) async throws -> BatchOutcome {
        let jobs = try await daemon.withService(actor: "test") { session in
            try await session.claimJobs(limit: 100, lease: .seconds(30), worker: worker)
        }
        let processor = JobBatchProcessor(
            retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10)), worker: worker,
            logger: Logger(label: "test"))
        return try await processor.process(jobs, on: daemon.connection)
    }

    /// Runs `body` in an office session of `office` as the owner, on a connection of its own.
    func asOwner<T: Sendable>(_ office: ID<Office>, _ body: @Sendable (OfficeSession) async throws -> T)
        async throws -> T
    {
        let owner = try await ownerStore()
        let result = try await owner.withOffice(office, actor: "tto", body)
        await owner.connection.close()
        return result
    }

    /// The outbox keys, sorted.
    func outboxKeys(like pattern: String = "%") async throws -> [String] {
        try await admin.query(
            "SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE \(pattern) ORDER BY 1"
        )
        .map { try $0.decode(String.self, at: 0) }
    }
}

/// An office with an attorney (with e-mail) and a supervisor, made through the store.
struct SweeperOffice: Sendable {
    let office: ID<Office>
    let attorney: ID<Party>
    static let attorneyEmail = "a.attorney@example.kz"
    static let supervisorEmail = "head@example.kz"

    static func create(
        in database: SweeperTestDatabase, name: String, timeZone: String = "Asia/Almaty",
        supervisor: Bool = true
    ) async throws -> SweeperOffice {
        let owner = try await database.ownerStore()
        let office = try await owner.withService(actor: "provisioning") { session in
            try await session.createOffice(
                Office(
                    id: 0, name: name, region: .almatyCity, kind: .university, timeZoneIdentifier: timeZone),
                supervisor: supervisor ? Supervisor(name: "Head of Office", email: supervisorEmail) : nil)
        }.id
        let attorney = try await owner.withOffice(office, actor: "seed") { session in
            let party = try await session.createParty(
                Party(id: 0, kind: .person, name: "Aigerim Attorney", roles: [.attorney], sector: .other))
            _ = try await session.connection.execute(
                "UPDATE parties SET email = \(attorneyEmail) WHERE office_id = \(office) AND id = \(party.id)"
            )
            return party.id
        }
        await owner.connection.close()
        return SweeperOffice(office: office, attorney: attorney)
    }

    /// A right in force, made through the store.
    func right(
        in database: SweeperTestDatabase, reference: String, jurisdiction: Jurisdiction,
        applicationNumber: String
    ) async throws -> ID<Right> {
        let owner = try await database.ownerStore()
        let office = self.office
        let attorney = self.attorney
        let right = try await owner.withOffice(office, actor: "seed") { session in
            try await session.createRight(
                Right(
                    id: 0, office: office, reference: reference, title: "Sorbent for heavy metals",
                    jurisdiction: jurisdiction, kind: .patent, responsibleAttorney: attorney,
                    applicationNumber: applicationNumber, filingDate: try CivilDate(iso: "2020-03-31"),
                    grantDate: try CivilDate(iso: "2023-06-01"), registrationNumber: "R-\(reference)",
                    state: .inForce))
        }.id
        await owner.connection.close()
        return right
    }

    /// Inserts a deadline as the owner; returns its key.
    func deadline(
        in database: SweeperTestDatabase, right: ID<Right>? = nil, agreement: ID<Agreement>? = nil,
        type: String = "renewal", year: Int = 5, due: CivilDate, final: CivilDate,
        status: String = "open",
        ruleID: String = "ep.renewal", citation: String = "EPC Rule 51(1)"
    ) async throws -> Int64 {
        let completedAt: String? = status == "open" ? nil : "2026-01-01 00:00:00+00"
        return try await database.admin.query(
            """
            INSERT INTO deadlines (office_id, right_id, agreement_id, rule_id, type, year, trigger_key, nominal_date,
                                   due_date, final_date, status, citation, completed_at)
            VALUES (\(office), \(right), \(agreement), \(ruleID), \(type), \(year), \("test:\(UUID().uuidString)"),
                    \(due), \(due), \(final), \(status), \(citation), \(completedAt)::timestamptz)
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }
}

extension CivilDate {
    /// A date from an ISO literal known to be valid.
    static func iso(_ text: String) -> CivilDate {
        // Test literals are valid dates.
        try! CivilDate(iso: text)
    }
}
