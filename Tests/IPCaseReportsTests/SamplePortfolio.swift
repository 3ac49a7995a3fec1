import IPCase
import IPCaseReports

/// A small hand-built portfolio with figures worked out by hand (see the comments): two offices,
/// rights in KZ, EA, WO, US, EP; licences, an option, spin-offs, research and NDA agreements;
/// payments in KZT, USD and EUR, some outside 2025 or under non-commercial agreements.
enum SamplePortfolio {
    static let office1 = Office(id: 1, name: "Satbayev University TTO", region: .almatyCity, kind: .university)
    static let office2 = Office(id: 2, name: "Karaganda Technopark", region: .karaganda, kind: .technopark)

    static let parties = [
        Party(
            id: 1, kind: .person, name: "Aliya Nurlanova", roles: [.inventor], sector: .academia, region: .almatyCity),
        Party(id: 2, kind: .organization, name: "KazMunayGas", roles: [.licensee], sector: .industry, region: .atyrau),
        Party(
            id: 3, kind: .organization, name: "EcoSorb LLP", roles: [.licensee], sector: .industry, region: .almatyCity),
        Party(id: 4, kind: .organization, name: "Siemens AG", roles: [.licensee], sector: .industry, country: .germany),
        Party(
            id: 5, kind: .organization, name: "Ministry of Energy", roles: [.funder], sector: .government,
            region: .astana),
        Party(id: 6, kind: .organization, name: "Nazarbayev University", roles: [], sector: .academia, region: .astana),
        Party(id: 7, kind: .organization, name: "OldSpin LLP", roles: [.licensee], sector: .industry),
        Party(
            id: 8, kind: .organization, name: "Frontier Fund", roles: [.assignee], sector: .other,
            country: .unitedStates),
    ]

    static func disclosure(
        _ id: ID<Disclosure>, office: ID<Office> = 1, received: String, funding: [Disclosure.FundingSource],
        ipc: [String]
    ) -> Disclosure {
        Disclosure(
            id: id, office: office, reference: "D-\(id.rawValue)", title: "Invention \(id.rawValue)",
            receivedOn: day(received), fundingSources: funding, ipcSymbols: ipc.compactMap(IPCSymbol.init))
    }

    static let disclosures = [
        disclosure(1, received: "2025-02-10", funding: [.stateBudget, .grantProgramme], ipc: ["F03D 1/06"]),  // green: energy
        disclosure(2, received: "2025-05-20", funding: [.ownFunds], ipc: ["A61K 31/713"]),  // not green
        disclosure(3, received: "2025-11-30", funding: [], ipc: []),
        disclosure(4, received: "2024-12-31", funding: [.venture], ipc: ["B01D 53/62"]),  // outside; green: waste
        disclosure(5, received: "2026-01-01", funding: [.foreign], ipc: []),  // outside
        disclosure(6, office: 2, received: "2025-03-03", funding: [.stateBudget], ipc: ["H01M 10/44"]),  // green: conservation
    ]

    static func right(
        _ id: ID<Right>, office: ID<Office> = 1, _ jurisdiction: Jurisdiction, _ kind: RightKind,
        disclosure: ID<Disclosure>? = nil, filed: String?, priority: String? = nil, parentPCT: ID<Right>? = nil,
        granted: String? = nil
    ) -> Right {
        Right(
            id: id, office: office, reference: "R-\(id.rawValue)", title: "Right \(id.rawValue)",
            jurisdiction: jurisdiction, kind: kind, disclosure: disclosure, parentPCT: parentPCT,
            filingDate: filed.map(day),
            priorityClaims: priority.map {
                [PriorityClaim(jurisdiction: .kazakhstan, applicationNumber: "2025/0001.1", date: day($0))]
            }
                ?? [], grantDate: granted.map(day))
    }

    static let rights = [
        right(1, .kazakhstan, .patent, disclosure: 1, filed: "2025-03-01"),  // first filing, KZ, green
        right(2, .pct, .pctApplication, disclosure: 1, filed: "2025-12-20", priority: "2025-03-01"),  // WO, green
        right(3, .eurasian, .patent, disclosure: 4, filed: "2025-06-15", priority: "2024-12-31"),  // EA, green
        right(4, .unitedStates, .patent, disclosure: 2, filed: "2023-05-05", parentPCT: 100),  // entered 2025-07-07
        right(5, .kazakhstan, .utilityModel, filed: "2025-08-08", granted: "2025-10-10"),  // first, KZ, unclassified
        right(6, .kazakhstan, .trademark, filed: "2025-04-04"),  // not a patent application
        right(7, .kazakhstan, .patent, disclosure: 4, filed: "2022-01-10", granted: "2025-09-09"),  // issued
        right(8, .european, .patent, disclosure: 1, filed: "2024-11-11", granted: "2025-12-31"),  // issued
        right(9, office: 2, .kazakhstan, .patent, disclosure: 6, filed: "2025-05-05"),  // first, KZ, green
        right(10, .unitedStates, .provisional, filed: "2024-12-31"),  // outside
        right(11, .kazakhstan, .software, filed: "2025-02-01", granted: "2025-02-20"),  // registered
        right(12, office: 2, .kazakhstan, .database, filed: "2025-03-01", granted: "2025-04-01"),  // registered
        right(13, .kazakhstan, .software, filed: "2024-11-01", granted: "2024-12-01"),  // registered before
    ]

