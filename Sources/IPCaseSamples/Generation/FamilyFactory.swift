import IPCase

/// How a family starts and where it goes.
enum FamilyRoute: Hashable, Sendable {
    /// A KZ patent application, optionally followed by a PCT application within the priority year.
    case kzPatent(pct: Bool)
    case kzUtilityModel
    case kzDesign
    case kzTrademark
    /// A Eurasian application as the first filing.
    case eaDirect
    /// A PCT application as the first filing (receiving office KZ).
    case pctFirst
    /// A US provisional, converted into a US application (and optionally a PCT application).
    case usProvisional(pct: Bool)
    /// A foreign applicant's PCT application entering KZ or EA through the firm.
    case inboundPCT(origin: String, office: Jurisdiction)
    /// A computer program, database or work entered in the KZ register of copyright objects.
    case kzCopyright(RightKind)
    /// Know-how kept as a trade secret from the family's date.
    case knowHow
}

/// One family to generate.
struct FamilySpec {
    var office: ID<Office>
    var family: ID<RightFamily>
    /// The family's reference; each right's reference adds its office, e.g. `ATU-2021-007-EP`.
    var reference: String
    var title: String
    var ipc: [IPCSymbol]
    var disclosure: ID<Disclosure>?
    /// The attorney for KZ titles.
    var localAttorney: ID<Party>?
    /// The attorney for EA, WO, EP and US.
    var foreignAttorney: ID<Party>?
    /// The first filing date (the priority date of the family).
    var priority: CivilDate
    var route: FamilyRoute
    /// The offices the PCT application enters (empty: none, it is abandoned at 30 months).
    var nationalPhases: [Jurisdiction] = []
    /// The later filing (PCT, US conversion) is made at the very end of the priority year, so
    /// its deadline is still ahead on the sample date.
    var lateFollowUp = false
    /// National phases are entered in the last days before the time limit.
    var lateEntry = false
}

/// Generates the rights of families with law-consistent histories up to a date.
struct FamilyFactory {
    let asOf: CivilDate
    var numbers: Numbering
    var nextRightID: Int64

    init(asOf: CivilDate, random: inout SampleRandom, firstRightID: Int64 = 1) {
        self.asOf = asOf
        self.numbers = Numbering(random: &random)
        self.nextRightID = firstRightID
    }

    // MARK: Families

    /// The rights of a family that exist by `asOf`, first filing first.
    mutating func rights(for proposed: FamilySpec, random: inout SampleRandom) -> [SampleRight] {
        var spec = proposed
        spec.priority = SampleDates.workday(proposed.priority, backward: true)
        let p = spec.priority
        var rights: [SampleRight] = []
        switch spec.route {
        case .kzPatent(let pct):
            let number = numbers.kzApplication(.patent, year: p.year, random: &random)
            rights.append(
                national(
                    spec, .kazakhstan, .patent, filing: p, arrival: p, number: number, claim: nil, pct: nil,
                    publication: SampleDates.add(months: 18, to: p).adding(days: random.int(in: 0...20)),
                    random: &random))
            if pct {
                let lead = spec.lateFollowUp ? random.int(in: 0...6) : random.int(in: 3...40)
                let filed = SampleDates.workday(SampleDates.add(months: 12, to: p).adding(days: -lead), backward: true)
                let claim = PriorityClaim(jurisdiction: .kazakhstan, applicationNumber: number, date: p)
                appendPCT(spec, receivingOffice: "KZ", filed: filed, claim: claim, into: &rights, random: &random)
            }
        case .kzUtilityModel:
            rights.append(kzRegistration(spec, .utilityModel, random: &random))
        case .kzDesign:
            rights.append(kzRegistration(spec, .design, random: &random))
        case .kzTrademark:
            rights.append(kzRegistration(spec, .trademark, random: &random))
        case .kzCopyright(let kind):
            rights.append(kzRegistration(spec, kind, random: &random))
        case .knowHow:
            var track = RightTrack(asOf: asOf)
            track.flow(.enteredIntoForce(on: p))
            let record = draft(spec, newID(), .kazakhstan, .knowHow, suffix: "KH")
            rights.append(track.finish(record, ipc: spec.ipc, family: spec.reference))
        case .eaDirect:
            let number = numbers.eaApplication(year: p.year, random: &random)
            rights.append(
                national(
                    spec, .eurasian, .patent, filing: p, arrival: p, number: number, claim: nil, pct: nil,
                    publication: SampleDates.add(months: 18, to: p).adding(days: random.int(in: 0...20)),
                    random: &random))
        case .pctFirst:
            appendPCT(spec, receivingOffice: "KZ", filed: p, claim: nil, into: &rights, random: &random)
        case .usProvisional(let pct):
            rights.append(contentsOf: provisionalFamily(spec, pct: pct, random: &random))
        case .inboundPCT(let origin, let office):
            if let right = inbound(spec, origin: origin, office: office, random: &random) { rights.append(right) }
        }
        return rights
    }

