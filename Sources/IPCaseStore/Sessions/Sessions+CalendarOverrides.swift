import Foundation
import IPCase
import PostgresClient

/// A calendar override as stored for an office, with who entered it and when.
public struct StoredCalendarOverride: Sendable, Hashable {
    /// Its key within the office.
    public var id: Int64
    /// The office.
    public var office: ID<Office>
    /// The override.
    public var override: CalendarOverride
    /// The actor who entered it.
    public var enteredBy: String
    /// When.
    public var enteredAt: Date
}

/// What adding or removing an override did.
public struct CalendarOverrideChange: Sendable, Hashable {
    /// The override added or removed.
    public var override: StoredCalendarOverride
    /// Rights whose deadlines are queued for recomputation.
    public var queued: Int
}

extension OfficeSession {
    /// The office's overrides, of one calendar or all, by calendar and day.
    public func calendarOverrides(calendar: String? = nil) async throws -> [StoredCalendarOverride] {
        try await connection.query(
            """
            SELECT id, office_id, calendar_id, day, kind, source, entered_by, entered_at FROM calendar_overrides
            WHERE office_id = \(office) AND (\(calendar)::text IS NULL OR calendar_id = \(calendar))
            ORDER BY calendar_id, day
            """
        ).map(StoredCalendarOverride.init(row:))
    }

    /// Adds an override, checked against the calendars of `book` (the calendar must have data,
    /// the day lie in its years), and queues the recomputation of every right of the office with
    /// open deadlines whose rules count by that calendar; a deadline that moves keeps the
    /// override's summary as its reason.
    /// - Throws: ``StoreError/invalid(record:reason:)`` naming the field; a second override of the
    ///   same day is refused.
    public func addCalendarOverride(_ override: CalendarOverride, book: RuleBook = .standard) async throws
        -> CalendarOverrideChange
    {
        let record = "calendar override \(override.calendar) \(override.day)"
        guard let calendar = book.calendar(id: override.calendar) else {
            throw StoreError.invalid(
                record: record,
                reason: "calendar: no \(override.calendar) calendar (calendars: \(book.calendarIDs.sorted().joined(separator: ", ")))")
        }
        guard calendar.years.contains(override.day.components.year) else {
            throw StoreError.invalid(
                record: record,
                reason: "date: the \(calendar.id) calendar holds \(calendar.years.lowerBound)–\(calendar.years.upperBound)")
        }
        let source = override.source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !source.isEmpty else {
            throw StoreError.invalid(record: record, reason: "source: say which decree or notice (it is kept with the day)")
        }
        let existing = try await calendarOverrides(calendar: override.calendar)
        if let same = existing.first(where: { $0.override.day == override.day }) {
            throw StoreError.invalid(
                record: record,
                reason: "date: already \(same.override.kind.rawValue) by override \(same.id) (\(same.override.source)); remove it first")
        }
        let rows = try await connection.query(
            """
            INSERT INTO calendar_overrides (office_id, calendar_id, day, kind, source, entered_by)
            VALUES (\(office), \(override.calendar), \(override.day), \(override.kind.rawValue), \(source),
                    ipcase_current_actor())
            RETURNING id, office_id, calendar_id, day, kind, source, entered_by, entered_at
            """)
        let stored = try StoredCalendarOverride(row: rows[0])
        let queued = try await recount(
            calendar: override.calendar, book: book,
            reason: "\(override.calendar) \(override.kind.rawValue) \(override.day) by \(source), entered by \(stored.enteredBy)")
        return CalendarOverrideChange(override: stored, queued: queued)
    }

