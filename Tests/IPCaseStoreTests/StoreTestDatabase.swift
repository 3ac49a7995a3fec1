import IPCase
import PostgresClient
import PostgresServer

@testable import IPCaseStore

/// A fresh, migrated database on the shared throwaway server, and login roles in it.
struct StoreTestDatabase {
    /// The database's URL as the superuser (owner of the schema).
    let url: String
    /// A superuser connection (bypasses row-level security), for seeding and checking.
    let admin: PostgresConnection

    /// Creates a database and applies every migration of `Schema/`.
    static func migrated() async throws -> StoreTestDatabase {
        let url = try await ThrowawayPostgres.shared.createDatabase(prefix: "store")
        let admin = try await PostgresConnection.connect(url: url)
        _ = try await Migrator.embedded().migrate(on: admin)
        return StoreTestDatabase(url: url, admin: admin)
    }

    /// A new store connected as a new non-superuser login role that is a member of `group`
    /// (`ipcase_app`, `ipcase_daemon` or `ipcase_report`).
    ///
    /// - Parameters:
    ///   - offices: the offices the login is a member of (personal logins see only those); `nil`
    ///     makes it a member of every office that exists now (the daemon's group needs none).
    ///   - role: its role in each of them.
    func store(as group: String, memberOf offices: [ID<Office>]? = nil, role: OfficeMembership.Role = .officer)
        async throws -> Store
    {
        let (name, password) = try await login(in: group)
        if group != "ipcase_daemon" {
            let (every, keys) = (offices == nil, offices?.map(\.rawValue) ?? [])
            try await admin.execute(
                """
                INSERT INTO office_members (office_id, login, role)
                SELECT office_id, \(name), \(role.rawValue) FROM offices
                WHERE \(every) OR office_id = ANY(\(keys)::bigint[])
                """)
        }
        return Store(connection: try await PostgresConnection.connect(url: Self.url(url, user: name, password: password)))
    }

    /// Creates a new non-superuser login role in `group`; returns its name and password.
    func login(in group: String) async throws -> (name: String, password: String) {
        let name = "t_\(group)_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw\(UInt64.random(in: 0...UInt64.max))"
        try await admin.executeScript(
            """
            CREATE ROLE \(PostgresQuery.quoteIdentifier(name)) LOGIN NOSUPERUSER NOBYPASSRLS
                PASSWORD '\(password)' IN ROLE \(PostgresQuery.quoteIdentifier(group))
            """)
        return (name, password)
    }

    /// A new store connected as the superuser.
    func ownerStore() async throws -> Store {
        Store(connection: try await PostgresConnection.connect(url: url))
    }

    /// `url` with its user and password replaced.
    static func url(_ url: String, user: String, password: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let hostPart = rest.firstIndex(of: "@").map { rest[rest.index(after: $0)...] } ?? rest
        return "\(url[..<scheme.upperBound])\(user):\(password)@\(hostPart)"
    }

    /// One integer from a query run as the superuser.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await admin.query(query)[0].decode(Int.self, at: 0)
    }
}

/// Two offices with a record in every tenant table each, made through the store.
struct SeededOffices {
    let a: ID<Office>
    let b: ID<Office>
    let rightOfA: ID<Right>
    let rightOfB: ID<Right>

    static func seed(_ database: StoreTestDatabase) async throws -> SeededOffices {
        let owner = try await database.ownerStore()
        let (a, b) = try await owner.withService(actor: "provisioning") { session in
            let a = try await session.createOffice(
                Office(id: 0, name: "Office A", region: .almatyCity, kind: .university),
                supervisor: Supervisor(name: "Head A", email: "head-a@example.org"))
            let b = try await session.createOffice(
                Office(id: 0, name: "Office B", region: .astana, kind: .researchInstitute))
            return (a.id, b.id)
        }
        var rights: [ID<Right>] = []
        for office in [a, b] {
            rights.append(try await seedEverything(in: office, store: owner))
        }
        return SeededOffices(a: a, b: b, rightOfA: rights[0], rightOfB: rights[1])
    }

