import Foundation
import Testing

@Suite("ipcase fees")
struct FeesCommandTests {
    @Test("fees quote explains the fee in force on the due date, the surcharge and the total")
    func quote() async throws {
        let late = try await Binary.run(["fees", "quote", "--rule", "EP.renewal", "--year", "5", "--due", "2026-03-31", "--grace"])
        #expect(late.status == 0, "\(late.stderr)")
        #expect(late.stdout.contains("1 000.00 EUR") && late.stdout.contains("total: 1 500.00 EUR (unconfirmed)"))
        let small = try await Binary.run(
            ["fees", "quote", "--rule", "US.maintenance-fee", "--year", "7.5", "--due", "2027-07-20", "--entity", "small"])
        #expect(small.stdout.contains("total: 1 616.00 USD"))
        // A year no schedule has is not priced, saying so; bad input names the option.
        let missing = try await Binary.run(["fees", "quote", "--rule", "KZ.annual-fee", "--year", "4", "--due", "2026-05-10"])
        #expect(missing.status == 1 && missing.stderr.contains("no fee prices KZ.annual-fee year 4"))
        let bad = try await Binary.run(["fees", "quote", "--rule", "EP.renewal", "--entity", "huge", "--due", "2026-03-31"])
        #expect(bad.status == 2 && bad.stderr.contains("--entity"))
    }

    @Test("an office's own fee file adds the years the embedded data lacks; a bad one is refused naming the fee")
    func ownFile() async throws {
        let own = try temporaryFile(
            "own-fees.json",
            """
            {"office": "KZ", "title": "our price list", "fees": [{"id": "KZ.annual-fee.patent.4-6", "rule": "KZ.annual-fee",
             "kinds": ["patent"], "valid_from": "2026-01-01", "currency": "KZT", "amounts": [{"years": "4-6", "mci": "8"}],
             "citation": "the institute's price list as we read it", "status": "unconfirmed"}],
             "indices": [{"name": "MCI", "from": "2026-01-01", "kzt": "4325", "citation": "budget law 2026", "status": "confirmed"}]}
            """)
        let quoted = try await Binary.run(
            ["fees", "quote", "--rule", "KZ.annual-fee", "--year", "4", "--due", "2026-05-10", "--file", own])
        #expect(quoted.status == 0, "\(quoted.stderr)")
        #expect(quoted.stdout.contains("8 MCI × 4 325.00 KZT") && quoted.stdout.contains("total: 34 600.00 KZT"))
        let listed = try await Binary.run(["fees", "list", "--office", "KZ", "--file", own, "--format", "json"])
        let fees = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(fees.contains { $0["id"] as? String == "KZ.annual-fee.patent.4-6" })
        #expect(fees.contains { $0["id"] as? String == "KZ.annual-fee.patent.2024" })
        let broken = try temporaryFile("broken-fees.json", "{\"office\": \"KZ\", \"title\": \"t\", \"fees\": [{\"id\": \"X\"}]}")
        let refused = try await Binary.run(["fees", "list", "--file", broken])
        #expect(refused.status == 2 && refused.stderr.contains("broken-fees.json"))
    }
}
