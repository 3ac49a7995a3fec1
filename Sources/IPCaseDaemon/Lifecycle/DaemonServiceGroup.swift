import Logging
import ServiceLifecycle

/// Assembles the daemon's `ServiceGroup` in the order that makes start-up and draining right.
///
/// Start order (shutdown runs in reverse):
/// 1. `WatchdogService` — stopped last, so pings continue while work drains;
/// 2. `MetricsHTTPServer` — answers `/metrics` and (503) `/healthz` during the drain;
/// 3. `ConfigurationReloadService` — SIGHUP;
/// 4. the work services (the seam for the database services: listener, workers, sweeper,
///    notification sender), which finish in-flight batches when told to shut down;
/// 5. `SystemdNotifyService` — first to hear shutdown: `STOPPING=1`.
///
/// SIGTERM and SIGINT start a graceful shutdown; after `configuration.shutdownTimeout` the
/// remaining work is cancelled.
public struct DaemonServiceGroup {
    /// The assembled group; run it with `try await group.run()`.
    public let group: ServiceGroup

    /// Assembles the group.
    /// - Parameters:
    ///   - configuration: supplies the shutdown timeout.
    ///   - watchdog: the watchdog, when systemd asked for one.
    ///   - metricsServer: the metrics and health endpoint.
    ///   - reloader: the SIGHUP reloader.
    ///   - workServices: the daemon's work (use `.gracefullyShutdownGroup` as success behaviour for `run --once`).
    ///   - notifyService: the readiness/stopping notifier.
    ///   - logger: the group's logger.
    public init(
        configuration: DaemonConfiguration,
        watchdog: WatchdogService?,
        metricsServer: MetricsHTTPServer?,
        reloader: ConfigurationReloadService?,
        workServices: [ServiceGroupConfiguration.ServiceConfiguration],
        notifyService: SystemdNotifyService,
        logger: Logger
    ) {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watchdog { services.append(.init(service: watchdog, serviceName: "watchdog")) }
        if let metricsServer { services.append(.init(service: metricsServer, serviceName: "metrics")) }
        if let reloader { services.append(.init(service: reloader, serviceName: "reloader")) }
        services += workServices
        services.append(.init(service: notifyService, serviceName: "systemd-notify"))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        groupConfiguration.maximumCancellationDuration = .seconds(10)
        self.group = ServiceGroup(configuration: groupConfiguration)
    }
}
