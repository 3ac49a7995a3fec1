import IPCase

/// The office's docket as a register import compares with it: its rights with their recorded
/// events, its parties and its families.
public struct DocketSnapshot: Sendable {
    /// A stored right and the events recorded for it.
    public struct Entry: Sendable {
        public var right: Right
        public var events: [RightEvent]

        public init(right: Right, events: [RightEvent]) {
            self.right = right
            self.events = events
        }
    }

    public var rights: [Entry]
    public var parties: [Party]
    /// The office's families by reference.
    public var families: [String: ID<RightFamily>]
    /// Today, for the chronology's "not more than a year ahead" check.
    public var today: CivilDate

    public init(rights: [Entry], parties: [Party], families: [String: ID<RightFamily>], today: CivilDate) {
        self.rights = rights
        self.parties = parties
        self.families = families
        self.today = today
    }
}

/// One line of a register import's report: what it would create or record, what differs
/// between the register and the docket, what it asks, and what it refuses.
public struct RegisterFinding: Sendable, Hashable, Codable {
    /// What the line is.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// A right the docket does not have, created from the register.
        case create
        /// An event the register shows and the docket lacks, recorded on the right.
        case record
        /// A fact the register and the docket disagree on; nothing is changed (a person decides).
        case differs
        /// An unsure match (a party whose name is alike but not the same); nothing is linked.
        case question
        /// A record that cannot be matched (no application number or office); nothing is written.
        case skipped
        /// A step the workflow or the chronology refuses: `--apply` writes nothing while any remains.
        case refused
        /// A register code that is no docket event (not in the legal-status table, known as no
        /// event, or without a date): shown so that nothing the register says is dropped silently;
        /// nothing is written.
        case unmapped
    }

    public var action: Action
    /// The application as `KZ 2023/0123.1`.
    public var application: String
    /// The docket's reference of the right, when it has one (or will have, for `create`).
    public var right: String?
    /// The fact compared: `filing date`, `granted`, `annuity-paid year 5`, `applicant` …
    public var field: String
    /// The register's value, and the docket's.
    public var register: String?
    public var docket: String?
    /// The line in words.
    public var message: String
    /// Where the register says it.
    public var source: RegisterSource

    public init(
        _ action: Action, application: String, right: String?, field: String, register: String?, docket: String?,
        message: String, source: RegisterSource
    ) {
        self.action = action
        self.application = application
        self.right = right
        self.field = field
        self.register = register
        self.docket = docket
        self.message = message
        self.source = source
    }
}

/// A step a register import writes on a right: the workflow or docket event, where the
/// register says it, and whether the import implied it (an allowance before a grant the
/// register states without one).
public struct RegisterStep: Sendable, Hashable {
    /// The stored right, or `0` for a right the import creates.
    public var right: ID<Right>
    public var step: RightStep
    public var source: RegisterSource
    public var implied: Bool

    public init(right: ID<Right>, step: RightStep, source: RegisterSource, implied: Bool = false) {
        self.right = right
        self.step = step
        self.source = source
        self.implied = implied
    }
}

/// A right a register import creates, with its family, its PCT parent and its steps.
public struct RegisterCreation: Sendable, Hashable {
    /// The right to create (key `0`, a draft; the steps move it).
    public var right: Right
    /// The match key of its application.
    public var key: String
    /// An existing family it joins, or the reference of a family the import creates.
    public var family: ID<RightFamily>?
    public var newFamily: String?
    /// The stored PCT application it entered from, or the match key of one the import creates.
    public var parentPCT: ID<Right>?
    public var parentKey: String?
    /// Its history, in order (`right` is `0`).
    public var steps: [RegisterStep]
}

