import IPCase
import PostgresClient

/// An open (or just missed) deadline as the sweeper sees it, with what a message needs.
public struct SweptDeadline: Sendable, Hashable {
    /// The deadline's key.
    public var id: Int64
    /// Its office.
    public var office: ID<Office>
    /// The right it belongs to, for statutory time limits.
    public var right: ID<Right>?
    /// The agreement it belongs to, for contractual obligations.
    public var agreement: ID<Agreement>?
    /// The funded project it belongs to, for a report, deliverable or registration it owes.
    public var project: ID<FundedProject>?
    /// The rule that produced it.
    public var ruleID: String
    /// The deadline type, e.g. `renewal`, `option_exercise`.
    public var type: String
    /// The fee year (`5`, `3.5`), `nil` when the rule does not recur.
    public var year: String?
    /// The date to act by.
    public var dueDate: CivilDate
    /// The last possible date.
    public var finalDate: CivilDate
    /// The legal source.
    public var citation: String
    /// The docket reference of the right, agreement or project.
    public var reference: String
    /// The right's jurisdiction code, e.g. `EP`.
    public var jurisdiction: String?
    /// The right's application number.
    public var applicationNumber: String?
    /// The right's title.
    public var title: String
    /// The responsible attorney's name and e-mail, when known.
    public var attorneyName: String?
    /// The responsible attorney's e-mail, when known.
    public var attorneyEmail: String?

    /// A deadline from its parts.
    public init(
        id: Int64, office: ID<Office>, right: ID<Right>? = nil, agreement: ID<Agreement>? = nil,
        project: ID<FundedProject>? = nil, ruleID: String,
        type: String, year: String? = nil, dueDate: CivilDate, finalDate: CivilDate,
        citation: String = "",
        reference: String, jurisdiction: String? = nil, applicationNumber: String? = nil,
        title: String = "",
        attorneyName: String? = nil, attorneyEmail: String? = nil
    ) {
        self.id = id
        self.office = office
        self.right = right
        self.agreement = agreement
        self.project = project
        self.ruleID = ruleID
        self.type = type
        self.year = year
        self.dueDate = dueDate
        self.finalDate = finalDate
        self.citation = citation
        self.reference = reference
        self.jurisdiction = jurisdiction
        self.applicationNumber = applicationNumber
        self.title = title
        self.attorneyName = attorneyName
        self.attorneyEmail = attorneyEmail
    }

    /// How a person names the right: jurisdiction and application number (`EP 23 812 345.6`),
    /// else the docket reference.
    public var label: String {
        if let jurisdiction, let applicationNumber, !applicationNumber.isEmpty {
            return "\(jurisdiction) \(applicationNumber)"
        }
        return reference
    }

    /// The time limit in words: `renewal year 5`, `national phase`, `stage report stage 2`.
    public var what: String { ObligationDeadline.words(type: type, year: year) }

    /// One line: `EP 23 812 345.6 — renewal year 5 due 2027-03-31 (final 2027-09-30), EPC Rule 51(1)`.
    public var headline: String {
        var line = "\(label) — \(what) due \(dueDate)"
        if finalDate != dueDate { line += " (final \(finalDate))" }
        if !citation.isEmpty { line += ", \(citation)" }
        return line
    }
}


/// A deadline that may need a notice today, with the reminder offset the query found reached.
public struct SweepCandidate: Sendable, Hashable {
    /// The deadline with what a message needs.
    public var deadline: SweptDeadline
    /// The smallest reminder offset (days before the due date) reached and not yet sent.
    public var reminderOffset: Int?
}

/// Where a page of reminder candidates ended: the last candidate's due date and key.
public struct SweepCursor: Sendable, Hashable {
    /// The due date of the last candidate seen.
    public var dueDate: CivilDate
    /// Its key.
    public var id: Int64

    /// A cursor after `deadline`.
    public init(after deadline: SweptDeadline) {
        dueDate = deadline.dueDate
        id = deadline.id
    }
}

/// An office as the sweeper sees it: its time zone (for "today") and who hears of escalations.
public struct SweptOffice: Sendable, Hashable {
    /// The office.
    public var id: ID<Office>
    /// Its name, for logs.
    public var name: String
    /// Its IANA time zone.
    public var timeZone: String
    /// The supervisor's e-mail, when one is set.
    public var supervisorEmail: String?
    /// The language of its notices: `en`, `kk` or `ru` (Schema/0118).
    public var language: String = "en"
}

