import Foundation
import IPCase
import IPCaseStore
import Testing

/// `ipcase report autm` over records entered through the CLI: a company's employees decide its
/// licensee type; the indicators stay the default report.
@Suite("AUTM survey (ipcase report autm)")
struct AUTMReportTests {
    @Test func aLicenceToASmallCompanyIsCountedAsSuchAndBadInputIsRefusedByName() async throws {
        let (url, office) = try await Databases.empty(officeName: "Survey TTO")
        func run(_ arguments: [String]) async throws -> Binary.Output {
            try await Binary.run(arguments + ["--office", String(office.rawValue)], database: url)
        }
        let party = try await run(
            ["parties", "create", "--name", "Steppe Sorbents LLP", "--kind", "organization", "--sector", "industry",
             "--role", "licensee", "--employees", "120"])
        #expect(party.status == 0, "\(party.stderr)")
        let person = try await run(
            ["parties", "create", "--name", "Aliya", "--kind", "person", "--sector", "academia", "--employees", "-1"])
        #expect(person.status == 2 && person.stderr.contains("--employees"), "\(person.stderr)")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let licensee = try await store.withOffice(office, actor: "test") { session in
            try await session.parties().first { $0.value.name == "Steppe Sorbents LLP" }!.value
        }
        #expect(licensee.employees == 120 && licensee.companySize == .small)
        _ = try await store.withOffice(office, actor: "test") { session in
            let right = try await session.createRight(
                Right(id: 0, office: office, reference: "KZ-1", title: "Sorbent", jurisdiction: .kazakhstan, kind: .patent))
            return try await session.createAgreement(
                Agreement(
                    id: 0, office: office, reference: "LIC-1", kind: .exclusiveLicence, counterparties: [licensee.id],
                    rightsCovered: [right.id],
                    financialTerms: FinancialTerms(upfront: Money(minorUnits: 100_000_00, .kzt))))
        }
        await store.connection.close()
        let executed = try await run(["advance", "agreement", "1", "execute", "--date", "2026-03-01"])
        #expect(executed.status == 0, "\(executed.stderr)")

        let survey = try await run(["report", "autm", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"])
        #expect(survey.status == 0, "\(survey.stderr)")
        let questions = try #require(try jsonObject(survey.stdout)["questions"] as? [String: Any])
        let q41 = try #require((questions["Q4.1"] as? [String: Any])?["items"] as? [String: Any])
        #expect(q41["total"] as? Int == 1 && q41["licensee_small"] as? Int == 1 && q41["exclusive"] as? Int == 1)

        // 500 employees or more is a large company.
        #expect(try await run(["parties", "update", String(licensee.id.rawValue), "--employees", "800"]).status == 0)
        let csv = try await run(["report", "autm", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"])
        #expect(csv.stdout.contains("Q4.1,licensee_large,to large companies,1,,\r\n"), "\(csv.stdout)")

        let bad = try await run(
            ["report", "autm", "--from", "2026-01-01", "--to", "2026-12-31", "--research-expenditure", "lots"])
        #expect(bad.status == 2 && bad.stderr.contains("--research-expenditure: 'lots'"), "\(bad.stderr)")
        // A report to send names the office and who prepared it.
        let prepared = try await run(
            ["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json", "--prepared-by", "A. Seitkali"])
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let preparation = try #require(try jsonObject(prepared.stdout)["preparation"] as? [String: Any])
        #expect(preparation["office_name"] as? String == "Survey TTO" && preparation["prepared_by"] as? String == "A. Seitkali")
        // The indicators are still `ipcase report` without a subcommand.
        let indicators = try await run(["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"])
        #expect(indicators.status == 0 && indicators.stdout.contains("\"schema\" : \"ipcase.indicators/1\"")
            || indicators.stdout.contains("\"schema\": \"ipcase.indicators/1\""), "\(indicators.stdout.prefix(200))")
    }
}