    /// A KZ utility model, design or trademark filed on the family's priority date.
    private mutating func kzRegistration(_ spec: FamilySpec, _ kind: RightKind, random: inout SampleRandom)
        -> SampleRight
    {
        let number = numbers.kzApplication(kind, year: spec.priority.year, random: &random)
        return national(
            spec, .kazakhstan, kind, filing: spec.priority, arrival: spec.priority, number: number, claim: nil,
            pct: nil, publication: nil, random: &random)
    }

    private mutating func newID() -> ID<Right> {
        defer { nextRightID += 1 }
        return ID(nextRightID)
    }

    private func draft(
        _ spec: FamilySpec, _ id: ID<Right>, _ jurisdiction: Jurisdiction, _ kind: RightKind, suffix: String
    ) -> Right {
        let attorney = jurisdiction == .kazakhstan ? spec.localAttorney : spec.foreignAttorney
        return Right(
            id: id, office: spec.office, reference: "\(spec.reference)-\(suffix)", title: spec.title,
            jurisdiction: jurisdiction, kind: kind, disclosure: spec.disclosure, family: spec.family,
            responsibleAttorney: attorney ?? spec.localAttorney)
    }

    /// A PCT application and the national rights of the phases entered by `asOf`.
    private mutating func appendPCT(
        _ spec: FamilySpec, receivingOffice: String, filed: CivilDate, claim: PriorityClaim?,
        into rights: inout [SampleRight], random: inout SampleRandom
    ) {
        guard filed <= asOf else { return }
        let p = claim?.date ?? filed
        let id = newID()
        var record = draft(spec, id, .pct, .pctApplication, suffix: "WO")
        record.priorityClaims = claim.map { [$0] } ?? []
        let number = numbers.pctApplication(receivingOffice: receivingOffice, year: filed.year, random: &random)
        var track = RightTrack(asOf: asOf)
        if let claim { track.docket(.priority, claim.date, reference: Self.priorityReference(claim)) }
        track.flow(.filed(on: filed, applicationNumber: number))
        let searchBase = SampleDates.later(SampleDates.add(months: 3, to: filed), SampleDates.add(months: 9, to: p))
        track.docket(.searchReportTransmitted, searchBase.adding(days: random.int(in: 0...45)))
        let publication = SampleDates.add(months: 18, to: p).adding(days: random.int(in: 0...12))
        if track.flow(.published(on: publication)) {
            record.publicationNumber = numbers.pctPublication(year: publication.year, random: &random)
        }
        if random.chance(percent: 15) {
            track.docket(.demandFiled, SampleDates.add(months: 19, to: p).adding(days: random.int(in: 0...80)))
        }
        var entries: [(Jurisdiction, CivilDate)] = []
        for office in spec.nationalPhases {
            let months = office == .unitedStates ? 30 : 31
            let entered = SampleDates.workday(
                SampleDates.add(months: months, to: p).adding(
                    days: -(spec.lateEntry ? random.int(in: 0...4) : random.int(in: 1...50))),
                backward: true)
            entries.append((office, entered))
        }
        entries.sort { $0.1 < $1.1 }
        if entries.isEmpty {
            track.flow(.abandoned(on: SampleDates.add(months: 30, to: p).adding(days: random.int(in: 1...30))))
        }
        var entered: [(Jurisdiction, CivilDate)] = []
        for (office, date) in entries {
            if track.flow(.nationalPhaseEntered(on: date, entries: [NationalPhaseEntry(office)])) {
                entered.append((office, date))
            }
        }
        rights.append(track.finish(record, ipc: spec.ipc, family: spec.reference))
        let pctNumber = number
        let woPublication = record.publicationNumber != nil ? publication : nil
        for (office, date) in entered {
            let applicationNumber: String
            switch office.code {
            case "EA": applicationNumber = numbers.eaApplication(year: date.year, random: &random)
            case "EP": applicationNumber = numbers.epApplication(year: date.year, random: &random)
            case "US": applicationNumber = numbers.usApplication(provisional: false, year: date.year, random: &random)
            default: applicationNumber = numbers.kzApplication(.patent, year: date.year, random: &random)
            }
            var right = national(
                spec, office, .patent, filing: filed, arrival: date, number: applicationNumber, claim: claim,
                pct: (pctNumber, filed), publication: office == .unitedStates ? woPublication : nil,
                random: &random, parent: id)
            right.right.parentPCT = id
            right.parentReference = "\(spec.reference)-WO"
            rights.append(right)
        }
    }

