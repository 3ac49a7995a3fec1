import Foundation
import IPCase
import IPCaseStore
import Testing

@Suite("Start-ups, rounds, residencies and exits (ipcase startups)")
struct StartupsTests {
    @Test func aStartupsRoundsGiveTheOfficesStakeAndBadInputIsRefusedByField() async throws {
        let (url, office) = try await Databases.empty(officeName: "Spin-off TTO")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_startup")
        let cli = OfficeCLI(url: login, office: office)
        func run(_ arguments: [String]) async throws -> Binary.Output { try await cli.run(arguments) }
        func ok(_ arguments: [String]) async throws -> String { try await cli.ok(arguments) }
        _ = try await ok(["parties", "create", "--name", "GeoSense Analytics LLP", "--kind", "organization", "--sector", "industry"])
        _ = try await ok(["parties", "create", "--name", "Aliya Nurlanova", "--kind", "person", "--sector", "academia"])
        _ = try await ok(
            ["parties", "create", "--name", "Steppe Ventures", "--kind", "organization", "--sector", "other", "--role", "investor"])

        let person = try await run(["startups", "create", "--party", "2", "--founded", "2024-03-01", "--shares", "100"])
        #expect(person.status == 2 && person.stderr.contains("field party"), "\(person.stderr)")
        let over = try await run(
            ["startups", "create", "--party", "1", "--founded", "2024-03-01", "--shares", "100", "--office-shares", "101"])
        #expect(over.status == 2 && over.stderr.contains("field office_shares"), "\(over.stderr)")
        let created = try await ok(
            ["startups", "create", "--party", "1", "--founded", "2024-03-01", "--region", "almaty-city", "--founder", "2",
             "--shares", "1000000", "--office-shares", "150000"])
        #expect(created.contains("start-up 1") && created.contains("office stake 15.0000 %"), "\(created)")

        let seed = try await ok(
            ["startups", "round", "1", "--date", "2025-02-10", "--instrument", "equity", "--amount", "100000000 KZT",
             "--pre-money", "400000000 KZT", "--investor", "3"])
        #expect(seed.contains("250000 new shares") && seed.contains("office stake 12.0000 %"), "\(seed)")
        let safe = try await run(
            ["startups", "round", "1", "--date", "2025-06-01", "--instrument", "safe", "--amount", "50000 USD",
             "--new-shares", "10"])
        #expect(safe.status == 2 && safe.stderr.contains("field new_shares"), "\(safe.stderr)")
        let early = try await run(
            ["startups", "round", "1", "--date", "2024-01-01", "--instrument", "grant", "--amount", "1000 KZT"])
        #expect(early.status == 2 && early.stderr.contains("field date"), "\(early.stderr)")
        _ = try await ok(["startups", "round", "1", "--date", "2025-09-01", "--instrument", "grant", "--amount", "20000000 KZT"])
        let residencyBad = try await run(
            ["startups", "residency", "1", "--technopark", "Astana Hub", "--from", "2024-05-01", "--to", "2024-04-01"])
        #expect(residencyBad.status == 2 && residencyBad.stderr.contains("field to"), "\(residencyBad.stderr)")
        _ = try await ok(["startups", "residency", "1", "--technopark", "Astana Hub", "--from", "2024-04-01"])

        let shown = try await ok(["startups", "show", "1"])
        #expect(shown.contains("GeoSense Analytics LLP") && shown.contains("Aliya Nurlanova"), "\(shown)")
        #expect(shown.contains("Steppe Ventures") && shown.contains("1250000") && shown.contains("12.0000 %"), "\(shown)")
        #expect(shown.contains("Astana Hub"))

        // The indicators of 2025: one active start-up, resident, 100 000 000 KZT invested, a grant apart.
        let report = try await ok(["report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"])
        let startups = try #require((try jsonObject(report)["kazakhstan"] as? [String: Any])?["startups"] as? [String: Any])
        #expect(startups["active_at_period_end"] as? Int == 1 && startups["residents_at_period_end"] as? Int == 1)
        #expect((startups["venture_investment"] as? [[String: Any]])?.first?["amount"] as? String == "100000000.00")
        #expect((startups["grants"] as? [[String: Any]])?.first?["amount"] as? String == "20000000.00")
        let formed = try await ok(["report", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"])
        #expect((try jsonObject(formed)["autm"] as? [String: Any])?["startups_formed"] as? Int == 1)

        _ = try await ok(["startups", "exit", "1", "--kind", "acquisition", "--date", "2026-11-30", "--acquirer", "3"])
        let after = try await run(
            ["startups", "round", "1", "--date", "2026-12-01", "--instrument", "equity", "--amount", "1 KZT", "--new-shares", "1"])
        #expect(after.status == 2 && after.stderr.contains("after its acquisition"), "\(after.stderr)")
        let again = try await run(["startups", "exit", "1", "--kind", "ipo", "--date", "2026-12-01"])
        #expect(again.status == 2 && again.stderr.contains("ended already"), "\(again.stderr)")
        let list = try await ok(["startups", "list"])
        #expect(list.contains("acquisition 2026-11-30") && list.contains("12.0000 %"), "\(list)")
        #expect(
            try await Databases.count(url, "SELECT count(*)::int FROM audit_log WHERE table_name = 'financing_rounds'") == 2)
    }

    @Test func startupFilesWithProblemsAreRefusedByRowAndColumnAndNothingIsWritten() async throws {
        let (url, office) = try await Databases.empty(officeName: "Import TTO")
        func run(_ arguments: [String]) async throws -> Binary.Output {
            try await Binary.run(arguments + ["--office", String(office.rawValue), "--quiet"], database: url)
        }
        let parties = try temporaryFile(
            "parties.csv",
            "office,name,kind,roles,sector,region,country,department\n"
                + ",GeoSense Analytics LLP,organization,licensee,industry,almaty-city,,\n"
                + ",Aliya Nurlanova,person,inventor,academia,,,\n"
                + ",Steppe Ventures,organization,investor,other,,,\n")
        #expect(try await run(["import", "parties", parties]).status == 0)

        let header = "company,founded_on,region,founders,shares,office_shares,vesting,agreement_ref\n"
        let bad = try temporaryFile(
            "startups.csv",
            header + "GeoSense Analytics LLP,2024-03-01,almaty-city,Aliya Nurlanova;Nobody,1000000,2000000,,\n"
                + "Unknown LLP,2024-13-01,mars,,x,,,LIC-404\n")
        let refused = try await run(["import", "startups", bad])
        #expect(refused.status == 2)
        for expected in [
            "row 2, column founders: 'Nobody' is not a party", "row 2, column office_shares",
            "row 3, column company", "row 3, column founded_on", "row 3, column region", "row 3, column shares",
            "row 3, column agreement_ref",
        ] {
            #expect(refused.stderr.contains(expected), "\(expected): \(refused.stderr)")
        }
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM startups") == 0)

        let clean = try temporaryFile(
            "startups.csv", header + "GeoSense Analytics LLP,2024-03-01,almaty-city,Aliya Nurlanova,1000000,150000,4 years,\n")
        let imported = try await run(["import", "startups", clean])
        #expect(imported.status == 0 && imported.stdout.hasPrefix("imported 1 startups"), "\(imported.stderr)")

        let rounds = try temporaryFile(
            "rounds.csv",
            "company,closed_on,instrument,amount,currency,pre_money,new_shares,investors\n"
                + "GeoSense Analytics LLP,2025-02-10,equity,100000000,KZT,400000000,,Steppe Ventures\n"
                + "GeoSense Analytics LLP,2025-06-01,safe,50000,USD,,10,\n")
        let roundsRefused = try await run(["import", "rounds", rounds])
        #expect(roundsRefused.status == 2 && roundsRefused.stderr.contains("row 3, column new_shares"), "\(roundsRefused.stderr)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM financing_rounds") == 0)
        let roundsClean = try temporaryFile(
            "rounds.csv",
            "company,closed_on,instrument,amount,currency,pre_money,new_shares,investors\n"
                + "GeoSense Analytics LLP,2025-02-10,equity,100000000,KZT,400000000,,Steppe Ventures\n")
        #expect(try await run(["import", "rounds", roundsClean]).status == 0)
        let residencies = try temporaryFile(
            "residencies.csv", "company,technopark,from,to,regime\nGeoSense Analytics LLP,Astana Hub,2024-04-01,,0 % CIT\n")
        #expect(try await run(["import", "residencies", residencies]).status == 0)
        let shown = try await Binary.run(["startups", "show", "1", "--office", String(office.rawValue)], database: url)
        #expect(shown.stdout.contains("12.0000 %") && shown.stdout.contains("Astana Hub"), "\(shown.stdout)")
    }
}