/// What a register import would do: the report's lines, the rights to create and the steps to
/// record on stored rights. Pure: ``RegisterComparison/plan(_:against:)`` computes it, the CLI
/// prints it and, with `--apply`, writes it.
public struct RegisterPlan: Sendable {
    public var findings: [RegisterFinding] = []
    public var creations: [RegisterCreation] = []
    /// Steps on stored rights, grouped by right in date order.
    public var steps: [RegisterStep] = []
    /// Register documents read, and applications they describe.
    public var documents = 0
    public var applications = 0
    /// Applications found in the docket.
    public var matched = 0
    /// Register parties that are docket parties by name.
    public var partiesMatched = 0

    /// Adds a line about `record`'s application and the stored `right`.
    mutating func append(
        _ action: RegisterFinding.Action, _ record: RegisterRecord, on right: Right, _ field: String, _ register: String?,
        _ docket: String?, _ message: String, _ source: RegisterSource
    ) {
        findings.append(
            RegisterFinding(
                action, application: record.applicationLabel, right: right.reference, field: field, register: register,
                docket: docket, message: message, source: source))
    }

    /// Whether any line refuses: then `--apply` writes nothing.
    public var isRefused: Bool { findings.contains { $0.action == .refused } }

    /// How many lines of `action`.
    public func count(_ action: RegisterFinding.Action) -> Int { findings.count { $0.action == action } }
}

/// Compares register records with the docket.
///
/// Records of one application (an A publication and its B grant, an OPS biblio and its legal
/// events) are merged by the application's match key (`RegisterNumbers.matchKey`). A merged
/// application is then either
/// - **in the docket** (same match key, else same publication or patent number): the register's
///   filing date and priority claims are compared (a difference is reported, nothing changed);
///   each event the register shows (published, granted, a fee year paid, a lapse …) that the
///   docket lacks is recorded; one it has on another day is reported;
/// - **not in the docket**: a right is created from it (reference = the application number as
///   the docket writes it, the title in English, else Russian, else Kazakh, else the first
///   given), joined to the family of a stored right that shares a priority (else the register's
///   family, created as `DOCDB <id>`), with its PCT parent when the office has it.
///
/// Every step is replayed through the right workflow and the chronology checks on a copy: a
/// refusal is a `refused` line naming the file, the element and the reason. A grant the register
/// states without an allowance implies one on the grant day (and a grant decision where the
/// jurisdiction requires one before a grant), shown as its own line.
public enum RegisterComparison {
    /// The plan for `records` against `docket`.
    public static func plan(_ records: [RegisterRecord], against docket: DocketSnapshot) -> RegisterPlan {
        var plan = RegisterPlan()
        plan.documents = records.count
        var index = DocketIndex(docket)
        var merged: [String: RegisterRecord] = [:]
        var order: [String] = []
        for record in records {
            guard let application = record.application, application.office != nil else {
                plan.findings.append(
                    RegisterFinding(
                        .skipped, application: record.application?.number ?? "?", right: nil, field: "application",
                        register: nil, docket: nil,
                        message: "no application number with its office: the document cannot be matched",
                        source: record.source))
                continue
            }
            let key = RegisterNumbers.matchKey(application.number, office: application.office)
            if let earlier = merged[key] {
                merged[key] = earlier.merged(with: record)
            } else {
                merged[key] = record
                order.append(key)
            }
        }
        plan.applications = order.count
        let partyWords = docket.parties.map { Set(PartyNames.words($0.name)) }
        // PCT applications first, so national rights created from them find them.
        let isPCT = { (key: String) in merged[key]!.application?.office == .pct }
        let sorted = order.filter(isPCT) + order.filter { !isPCT($0) }
        for key in sorted {
            let record = merged[key]!
            let reference: String?
            if let entry = index.entry(for: record, key: key) {
                plan.matched += 1
                reference = entry.right.reference
                compare(record, with: entry, docket: docket, into: &plan)
            } else {
                create(record, key: key, index: &index, docket: docket, into: &plan)
                reference = plan.creations.last(where: { $0.key == key })?.right.reference
            }
            matchParties(record, docket: docket, words: partyWords, into: &plan)
            noteUnmapped(record, right: reference, into: &plan)
        }
        return plan
    }

    // MARK: - A right in the docket