    /// A US provisional, its conversion into a US application and optionally a PCT application.
    private mutating func provisionalFamily(
        _ spec: FamilySpec, pct: Bool, random: inout SampleRandom
    ) -> [SampleRight] {
        let p = spec.priority
        let id = newID()
        var record = draft(spec, id, .unitedStates, .provisional, suffix: "USP")
        record.expiryDate = SampleDates.add(months: 12, to: p)
        let number = numbers.usApplication(provisional: true, year: p.year, random: &random)
        var track = RightTrack(asOf: asOf)
        track.flow(.filed(on: p, applicationNumber: number))
        guard spec.lateFollowUp || !random.chance(percent: 15) else {
            track.flow(.abandoned(on: p.adding(days: random.int(in: 150...330))))
            return [track.finish(record, ipc: spec.ipc, family: spec.reference)]
        }
        let lead = spec.lateFollowUp ? random.int(in: 0...8) : random.int(in: 5...40)
        let converted = SampleDates.workday(SampleDates.add(months: 12, to: p).adding(days: -lead), backward: true)
        let usNumber = numbers.usApplication(provisional: false, year: converted.year, random: &random)
        track.docket(.nonProvisionalFiled, converted, reference: usNumber)
        track.flow(.expired(on: SampleDates.add(months: 12, to: p)))
        var rights = [track.finish(record, ipc: spec.ipc, family: spec.reference)]
        guard converted <= asOf else { return rights }
        let claim = PriorityClaim(jurisdiction: .unitedStates, applicationNumber: number, date: p)
        rights.append(
            national(
                spec, .unitedStates, .patent, filing: converted, arrival: converted, number: usNumber, claim: claim,
                pct: nil, publication: SampleDates.add(months: 18, to: p).adding(days: random.int(in: 0...14)),
                random: &random))
        if pct {
            appendPCT(spec, receivingOffice: "US", filed: converted, claim: claim, into: &rights, random: &random)
        }
        return rights
    }

    /// A foreign PCT application entering KZ or EA: the national right once entered, or a draft
    /// carrying the priority and the PCT filing (so the entry deadline is docketed) once the
    /// firm is instructed, three months after the international filing.
    private mutating func inbound(
        _ spec: FamilySpec, origin: String, office: Jurisdiction, random: inout SampleRandom
    ) -> SampleRight? {
        let p = spec.priority
        let filed = SampleDates.workday(
            SampleDates.add(months: 12, to: p).adding(days: -random.int(in: 5...40)), backward: true)
        guard SampleDates.add(months: 3, to: filed) <= asOf else { return nil }
        let originOffice = Jurisdiction(origin) ?? .russia
        let claim = PriorityClaim(
            jurisdiction: originOffice, applicationNumber: Self.foreignNumber(origin, year: p.year, random: &random),
            date: p)
        let pctNumber =
            "PCT/\(origin)\(filed.year)/\(SampleText.padded(random.int(in: 10_000...99_999), 6))"
        let entered = SampleDates.workday(
            SampleDates.add(months: 31, to: p).adding(days: -random.int(in: 1...40)), backward: true)
        guard entered <= asOf else {
            let id = newID()
            var record = draft(spec, id, office, .patent, suffix: office.code)
            record.priorityClaims = [claim]
            var track = RightTrack(asOf: asOf)
            track.docket(.priority, p, reference: Self.priorityReference(claim))
            track.docket(.pctFiled, filed, reference: pctNumber)
            return track.finish(record, ipc: spec.ipc, family: spec.reference)
        }
        let number =
            office == .eurasian
            ? numbers.eaApplication(year: entered.year, random: &random)
            : numbers.kzApplication(.patent, year: entered.year, random: &random)
        return national(
            spec, office, .patent, filing: filed, arrival: entered, number: number, claim: claim,
            pct: (pctNumber, filed), publication: nil, random: &random)
    }

