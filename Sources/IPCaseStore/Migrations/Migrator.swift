import Foundation
import Logging
import PostgresClient

/// Applies schema migrations in order, each in its own transaction, recorded in `schema_migrations`.
///
/// A session advisory lock serializes concurrent migrators (each file is applied once); an
/// applied file whose SHA-256 changed is refused.
///
/// ```swift
/// let report = try await Migrator.embedded().migrate(on: connection)
/// for migration in report.applied { print("applied", migration.fileName) }
/// ```
public struct Migrator: Sendable {
    /// The advisory lock key held while migrating ("IPCase" in ASCII).
    public static let advisoryLockKey: Int64 = 0x4950_4361_7365

    /// The migrations, ordered by version.
    public let migrations: [Migration]
    private let logger: Logger

    /// A migrator over an explicit list (e.g. for tests).
    ///
    /// - Throws: ``MigrationError`` `.duplicateVersion` when two share a version.
    public init(migrations: [Migration], logger: Logger = Logger(label: "IPCaseStore.Migrator")) throws(MigrationError) {
        self.migrations = try Migration.ordered(migrations)
        self.logger = logger
    }

    /// A migrator over the `Schema/*.sql` files embedded in this binary.
    public static func embedded(logger: Logger = Logger(label: "IPCaseStore.Migrator")) throws(MigrationError) -> Migrator {
        try Migrator(migrations: Migration.embedded(), logger: logger)
    }

    /// What ``migrate(on:)`` did.
    public struct Report: Sendable {
        /// The migrations applied by this run, in order.
        public var applied: [Migration]
        /// How many were already applied before.
        public var alreadyApplied: Int
    }

    /// Applies every pending migration, each in its own transaction.
    ///
    /// - Throws: ``MigrationError`` naming the file (edited after being applied, unknown to this
    ///   binary, or failing SQL — then nothing of that file is applied), or `PostgresError`.
    public func migrate(on connection: PostgresConnection) async throws -> Report {
        try await withLock(on: connection) {
            let applied = try await verifiedApplied(on: connection)
            let pending = migrations.filter { applied[$0.version] == nil }
            var report = Report(applied: [], alreadyApplied: migrations.count - pending.count)
            for migration in pending {
                try await apply(migration, on: connection)
                report.applied.append(migration)
            }
            return report
        }
    }

    /// The state of every migration known to this binary or recorded in the database.
    ///
    /// Read-only: no lock, no DDL, so any login that may read `schema_migrations` can ask
    /// (the daemon does at start). A database never migrated has every migration pending.
    public func status(on connection: PostgresConnection) async throws -> [MigrationStatus] {
        let applied = try await appliedRowsIfRecorded(on: connection)
        let checksums = try await self.checksums(on: connection)
        var statuses: [MigrationStatus] = []
        for (migration, checksum) in zip(migrations, checksums) {
            let state: MigrationStatus.State
            if let row = applied[migration.version] {
                state = row.checksum == checksum ? .applied(at: row.appliedAt) : .changed(appliedAt: row.appliedAt)
            } else {
                state = .pending
            }
            statuses.append(MigrationStatus(version: migration.version, fileName: migration.fileName, state: state))
        }
        let known = Set(migrations.map(\.version))
        for row in applied.values where !known.contains(row.version) {
            statuses.append(MigrationStatus(version: row.version, fileName: row.fileName, state: .unknown(appliedAt: row.appliedAt)))
        }
        return statuses.sorted { $0.version < $1.version }
    }

    // MARK: Steps

    private struct AppliedRow: Sendable {
        var version: Int
        var fileName: String
        var checksum: String
        var appliedAt: Date
    }

    /// Holds the session advisory lock around `body` and makes sure `schema_migrations` exists.
    private func withLock<T: Sendable>(
        on connection: PostgresConnection, _ body: () async throws -> T
    ) async throws -> T {
        try await connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        do {
            try await connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let value = try await body()
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
            return value
        } catch {
            _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
            throw error
        }
    }

