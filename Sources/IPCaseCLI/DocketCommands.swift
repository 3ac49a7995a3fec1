import Foundation
import IPCase
import IPCaseReports
import IPCaseStore

/// `ipcase deadlines list|done|waive`: the docket from the store.
public enum DocketCommands {
    /// Output formats of `deadlines list`.
    public enum Format: String, CaseIterable, Sendable {
        case table, json, csv, ics
    }

    /// The docket entries of `query` (across offices, or of `query.office` under its row security).
    ///
    /// Explanations the daemon did not store (it renders none, for speed) are rendered here, on
    /// demand, from the listed rights' events by the same rules engine.
    public static func entries(
        store: Store, query: DocketQuery, engine: DeadlineEngine = DeadlineEngine()
    ) async throws -> [DocketEntry] {
        let rows: [DocketRow]
        let rights: [RightForProcessing]
        let overrides: [ID<Office>: [CalendarOverride]]
        if let office = query.office {
            (rows, rights, overrides) = try await store.withOffice(office, actor: "ipcase") { session in
                try await officeDocket(session, query: query)
            }
        } else {
            (rows, rights, overrides) = try await store.withService(actor: "ipcase") { session in
                let rows = try await session.docket(query)
                let offices = Array(Set(rows.map(\.office)))
                let rights = try await session.rightsWithEvents(unexplained(rows), of: offices)
                return (rows, rights, rights.isEmpty ? [:] : try await session.calendarOverrides(of: offices))
            }
        }
        return explained(rows, rights: rights, overrides: overrides, engine: engine)
    }

    /// The docket of `session`'s office that passes `query`, explained line by line, as the
    /// web workspace shows it (in the request's own transaction); with `phrases`, each
    /// explanation rendered on demand is also given in their language
    /// (`DocketEntry.localizedExplanation`).
    public static func entries(
        in session: OfficeSession, query: DocketQuery, engine: DeadlineEngine = DeadlineEngine(),
        phrases: ExplanationPhrases? = nil
    ) async throws -> [DocketEntry] {
        let (rows, rights, overrides) = try await officeDocket(session, query: query)
        return explained(rows, rights: rights, overrides: overrides, engine: engine, phrases: phrases)
    }

    static func officeDocket(_ session: OfficeSession, query: DocketQuery) async throws
        -> ([DocketRow], [RightForProcessing], [ID<Office>: [CalendarOverride]])
    {
        let rows = try await session.docket(query)
        let rights = try await session.rightsWithEvents(unexplained(rows))
        let overrides = rights.isEmpty ? [] : try await session.calendarOverrides().map(\.override)
        return (rows, rights, overrides.isEmpty ? [:] : [session.office: overrides])
    }

    static func explained(
        _ rows: [DocketRow], rights: [RightForProcessing], overrides: [ID<Office>: [CalendarOverride]],
        engine: DeadlineEngine, phrases: ExplanationPhrases? = nil
    ) -> [DocketEntry] {
        // Each office's explanations by its calendars, overrides included (as the daemon computed them).
        // An office whose overrides this release cannot lay over (a calendar it has no data for)
        // gets no explanation rather than one by the embedded calendars, which could contradict
        // the stored dates; the daemon parks that office's jobs with the same error.
        var engines: [ID<Office>: DeadlineEngine] = [:]
        var unexplainable: [ID<Office>: String] = [:]
        for (office, list) in overrides {
            do {
                engines[office] = DeadlineEngine(book: try engine.book.overlaid(with: list))
            } catch {
                unexplainable[office] = "not explained: the office's calendar overrides cannot be applied (\(error))"
            }
        }
        let explanations = explain(
            rights.filter { unexplainable[$0.office] == nil }, engine: engine, engines: engines, phrases: phrases)
        return rows.map { row in
            var entry = entry(row)
            if entry.explanation.isEmpty, row.right != nil, let reason = unexplainable[row.office] {
                entry.explanation = reason
            } else if entry.explanation.isEmpty, let right = row.right,
                let explained = explanations[
                    ExplanationKey(right: right, ruleID: row.ruleID, trigger: row.triggerKey, year: row.year)]
            {
                entry.explanation = explained.text
                entry.localizedExplanation = explained.localized
            }
            return entry
        }
    }

    /// The rights of rows stored without an explanation.
    static func unexplained(_ rows: [DocketRow]) -> [ID<Right>] {
        Array(Set(rows.lazy.filter(\.explanation.isEmpty).compactMap(\.right)))
    }

    struct ExplanationKey: Hashable {
        var right: ID<Right>
        var ruleID: String
        var trigger: String
        var year: FeeYear?
    }

    /// A deadline's explanation: the English line, and the one in a phrasebook's language if asked.
    struct Explained {
        var text: String
        var localized: Explanation?
    }