    static func priorityReference(_ claim: PriorityClaim) -> String {
        "\(claim.jurisdiction.code) \(claim.applicationNumber)"
    }

    /// A priority number in the style of its office.
    static func foreignNumber(_ office: String, year: Int, random: inout SampleRandom) -> String {
        switch office {
        case "DE":
            "10 \(year) \(SampleText.padded(random.int(in: 100...999), 3)) \(SampleText.padded(random.int(in: 0...999), 3)).\(random.below(10))"
        case "US": "63/\(SampleText.grouped(random.int(in: 100_000...499_999), separator: ","))"
        case "CN": "\(year)1\(SampleText.padded(random.int(in: 0...99_999_999), 8)).\(random.below(10))"
        case "KR": "10-\(year)-\(SampleText.padded(random.int(in: 1...199_999), 7))"
        case "TR": "\(year)/\(SampleText.padded(random.int(in: 1...25_000), 6))"
        default: "\(year)1\(SampleText.padded(random.int(in: 0...99_999), 5))"
        }
    }

    // MARK: National and regional rights

    /// A national or regional right: preamble (priority, PCT filing, entry, filing) and prosecution.
    private mutating func national(
        _ spec: FamilySpec, _ office: Jurisdiction, _ kind: RightKind, filing: CivilDate, arrival: CivilDate,
        number: String, claim: PriorityClaim?, pct: (number: String, date: CivilDate)?, publication: CivilDate?,
        random: inout SampleRandom, parent: ID<Right>? = nil
    ) -> SampleRight {
        let id = newID()
        let suffix: String =
            switch kind {
            case .utilityModel: "UM"
            case .design: "D"
            case .trademark: "TM"
            case .software: "SW"
            case .database: "DB"
            case .work: "W"
            case .knowHow: "KH"
            case .patent, .pctApplication, .provisional, .selectionAchievement: office.code
            }
        var record = draft(spec, id, office, kind, suffix: suffix)
        record.parentPCT = parent
        record.priorityClaims = claim.map { [$0] } ?? []
        var track = RightTrack(asOf: asOf)
        if let claim { track.docket(.priority, claim.date, reference: Self.priorityReference(claim)) }
        if let pct { track.docket(.pctFiled, pct.date, reference: pct.number) }
        track.flow(.filed(on: filing, applicationNumber: number))
        if pct != nil { track.docket(.nationalPhaseEntered, arrival, reference: office.code) }
        let priority = claim?.date ?? filing
        var term = 20
        if office == .eurasian {
            prosecuteEA(
                &track, arrival: arrival, filing: filing, direct: pct == nil, publication: publication, random: &random)
        } else if office == .european {
            prosecuteEP(&track, entry: arrival, filing: filing, priority: priority, random: &random)
        } else if office == .unitedStates {
            prosecuteUS(&track, arrival: arrival, filing: filing, publication: publication, random: &random)
        } else {
            switch kind {
            case .utilityModel, .design:
                term = kind == .design ? 15 : 5
                prosecuteKZRegistration(&track, kind, arrival: arrival, filing: filing, term: term, random: &random)
            case .trademark:
                term = prosecuteKZTrademark(&track, arrival: arrival, filing: filing, random: &random)
            case .knowHow:
                preconditionFailure("know-how is never filed: FamilyRoute.knowHow records it")
            case .software, .database, .work:
                // Copyright lasts for the authors' lives and 70 years: no expiry from filing.
                term = 0
                prosecuteKZCopyright(&track, kind, arrival: arrival, random: &random)
            case .patent, .pctApplication, .provisional, .selectionAchievement:
                prosecuteKZPatent(&track, arrival: arrival, filing: filing, publication: publication, random: &random)
            }
        }
        awaitReply(&track, random: &random)
        record.expiryDate = term > 0 ? SampleDates.add(years: term, to: filing) : nil
        return track.finish(record, ipc: kind == .design || kind == .trademark ? [] : spec.ipc, family: spec.reference)
    }

