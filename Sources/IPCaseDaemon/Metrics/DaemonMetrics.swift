import CoreMetrics
import Prometheus

/// The daemon's metrics, exported in the Prometheus text format by `MetricsHTTPServer`.
///
/// Built on swift-metrics handles backed by a `PrometheusCollectorRegistry` of its own, so
/// tests can create as many independent instances as they like. Workers, the sweeper and
/// the sender increment the counters; the queue observer sets the gauges.
///
/// ```swift
/// let metrics = DaemonMetrics()
/// metrics.jobsProcessed.increment(by: batch.count)
/// metrics.queueDepth.set(Double(depth))
/// print(metrics.prometheusText())
/// ```
public final class DaemonMetrics: Sendable {
    /// The registry holding every metric (also usable for `MetricsSystem.bootstrap`).
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into `registry`.
    public let factory: PrometheusMetricsFactory

    /// `ipcase_jobs_processed_total`: jobs completed.
    public let jobsProcessed: CoreMetrics.Counter
    /// `ipcase_jobs_failed_total`: job attempts that failed (and will be retried or parked).
    public let jobsFailed: CoreMetrics.Counter
    /// `ipcase_jobs_dead_total`: jobs parked as dead after their last attempt.
    public let jobsDead: CoreMetrics.Counter
    /// `ipcase_queue_depth`: jobs waiting to be processed.
    public let queueDepth: CoreMetrics.Meter
    /// `ipcase_oldest_job_age_seconds`: age of the oldest waiting job.
    public let oldestJobAgeSeconds: CoreMetrics.Meter
    /// `ipcase_deadlines_due_7d`: open deadlines due within seven days.
    public let deadlinesDue7d: CoreMetrics.Meter

    /// Metrics registered in `registry` (a new one by default).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        self.jobsProcessed = Counter(label: "ipcase_jobs_processed_total", factory: factory)
        self.jobsFailed = Counter(label: "ipcase_jobs_failed_total", factory: factory)
        self.jobsDead = Counter(label: "ipcase_jobs_dead_total", factory: factory)
        self.queueDepth = Meter(label: "ipcase_queue_depth", factory: factory)
        self.oldestJobAgeSeconds = Meter(label: "ipcase_oldest_job_age_seconds", factory: factory)
        self.deadlinesDue7d = Meter(label: "ipcase_deadlines_due_7d", factory: factory)
        for channel in Self.channels {
            _ = notificationsSent(channel: channel)
            _ = notificationsFailed(channel: channel)
        }
    }

    /// The channels whose counters exist from the start (at zero), so dashboards see them.
    static let channels = ["webhook", "email"]

    /// `ipcase_notifications_sent_total{channel=…}`: notifications delivered through `channel`.
    public func notificationsSent(channel: String) -> CoreMetrics.Counter {
        Counter(label: "ipcase_notifications_sent_total", dimensions: [("channel", channel)], factory: factory)
    }

    /// `ipcase_notifications_failed_total{channel=…}`: notifications given up on (permanent failure or out of attempts).
    public func notificationsFailed(channel: String) -> CoreMetrics.Counter {
        Counter(label: "ipcase_notifications_failed_total", dimensions: [("channel", channel)], factory: factory)
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        registry.emitToString()
    }
}
