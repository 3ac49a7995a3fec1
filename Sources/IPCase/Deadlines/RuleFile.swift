/// The reviewable form of deadline rules: one JSON file per jurisdiction under `Data/rules/`
/// (`PARIS.json` holds the Paris Convention rules that apply in several jurisdictions).
///
/// An attorney reviews these files; ``RuleBook`` decodes them once and compiles them into
/// ``DeadlineRule`` values for the engine. Field names are `snake_case` in the files.
public struct RuleFile: Codable, Sendable, Hashable {
    /// The jurisdiction code, or `*` for a file whose rules name their `jurisdictions`.
    public var jurisdiction: String
    /// E.g. "European Patent Office".
    public var title: String
    /// Calendar that rolls the rules of this file unless a rule names another.
    public var calendar: String?
    /// Events that end the right: occurrences nominally due after the first of them are dropped
    /// (unless a later `restored` event exists).
    public var endsWith: [RightEventKind]?
    /// The rules.
    public var rules: [RuleSpec]
    /// PCT national/regional phase time limits per designated office (WO only), expanded into
    /// one `national_phase` rule per office.
    public var nationalPhaseOffices: [NationalPhaseOffice]?
    /// How long a right that lapsed for an unpaid fee can be restored, counted from the missed
    /// payment deadline; absent where it is not known (the lapse then records no restoration
    /// deadline and an attorney adds it by hand).
    public var lapseRestoration: LapseRestoration?

    enum CodingKeys: String, CodingKey {
        case jurisdiction, title, calendar, rules
        case endsWith = "ends_with"
        case nationalPhaseOffices = "national_phase_offices"
        case lapseRestoration = "lapse_restoration"
    }
}

/// The restoration period of a right lapsed for an unpaid fee, from a rule file.
public struct LapseRestoration: Codable, Sendable, Hashable {
    /// The period, counted from the final date of the missed fee, e.g. `3y`.
    public var period: Period
    /// The legal source.
    public var citation: String
    /// Whether it is confirmed.
    public var status: RuleStatus
    /// What a reviewer should know.
    public var note: String?
}

/// Whether a rule (or a calendar entry) has been confirmed against its source.
public enum RuleStatus: String, Codable, Sendable, Hashable {
    case confirmed, unconfirmed
}