    /// Office actions and responses from `start`; the date prosecution continues from, or `nil`
    /// when it stopped (a response still awaited, or the application abandoned).
    private func officeActions(
        _ track: inout RightTrack, count: Int, from start: CivilDate, firstGap: ClosedRange<Int>,
        gap: ClosedRange<Int>, reply: ClosedRange<Int>, abandonPercent: Int, replyPeriodMonths: Int,
        extensions: Bool, random: inout SampleRandom
    ) -> CivilDate? {
        var last = start
        for index in 0..<count {
            let action = last.adding(days: random.int(in: index == 0 ? firstGap : gap))
            guard track.docket(.officeAction, action) else { return nil }
            if random.chance(percent: abandonPercent) {
                let deemed = SampleDates.add(months: replyPeriodMonths, to: action).adding(
                    days: random.int(in: 20...90))
                track.flow(.abandoned(on: deemed))
                return nil
            }
            let response = action.adding(days: random.int(in: reply))
            if extensions, action.days(to: response) > 92, response <= asOf {
                track.docket(.extensionRequested, response)
            }
            guard track.docket(.responseFiled, response) else { return nil }
            last = response
        }
        return last
    }

    /// An application still being examined often has an office action awaiting its reply: one
    /// in two gets one dated in the last four months (so its reply is due soon, or overdue).
    private func awaitReply(_ track: inout RightTrack, random: inout SampleRandom) {
        let stage = track.lastWorkflowKind
        guard track.actionsAnswered, stage == .examinationRequested || stage == .filed || stage == .published,
            let last = track.steps.last?.date, random.chance(percent: 50)
        else { return }
        let action = SampleDates.later(last.adding(days: 1), asOf.adding(days: -random.int(in: 5...120)))
        track.docket(.officeAction, action)
    }

    /// allowed → (grant decision) → grant fee → granted → in force; the grant date if it happened.
    private mutating func grant(
        _ track: inout RightTrack, allowed: CivilDate, decision: Bool, fee: ClosedRange<Int>?,
        issue: ClosedRange<Int>, office: Jurisdiction, kind: RightKind, random: inout SampleRandom
    ) -> CivilDate? {
        guard track.flow(.allowed(on: allowed)) else { return nil }
        if decision { track.docket(.grantDecision, allowed) }
        var date = allowed
        if let fee {
            date = allowed.adding(days: random.int(in: fee))
            guard track.docket(.grantFeePaid, date) else { return nil }
        }
        let granted = date.adding(days: random.int(in: issue))
        guard granted <= asOf else { return nil }
        let registration: String =
            switch office.code {
            case "EA": numbers.eaPatent(random: &random)
            case "EP": numbers.epPatent(random: &random)
            case "US": numbers.usPatent(random: &random)
            default: numbers.kzRegistration(kind, random: &random)
            }
        track.flow(.granted(on: granted, registrationNumber: registration))
        track.flow(.enteredIntoForce(on: granted.adding(days: random.int(in: 0...20))))
        return granted
    }

    /// How a missed fee lapses a granted right and how long it stays restorable.
    enum Restoration {
        /// KZ: restorable within three years of the missed payment deadline (kazpatent.kz).
        case kazakhstan
        /// EP: re-establishment within one year of the end of the six-month grace period (EPC Rule 136(1)).
        case european

        func restorableUntil(due: CivilDate) -> CivilDate {
            switch self {
            case .kazakhstan: SampleDates.add(years: 3, to: due)
            case .european: SampleDates.add(months: 18, to: due)
            }
        }
    }

