import IPCase

/// Builds the demo portfolio: a university technology-transfer office in Almaty and a
/// patent-attorney firm in Astana.
struct DemoBuilder {
    let seed: UInt64
    let asOf: CivilDate
    var random: SampleRandom

    static let university: ID<Office> = SamplePortfolio.universityOffice
    static let firm: ID<Office> = SamplePortfolio.firmOffice
    /// Party IDs: inventors 1–20, attorneys 21–25, organizations from 26.
    static let inHouseAttorney: ID<Party> = 21
    static let firmAttorneys: [ID<Party>] = [22, 23, 24, 25]
    static let firstOrganization = 26

    init(seed: UInt64, asOf: CivilDate) {
        self.seed = seed
        self.asOf = asOf
        self.random = SampleRandom(seed: seed, stream: 0xDE30)
    }

    /// The ID of the catalogue organization named `name`.
    static func organization(_ name: String) -> ID<Party> {
        let index = SampleCatalog.organizations.firstIndex { $0.name == name }!
        return ID(Int64(firstOrganization + index))
    }

    /// The offices and parties (the same for every seed).
    static func people(asOf: CivilDate) -> (offices: [Office], parties: [SampleParty]) {
        let offices = [
            Office(
                id: university, name: "Alatau Technical University Technology Transfer Office", region: .almatyCity,
                kind: .university, timeZoneIdentifier: "Asia/Almaty", calendarJurisdiction: .kazakhstan),
            Office(
                id: firm, name: "Yesil Patent Attorneys LLP", region: .astana, kind: .lawFirm,
                timeZoneIdentifier: "Asia/Almaty", calendarJurisdiction: .kazakhstan),
        ]
        var parties: [SampleParty] = []
        for (index, name) in SampleCatalog.inventorNames.enumerated() {
            let department = SampleCatalog.departments[index % SampleCatalog.departments.count]
            parties.append(
                SampleParty(
                    party: Party(
                        id: ID(Int64(index + 1)), kind: .person, name: name, roles: [.inventor], sector: .academia,
                        region: .almatyCity),
                    office: university, department: department))
        }
        for (index, name) in SampleCatalog.attorneyNames.enumerated() {
            parties.append(
                SampleParty(
                    party: Party(
                        id: ID(Int64(21 + index)), kind: .person, name: name, roles: [.attorney],
                        sector: index == 0 ? .academia : .industry, region: index == 0 ? .almatyCity : .astana),
                    office: index == 0 ? university : firm))
        }
        for (index, organization) in SampleCatalog.organizations.enumerated() {
            parties.append(
                SampleParty(
                    party: Party(
                        id: ID(Int64(firstOrganization + index)), kind: .organization, name: organization.name,
                        roles: organization.roles, sector: organization.sector, region: organization.region,
                        country: Country(organization.country) ?? .kazakhstan),
                    office: organization.roles.contains(.assignee) && !organization.roles.contains(.licensee)
                        ? firm : university))
        }
        return (offices, parties)
    }

    // MARK: The portfolio

