import Foundation
import IPCase

/// Where the daemon's services read the time: the system clock in production, a fixed or
/// stepped clock in tests.
///
/// ```swift
/// let clock = DaemonClock.fixed(Date(timeIntervalSince1970: 1_800_000_000))
/// clock.today(in: "Asia/Almaty")  // the civil date at that instant in Almaty
/// ```
public struct DaemonClock: Sendable {
    /// The current instant.
    public let now: @Sendable () -> Date

    /// A clock reading `now`.
    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system clock.
    public static let system = DaemonClock { Date() }

    /// A clock that always reads `instant`.
    public static func fixed(_ instant: Date) -> DaemonClock {
        DaemonClock { instant }
    }

    /// Today's civil date in the time zone `identifier` (an IANA name such as `Asia/Almaty`;
    /// an unknown name counts as UTC).
    public func today(in identifier: String) -> CivilDate {
        CivilDate.at(now(), timeZone: identifier)
    }
}

extension CivilDate {
    /// The civil date at `instant` in the time zone `identifier` (UTC when the name is unknown).
    public static func at(_ instant: Date, timeZone identifier: String) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        // The Gregorian calendar always yields a valid year, month and day.
        return (try? CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1))
            ?? CivilDate(daysSinceEpoch: 0)
    }
}
