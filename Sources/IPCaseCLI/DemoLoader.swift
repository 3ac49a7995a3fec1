import IPCase
import IPCaseSamples
import IPCaseStore
import PostgresClient

/// Loads a `SamplePortfolio` into an empty database through the store, one transaction per
/// office. Records are created in the sample's key order so the store's keys equal the sample's
/// (checked); workflow histories are replayed through the domain's state machines and written
/// as real history rows; right events are written in bulk and one deadline job per right is queued.
public enum DemoLoader {
    /// What was loaded.
    public struct Summary: Sendable, Hashable {
        /// Offices, parties, disclosures, rights, right events, deals, agreements and payments.
        public var offices = 0, parties = 0, disclosures = 0, rights = 0, events = 0, deals = 0, agreements = 0,
            payments = 0
        /// Costs of the ledger and the cost-recovery invoices issued for them.
        public var costs = 0, costInvoices = 0
        /// Start-ups recorded.
        public var startups = 0
        /// Funded projects and technology offers recorded.
        public var projects = 0, offers = 0
    }

    /// A key the store gave differs from the sample's: the database was not empty.
    public struct KeyMismatch: Error, CustomStringConvertible {
        /// What differed.
        public var description: String
    }

    /// Loads `portfolio`; the database must be freshly migrated.
    public static func load(_ portfolio: SamplePortfolio, into store: Store) async throws -> Summary {
        var summary = Summary()
        for office in portfolio.offices.sorted(by: { $0.id < $1.id }) {
            let created = try await store.withService(actor: "ipcase-demo") { try await $0.createOffice(office) }
            try check(created.id.rawValue, office.id.rawValue, "office \(office.name)")
            summary.offices += 1
        }
        // Parties first, across offices, in key order (one identity sequence).
        for sample in portfolio.parties.sorted(by: { $0.party.id < $1.party.id }) {
            let created = try await store.withOffice(sample.office, actor: "ipcase-demo") {
                try await $0.createParty(sample.party)
            }
            try check(created.id.rawValue, sample.party.id.rawValue, "party \(sample.party.name)")
            summary.parties += 1
        }
        // Each table's keys come from one sequence shared by the offices: records are created in
        // key order, in runs of consecutive records of one office (one transaction per run).
        var history: [ID<Office>: [HistoryEntry]] = [:]
        var links: [ID<Office>: [(deal: ID<Deal>, agreement: ID<Agreement>, state: DealWorkflow.State)]] = [:]
        for office in portfolio.offices {
            let policies = portfolio.policies.filter { $0.office == office.id }
            try await store.withOffice(office.id, actor: "ipcase-demo") { session in
                for policy in policies { _ = try await session.createPolicy(policy) }
            }
        }
        for (office, run) in runs(
            portfolio.disclosures.sorted { $0.disclosure.id < $1.disclosure.id }, \.disclosure.office)
        {
            let rows = try await store.withOffice(office, actor: "ipcase-demo") { session in
                try await loadDisclosures(run, session: session)
            }
            history[office, default: []] += rows
            summary.disclosures += run.count
        }
        for (office, run) in runs(portfolio.families.sorted { $0.id < $1.id }, \.office) {
            try await store.withOffice(office, actor: "ipcase-demo") { session in
                for family in run {
                    let created = try await session.createFamily(family)
                    try check(created.id.rawValue, family.id.rawValue, "family \(family.reference)")
                }
            }
        }
        // Every generated right names an attorney of its own office (tenant rows cannot point
        // across offices), so rights load as generated.
        let samples = portfolio.rights.sorted { $0.right.id < $1.right.id }
        for (office, run) in runs(samples, \.right.office) {
            let (rows, events) = try await store.withOffice(office, actor: "ipcase-demo") { session in
                try await loadRights(run, session: session)
            }
            history[office, default: []] += rows
            summary.rights += run.count
            summary.events += events
        }
        for (office, run) in runs(portfolio.deals.sorted { $0.deal.id < $1.deal.id }, \.deal.office) {
            let rows = try await store.withOffice(office, actor: "ipcase-demo") { session in
                try await loadDeals(run, session: session)
            }
            history[office, default: []] += rows
            links[office, default: []] += run.compactMap { sample in
                sample.deal.agreement.map { (sample.deal.id, $0, sample.deal.state) }
            }
            summary.deals += run.count
        }
        for (office, run) in runs(portfolio.agreements.sorted { $0.agreement.id < $1.agreement.id }, \.agreement.office)
        {
            let rows = try await store.withOffice(office, actor: "ipcase-demo") { session in
                try await loadAgreements(run, session: session)
            }
            history[office, default: []] += rows
            summary.agreements += run.count
        }
        for office in portfolio.offices {
            let payments = portfolio.payments.filter { $0.office == office.id }.sorted { $0.id < $1.id }
            let officeLinks = links[office.id] ?? []
            let rows = history[office.id] ?? []
            try await store.withOffice(office.id, actor: "ipcase-demo") { session in
                try await session.linkDeals(officeLinks)
                try await session.createPayments(payments)
                try await session.appendHistory(rows)
            }
            summary.payments += payments.count
        }
        for (office, run) in runs(portfolio.startups.sorted { $0.id < $1.id }, \.office) {
            try await store.withOffice(office, actor: "ipcase-demo") { session in
                for startup in run {
                    let created = try await session.createStartup(startup)
                    try check(created.id.rawValue, startup.id.rawValue, "start-up of party \(startup.party)")
                    for round in startup.rounds { _ = try await session.addRound(round, to: created.id) }
                    for residency in startup.residencies { _ = try await session.addResidency(residency, to: created.id) }
                }
            }
            summary.startups += run.count
        }
        for sample in portfolio.projects {
            let (project, events) = (sample.project, sample.events)
            try await store.withOffice(project.office, actor: "ipcase-demo") { session in
                let created = try await session.createProject(project)
                for event in events { try await session.advanceProject(created.id, event) }
            }
            summary.projects += 1
        }
        for offer in portfolio.offers {
            try await store.withOffice(offer.office, actor: "ipcase-demo") { session in
                let created = try await session.createOffer(offer)
                for outreach in offer.outreach { _ = try await session.addOutreach(outreach, to: created.id) }
            }
            summary.offers += 1
        }
        for (office, run) in runs(portfolio.costs.sorted { $0.id < $1.id }, \.office) {
            summary.costInvoices += try await store.withOffice(office, actor: "ipcase-demo") { session in
                try await loadCosts(run, agreements: portfolio.agreements.map(\.agreement), asOf: portfolio.asOf,
                    session: session)
            }
            summary.costs += run.count
        }
        return summary
    }