    mutating func build() -> SamplePortfolio {
        let (offices, parties) = Self.people(asOf: asOf)
        var factory = FamilyFactory(asOf: asOf, random: &random)
        var families: [RightFamily] = []
        var rights: [SampleRight] = []

        // The university: disclosures, and families for those approved for protection.
        let disclosures = buildDisclosures(parties: parties, factory: &factory, families: &families, rights: &rights)
        // The university's own marks and designs.
        for index in 0..<7 {
            let isMark = index < 4
            let route: FamilyRoute = isMark ? .kzTrademark : .kzDesign
            let title = isMark ? SampleCatalog.trademarks[index] : SampleCatalog.designs[index]
            appendFamily(
                office: Self.university, title: title, ipc: [], disclosure: nil, route: route,
                priority: RoutePlanner.priorityDate(asOf: asOf, years: 12, random: &random),
                local: Self.inHouseAttorney, foreign: Self.inHouseAttorney, prefix: "ATU", factory: &factory,
                families: &families, rights: &rights)
        }
        // The firm: clients' patents, utility models, designs and marks, and foreign PCT entries.
        var matter = 1001
        while rights.count < 300 {
            let routes: [FamilyRoute] = [
                .kzPatent(pct: false), .kzPatent(pct: true), .kzUtilityModel, .kzDesign, .kzTrademark, .eaDirect,
                .inboundPCT(origin: "DE", office: .eurasian), .usProvisional(pct: false),
            ]
            var route = routes[random.weighted([18, 8, 14, 10, 28, 8, 14, 2])]
            if case .inboundPCT = route {
                route = .inboundPCT(
                    origin: random.pick(SampleCatalog.foreignOrigins),
                    office: random.chance(percent: 60) ? .eurasian : .kazakhstan)
            }
            let technology = random.below(SampleCatalog.technologies.count)
            let title: String
            var ipc = RoutePlanner.technologyIPC[technology]
            switch route {
            case .kzDesign:
                title = random.pick(SampleCatalog.designs)
                ipc = []
            case .kzTrademark:
                title = random.pick(SampleCatalog.trademarks)
                ipc = []
            case .kzPatent, .kzUtilityModel, .eaDirect, .pctFirst, .usProvisional, .inboundPCT, .kzCopyright, .knowHow:
                title =
                    SampleCatalog.technologies[technology].title
                    + SampleCatalog.titleVariants[random.below(SampleCatalog.titleVariants.count)]
            }
            let attorney = Self.firmAttorneys[matter % Self.firmAttorneys.count]
            appendFamily(
                office: Self.firm, title: title, ipc: ipc, disclosure: nil, route: route,
                priority: RoutePlanner.priorityDate(asOf: asOf, years: 12, random: &random), local: attorney,
                foreign: attorney, prefix: "YP-\(matter)", factory: &factory, families: &families, rights: &rights)
            matter += 1
        }

        // The university's software, database and know-how (after the rest, so that adding them
        // changed no other record of the sample).
        let works: [(FamilyRoute, String, Int)] = [
            (.kzCopyright(.software), "Seismic data inversion toolkit", 3),
            (.kzCopyright(.database), "Database of steppe soil samples", 2),
            (.knowHow, "Sorbent activation process", 1),
        ]
        for (route, title, years) in works {
            appendFamily(
                office: Self.university, title: title, ipc: [], disclosure: nil, route: route,
                priority: SampleDates.workday(SampleDates.add(years: -years, to: asOf), backward: true),
                local: Self.inHouseAttorney, foreign: Self.inHouseAttorney, prefix: "ATU", factory: &factory,
                families: &families, rights: &rights)
        }
        // The know-how pools what the university's first two disclosures taught.
        if let index = rights.firstIndex(where: { $0.right.kind == .knowHow }) {
            let pooled = disclosures.filter { $0.disclosure.office == Self.university }.prefix(2).map(\.disclosure.id)
            rights[index].right.disclosure = pooled.first
            rights[index].right.furtherDisclosures = Array(pooled.dropFirst())
        }

        var commerce = CommerceBuilder(asOf: asOf, random: SampleRandom(seed: seed, stream: 0xC0FE))
        commerce.build(disclosures: disclosures, rights: rights)
        return SamplePortfolio(
            seed: seed, asOf: asOf, offices: offices, parties: parties, disclosures: disclosures, families: families,
            rights: rights, deals: commerce.deals, agreements: commerce.agreements, payments: commerce.payments,
            policies: Self.policies(asOf: asOf),
            costs: CostLedger.build(rights: rights, agreements: commerce.agreements, asOf: asOf),
            startups: StartupLedger.build(
                agreements: commerce.agreements, rights: rights, disclosures: disclosures, asOf: asOf),
            projects: GrantsAndMarketing.projects(parties: parties, disclosures: disclosures, rights: rights, asOf: asOf),
            offers: GrantsAndMarketing.offers(parties: parties, disclosures: disclosures, rights: rights, asOf: asOf))
    }

    /// Generates one family; `prefix` is `ATU` (then the year and a number are added) or a firm matter.
    private mutating func appendFamily(
        office: ID<Office>, title: String, ipc: [IPCSymbol], disclosure: ID<Disclosure>?, route: FamilyRoute,
        priority: CivilDate, local: ID<Party>, foreign: ID<Party>, prefix: String, phases: [Jurisdiction]? = nil,
        lateFollowUp: Bool = false, factory: inout FamilyFactory, families: inout [RightFamily],
        rights: inout [SampleRight]
    ) {
        let id = ID<RightFamily>(Int64(families.count + 1))
        let reference =
            prefix == "ATU" ? "ATU-\(priority.year)-\(SampleText.padded(families.count + 1, 3))" : prefix
        var spec = FamilySpec(
            office: office, family: id, reference: reference, title: title, ipc: ipc, disclosure: disclosure,
            localAttorney: local, foreignAttorney: foreign, priority: priority, route: route)
        switch route {
        case .kzPatent(true), .pctFirst, .usProvisional(true):
            spec.nationalPhases =
                phases
                ?? RoutePlanner.nationalPhases(
                    includingKZ: route == .pctFirst, includingUS: route != .usProvisional(pct: true), random: &random)
        case .kzPatent(false), .kzUtilityModel, .kzDesign, .kzTrademark, .eaDirect, .usProvisional(false), .inboundPCT,
            .kzCopyright, .knowHow:
            break
        }
        spec.lateFollowUp = lateFollowUp
        spec.lateEntry = phases != nil
        let generated = factory.rights(for: spec, random: &random)
        guard !generated.isEmpty else { return }
        families.append(RightFamily(id: id, office: office, reference: reference, disclosure: disclosure))
        rights.append(contentsOf: generated)
    }

