/// The fixed phrases a deadline's explanation is made of, in one language: templates with
/// `{name}` placeholders, the plural rule for its units, and how it writes dates and event names.
///
/// The default, ``english``, gives ``Deadline/explanation`` byte for byte. IPCaseReports fills
/// one per language from its catalogs (`explain.*` keys, one per ``Phrase``).
///
/// ```swift
/// var phrases = ExplanationPhrases.english
/// phrases.templates[.notRolled] = "; не переносится"
/// deadline.explanation(phrases: phrases).text
/// ```
public struct ExplanationPhrases: Sendable {
    /// A plural category of a unit after a number (CLDR's names; a language uses some of them).
    public enum Plural: String, Hashable, Sendable, CaseIterable {
        /// 1 month, 21 месяц.
        case one
        /// 2–4 месяца, 22 месяца.
        case few
        /// 5 месяцев, 11 месяцев, and every other count in English (2 months).
        case many
    }

    /// Every fixed phrase; the raw value is the catalog key after `explain.`.
    public enum Phrase: String, Hashable, Sendable, CaseIterable {
        /// `year {year}: ` before the explanation of a recurring fee's year.
        case yearPrefix = "year-prefix"
        /// `later of {legs}`, `earlier of {legs}`: a limit that is the later or earlier of several.
        case laterOf = "later-of"
        case earlierOf = "earlier-of"
        /// Between the legs of a later-of or earlier-of limit.
        case legSeparator = "leg-separator"
        /// After the legs: not every date is recorded, or which way the others end.
        case legMissing = "leg-missing"
        case othersEndEarlier = "others-end-earlier"
        case othersEndLater = "others-end-later"
        /// `{period} from {base} {date}`: a period counted from a dated base.
        case fromDated = "from-dated"
        /// `{period} from {base}`: a period counted from a base (no date).
        case fromUndated = "from-undated"
        /// `{base} {date}`: a base date itself (no period).
        case atDate = "at-date"
        /// An unknown base (`?`).
        case unknownBase = "unknown-base"
        /// A base date named by an event, `{event}` (its name, see ``ExplanationPhrases/eventName``).
        case event = "event"
        /// The last such event (a recurring rule counted from it).
        case lastEvent = "last-event"
        /// Base dates by kind.
        case baseTrigger = "base.trigger"
        case baseFiling = "base.filing"
        case baseEarliestPriority = "base.earliest-priority"
        case baseGrant = "base.grant"
        case basePublication = "base.publication"
        case baseNotification = "base.notification"
        /// The nominal date, as a base (a cap counted from it).
        case baseNominal = "base.nominal"
        /// `, to the end of that year → {date}`, `, last day of that month → {date}`.
        case endOfYear = "end-of-year"
        case endOfMonth = "end-of-month"
        /// ` → {date} (no day {day} in that month: its last day)`.
        case clamped = "clamped"
        /// ` → {date}`.
        case arrow = "arrow"
        /// `; before {period} from {base} ({date}), so due then, {citation}`.
        case deferred = "deferred"
        /// `; {days} → {date}`: the closed days skipped and the day it rolls to.
        case rolled = "rolled"
        /// Between closed days skipped.
        case daySeparator = "day-separator"
        /// ` ({note})`: a calendar's or rule's note.
        case note = "note"
        /// ` (beyond the {calendar} calendar data {from}–{to}: weekends only)`.
        case beyondCalendar = "beyond-calendar"
        /// `; not rolled`: the rule does not move the date past closed days.
        case notRolled = "not-rolled"
        /// `{day} is a {weekday}`.
        case weekendDay = "weekend-day"
        /// `{day} is {name}`: a holiday or a closure.
        case namedDay = "named-day"
        /// `, a {weekday}`: a holiday that is also a weekend day.
        case alsoWeekend = "also-weekend"
        /// `{day} is a {name}`: a day off carried over or moved by decree.
        case movedDay = "moved-day"
        /// `{calendar} closed {day} by {source}`: an office's override.
        case overrideDay = "override-day"
        /// ` (unconfirmed)` after a closed day.
        case unconfirmedDay = "unconfirmed-day"
        /// Weekday names.
        case monday = "weekday.monday"
        case tuesday = "weekday.tuesday"
        case wednesday = "weekday.wednesday"
        case thursday = "weekday.thursday"
        case friday = "weekday.friday"
        case saturday = "weekday.saturday"
        case sunday = "weekday.sunday"
        /// Kinds of final dates.
        case grace = "final.grace"
        case `extension` = "final.extension"
        case lateEntry = "final.late-entry"
        case restoration = "final.restoration"
        /// `; {kind} by up to {period}, counted from {base} {date}`.
        case finalCounted = "final-counted"
        /// ` ({dates})`, the extended dates, and their separator.
        case finalDates = "final-dates"
        case dateSeparator = "date-separator"
        /// `; {kind} to {period} after {date}`.
        case finalAfter = "final-after"
        /// `, month end to month end`.
        case monthEnd = "month-end"
        /// `; {kind} to {until}`.
        case finalTo = "final-to"
        /// `, capped at {period} from {base}`.
        case capped = "capped"
        /// `, {citation}`: a citation after a phrase.
        case citation = "citation"
        /// `; may be done from {date}`.
        case windowOpens = "window-opens"
        /// `; met by {event} {date}`.
        case metBy = "met-by"
        /// `; unconfirmed: {doubts}` and the separator between doubts.
        case unconfirmed = "unconfirmed"
        case doubtSeparator = "doubt-separator"
        /// The doubts.
        case ruleUnconfirmed = "doubt.rule"
        case rolledUnconfirmed = "doubt.rolled"
        case officeDaysMissing = "doubt.office-days"
        case holidaysMissing = "doubt.holidays"
        case clampingUnconfirmed = "doubt.clamping"
        case finalUnconfirmed = "doubt.final"
        /// Between the parts of a period (`3 years 6 months`).
        case unitSeparator = "unit-separator"
        /// `minus {period}`.
        case minus = "minus"
        /// Units after a number `{n}`, by plural category.
        case yearOne = "unit.year.one"
        case yearFew = "unit.year.few"
        case yearMany = "unit.year.many"
        case monthOne = "unit.month.one"
        case monthFew = "unit.month.few"
        case monthMany = "unit.month.many"
        case weekOne = "unit.week.one"
        case weekFew = "unit.week.few"
        case weekMany = "unit.week.many"
        case dayOne = "unit.day.one"
        case dayFew = "unit.day.few"
        case dayMany = "unit.day.many"

