import Foundation
import IPCase
import IPCaseStore
import Testing

/// `ipcase budget forecast` over a stored office, run as the CLI's login: the fees of its rights
/// still alive, priced by the fee files at each right's entity size and converted at the user's
/// rates. EP renewal years 5 and 6 at 1 000 and 1 155 EUR (EPO Rules relating to Fees Art. 2(1)
/// item 4, from 1 April 2024); a US small entity's 3.5-year maintenance fee 860 USD (37 CFR
/// 1.20(e), from 19 January 2025).
@Suite("Budget forecast (ipcase budget forecast)")
struct BudgetCommandTests {
    struct Fixture {
        let url: String
        let office: ID<Office>
        let rights: [String: ID<Right>]

        func run(_ arguments: [String]) async throws -> Binary.Output {
            try await Binary.run(["budget", "forecast", "--office", String(office.rawValue)] + arguments, database: url)
        }
    }

    static func fixture() async throws -> Fixture {
        let (url, office) = try await Databases.empty(officeName: "Budget Office")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        defer { Task { await store.connection.close() } }
        let rights = try await store.withOffice(office, actor: "test") { session in
            let family = try await session.createFamily(RightFamily(id: 0, office: office, reference: "FAM-1"))
            var rights: [String: ID<Right>] = [:]
            for (reference, jurisdiction, events, family) in [
                ("EP-1", Jurisdiction.european, [RightEvent(.filed, on: try CivilDate(iso: "2023-03-14"))], family.id),
                (
                    "US-1", .unitedStates,
                    [
                        RightEvent(.filed, on: try CivilDate(iso: "2022-01-10")),
                        RightEvent(.allowed, on: try CivilDate(iso: "2023-11-20")),
                        RightEvent(.granted, on: try CivilDate(iso: "2024-02-06"), reference: "11000001"),
                    ], nil
                ),
                (
                    "EP-GONE", .european,
                    [
                        RightEvent(.filed, on: try CivilDate(iso: "2023-03-14")),
                        RightEvent(.abandoned, on: try CivilDate(iso: "2026-06-01")),
                    ], nil
                ),
            ] {
                let right = try await session.createRight(
                    Right(
                        id: 0, office: office, reference: reference, title: "Sorbent", jurisdiction: jurisdiction,
                        kind: .patent, family: family, applicationNumber: "\(reference)/2023"))
                for event in events { _ = try await session.recordEvent(right.id, event) }
                rights[reference] = right.id
            }
            return rights
        }
        return Fixture(url: url, office: office, rights: rights)
    }

