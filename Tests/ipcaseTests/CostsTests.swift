import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

/// An office with what the ledger refers to: a licensee and an attorney, a family of two EP
/// rights and a KZ right, and agreements with each kind of patent-cost term (and one without).
private struct CostsOffice {
    let url: String
    let office: ID<Office>
    let licensee: ID<Party>
    let attorney: ID<Party>
    let family: ID<RightFamily>
    /// EP-1 and EP-2 (in the family), KZ-1 (not).
    let rights: [ID<Right>]
    /// Actual costs up to 3 000.00 EUR, covering EP-1 and EP-2.
    let capped: ID<Agreement>
    /// A fixed 1 000.00 EUR, covering KZ-1.
    let fixed: ID<Agreement>
    /// No patent-cost term, covering EP-1.
    let none: ID<Agreement>

    static func make(officeName: String = "Test Office", url: String? = nil) async throws
        -> CostsOffice
    {
        let (url, office) =
            if let url { (url, try await Self.addOffice(officeName, url: url)) } else {
                try await Databases.empty(officeName: officeName)
            }
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        defer { Task { await store.connection.close() } }
        return try await store.withOffice(office, actor: "test") { session in
            let licensee = try await session.createParty(
                Party(
                    id: 0, kind: .organization, name: "Steppe Sorbents \(office)", roles: [.licensee],
                    sector: .industry))
            let attorney = try await session.createParty(
                Party(
                    id: 0, kind: .person, name: "A. Attorney \(office)", roles: [.attorney], sector: .other))
            let family = try await session.createFamily(
                RightFamily(id: 0, office: office, reference: "F-1"))
            var rights: [ID<Right>] = []
            for (reference, jurisdiction, family) in [
                ("EP-1", Jurisdiction.european, family.id), ("EP-2", .european, family.id),
                ("KZ-1", .kazakhstan, nil),
            ] {
                rights.append(
                    try await session.createRight(
                        Right(
                            id: 0, office: office, reference: reference, title: "Sorbent",
                            jurisdiction: jurisdiction,
                            kind: .patent, family: family)
                    ).id)
            }
            var agreements: [ID<Agreement>] = []
            for (reference, terms, covered) in [
                (
                    "LIC-CAP", PatentCostReimbursement.actualCosts(cap: Money(minorUnits: 300_000, .eur)),
                    [rights[0], rights[1]]
                ),
                ("LIC-FIX", .fixed(Money(minorUnits: 100_000, .eur)), [rights[2]]),
                ("LIC-NONE", nil, [rights[0]]),
            ] {
                let terms = FinancialTerms(
                    runningRoyalty: RunningRoyalty(rate: BasisPoints(points: 300)!, base: .netSales),
                    patentCostReimbursement: terms)
                let agreement = Agreement(
                    id: 0, office: office, reference: reference, kind: .nonExclusiveLicence,
                    counterparties: [licensee.id], rightsCovered: covered, financialTerms: terms)
                agreements.append(try await session.createAgreement(agreement).id)
            }
            return CostsOffice(
                url: url, office: office, licensee: licensee.id, attorney: attorney.id, family: family.id,
                rights: rights,
                capped: agreements[0], fixed: agreements[1], none: agreements[2])
        }
    }

    static func addOffice(_ name: String, url: String) async throws -> ID<Office> {
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        defer { Task { await store.connection.close() } }
        return try await store.withService(actor: "test") { session in
            try await session.createOffice(
                Office(
                    id: 0, name: name, region: .astana, kind: .researchInstitute,
                    timeZoneIdentifier: "Asia/Almaty",
                    calendarJurisdiction: .kazakhstan))
        }.id
    }

    /// `ipcase ARGUMENTS --office OFFICE`, which must succeed; its output.
    func ok(_ arguments: [String], url: String? = nil) async throws -> String {
        let output = try await Binary.run(
            arguments + ["--office", office.key], database: url ?? self.url)
        #expect(output.status == 0, "\(arguments): \(output.stderr)")
        return output.stdout
    }

    /// `ipcase ARGUMENTS --office OFFICE`, which must be refused as bad input; its error text.
    func refused(_ arguments: [String]) async throws -> String {
        let output = try await Binary.run(arguments + ["--office", office.key], database: url)
        #expect(output.status == 2, "\(arguments): \(output.stdout)\(output.stderr)")
        return output.stderr
    }

