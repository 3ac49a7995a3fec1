/// The reviewable form of an office calendar: one JSON file under `Data/calendars/`, every entry
/// with its source. ``OfficeCalendar`` compiles it into a bitset of closed days.
///
/// A closed day is a weekend day (unless a decree makes it a working day), a holiday, a day
/// off carried over from a holiday on a weekend, a day off moved by decree, or a one-off
/// closure. Entries carry `status` (`confirmed` or `unconfirmed`); a deadline that rolls over
/// an unconfirmed closed day is itself reported as unconfirmed.
public struct CalendarFile: Codable, Sendable, Hashable {
    /// Calendar id that rules name in `calendar`, e.g. `KZ`, `US`, `EP`, `RU`.
    public var id: String
    /// The office whose closed days these are.
    public var name: String
    /// First year with data.
    public var firstYear: Int
    /// Last year with data; outside the range only weekends close the office.
    public var lastYear: Int
    /// Weekend days, e.g. `["saturday", "sunday"]`.
    public var weekend: [WeekdayName]
    /// Source of the weekend.
    public var weekendSource: String
    /// What happens when a holiday falls on a weekend day.
    public var weekendCarry: WeekendCarry
    /// Holidays on the same month and day every year.
    public var fixed: [FixedHoliday]
    /// Holidays on the n-th weekday of a month (US federal holidays).
    public var nthWeekday: [NthWeekdayHoliday]?
    /// Holidays counted from Western Easter Sunday (EPO closing days).
    public var easter: [EasterHoliday]?
    /// Holidays and closures on given dates: moving holidays (Kurban Ait), one-off closures.
    public var dates: [DatedHoliday]
    /// Days off moved by decree, per year.
    public var transfers: [Transfer]
    /// Years in range without a transfer decree on record, with why.
    public var notes: [String]?
    /// Where and why this calendar differs from the python `holidays` package (cross-check).
    public var pythonHolidays: PythonCrossCheck?

    enum CodingKeys: String, CodingKey {
        case id, name, weekend, fixed, easter, dates, transfers, notes
        case firstYear = "first_year"
        case lastYear = "last_year"
        case weekendSource = "weekend_source"
        case weekendCarry = "weekend_carry"
        case nthWeekday = "nth_weekday"
        case pythonHolidays = "python_holidays"
    }

    /// Lower-case English weekday names as written in the files.
    public enum WeekdayName: String, Codable, Sendable, Hashable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The weekday.
        public var weekday: Weekday {
            switch self {
            case .monday: .monday
            case .tuesday: .tuesday
            case .wednesday: .wednesday
            case .thursday: .thursday
            case .friday: .friday
            case .saturday: .saturday
            case .sunday: .sunday
            }
        }
    }

    /// The rule for a holiday that falls on a weekend day.
    public struct WeekendCarry: Codable, Sendable, Hashable {
        /// How the day off is replaced.
        public var rule: Rule
        /// The law that says so.
        public var source: String

        /// Replacement rules.
        public enum Rule: String, Codable, Sendable, Hashable {
            /// No replacement day.
            case none
            /// The next working day is a day off (KZ Law on holidays Art. 5; RU Labour Code Art. 112).
            case nextWorkingDay = "next_working_day"
            /// Saturday → the Friday before, Sunday → the Monday after (5 U.S.C. 6103(b), EO 11582).
            case usFederal = "us_federal"
        }
    }

    /// Whether an entry is confirmed by its source or still needs review.
    public enum Status: String, Codable, Sendable, Hashable {
        case confirmed, unconfirmed
    }

    /// A holiday on the same day every year, e.g. `"03-21"` (optionally a range with `through`).
    public struct FixedHoliday: Codable, Sendable, Hashable {
        /// `MM-DD`.
        public var date: String
        /// Last day of a range, `MM-DD`, inclusive.
        public var through: String?
        /// Name, e.g. "Nauryz".
        public var name: String
        /// First year it applies (default: the calendar's first year).
        public var from: Int?
        /// Last year it applies (default: the calendar's last year).
        public var to: Int?
        /// Whether a weekend occurrence gives a replacement day off (default true).
        public var carry: Bool?
        /// The law or notice.
        public var source: String
        /// Default `confirmed`.
        public var status: Status?
        /// Years confirmed by a published notice; other years are projected and unconfirmed.
        public var confirmedYears: [Int]?

        enum CodingKeys: String, CodingKey {
            case date, through, name, from, to, carry, source, status
            case confirmedYears = "confirmed_years"
        }
    }

    /// A holiday on the n-th (or last, `nth: -1`) weekday of a month.
    public struct NthWeekdayHoliday: Codable, Sendable, Hashable {
        public var month: Int
        public var weekday: WeekdayName
        /// 1…5, or -1 for the last.
        public var nth: Int
        public var name: String
        public var from: Int?
        public var to: Int?
        public var source: String
    }

    /// A day counted from Western Easter Sunday, e.g. Good Friday is `-2`.
    public struct EasterHoliday: Codable, Sendable, Hashable {
        public var offset: Int
        public var name: String
        public var from: Int?
        public var to: Int?
        public var source: String
        public var status: Status?
        public var confirmedYears: [Int]?

        enum CodingKeys: String, CodingKey {
            case offset, name, from, to, source, status
            case confirmedYears = "confirmed_years"
        }
    }

    /// A holiday or closure on one date (moving holidays, one-off closures).
    public struct DatedHoliday: Codable, Sendable, Hashable {
        /// `YYYY-MM-DD`.
        public var date: CivilDate
        /// Last day of a closure range, inclusive.
        public var through: CivilDate?
        public var name: String
        /// Whether a weekend occurrence gives a replacement day off (default false).
        public var carry: Bool?
        public var source: String
        public var status: Status?
    }

    /// Days off moved by one decree.
    public struct Transfer: Codable, Sendable, Hashable {
        public var year: Int
        /// The decree.
        public var source: String
        public var status: Status?
        /// Each move: `off` becomes a day off instead of `instead_of` (a Saturday or carry day
        /// that becomes a working day, or a holiday on a weekend whose carry-over this replaces).
        public var moves: [Move]

        /// One moved day off.
        public struct Move: Codable, Sendable, Hashable {
            public var off: CivilDate
            public var insteadOf: CivilDate

            enum CodingKeys: String, CodingKey {
                case off
                case insteadOf = "instead_of"
            }
        }
    }

    /// The cross-check against the python `holidays` package.
    public struct PythonCrossCheck: Codable, Sendable, Hashable {
        /// Country code in `holidays`, e.g. `KZ`.
        public var country: String
        /// Years compared.
        public var firstYear: Int
        public var lastYear: Int
        /// Holiday categories to ask `holidays` for (default: its default, public holidays).
        public var categories: [String]?
        /// Every day where the two disagree, with the reason.
        public var differences: [Difference]

        enum CodingKeys: String, CodingKey {
            case country, differences, categories
            case firstYear = "first_year"
            case lastYear = "last_year"
        }

        /// One explained disagreement.
        public struct Difference: Codable, Sendable, Hashable {
            public var date: CivilDate
            /// Whether this calendar has the office closed that day (python says the opposite).
            public var closedHere: Bool
            public var reason: String

            enum CodingKeys: String, CodingKey {
                case date, reason
                case closedHere = "closed_here"
            }
        }
    }
}