    @Test func theForecastPricesTheOfficesLiveRightsAtTheirEntitySizeAndNamesTheRates() async throws {
        let o = try await Self.fixture()
        // The US patent is a small entity's, entered after the fact.
        let update = try await Binary.run(
            ["rights", "update", String(o.rights["US-1"]!.rawValue), "--office", String(o.office.rawValue),
             "--entity-size", "small"], database: o.url)
        #expect(update.status == 0, "\(update.stderr)")
        let rates = try temporaryFile(
            "rates.csv", "currency,date,kzt,source\nEUR,2026-12-01,600,NBK\nUSD,2026-12-01,500,NBK\n")
        let output = try await o.run(["--from", "2027-01-01", "--years", "2", "--by", "jurisdiction", "--rates", rates, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try jsonObject(output.stdout)
        // 2027: EP-1 y5 600 000 + US-1 860 USD 430 000; 2028: EP-1 y6 693 000. EP-GONE pays nothing.
        #expect((json["total"] as? [String: Any])?["kzt"] as? String == "1723000.00")
        #expect(json["rights"] as? Int == 2 && json["office"] as? String == "Budget Office")
        let years = try #require(json["years"] as? [[String: Any]])
        let groups = years.map { year in
            ((year["groups"] as? [[String: Any]]) ?? []).map { "\(year["year"]!) \($0["group"]!) \($0["kzt"]!)" }
        }.flatMap { $0 }
        #expect(groups == ["2027 EP 600000.00", "2027 US 430000.00", "2028 EP 693000.00"])
        let used = (json["rates_used"] as? [[String: Any]])?.map { $0["key"] as? String }
        #expect(used == ["EUR-2026-12-01", "USD-2026-12-01"])

        let table = try await o.run(["--from", "2027-01-01", "--years", "2", "--by", "family", "--rates", rates])
        #expect(table.stdout.contains("FAM-1") && table.stdout.contains("Total: 1 723 000.00 KZT for 3 fees of 2 rights"), "\(table.stdout)")
        let html = try await o.run(["--from", "2027-01-01", "--format", "html", "--rates", rates])
        #expect(html.stdout.contains("<svg") && html.stdout.contains("data-chart-value"))
    }

    /// A drop decided through `ipcase decisions` before EP-1's fifth-year fee: the forecast
    /// counts EP-1 as costing nothing from that fee's due date on and says what it saved.
    @Test func aRightDroppedByADecisionCostsNothingFromThen() async throws {
        let o = try await Self.fixture()
        let rates = try temporaryFile("rates.csv", "currency,date,kzt,source\nEUR,2026-12-01,600,NBK\nUSD,2026-12-01,500,NBK\n")
        let forecast = ["--from", "2027-01-01", "--years", "2", "--rates", rates, "--format", "json"]
        let before = try jsonObject(try await o.run(forecast).stdout)
        // EP-1 years 5 and 6: 600 000 + 693 000; US-1 (a large entity) 3.5 years: 2 150 USD, 1 075 000.
        #expect((before["total"] as? [String: Any])?["kzt"] as? String == "2368000.00")
        // The fifth-year renewal deadline as the daemon writes it (EPC Art. 86, Rule 51(1)).
        _ = try await Databases.count(
            o.url,
            """
            INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                   final_date)
            VALUES (\(o.office.rawValue), \(o.rights["EP-1"]!.rawValue), 'EP.renewal', 'renewal', 5, 'filed',
                    '2027-03-31', '2027-03-31', '2027-09-30')
            RETURNING id::int
            """)
        for step in [
            ["decisions", "open", "--as-of", "2027-01-15", "--lead-days", "90"],
            ["decisions", "decide", "1", "--choice", "drop", "--reason", "no licensee in sight", "--actor", "aliya"],
        ] {
            let output = try await Binary.run(step + ["--office", String(o.office.rawValue)], database: o.url)
            #expect(output.status == 0, "\(step): \(output.stderr)")
        }
        let after = try jsonObject(try await o.run(forecast).stdout)
        // Only US-1's fee is left: EP-1's years 5 and 6 are not paid.
        #expect((after["total"] as? [String: Any])?["kzt"] as? String == "1075000.00")
        let dropped = try #require(after["dropped"] as? [[String: Any]])
        #expect(dropped.count == 1 && dropped.first?["right"] as? String == "EP-1", "\(dropped)")
        #expect(dropped.first?["from"] as? String == "2027-03-31" && dropped.first?["fees_saved"] as? Int == 2)
        let table = try await o.run(["--from", "2027-01-01", "--years", "2", "--rates", rates])
        #expect(table.stdout.contains("EP-1 from 2027-03-31: 2 fees not paid"), "\(table.stdout)")
    }

    @Test func badOptionsAreRefusedByName() async throws {
        let o = try await Self.fixture()
        let by = try await o.run(["--by", "inventor"])
        #expect(by.status == 2 && by.stderr.contains("--by: 'inventor' is not one of year, jurisdiction, family, disclosure"))
        let years = try await o.run(["--years", "0"])
        #expect(years.status == 2 && years.stderr.contains("--years 0"))
        let size = try await Binary.run(
            ["rights", "update", String(o.rights["US-1"]!.rawValue), "--office", String(o.office.rawValue),
             "--entity-size", "tiny"], database: o.url)
        #expect(size.status == 2 && size.stderr.contains("--entity-size"), "\(size.stderr)")
    }
}