    // MARK: Disclosures

    /// The fate planned for each of the 60 disclosures.
    private enum Plan: CaseIterable {
        case received, underAssessment, onHold, released, abandoned, approved, approvedAfterHold
    }

    private mutating func buildDisclosures(
        parties: [SampleParty], factory: inout FamilyFactory, families: inout [RightFamily],
        rights: inout [SampleRight]
    ) -> [SampleDisclosure] {
        var plans: [Plan] =
            Array(repeating: .received, count: 4) + Array(repeating: .underAssessment, count: 5)
            + Array(repeating: .onHold, count: 4) + Array(repeating: .released, count: 5)
            + Array(repeating: .abandoned, count: 4) + Array(repeating: .approvedAfterHold, count: 3)
            + Array(repeating: .approved, count: 35)
        // Interleave the fates deterministically (a seeded shuffle).
        for index in stride(from: plans.count - 1, to: 0, by: -1) {
            plans.swapAt(index, random.below(index + 1))
        }
        let inventors = parties.filter { $0.party.has(.inventor) }
        var disclosures: [SampleDisclosure] = []
        // Some families are placed so that their next deadline falls in the coming three months.
        var focus = 0
        for (index, plan) in plans.enumerated() {
            let technology = SampleCatalog.technologies[index % SampleCatalog.technologies.count]
            let title =
                technology.title + SampleCatalog.titleVariants[index / SampleCatalog.technologies.count]
            let id = ID<Disclosure>(Int64(index + 1))
            // Inventors from the technology's department first.
            let department = SampleCatalog.departments[technology.department]
            let own = inventors.filter { $0.department == department }.map(\.party.id)
            let others = inventors.map(\.party.id).filter { !own.contains($0) }
            let count = random.weighted([20, 35, 30, 15]) + 1
            var team = random.sample(own, count: min(count, own.count))
            if team.count < count { team += random.sample(others, count: count - team.count) }
            let shares = Self.shares(count: team.count, random: &random)
            let inventorShares = zip(team, shares).map { InventorShare($0, BasisPoints(points: $1)!) }
            var funding: [Disclosure.FundingSource] = []
            let sources = Disclosure.FundingSource.allCases
            funding.append(sources[random.weighted([40, 30, 15, 5, 10])])
            if random.chance(percent: 30) {
                let second = sources[random.weighted([20, 30, 20, 15, 15])]
                if second != funding[0] { funding.append(second) }
            }

            var received: CivilDate
            var history: [DatedEvent<DisclosureWorkflow.Event>] = []
            var state = DisclosureWorkflow.State.received
            var reviewOn: CivilDate?
            var priority: CivilDate?
            switch plan {
            case .received:
                received = asOf.adding(days: -random.int(in: 1...40))
            case .underAssessment:
                received = asOf.adding(days: -random.int(in: 30...150))
            case .onHold:
                received = asOf.adding(days: -random.int(in: 120...600))
            case .released, .abandoned:
                received = asOf.adding(days: -random.int(in: 300...2_200))
            case .approved, .approvedAfterHold:
                let date = RoutePlanner.priorityDate(asOf: asOf, years: 11, random: &random)
                priority = date
                received = date.adding(days: -random.int(in: plan == .approvedAfterHold ? 260...420 : 60...200))
            }
            if plan != .received {
                let start = received.adding(days: random.int(in: 3...20))
                history.append(DatedEvent(.startAssessment(inventors: inventorShares), on: start))
                state = .underAssessment
                switch plan {
                case .received, .underAssessment:
                    break
                case .onHold:
                    let held = start.adding(days: random.int(in: 20...60))
                    let review = SampleDates.later(held.adding(days: 90), asOf.adding(days: random.int(in: -15...120)))
                    history.append(DatedEvent(.putOnHold(reviewOn: review), on: held))
                    state = .onHold
                    reviewOn = review
                case .released:
                    history.append(DatedEvent(.releaseToInventors, on: start.adding(days: random.int(in: 30...120))))
                    state = .releasedToInventors
                case .abandoned:
                    history.append(DatedEvent(.abandon, on: start.adding(days: random.int(in: 30...120))))
                    state = .abandoned
                case .approvedAfterHold:
                    let held = start.adding(days: random.int(in: 15...40))
                    history.append(DatedEvent(.putOnHold(reviewOn: held.adding(days: 120)), on: held))
                    history.append(DatedEvent(.resumeAssessment, on: held.adding(days: random.int(in: 100...130))))
                    history.append(
                        DatedEvent(.approveForProtection, on: priority!.adding(days: -random.int(in: 5...30))))
                    state = .approvedForProtection
                case .approved:
                    history.append(
                        DatedEvent(.approveForProtection, on: priority!.adding(days: -random.int(in: 5...40))))
                    state = .approvedForProtection
                }
            }
            let readiness: TechnologyReadinessLevel? =
                plan == .received
                ? nil
                : TechnologyReadinessLevel(
                    state == .approvedForProtection ? random.int(in: 3...7) : random.int(in: 1...5))
            let disclosure = Disclosure(
                id: id, office: Self.university, reference: "DISC-\(received.year)-\(SampleText.padded(index + 1, 3))",
                title: title, receivedOn: received, department: department,
                inventors: inventorShares, fundingSources: funding,
                readiness: readiness, ipcSymbols: RoutePlanner.technologyIPC[index % SampleCatalog.technologies.count],
                state: state, reviewOn: reviewOn)
            disclosures.append(SampleDisclosure(disclosure: disclosure, history: history))

            // Protection for approved disclosures.
            guard let priority else { continue }
            let routes: [FamilyRoute] = [
                .kzPatent(pct: false), .kzPatent(pct: true), .kzUtilityModel, .pctFirst, .usProvisional(pct: true),
            ]
            let route = routes[random.weighted([30, 30, 22, 10, 8])]
            var placed = priority
            var late = false
            var phases: [Jurisdiction]?
            if index % 3 == 0, focus < 12 {
                // Put the next big deadline of this family in the coming three months.
                switch route {
                case .kzPatent(true), .usProvisional:
                    placed = SampleDates.add(months: -12, to: asOf).adding(days: random.int(in: 3...80))
                    late = true
                    focus += 1
                case .pctFirst:
                    placed = SampleDates.add(months: -31, to: asOf).adding(days: random.int(in: 5...85))
                    phases = [.eurasian, .european]
                    focus += 1
                case .kzPatent(false), .kzUtilityModel, .kzDesign, .kzTrademark, .eaDirect, .inboundPCT, .kzCopyright,
                    .knowHow:
                    break
                }
                if placed != priority {
                    // Keep the disclosure's history before the new priority date.
                    let shift = priority.days(to: placed)
                    var moved = disclosures.removeLast()
                    moved.disclosure.receivedOn = moved.disclosure.receivedOn.adding(days: shift)
                    moved.disclosure.reference =
                        "DISC-\(moved.disclosure.receivedOn.year)-\(SampleText.padded(index + 1, 3))"
                    moved.history = moved.history.map { DatedEvent($0.event, on: $0.date.adding(days: shift)) }
                    disclosures.append(moved)
                }
            }
            // The in-house attorney answers for the university's rights abroad too (the firm
            // files them on instructions): a right's attorney is a party of its own office.
            appendFamily(
                office: Self.university, title: title,
                ipc: RoutePlanner.technologyIPC[index % SampleCatalog.technologies.count],
                disclosure: id, route: route, priority: placed, local: Self.inHouseAttorney,
                foreign: Self.inHouseAttorney, prefix: "ATU", phases: phases, lateFollowUp: late,
                factory: &factory, families: &families, rights: &rights)
        }
        return disclosures
    }

