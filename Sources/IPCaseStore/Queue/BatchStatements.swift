import IPCase
import PostgresClient

/// The statements the daemon's batch processor sends in its pipelines (one round trip to lock and
/// load a batch's rights or agreements, one to commit its other writes). They live here with
/// every other statement; the processor decodes the rows and decides.
public enum BatchStatements {
    /// Locks the rights (in key order, `FOR UPDATE`) and returns what their schedule needs:
    /// `office_id, id, reference, jurisdiction, kind, attorney_id, filing_date, priority_claims`.
    public static func lockRights(offices: [ID<Office>], rights: [ID<Right>]) -> PostgresQuery {
        """
        SELECT office_id, id, reference, jurisdiction, kind, attorney_id, filing_date, priority_claims
        FROM rights
        WHERE (office_id, id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(rights)::bigint[]))
        ORDER BY office_id, id FOR UPDATE
        """
    }

    /// Every event of the rights, in date order: `office_id, right_id, kind, event_date, year,
    /// reference, recorded_by`.
    public static func rightEvents(offices: [ID<Office>], rights: [ID<Right>]) -> PostgresQuery {
        """
        SELECT office_id, right_id, kind, event_date, year, reference, recorded_by FROM right_events
        WHERE (office_id, right_id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(rights)::bigint[]))
        ORDER BY office_id, right_id, event_date, id
        """
    }

    /// Every stored deadline (any status) of the rights with the values the upsert compares:
    /// `office_id, right_id, id, rule_id, trigger_key, half-years, status, type, nominal_date,
    /// due_date, final_date, window_opens, statutory, attorney_id, citation, rule_status, explanation`.
    public static func storedDeadlines(offices: [ID<Office>], rights: [ID<Right>]) -> PostgresQuery {
        """
        SELECT office_id, right_id, id, rule_id, trigger_key, (year * 2)::int, status, type, nominal_date, due_date,
               final_date, window_opens, statutory, attorney_id, citation, rule_status, explanation
        FROM deadlines
        WHERE (office_id, right_id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(rights)::bigint[]))
        """
    }

    /// The calendar overrides of the offices, decoded by ``StoredCalendarOverride/init(row:)``.
    public static func calendarOverrides(offices: [ID<Office>]) -> PostgresQuery {
        """
        SELECT id, office_id, calendar_id, day, kind, source, entered_by, entered_at FROM calendar_overrides
        WHERE office_id = ANY(\(offices)::bigint[]) ORDER BY office_id, calendar_id, day
        """
    }

    /// Supersedes open deadlines by key (the processor found them no longer produced); the
    /// affected rows are those superseded.
    public static func supersede(offices: [ID<Office>], ids: [Int64]) -> PostgresQuery {
        """
        UPDATE deadlines SET status = 'superseded', completed_at = now(),
               completed_reason = 'no longer produced by the rules'
        WHERE (office_id, id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(ids)::bigint[]))
          AND status = 'open'
        """
    }

    /// Locks the agreements (key order, `FOR NO KEY UPDATE`, so payments may still reference
    /// them): `office_id, id, reference, kind, state, starts_on, ends_on, until_last_right_expires,
    /// executed_on, obligations, the deal manager, the last covered right's expiry`.
    public static func lockAgreements(offices: [ID<Office>], agreements: [ID<Agreement>]) -> PostgresQuery {
        """
        SELECT a.office_id, a.id, a.reference, a.kind, a.state, a.starts_on, a.ends_on,
               a.until_last_right_expires, a.executed_on, a.obligations,
               (SELECT dl.manager_id FROM deals dl WHERE dl.office_id = a.office_id AND dl.id = a.deal_id),
               (SELECT max(r.expiry_date) FROM agreement_rights ar
                JOIN rights r ON r.office_id = ar.office_id AND r.id = ar.right_id
                WHERE ar.office_id = a.office_id AND ar.agreement_id = a.id)
        FROM agreements a
        WHERE (a.office_id, a.id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(agreements)::bigint[]))
        ORDER BY a.office_id, a.id FOR NO KEY UPDATE OF a
        """
    }

