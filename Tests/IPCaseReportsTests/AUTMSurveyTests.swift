import Foundation
import IPCase
import IPCaseReports
import Testing

/// The AUTM survey's answers of the sample portfolio's office 1 in 2025, worked out by hand
/// from `SamplePortfolio` (see its comments); KazMunayGas and Siemens are large companies,
/// EcoSorb and OldSpin start-ups (their spin-off agreements).
@Suite struct AUTMSurveyTests {
    static let year2025 = try! ReportPeriod.year(2025)

    static var portfolio: Portfolio {
        var portfolio = SamplePortfolio.portfolio
        for index in portfolio.parties.indices where [2, 4].contains(portfolio.parties[index].id) {
            portfolio.parties[index].employees = 20_000
        }
        return portfolio
    }

    static func value(_ survey: AUTMSurvey, _ question: String, _ item: String) -> AUTMSurvey.Value? {
        survey.answers.first { $0.question == question && $0.item == item }?.value
    }

    @Test func answersAreCountedByTheSurveysDefinitions() throws {
        let survey = try AUTMSurvey.compute(for: Self.year2025, from: Self.portfolio, office: 1)
        func count(_ question: String, _ item: String) -> Int? {
            if case .count(let count)? = Self.value(survey, question, item) { return count }
            return nil
        }
        // A-1 (exclusive, KazMunayGas), A-2 (non-exclusive, EcoSorb: a start-up), A-3 (non-exclusive, Siemens).
        #expect(count("Q4.1", "total") == 3)
        #expect(count("Q4.1", "exclusive") == 1 && count("Q4.1", "non_exclusive") == 2)
        #expect(count("Q4.1", "licensee_startup") == 1 && count("Q4.1", "licensee_large") == 2)
        #expect(count("Q4.1", "licensee_small") == 0 && count("Q4.1", "licensee_other_or_unknown") == 0)
        #expect(count("Q4.1", "with_equity") == 0)
        // A-4, an option to OldSpin (a start-up since 2023).
        #expect(count("Q4.2", "total") == 1 && count("Q4.2", "licensee_startup") == 1)
        #expect(count("Q7.1", "total") == 3)  // D-1, D-2, D-3
        #expect(count("Q7.4", "total") == 2 && count("Q7.4", "all_applications") == 5)  // + R-2, R-3, R-4
        #expect(count("Q8.1", "total") == 1)  // EcoSorb
        #expect(count("patents_issued", "total") == 2)
        // Income: upfront 5 000 000.00 + royalty 1 234 567.89 + milestone 750 000.00 + sublicence
        // 300 000.00 + 50.00 (agreement not supplied) KZT; 20 000.00 EUR; 10 000.00 USD cashed-in equity.
        // Research funding and the patent-cost reimbursement are not income.
        guard case .money(let total)? = Self.value(survey, "Q5.4", "total") else {
            Issue.record("Q5.4 has no total")
            return
        }
        #expect(total.amounts.map(\.description) == ["20 000.00 EUR", "7 284 617.89 KZT", "10 000.00 USD"])
        guard case .missing(let why)? = Self.value(survey, "Q3.1", "total") else {
            Issue.record("Q3.1 should be missing without a figure")
            return
        }
        #expect(why.contains("--research-expenditure"))
        // A small company: fewer than 500 employees.
        var small = Self.portfolio
        small.parties[small.parties.firstIndex { $0.id == 4 }!].employees = 499
        let again = try AUTMSurvey.compute(for: Self.year2025, from: small, office: 1)
        #expect(Self.value(again, "Q4.1", "licensee_small") == .count(1))
    }

    @Test func outputsAreKeyedByQuestionNumber() throws {
        var research = MoneyTotals()
        try research.add(Money(minorUnits: 450_000_000_000, .kzt))
        let rates = try ExchangeRates([
            ExchangeRate(currency: .eur, date: day("2025-09-01"), kzt: "545.58", source: "test rates")
        ])
        let survey = try AUTMSurvey.compute(
            for: Self.year2025, from: Self.portfolio, office: 1, researchExpenditure: research, rates: rates)
        let json = try #require(try jsonObject(survey.json()) as? [String: Any])
        #expect(json["schema"] as? String == "ipcase.autm-survey/1")
        let questions = try #require(json["questions"] as? [String: Any])
        #expect(
            Set(questions.keys) == ["Q3.1", "Q4.1", "Q4.2", "Q5.4", "Q7.1", "Q7.4", "Q8.1", "patents_issued"])
        let q41 = try #require((questions["Q4.1"] as? [String: Any])?["items"] as? [String: Any])
        #expect(q41["total"] as? Int == 3 && q41["licensee_startup"] as? Int == 1)
        let q31 = try #require((questions["Q3.1"] as? [String: Any])?["items"] as? [String: Any])
        #expect((q31["total"] as? [[String: Any]])?.first?["minor_units"] as? Int == 450_000_000_000)
        // In KZT: 7 284 617.89 + 20 000 EUR × 545.58; the USD has no rate and is listed apart.
        let q54 = try #require((questions["Q5.4"] as? [String: Any])?["items"] as? [String: Any])
        #expect((q54["total_kzt"] as? [[String: Any]])?.first?["amount"] as? String == "18196217.89")
        #expect((q54["no_rate"] as? [[String: Any]])?.first?["currency"] as? String == "USD")

        let csv = survey.csv()
        #expect(csv.hasPrefix("question,item,label,count,amount,currency\r\n"))
        #expect(csv.contains("Q4.1,total,Licences executed,3,,\r\n"))
        #expect(csv.contains("Q5.4,total,Licence income received,,7284617.89,KZT\r\n"))
        #expect(csv.contains("Q3.1,total,Research expenditures,,4500000000.00,KZT\r\n"))
        let table = survey.table(officeName: "TTO")
        #expect(table.contains("Q8.1 Start-up companies formed") && table.contains("AUTM Licensing Activity Survey"))
    }
}
