import ArgumentParser
import CoreMetrics
import Foundation
import IPCaseDaemon
import Logging
import ServiceLifecycle

/// `ipcased run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon until SIGTERM (systemd Type=notify; SIGHUP reloads the configuration).",
        discussion: """
            Exit status: 0 after a graceful shutdown, 1 when a service failed, 2 for an invalid configuration.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loader = options.loader(environment: environment)
        let configuration: DaemonConfiguration
        do {
            configuration = try loader.load()
        } catch {
            report(error)
            throw configurationErrorExitCode
        }
        try await runDaemon(configuration: configuration, loader: loader, environment: environment)
    }
}

/// Bootstraps logging and metrics, assembles the services and runs them until shutdown.
func runDaemon(configuration: DaemonConfiguration, loader: ConfigurationLoader, environment: [String: String])
    async throws
{
    signal(SIGPIPE, SIG_IGN)
    let logLevel = SharedLogLevel(configuration.logLevel)
    let journal = DaemonLogHandler.isJournalStream(environment: environment)
    LoggingSystem.bootstrap { DaemonLogHandler(label: $0, level: logLevel, journal: journal) }
    let logger = Logger(label: "ipcased")

    let metrics = DaemonMetrics()
    MetricsSystem.bootstrap(metrics.factory)
    let context = DaemonContext(
        configuration: ConfigurationStore(configuration),
        health: DaemonHealth(),
        metrics: metrics,
        notifier: SystemdNotifier(environment: environment),
        logger: logger
    )
    logger.info(
        "Starting ipcased",
        metadata: [
            "database": "\(configuration.databaseURL)",
            "workers": "\(configuration.workers)",
            "metrics.address": "\(configuration.metricsListen)",
            "systemd.notify": "\(context.notifier.isEnabled)",
        ])

    let metricsServer: MetricsHTTPServer
    do {
        metricsServer = try MetricsHTTPServer(
            listen: configuration.metricsListen, metrics: metrics, health: context.health, logger: logger)
    } catch {
        logger.critical("Cannot start the metrics endpoint", metadata: ["error": "\(error)"])
        throw ExitCode(1)
    }
    let health = context.health
    // Liveness only: a lost database connection is reconnected in-process (health says
    // unhealthy meanwhile) and must not stop the pings, or systemd would restart the daemon.
    let watchdog = WatchdogTimeout(environment: environment).map { timeout in
        WatchdogService(notifier: context.notifier, timeout: timeout, logger: logger)
    }
    let reloader = ConfigurationReloadService(
        store: context.configuration, notifier: context.notifier, logLevel: logLevel,
        load: { () throws(ConfigurationError) -> DaemonConfiguration in try loader.load() }, logger: logger)
    let started = ContinuousClock.now
    let notify = SystemdNotifyService(
        notifier: context.notifier, health: health,
        status: { "\(health.status); up \((ContinuousClock.now - started).components.seconds) s" },
        logger: logger)

    let group = DaemonServiceGroup(
        configuration: configuration,
        watchdog: watchdog,
        metricsServer: metricsServer,
        reloader: reloader,
        workServices: try makeWorkServices(context: context),
        notifyService: notify,
        logger: logger
    )
    do {
        try await group.group.run()
    } catch {
        logger.critical("ipcased stopped after a failure", metadata: ["error": "\(error)"])
        throw ExitCode(1)
    }
    logger.info("ipcased stopped")
}

/// The daemon's work: the seam where the database services are added.
///
/// The listener (LISTEN/NOTIFY with reconnect), the job workers, the deadline sweeper and
/// the outbox notification sender go here, built from `context`. A service that needs the
/// database before the daemon counts as ready calls `context.health.require("database")`
/// here and `setReady("database")` once connected and migrations are current; `READY=1`
/// waits for it. For `run --once`, give the workers `successTerminationBehavior:
/// .gracefullyShutdownGroup` so the daemon stops when nothing is due.
func makeWorkServices(context: DaemonContext) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
    // Deadline sweeper and outbox sender (a sweep that wrote messages wakes the sender).
    let outbox = OutboxSenderService(context: context)
    let sweeper = DeadlineSweepService(context: context, outboxWake: outbox.wake)
    return [.init(service: sweeper), .init(service: outbox)]
}