    /// `costs add` of a cost for `right` of `amount` on `date`, with more options.
    func add(_ right: Int, _ amount: String, on date: String, _ more: [String] = []) async throws {
        _ = try await ok(
            ["costs", "add", "--right", rights[right].key, "--amount", amount, "--date", date] + more)
    }
}

extension ID {
    fileprivate var key: String { String(rawValue) }
}

@Suite("Patent costs and cost recovery (ipcase costs)")
struct CostsTests {
    @Test func costsAreAddedAndListedByFilterAndABadFieldIsRefusedByName() async throws {
        let o = try await CostsOffice.make()
        let added = try await o.ok(
            [
                "costs", "add", "--right", o.rights[0].key, "--kind", "official-fee", "--amount",
                "1 775.00 EUR",
                "--date", "2026-03-31", "--invoice", "INV-17", "--payee", o.attorney.key, "--reimbursable",
                "--agreement", o.capped.key, "--fee-rule", "EP.renewal", "--fee-year", "5",
            ])
        #expect(added == "patent cost 1: 1 775.00 EUR for right \(o.rights[0].rawValue)\n")
        _ = try await o.ok(
            [
                "costs", "add", "--family", o.family.key, "--kind", "translation", "--amount", "420000",
                "--currency",
                "KZT", "--date", "2026-02-10", "--description", "Russian translation",
            ])
        try await o.add(2, "150000 KZT", on: "2026-05-01", ["--kind", "attorney-fee"])

        // A family's costs include its rights'; the other right's are left out.
        let family = try await o.ok(["costs", "list", "--family", o.family.key])
        #expect(family.contains("1 775.00 EUR") && family.contains("420 000.00 KZT"), "\(family)")
        #expect(!family.contains("150 000.00 KZT"), "\(family)")
        #expect(family.contains("EP.renewal 5") && family.contains("INV-17"))
        let fees = try await o.ok(["costs", "list", "--kind", "official-fee", "--format", "json"])
        let feeRows = try #require(
            try JSONSerialization.jsonObject(with: Data(fees.utf8)) as? [[String: Any]])
        #expect(feeRows.count == 1)
        let fee = try #require(feeRows.first?["cost"] as? [String: Any])
        #expect(fee["feeRule"] as? String == "EP.renewal" && fee["feeYear"] as? Int == 5)
        #expect((fee["amount"] as? [String: Any])?["minorUnits"] as? Int == 177_500)
        #expect(
            try await o.ok(["costs", "list", "--reimbursable", "false", "--from", "2026-03-01"]).contains(
                "150 000.00 KZT"))
        #expect(
            try await o.ok(["costs", "list", "--right", o.rights[2].key, "--to", "2026-04-30"])
                == "none\n")

        // Refusals name the field; nothing is written.
        #expect(
            try await o.refused(["costs", "add", "--right", "99", "--amount", "1.00 EUR"]).contains(
                "field right: right 99 does not exist in this office"))
        #expect(
            try await o.refused(["costs", "add", "--amount", "1.00 EUR"]).contains(
                "field right: a cost is of a right or of a family; give one"))
        #expect(
            try await o.refused(
                [
                    "costs", "add", "--right", o.rights[0].key, "--amount", "1.00 EUR", "--reimbursable",
                    "--agreement", o.none.key,
                ]
            ).contains("field agreement: agreement LIC-NONE has no patent_costs term"))
        #expect(
            try await o.refused(
                [
                    "costs", "add", "--right", o.rights[2].key, "--amount", "1.00 EUR", "--reimbursable",
                    "--agreement", o.capped.key,
                ]
            ).contains("field agreement: agreement LIC-CAP does not cover right \(o.rights[2].rawValue)"))
        #expect(
            try await o.refused(
                [
                    "costs", "add", "--right", o.rights[0].key, "--amount", "1.00 USD", "--reimbursable",
                    "--agreement", o.capped.key,
                ]
            ).contains("field currency: USD is not the currency of agreement LIC-CAP's terms (EUR)"))
        #expect(
            try await o.refused([
                "costs", "add", "--right", o.rights[0].key, "--amount", "1.00 EUR", "--agreement",
                o.capped.key,
            ])
            .contains("field reimbursable"))
        #expect(
            try await o.refused([
                "costs", "add", "--right", o.rights[0].key, "--amount", "1.00 EUR", "--payee", "77",
            ])
            .contains("field payee: party 77 does not exist in this office"))
        #expect(
            try await o.refused(["costs", "add", "--right", "1", "--amount", "12,5 EUR"]).contains(
                "--amount '12,5 EUR'"))
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM patent_costs") == 3)
    }

    @Test func anInvoiceBillsCostsUpToTheCapOnceAndAFixedTermItsSumOnce() async throws {
        let o = try await CostsOffice.make()
        let under = ["--reimbursable", "--agreement", o.capped.key, "--kind", "official-fee"]
        try await o.add(0, "1 775.00 EUR", on: "2026-03-31", under + ["--invoice", "INV-17"])
        try await o.add(1, "1 000.00 EUR", on: "2026-04-15", under)
        try await o.add(0, "800.00 EUR", on: "2026-05-10", under)
        try await o.add(0, "500.00 EUR", on: "2026-07-20", under)

        let statement = try await o.ok(
            [
                "costs", "invoice", "--agreement", o.capped.key, "--from", "2026-01-01", "--to",
                "2026-06-30",
                "--issued", "2026-07-01", "--due-days", "30",
            ])
        #expect(statement.contains("to            Steppe Sorbents \(o.office)"), "\(statement)")
        #expect(statement.contains("due           2026-07-31"))
        #expect(statement.contains("basis         actual-capped"))
        // Each cost with what is billed of it: the third crosses the cap and is billed in part.
        #expect(
            statement.contains("INV-17") && statement.contains("1 775.00 EUR  1 775.00 EUR"),
            "\(statement)")
        #expect(statement.contains("1 000.00 EUR  1 000.00 EUR"))
        #expect(statement.contains("800.00 EUR    225.00 EUR"), "\(statement)")
        #expect(!statement.contains("500.00 EUR"), "a cost outside the period is not on it")
        #expect(statement.hasSuffix("total  3 000.00 EUR\n"))

        // Invoiced costs never come back, and the cap is spent for later periods.
        #expect(
            try await o.refused(
                [
                    "costs", "invoice", "--agreement", o.capped.key, "--from", "2026-01-01", "--to",
                    "2026-06-30",
                ]
            ).contains(
                "nothing to invoice: no reimbursable cost from 2026-01-01 to 2026-06-30 is left to invoice")
        )
        #expect(
            try await o.refused(
                [
                    "costs", "invoice", "--agreement", o.capped.key, "--from", "2026-07-01", "--to",
                    "2026-12-31",
                ]
            ).contains("nothing to invoice: its cap of 3 000.00 EUR is invoiced already"))
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM cost_invoice_lines") == 3)
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM cost_invoices") == 1)
        let billed = try await o.ok([
            "costs", "list", "--reimbursable", "true", "--from", "2026-03-01", "--to", "2026-06-30",
        ])
        #expect(
            billed.split(separator: "\n").dropFirst(2).allSatisfy { $0.hasSuffix("  1") }, "\(billed)")

        // A fixed sum is invoiced once, whatever the costs it covers.
        try await o.add(
            2, "2 000.00 EUR", on: "2026-02-01", ["--reimbursable", "--agreement", o.fixed.key])
        let fixed = try await o.ok(
            [
                "costs", "invoice", "--agreement", o.fixed.key, "--from", "2026-01-01", "--to",
                "2026-06-30", "--issued", "2026-07-01",
            ])
        #expect(
            fixed.contains("basis         fixed") && fixed.contains("2 000.00 EUR  0.00 EUR"), "\(fixed)")
        #expect(fixed.hasSuffix("total  1 000.00 EUR\n"))
        #expect(
            try await o.refused([
                "costs", "invoice", "--agreement", o.fixed.key, "--from", "2026-07-01", "--to",
                "2026-12-31",
            ])
            .contains("nothing to invoice: its fixed patent-cost sum is invoiced already"))
        #expect(
            try await o.refused([
                "costs", "invoice", "--agreement", o.none.key, "--from", "2026-01-01", "--to", "2026-12-31",
            ])
            .contains("has no patent_costs term"))
    }

    @Test func paymentsSettleAnInvoiceAndReceivablesAgeFromItsDueDate() async throws {
        let o = try await CostsOffice.make()
        try await o.add(
            0, "3 000.00 EUR", on: "2026-03-31", ["--reimbursable", "--agreement", o.capped.key])
        _ = try await o.ok(
            [
                "costs", "invoice", "--agreement", o.capped.key, "--from", "2026-01-01", "--to",
                "2026-06-30", "--issued", "2026-07-01",
            ])
        let pay = [
            "payments", "create", "--agreement", o.capped.key, "--currency", "EUR", "--kind",
            "patent-cost-reimbursement",
        ]
        #expect(
            try await o.ok(pay + ["--amount", "1000.00", "--invoice", "1", "--received", "2026-08-05"])
                .contains(
                    "settling cost invoice 1"))
        #expect(
            try await o.refused(
                pay + ["--amount", "2500.00", "--invoice", "1", "--received", "2026-08-06"]
            ).contains(
                "field amount: 2 500.00 EUR is more than the 2 000.00 EUR outstanding on cost invoice 1"))
        #expect(
            try await o.refused(
                [
                    "payments", "create", "--agreement", o.capped.key, "--currency", "EUR", "--kind",
                    "royalty", "--amount", "1",
                    "--invoice", "1",
                ]
            ).contains("field kind: only a patent-cost-reimbursement settles a cost invoice"))
        #expect(
            try await Databases.count(o.url, "SELECT count(*)::int FROM payments") == 1,
            "a refused payment is not written")

        func aged(_ day: String) async throws -> [String: Int] {
            let text = try await o.ok(["costs", "receivables", "--as-of", day, "--format", "json"])
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            return (rows.first?["outstandingMinor"] as? [String: Int] ?? [:]).filter { $0.value != 0 }
        }
        // Due 2026-07-31: on its due day not yet late (the payment of 5 August not yet received).
        #expect(try await aged("2026-07-31") == ["not-yet-due": 300_000])
        #expect(try await aged("2026-08-30") == ["0-30": 200_000])
        #expect(try await aged("2026-09-15") == ["31-60": 200_000])
        #expect(try await aged("2026-10-29") == ["61-90": 200_000])
        #expect(try await aged("2026-10-30") == ["90+": 200_000])
        #expect(try await aged("2026-06-30") == [:], "not issued yet")
        let table = try await o.ok(["costs", "receivables", "--as-of", "2026-09-15"])
        #expect(
            table.contains("Steppe Sorbents \(o.office)  EUR") && table.contains("2 000.00"), "\(table)")

        // A payment recorded first is matched to the invoice afterwards.
        let rest = try await o.ok(pay + ["--amount", "2000.00", "--received", "2026-09-20"])
        let key = try #require(rest.split(separator: ":").first?.split(separator: " ").last.map(String.init))
        _ = try await o.ok(["payments", "update", key, "--invoice", "1"])
        _ = try await o.ok(["payments", "update", key, "--invoice", "1"])  // matched already: nothing changes
        #expect(
            try await Databases.count(
                o.url, "SELECT count(*)::int FROM cost_invoices WHERE state = 'paid'") == 1)
        #expect(try await o.ok(["costs", "receivables", "--as-of", "2026-12-31"]) == "none\n")
    }

    /// The ledger, an invoice and its payment as the CLI stored them, read back by `ipcase
    /// budget spending` and `ipcase report`: EP-1's 3 500.00 EUR is billed up to the 3 000.00
    /// EUR cap and 1 000.00 EUR of it paid; EP-2's 200 000.00 KZT and the family's 50 000.00 KZT
    /// are the office's own. LIC-CAP is executed, so EP-1 (and EP-2) are licensed; KZ-1 under
    /// the draft LIC-FIX is not, and having no cost nor filing date it is not counted.
    @Test func spendingAndRecoveryAreReportedFromTheStoredLedger() async throws {
        let o = try await CostsOffice.make()
        try await o.add(0, "3 500.00 EUR", on: "2026-03-31", ["--reimbursable", "--agreement", o.capped.key])
        try await o.add(1, "200000 KZT", on: "2026-04-10", ["--kind", "official-fee"])
        _ = try await o.ok(["costs", "add", "--family", o.family.key, "--amount", "50000 KZT", "--date", "2026-05-01"])
        try await o.add(2, "10000 KZT", on: "2025-12-31")  // last year: not in 2026
        _ = try await o.ok(
            ["costs", "invoice", "--agreement", o.capped.key, "--from", "2026-01-01", "--to", "2026-06-30",
             "--issued", "2026-07-01"])
        _ = try await o.ok(
            ["payments", "create", "--agreement", o.capped.key, "--currency", "EUR", "--kind",
             "patent-cost-reimbursement", "--amount", "1000.00", "--invoice", "1", "--received", "2026-08-05"])
        _ = try await o.ok(["advance", "agreement", o.capped.key, "execute", "--date", "2026-01-15"])

        // The invoice as listed and as its statement.
        let listed = try await o.ok(["costs", "invoices"])
        #expect(
            listed.contains("LIC-CAP") && listed.contains("3 000.00 EUR") && listed.contains("2 000.00")
                && listed.contains("partly-paid"), "\(listed)")
        #expect(try await o.ok(["costs", "invoices", "--state", "paid"]) == "none\n")
        #expect(try await o.ok(["costs", "invoices", "--agreement", o.fixed.key]) == "none\n")
        let statement = try await o.ok(["costs", "invoices", "--id", "1"])
        #expect(statement.contains("basis") && statement.contains("actual-capped") && statement.contains("total  3 000.00 EUR"), "\(statement)")
        let invoicesJSON = try await o.ok(["costs", "invoices", "--format", "json"])
        #expect(invoicesJSON.contains("\"state\" : \"partly-paid\"") || invoicesJSON.contains("\"state\": \"partly-paid\""), "\(invoicesJSON)")
        #expect(try await o.refused(["costs", "invoices", "--state", "open"]).contains("--state"))

        let text = try await o.ok(["budget", "spending", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let costs = try #require(json["patent_costs"] as? [String: Any])
        func amounts(_ value: Any?) -> [String] {
            ((value as? [[String: Any]]) ?? []).map { "\($0["amount"]!) \($0["currency"]!)" }
        }
        #expect(amounts(costs["total"]) == ["3500.00 EUR", "250000.00 KZT"])
        let byJurisdiction = ((costs["by_year_and_jurisdiction"] as? [[String: Any]]) ?? []).map {
            "\($0["key"]!): \(amounts($0["amounts"]).joined(separator: " + "))"
        }
        #expect(byJurisdiction == ["2026-EP: 3500.00 EUR + 200000.00 KZT", "2026-family: 50000.00 KZT"])
        let recovery = try #require(costs["recovery"] as? [String: Any])
        #expect(amounts(recovery["recovered"]) == ["1000.00 EUR"])
        #expect(amounts(recovery["outstanding"]) == ["2000.00 EUR"])
        #expect(amounts(recovery["not_invoiced"]) == [])
        #expect(amounts(recovery["borne"]) == ["500.00 EUR", "250000.00 KZT"])
        let perRight = try #require(costs["per_right"] as? [String: Any])
        let licensed = try #require(perRight["licensed"] as? [String: Any])
        #expect(licensed["rights"] as? Int == 2)
        #expect(amounts(licensed["average"]) == ["1750.00 EUR", "100000.00 KZT"])
        #expect((perRight["unlicensed"] as? [String: Any])?["rights"] as? Int == 0)
        #expect(amounts(perRight["family_costs"]) == ["50000.00 KZT"])

        // The indicators report carries the same figures; the other formats show them.
        let report = try await o.ok(["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"])
        let indicators = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: indicators["patent_costs"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: costs))
        let table = try await o.ok(["budget", "spending", "--from", "2026-01-01", "--to", "2026-12-31"])
        #expect(table.contains("Recovered from licensees") && table.contains("1 000.00 EUR"), "\(table)")
        let csv = try await o.ok(["budget", "spending", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"])
        #expect(csv.contains("recovery,,outstanding,\"Invoiced, not yet paid\",,EUR,2000.00\r\n"), "\(csv)")
        let bad = try await o.refused(["budget", "spending", "--from", "2026-12-31", "--to", "2026-01-01"])
        #expect(bad.contains("--from 2026-12-31 is after --to 2026-01-01"))
    }

    @Test func aCostsFileWithProblemsIsRefusedByRowAndColumnAndNothingIsWritten() async throws {
        let o = try await CostsOffice.make()
        let columns = RecordFile.costs.columns
        func file(_ rows: [[String: String]]) throws -> String {
            try temporaryFile(
                "costs.csv",
                CSVText.record(columns)
                    + rows.map { row in CSVText.record(columns.map { row[$0] ?? "" }) }.joined())
        }
        let good: [String: String] = [
            "right_ref": "EP-1", "kind": "official-fee", "amount": "1775.00", "currency": "EUR",
            "date": "2026-03-31",
            "invoice": "INV-17", "payee": "A. Attorney \(o.office)", "reimbursable": "true",
            "agreement_ref": "LIC-CAP",
            "fee_rule": "EP.renewal", "fee_year": "5", "description": "5th-year renewal",
        ]
        let bad = try file([
            good,
            good.merging(["right_ref": "EP-9"]) { $1 },
            good.merging(["amount": "1 775,00"]) { $1 },
            good.merging(["agreement_ref": "LIC-NONE"]) { $1 },
            good.merging(["right_ref": "KZ-1"]) { $1 },
            good.merging(["kind": "stamp-duty", "reimbursable": "yes", "date": "2026-02-30"]) { $1 },
            [
                "family": "F-1", "amount": "420000", "currency": "KZT", "date": "2026-02-10",
                "fee_year": "3",
            ],
        ])
        let refused = try await Binary.run(
            ["import", "costs", bad, "--office", o.office.key, "--quiet"], database: o.url)
        #expect(refused.status == 2)
        for line in [
            "costs.csv row 3, column right_ref: 'EP-9' is not a right of this office",
            "costs.csv row 4, column amount: '1 775,00' is not an amount in EUR",
            "costs.csv row 5, column agreement_ref: agreement LIC-NONE has no patent_costs term",
            "costs.csv row 6, column agreement_ref: agreement LIC-CAP does not cover right \(o.rights[2].rawValue)",
            "costs.csv row 7, column kind: 'stamp-duty' is not one of official-fee",
            "costs.csv row 7, column reimbursable: 'yes' is not true or false",
            "costs.csv row 7, column date: '2026-02-30' is not a valid date",
            "costs.csv row 8, column fee_year: a fee year needs its fee rule",
            "nothing was written",
        ] {
            #expect(refused.stderr.contains(line), "\(line)\n\(refused.stderr)")
        }
        #expect(!refused.stderr.contains("row 2,"), "\(refused.stderr)")
        #expect(try await Databases.count(o.url, "SELECT count(*)::int FROM patent_costs") == 0)

        let clean = try file([
            good, ["family": "F-1", "amount": "420000", "currency": "KZT", "date": "2026-02-10"],
        ])
        let imported = try await Binary.run(
            ["import", "costs", clean, "--office", o.office.key, "--quiet"], database: o.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported 2 costs from 2 rows"))
        #expect(
            try await Databases.count(
                o.url,
                "SELECT count(*)::int FROM patent_costs WHERE reimbursable AND fee_rule = 'EP.renewal' AND fee_year = 5 AND payee_party_id IS NOT NULL"
            ) == 1)
    }

    @Test func anotherOfficesCostsAndInvoicesAreInvisibleToAPersonalLogin() async throws {
        let a = try await CostsOffice.make(officeName: "Office A")
        let b = try await CostsOffice.make(officeName: "Office B", url: a.url)
        try await a.add(
            0, "100.00 EUR", on: "2026-03-01", ["--reimbursable", "--agreement", a.capped.key])
        try await b.add(
            0, "200.00 EUR", on: "2026-03-01", ["--reimbursable", "--agreement", b.capped.key])
        _ = try await b.ok([
            "costs", "invoice", "--agreement", b.capped.key, "--from", "2026-01-01", "--to", "2026-12-31",
        ])

        // A login of ipcase_app (no superuser, no BYPASSRLS), member of office A only.
        let login = try await Databases.appLogin(a.url, office: a.office, prefix: "t_costs")

        let listed = try await a.ok(["costs", "list", "--format", "json"], url: login)
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(
            try await a.ok(["costs", "receivables", "--as-of", "2027-12-31"], url: login) == "none\n")
        let foreign = try await Binary.run(
            [
                "costs", "add", "--office", a.office.key, "--right", b.rights[0].key, "--amount",
                "1.00 EUR",
            ], database: login)
        #expect(
            foreign.stderr.contains(
                "field right: right \(b.rights[0].rawValue) does not exist in this office"))
        let other = try await Binary.run(["costs", "list", "--office", b.office.key], database: login)
        #expect(other.status != 0 && !other.stdout.contains("200.00"), "\(other.stdout)")
        let settle = try await Binary.run(
            [
                "payments", "create", "--office", a.office.key, "--agreement", a.capped.key, "--amount",
                "1", "--currency",
                "EUR", "--kind", "patent-cost-reimbursement", "--invoice", "1",
            ], database: login)
        #expect(
            settle.stderr.contains("field invoice: cost invoice 1 does not exist in this office"),
            "\(settle.stderr)")
    }
}
