import IPCase
import Testing

/// Worked examples from the official schedules, each with its source.
@Suite("Official fee schedules")
struct FeeScheduleTests {
    static func day(_ text: String) -> CivilDate { try! CivilDate(iso: text) }
    let fees = FeeSchedules.standard

    @Test("EP renewal fees from 1 April 2024 (RFees Art. 2(1) item 4), with the 50 % additional fee of EPC Rule 51(2)")
    func europeanRenewal() throws {
        let fifth = try #require(fees.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(5), due: Self.day("2026-03-31")))
        #expect(fifth.total.description == "1 000.00 EUR")
        #expect(fifth.spec.id == "EP.renewal.2024-04")
        let third = try #require(fees.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(3), due: Self.day("2025-01-31")))
        #expect(third.total.description == "690.00 EUR")
        let late = try #require(
            fees.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(12), due: Self.day("2030-06-30"), inGrace: true))
        #expect(late.fee.description == "1 775.00 EUR" && late.surcharge?.description == "887.50 EUR")
        #expect(late.total.description == "2 662.50 EUR")
        // No schedule in force before 1 April 2024 is in the data: not priced rather than guessed.
        #expect(fees.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(5), due: Self.day("2024-03-31")) == nil)
    }

    @Test("US maintenance fees by entity size, effective 19 January 2025 (37 CFR 1.20(e)–(h)), with the surcharge")
    func usMaintenance() throws {
        func quote(_ year: FeeYear, _ entity: EntitySize, grace: Bool = false) -> String? {
            fees.quote(rule: "US.maintenance-fee", kind: .patent, year: year, due: Self.day("2027-07-20"),
                       entity: entity, inGrace: grace)?.total.description
        }
        #expect(quote(FeeYear(halfYears: 7), .large) == "2 150.00 USD")
        #expect(quote(FeeYear(halfYears: 15), .small) == "1 616.00 USD")
        #expect(quote(FeeYear(halfYears: 23), .micro) == "1 656.00 USD")
        #expect(quote(FeeYear(halfYears: 15), .large, grace: true) == "4 580.00 USD")
    }

    @Test("KZ annual fees from the WIPO PCT Applicant's Guide (2 May 2024), plus VAT at the rate in force on the due date")
    func kazakhAnnualFee() throws {
        // 20 320.16 + 16 % = 20 320.16 + 3 251.23 (3 251.2256 rounded) = 23 571.39 KZT.
        let year2 = try #require(fees.quote(rule: "KZ.annual-fee", kind: .patent, year: FeeYear(2), due: Self.day("2026-05-10")))
        #expect(year2.fee.description == "20 320.16 KZT" && year2.vat?.description == "3 251.23 KZT")
        #expect(year2.total.description == "23 571.39 KZT")
        #expect(year2.status == .unconfirmed, "the VAT rate is unconfirmed")
        // In 2025 at 12 %: 2 438.4192 → 2 438.42.
        let earlier = try #require(fees.quote(rule: "KZ.annual-fee", kind: .patent, year: FeeYear(2), due: Self.day("2025-05-10")))
        #expect(earlier.total.description == "22 758.58 KZT")
        // Years the guide does not give are not priced.
        #expect(fees.quote(rule: "KZ.annual-fee", kind: .patent, year: FeeYear(4), due: Self.day("2026-05-10")) == nil)
        let model = try #require(fees.quote(rule: "KZ.annual-fee", kind: .utilityModel, year: FeeYear(4), due: Self.day("2026-05-10")))
        #expect(model.fee.description == "16 450.56 KZT")
    }

    @Test("a fee set in MCI uses the MCI in force on the due date (3 932 KZT in 2025, 4 325 KZT from 2026)")
    func feeInMCI() throws {
        let own = """
            {"office": "KZ", "title": "office's own", "fees": [{"id": "KZ.grant-fee.own", "rule": "KZ.grant-fee",
              "valid_from": "2025-01-01", "currency": "KZT", "amounts": [{"mci": "10.5"}],
              "citation": "test schedule", "status": "unconfirmed"}],
             "indices": [{"name": "MCI", "from": "2025-01-01", "kzt": "3932", "citation": "budget law 2025", "status": "confirmed"},
                         {"name": "MCI", "from": "2026-01-01", "kzt": "4325", "citation": "budget law 2026", "status": "confirmed"}]}
            """
        let schedules = try fees.adding(files: [("own/KZ.json", own)])
        let in2025 = try #require(schedules.quote(rule: "KZ.grant-fee", kind: .patent, year: nil, due: Self.day("2025-12-31")))
        #expect(in2025.total.description == "41 286.00 KZT")
        let in2026 = try #require(schedules.quote(rule: "KZ.grant-fee", kind: .patent, year: nil, due: Self.day("2026-01-01")))
        #expect(in2026.total.description == "45 412.50 KZT")
        #expect(in2026.explanation.first?.contains("10.5 MCI × 4 325.00 KZT") == true)
        // The embedded fees are still there.
        #expect(schedules.quote(rule: "EP.renewal", kind: .patent, year: FeeYear(5), due: Self.day("2026-03-31")) != nil)
    }

    @Test("the engine's deadlines are priced: an EP application filed 14 March 2023 pays 1 000 EUR for year 5")
    func pricesEngineDeadlines() throws {
        let engine = DeadlineEngine()
        let deadlines = engine.deadlines(
            jurisdiction: try #require(Jurisdiction("EP")), kind: .patent, events: [RightEvent(.filed, on: Self.day("2023-03-14"))])
        let fifth = try #require(deadlines.first { $0.ruleID == "EP.renewal" && $0.year == FeeYear(5) })
        #expect(fifth.due == Self.day("2027-03-31"))
        #expect(fees.quote(for: fifth, kind: .patent)?.total.description == "1 000.00 EUR")
    }

    @Test("a fee file that cannot be used names the file and the fee")
    func badFiles() {
        let bad = """
            {"office": "XX", "title": "t", "fees": [{"id": "XX.one", "rule": "XX.r", "valid_from": "2025-01-01",
             "currency": "EUR", "amounts": [{"years": "3-x", "amount": "10"}], "citation": "c", "status": "confirmed"}]}
            """
        #expect(throws: FeeSchedules.LoadError.self) { try FeeSchedules(files: [("fees/XX.json", bad)]) }
        do {
            _ = try FeeSchedules(files: [("fees/XX.json", bad)])
        } catch {
            #expect(error.description.contains("fees/XX.json") && error.description.contains("XX.one"))
        }
        let mciInEuro = bad.replacingOccurrences(of: "\"years\": \"3-x\", \"amount\": \"10\"", with: "\"mci\": \"2\"")
        #expect(throws: FeeSchedules.LoadError.self) { try FeeSchedules(files: [("fees/XX.json", mciInEuro)]) }
    }

    @Test("every embedded fee prices an existing rule and carries a citation")
    func embeddedFeesNameRules() {
        let ruleIDs = Set(RuleBook.standard.files.values.flatMap { $0.rules.map(\.id) })
        #expect(!fees.fees.isEmpty)
        for fee in fees.fees {
            #expect(ruleIDs.contains(fee.rule), "\(fee.id) prices unknown rule \(fee.rule)")
            #expect(!fee.citation.isEmpty)
        }
    }
}