extension ServiceSession {
    /// Every office with its time zone, supervisor and language, by key.
    public func sweptOffices() async throws -> [SweptOffice] {
        try await connection.query(
            "SELECT office_id, name, time_zone, supervisor_email, language FROM offices ORDER BY office_id"
        ).map { row in
            let (id, name, timeZone, supervisor, language) = try row.decode(
                ID<Office>.self, String.self, String.self, String?.self, String.self)
            return SweptOffice(
                id: id, name: name, timeZone: timeZone, supervisorEmail: supervisor, language: language)
        }
    }
}

extension OfficeSession {
    /// The languages that the office's enabled web users chose, by their e-mail among `emails`
    /// (lower-cased; a user without a chosen language is left out): a notice to one of them
    /// goes in their language rather than the office's. Only e-mail, language and membership
    /// are read (the daemon's grants, Schema/0118).
    public func chosenLanguages(of emails: [String]) async throws -> [String: String] {
        try await chosenNoticeLanguages(of: emails, office: office, on: connection)
    }
}

extension ServiceSession {
    /// The languages that the enabled web users of `office` chose, by their e-mail among
    /// `emails`, as ``OfficeSession/chosenLanguages(of:)`` finds them.
    public func chosenLanguages(of emails: [String], office: ID<Office>) async throws -> [String: String] {
        try await chosenNoticeLanguages(of: emails, office: office, on: connection)
    }
}

/// The chosen languages of the web users of `office` with the e-mails `emails`, lower-cased.
func chosenNoticeLanguages(of emails: [String], office: ID<Office>, on connection: PostgresConnection)
    async throws -> [String: String]
{
    let wanted = Array(Set(emails.map { $0.lowercased() }.filter { !$0.isEmpty })).sorted()
    guard !wanted.isEmpty else { return [:] }
    let rows = try await connection.query(
        """
        SELECT DISTINCT ON (lower(u.email)) lower(u.email), u.language
        FROM web_users u JOIN web_user_offices m ON m.user_id = u.id AND m.office_id = \(office)
        WHERE lower(u.email) = ANY(\(wanted)::text[]) AND u.language IS NOT NULL AND NOT u.disabled
        ORDER BY lower(u.email), u.id
        """)
    var languages: [String: String] = [:]
    for row in rows {
        let (email, language) = try row.decode(String.self, String.self)
        languages[email] = language
    }
    return languages
}