    static func compare(_ record: RegisterRecord, with entry: DocketSnapshot.Entry, docket: DocketSnapshot, into plan: inout RegisterPlan) {
        let right = entry.right
        func line(_ action: RegisterFinding.Action, _ field: String, _ register: String?, _ stored: String?, _ message: String, _ source: RegisterSource) {
            plan.append(action, record, on: right, field, register, stored, message, source)
        }
        if let registerDate = record.application?.date, let stored = right.filingDate, registerDate != stored {
            line(
                .differs, "filing date", "\(registerDate)", "\(stored)",
                "application date differs (register \(registerDate) vs docket \(stored))",
                record.eventSource(.filed) ?? record.source)
        }
        for claim in record.priorities {
            guard let date = claim.date, let office = claim.office else { continue }
            let key = RegisterNumbers.matchKey(claim.number, office: office)
            let label = "\(office.code) \(RegisterNumbers.docketForm(claim.number, office: office))"
            if let stored = right.priorityClaims.first(where: {
                RegisterNumbers.matchKey($0.applicationNumber, office: $0.jurisdiction) == key
            }) {
                if stored.date != date {
                    line(
                        .differs, "priority \(label)", "\(date)", "\(stored.date)",
                        "priority \(label): date differs (register \(date) vs docket \(stored.date))",
                        record.eventSource(.priority) ?? record.source)
                }
            } else {
                line(
                    .differs, "priority \(label)", "\(date)", nil,
                    "register claims priority \(label) of \(date), docket has no such claim",
                    record.eventSource(.priority) ?? record.source)
            }
        }
        if !record.priorities.isEmpty {
            let keys = Set(record.priorities.map { RegisterNumbers.matchKey($0.number, office: $0.office) })
            for stored in right.priorityClaims
            where !keys.contains(RegisterNumbers.matchKey(stored.applicationNumber, office: stored.jurisdiction)) {
                let label = "\(stored.jurisdiction.code) \(stored.applicationNumber)"
                line(
                    .differs, "priority \(label)", nil, "\(stored.date)",
                    "docket claims priority \(label) of \(stored.date), register does not", record.source)
            }
        }
        let (own, national) = record.eventsByState
        compareEvents(own, of: record, on: entry, docket: docket, into: &plan)
        for (state, events) in national {
            // A European patent's national events (a fee paid to, a lapse in, a contracting
            // state) belong to its validation there, never to the European right itself.
            if let family = right.family,
                let validation = docket.rights.first(where: { $0.right.family == family && $0.right.jurisdiction == state })
            {
                compareEvents(events, of: record, on: validation, docket: docket, into: &plan)
            } else {
                for event in events {
                    line(
                        .unmapped, event.field, "\(event.date)", nil,
                        "register shows \(event.words) \(event.date) in \(state.code): the docket has no \(state.code) right "
                            + "in this right's family, nothing recorded", event.source)
                }
            }
        }
    }

