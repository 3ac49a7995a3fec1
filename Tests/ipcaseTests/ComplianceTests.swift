import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore
import Testing

@Suite("ipcase end to end: compliance and obligation deadlines", .serialized)
struct ComplianceTests {
    @Test func complianceListsPaymentsPerCurrencyAndOverdueObligationsAsStored() async throws {
        let url = try await Databases.demo.value
        let output = try await Binary.run(
            ["compliance", "--office", "1", "--as-of", "2025-06-30", "--format", "json"], database: url)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let agreements = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(!agreements.isEmpty)
        for agreement in agreements {
            let id = try #require(agreement["agreement"] as? Int)
            let reference = agreement["reference"] as? String ?? "?"
            // Payments: one total per currency, as summed independently here.
            let received = agreement["received"] as? [[String: Any]] ?? []
            let total = received.compactMap { $0["minor_units"] as? Int }.reduce(0, +)
            let summed = try await Databases.count(
                url, "SELECT coalesce(sum(amount_minor), 0)::bigint FROM payments WHERE agreement_id = \(id)")
            #expect(total == summed, "payments of \(reference)")
            // Overdue reports: missed, or open past the as-of day.
            let reports = (agreement["obligations"] as? [[String: Any]] ?? []).first {
                $0["type"] as? String == "royalty_report"
            }
            let overdue = try await Databases.count(
                url,
                """
                SELECT count(*)::int FROM deadlines WHERE agreement_id = \(id) AND type = 'royalty_report'
                  AND (status = 'missed' OR (status = 'open' AND due_date < '2025-06-30'))
                """)
            #expect((reports?["overdue"] as? Int ?? 0) == overdue, "overdue reports of \(reference)")
        }
        let withReports = agreements.filter { agreement in
            (agreement["obligations"] as? [[String: Any]] ?? []).contains {
                $0["type"] as? String == "royalty_report" && ($0["met"] as? Int ?? 0) > 0
            }
        }
        #expect(!withReports.isEmpty, "royalty payments meet reports in the demo")

        let table = try await Binary.run(
            ["compliance", "--office", "1", "--as-of", "2025-06-30"], database: url)
        #expect(table.stdout.contains("royalty reports"))
        let unknown = try await Binary.run(["compliance", "--office", "1", "--agreement", "NO-SUCH"], database: url)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("agreement NO-SUCH"))
    }

    @Test func obligationDeadlinesAreListedWithTheAgreementAndHaveDistinctCalendarUIDs() async throws {
        let url = try await Databases.demo.value
        let output = try await Binary.run(
            [
                "deadlines", "list", "--office", "1", "--as-of", "2025-06-30", "--type", "royalty_report", "--all",
                "--format", "json",
            ],
            database: url)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let entries = try jsonObject(output.stdout)["deadlines"] as? [[String: Any]] ?? []
        let stored = try await Databases.count(
            url, "SELECT count(*)::int FROM deadlines WHERE office_id = 1 AND type = 'royalty_report'")
        #expect(entries.count == stored && stored > 0)
        let references = Set(
            try await Databases.demoAgreementReferences(url))
        #expect(entries.allSatisfy { references.contains($0["right_reference"] as? String ?? "") })

        let ics = try await Binary.run(
            [
                "deadlines", "list", "--office", "1", "--as-of", "2025-06-30", "--type", "royalty_report",
                "--format", "ics",
            ],
            database: url)
        #expect(ics.status == 0)
        // RFC 5545 folds long lines: unfold before reading.
        let unfolded = ics.stdout.replacingOccurrences(of: "\r\n ", with: "")
        let uids = unfolded.split(separator: "\r\n").filter { $0.hasPrefix("UID:") }
        #expect(!uids.isEmpty && Set(uids).count == uids.count)
        #expect(unfolded.contains("royalty report period"))
    }
}

extension Databases {
    /// The references of the demo's agreements.
    static func demoAgreementReferences(_ url: String) async throws -> [String] {
        let store = try await Store.connect(url: url, logger: quiet)
        let rows = try await store.connection.query("SELECT reference FROM agreements")
        await store.connection.close()
        return try rows.map { try $0.decode(String.self, at: 0) }
    }
}