/// The sweeper's statements.
///
/// A deadline is *held* while its right, agreement or project has recorded events whose recomputation
/// has not committed yet (a `recompute-deadlines` job queued or running): the stored deadline
/// may already be met by them, so the sweeper neither reminds, escalates nor marks it missed
/// until the job is done (the next sweep sees the result). A job parked as dead holds the
/// *missed* decision too (its events were never processed), but reminders still go out, since
/// the deadline may well be open.
extension OfficeSession {
    /// Takes this office's sweep lock for the transaction; `false` when another daemon holds it.
    public func trySweepLock() async throws -> Bool {
        try await connection.query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended('ipcase.sweep', \(office)))"
        )[0].decode(Bool.self, at: 0)
    }

    /// Marks up to `limit` open deadlines whose final date is before `today` missed (lowest keys
    /// first; rows another transaction holds, and held deadlines, are left for the next sweep).
    /// Returns their keys.
    public func markMissed(before today: CivilDate, limit: Int) async throws -> [Int64] {
        try await connection.query(
            """
            WITH held AS MATERIALIZED (\(unescaped: Self.heldSubjects(statuses: "'queued', 'running', 'dead'")))
            UPDATE deadlines SET status = 'missed', completed_at = now(),
                   completed_reason = 'final date ' || final_date::text || ' passed'
            WHERE office_id = \(office) AND id = ANY(ARRAY(
                SELECT d.id FROM deadlines d
                WHERE d.office_id = \(office) AND d.status = 'open' AND d.final_date < \(today)
                  AND NOT (\(unescaped: Self.isHeld))
                ORDER BY d.id LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED))
            RETURNING id
            """
        ).map { try $0.decode(Int64.self, at: 0) }
    }

    /// How many open deadlines past their final date are held (their events not processed yet).
    public func heldMissedDeadlines(before today: CivilDate) async throws -> Int {
        try await connection.query(
            """
            WITH held AS MATERIALIZED (\(unescaped: Self.heldSubjects(statuses: "'queued', 'running', 'dead'")))
            SELECT count(*) FROM deadlines d
            WHERE d.office_id = \(office) AND d.status = 'open' AND d.final_date < \(today)
              AND (\(unescaped: Self.isHeld))
            """
        )[0].decode(Int.self, at: 0)
    }

    /// Open deadlines that need a notice today whose key is not in the outbox yet (a reminder
    /// offset reached, or the due date passed), at most `limit`, by due date and key, after
    /// `cursor` (the last one of the previous page); held deadlines, and those whose final date
    /// passed (they are missed in this sweep, with their own notice), and those whose renewal
    /// decision is to drop the right, are left out.
    public func reminderCandidates(
        today: CivilDate, horizon: Int, offsets: [Int], after cursor: SweepCursor?, limit: Int
    ) async throws -> [SweepCandidate] {
        let (afterDue, afterID) = (cursor?.dueDate, cursor?.id ?? 0)
        return try await connection.query(
            """
            WITH held AS MATERIALIZED (\(unescaped: Self.heldSubjects(statuses: "'queued', 'running'")))
            \(unescaped: Self.candidateColumns)
            LEFT JOIN LATERAL (SELECT min(o) AS offset_days FROM unnest(\(offsets)::integer[]) AS o
                               WHERE d.due_date >= \(today) AND o >= d.due_date - \(today)) x ON true
            WHERE d.office_id = \(office) AND d.status = 'open' AND d.due_date <= \(today.adding(days: max(horizon, 0)))
              AND d.final_date >= \(today)
              AND (\(afterDue)::date IS NULL OR (d.due_date, d.id) > (\(afterDue)::date, \(afterID)::bigint))
              AND NOT (\(unescaped: Self.isHeld))
              AND NOT EXISTS (SELECT FROM renewal_decisions rd WHERE rd.office_id = d.office_id
                                AND rd.deadline_id = d.id AND rd.state IN ('instructed-drop', 'lapsed'))
              AND CASE WHEN d.due_date < \(today)
                       THEN NOT EXISTS (SELECT FROM outbox o WHERE o.idempotency_key = 'deadline:' || d.id || ':escalation')
                       ELSE x.offset_days IS NOT NULL AND NOT EXISTS (
                                SELECT FROM outbox o WHERE o.idempotency_key =
                                    'deadline:' || d.id || ':reminder:' || x.offset_days)
                  END
            ORDER BY d.due_date, d.id
            LIMIT \(limit)
            """
        ).map(decodeCandidate)
    }

    /// The deadlines with keys `ids` (just marked missed), with what their notices need.
    public func sweptDeadlines(_ ids: [Int64]) async throws -> [SweptDeadline] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query(
            """
            \(unescaped: Self.candidateColumns)
            CROSS JOIN (SELECT NULL::integer AS offset_days) x
            WHERE d.office_id = \(office) AND d.id = ANY(\(ids)::bigint[])
            ORDER BY d.due_date, d.id
            """
        ).map { try decodeCandidate($0).deadline }
    }

    static let candidateColumns = """
        SELECT d.id, d.right_id, d.agreement_id, d.rule_id, d.type, CASE WHEN d.year::numeric = 0 THEN NULL
                    WHEN d.year::numeric = trunc(d.year::numeric) THEN trunc(d.year::numeric)::bigint::text
                    ELSE d.year::numeric::text END,
               d.due_date, d.final_date, d.citation,
               coalesce(r.reference, a.reference, fp.reference, ''), r.jurisdiction::text, r.application_number,
               coalesce(r.title, fp.title, ''), p.name, p.email, x.offset_days, d.project_id
        FROM deadlines d
        LEFT JOIN rights r ON r.office_id = d.office_id AND r.id = d.right_id
        LEFT JOIN agreements a ON a.office_id = d.office_id AND a.id = d.agreement_id
        LEFT JOIN funded_projects fp ON fp.office_id = d.office_id AND fp.id = d.project_id
        LEFT JOIN parties p ON p.office_id = d.office_id AND p.id = coalesce(d.attorney_id, r.attorney_id)
        """

    func decodeCandidate(_ row: PostgresRow) throws -> SweepCandidate {
        let (id, right, agreement, ruleID, type, year, due, final, citation) = try row.decode(
            Int64.self, ID<Right>?.self, ID<Agreement>?.self, String.self, String.self, String?.self,
            CivilDate.self, CivilDate.self, String.self)
        let (reference, jurisdiction, number, title, name, email, offset, project) = try row.decode(
            String.self, String?.self, String?.self, String.self, String?.self, String?.self, Int?.self,
            ID<FundedProject>?.self, startingAt: 9)
        return SweepCandidate(
            deadline: SweptDeadline(
                id: id, office: office, right: right, agreement: agreement, project: project, ruleID: ruleID,
                type: type,
                year: year, dueDate: due, finalDate: final, citation: citation, reference: reference,
                jurisdiction: jurisdiction, applicationNumber: number, title: title, attorneyName: name,
                attorneyEmail: email),
            reminderOffset: offset)
    }

    /// Open deadlines due from `first` through `last`.
    public func openDeadlinesDue(from first: CivilDate, through last: CivilDate) async throws -> Int {
        try await connection.query(
            """
            SELECT count(*) FROM deadlines WHERE office_id = \(office) AND status = 'open'
              AND due_date BETWEEN \(first) AND \(last)
            """
        )[0].decode(Int.self, at: 0)
    }

    /// Whether deadline `d` belongs to a subject in `held`. `IN (subquery)` under `OR` is a hashed
    /// subplan: one hash of the held subjects, probed per deadline, whatever the planner estimates
    /// (a join of the CTE was planned as a nested loop: 40 000 deadlines × 300 jobs took 4 s a step).
    static let isHeld = """
        coalesce(d.right_id IN (SELECT h.right_id FROM held h WHERE h.right_id IS NOT NULL), false)
        OR coalesce(d.agreement_id IN (SELECT h.agreement_id FROM held h WHERE h.agreement_id IS NOT NULL), false)
        OR coalesce(d.project_id IN (SELECT h.project_id FROM held h WHERE h.project_id IS NOT NULL), false)
        """

    /// The rights, agreements and projects of this office with a recomputation job in one of
    /// `statuses` (a SQL list of literals, never input): columns `right_id`, `agreement_id`,
    /// `project_id`. Served by the
    /// partial index `jobs_pending_recompute` (Schema/0090).
    static func heldSubjects(statuses: String) -> String {
        """
        SELECT (s->'right'->>'_0')::bigint AS right_id, (s->'agreement'->>'_0')::bigint AS agreement_id,
               (s->'project'->>'_0')::bigint AS project_id
        FROM (SELECT coalesce(payload->'recompute-deadlines', payload->'schedule-deadlines',
                               payload->'recount-deadlines')->'for' AS s
              FROM jobs WHERE office_id = ipcase_current_office() AND kind = 'recompute-deadlines'
                AND status IN (\(statuses))) pending
        """
    }
}