    /// Compares the register's `events` with those recorded on `entry`, and plans the steps it lacks.
    static func compareEvents(
        _ events: [RegisterEvent], of record: RegisterRecord, on entry: DocketSnapshot.Entry, docket: DocketSnapshot,
        into plan: inout RegisterPlan
    ) {
        let right = entry.right
        func line(_ action: RegisterFinding.Action, _ field: String, _ register: String?, _ stored: String?, _ message: String, _ source: RegisterSource) {
            plan.append(action, record, on: right, field, register, stored, message, source)
        }
        var wanted: [RegisterStep] = []
        for event in events where event.kind != .priority {
            // The filing date is compared above.
            if event.kind == .filed, right.filingDate != nil || entry.events.contains(where: { $0.kind == .filed }) {
                continue
            }
            let what = event.words
            if let storedDate = entry.docketDate(of: event) {
                if storedDate != event.date {
                    line(
                        .differs, event.field, "\(event.date)", "\(storedDate)",
                        "\(what) differs (register \(event.date) vs docket \(storedDate))", event.source)
                }
                continue
            }
            guard let step = record.step(for: event, rightKind: right.kind) else { continue }
            wanted.append(RegisterStep(right: right.id, step: step, source: event.source))
        }
        let replayed = replay(wanted, on: right, recorded: entry.events, today: docket.today)
        for outcome in replayed {
            let event = outcome.step.step.rightEvent
            let field = event.map { RegisterEvent($0.kind, on: $0.date, year: $0.year, source: outcome.step.source).field } ?? outcome.step.step.eventName
            if let refusal = outcome.refusal {
                line(.refused, field, "\(outcome.step.step.date)", nil, refusal, outcome.step.source)
                continue
            }
            let message: String
            if outcome.step.implied {
                message = "implied by the grant: record \(field) on \(outcome.step.step.date) (the register gives no date of its own)"
            } else if let event {
                let shown = RegisterEvent(event.kind, on: event.date, year: event.year, source: outcome.step.source)
                message = "register shows \(shown.words) \(event.date), docket \(shown.docketLacks): record \(field)"
            } else {
                message = "record \(field) on \(outcome.step.step.date)"
            }
            line(.record, field, "\(outcome.step.step.date)", nil, message, outcome.step.source)
            plan.steps.append(outcome.step)
        }
    }

    // MARK: - A right not in the docket

    static func create(_ record: RegisterRecord, key: String, index: inout DocketIndex, docket: DocketSnapshot, into plan: inout RegisterPlan) {
        let application = record.application!
        let office = application.office!
        let number = RegisterNumbers.docketForm(application.number, office: office)
        let kind = record.kind.map { office == .pct ? .pctApplication : $0 } ?? (office == .pct ? .pctApplication : .patent)
        let reference = index.uniqueReference("\(office.code) \(number)")
        let label = record.applicationLabel
        var right = Right(
            id: 0, office: 0, reference: reference, title: record.docketTitle ?? reference, jurisdiction: office,
            kind: kind, applicationNumber: number,
            priorityClaims: record.priorities.compactMap { claim in
                guard let office = claim.office, let date = claim.date else { return nil }
                return PriorityClaim(
                    jurisdiction: office, applicationNumber: RegisterNumbers.docketForm(claim.number, office: office),
                    date: date)
            },
            deadlines: Right.lacksRules(office, kind) ? .manual : .computed)
        if let agent = record.parties.first(where: { $0.role == .agent }),
            let attorney = docket.parties.first(where: {
                $0.roles.contains(.attorney) && PartyNames.likeness(agent.name, $0.name) == .same
            })
        {
            right.responsibleAttorney = attorney.id
        }
        var creation = RegisterCreation(right: right, key: key, steps: [])
        // The family: a stored right sharing a priority (or the parent of a division), else the register's family.
        var priorityKeys = record.priorities.compactMap { claim in
            claim.office.map { RegisterNumbers.matchKey(claim.number, office: $0) }
        }
        if let parent = record.parent, let parentOffice = parent.office ?? record.application?.office {
            priorityKeys.append(RegisterNumbers.matchKey(parent.number, office: parentOffice))
        }
        let families = index.families
        if let family = priorityKeys.lazy.compactMap({ families[$0] }).first {
            creation.family = family
        } else if let id = record.familyID {
            let reference = "DOCDB \(id)"
            if let stored = docket.families[reference] {
                creation.family = stored
            } else {
                creation.newFamily = reference
            }
        }
        if let pct = record.pctApplication, office != .pct {
            let pctKey = RegisterNumbers.matchKey(pct.number, office: .pct)
            if let stored = index.byKey[pctKey] {
                creation.parentPCT = stored.right.id
                if creation.family == nil, creation.newFamily == nil { creation.family = stored.right.family }
            } else if index.created.contains(pctKey) {
                creation.parentKey = pctKey
            }
        }
        var wanted: [RegisterStep] = []
        let (own, national) = record.eventsByState
        var notes: [RegisterFinding] = []
        for (state, events) in national {
            for event in events {
                notes.append(
                    RegisterFinding(
                        .unmapped, application: label, right: reference, field: event.field, register: "\(event.date)",
                        docket: nil,
                        message: "register shows \(event.words) \(event.date) in \(state.code): a national event of the "
                            + "validation there, not of \(reference), nothing recorded", source: event.source))
            }
        }
        for event in own where event.kind != .priority {
            guard let step = record.step(for: event, rightKind: kind) else { continue }
            wanted.append(RegisterStep(right: 0, step: step, source: event.source))
        }
        if right.deadlines == .manual {
            plan.findings.append(
                RegisterFinding(
                    .create, application: label, right: reference, field: "deadlines", register: nil, docket: nil,
                    message: "\(office.code) has no deadline rules for a \(kind.rawValue): created with deadlines entered by hand",
                    source: record.source))
        }
        let replayed = replay(wanted, on: right, recorded: [], today: docket.today)
        let refusals = replayed.filter { $0.refusal != nil }
        plan.findings.append(
            RegisterFinding(
                .create, application: label, right: reference, field: "right", register: record.docketTitle, docket: nil,
                message: "not in the docket: create \(kind.rawValue) \(reference)"
                    + (record.grantNumber.map { ", granted as \($0)" } ?? "")
                    + (creation.newFamily.map { " in new family \($0)" } ?? ""),
                source: record.source))
        plan.findings += notes
        for outcome in refusals {
            plan.findings.append(
                RegisterFinding(
                    .refused, application: label, right: reference, field: outcome.step.step.eventName,
                    register: "\(outcome.step.step.date)", docket: nil, message: outcome.refusal!, source: outcome.step.source))
        }
        creation.steps = replayed.filter { $0.refusal == nil }.map(\.step)
        index.created.insert(key)
        plan.creations.append(creation)
    }