    /// Adds the ledger's costs, then invoices each reimbursing licensee for its costs up to 45
    /// days before `asOf` (issued 40 days before, due 10 days before) and records four fifths of
    /// the first invoice as paid; returns how many invoices were issued.
    static func loadCosts(
        _ costs: [PatentCost], agreements: [Agreement], asOf: CivilDate, session: OfficeSession
    ) async throws -> Int {
        for cost in costs {
            let created = try await session.addPatentCost(cost)
            try check(created.id.rawValue, cost.id.rawValue, "cost \(cost.invoiceReference ?? "")")
        }
        let until = asOf.adding(days: -45)
        var issued: [CostInvoice] = []
        for agreement in agreements where agreement.office == session.office {
            guard let from = agreement.executedOn,
                costs.contains(where: { $0.agreement == agreement.id && from <= $0.incurredOn && $0.incurredOn <= until })
            else { continue }
            issued += try await session.invoicePatentCosts(
                under: agreement.id, from: from, to: until, issuedOn: asOf.adding(days: -40), dueOn: asOf.adding(days: -10))
        }
        if let first = issued.first {
            let payment = try await session.createPayment(
                Payment(
                    id: 0, office: session.office, agreement: first.agreement,
                    amount: Money(minorUnits: first.amount.minorUnits / 5 * 4, first.amount.currency),
                    kind: .patentCostReimbursement, receivedOn: asOf.adding(days: -5), reference: "part of cost invoice"))
            try await session.matchPayment(payment.id, to: first.id)
        }
        return issued.count
    }

    static func check(_ got: Int64, _ expected: Int64, _ record: String) throws {
        guard got == expected else {
            throw KeyMismatch(
                description:
                    "\(record): the store gave key \(got), the sample has \(expected); load into an empty database")
        }
    }

    /// Consecutive runs of items of one office, in order.
    static func runs<T>(_ items: [T], _ office: KeyPath<T, ID<Office>>) -> [(ID<Office>, [T])] {
        var result: [(ID<Office>, [T])] = []
        for item in items {
            let owner = item[keyPath: office]
            if let last = result.last, last.0 == owner {
                result[result.count - 1].1.append(item)
            } else {
                result.append((owner, [item]))
            }
        }
        return result
    }

