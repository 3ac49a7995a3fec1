import IPCase
import IPCaseStore
import Logging
import PostgresClient
import ServiceLifecycle

/// Listens for queued jobs (`LISTEN ipcase_jobs`) on its own connection and rings the workers'
/// doorbell; the workers' sweep interval is the floor when notifications are lost.
///
/// At start it checks that the schema is current (reading only, as the daemon's login may): with
/// pending migrations it logs "run ipcased migrate" and fails (the daemon exits non-zero). A
/// refused login or privilege stops it with ``MissingPrivilegeError``. Once connected and checked, the database
/// component is ready (`READY=1`) and the doorbell opens. After losing the connection it
/// reports the database unhealthy, reconnects through its ``DatabaseLink``, checks the schema,
/// LISTENs again and rings (a re-scan: notifications sent meanwhile were lost).
public struct JobListener: Service {
    private let databaseURL: DatabaseURL
    private let context: DaemonContext
    private let doorbell: JobDoorbell

    /// A listener; the daemon's health then requires `"database"`.
    public init(databaseURL: DatabaseURL, context: DaemonContext, doorbell: JobDoorbell) {
        self.databaseURL = databaseURL
        self.context = context
        self.doorbell = doorbell
        context.health.require("database")
    }

    /// Listens until graceful shutdown.
    /// - Throws: ``PendingMigrationsError`` when the schema is behind this program.
    public func run() async throws {
        let (databaseURL, context, doorbell) = (self.databaseURL, self.context, self.doorbell)
        let logger = {
            var logger = context.logger
            logger[metadataKey: "service"] = "listener"
            return logger
        }()
        do {
            try await listen(databaseURL: databaseURL, context: context, doorbell: doorbell, logger: logger)
        } catch is CancellationError where Task.isShuttingDownGracefully {
            // Shutdown cancelled the wait for notifications: a normal end.
        }
    }

    private func listen(databaseURL: DatabaseURL, context: DaemonContext, doorbell: JobDoorbell, logger: Logger)
        async throws
    {
        try await cancelWhenGracefulShutdown {
            let link = DatabaseLink<PostgresConnection>(
                service: "listener", logger: logger,
                open: {
                    let connection = try await PostgresConnection.connect(
                        url: databaseURL.secret.revealed(), applicationName: "ipcased listener", logger: logger)
                    // Checked on every connection: the schema may have changed while the database was away.
                    let pending = try await Migrator.embedded(logger: logger).status(on: connection).filter {
                        switch $0.state {
                        case .applied: false
                        case .pending, .changed, .unknown: true
                        }
                    }
                    if !pending.isEmpty {
                        await connection.close()
                        logger.critical(
                            "The database schema is not current: run ipcased migrate",
                            metadata: ["migrations": "\(pending.map(\.description).joined(separator: "; "))"])
                        throw PendingMigrationsError(migrations: pending.map(\.fileName))
                    }
                    // A release whose rules or calendars differ recounts every open deadline.
                    // (From the embedded files: an idle daemon does not load the rule book for it.)
                    let fingerprint = RuleBook.embeddedFingerprint
                    let queued = try await Store(connection: connection, logger: logger).withService(
                        actor: "ipcased"
                    ) { session in
                        try await session.recordEngineDataFingerprint(
                            fingerprint, reason: "recounted by this release's rules and calendars (\(fingerprint))")
                    }
                    if queued > 0 {
                        logger.notice(
                            "The rules or calendars changed with this release: open deadlines queued for recomputation",
                            metadata: ["rights": "\(queued)", "fingerprint": "\(fingerprint)"])
                    }
                    try await connection.listen(jobsChannel)
                    return connection
                },
                close: { await $0.close() },
                onFailure: { _, _ in context.health.setUnhealthy("database", reason: "connection lost; reconnecting") })
            while true {
                try Task.checkCancellation()
                _ = try await link.withConnection { connection in
                    link.succeeded()
                    context.health.setReady("database")
                    logger.info("listening for queued jobs", metadata: ["channel": "\(jobsChannel)"])
                    // Jobs queued while nobody listened: have the workers look.
                    doorbell.open()
                    while true {
                        if try await connection.nextNotification(timeout: .seconds(30)) != nil {
                            doorbell.ring()
                        } else {
                            // Quiet for 30 s: make sure the connection is still there.
                            _ = try await connection.query(BatchStatements.ping)
                        }
                    }
                }
            }
        }
    }
}

/// The database has migrations this program has not applied (or does not know).
public struct PendingMigrationsError: Error, Sendable, CustomStringConvertible {
    /// The files not applied (or changed, or unknown).
    public var migrations: [String]

    /// "the database schema is not current (…): run ipcased migrate".
    public var description: String {
        "the database schema is not current (\(migrations.joined(separator: ", "))): run ipcased migrate"
    }
}