    // MARK: - Codes that are no events

    static func noteUnmapped(_ record: RegisterRecord, right: String?, into plan: inout RegisterPlan) {
        for code in record.unmapped {
            let what = [code.office, code.code].compactMap { $0 }.joined(separator: " ")
            let reason =
                switch code.reason {
                case .notInTable: "not in the legal-status table"
                case .notAnEvent: "not a docket event"
                case .undated: "no date given"
                }
            let said = [code.description, code.reference, code.date.map { "\($0)" }].compactMap { $0 }
            plan.findings.append(
                RegisterFinding(
                    .unmapped, application: record.applicationLabel, right: right, field: "code \(what)",
                    register: code.date.map { "\($0)" }, docket: nil,
                    message: "register code \(what)" + (said.isEmpty ? "" : " (\(said.joined(separator: ", ")))")
                        + ": \(reason), nothing recorded",
                    source: code.source))
        }
    }

    // MARK: - Parties

    /// Matches the record's parties with the docket's by name; `words` are the docket parties'
    /// word sets, in their order.
    static func matchParties(
        _ record: RegisterRecord, docket: DocketSnapshot, words: [Set<String>], into plan: inout RegisterPlan
    ) {
        for party in record.parties where party.role != .inventor {
            var alike: [Party] = []
            var same = false
            let own = Set(PartyNames.words(party.name))
            for (candidate, candidateWords) in zip(docket.parties, words) {
                switch PartyNames.likeness(words: own, candidateWords) {
                case .same: same = true
                case .alike: alike.append(candidate)
                case .different: break
                }
                if same { break }
            }
            if same {
                plan.partiesMatched += 1
            } else if !alike.isEmpty {
                plan.findings.append(
                    RegisterFinding(
                        .question, application: record.applicationLabel, right: nil, field: party.role.rawValue,
                        register: party.name, docket: alike.map(\.name).joined(separator: "; "),
                        message: "is the register's \(party.role.rawValue) '\(party.name)' the docket's "
                            + alike.map { "'\($0.name)' (party \($0.id))" }.joined(separator: " or ")
                            + "? Not linked: rename the party to the register's name or tell them apart",
                        source: record.source))
            }
        }
    }