    /// Pays the fees of `schedule` (fee year, due date) in order, up to `asOf`: early or on time
    /// as a rule, sometimes still unpaid in the last months (overdue), sometimes never (the
    /// granted right lapses six months after the due date, and is sometimes restored).
    private func payFees(
        _ track: inout RightTrack, schedule: [(year: Int, due: CivilDate)], earliest: CivilDate,
        firstBatch: (until: CivilDate, on: CivilDate)?, early: ClosedRange<Int>, lapse: Restoration?,
        lapseAfter: CivilDate?, random: inout SampleRandom
    ) {
        var floor = earliest
        let lapseIndex: Int? =
            lapse != nil && random.chance(percent: 9) && schedule.count > 2
            ? random.int(in: 1...schedule.count - 1) : nil
        for (index, fee) in schedule.enumerated() {
            if let firstBatch, fee.due <= firstBatch.until {
                guard track.docket(.annuityPaid, firstBatch.on, year: fee.year) else { return }
                floor = firstBatch.on
                continue
            }
            if index == lapseIndex, let lapse, let lapseAfter, fee.due > lapseAfter {
                let lapsedOn = SampleDates.add(months: 6, to: fee.due).adding(days: random.int(in: 1...30))
                let until = lapse.restorableUntil(due: fee.due)
                guard track.flow(.lapsed(on: lapsedOn, restorableUntil: until)) else { return }
                let restoredOn = lapsedOn.adding(days: random.int(in: 20...300))
                guard random.chance(percent: 40), restoredOn <= until, track.flow(.restored(on: restoredOn)) else {
                    return
                }
                track.docket(.annuityPaid, restoredOn, year: fee.year)
                floor = restoredOn
                continue
            }
            if fee.due <= asOf, asOf.daysSinceEpoch - fee.due.daysSinceEpoch < 150, random.chance(percent: 12) {
                return  // not paid yet: overdue, within the grace period
            }
            let paid = SampleDates.later(floor, fee.due.adding(days: -random.int(in: early)))
            guard track.docket(.annuityPaid, paid, year: fee.year) else { return }
            floor = paid
        }
    }

    /// Yearly fees `first...last` due on the anniversaries of `filing` (year k on filing + k−1 years),
    /// listed up to a year after `asOf`.
    private func anniversaries(
        _ first: Int, _ last: Int, from filing: CivilDate, endOfMonth: Bool = false, deferTo: CivilDate? = nil
    )
        -> [(year: Int, due: CivilDate)]
    {
        var schedule: [(year: Int, due: CivilDate)] = []
        let horizon = asOf.adding(days: 366)
        for year in first...last {
            var due = SampleDates.add(years: year - 1, to: filing)
            if endOfMonth { due = SampleDates.endOfMonth(due) }
            if let deferTo, due < deferTo { due = deferTo }
            if due > horizon { break }
            schedule.append((year, due))
        }
        return schedule
    }

    private func expire(_ track: inout RightTrack, filing: CivilDate, years: Int, granted: CivilDate?) {
        guard granted != nil else { return }
        track.flow(.expired(on: SampleDates.add(years: years, to: filing)))
    }

    // MARK: Prosecution by office

    private mutating func prosecuteKZPatent(
        _ track: inout RightTrack, arrival: CivilDate, filing: CivilDate, publication: CivilDate?,
        random: inout SampleRandom
    ) {
        let notice = arrival.adding(days: random.int(in: 25...60))
        guard track.docket(.formalExaminationNotice, notice) else { return }
        if let publication { track.flow(.published(on: publication)) }
        if random.chance(percent: 5) {
            track.flow(.abandoned(on: SampleDates.add(months: 3, to: notice).adding(days: random.int(in: 10...60))))
            return
        }
        let examination = notice.adding(days: random.int(in: 15...85))
        guard track.flow(.examinationRequested(on: examination)) else { return }
        track.docket(.examinationFeePaid, examination)
        guard
            let last = officeActions(
                &track, count: random.weighted([35, 45, 20]), from: examination, firstGap: 120...300, gap: 120...300,
                reply: 30...88, abandonPercent: 4, replyPeriodMonths: 3, extensions: false, random: &random)
        else { return }
        if random.chance(percent: 7) {
            track.flow(.refused(on: last.adding(days: random.int(in: 60...150))))
            return
        }
        var allowed = last.adding(days: random.int(in: 60...200))
        if let publication, allowed < publication.adding(days: 10) {
            allowed = publication.adding(days: random.int(in: 10...40))
        }
        let granted = grant(
            &track, allowed: allowed, decision: true, fee: 20...85, issue: 15...45, office: .kazakhstan, kind: .patent,
            random: &random)
        guard let granted else { return }
        payFees(
            &track, schedule: anniversaries(1, 20, from: filing), earliest: granted,
            firstBatch: (SampleDates.add(months: 2, to: granted), granted.adding(days: random.int(in: 10...55))),
            early: 0...45, lapse: .kazakhstan, lapseAfter: granted, random: &random)
        expire(&track, filing: filing, years: 20, granted: granted)
    }

