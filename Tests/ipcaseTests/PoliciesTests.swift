import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

/// A new office with an inventor, a licence and a payment under it, and no policy yet.
private struct PolicyOffice {
    let url: String
    let office: ID<Office>
    let payment: ID<Payment>

    static func make() async throws -> PolicyOffice {
        let (url, office) = try await Databases.empty(officeName: "New TTO")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        defer { Task { await store.connection.close() } }
        let payment = try await store.withOffice(office, actor: "test") { session in
            let inventor = try await session.createParty(
                Party(id: 0, kind: .person, name: "Aliya Nurlanova", roles: [.inventor], sector: .academia))
            let disclosure = try await session.createDisclosure(
                Disclosure(
                    id: 0, office: office, reference: "D-1", title: "Sorbent", receivedOn: try CivilDate(iso: "2024-02-01"),
                    inventors: [InventorShare(inventor.id, .whole)]))
            let right = try await session.createRight(
                Right(
                    id: 0, office: office, reference: "KZ-1", title: "Sorbent", jurisdiction: .kazakhstan, kind: .patent,
                    disclosure: disclosure.id))
            let agreement = try await session.createAgreement(
                Agreement(
                    id: 0, office: office, reference: "LIC-1", kind: .nonExclusiveLicence, rightsCovered: [right.id]))
            return try await session.createPayment(
                Payment(
                    id: 0, office: office, agreement: agreement.id, amount: Money(minorUnits: 100_000_000, .kzt),
                    kind: .royalty, receivedOn: try CivilDate(iso: "2025-03-31"))
            ).id
        }
        return PolicyOffice(url: url, office: office, payment: payment)
    }

    func run(_ arguments: [String], url: String? = nil) async throws -> Binary.Output {
        try await Binary.run(arguments + ["--office", String(office.rawValue)], database: url ?? self.url)
    }
}

@Suite("Revenue-sharing policies and stored distributions (ipcase policies, ipcase distribution)")
struct PoliciesTests {
    static let create = [
        "policies", "create", "--name", "IP policy 2024", "--from", "2024-01-01", "--admin", "15", "--inventors", "40",
        "--department", "20", "--institution", "40", "--source", "Rector's order No. 57",
    ]