    // MARK: - Replaying steps

    /// A step and why it is refused, if it is.
    struct Outcome {
        var step: RegisterStep
        var refusal: String?
    }

    /// Replays `steps` (sorted by date) on a copy of `right`: each through the chronology checks
    /// and, when it moves the state, the workflow. A grant the workflow refuses for want of an
    /// allowance is preceded by an implied one (and a grant decision where the chronology
    /// requires one); a refused step is reported and not applied.
    static func replay(_ steps: [RegisterStep], on right: Right, recorded: [RightEvent], today: CivilDate) -> [Outcome] {
        var right = right
        var chronology = EventChronology(right: right, recorded: recorded)
        var outcomes: [Outcome] = []
        let ordered = steps.enumerated().sorted {
            ($0.element.step.date, $0.element.step.order, $0.offset) < ($1.element.step.date, $1.element.step.order, $1.offset)
        }.map(\.element)
        func attempt(_ step: RegisterStep) -> String? {
            if let event = step.step.rightEvent, let problem = chronology.problem(with: event, today: today) {
                return "right \(right.reference): event \(problem)"
            }
            if case .workflow(let event) = step.step {
                do {
                    _ = try right.apply(event)
                } catch {
                    return "right \(right.reference): \(error.description)"
                }
            }
            if let event = step.step.rightEvent { _ = chronology.record(event, today: today) }
            return nil
        }
        for step in ordered {
            if case .workflow(.granted(let date?, _)) = step.step {
                var implied: [RegisterStep] = []
                if EventChronology.grantNeedsDecision(jurisdiction: right.jurisdiction, kind: right.kind),
                    !chronology.recorded.contains(where: { $0.kind == .grantDecision && $0.date <= date })
                {
                    implied.append(
                        RegisterStep(
                            right: step.right, step: .docket(RightEvent(.grantDecision, on: date)), source: step.source,
                            implied: true))
                }
                if RightWorkflow.transitions(from: right.state, lifecycle: RightWorkflow.Lifecycle(right.kind))[.granted] == nil,
                    RightWorkflow.transitions(from: right.state, lifecycle: RightWorkflow.Lifecycle(right.kind))[.allowed] != nil
                {
                    implied.append(
                        RegisterStep(right: step.right, step: .workflow(.allowed(on: date)), source: step.source, implied: true))
                }
                for extra in implied {
                    let refusal = attempt(extra)
                    outcomes.append(Outcome(step: extra, refusal: refusal))
                }
            }
            outcomes.append(Outcome(step: step, refusal: attempt(step)))
        }
        return outcomes
    }
}

/// The docket's rights by match key, publication and patent number, and the families of
/// priority applications.
struct DocketIndex {
    var byKey: [String: DocketSnapshot.Entry] = [:]
    var byPublication: [String: DocketSnapshot.Entry] = [:]
    var references: Set<String> = []
    /// Match keys of applications the import creates.
    var created: Set<String> = []
    /// Families of stored rights by the match keys of the priorities they claim (and their own).
    var families: [String: ID<RightFamily>] = [:]

    init(_ docket: DocketSnapshot) {
        for entry in docket.rights {
            let right = entry.right
            references.insert(right.reference)
            if let number = right.applicationNumber {
                let key = RegisterNumbers.matchKey(number, office: right.jurisdiction)
                byKey[key] = byKey[key] ?? entry
                if let family = right.family { families[key] = families[key] ?? family }
            }
            for number in [right.publicationNumber, right.registrationNumber].compactMap({ $0 }) {
                byPublication[Self.publicationKey(number, office: right.jurisdiction)] = entry
            }
            if let family = right.family {
                for claim in right.priorityClaims {
                    let key = RegisterNumbers.matchKey(claim.applicationNumber, office: claim.jurisdiction)
                    families[key] = families[key] ?? family
                }
            }
        }
    }