    /// Locks the funded projects (key order, `FOR NO KEY UPDATE`): `office_id, id, reference,
    /// state, obligations, manager_id, registration, registered_on, title, funder_id, programme,
    /// min_cofinancing_bp, ended_on`.
    public static func lockProjects(offices: [ID<Office>], projects: [ID<FundedProject>]) -> PostgresQuery {
        """
        SELECT p.office_id, p.id, p.reference, p.state, p.obligations, p.manager_id, p.registration, p.registered_on,
               p.title, p.funder_id, p.programme, p.min_cofinancing_bp, p.ended_on
        FROM funded_projects p
        WHERE (p.office_id, p.id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(projects)::bigint[]))
        ORDER BY p.office_id, p.id FOR NO KEY UPDATE OF p
        """
    }

    /// The projects' stages in order: `office_id, project_id, amount_minor, currency, from_on, to_on`.
    public static func projectStages(offices: [ID<Office>], projects: [ID<FundedProject>]) -> PostgresQuery {
        """
        SELECT office_id, project_id, amount_minor, currency, from_on, to_on FROM project_stages
        WHERE (office_id, project_id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(projects)::bigint[]))
        ORDER BY office_id, project_id, stage_no
        """
    }

    /// The agreements' royalty payments: `office_id, agreement_id, id, received_on, amount_minor,
    /// currency, reference`.
    public static func royaltyPayments(offices: [ID<Office>], agreements: [ID<Agreement>]) -> PostgresQuery {
        """
        SELECT office_id, agreement_id, id, received_on, amount_minor, currency, reference FROM payments
        WHERE (office_id, agreement_id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(agreements)::bigint[]))
          AND kind = 'royalty'
        """
    }

    /// The agreements' obligation deadlines closed by hand in the docket (done or waived, not met
    /// by a payment): `office_id, agreement_id, rule_id, trigger_key, year`.
    public static func obligationsClosedByHand(offices: [ID<Office>], agreements: [ID<Agreement>]) -> PostgresQuery {
        """
        SELECT office_id, agreement_id, rule_id, trigger_key, year::int FROM deadlines
        WHERE (office_id, agreement_id) IN (SELECT * FROM unnest(\(offices)::bigint[], \(agreements)::bigint[]))
          AND status IN ('done', 'waived') AND coalesce(completed_reason, '') NOT LIKE 'met by %'
        """
    }

    /// An outbox row for the webhook, skipped when its key is already there.
    public static func notice(
        office: ID<Office>, key: String, webhook url: String, subject: String, payload: PostgresJSON
    ) -> PostgresQuery {
        """
        INSERT INTO outbox (office_id, idempotency_key, channel, recipient, subject, payload)
        VALUES (\(office), \(key), 'webhook', \(url), \(subject), \(payload))
        ON CONFLICT (idempotency_key) DO NOTHING
        """
    }

    /// An outbox e-mail to the responsible attorney of `right` (when given and they have an
    /// address), else to the office's supervisor; nothing when neither has one. Skipped when its
    /// key is already there.
    public static func notice(
        office: ID<Office>, key: String, emailAttorneyOf right: ID<Right>?, subject: String, payload: PostgresJSON
    ) -> PostgresQuery {
        """
        INSERT INTO outbox (office_id, idempotency_key, channel, recipient, subject, payload)
        SELECT \(office), \(key), 'email', a.address, \(subject), \(payload)
        FROM (SELECT coalesce(
                (SELECT nullif(p.email, '') FROM rights r
                 JOIN parties p ON p.office_id = r.office_id AND p.id = r.attorney_id
                 WHERE r.office_id = \(office) AND r.id = \(right?.rawValue)),
                (SELECT nullif(supervisor_email, '') FROM offices WHERE office_id = \(office)))
             ) AS a(address)
        WHERE a.address IS NOT NULL
        ON CONFLICT (idempotency_key) DO NOTHING
        """
    }

    /// A round trip that proves the connection is alive.
    public static let ping: PostgresQuery = "SELECT 1"
}