    private mutating func prosecuteKZRegistration(
        _ track: inout RightTrack, _ kind: RightKind, arrival: CivilDate, filing: CivilDate, term: Int,
        random: inout SampleRandom
    ) {
        let notice = arrival.adding(days: random.int(in: 20...45))
        guard track.docket(.formalExaminationNotice, notice) else { return }
        guard
            let last = officeActions(
                &track, count: random.chance(percent: kind == .design ? 30 : 25) ? 1 : 0, from: notice,
                firstGap: 30...90, gap: 30...90, reply: 30...80, abandonPercent: 5, replyPeriodMonths: 3,
                extensions: false, random: &random)
        else { return }
        let granted = grant(
            &track, allowed: last.adding(days: random.int(in: 30...90)), decision: true, fee: 15...60, issue: 10...30,
            office: .kazakhstan, kind: kind, random: &random)
        guard let granted else { return }
        payFees(
            &track, schedule: anniversaries(1, term, from: filing), earliest: granted,
            firstBatch: (SampleDates.add(months: 2, to: granted), granted.adding(days: random.int(in: 10...55))),
            early: 0...45, lapse: .kazakhstan, lapseAfter: granted, random: &random)
        expire(&track, filing: filing, years: term, granted: granted)
    }

    /// An object of copyright entered in the state register a few weeks after its application
    /// (no examination on the merits, no fees to keep it).
    private mutating func prosecuteKZCopyright(
        _ track: inout RightTrack, _ kind: RightKind, arrival: CivilDate, random: inout SampleRandom
    ) {
        let registered = arrival.adding(days: random.int(in: 10...40))
        guard registered <= asOf else { return }
        track.flow(.granted(on: registered, registrationNumber: numbers.kzRegistration(kind, random: &random)))
    }

    /// Returns the years of protection reached by renewals (10, 20 …).
    private mutating func prosecuteKZTrademark(
        _ track: inout RightTrack, arrival: CivilDate, filing: CivilDate, random: inout SampleRandom
    ) -> Int {
        let notice = arrival.adding(days: random.int(in: 20...60))
        guard track.docket(.formalExaminationNotice, notice) else { return 10 }
        guard
            let last = officeActions(
                &track, count: random.chance(percent: 40) ? 1 : 0, from: notice, firstGap: 120...240, gap: 120...240,
                reply: 30...85, abandonPercent: 8, replyPeriodMonths: 3, extensions: false, random: &random)
        else { return 10 }
        if random.chance(percent: 4) {
            track.flow(.refused(on: last.adding(days: random.int(in: 60...120))))
            return 10
        }
        let allowed = SampleDates.later(filing.adding(days: random.int(in: 240...420)), last.adding(days: 30))
        guard
            grant(
                &track, allowed: allowed, decision: false, fee: nil, issue: 30...75, office: .kazakhstan,
                kind: .trademark, random: &random) != nil
        else { return 10 }
        var years = 10
        while years <= 30 {
            let end = SampleDates.add(years: years, to: filing)
            guard SampleDates.add(years: -1, to: end) <= asOf else { break }
            if random.chance(percent: 85) {
                let requested = end.adding(days: -random.int(in: 10...300))
                guard track.docket(.renewalRequested, requested, year: years) else { break }
                years += 10
            } else {
                if SampleDates.add(months: 6, to: end) <= asOf { track.flow(.expired(on: end)) }
                break
            }
        }
        return years
    }