    /// `EP:1234567` for `EP 1 234 567 B1`, `EP1234567`.
    static func publicationKey(_ number: String, office: Jurisdiction) -> String {
        var body = number.uppercased().filter { !$0.isWhitespace }
        if body.hasPrefix(office.code) { body.removeFirst(2) }
        // A trailing kind code (A1, B2, C) is not part of the number.
        if body.last?.isNumber == true, body.dropLast().last?.isLetter == true {
            body.removeLast(2)
        } else if body.last?.isLetter == true {
            body.removeLast()
        }
        return "\(office.code):\(RegisterNumbers.digits(body))"
    }

    func entry(for record: RegisterRecord, key: String) -> DocketSnapshot.Entry? {
        if let entry = byKey[key] { return entry }
        guard let office = record.application?.office else { return nil }
        let numbers = record.publications.map(\.number) + (record.grantNumber.map { [$0] } ?? [])
        for number in numbers {
            if let entry = byPublication[Self.publicationKey(number, office: office)] { return entry }
        }
        return nil
    }

    /// `reference`, or `reference (2)` … when the docket already uses it.
    mutating func uniqueReference(_ reference: String) -> String {
        var candidate = reference
        var n = 2
        while references.contains(candidate) {
            candidate = "\(reference) (\(n))"
            n += 1
        }
        references.insert(candidate)
        return candidate
    }
}

extension DocketSnapshot.Entry {
    /// The day the docket has for the register's `event`: a recorded event of its kind (and fee
    /// year, and state entered), else the right's own date for filing, publication and grant.
    func docketDate(of event: RegisterEvent) -> CivilDate? {
        let recorded = events.first { stored in
            stored.kind == event.kind
                && (event.kind != .annuityPaid || stored.year == event.year)
                && (event.kind != .nationalPhaseEntered || event.reference == nil || stored.reference == event.reference)
        }
        if let recorded { return recorded.date }
        switch event.kind {
        case .filed: return right.filingDate
        case .published: return right.publicationDate
        case .granted: return right.grantDate
        default: return nil
        }
    }
}

extension RegisterEvent {
    /// `annuity-paid year 5`, `granted`, `national-phase-entered KZ`.
    var field: String {
        if let year, kind == .annuityPaid { return "\(kind.rawValue) year \(year)" }
        if kind == .nationalPhaseEntered, let reference { return "\(kind.rawValue) \(reference)" }
        return kind.rawValue
    }

    /// `year 5 fee paid`, `granted`, `lapsed`.
    var words: String {
        switch kind {
        case .annuityPaid: year.map { "year \($0) fee paid" } ?? "a fee paid"
        default: kind.rawValue
        }
    }

    /// What the docket lacks, in words.
    var docketLacks: String {
        switch kind {
        case .annuityPaid: "has it open"
        case .granted: "has no grant"
        case .published: "has no publication"
        default: "has no \(kind.rawValue)"
        }
    }
}

extension RegisterRecord {
    /// `KZ 2023/0123.1`.
    var applicationLabel: String {
        guard let application else { return "?" }
        guard let office = application.office else { return application.number }
        return "\(office.code) \(RegisterNumbers.docketForm(application.number, office: office))"
    }

    /// The title the docket keeps: English, else Russian, else Kazakh, else the first by language.
    var docketTitle: String? {
        for language in ["en", "ru", "kk"] { if let title = titles[language] { return title } }
        return titles.keys.sorted().first.flatMap { titles[$0] }
    }

    /// Where the first event of `kind` was read.
    func eventSource(_ kind: RightEventKind) -> RegisterSource? { events.first { $0.kind == kind }?.source }

    /// The docket step for `event` on a right of `rightKind`: filing and grant carry the
    /// record's numbers.
    func step(for event: RegisterEvent, rightKind: RightKind) -> RightStep? {
        switch event.kind {
        case .filed:
            return .workflow(
                .filed(
                    on: event.date,
                    applicationNumber: application.map { RegisterNumbers.docketForm($0.number, office: $0.office) }))
        case .granted:
            return .workflow(.granted(on: event.date, registrationNumber: grantNumber ?? event.reference))
        default:
            return RightStep(
                event: event.kind.rawValue, date: event.date, year: event.year, reference: event.reference,
                restorableUntil: nil, rightKind: rightKind)
        }
    }