        /// The key of the phrase in a catalog, e.g. `explain.from-dated`.
        public var key: String { "explain." + rawValue }
    }

    /// The template of each phrase.
    public var templates: [Phrase: String]
    /// The plural category of a count.
    public var plural: @Sendable (Int) -> Plural
    /// A date as the language writes it.
    public var date: @Sendable (CivilDate) -> String
    /// An event's name from its code (`filed`), for `{event}` in ``Phrase/event`` and ``Phrase/metBy``;
    /// English names an event by its code.
    public var eventName: @Sendable (String) -> String

    /// A phrasebook of `templates` (a phrase missing from them is the English one).
    public init(
        templates: [Phrase: String], plural: @escaping @Sendable (Int) -> Plural,
        date: @escaping @Sendable (CivilDate) -> String, eventName: @escaping @Sendable (String) -> String
    ) {
        self.templates = templates
        self.plural = plural
        self.date = date
        self.eventName = eventName
    }

    /// English, the language of ``Deadline/explanation``: ISO dates, event codes as they are.
    public static let english = ExplanationPhrases(
        templates: englishTemplates, plural: englishPlural, date: { $0.description }, eventName: { $0 })

    /// English plurals: one for 1, many for every other count.
    @Sendable public static func englishPlural(_ count: Int) -> Plural { count == 1 ? .one : .many }