    private mutating func prosecuteEA(
        _ track: inout RightTrack, arrival: CivilDate, filing: CivilDate, direct: Bool, publication: CivilDate?,
        random: inout SampleRandom
    ) {
        track.docket(.formalExaminationNotice, arrival.adding(days: random.int(in: 30...90)))
        let published = publication ?? arrival.adding(days: random.int(in: 90...200))
        track.flow(.published(on: published))
        let examination = arrival.adding(days: direct ? random.int(in: 120...500) : random.int(in: 10...60))
        var granted: CivilDate?
        if track.flow(.examinationRequested(on: examination)),
            let last = officeActions(
                &track, count: random.weighted([30, 50, 20]), from: examination, firstGap: 150...330, gap: 150...330,
                reply: 60...120, abandonPercent: 4, replyPeriodMonths: 4, extensions: false, random: &random)
        {
            if random.chance(percent: 5) {
                track.flow(.refused(on: last.adding(days: random.int(in: 60...150))))
            } else {
                let allowed = SampleDates.later(
                    last.adding(days: random.int(in: 90...240)), published.adding(days: random.int(in: 10...40)))
                granted = grant(
                    &track, allowed: allowed, decision: true, fee: 30...110, issue: 30...60, office: .eurasian,
                    kind: .patent, random: &random)
            }
        }
        payFees(
            &track, schedule: anniversaries(3, 20, from: filing), earliest: arrival, firstBatch: nil, early: 0...40,
            lapse: nil, lapseAfter: nil, random: &random)
        expire(&track, filing: filing, years: 20, granted: granted)
    }

    private mutating func prosecuteEP(
        _ track: inout RightTrack, entry: CivilDate, filing: CivilDate, priority: CivilDate, random: inout SampleRandom
    ) {
        let search = entry.adding(days: random.int(in: 120...270))
        var granted: CivilDate?
        if track.docket(.searchReport, search) {
            let examination = search.adding(days: random.int(in: 20...170))
            if track.flow(.examinationRequested(on: examination)),
                let last = officeActions(
                    &track, count: random.weighted([20, 50, 30]), from: examination, firstGap: 150...400,
                    gap: 150...400, reply: 60...120, abandonPercent: 5, replyPeriodMonths: 4, extensions: false,
                    random: &random)
            {
                if random.chance(percent: 4) {
                    track.flow(.refused(on: last.adding(days: random.int(in: 60...150))))
                } else {
                    granted = grant(
                        &track, allowed: last.adding(days: random.int(in: 120...300)), decision: false, fee: 30...110,
                        issue: 30...70, office: .european, kind: .patent, random: &random)
                }
            }
        }
        payFees(
            &track,
            schedule: anniversaries(
                3, 20, from: filing, endOfMonth: true, deferTo: SampleDates.add(months: 31, to: priority)),
            earliest: entry, firstBatch: nil, early: 0...60, lapse: granted != nil ? .european : nil,
            lapseAfter: granted, random: &random)
        expire(&track, filing: filing, years: 20, granted: granted)
    }

    private mutating func prosecuteUS(
        _ track: inout RightTrack, arrival: CivilDate, filing: CivilDate, publication: CivilDate?,
        random: inout SampleRandom
    ) {
        if let publication { track.flow(.published(on: publication)) }
        guard
            let last = officeActions(
                &track, count: random.weighted([10, 45, 45]), from: arrival, firstGap: 360...660, gap: 60...150,
                reply: 60...175, abandonPercent: 6, replyPeriodMonths: 6, extensions: true, random: &random)
        else { return }
        var allowed = last.adding(days: random.int(in: 60...200))
        if let publication, allowed < publication.adding(days: 10) {
            allowed = publication.adding(days: random.int(in: 10...40))
        }
        guard
            let granted = grant(
                &track, allowed: allowed, decision: false, fee: 30...88, issue: 21...50, office: .unitedStates,
                kind: .patent, random: &random)
        else { return }
        let schedule = [4, 8, 12].map { year in
            (year: year, due: SampleDates.add(months: year * 12 - 6, to: granted))
        }.filter { $0.due <= asOf.adding(days: 366) }
        payFees(
            &track, schedule: schedule, earliest: SampleDates.add(years: 3, to: granted), firstBatch: nil,
            early: 0...150,
            lapse: nil, lapseAfter: nil, random: &random)
        expire(&track, filing: filing, years: 20, granted: granted)
    }
}