    static func loadDisclosures(_ run: [SampleDisclosure], session: OfficeSession) async throws -> [HistoryEntry] {
        var history: [HistoryEntry] = []
        for sample in run {
            let created = try await session.createDisclosure(sample.disclosure)
            try check(created.id.rawValue, sample.disclosure.id.rawValue, "disclosure \(sample.disclosure.reference)")
            var replay = sample.disclosure
            replay.state = .received
            for step in sample.history {
                let from = replay.state.rawValue
                guard (try? replay.apply(step.event)) != nil else { break }
                history.append(
                    HistoryEntry(
                        entity: "disclosure", id: created.id.rawValue, event: step.event.kind.rawValue, from: from,
                        to: replay.state.rawValue, on: step.date,
                        details: try? PostgresJSON(encoding: Dated(date: step.date, event: step.event))))
            }
        }
        return history
    }

    static func loadRights(_ run: [SampleRight], session: OfficeSession) async throws -> ([HistoryEntry], Int) {
        var history: [HistoryEntry] = []
        let ids = try await session.createRights(run.map(\.right))
        var events: [(right: ID<Right>, event: RightEvent)] = []
        for (sample, id) in zip(run, ids) {
            try check(id.rawValue, sample.right.id.rawValue, "right \(sample.right.reference)")
            var replay = sample.right
            replay.state = .draft
            for step in sample.history {
                if let event = step.rightEvent { events.append((id, event)) }
                switch step {
                case .workflow(let event):
                    let from = replay.state.rawValue
                    do {
                        _ = try replay.apply(event)
                    } catch {
                        // A generated history the workflow refuses is a generator bug: say so.
                        throw StoreError.workflow(record: "right \(sample.right.reference)", reason: error.description)
                    }
                    history.append(
                        HistoryEntry(
                            entity: "right", id: id.rawValue, event: event.kind.rawValue, from: from,
                            to: replay.state.rawValue, on: step.date,
                            details: try? PostgresJSON(encoding: Dated(date: step.date, event: event))))
                case .docket(let event):
                    history.append(
                        HistoryEntry(
                            entity: "right", id: id.rawValue, event: event.kind.rawValue, from: replay.state.rawValue,
                            to: replay.state.rawValue, on: step.date,
                            details: try? PostgresJSON(encoding: Dated(date: step.date, event: event))))
                }
            }
        }
        try await session.insertRightEvents(events)
        try await session.enqueueRecomputation(of: ids)
        return (history, events.count)
    }

    static func loadDeals(_ run: [SampleDeal], session: OfficeSession) async throws -> [HistoryEntry] {
        var history: [HistoryEntry] = []
        for sample in run {
            var deal = sample.deal
            deal.agreement = nil
            if deal.state == .agreementExecuted { deal.state = .termSheetAgreed }
            let created = try await session.createDeal(deal)
            try check(created.id.rawValue, sample.deal.id.rawValue, "deal \(deal.reference)")
            var replay = sample.deal
            replay.state = .identified
            for step in sample.history {
                let from = replay.state.rawValue
                guard (try? replay.apply(step.event)) != nil else { break }
                history.append(
                    HistoryEntry(
                        entity: "deal", id: created.id.rawValue, event: step.event.kind.rawValue, from: from,
                        to: replay.state.rawValue, on: step.date,
                        details: try? PostgresJSON(encoding: Dated(date: step.date, event: step.event))))
            }
        }
        return history
    }

    static func loadAgreements(_ run: [SampleAgreement], session: OfficeSession) async throws -> [HistoryEntry] {
        var history: [HistoryEntry] = []
        for sample in run {
            let created = try await session.createAgreement(sample.agreement)
            try check(created.id.rawValue, sample.agreement.id.rawValue, "agreement \(sample.agreement.reference)")
            var replay = sample.agreement
            replay.state = .draft
            for step in sample.history {
                let from = replay.state.rawValue
                guard (try? replay.apply(step.event)) != nil else { break }
                history.append(
                    HistoryEntry(
                        entity: "agreement", id: created.id.rawValue, event: step.event.kind.rawValue, from: from,
                        to: replay.state.rawValue, on: step.date,
                        details: try? PostgresJSON(encoding: Dated(date: step.date, event: step.event))))
            }
        }
        // Signed agreements' obligations (royalty reports, milestones, option exercise) become deadlines.
        try await session.enqueueObligationRecomputation(
            of: run.filter { $0.agreement.state != .draft }.map(\.agreement.id))
        return history
    }
}

/// A history row's details with the day the event happened (reports read `date`).
struct Dated<Event: Encodable>: Encodable {
    var date: CivilDate
    var event: Event
}
