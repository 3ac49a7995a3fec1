import Foundation
import IPCase
import IPCaseStore
import Testing

/// The reports as a reporting login reads them (a member of ipcase_report, a viewer of one
/// office, as `Deploy/postgres-roles.sql` sets up `ipcase_reporting`): every table they read is
/// granted, and they see the office's costs, start-ups and grants.
@Suite("Reports under the reporting login")
struct ReportLoginTests {
    @Test func theIndicatorsSpendingAndAUTMSurveyReadEverythingTheyNeed() async throws {
        let url = try await Databases.demo.value
        let office = ID<Office>(rawValue: 1)
        let login = try await Databases.appLogin(url, office: office, prefix: "t_reporting", group: "ipcase_report", role: "viewer")
        let cli = OfficeCLI(url: login, office: office)
        let period = ["--from", "2024-07-01", "--to", "2025-06-30"]

        let indicators = try jsonObject(try await cli.ok(["report", "--format", "json"] + period))
        let costs = try #require(indicators["patent_costs"] as? [String: Any])
        #expect(!((costs["total"] as? [[String: Any]]) ?? []).isEmpty, "the university's ledger is read")
        let kazakhstan = try #require(indicators["kazakhstan"] as? [String: Any])
        #expect(((kazakhstan["startups"] as? [String: Any])?["active_at_period_end"] as? Int ?? 0) > 0)
        #expect(((kazakhstan["by_region"] as? [[String: Any]]) ?? []).count == 20)

        let spending = try jsonObject(try await cli.ok(["budget", "spending", "--format", "json"] + period))
        #expect(NSDictionary(dictionary: spending["patent_costs"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: costs))
        let survey = try jsonObject(try await cli.ok(["report", "autm", "--format", "json"] + period))
        #expect((survey["questions"] as? [String: Any])?["Q4.1"] != nil)
        // A viewer reads; it does not write.
        let write = try await cli.run(
            ["policies", "create", "--name", "x", "--from", "2030-01-01", "--admin", "0", "--inventors", "100",
             "--department", "0", "--institution", "0"])
        #expect(write.status != 0, "\(write.stdout)")
    }
}