    /// Removes an override and queues the recomputation of the rights it concerned.
    /// - Throws: ``StoreError/notFound(record:)``.
    public func removeCalendarOverride(_ id: Int64, book: RuleBook = .standard) async throws -> CalendarOverrideChange {
        let rows = try await connection.query(
            """
            DELETE FROM calendar_overrides WHERE office_id = \(office) AND id = \(id)
            RETURNING id, office_id, calendar_id, day, kind, source, entered_by, entered_at
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "calendar override \(id)") }
        let stored = try StoredCalendarOverride(row: row)
        let override = stored.override
        let queued = try await recount(
            calendar: override.calendar, book: book,
            reason: "\(override.calendar) \(override.day) no longer \(override.kind.rawValue) (override \(id) removed)")
        return CalendarOverrideChange(override: stored, queued: queued)
    }

    /// Queues a recount of every right of the office with open deadlines whose rules use `calendar`.
    func recount(calendar: String, book: RuleBook, reason: String) async throws -> Int {
        let jurisdictions = book.jurisdictions(countingBy: calendar).map(\.code)
        let rights = try await connection.query(
            """
            SELECT r.id FROM rights r
            WHERE r.office_id = \(office) AND r.jurisdiction = ANY(\(jurisdictions)::text[])
              AND EXISTS (SELECT FROM deadlines d WHERE d.office_id = r.office_id AND d.right_id = r.id
                                                    AND d.status = 'open')
            ORDER BY r.id
            """
        ).map { try $0.decode(ID<Right>.self, at: 0) }
        return try await enqueue(
            rights.map {
                NewJob(
                    kind: .recomputeDeadlines,
                    payload: try PostgresJSON(encoding: WorkflowEffect.recountDeadlines(for: .right($0), reason: reason)))
            }
        ).count
    }
}

extension ServiceSession {
    /// The calendar overrides of `offices`, per office (offices without any are absent).
    public func calendarOverrides(of offices: [ID<Office>]) async throws -> [ID<Office>: [CalendarOverride]] {
        guard !offices.isEmpty else { return [:] }
        var result: [ID<Office>: [CalendarOverride]] = [:]
        for row in try await connection.query(BatchStatements.calendarOverrides(offices: offices)) {
            let stored = try StoredCalendarOverride(row: row)
            result[stored.office, default: []].append(stored.override)
        }
        return result
    }

    /// The fingerprint of the rules and calendars the daemons last computed with, if recorded.
    public func engineDataFingerprint() async throws -> String? {
        try await connection.query("SELECT fingerprint FROM engine_data").first?.decode(String.self, at: 0)
    }

    /// Records `fingerprint` as the one deadlines are computed with. When it differs from the one
    /// recorded (a release with other rules or calendars), queues a recount of every right of
    /// every office with open deadlines, with `reason`; the first recording queues nothing. Two
    /// daemons starting together queue once: the row is locked. Returns the rights queued.
    public func recordEngineDataFingerprint(_ fingerprint: String, reason: String) async throws -> Int {
        let previous = try await connection.query("SELECT fingerprint FROM engine_data FOR UPDATE").first?.decode(
            String.self, at: 0)
        guard previous != fingerprint else { return 0 }
        _ = try await connection.execute(
            """
            INSERT INTO engine_data (singleton, fingerprint) VALUES (true, \(fingerprint))
            ON CONFLICT (singleton) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = now()
            """)
        guard previous != nil else { return 0 }
        let rights = try await connection.query(
            """
            SELECT r.office_id, r.id FROM rights r
            WHERE EXISTS (SELECT FROM deadlines d WHERE d.office_id = r.office_id AND d.right_id = r.id
                                                    AND d.status = 'open')
            ORDER BY r.office_id, r.id
            """
        ).map { try $0.decode(ID<Office>.self, ID<Right>.self) }
        var queued = 0
        for (office, group) in Dictionary(grouping: rights, by: \.0).sorted(by: { $0.key < $1.key }) {
            let jobs = try group.map {
                NewJob(
                    kind: .recomputeDeadlines,
                    payload: try PostgresJSON(encoding: WorkflowEffect.recountDeadlines(for: .right($0.1), reason: reason)))
            }
            queued += try await OfficeSession(connection: connection, office: office).enqueue(jobs).count
        }
        return queued
    }
}

extension StoredCalendarOverride {
    /// A row of the overrides' columns (``BatchStatements/calendarOverrides(offices:)``).
    public init(row: PostgresRow) throws {
        let (id, office, calendar, day, kind, source, enteredBy, enteredAt) = try row.decode(
            Int64.self, ID<Office>.self, String.self, CivilDate.self, String.self, String.self, String.self, Date.self)
        guard let kind = CalendarOverride.Kind(rawValue: kind) else {
            throw StoreError.invalid(record: "calendar override \(id)", reason: "kind: '\(kind)' is not closed or working")
        }
        self.init(
            id: id, office: office, override: CalendarOverride(calendar: calendar, day: day, kind: kind, source: source),
            enteredBy: enteredBy, enteredAt: enteredAt)
    }
}

/// An open deadline whose due or final date a recomputation moved, with why.
public struct DeadlineMove: Sendable, Hashable {
    /// The deadline's key and its office and right.
    public var id: Int64
    public var office: ID<Office>
    public var right: ID<Right>
    /// The dates it had, and has now.
    public var fromDue: CivilDate, fromFinal: CivilDate
    public var toDue: CivilDate, toFinal: CivilDate
    /// E.g. "KZ closed 2027-01-04 by Government decree No. 1, entered by alice".
    public var reason: String

    /// Creates a move.
    public init(
        id: Int64, office: ID<Office>, right: ID<Right>, fromDue: CivilDate, fromFinal: CivilDate, toDue: CivilDate,
        toFinal: CivilDate, reason: String
    ) {
        (self.id, self.office, self.right) = (id, office, right)
        (self.fromDue, self.fromFinal, self.toDue, self.toFinal, self.reason) = (fromDue, fromFinal, toDue, toFinal, reason)
    }
}

/// A moved deadline as the notices see it (its new dates), with the move and the office's
/// supervisor (who is told when the deadline has no attorney with an e-mail address).
public struct MovedDeadline: Sendable, Hashable {
    public var deadline: SweptDeadline
    public var move: DeadlineMove
    public var supervisorEmail: String?
    /// The language of the office's notices: `en`, `kk` or `ru` (Schema/0118).
    public var language: String = "en"
}

extension ServiceSession {
    /// Records on each moved deadline the dates it had and why it moved (after the upsert that
    /// moved it, in the same transaction); returns them with what their notices need.
    public func recordMoves(_ moves: [DeadlineMove]) async throws -> [MovedDeadline] {
        guard !moves.isEmpty else { return [] }
        _ = try await connection.execute(
            """
            UPDATE deadlines d SET moved_from_due = m.fd, moved_from_final = m.ff, moved_reason = m.reason,
                   moved_at = now()
            FROM unnest(\(moves.map(\.office))::bigint[], \(moves.map(\.id))::bigint[],
                        \(moves.map(\.fromDue))::date[], \(moves.map(\.fromFinal))::date[],
                        \(moves.map(\.reason))::text[]) AS m(office_id, id, fd, ff, reason)
            WHERE d.office_id = m.office_id AND d.id = m.id
            """)
        let byID = Dictionary(moves.map { ($0.id, $0) }) { first, _ in first }
        var moved: [MovedDeadline] = []
        for (office, group) in Dictionary(grouping: moves, by: \.office).sorted(by: { $0.key < $1.key }) {
            let session = OfficeSession(connection: connection, office: office)
            let row = try await connection.query(
                "SELECT nullif(supervisor_email, ''), language FROM offices WHERE office_id = \(office)"
            ).first
            let (supervisor, language) = try row?.decode(String?.self, String.self) ?? (nil, "en")
            for deadline in try await session.sweptDeadlines(group.map(\.id)) {
                guard let move = byID[deadline.id] else { continue }
                moved.append(
                    MovedDeadline(deadline: deadline, move: move, supervisorEmail: supervisor, language: language))
            }
        }
        return moved
    }
}
