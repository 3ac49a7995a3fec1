/// When reminders go out: a set of offsets in days before a due date (60/30/14/7/1 by default).
///
/// Catch-up: when the daemon was down (or a deadline appeared late) and several offsets have
/// passed unsent, only the most recent one — the smallest offset not smaller than the days left
/// — goes out, once; the older ones are skipped for good. An attorney gets one reminder that
/// says how many days are actually left, not a burst of stale ones.
///
/// ```swift
/// let schedule = ReminderSchedule(offsets: [60, 30, 14, 7, 1])
/// schedule.offset(daysUntilDue: 30)  // 30 (its day)
/// schedule.offset(daysUntilDue: 20)  // 30 (sent at 30 already, or caught up now)
/// schedule.offset(daysUntilDue: 90)  // nil (too early)
/// ```
public struct ReminderSchedule: Sendable, Hashable {
    /// The offsets, largest first, without duplicates or negative values.
    public let offsets: [Int]

    /// The default offsets: 60, 30, 14, 7 and 1 day before the due date.
    public static let standard = ReminderSchedule(offsets: [60, 30, 14, 7, 1])

    /// A schedule of `offsets` (days before the due date; negative values are dropped).
    public init(offsets: [Int]) {
        self.offsets = Array(Set(offsets.filter { $0 >= 0 })).sorted(by: >)
    }

    /// The largest offset: deadlines due further ahead need no reminder yet.
    public var horizon: Int { offsets.first ?? -1 }

    /// The offset whose reminder is due when `days` days are left (0 on the due date), or `nil`
    /// when none has been reached or the due date has passed: the smallest offset ≥ `days`.
    public func offset(daysUntilDue days: Int) -> Int? {
        guard days >= 0 else { return nil }
        return offsets.last { $0 >= days }
    }
}