    /// One row (at least) in every tenant table for `office`.
    static func seedEverything(in office: ID<Office>, store: Store) async throws -> ID<Right> {
        let day = try CivilDate(iso: "2024-02-01")
        let right = try await store.withOffice(office, actor: "seed") { session in
            let inventor = try await session.createParty(
                Party(id: 0, kind: .person, name: "Inventor \(office)", roles: [.inventor], sector: .academia))
            let licensee = try await session.createParty(
                Party(id: 0, kind: .organization, name: "Licensee \(office)", roles: [.licensee], sector: .industry))
            let disclosure = try await session.createDisclosure(
                Disclosure(
                    id: 0, office: office, reference: "D-1", title: "Sorbent", receivedOn: day,
                    fundingSources: [.stateBudget], ipcSymbols: [IPCSymbol("B01J 20/20")!]))
            try await session.applyDisclosureEvent(
                disclosure.id, .startAssessment(inventors: [InventorShare(inventor.id, 10_000)]))
            let family = try await session.createFamily(
                RightFamily(id: 0, office: office, reference: "F-1", disclosure: disclosure.id))
            let right = try await session.createRight(
                Right(
                    id: 0, office: office, reference: "KZ-1", title: "Sorbent", jurisdiction: .kazakhstan,
                    kind: .patent, disclosure: disclosure.id, family: family.id, responsibleAttorney: inventor.id))
            try await session.recordEvent(right.id, RightEvent(.filed, on: day, reference: "2024/0001.1"))
            // The application also combines a second disclosure (a row in right_disclosures).
            let combined = try await session.createDisclosure(
                Disclosure(id: 0, office: office, reference: "D-2", title: "Activation", receivedOn: day))
            var linked = try await session.right(right.id)
            linked.value.furtherDisclosures = [combined.id]
            try await session.updateRight(linked)
            let agreement = try await session.createAgreement(
                Agreement(
                    id: 0, office: office, reference: "LIC-1", kind: .exclusiveLicence,
                    counterparties: [licensee.id], rightsCovered: [right.id]))
            _ = try await session.createDeal(
                Deal(
                    id: 0, office: office, reference: "DL-1", title: "Licence", disclosure: disclosure.id,
                    rights: [right.id], counterparty: licensee.id))
            _ = try await session.createPolicy(
                DistributionPolicy(
                    office: office, name: "Policy", effectiveFrom: try CivilDate(iso: "2020-01-01"),
                    administrativeShare: 1_500, inventorsShare: 5_000, departmentShare: 2_000,
                    institutionShare: 3_000))
            try await session.recordPatentCost(Money(minorUnits: 5_000, .kzt), right: right.id, incurredOn: day)
            // A reimbursable cost invoiced to the licensee and paid in part (cost_invoices, its lines,
            // a payment settling it).
            let recovery = try await session.createAgreement(
                Agreement(
                    id: 0, office: office, reference: "LIC-2", kind: .nonExclusiveLicence,
                    counterparties: [licensee.id], rightsCovered: [right.id],
                    financialTerms: FinancialTerms(patentCostReimbursement: .actualCosts(cap: nil))))
            _ = try await session.addPatentCost(
                PatentCost(
                    office: office, right: right.id, kind: .officialFee, amount: Money(minorUnits: 7_000, .kzt),
                    incurredOn: day, reimbursable: true, agreement: recovery.id))
            let invoice = try await session.invoicePatentCosts(
                under: recovery.id, from: day, to: day, issuedOn: day, dueOn: day.adding(days: 30))[0]
            let reimbursement = try await session.createPayment(
                Payment(
                    id: 0, office: office, agreement: recovery.id, amount: Money(minorUnits: 2_000, .kzt),
                    kind: .patentCostReimbursement, receivedOn: day))
            try await session.matchPayment(reimbursement.id, to: invoice.id)
            let payment = try await session.createPayment(
                Payment(
                    id: 0, office: office, agreement: agreement.id, amount: Money(minorUnits: 100_001, .kzt),
                    kind: .upfront, receivedOn: try CivilDate(iso: "2024-05-01")))
            _ = try await session.distribute(payment.id, inventors: [InventorShare(inventor.id, 10_000)])
            // A start-up with a founder, a round with an investor and a residency.
            let startup = try await session.createStartup(
                Startup(
                    id: 0, office: office, party: licensee.id, foundedOn: day, founders: [inventor.id],
                    sharesAtFounding: 1_000, officeShares: 100))
            _ = try await session.addRound(
                FinancingRound(
                    closedOn: day, instrument: .equity, amount: Money(minorUnits: 1_000_00, .kzt), newShares: 100,
                    investors: [licensee.id]), to: startup.id)
            _ = try await session.addResidency(Residency(technopark: "Astana Hub", from: day), to: startup.id)
            // A funded project with a stage, from which the disclosure and right came.
            _ = try await session.createProject(
                FundedProject(
                    id: 0, office: office, reference: "GR-1", title: "Sorbent", funder: licensee.id, programme: "Grant",
                    stages: [ProjectStage(amount: Money(minorUnits: 1_000_00, .kzt), from: day, to: day)],
                    disclosures: [disclosure.id], rights: [right.id]))
            // A technology offer of the disclosure and right, with an outreach to the licensee.
            let offer = try await session.createOffer(
                TechnologyOffer(
                    id: 0, office: office, reference: "TO-1", title: "Sorbent", summary: "A sorbent",
                    disclosures: [disclosure.id], rights: [right.id], offeredOn: day))
            _ = try await session.addOutreach(
                Outreach(on: day, channel: .email, company: licensee.id, response: .interested), to: offer.id)
            // A member no test logs in as, so that office_members holds rows of every office too.
            _ = try await session.connection.execute(
                "INSERT INTO office_members (office_id, login, role) VALUES (\(office), \("seed_\(office)"), 'viewer')")
            _ = try await session.addCalendarOverride(
                CalendarOverride(
                    calendar: "KZ", day: try CivilDate(iso: "2027-02-09"), kind: .closed, source: "decree of office \(office)"))
            _ = try await session.connection.execute(
                """
                INSERT INTO deadlines (office_id, agreement_id, rule_id, type, trigger_key, nominal_date, due_date,
                                       final_date)
                VALUES (\(office), \(agreement.id), 'agreement.royalty-report', 'royalty-report', 'executed',
                        '2025-01-31', '2025-01-31', '2025-01-31')
                """)
            return right.id
        }
        try await store.withService(actor: "seed") { session in
            _ = try await session.replaceSchedules(
                [
                    DeadlineRecord(
                        office: office, right: right, ruleID: "kz.priority", type: "priority",
                        triggerKey: "filed:2024-02-01", nominalDate: try CivilDate(iso: "2025-02-01"),
                        dueDate: try CivilDate(iso: "2025-02-03"), finalDate: try CivilDate(iso: "2025-02-03"))
                ], of: [(office, right)])
            try await session.enqueue(
                [
                    OutboxMessage(
                        idempotencyKey: "seed-\(office)", channel: .email, recipient: "a@example.org",
                        payload: PostgresJSON(text: "{}"))
                ],
                office: office)
        }
        // A renewal decision (renewal_decisions), on the deadline above: no deadline of its own,
        // so that the tests counting the right's deadlines are not disturbed.
        _ = try await store.withOffice(office, actor: "seed") { session in
            try await session.connection.execute(
                """
                INSERT INTO renewal_decisions (office_id, right_id, deadline_id, rule_id, due_date, final_date)
                SELECT office_id, right_id, id, rule_id, due_date, final_date FROM deadlines
                WHERE office_id = \(office) AND right_id = \(right) AND rule_id = 'kz.priority'
                """)
        }
        return right
    }
}
