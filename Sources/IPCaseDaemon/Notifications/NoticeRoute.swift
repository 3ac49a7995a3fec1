import IPCase
import IPCaseStore
import PostgresClient

/// Where the job processor sends workflow notices and follow-ups, chosen as the deadline
/// sweeper chooses for reminders (``DeadlineSweepService/channel(for:)``): e-mail when `mail.from`
/// is set, else the webhook.
///
/// An e-mail goes to the responsible attorney of the right when the notice is for them (and
/// they have an address), otherwise to the office's supervisor (`offices.supervisor_email`);
/// a notice with no address is not written (as the sweeper leaves unaddressed reminders).
///
/// ```swift
/// let route = NoticeRoute(configuration: configuration)   // nil: neither channel configured
/// ```
public enum NoticeRoute: Sendable, Hashable {
    /// To the configured webhook.
    case webhook(url: String)
    /// By e-mail to the attorney or the office's supervisor.
    case email

    /// The route for a configuration, `nil` when neither e-mail nor a webhook is configured (then
    /// notices are only logged).
    public init?(configuration: DaemonConfiguration) {
        guard configuration.mail != nil || configuration.webhook != nil else { return nil }
        switch DeadlineSweepService.channel(for: configuration) {
        case .webhook:
            guard let webhook = configuration.webhook else { return nil }
            self = .webhook(url: webhook.url.absoluteString)
        case .email:
            self = .email
        }
    }

    /// The outbox row for a notice or follow-up job, keyed by the job so that a retry adds nothing.
    /// - Parameters:
    ///   - job: the claimed `notify` or `follow-up` job.
    ///   - subject: the one-line subject (the notice's message, or the follow-up's reason).
    ///   - topic: `workflow.notice` or `workflow.follow-up`.
    ///   - right: the right whose responsible attorney is to be told, if any.
    public func statement(for job: ClaimedJob, subject: String, topic: String, attorneyOf right: ID<Right>?)
        -> PostgresQuery
    {
        let data = (try? job.payload.decode(JSONValue.self)) ?? .object([:])
        let envelope = OutboxEnvelope(topic: topic, body: subject, data: data)
        // Encoding strings and JSON values cannot fail.
        let payload = (try? PostgresJSON(encoding: envelope)) ?? job.payload
        let key = "job:\(job.id):\(job.kind)"
        switch self {
        case .webhook(let url):
            return BatchStatements.notice(office: job.office, key: key, webhook: url, subject: subject, payload: payload)
        case .email:
            return BatchStatements.notice(
                office: job.office, key: key, emailAttorneyOf: right, subject: subject, payload: payload)
        }
    }
}
