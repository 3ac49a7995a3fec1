import IPCase

/// How long a right lapsed for an unpaid fee can still be restored, per jurisdiction, with the
/// source. Only what the reference confirms is listed; elsewhere the lapse records no
/// restoration deadline (`nil`) and an attorney adds it by hand.
public enum RestorationPeriods {
    /// One jurisdiction's restoration period, counted from the missed payment deadline.
    public struct Entry: Sendable, Hashable {
        /// The period's length in years.
        public var years: Int
        /// Where it is laid down.
        public var source: String
    }

    /// The known periods.
    public static let table: [String: Entry] = [
        // "A lapsed patent can be restored within three years of the missed payment deadline."
        "KZ": Entry(years: 3, source: "kazpatent.kz, patent maintenance")
    ]

    /// The last day a right of `jurisdiction` that lapsed because the fee deadline ending on
    /// `missedDeadline` was missed can be restored, or `nil` when unknown.
    public static func restorableUntil(jurisdiction: String, missedDeadline: CivilDate) -> CivilDate? {
        table[jurisdiction].map { missedDeadline.adding(years: $0.years).date }
    }
}