    /// Russian plurals: 1, 21, 31 … one; 2–4, 22–24 … few; 0, 5–20, 25–30 … many.
    @Sendable public static func russianPlural(_ count: Int) -> Plural {
        let units = count % 10
        let tens = count % 100
        if units == 1 && tens != 11 { return .one }
        if (2...4).contains(units) && !(12...14).contains(tens) { return .few }
        return .many
    }

    /// Kazakh plurals: a noun after a numeral does not agree (30 ай), so one form.
    @Sendable public static func kazakhPlural(_ count: Int) -> Plural { .many }

    /// The English templates, the ones ``Deadline/explanation`` is made of.
    public static let englishTemplates: [Phrase: String] = [
        .yearPrefix: "year {year}: ",
        .laterOf: "later of {legs}",
        .earlierOf: "earlier of {legs}",
        .legSeparator: " and ",
        .legMissing: " [not every date recorded: the limit may be later]",
        .othersEndEarlier: " (the others end earlier)",
        .othersEndLater: " (the others end later)",
        .fromDated: "{period} from {base} {date}",
        .fromUndated: "{period} from {base}",
        .atDate: "{base} {date}",
        .unknownBase: "?",
        .event: "{event}",
        .lastEvent: "the last {event}",
        .baseTrigger: "the trigger",
        .baseFiling: "filing",
        .baseEarliestPriority: "earliest priority",
        .baseGrant: "grant",
        .basePublication: "publication",
        .baseNotification: "notification",
        .baseNominal: "the nominal date",
        .endOfYear: ", to the end of that year → {date}",
        .endOfMonth: ", last day of that month → {date}",
        .clamped: " → {date} (no day {day} in that month: its last day)",
        .arrow: " → {date}",
        .deferred: "; before {period} from {base} ({date}), so due then, {citation}",
        .rolled: "; {days} → {date}",
        .daySeparator: ", ",
        .note: " ({note})",
        .beyondCalendar: " (beyond the {calendar} calendar data {from}–{to}: weekends only)",
        .notRolled: "; not rolled",
        .weekendDay: "{day} is a {weekday}",
        .namedDay: "{day} is {name}",
        .alsoWeekend: ", a {weekday}",
        .movedDay: "{day} is a {name}",
        .overrideDay: "{calendar} closed {day} by {source}",
        .unconfirmedDay: " (unconfirmed)",
        .monday: "Monday",
        .tuesday: "Tuesday",
        .wednesday: "Wednesday",
        .thursday: "Thursday",
        .friday: "Friday",
        .saturday: "Saturday",
        .sunday: "Sunday",
        .grace: "grace",
        .extension: "extension",
        .lateEntry: "late entry",
        .restoration: "restoration",
        .finalCounted: "; {kind} by up to {period}, counted from {base} {date}",
        .finalDates: " ({dates})",
        .dateSeparator: ", ",
        .finalAfter: "; {kind} to {period} after {date}",
        .monthEnd: ", month end to month end",
        .finalTo: "; {kind} to {until}",
        .capped: ", capped at {period} from {base}",
        .citation: ", {citation}",
        .windowOpens: "; may be done from {date}",
        .metBy: "; met by {event} {date}",
        .unconfirmed: "; unconfirmed: {doubts}",
        .doubtSeparator: "; ",
        .ruleUnconfirmed: "rule not yet confirmed",
        .rolledUnconfirmed: "rolled over a closed day that is not confirmed",
        .officeDaysMissing: "the office's closed days other than weekends are not in the calendar data",
        .holidaysMissing: "the {calendar} holidays of that year are not in the calendar data yet",
        .clampingUnconfirmed: "month-end clamping here is not confirmed",
        .finalUnconfirmed: "the final date is not confirmed",
        .unitSeparator: " ",
        .minus: "minus {period}",
        .yearOne: "{n} year",
        .yearFew: "{n} years",
        .yearMany: "{n} years",
        .monthOne: "{n} month",
        .monthFew: "{n} months",
        .monthMany: "{n} months",
        .weekOne: "{n} week",
        .weekFew: "{n} weeks",
        .weekMany: "{n} weeks",
        .dayOne: "{n} day",
        .dayFew: "{n} days",
        .dayMany: "{n} days",
    ]

