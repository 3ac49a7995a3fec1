import Foundation
import Synchronization

/// All deadline rules and office calendars, decoded once from their JSON files and compiled.
///
/// Compiled rules are kept for the life of the process (rule books are loaded once, or a few
/// times in tests), so a ``Deadline`` can refer to its rule without reference counting.
///
/// ``standard`` is built from the files embedded from `Sources/IPCase/Data/` at build time.
///
/// ```swift
/// let book = RuleBook.standard
/// book.rules(jurisdiction: .european, kind: .patent).map(\.id)   // ["PARIS.priority.12", "EP.renewal", …]
/// book.calendar(id: "KZ")?.isClosed(try CivilDate(iso: "2025-03-21"))   // true
/// ```
public final class RuleBook: Sendable {
    /// The rules and calendars embedded in this build (decoded on first use, then cached).
    public static let standard: RuleBook = {
        do {
            return try RuleBook(files: EmbeddedFiles.all)
        } catch {
            // The embedded data is part of the build and checked by the tests.
            preconditionFailure("embedded rule data is invalid: \(error)")
        }
    }()

    /// Calendars by id.
    public let calendars: [String: OfficeCalendar]
    /// The rule files as written.
    public let files: [String: RuleFile]
    /// Jurisdictions that have rules, sorted.
    public let jurisdictions: [Jurisdiction]
    private let sets: [UInt32: [DeadlineRule]]
    /// The same sets for the engine, found by a direct index (two letters and a kind, no
    /// hashing); the rules are kept alive for the process, so the engine walks them without
    /// reference counting.
    private let engineSets: [EngineSet?]

    /// A rule set as the engine reads it.
    @usableFromInline
    struct EngineSet: Sendable {
        @usableFromInline let rules: [Unmanaged<DeadlineRule>]
        /// Events that end rights of the jurisdiction.
        @usableFromInline let endsWithMask: UInt64
    }

    /// A rule file or calendar file that cannot be used, with the file and the problem.
    public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Path relative to `Data/`, e.g. `rules/EP.json`.
        public var file: String
        /// What is wrong.
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Decodes and compiles rule files (`rules/*.json`) and calendar files (`calendars/*.json`).
    /// - Parameter files: paths relative to `Data/` with their contents, e.g. `EmbeddedFiles.all`.
    public convenience init(files: [(path: String, contents: String)]) throws(LoadError) {
        precondition(RightEventKind.allCases.count == RightEventKind.ordinalCount && RightEventKind.ordinalCount <= 64)
        for (index, kind) in RightEventKind.allCases.enumerated() { precondition(kind.ordinal == index) }
        let decoder = JSONDecoder()
        var calendars: [String: OfficeCalendar] = [:]
        var ruleFiles: [String: RuleFile] = [:]
        for (path, contents) in files where path.hasSuffix(".json") {
            if path.hasPrefix("calendars/") {
                let file: CalendarFile
                do {
                    file = try decoder.decode(CalendarFile.self, from: Data(contents.utf8))
                } catch {
                    throw LoadError(file: path, message: RuleBook.describe(error))
                }
                guard calendars[file.id] == nil else {
                    throw LoadError(file: path, message: "duplicate calendar id \(file.id)")
                }
                calendars[file.id] = try OfficeCalendar(file: file)
            } else if path.hasPrefix("rules/") {
                do {
                    ruleFiles[path] = try decoder.decode(RuleFile.self, from: Data(contents.utf8))
                } catch {
                    throw LoadError(file: path, message: RuleBook.describe(error))
                }
            }
        }
        try self.init(ruleFiles: ruleFiles, calendars: calendars, fingerprint: RuleBook.fingerprint(of: files))
    }

    /// The ``fingerprint`` of the embedded rules and calendars, from the files alone (nothing
    /// decoded or compiled: an idle daemon checks it at start without loading the book).
    public static let embeddedFingerprint: String = fingerprint(of: EmbeddedFiles.all)

