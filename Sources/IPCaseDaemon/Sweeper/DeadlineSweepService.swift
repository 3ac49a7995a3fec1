import Foundation
import IPCase
import IPCaseStore
import Logging
import ServiceLifecycle

/// The deadline sweeper as a service: sweeps every `sweep_interval` (or at once when woken),
/// on its own database connection (a ``DatabaseLink``: reconnected after a failure).
///
/// On graceful shutdown the step in progress (one transaction) completes and the sweep stops
/// there; the next run goes on where it stopped.
///
/// In a `--once` run (`once` set to the workers' doorbell) it ends the run instead: once the
/// schema is checked it waits until no job is due or running, sweeps, and repeats while the
/// sweep queued work (a lapse's recomputation and notice), then returns, which shuts the group
/// down gracefully. So the sweep sees every event recorded before the run processed.
public struct DeadlineSweepService: Service {
    /// Raise it to sweep before the interval runs out (e.g. after deadlines were recomputed).
    public let wake: WakeSignal
    private let context: DaemonContext
    private let clock: DaemonClock
    private let outboxWake: WakeSignal?
    private let connect: @Sendable () async throws -> Store
    private let once: JobDoorbell?

    /// A sweeper service.
    /// - Parameters:
    ///   - context: configuration (offsets, interval, channels), metrics, logger.
    ///   - clock: where "now" comes from (fixed in tests).
    ///   - wake: wakes the sweeper early.
    ///   - outboxWake: raised after a sweep wrote messages, so the sender delivers them at once.
    ///   - connect: opens the sweeper's connection (by default to `database.url`).
    ///   - once: in a `--once` run, the workers' doorbell (open once the schema is checked).
    public init(
        context: DaemonContext, clock: DaemonClock = .system, wake: WakeSignal = WakeSignal(),
        outboxWake: WakeSignal? = nil, connect: (@Sendable () async throws -> Store)? = nil,
        once: JobDoorbell? = nil
    ) {
        self.once = once
        self.context = context
        self.clock = clock
        self.wake = wake
        self.outboxWake = outboxWake
        self.connect =
            connect ?? { [context] in
                try await DaemonStoreConnector(context: context, applicationName: "ipcased-sweeper")
                    .connect()
            }
    }

    /// The channel new messages are written for: e-mail when configured, else the webhook
    /// (with neither, e-mail: the messages wait until a channel is configured).
    public static func channel(for configuration: DaemonConfiguration) -> OutboxChannel {
        if configuration.mail == nil && configuration.webhook != nil { return .webhook }
        return .email
    }

    /// Sweeps until graceful shutdown (or, in a `--once` run, until the queue is settled and swept).
    public func run() async throws {
        if let once {
            try await runOnce(after: once)
            return
        }
        let logger = context.logger
        let link = DatabaseLink(service: "sweeper", logger: logger, open: connect, close: { await $0.connection.close() })
        var warned: Set<ID<Office>>?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = context.configuration.current
            let swept = try await link.withConnection { store in
                if warned == nil { warned = try await Self.warnOfficesWithoutRecipients(store, logger: logger) }
                let sweeper = DeadlineSweeper(
                    store: store, schedule: ReminderSchedule(offsets: configuration.reminderOffsetsDays),
                    channel: Self.channel(for: configuration), decisions: configuration.renewalDecisionPolicy,
                    logger: logger)
                return try await sweeper.sweep(at: clock.now())
            }
            guard let report = swept else { continue }
            context.metrics.deadlinesDue7d.set(report.dueWithin7Days)
            for office in report.unaddressedOffices.subtracting(warned ?? []).sorted() {
                logger.warning(
                    "Deadline notices of this office reach no one: set its supervisor or its attorneys' e-mail",
                    metadata: ["office.id": "\(office)"])
                warned?.insert(office)
            }
            if report.reminders + report.escalations + report.missed + report.decisionReminders
                + report.decisionEscalations > 0
            {
                logger.info(
                    "Deadline sweep",
                    metadata: [
                        "sweep.reminders": "\(report.reminders)",
                        "sweep.escalations": "\(report.escalations)",
                        "sweep.missed": "\(report.missed)", "sweep.lapsed_rights": "\(report.lapsedRights)",
                        "sweep.lapsed_options": "\(report.lapsedOptions)",
                    ])
                outboxWake?.wake()
            }
            await wake.wait(upTo: configuration.sweepInterval)
        }
        await link.close()
    }
}