    @Test func aNewOfficeCreatesItsPolicyAndABadOneIsRefusedByField() async throws {
        let o = try await PolicyOffice.make()
        let none = try await o.run(["distribution", "--payment", String(o.payment.rawValue)])
        #expect(none.status == 2 && none.stderr.contains("no distribution policy"), "\(none.stderr)")

        var sum = Self.create
        sum[sum.firstIndex(of: "40")!] = "45"  // 45 + 20 + 40
        let bad = try await o.run(sum)
        #expect(bad.status == 2 && bad.stderr.contains("field shares"), "\(bad.stderr)")
        #expect(bad.stderr.contains("105.00 %"), "\(bad.stderr)")
        let percent = try await o.run(Self.create.map { $0 == "15" ? "fifteen" : $0 })
        #expect(percent.status == 2 && percent.stderr.contains("--admin"), "\(percent.stderr)")
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM distribution_policies") == 0)

        let created = try await o.run(Self.create)
        #expect(created.status == 0 && created.stdout.contains("in force from 2024-01-01"), "\(created.stderr)")
        let twice = try await o.run(Self.create)
        #expect(twice.status == 2 && twice.stderr.contains("field effective_from"), "\(twice.stderr)")
        let later = try await o.run(
            ["policies", "create", "--name", "IP policy 2026", "--from", "2026-01-01", "--admin", "10", "--inventors",
             "50", "--department", "10", "--institution", "40", "--no-cost-recovery"])
        #expect(later.status == 0, "\(later.stderr)")

        let list = try await o.run(["policies", "list"])
        #expect(list.stdout.contains("IP policy 2024") && list.stdout.contains("not recovered"), "\(list.stdout)")
        let shown = try await o.run(["policies", "show", "--on", "2025-06-30"])
        #expect(shown.stdout.contains("IP policy 2024") && shown.stdout.contains("40.00 %"), "\(shown.stdout)")
        #expect(try await o.run(["policies", "show", "--on", "2026-02-01"]).stdout.contains("IP policy 2026"))
        let before = try await o.run(["policies", "show", "--on", "2023-12-31"])
        #expect(before.status != 0 && before.stderr.contains("in force on 2023-12-31"), "\(before.stderr)")
        let json = try await o.run(["policies", "list", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
    }

    @Test func aPaymentIsSplitOnceRecomputedExplicitlyAndAUsedPolicyNeverChanges() async throws {
        let o = try await PolicyOffice.make()
        #expect(try await o.run(Self.create).status == 0)
        // The office's own login, as operations deploy it.
        let login = try await Databases.appLogin(o.url, office: o.office, prefix: "t_policy")
        let distribute = ["distribution", "--payment", String(o.payment.rawValue), "--actor", "aliya"]

        let first = try await o.run(distribute, url: login)
        #expect(first.status == 0, "\(first.stderr)")
        // 1 000 000.00: 15 % administration 150 000; net 850 000: inventor 40 % 340 000.
        #expect(first.stdout.contains("administration") && first.stdout.contains("150 000.00 KZT"), "\(first.stdout)")
        #expect(first.stdout.contains("inventor Aliya Nurlanova") && first.stdout.contains("340 000.00 KZT"))
        #expect(first.stdout.contains("by aliya") && first.stdout.contains("computed now"), "\(first.stdout)")

        let again = try await o.run(distribute.map { $0 == "aliya" ? "bolat" : $0 }, url: login)
        #expect(again.status == 0 && again.stdout.contains("stored before"), "\(again.stdout)")
        #expect(again.stdout.contains("by aliya"), "the stored split, as aliya computed it")
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM distributions") == 1)

        let recomputed = try await o.run(
            distribute.map { $0 == "aliya" ? "bolat" : $0 } + ["--recompute", "--format", "json"], url: login)
        #expect(recomputed.status == 0, "\(recomputed.stderr)")
        let json = try jsonObject(recomputed.stdout)
        #expect(json["outcome"] as? String == "recomputed" && json["computed_by"] as? String == "bolat")
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM distributions") == 2)
        #expect(
            try await Databases.count(
                o.url, "SELECT count(*)::int FROM distributions WHERE superseded_at IS NOT NULL AND superseded_by = 'bolat'")
                == 1)
        #expect(
            try await Databases.count(
                o.url,
                "SELECT count(*)::int FROM audit_log WHERE table_name = 'distributions' AND action = 'UPDATE' AND actor = 'bolat'"
            ) == 1)
        #expect(try await o.run(["policies", "list"]).stdout.contains("  1 "), "one current distribution applied it")

        // The policy now in use cannot change, not even for the database's owner.
        await #expect(throws: PostgresError.self) {
            _ = try await Databases.count(
                o.url, "UPDATE distribution_policies SET admin_bp = 0 RETURNING 1")
        }
        #expect(
            try await Databases.count(o.url, "SELECT admin_bp FROM distribution_policies") == 1_500)
    }

    @Test func aPoliciesFileWithProblemsIsRefusedByRowAndColumnAndNothingIsWritten() async throws {
        let o = try await PolicyOffice.make()
        let header = "name,effective_from,admin_share,recover_patent_costs,inventors_share,department_share,institution_share,source\n"
        let bad = try temporaryFile(
            "policies.csv",
            header + "IP policy 2024,2024-01-01,15,,40,20,40,Rector's order No. 57\n"
                + "Typo,2024-01-01,15,,40,20,40,\n" + "Bad sum,2025-01-01,15,maybe,50,20,40,\n"
                + ",2026-13-01,x,,40,20,40,\n")
        let refused = try await o.run(["import", "policies", bad, "--quiet"])
        #expect(refused.status == 2, "\(refused.stdout)")
        for expected in [
            "row 3, column effective_from: row 2 has a policy from 2024-01-01 already",
            "row 4, column recover_patent_costs: 'maybe' is not true or false",
            "row 4, column institution_share", "row 5, column name", "row 5, column effective_from",
            "row 5, column admin_share",
        ] {
            #expect(refused.stderr.contains(expected), "\(expected): \(refused.stderr)")
        }
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM distribution_policies") == 0)

        let clean = try temporaryFile(
            "policies.csv",
            header + "IP policy 2024,2024-01-01,15,,40,20,40,Rector's order No. 57\n"
                + "IP policy 2026,2026-01-01,10,false,50,10,40,\n")
        let imported = try await o.run(["import", "policies", clean, "--quiet"])
        #expect(imported.status == 0 && imported.stdout.hasPrefix("imported 2 policies"), "\(imported.stderr)")
        #expect(
            try await Databases.count(
                o.url, "SELECT count(*)::int FROM distribution_policies WHERE NOT recover_patent_costs") == 1)
        let again = try await o.run(["import", "policies", clean, "--quiet"])
        #expect(again.status == 2 && again.stderr.contains("row 2, column effective_from"), "\(again.stderr)")
    }
}