    /// The template of `phrase` (the English one when this phrasebook lacks it).
    public func template(_ phrase: Phrase) -> String {
        templates[phrase] ?? Self.englishTemplates[phrase] ?? ""
    }

    /// `phrase` with its placeholders filled: each argument keeps its runs (local or quoted);
    /// a placeholder with no argument is left out.
    public func callAsFunction(_ phrase: Phrase, _ arguments: [String: Explanation] = [:]) -> Explanation {
        let template = template(phrase)
        var out = Explanation()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.append(String(rest[..<open]))
            if let value = arguments[String(rest[rest.index(after: open)..<close])] { out.append(value) }
            rest = rest[rest.index(after: close)...]
        }
        out.append(String(rest))
        return out
    }

    /// `phrase` with local-text arguments.
    func callAsFunction(_ phrase: Phrase, local arguments: [String: String]) -> Explanation {
        self(phrase, arguments.mapValues { Explanation(local: $0) })
    }

    /// A date, as local text.
    func text(_ day: CivilDate) -> Explanation { Explanation(local: date(day)) }

    /// A period in words: "30 months", "3 years 6 months", "minus 3 months".
    func text(_ period: Period) -> Explanation {
        let units: [(Int, Phrase, Phrase, Phrase)] = [
            (period.years, .yearOne, .yearFew, .yearMany), (period.months, .monthOne, .monthFew, .monthMany),
            (period.weeks, .weekOne, .weekFew, .weekMany), (period.days, .dayOne, .dayFew, .dayMany),
        ]
        var parts: [Explanation] = []
        for (value, one, few, many) in units where value != 0 {
            let magnitude = abs(value)
            let phrase: Phrase
            switch plural(magnitude) {
            case .one: phrase = one
            case .few: phrase = few
            case .many: phrase = many
            }
            parts.append(self(phrase, local: ["n": String(magnitude)]))
        }
        if parts.isEmpty { return self(plural(0) == .one ? .dayOne : .dayMany, local: ["n": "0"]) }
        let words = Explanation.joined(parts, separator: template(.unitSeparator))
        let negative = period.years < 0 || period.months < 0 || period.weeks < 0 || period.days < 0
        return negative ? self(.minus, ["period": words]) : words
    }

    /// A weekday's name.
    func text(_ weekday: Weekday) -> Explanation {
        let phrase: Phrase
        switch weekday {
        case .monday: phrase = .monday
        case .tuesday: phrase = .tuesday
        case .wednesday: phrase = .wednesday
        case .thursday: phrase = .thursday
        case .friday: phrase = .friday
        case .saturday: phrase = .saturday
        case .sunday: phrase = .sunday
        }
        return self(phrase)
    }

    /// A base date by kind.
    func text(_ base: RuleSpec.BaseDate) -> Explanation {
        switch base {
        case .trigger: self(.baseTrigger)
        case .filing: self(.baseFiling)
        case .earliestPriority: self(.baseEarliestPriority)
        case .grant: self(.baseGrant)
        case .publication: self(.basePublication)
        case .notification: self(.baseNotification)
        }
    }

    /// An event as a base date, by its code.
    func event(_ code: String, last: Bool = false) -> Explanation {
        self(last ? .lastEvent : .event, local: ["event": eventName(code)])
    }

    /// A base date as a rule names it: the trigger event's name for `.trigger`.
    func text(_ base: RuleSpec.BaseDate, trigger: Deadline.Trigger, last: Bool = false) -> Explanation {
        base == .trigger ? event(trigger.kind.rawValue, last: last) : text(base)
    }
}