extension DeadlineSweepService {
    /// Says once, at start, which offices have no one to notify (no supervisor, no e-mail of
    /// any party); returns them, so that later sweeps do not repeat it.
    static func warnOfficesWithoutRecipients(_ store: Store, logger: Logger) async throws -> Set<ID<Office>> {
        let offices = try await store.withService(actor: DeadlineSweeper.defaultActor) {
            try await $0.officesWithoutRecipients()
        }
        for office in offices {
            logger.warning(
                "Deadline notices of this office reach no one: set its supervisor or its attorneys' e-mail",
                metadata: ["office.id": "\(office.id)", "office.name": "\(office.name)"])
        }
        return Set(offices.map(\.id))
    }

    /// The `--once` run: settle the queue, sweep, until a sweep queues nothing more.
    private func runOnce(after doorbell: JobDoorbell) async throws {
        let logger = context.logger
        try await doorbell.waitUntilOpen()
        let store = try await connect()
        do {
            _ = try await Self.warnOfficesWithoutRecipients(store, logger: logger)
            try await sweepUntilSettled(store)
        } catch {
            await store.connection.close()
            throw error
        }
        await store.connection.close()
        logger.info("no job is due; stopping (--once)")
    }

    private func sweepUntilSettled(_ store: Store) async throws {
        let logger = context.logger
        var sweeps = 0
        while !Task.isCancelled {
            while try await !store.withService(actor: DeadlineSweeper.defaultActor, { try await $0.queueIsSettled() }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let configuration = context.configuration.current
            let sweeper = DeadlineSweeper(
                store: store, schedule: ReminderSchedule(offsets: configuration.reminderOffsetsDays),
                channel: Self.channel(for: configuration), decisions: configuration.renewalDecisionPolicy,
                logger: logger)
            let report = try await sweeper.sweep(at: clock.now())
            sweeps += 1
            context.metrics.deadlinesDue7d.set(report.dueWithin7Days)
            if report.reminders + report.escalations + report.missed + report.decisionReminders
                + report.decisionEscalations > 0
            { outboxWake?.wake() }
            logger.info(
                "Deadline sweep",
                metadata: [
                    "sweep.reminders": "\(report.reminders)", "sweep.escalations": "\(report.escalations)",
                    "sweep.missed": "\(report.missed)", "sweep.lapsed_rights": "\(report.lapsedRights)",
                    "sweep.lapsed_options": "\(report.lapsedOptions)", "sweep.held": "\(report.held)",
                ])
            // A lapse queued its recomputation and notice: process them, then sweep once more.
            if report.lapsedRights + report.lapsedOptions + report.abandonedRights == 0 || sweeps >= 3 { break }
        }
    }
}

/// Opens a store on the configured database for one service.
struct DaemonStoreConnector: Sendable {
    let context: DaemonContext
    let applicationName: String

    func connect() async throws -> Store {
        let url = context.configuration.current.databaseURL.secret.revealed()
        let logger = context.logger
        return try await Store.connect(url: url, applicationName: applicationName, logger: logger)
    }
}

extension DaemonConfiguration {
    /// The renewal decisions' lead time, reminder steps and escalation window.
    public var renewalDecisionPolicy: RenewalDecisionPolicy {
        RenewalDecisionPolicy(
            leadDays: decisionLeadDays, escalationDays: decisionEscalationDays,
            reminders: ReminderSchedule(offsets: reminderOffsetsDays))
    }
}