    /// Each deadline of `rights` by its stored key, with its rendered explanation (and the one
    /// in the language of `phrases`, if given).
    static func explain(
        _ rights: [RightForProcessing], engine: DeadlineEngine, engines: [ID<Office>: DeadlineEngine] = [:],
        phrases: ExplanationPhrases? = nil
    ) -> [ExplanationKey: Explained] {
        var explanations: [ExplanationKey: Explained] = [:]
        for right in rights {
            let engine = engines[right.office] ?? engine
            for deadline in engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events) {
                let record = DeadlineRecord(deadline, office: right.office, right: right.right, attorney: nil)
                let key = ExplanationKey(
                    right: right.right, ruleID: record.ruleID, trigger: record.triggerKey, year: record.year)
                explanations[key] = Explained(
                    text: record.explanation, localized: phrases.map { deadline.explanation(phrases: $0) })
            }
        }
        return explanations
    }

    /// A store row as a docket entry.
    public static func entry(_ row: DocketRow) -> DocketEntry {
        let year = row.year?.description
        var entry = DocketEntry(
            id: row.id,
            key: DocketEntry.key(
                office: row.office, right: row.right, agreement: row.agreement, project: row.project,
                ruleID: row.ruleID,
                trigger: row.triggerKey, year: year),
            office: row.office, officeName: row.officeName, jurisdiction: row.jurisdiction, rightKind: row.rightKind,
            rightReference: row.reference, applicationNumber: row.applicationNumber, title: row.title, type: row.type,
            year: year, ruleID: row.ruleID, due: row.due, final: row.final == row.due ? nil : row.final,
            windowOpens: row.windowOpens, status: DocketEntry.Status(rawValue: row.status) ?? .open,
            statutory: row.statutory, attorneyName: row.attorneyName, citation: row.citation,
            ruleStatus: DocketEntry.RuleStatus(rawValue: row.ruleStatus) ?? .unconfirmed,
            explanation: row.explanation, revision: row.version, verifiedBy: row.verifiedBy,
            verifiedAt: row.verifiedAt)
        entry.movedFromDue = row.movedFromDue
        entry.movedFromFinal = row.movedFromFinal
        entry.movedReason = row.movedReason
        return entry
    }

    /// The entries rendered in `format`; `color` only for a table on a terminal.
    public static func render(_ entries: [DocketEntry], format: Format, asOf: CivilDate, color: Bool) -> String {
        switch format {
        case .table: DocketRenderer.table(entries, asOf: asOf, color: color)
        case .json: DocketRenderer.json(entries, asOf: asOf)
        case .csv: DocketRenderer.csv(entries, asOf: asOf)
        case .ics:
            // Stamped at the start of the as-of day: the same docket gives the same bytes.
            DocketCalendar(stamp: Date(timeIntervalSince1970: Double(asOf.daysSinceEpoch) * 86_400))
                .render(entries)
        }
    }

    /// Records `actor`'s verification of an open deadline; `expectedVersion` guards against a
    /// concurrent change. Returns the new version.
    public static func verify(
        store: Store, deadline id: Int64, office: ID<Office>?, expectedVersion: Int?, actor: String
    ) async throws -> Int {
        let owner = try await officeOf(deadline: id, office: office, store: store, actor: actor)
        return try await store.withOffice(owner, actor: actor) { session in
            let current = try await session.deadlineVersion(id)
            return try await session.verify(deadline: id, version: expectedVersion ?? current.version)
        }
    }

    /// The office of deadline `id` (`office` when given).
    static func officeOf(deadline id: Int64, office: ID<Office>?, store: Store, actor: String) async throws
        -> ID<Office>
    {
        if let office { return office }
        guard let found = try await store.withService(actor: actor, { try await $0.officeOfDeadline(id) }) else {
            throw CLIError.failure("deadline \(id) not found")
        }
        return found
    }

    /// Closes an open deadline as done or waived with a reason; `expectedVersion` guards against
    /// a concurrent change (the current version when `nil`). Returns the new version.
    public static func complete(
        store: Store, deadline id: Int64, as completion: DeadlineCompletion, reason: String, office: ID<Office>?,
        expectedVersion: Int?, actor: String
    ) async throws -> Int {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError.usage("--reason: give the reason (it is kept in the audit trail)")
        }
        let owner = try await officeOf(deadline: id, office: office, store: store, actor: actor)
        return try await store.withOffice(owner, actor: actor) { session in
            let current = try await session.deadlineVersion(id)
            guard current.status == "open" else {
                throw CLIError.usage(
                    "deadline \(id) is '\(current.status)', not open; only open deadlines can be closed")
            }
            return try await session.complete(
                deadline: id, version: expectedVersion ?? current.version, as: completion, reason: reason)
        }
    }
}
