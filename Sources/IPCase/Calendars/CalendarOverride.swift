/// A change an office makes to an embedded calendar without a release: a day closed (a decree
/// moving a day off, an office's closure notice) or a weekend day made a working day, with its
/// source. Stored per office; the engine lays them over the calendar wherever it computes that
/// office's deadlines (``RuleBook/overlaid(with:)``).
///
/// ```swift
/// let decree = CalendarOverride(
///     calendar: "KZ", day: try CivilDate(iso: "2027-01-04"), kind: .closed,
///     source: "Government decree No. 1 of 2026-12-01")
/// let book = try RuleBook.standard.overlaid(with: [decree])
/// book.calendar(id: "KZ")!.isClosed(decree.day)   // true
/// ```
public struct CalendarOverride: Hashable, Sendable, Codable {
    /// What the override does to its day.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The office is closed (periods ending on it roll to the next open day).
        case closed
        /// The office is open (a weekend day worked by decree).
        case working
    }

    /// The calendar id, e.g. `KZ`.
    public var calendar: String
    /// The day.
    public var day: CivilDate
    /// Closed or working.
    public var kind: Kind
    /// The decree or notice.
    public var source: String

    /// Creates an override.
    public init(calendar: String, day: CivilDate, kind: Kind, source: String) {
        self.calendar = calendar
        self.day = day
        self.kind = kind
        self.source = source
    }

    /// `KZ closed 2027-01-04 (Government decree No. 1)`.
    public var summary: String { "\(calendar) \(kind.rawValue) \(day) (\(source))" }
}