    /// The applied rows, or none when `schema_migrations` does not exist yet (nothing created).
    private func appliedRowsIfRecorded(on connection: PostgresConnection) async throws -> [Int: AppliedRow] {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0]
            .decode(Bool.self, at: 0)
        return exists ? try await appliedRows(on: connection) : [:]
    }

    private func appliedRows(on connection: PostgresConnection) async throws -> [Int: AppliedRow] {
        var rows: [Int: AppliedRow] = [:]
        for row in try await connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations") {
            let (version, name, checksum, appliedAt) = try row.decode(Int.self, String.self, String.self, Date.self)
            rows[version] = AppliedRow(version: version, fileName: name, checksum: checksum, appliedAt: appliedAt)
        }
        return rows
    }

    /// The applied migrations, after checking each against this binary's files.
    private func verifiedApplied(on connection: PostgresConnection) async throws -> [Int: AppliedRow] {
        let applied = try await appliedRows(on: connection)
        let checksums = try await self.checksums(on: connection)
        let known = Dictionary(uniqueKeysWithValues: zip(migrations.map(\.version), zip(migrations, checksums)))
        for row in applied.values.sorted(by: { $0.version < $1.version }) {
            guard let (migration, checksum) = known[row.version] else {
                throw MigrationError(
                    .unknownAppliedVersion, fileName: row.fileName,
                    reason: "the database has this migration (version \(row.version)) but this program does not; use a newer ipcase")
            }
            guard checksum == row.checksum else {
                throw MigrationError(
                    .checksumMismatch, fileName: migration.fileName,
                    reason: "the file was edited after it was applied on \(row.appliedAt) (SHA-256 \(row.checksum.prefix(12))… in the database, \(checksum.prefix(12))… now); restore it and add a new migration instead")
            }
        }
        return applied
    }

    /// SHA-256 (hex) of every migration's SQL as UTF-8, computed by the server.
    private func checksums(on connection: PostgresConnection) async throws -> [String] {
        if migrations.isEmpty { return [] }
        let texts = migrations.map(\.sql)
        return try await connection.query(
            """
            SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex')
            FROM unnest(\(texts)::text[]) WITH ORDINALITY AS files(sql, position) ORDER BY position
            """
        ).map { try $0.decode(String.self) }
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await connection.withTransaction(retries: 0) { connection in
                try await connection.executeScript(migration.sql)
                try await connection.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.fileName), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """)
            }
        } catch let error as PostgresError {
            throw MigrationError(.failed, fileName: migration.fileName, reason: Self.explain(error, in: migration.sql))
        }
        logger.debug(
            "migration applied",
            metadata: ["migration.file": "\(migration.fileName)", "migration.duration": "\(clock.now - start)"])
    }

    /// The server's message with the line it points at (migration SQL is ours, never user data).
    private static func explain(_ error: PostgresError, in sql: String) -> String {
        var text = "failed, nothing of it was applied: "
        text += error.sqlState.map { "SQLSTATE \($0): " } ?? ""
        text += error.message ?? error.reason ?? "\(error)"
        if let position = error.statementPosition, position > 0 {
            let line = sql.prefix(position).reduce(into: 1) { count, character in if character == "\n" { count += 1 } }
            text += " (line \(line))"
        }
        return text
    }
}

/// Whether one migration is applied, pending, changed since applied, or unknown to this binary.
public struct MigrationStatus: Sendable, Hashable, CustomStringConvertible {
    /// The state of a migration.
    public enum State: Sendable, Hashable {
        /// Applied, and the file is unchanged.
        case applied(at: Date)
        /// Not applied yet.
        case pending
        /// Applied, but the file was edited since: `migrate` refuses to run.
        case changed(appliedAt: Date)
        /// Recorded in the database, unknown to this binary (the database is newer).
        case unknown(appliedAt: Date)
    }

    /// The version.
    public var version: Int
    /// The file name.
    public var fileName: String
    /// The state.
    public var state: State

    /// One line, e.g. `applied  0001_foundation.sql  2026-01-01T10:00:00Z`.
    public var description: String {
        switch state {
        case .applied(let at): "applied   \(fileName)  \(at.ISO8601Format())"
        case .pending: "pending   \(fileName)"
        case .changed(let at): "CHANGED   \(fileName)  applied \(at.ISO8601Format()), edited since"
        case .unknown(let at): "UNKNOWN   \(fileName)  applied \(at.ISO8601Format()), not in this program"
        }
    }
}