    /// Inventor shares in basis points summing to 10 000.
    static func shares(count: Int, random: inout SampleRandom) -> [Int] {
        let tables: [[[Int]]] = [
            [[10_000]],
            [[5_000, 5_000], [6_000, 4_000], [7_000, 3_000]],
            [[4_000, 3_000, 3_000], [3_334, 3_333, 3_333], [5_000, 2_500, 2_500]],
            [[2_500, 2_500, 2_500, 2_500], [4_000, 2_000, 2_000, 2_000], [3_000, 3_000, 2_000, 2_000]],
        ]
        return random.pick(tables[count - 1])
    }

    /// The university's distribution policies: one in force for years, one recent.
    static func policies(asOf: CivilDate) -> [DistributionPolicy] {
        let older = SampleDates.newYear(asOf.year - 9)
        let newer = SampleDates.newYear(asOf.year - 2)
        return [
            DistributionPolicy(
                office: university, name: "IP policy \(older.year)", effectiveFrom: older,
                administrativeShare: 1_500, recoversPatentCosts: true, inventorsShare: 4_000, departmentShare: 2_000,
                institutionShare: 4_000,
                source: "Academic Council decision No. 7 of \(older.adding(days: -20))"),
            DistributionPolicy(
                office: university, name: "IP policy \(newer.year)", effectiveFrom: newer,
                administrativeShare: 1_000, recoversPatentCosts: true, inventorsShare: 5_000, departmentShare: 1_500,
                institutionShare: 3_500,
                source: "Rector's order No. 112 of \(newer.adding(days: -14))"),
        ]
    }
}
