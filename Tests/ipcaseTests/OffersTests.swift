import Foundation
import IPCase
import IPCaseStore
import Testing

@Suite("Technology marketing (ipcase offers)")
struct OffersTests {
    @Test func anOfferReachesCompaniesAndAnInterestedOneBecomesADeal() async throws {
        let (url, office) = try await Databases.empty(officeName: "Marketing TTO")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        let (disclosure, right) = try await store.withOffice(office, actor: "test") { session in
            let disclosure = try await session.createDisclosure(
                Disclosure(
                    id: 0, office: office, reference: "D-1", title: "Wind blade", receivedOn: try CivilDate(iso: "2026-01-10"),
                    ipcSymbols: [IPCSymbol("F03D 1/06")!]))
            let right = try await session.createRight(
                Right(
                    id: 0, office: office, reference: "KZ-1", title: "Wind blade", jurisdiction: .kazakhstan, kind: .patent,
                    disclosure: disclosure.id))
            return (disclosure.id, right.id)
        }
        await store.connection.close()
        let login = try await Databases.appLogin(url, office: office, prefix: "t_offers")
        let cli = OfficeCLI(url: login, office: office)
        func run(_ arguments: [String]) async throws -> Binary.Output { try await cli.run(arguments) }
        func ok(_ arguments: [String]) async throws -> String { try await cli.ok(arguments) }
        _ = try await ok(["parties", "create", "--name", "Samruk Energy", "--kind", "organization", "--sector", "industry"])
        _ = try await ok(["parties", "create", "--name", "KEGOC", "--kind", "organization", "--sector", "industry"])
        _ = try await ok(["parties", "create", "--name", "Aliya", "--kind", "person", "--sector", "academia"])

        let empty = try await run(["offers", "create", "--reference", "TO-1", "--title", "Blade", "--summary", "A blade", "--date", "2026-09-01"])
        #expect(empty.status == 2 && empty.stderr.contains("field disclosures"), "\(empty.stderr)")
        let trl = try await run(
            ["offers", "create", "--reference", "TO-1", "--title", "Blade", "--summary", "x", "--disclosure", "1", "--trl", "12"])
        #expect(trl.status == 2 && trl.stderr.contains("--trl 12"), "\(trl.stderr)")
        _ = try await ok(
            ["offers", "create", "--reference", "TO-1", "--title", "Passive-pitch wind blade",
             "--summary", "A blade that pitches itself in gusts", "--disclosure", String(disclosure.rawValue),
             "--right", String(right.rawValue), "--trl", "5", "--sector", "energy", "--date", "2026-09-01"])

        let before = try await run(["offers", "outreach", "1", "--company", "1", "--channel", "email", "--date", "2026-08-01"])
        #expect(before.status == 2 && before.stderr.contains("field date"), "\(before.stderr)")
        let person = try await run(["offers", "outreach", "1", "--company", "3", "--channel", "call", "--date", "2026-09-02"])
        #expect(person.status == 2 && person.stderr.contains("field company"), "\(person.stderr)")
        _ = try await ok(
            ["offers", "outreach", "1", "--company", "1", "--channel", "meeting", "--date", "2026-09-15",
             "--contact", "A. Seitkali, head of R&D"])
        _ = try await ok(["offers", "outreach", "1", "--company", "2", "--channel", "email", "--date", "2026-09-16",
                          "--response", "declined"])

        let pending = try await run(["offers", "deal", "1", "--reference", "DL-1"])
        #expect(pending.status == 2 && pending.stderr.contains("answered pending"), "\(pending.stderr)")
        _ = try await ok(["offers", "respond", "1", "--response", "interested"])
        let deal = try await ok(["offers", "deal", "1", "--reference", "DL-1", "--intended", "non-exclusive-licence"])
        #expect(deal.contains("DL-1 (identified)"), "\(deal)")
        let twice = try await run(["offers", "deal", "1", "--reference", "DL-2"])
        #expect(twice.status == 2 && twice.stderr.contains("already"), "\(twice.stderr)")
        let late = try await run(["offers", "respond", "1", "--response", "declined"])
        #expect(late.status == 2 && late.stderr.contains("advance the deal"), "\(late.stderr)")

        let shown = try await ok(["offers", "show", "1"])
        #expect(shown.contains("Alternative energy production") && shown.contains("TRL 5"), "\(shown)")
        #expect(shown.contains("Samruk Energy") && shown.contains("declined"), "\(shown)")
        let list = try await ok(["offers", "list"])
        #expect(list.contains("TO-1") && list.contains("Passive-pitch wind blade"), "\(list)")
        // The deal is in the pipeline with the offer's rights and the company.
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM deals d JOIN deal_rights r ON r.office_id = d.office_id AND r.deal_id = d.id WHERE d.reference = 'DL-1' AND d.counterparty_id = 1")
                == 1)
    }

    /// offers.csv then outreach.csv: every problem named by row and column, nothing written; then
    /// the clean files create the offer and its contacts.
    @Test func offersAndOutreachImportFromCSV() async throws {
        let (url, office) = try await Databases.empty(officeName: "Imported marketing TTO")
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        try await store.withOffice(office, actor: "test") { session in
            let disclosure = try await session.createDisclosure(
                Disclosure(
                    id: 0, office: office, reference: "D-1", title: "Wind blade", receivedOn: try CivilDate(iso: "2026-01-10")))
            _ = try await session.createRight(
                Right(
                    id: 0, office: office, reference: "KZ-1", title: "Wind blade", jurisdiction: .kazakhstan, kind: .patent,
                    disclosure: disclosure.id))
        }
        await store.connection.close()
        let login = try await Databases.appLogin(url, office: office, prefix: "t_offers_import")
        let cli = OfficeCLI(url: login, office: office)
        _ = try await cli.ok(["parties", "create", "--name", "Samruk Energy", "--kind", "organization", "--sector", "industry"])
        _ = try await cli.ok(["parties", "create", "--name", "Aliya", "--kind", "person", "--sector", "academia"])

        let offersHeader = RecordFile.offers.columns.joined(separator: ",") + "\n"
        let badOffers = try temporaryFile(
            "offers.csv",
            offersHeader + "TO-1,Blade,,D-404,,12,energy,2026-09-01\n" + "TO-1,Blade,A blade,,,,,2026-13-01\n")
        let refused = try await cli.run(["import", "offers", badOffers])
        #expect(refused.status == 2)
        for expected in [
            "row 2, column summary", "row 2, column disclosures: 'D-404' is not a disclosure", "row 2, column trl",
            "row 3, column reference: row 2 records 'TO-1' already", "row 3, column offered_on",
        ] {
            #expect(refused.stderr.contains(expected), "\(expected): \(refused.stderr)")
        }
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM technology_offers") == 0)
        let offers = try temporaryFile(
            "offers.csv", offersHeader + "TO-1,Passive-pitch wind blade,A blade that pitches itself,D-1,KZ-1,5,energy;wind,2026-09-01\n")
        let imported = try await cli.run(["import", "offers", offers])
        #expect(imported.status == 0 && imported.stdout.hasPrefix("imported 1 offers"), "\(imported.stdout) \(imported.stderr)")

        let outreachHeader = RecordFile.outreach.columns.joined(separator: ",") + "\n"
        let badOutreach = try temporaryFile(
            "outreach.csv",
            outreachHeader + "TO-9,Samruk Energy,2026-09-15,meeting,,\n" + "TO-1,Aliya,2026-08-01,fax,,maybe\n")
        let outreachRefused = try await cli.run(["import", "outreach", badOutreach])
        #expect(outreachRefused.status == 2)
        for expected in [
            "row 2, column offer_ref", "row 3, column company", "row 3, column channel", "row 3, column response",
        ] {
            #expect(outreachRefused.stderr.contains(expected), "\(expected): \(outreachRefused.stderr)")
        }
        let early = try temporaryFile("outreach.csv", outreachHeader + "TO-1,Samruk Energy,2026-08-01,email,,\n")
        let earlyRefused = try await cli.run(["import", "outreach", early])
        #expect(earlyRefused.stderr.contains("row 2, column date: 2026-08-01 is before the offer"), "\(earlyRefused.stderr)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM outreach") == 0)
        let outreach = try temporaryFile(
            "outreach.csv", outreachHeader + "TO-1,Samruk Energy,2026-09-15,meeting,\"A. Seitkali, head of R&D\",interested\n")
        #expect(try await cli.run(["import", "outreach", outreach]).status == 0)
        let shown = try await cli.ok(["offers", "show", "1"])
        #expect(shown.contains("Samruk Energy") && shown.contains("interested") && shown.contains("A. Seitkali"), "\(shown)")
    }
}