/// One rule as written in a rule file.
public struct RuleSpec: Codable, Sendable, Hashable {
    /// Stable id, e.g. `EP.renewal`; part of every deadline's key.
    public var id: String
    /// The deadline type it produces.
    public var type: DeadlineType
    /// Right kinds it applies to.
    public var kinds: [RightKind]
    /// For `*` files: the jurisdictions it applies to.
    public var jurisdictions: [String]?
    /// The event(s) that trigger it; the first kind present is used.
    public var trigger: OneOrMany<RightEventKind>
    /// One deadline per trigger event (office actions) instead of one per right.
    public var perEvent: Bool?
    /// Which of several trigger events of the kind counts: `first` (the default) or `last` (the
    /// death of the last surviving co-author, from which a work's term runs).
    public var occurrence: Occurrence?
    /// The date the period runs from (default `trigger`).
    public var base: BaseDate?
    /// The period (for a repeated rule: the offset of the first occurrence).
    public var period: Period?
    /// `end_of_month`: the period ends on the last day of the month it reaches (EPC Rule 51(1));
    /// `end_of_year`: on 31 December of the year it reaches (a term counted from 1 January of the
    /// year after the event).
    public var anchor: Anchor?
    /// The later of several periods (PCT Rule 54bis.1); replaces `base`/`period`.
    public var laterOf: [Leg]?
    /// The earlier of several periods; replaces `base`/`period`.
    public var earlierOf: [Leg]?
    /// Recurrence: annuities, maintenance fees, renewals.
    public var `repeat`: Repeat?
    /// When payment or action may start.
    public var window: Offset?
    /// A later date on which occurrences falling due earlier are due instead (EPC Rule 159(1)(g)).
    public var deferTo: Deferral?
    /// Grace period or extension limit: the final date.
    public var final: Final?
    /// Only if all of these events exist.
    public var onlyIf: [RightEventKind]?
    /// Unless one of these events exists.
    public var unless: [RightEventKind]?
    /// Events that meet the deadline (on or after the trigger date; `annuity-paid` must name the year).
    public var closedBy: [RightEventKind]?
    /// Occurrences nominally due after the first of these events are dropped (EPC Art. 86(2)).
    public var endsWith: [RightEventKind]?
    /// The office a `national_phase` rule is for (a closing event with a reference must name it).
    public var office: String?
    /// Calendar id; `none` = not rolled; `weekends` = Saturdays and Sundays only; default the file's.
    public var calendar: String?
    /// The legal source.
    public var citation: String
    /// Whether the rule is confirmed.
    public var status: RuleStatus
    /// The status of a deadline whose month arithmetic had to clamp to a month end, if different.
    public var clampedStatus: RuleStatus?
    /// What a reviewer should know (assumptions, what is not computed).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, type, kinds, jurisdictions, trigger, base, period, anchor, window, final, office, calendar,
            citation, status, note, unless, occurrence
        case perEvent = "per_event"
        case laterOf = "later_of"
        case earlierOf = "earlier_of"
        case `repeat` = "repeat"
        case deferTo = "defer_to"
        case onlyIf = "only_if"
        case closedBy = "closed_by"
        case endsWith = "ends_with"
        case clampedStatus = "clamped_status"
    }

    /// The date a period runs from.
    public enum BaseDate: String, Codable, Sendable, Hashable {
        /// The trigger event's date.
        case trigger
        /// The filing date: `filed`, else `pct-filed` (EPC Art. 153(2)).
        case filing
        /// The earliest of `priority`, `filed` and `pct-filed` (PCT Art. 2(xi)).
        case earliestPriority = "earliest_priority"
        /// `granted`.
        case grant
        /// `published`.
        case publication
        /// The trigger event's date, for communications (office actions).
        case notification
    }

    /// How the end of a period is placed.
    public enum Anchor: String, Codable, Sendable, Hashable {
        /// Same day number, else the last day of the month (PCT Rule 80.2, EPC Rule 131(4)).
        case sameDay = "same_day"
        /// The last day of the month reached (EPC Rule 51(1)).
        case endOfMonth = "end_of_month"
        /// 31 December of the year reached: a term that runs from 1 January of the year after
        /// its event, e.g. 70 years after the author's death.
        case endOfYear = "end_of_year"
    }

    /// Which trigger event of the kind a rule counts from.
    public enum Occurrence: String, Codable, Sendable, Hashable {
        /// The earliest (the default).
        case first
        /// The latest: the death of the last surviving co-author.
        case last
    }

    /// One period of a `later_of`/`earlier_of` combination.
    public struct Leg: Codable, Sendable, Hashable {
        /// A named base date…
        public var base: BaseDate?
        /// …or the date of an event.
        public var event: RightEventKind?
        public var period: Period
    }

    /// Occurrences `first_year`…`last_year`; occurrence *i* ends `period + i × every` after the base.
    public struct Repeat: Codable, Sendable, Hashable {
        /// Label of the first occurrence (e.g. 3 for the 3rd-year renewal fee, 3.5 for US).
        public var firstYear: FeeYear
        /// Label of the last occurrence, or the end of the term of the right kind.
        public var lastYear: LastYear
        /// Step between occurrences (a whole number of half years).
        public var every: Period

        enum CodingKeys: String, CodingKey {
            case every
            case firstYear = "first_year"
            case lastYear = "last_year"
        }
    }

    /// The last occurrence of a repeated rule.
    public enum LastYear: Codable, Sendable, Hashable {
        /// A fixed label.
        case year(FeeYear)
        /// The term in years of the right kind, from the `term_end` rule of the same jurisdiction.
        case endOfTerm

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                guard text == "end_of_term" else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: decoder.codingPath, debugDescription: "expected a year or \"end_of_term\""))
                }
                self = .endOfTerm
            } else {
                self = .year(try container.decode(FeeYear.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .year(let year): try container.encode(year)
            case .endOfTerm: try container.encode("end_of_term")
            }
        }
    }

    /// A date offset from the base (stepping with a repeat) or from the nominal date.
    public struct Offset: Codable, Sendable, Hashable {
        public var from: From
        public var period: Period
        /// Cap: the result is never later than this offset (US 6-month statutory maximum).
        public var cap: Cap?
    }

    /// What an offset counts from.
    public enum From: String, Codable, Sendable, Hashable {
        /// The base date (plus the repeat step of the occurrence).
        case base
        /// The nominal (unrolled) date of the occurrence: a grace period runs from it (J 4/91); an
        /// `extension` lengthens the period and is counted again from the period's start, so it
        /// ends on the day corresponding to the base date (MPEP 710.01(a)).
        case nominal
    }

    /// A cap on a final date.
    public struct Cap: Codable, Sendable, Hashable {
        public var from: From
        public var period: Period
        /// The law that sets it.
        public var citation: String?
    }

    /// A date to which earlier occurrences are deferred.
    public struct Deferral: Codable, Sendable, Hashable {
        public var base: BaseDate
        public var period: Period
        /// Only if all of these events exist.
        public var onlyIf: [RightEventKind]?
        public var citation: String

        enum CodingKeys: String, CodingKey {
            case base, period, citation
            case onlyIf = "only_if"
        }
    }

    /// The end of a grace period or of the extension limit.
    public struct Final: Codable, Sendable, Hashable {
        public var kind: Kind
        public var from: From
        public var period: Period
        /// `month_end_to_month_end`: from a month end, the result is a month end (J 4/91).
        public var anchor: FinalAnchor?
        /// List the step dates in the explanation (US monthly extensions).
        public var steps: Period?
        public var cap: Cap?
        /// Fee or condition, e.g. "50 % additional fee, EPC Rule 51(2)".
        public var note: String?
        /// The law that gives the final date, where it is not the rule's own citation (a
        /// restoration request, a late renewal).
        public var citation: String?
        /// `unconfirmed` when the final date is less certain than the rule's due date; a deadline
        /// with such a final date is then `unconfirmed` as a whole.
        public var status: RuleStatus?

        /// Kinds of final dates.
        public enum Kind: String, Codable, Sendable, Hashable {
            case grace, `extension`
            case lateEntry = "late_entry"
            /// The last day to act with a request for restoration (of a priority right: EPC Rule
            /// 136(1), PCT Rule 26bis.3, 37 CFR 1.55(c), 1.78(b)).
            case restoration
        }

        /// Month-end handling of a final date.
        public enum FinalAnchor: String, Codable, Sendable, Hashable {
            case sameDay = "same_day"
            case monthEndToMonthEnd = "month_end_to_month_end"
        }
    }
}

/// PCT national/regional phase time limit of one designated or elected office (WO rule file).
public struct NationalPhaseOffice: Codable, Sendable, Hashable {
    /// Office code, e.g. `EP`.
    public var office: String
    /// Months from the priority date.
    public var months: Int
    /// Calendar that rolls it (default: the office code).
    public var calendar: String?
    /// Months to the end of late entry (with fee), where the office allows it.
    public var finalMonths: Int?
    /// The fee or condition of late entry.
    public var finalNote: String?
    public var citation: String
    public var status: RuleStatus
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case office, months, calendar, citation, status, note
        case finalMonths = "final_months"
        case finalNote = "final_note"
    }
}

/// A value written either alone or as a list in a rule file.
public struct OneOrMany<Element: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    /// The values, in order.
    public var values: [Element]

    /// Wraps values.
    public init(_ values: [Element]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(Element.self) {
            values = [one]
        } else {
            values = try container.decode([Element].self)
        }
        guard !values.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty list"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