    /// This record with `other`'s facts of the same application added: the first value of each
    /// field, every publication, priority, party, symbol, title and event once.
    func merged(with other: RegisterRecord) -> RegisterRecord {
        var result = self
        if result.application?.date == nil, let date = other.application?.date { result.application?.date = date }
        result.kind = result.kind ?? other.kind
        for publication in other.publications where !result.publications.contains(where: { $0.number == publication.number && $0.kindCode == publication.kindCode }) {
            result.publications.append(publication)
        }
        result.grantNumber = result.grantNumber ?? other.grantNumber
        result.grantDate = result.grantDate ?? other.grantDate
        for claim in other.priorities where !result.priorities.contains(where: {
            $0.office == claim.office && RegisterNumbers.matchKey($0.number, office: $0.office) == RegisterNumbers.matchKey(claim.number, office: claim.office)
        }) {
            result.priorities.append(claim)
        }
        result.pctApplication = result.pctApplication ?? other.pctApplication
        result.pctPublication = result.pctPublication ?? other.pctPublication
        result.parent = result.parent ?? other.parent
        for party in other.parties where !result.parties.contains(party) { result.parties.append(party) }
        for symbol in other.ipc where !result.ipc.contains(symbol) { result.ipc.append(symbol) }
        result.titles.merge(other.titles) { mine, _ in mine }
        result.familyID = result.familyID ?? other.familyID
        result.elements.merge(other.elements) { mine, _ in mine }
        for code in other.unmapped where !result.unmapped.contains(where: {
            $0.code == code.code && $0.office == code.office && $0.date == code.date && $0.reference == code.reference
        }) {
            result.unmapped.append(code)
        }
        for state in other.designatedStates where !result.designatedStates.contains(state) {
            result.designatedStates.append(state)
        }
        // One fact read twice (the filing in an A and a B document) is kept once, whatever its
        // reference's spelling; national phases in two offices are two facts.
        for event in other.events where !result.events.contains(where: {
            $0.kind == event.kind && $0.year == event.year && $0.date == event.date
                && ($0.kind != .nationalPhaseEntered || $0.reference == event.reference)
        }) {
            result.events.append(event)
        }
        result.events.sort { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        return result
    }
}

extension RegisterRecord {
    /// Its events split: those of the right itself, and the national events of its validations
    /// (a renewal fee paid to, or a lapse in, a contracting state other than its own office, as
    /// INPADOC's PGFP and PG25 say of a European patent), by state.
    var eventsByState: (own: [RegisterEvent], national: [(Jurisdiction, [RegisterEvent])]) {
        var own: [RegisterEvent] = []
        var national: [(Jurisdiction, [RegisterEvent])] = []
        for event in events {
            guard [.annuityPaid, .lapsed, .restored].contains(event.kind), let code = event.reference, code.count == 2,
                let state = Jurisdiction(code.uppercased()), state != application?.office
            else {
                own.append(event)
                continue
            }
            if let index = national.firstIndex(where: { $0.0 == state }) {
                national[index].1.append(event)
            } else {
                national.append((state, [event]))
            }
        }
        return (own, national)
    }
}

extension RightStep {
    /// The order of steps on one day: filing first, then what follows from it.
    var order: Int {
        switch eventName {
        case RightEventKind.filed.rawValue: 0
        case RightEventKind.pctFiled.rawValue: 1
        case RightEventKind.published.rawValue: 2
        case RightEventKind.examinationRequested.rawValue: 3
        case RightEventKind.grantDecision.rawValue, RightEventKind.allowed.rawValue: 4
        case RightEventKind.granted.rawValue: 5
        default: 6
        }
    }
}
