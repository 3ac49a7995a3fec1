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
            Exit status: 0 after a graceful shutdown, 1 when a service failed, 2 for an invalid configuration, \
            77 when the database refused the login or a privilege it needs (the log names which).
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Process until no job is due, then exit 0 (for tests and cron).")
    var once = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loader = options.loader(environment: environment)
        let configuration = try options.load(with: loader)
        try await runDaemon(configuration: configuration, loader: loader, environment: environment, once: once)
    }
}

/// Bootstraps logging and metrics, assembles the services and runs them until shutdown.
func runDaemon(
    configuration: DaemonConfiguration, loader: ConfigurationLoader, environment: [String: String], once: Bool = false
) async throws {
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
        workServices: try makeWorkServices(context: context, once: once),
        notifyService: notify,
        logger: logger
    )
    do {
        try await group.group.run()
    } catch is MissingPrivilegeError {
        // Logged by the service that was refused; restarting cannot help (RestartPreventExitStatus).
        throw ExitCode(MissingPrivilegeError.exitCode)
    } catch {
        logger.critical("ipcased stopped after a failure", metadata: ["error": "\(error)"])
        throw ExitCode(1)
    }
    logger.info("ipcased stopped")
}

/// The daemon's work: the seam where the database services are added.
///
/// The listener (LISTEN/NOTIFY with reconnect, schema check, `database` readiness) comes first,
/// then `workers` job workers, the deadline sweeper and the outbox sender (a sweep that wrote
/// messages wakes the sender). With `once`, the sweeper ends the run: when no job is due or
/// running it sweeps (again after a lapse it made is processed), then shuts the group down
/// gracefully (the workers finish their batch).
func makeWorkServices(context: DaemonContext, once: Bool = false) throws
    -> [ServiceGroupConfiguration.ServiceConfiguration]
{
    let configuration = context.configuration.current
    let doorbell = JobDoorbell()
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(
            service: JobListener(databaseURL: configuration.databaseURL, context: context, doorbell: doorbell),
            serviceName: "listener")
    ]
    let host = ProcessInfo.processInfo.hostName
    let instance = UInt32.random(in: 0...UInt32.max)
    for index in 1...max(1, configuration.workers) {
        let worker = JobWorker(
            name: "\(host):\(getpid()):\(instance):\(index)", databaseURL: configuration.databaseURL,
            context: context, doorbell: doorbell, mode: .continuous)
        services.append(.init(service: worker, successTerminationBehavior: .cancelGroup, serviceName: "worker-\(index)"))
    }
    let outbox = OutboxSenderService(context: context)
    let sweeper = DeadlineSweepService(context: context, outboxWake: outbox.wake, once: once ? doorbell : nil)
    services += [
        .init(service: sweeper, successTerminationBehavior: once ? .gracefullyShutdownGroup : .cancelGroup),
        .init(service: outbox),
    ]
    return services
}