    static let rightEvents: [ID<Right>: [RightEvent]] = [
        4: [RightEvent(.pctFiled, on: day("2023-05-05")), RightEvent(.nationalPhaseEntered, on: day("2025-07-07"))]
    ]

    static func agreement(
        _ id: ID<Agreement>, office: ID<Office> = 1, _ kind: Agreement.Kind, with party: ID<Party>,
        executed: String?, state: AgreementWorkflow.State, endsOn: String? = nil
    ) -> Agreement {
        Agreement(
            id: id, office: office, reference: "A-\(id.rawValue)", kind: kind, counterparties: [party],
            term: AgreementTerm(startsOn: executed.map(day), endsOn: endsOn.map(day)), executedOn: executed.map(day),
            state: state)
    }

    static let agreements = [
        agreement(1, .exclusiveLicence, with: 2, executed: "2025-06-01", state: .active),
        agreement(2, .nonExclusiveLicence, with: 3, executed: "2025-07-01", state: .active),  // to a start-up
        agreement(3, .nonExclusiveLicence, with: 4, executed: "2025-09-15", state: .executed),
        agreement(4, .option, with: 7, executed: "2025-02-01", state: .exercised),  // to a start-up (2023)
        agreement(5, .spinOffEquity, with: 3, executed: "2025-04-01", state: .active),  // start-up formed
        agreement(6, .spinOffEquity, with: 7, executed: "2023-03-03", state: .active),
        agreement(7, .sponsoredResearch, with: 5, executed: "2025-01-20", state: .active),
        agreement(8, .nda, with: 6, executed: "2025-03-10", state: .active),
        agreement(9, office: 2, .exclusiveLicence, with: 2, executed: "2025-10-10", state: .active),
        agreement(10, .exclusiveLicence, with: 2, executed: "2022-01-01", state: .terminated),  // ended 2026-02-01
        agreement(11, .nonExclusiveLicence, with: 4, executed: "2021-05-05", state: .expired),  // end not known
        agreement(12, .nonExclusiveLicence, with: 2, executed: "2020-01-01", state: .active, endsOn: "2025-06-30"),
        agreement(13, .exclusiveLicence, with: 2, executed: nil, state: .draft),
        agreement(14, .assignment, with: 8, executed: "2025-12-31", state: .executed),
    ]

    static func payment(
        _ id: ID<Payment>, office: ID<Office> = 1, _ agreement: ID<Agreement>, _ minorUnits: Int64,
        _ currency: Currency,
        _ kind: Payment.Kind, on date: String
    ) -> Payment {
        Payment(
            id: id, office: office, agreement: agreement, amount: Money(minorUnits: minorUnits, currency), kind: kind,
            receivedOn: day(date))
    }

    static let payments = [
        payment(1, 1, 500_000_000, .kzt, .upfront, on: "2025-06-10"),
        payment(2, 1, 123_456_789, .kzt, .royalty, on: "2025-12-31"),
        payment(3, 3, 2_000_000, .eur, .upfront, on: "2025-09-30"),
        payment(4, 1, 75_000_000, .kzt, .milestone, on: "2025-11-11"),
        payment(5, 5, 1_000_000, .usd, .equitySale, on: "2025-12-01"),
        payment(6, 2, 30_000_000, .kzt, .sublicense, on: "2025-08-08"),
        payment(7, 1, 45_000_000, .kzt, .patentCostReimbursement, on: "2025-07-07"),
        payment(8, 7, 10_000_000_000, .kzt, .other, on: "2025-05-05"),  // sponsored research: not licence income
        payment(9, 1, 99_999, .kzt, .royalty, on: "2024-12-31"),  // outside
        payment(10, office: 2, 9, 100_000, .usd, .royalty, on: "2025-11-01"),
        payment(11, 999, 5_000, .kzt, .other, on: "2025-03-03"),  // agreement not supplied
    ]

    static let portfolio = Portfolio(
        offices: [office1, office2], parties: parties, disclosures: disclosures, rights: rights,
        agreements: agreements, payments: payments, rightEvents: rightEvents, agreementEndedOn: [10: day("2026-02-01")])

    static func money(_ pairs: (Int64, Currency)...) throws -> MoneyTotals {
        var totals = MoneyTotals()
        for (minor, currency) in pairs { try totals.add(Money(minorUnits: minor, currency)) }
        return totals
    }
}
