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
/// reports the database unhealthy, reconnects with exponential backoff, LISTENs again and rings
/// (a re-scan: notifications sent meanwhile were lost).
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
            var backoff = Backoff()
            var checked = false
            while true {
                try Task.checkCancellation()
                do {
                    let connection = try await PostgresConnection.connect(
                        url: databaseURL.secret.revealed(), applicationName: "ipcased listener", logger: logger)
                    if !checked {
                        let pending = try await Migrator.embedded(logger: logger).status(on: connection).filter {
                            switch $0.state {
                            case .applied: false
                            case .pending, .changed, .unknown: true
                            }
                        }
                        if !pending.isEmpty {
                            logger.critical(
                                "The database schema is not current: run ipcased migrate",
                                metadata: ["migrations": "\(pending.map(\.description).joined(separator: "; "))"])
                            throw PendingMigrationsError(migrations: pending.map(\.fileName))
                        }
                        checked = true
                    }
                    try await connection.listen(jobsChannel)
                    backoff.reset()
                    context.health.setReady("database")
                    logger.info("listening for queued jobs", metadata: ["channel": "\(jobsChannel)"])
                    // Jobs queued while nobody listened: have the workers look.
                    doorbell.open()
                    while true {
                        if try await connection.nextNotification(timeout: .seconds(30)) != nil {
                            doorbell.ring()
                        } else {
                            // Quiet for 30 s: make sure the connection is still there.
                            _ = try await connection.query("SELECT 1")
                        }
                    }
                } catch let error as PendingMigrationsError {
                    throw error
                } catch let error as CancellationError {
                    throw error
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    try MissingPrivilegeError.stopIfMissingPrivilege(error, service: "listener", logger: logger)
                    let pause = backoff.next()
                    context.health.setUnhealthy("database", reason: "connection lost; reconnecting")
                    logger.warning(
                        "listener lost the database; reconnecting",
                        metadata: ["error": "\(error)", "retry.after": "\(pause)"])
                    try await Task.sleep(for: pause)
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
