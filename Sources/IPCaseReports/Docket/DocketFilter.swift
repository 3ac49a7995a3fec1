import IPCase

/// The docket filters of `ipcase deadlines list`, applied to entries in memory (the store applies
/// the same conditions in SQL; this is the reference and the "what if" path).
///
/// ```swift
/// var filter = DocketFilter(asOf: today)
/// filter.within = 30          // due in the next 30 days (or overdue when `overdue` is set)
/// filter.statuses = [.open]
/// let shown = filter.apply(entries)   // sorted by due date, then right, then key
/// ```
public struct DocketFilter: Hashable, Sendable {
    /// The day "within" and "overdue" count from.
    public var asOf: CivilDate
    /// Only these offices (empty: all).
    public var offices: Set<ID<Office>> = []
    /// Only deadlines whose responsible attorney's name or e-mail contains this text (case-insensitive).
    public var attorney: String?
    /// Only these jurisdictions (empty: all).
    public var jurisdictions: Set<Jurisdiction> = []
    /// Only these deadline types (empty: all).
    public var types: Set<String> = []
    /// Only these statuses (empty: all).
    public var statuses: Set<DocketEntry.Status> = []
    /// Only deadlines due from `asOf` through `asOf + within` days, whatever their status (combine
    /// with `statuses`); with `overdue` set too, the overdue ones as well.
    public var within: Int?
    /// Only open deadlines whose due date has passed.
    public var overdue: Bool = false

    /// Creates a filter that keeps everything.
    public init(asOf: CivilDate) { self.asOf = asOf }

    /// Whether `entry` passes every condition.
    public func matches(_ entry: DocketEntry) -> Bool {
        if !offices.isEmpty, !offices.contains(entry.office) { return false }
        if let attorney, !attorney.isEmpty {
            let needle = attorney.lowercased()
            let haystacks = [entry.attorneyName, entry.attorneyEmail].compactMap { $0?.lowercased() }
            if !haystacks.contains(where: { $0.contains(needle) }) { return false }
        }
        if !jurisdictions.isEmpty {
            guard let jurisdiction = entry.jurisdiction, jurisdictions.contains(jurisdiction) else { return false }
        }
        if !types.isEmpty, !types.contains(entry.type) { return false }
        if !statuses.isEmpty, !statuses.contains(entry.status) { return false }
        let days = entry.daysLeft(asOf: asOf)
        let isOverdue = entry.status.isOpen && days < 0
        switch (within, overdue) {
        case (nil, false): return true
        case (nil, true): return isOverdue
        case (let limit?, false): return days >= 0 && days <= limit
        case (let limit?, true): return isOverdue || (days >= 0 && days <= limit)
        }
    }

    /// The entries that pass, sorted by due date, then right label, then key.
    public func apply(_ entries: [DocketEntry]) -> [DocketEntry] {
        entries.filter(matches).sorted(by: DocketEntry.docketOrder)
    }
}

extension DocketEntry {
    /// Docket order: due date, then right label, then key.
    public static func docketOrder(_ lhs: DocketEntry, _ rhs: DocketEntry) -> Bool {
        if lhs.due != rhs.due { return lhs.due < rhs.due }
        if lhs.rightLabel != rhs.rightLabel { return lhs.rightLabel < rhs.rightLabel }
        return lhs.key < rhs.key
    }
}
