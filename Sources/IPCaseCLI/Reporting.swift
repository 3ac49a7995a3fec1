import IPCase
import IPCaseReports
import IPCaseStore

/// Indicator reports and the deal pipeline from the store's data.
public enum Reporting {
    /// The portfolio of `offices` (all when empty) as the indicator report reads it.
    public static func portfolio(store: Store, offices: [ID<Office>]) async throws -> Portfolio {
        var portfolio = Portfolio()
        for office in offices {
            let part = try await store.withOffice(office, actor: "ipcase") { session in
                try await officePortfolio(session)
            }
            portfolio.offices += part.offices
            portfolio.parties += part.parties
            portfolio.disclosures += part.disclosures
            portfolio.rights += part.rights
            portfolio.agreements += part.agreements
            portfolio.payments += part.payments
            portfolio.rightEvents.merge(part.rightEvents) { $0 + $1 }
            portfolio.agreementEndedOn.merge(part.agreementEndedOn) { first, _ in first }
            portfolio.families += part.families
            portfolio.costs += part.costs
            portfolio.costInvoices += part.costInvoices
            portfolio.startups += part.startups
            portfolio.projects += part.projects
        }
        return portfolio
    }

    /// Every office's key, or just `office`.
    /// Everything the reports read of `session`'s office, in its transaction (the web reads
    /// the indicators this way, in the request's session).
    public static func officePortfolio(_ session: OfficeSession) async throws -> Portfolio {
        var part = Portfolio()
        part.offices = [try await session.currentOffice().value]
        part.parties = try await session.parties().map(\.value)
        part.disclosures = try await session.disclosures().map(\.value)
        part.rights = try await session.rights().map(\.value)
        part.agreements = try await session.agreements().map(\.value)
        part.payments = try await session.payments()
        part.rightEvents = try await session.allRightEvents()
        part.agreementEndedOn = try await session.agreementsReaching(
            states: ["expired", "terminated", "exercised", "lapsed"])
        part.families = try await session.families()
        part.costs = try await session.patentCosts().map(\.cost)
        part.costInvoices = try await session.costInvoices().map(RecoveryInvoice.init)
        part.startups = try await session.startups()
        part.projects = try await session.projects().map(\.value)
        return part
    }

    public static func offices(store: Store, only office: ID<Office>?) async throws -> [ID<Office>] {
        if let office { return [office] }
        return try await store.withService(actor: "ipcase") { try await $0.offices() }.map(\.id)
    }

    /// The indicator report for `period` over `office` (all offices when `nil`); with `rates`,
    /// amounts in other currencies are also given in KZT.
    public static func indicators(
        store: Store, period: ReportPeriod, office: ID<Office>?, rates: ExchangeRates? = nil
    ) async throws -> IndicatorReport {
        let portfolio = try await portfolio(store: store, offices: try await offices(store: store, only: office))
        return try IndicatorReport.compute(for: period, from: portfolio, office: office, rates: rates)
    }

    /// What the rights of `office` (all offices when `nil`) cost in `period` and what licensees
    /// repaid; with `rates`, the total in KZT too.
    public static func patentSpending(
        store: Store, period: ReportPeriod, office: ID<Office>?, rates: ExchangeRates? = nil
    ) async throws -> PatentSpendingReport {
        let portfolio = try await portfolio(store: store, offices: try await offices(store: store, only: office))
        return try PatentSpendingReport.compute(for: period, from: portfolio, office: office, rates: rates)
    }

    /// The deal pipeline: deals per stage, stages in workflow order, as an aligned table.
    public static func pipelineTable(store: Store, office: ID<Office>?) async throws -> String {
        var counts: [String: Int] = [:]
        for id in try await offices(store: store, only: office) {
            for (state, count) in try await store.withOffice(id, actor: "ipcase", { try await $0.dealPipeline() }) {
                counts[state, default: 0] += count
            }
        }
        let stages = DealWorkflow.State.allCases.map(\.rawValue)
        let width = stages.map(\.count).max() ?? 10
        var out = ""
        for stage in stages {
            out += stage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + String(counts[stage] ?? 0) + "\n"
        }
        return out
    }
}

extension RecoveryInvoice {
    /// The invoice as the reports read it.
    init(_ invoice: CostInvoice) {
        self.init(
            basis: invoice.basis, amount: invoice.amount, settled: invoice.settled,
            lines: invoice.lines.map {
                Line(cost: $0.cost.cost.id, costAmount: $0.cost.cost.amount, billed: $0.billed)
            })
    }
}