extension ServiceSession {
    /// Whether no job is due or being processed by any worker (a `--once` run sweeps only then,
    /// so that its sweep sees every recorded event processed). Served by `jobs_claim` and
    /// `jobs_lease`.
    public func queueIsSettled() async throws -> Bool {
        try await connection.query(
            """
            SELECT NOT EXISTS (SELECT FROM jobs WHERE status = 'queued' AND run_at <= now())
               AND NOT EXISTS (SELECT FROM jobs WHERE status = 'running')
            """
        )[0].decode(Bool.self, at: 0)
    }
}

extension ServiceSession {
    /// Offices whose notices could reach no one: no supervisor e-mail and no party with an
    /// e-mail address (so no responsible attorney can be written to either).
    public func officesWithoutRecipients() async throws -> [SweptOffice] {
        try await connection.query(
            """
            SELECT o.office_id, o.name, o.time_zone, o.supervisor_email FROM offices o
            WHERE coalesce(o.supervisor_email, '') = ''
              AND NOT EXISTS (SELECT FROM parties p WHERE p.office_id = o.office_id AND coalesce(p.email, '') <> '')
            ORDER BY o.office_id
            """
        ).map { row in
            let (id, name, timeZone, supervisor) = try row.decode(
                ID<Office>.self, String.self, String.self, String?.self)
            return SweptOffice(id: id, name: name, timeZone: timeZone, supervisorEmail: supervisor)
        }
    }
}