    /// FNV-1a over the sorted paths and contents of the rule and calendar files, with the
    /// engine revision: `r1-9f3c…`.
    static func fingerprint(of files: [(path: String, contents: String)]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (path, contents) in files.sorted(by: { $0.path < $1.path })
        where path.hasPrefix("rules/") || path.hasPrefix("calendars/") {
            for byte in path.utf8 + [0] + contents.utf8 + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return "r\(RuleBook.engineRevision)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Compiles decoded rule files against compiled calendars (the embedded ones, or those with an
    /// office's overrides laid over them: ``overlaid(with:)``).
    private init(ruleFiles: [String: RuleFile], calendars: [String: OfficeCalendar], fingerprint: String)
        throws(LoadError)
    {
        self.fingerprint = fingerprint
        self.calendars = calendars
        self.files = ruleFiles

        var byJurisdiction: [String: (path: String, file: RuleFile)] = [:]
        for (path, file) in ruleFiles where file.jurisdiction != "*" {
            guard Jurisdiction.isValidCode(file.jurisdiction) else {
                throw LoadError(file: path, message: "'\(file.jurisdiction)' is not a two-letter office code or *")
            }
            guard byJurisdiction[file.jurisdiction] == nil else {
                throw LoadError(file: path, message: "a second rule file for \(file.jurisdiction)")
            }
            byJurisdiction[file.jurisdiction] = (path, file)
        }

        var compiler = RuleCompiler(calendars: calendars, byJurisdiction: byJurisdiction)
        for path in ruleFiles.keys.sorted() {
            // Paris rules first, so that the priority deadline leads each schedule.
            guard ruleFiles[path]!.jurisdiction == "*" else { continue }
            try compiler.add(file: ruleFiles[path]!, path: path)
        }
        for path in ruleFiles.keys.sorted() where ruleFiles[path]!.jurisdiction != "*" {
            try compiler.add(file: ruleFiles[path]!, path: path)
        }
        sets = compiler.sets
        var engineSets = [EngineSet?](repeating: nil, count: 26 * 26 * 8)
        for (key, rules) in compiler.sets {
            let code = String(
                decoding: [UInt8(truncatingIfNeeded: key >> 16), UInt8(truncatingIfNeeded: key >> 8)], as: UTF8.self)
            guard let index = RuleBook.engineIndex(Jurisdiction(trusted: code), Int(key & 0xFF)) else { continue }
            engineSets[index] = EngineSet(
                rules: rules.map { Unmanaged.passUnretained($0) }, endsWithMask: compiler.endsWith[code] ?? 0)
        }
        self.engineSets = engineSets
        RuleBook.keptAlive.withLock { $0.append(contentsOf: compiler.sets.values.joined()) }
        jurisdictions = byJurisdiction.keys.sorted().map { Jurisdiction(trusted: $0) }
    }

    /// This book with an office's calendar overrides laid over its calendars (closed days a
    /// decree or notice added, working days it made of weekend days), its rules compiled against
    /// them; `self` when there are none.
    ///
    /// Each call compiles the rules again, and compiled rules live as long as the process: cache
    /// the result per distinct set of overrides (the daemon and the docket do).
    /// - Throws: ``LoadError`` when an override names a calendar without data or a day outside
    ///   its years.
    public func overlaid(with overrides: [CalendarOverride]) throws(LoadError) -> RuleBook {
        guard !overrides.isEmpty else { return self }
        let overrides = overrides.sorted { ($0.calendar, $0.day) < ($1.calendar, $1.day) }
        if let cached = overlays.withLock({ $0[overrides] }) { return cached }
        let book = try compileOverlay(overrides)
        overlays.withLock { cache in
            // A bound on memory for a process that sees many distinct sets (compiled rules stay).
            if cache.count >= 256 { cache.removeAll() }
            cache[overrides] = book
        }
        return book
    }

    /// The jurisdictions whose rules roll some date by calendar `id` (a right of any of them may
    /// move when that calendar changes): those whose own calendar it is (the Paris rules roll by
    /// it), and those with a rule that names it (the PCT national phase at that office).
    public func jurisdictions(countingBy id: String) -> [Jurisdiction] {
        Set(allRules.filter { $0.calendar?.id == id }.map(\.jurisdiction)).sorted { $0.code < $1.code }
    }

    private func compileOverlay(_ overrides: [CalendarOverride]) throws(LoadError) -> RuleBook {
        var calendars = self.calendars
        for (id, list) in Dictionary(grouping: overrides, by: \.calendar) {
            guard let calendar = calendars[id] else {
                throw LoadError(
                    file: "calendar overrides",
                    message: "no calendar \(id) (calendars: \(calendarIDs.sorted().joined(separator: ", ")))")
            }
            calendars[id] = try OfficeCalendar(file: calendar.file, overrides: list)
        }
        return try RuleBook(
            ruleFiles: files, calendars: calendars,
            fingerprint: fingerprint + "+" + overrides.map(\.summary).joined(separator: ";"))
    }

    /// Raised when the engine counts differently with the same data (so that a release with the
    /// change recomputes every open deadline, as a change of data does).
    public static let engineRevision = 1

    /// A stable fingerprint of the rule and calendar files this book was built from and the
    /// engine revision (FNV-1a over the sorted paths and contents), e.g. `r1-9f3c…`; the daemon
    /// stores it and recomputes every open deadline when a release changes it.
    public let fingerprint: String

    /// Books with overrides laid over, per sorted set of overrides.
    private let overlays = Mutex<[[CalendarOverride]: RuleBook]>([:])

    /// Every rule ever compiled: deadlines hold their rule `unowned(unsafe)`.
    private static let keptAlive = Mutex<[DeadlineRule]>([])

    /// The rules that apply to a right of `kind` in `jurisdiction`, in schedule order.
    public func rules(jurisdiction: Jurisdiction, kind: RightKind) -> [DeadlineRule] {
        sets[RuleBook.key(jurisdiction, kind)] ?? []
    }

    /// Whether any rule exists for the jurisdiction.
    public func hasRules(for jurisdiction: Jurisdiction) -> Bool {
        jurisdictions.contains(jurisdiction)
    }

    /// The restoration period of rights of `jurisdiction` that lapse for an unpaid fee, if the
    /// rule file gives one.
    public func lapseRestoration(jurisdiction: String) -> LapseRestoration? {
        files.values.first { $0.jurisdiction == jurisdiction }?.lapseRestoration
    }

    /// The last day a right of `jurisdiction` that lapsed because the fee whose final date was
    /// `missedDeadline` went unpaid can be restored, or `nil` when unknown.
    ///
    /// ```swift
    /// RuleBook.standard.restorableUntil(jurisdiction: "KZ", missedDeadline: try CivilDate(iso: "2026-03-31"))
    /// // 2029-03-31 (three years, kazpatent.kz)
    /// ```
    public func restorableUntil(jurisdiction: String, missedDeadline: CivilDate) -> CivilDate? {
        lapseRestoration(jurisdiction: jurisdiction).map { missedDeadline.adding($0.period).date }
    }

    /// The calendar with this id, e.g. `KZ`, `US`, `EP`, `RU`.
    public func calendar(id: String) -> OfficeCalendar? { calendars[id] }

    /// The ids of the calendars with data.
    public var calendarIDs: [String] { Array(calendars.keys) }

    /// Every compiled rule, for review and tests.
    public var allRules: [DeadlineRule] {
        sets.keys.sorted().flatMap { sets[$0]! }
    }

    @usableFromInline
    func engineSet(jurisdiction: Jurisdiction, kind: RightKind) -> EngineSet? {
        guard let index = RuleBook.engineIndex(jurisdiction, kind.ordinal) else { return nil }
        return engineSets[index]
    }

    /// Two upper-case letters and a kind as an index into `engineSets`.
    @usableFromInline
    static func engineIndex(_ jurisdiction: Jurisdiction, _ kind: Int) -> Int? {
        var utf8 = jurisdiction.code.utf8.makeIterator()
        guard let first = utf8.next(), let second = utf8.next(), first >= 65, first <= 90, second >= 65, second <= 90
        else { return nil }
        return ((Int(first) - 65) * 26 + Int(second) - 65) * 8 + kind
    }

    @usableFromInline
    static func key(_ jurisdiction: Jurisdiction, _ kind: RightKind) -> UInt32 {
        var key: UInt32 = 0
        for byte in jurisdiction.code.utf8 { key = key << 8 | UInt32(byte) }
        return key << 8 | UInt32(kind.ordinal)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "\(RuleBook.path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "\(RuleBook.path(context.codingPath + [key])): missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(RuleBook.path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

extension RightKind {
    /// A dense index of each kind.
    var ordinal: Int {
        switch self {
        case .patent: 0
        case .utilityModel: 1
        case .design: 2
        case .trademark: 3
        case .pctApplication: 4
        case .provisional: 5
        case .selectionAchievement: 6
        case .software: 7
        case .database: 8
        case .work: 9
        case .knowHow: 10
        }
    }
}

/// Turns rule specs into compiled rules per jurisdiction and kind.
private struct RuleCompiler {
    let calendars: [String: OfficeCalendar]
    let byJurisdiction: [String: (path: String, file: RuleFile)]
    var sets: [UInt32: [DeadlineRule]] = [:]
    var endsWith: [String: UInt64] = [:]
    var seen: Set<String> = []

    init(calendars: [String: OfficeCalendar], byJurisdiction: [String: (path: String, file: RuleFile)]) {
        self.calendars = calendars
        self.byJurisdiction = byJurisdiction
    }

    static func mask(_ kinds: [RightEventKind]?) -> UInt64 {
        (kinds ?? []).reduce(0) { $0 | $1.bit }
    }

    mutating func add(file: RuleFile, path: String) throws(RuleBook.LoadError) {
        if file.jurisdiction != "*" {
            endsWith[file.jurisdiction] = RuleCompiler.mask(file.endsWith)
        }
        var specs = file.rules
        for office in file.nationalPhaseOffices ?? [] {
            specs.append(
                RuleSpec(
                    id: "\(file.jurisdiction).national-phase.\(office.office)", type: .nationalPhase,
                    kinds: [.pctApplication], jurisdictions: nil, trigger: OneOrMany([.filed]), perEvent: nil,
                    base: .earliestPriority, period: Period(months: office.months), anchor: nil, laterOf: nil,
                    earlierOf: nil, repeat: nil, window: nil, deferTo: nil,
                    final: office.finalMonths.map {
                        RuleSpec.Final(
                            kind: .lateEntry, from: .base, period: Period(months: $0), anchor: nil, steps: nil,
                            cap: nil, note: office.finalNote, citation: nil, status: nil)
                    },
                    onlyIf: nil, unless: nil, closedBy: [.nationalPhaseEntered], endsWith: nil, office: office.office,
                    calendar: office.calendar ?? office.office, citation: office.citation, status: office.status,
                    clampedStatus: nil, note: office.note))
        }
        for spec in specs {
            let error = { (message: String) in RuleBook.LoadError(file: path, message: "rule \(spec.id): \(message)") }
            guard !seen.contains(spec.id) else { throw error("duplicate id") }
            seen.insert(spec.id)
            let codes: [String]
            if file.jurisdiction == "*" {
                guard let listed = spec.jurisdictions, !listed.isEmpty else {
                    throw error("needs `jurisdictions` in a * file")
                }
                codes = listed
            } else {
                guard spec.jurisdictions == nil else { throw error("`jurisdictions` only in a * file") }
                codes = [file.jurisdiction]
            }
            guard !spec.kinds.isEmpty else { throw error("no kinds") }
            for code in codes {
                guard let home = byJurisdiction[code] else { throw error("no rule file for jurisdiction \(code)") }
                for kind in spec.kinds {
                    let rule = try compile(
                        spec: spec, path: path, file: file, home: home.file, kind: kind, error: error)
                    sets[RuleBook.key(rule.jurisdiction, kind), default: []].append(rule)
                }
            }
        }
    }

    func resolveCalendar(_ id: String?, home: RuleFile) -> (OfficeCalendar?, String?) {
        let name = id ?? home.calendar ?? "none"
        switch name {
        case "none":
            return (nil, nil)
        case "jurisdiction":
            return resolveCalendar(home.calendar, home: home)
        case "weekends":
            return (OfficeCalendar.weekendsOnly(id: "weekends"), "no office calendar: Saturdays and Sundays only")
        default:
            if let calendar = calendars[name] { return (calendar, nil) }
            return (OfficeCalendar.weekendsOnly(id: name), "no \(name) calendar data: Saturdays and Sundays only")
        }
    }

    func compile(
        spec: RuleSpec, path: String, file: RuleFile, home: RuleFile, kind: RightKind,
        error: (String) -> RuleBook.LoadError
    ) throws(RuleBook.LoadError) -> DeadlineRule {
        let jurisdiction = Jurisdiction(trusted: home.jurisdiction)
        let legsSpec = spec.laterOf ?? spec.earlierOf
        guard spec.laterOf == nil || spec.earlierOf == nil else { throw error("both later_of and earlier_of") }
        if let legsSpec {
            guard legsSpec.count >= 2 else { throw error("a combination needs two periods") }
            guard spec.period == nil, spec.repeat == nil else {
                throw error("later_of/earlier_of replace period and repeat")
            }
        } else {
            guard spec.period != nil else { throw error("needs a period (or later_of/earlier_of)") }
        }
        var legs: [DeadlineRule.Leg] = []
        for leg in legsSpec ?? [] {
            switch (leg.base, leg.event) {
            case (let base?, nil):
                legs.append(.init(source: DeadlineRule.Source(base), span: DeadlineRule.Span(leg.period)))
            case (nil, let event?):
                legs.append(.init(source: .event(event.ordinal), span: DeadlineRule.Span(leg.period)))
            case (_?, _?), (nil, nil): throw error("each combined period needs either base or event")
            }
        }
        guard legs.count <= 3 else { throw error("at most three combined periods") }
        let triggers = spec.trigger.values
        guard triggers.count <= 3 else { throw error("at most three trigger events") }
        let noLeg = DeadlineRule.Leg(source: .trigger, span: DeadlineRule.Span(Period()))
        func legAt(_ index: Int) -> DeadlineRule.Leg { index < legs.count ? legs[index] : noLeg }
        func triggerAt(_ index: Int) -> RightEventKind { triggers[min(index, triggers.count - 1)] }

        var count = 1
        var firstHalf: Int16 = 0
        var stepHalf: Int16 = 0
        var stepMonths = 0
        if let repeatSpec = spec.repeat {
            guard spec.perEvent != true else { throw error("per_event rules cannot repeat") }
            let every = repeatSpec.every
            guard every.totalDays == 0, every.totalMonths > 0, every.totalMonths % 6 == 0 else {
                throw error("repeat.every must be whole half years")
            }
            stepMonths = every.totalMonths
            stepHalf = Int16(every.totalMonths / 6)
            firstHalf = repeatSpec.firstYear.halfYears
            let last: Int16
            switch repeatSpec.lastYear {
            case .year(let year):
                last = year.halfYears
            case .endOfTerm:
                guard
                    let term = home.rules.first(where: { $0.type == .termEnd && $0.kinds.contains(kind) }),
                    let period = term.period, period.totalDays == 0, period.totalMonths % 6 == 0
                else {
                    throw error(
                        "last_year end_of_term needs a term_end rule for \(kind.rawValue) in \(home.jurisdiction)")
                }
                last = Int16(period.totalMonths / 6)
            }
            guard last >= firstHalf, (last - firstHalf) % stepHalf == 0 else {
                throw error("last_year is not first_year plus whole steps")
            }
            count = Int((last - firstHalf) / stepHalf) + 1
        }

        let final = spec.final.map { final in
            // An extension lengthens the period (counted from its start); a grace period or a
            // late entry runs from the end of the period.
            func origin(_ from: RuleSpec.From) -> DeadlineRule.Plan.Origin {
                switch from {
                case .base: .base
                case .nominal: final.kind == .extension ? .period : .nominal
                }
            }
            return DeadlineRule.Plan.Final(
                origin: origin(final.from), span: DeadlineRule.Span(final.period),
                monthEndToMonthEnd: final.anchor == .monthEndToMonthEnd,
                cap: final.cap.map { (origin($0.from), DeadlineRule.Span($0.period)) })
        }
        let (calendar, calendarNote) = resolveCalendar(spec.calendar ?? file.calendar, home: home)
        let plan = DeadlineRule.Plan(
            triggers: (triggerAt(0), triggerAt(1), triggerAt(2)),
            triggerCount: triggers.count,
            triggerMask: RuleCompiler.mask(spec.trigger.values),
            perEvent: spec.perEvent ?? false,
            lastOccurrence: spec.occurrence == .last,
            base: DeadlineRule.Source(spec.base ?? .trigger),
            span: DeadlineRule.Span(spec.period ?? Period()),
            endOfMonth: spec.anchor == .endOfMonth || spec.anchor == .endOfYear,
            endOfYear: spec.anchor == .endOfYear,
            combination: spec.laterOf != nil ? .laterOf : (spec.earlierOf != nil ? .earlierOf : .single),
            legs: (legAt(0), legAt(1), legAt(2)),
            legCount: legs.count,
            count: count, firstHalfYears: firstHalf, stepHalfYears: stepHalf, stepMonths: stepMonths,
            isRepeated: spec.repeat != nil,
            window: spec.window.map { ($0.from == .base ? .base : .nominal, DeadlineRule.Span($0.period)) },
            deferral: spec.deferTo.map {
                (DeadlineRule.Source($0.base), DeadlineRule.Span($0.period), RuleCompiler.mask($0.onlyIf))
            },
            final: final,
            onlyIfMask: RuleCompiler.mask(spec.onlyIf),
            unlessMask: RuleCompiler.mask(spec.unless),
            closedByMask: RuleCompiler.mask(spec.closedBy),
            endsWithMask: RuleCompiler.mask(spec.endsWith),
            clampedUnconfirmed: spec.clampedStatus == .unconfirmed,
            calendar: calendar)
        return DeadlineRule(
            spec: spec, file: path, jurisdiction: jurisdiction, kind: kind, calendar: calendar,
            calendarNote: calendarNote, plan: plan)
    }
}
