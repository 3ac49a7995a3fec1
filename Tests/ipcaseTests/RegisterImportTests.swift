import Foundation
import IPCase
import IPCaseStore
import Testing

/// The register files written for IPCaseRegister's tests.
private func registerFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IPCaseRegisterTests/Fixtures/\(name)").path
}

@Suite("Register files compared with the docket (ipcase import register)")
struct RegisterImportTests {
    /// An empty docket: the dry run says what it would create and writes nothing; `--apply`
    /// creates the right with its history (each event with the file and element it came from),
    /// queues its deadline job, and a second run has nothing left to do.
    @Test func aDryRunWritesNothingAndApplyCreatesTheRightWithItsHistory() async throws {
        let (url, office) = try await Databases.empty(officeName: "Register TTO")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_register")
        let cli = OfficeCLI(url: login, office: office)
        let file = registerFixture("st96-kz-patent.xml")

        let dry = try await cli.run(["import", "register", file])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("not in the docket: create patent KZ 2023/0123.1"), "\(dry.stdout)")
        #expect(dry.stdout.contains("st96-kz-patent.xml#PatentPublication[1]"), "\(dry.stdout)")
        #expect(dry.stderr.contains("dry run, nothing written"), "\(dry.stderr)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights") == 0)

        let applied = try await cli.run(["import", "register", file, "--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains("1 rights created"), "\(applied.stderr)")
        let shown = try await cli.ok(["rights", "show", "1"])
        #expect(shown.contains("KZ 2023/0123.1") && shown.contains("Sorbent for removing heavy metals"), "\(shown)")
        #expect(shown.contains("granted"), "\(shown)")
        #expect(shown.contains("st96-kz-patent.xml#PatentPublication[1]/BibliographicData[1]/PatentGrantIdentification[1]"), "\(shown)")
        // Filed, PCT filing, publication, national phase, (implied) grant decision and allowance, grant.
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM right_events") == 7)
        #expect(
            try await Databases.count(
                url,
                """
                SELECT count(*)::int FROM right_events WHERE kind = 'granted' AND event_date = '2025-03-01'
                  AND source LIKE 'st96-kz-patent.xml#PatentPublication[1]%'
                """) == 1)
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM rights WHERE state = 'granted' AND registration_number = '36512' AND jsonb_array_length(priority_claims) = 2"
            ) == 1)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM jobs") >= 1)

        let again = try await cli.ok(["import", "register", file, "--format", "json"])
        let summary = try #require(try jsonObject(again)["summary"] as? [String: Any])
        let actions = try #require(summary["actions"] as? [String: Int])
        #expect(actions["create"] == 0 && actions["record"] == 0 && actions["refused"] == 0, "\(again)")
        #expect(summary["matched"] as? Int == 1, "\(again)")
    }

    /// A docket typed in by hand: the register's other filing date and its extra priority are
    /// reported (not changed), its grant and national phase are recorded; a right the workflow
    /// cannot move refuses the whole apply, naming the file and the element, and nothing is written.
    @Test func differencesAreReportedAndARefusedStepWritesNothing() async throws {
        let (url, office) = try await Databases.empty(officeName: "Register TTO 2")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_register2")
        let cli = OfficeCLI(url: login, office: office)
        let rights = try temporaryFile(
            "rights.csv",
            """
            office,ref,family,jurisdiction,kind,title,application_number,filing_date,priority_date,priority_office,priority_number,parent_ref,disclosure,attorney,ipc,state
            ,ATU-2023-001-KZ,,KZ,patent,Water sorbent,2023/0123.1,2023-03-15,2022-03-15,KZ,2022/0456.1,,,,,

            """)
        _ = try await cli.ok(["import", "rights", rights])
        let events = try temporaryFile(
            "events.csv",
            """
            right_ref,event,date,year,reference,restorable_until
            ATU-2023-001-KZ,filed,2023-03-15,,2023/0123.1,
            ATU-2023-001-KZ,published,2024-04-19,,,

            """)
        _ = try await cli.ok(["import", "events", events])
        let file = registerFixture("st96-kz-patent.xml")

        let table = try await cli.ok(["import", "register", file])
        #expect(table.contains("ACTION") && table.contains("2 differ"), "\(table)")
        let csv = try await cli.ok(["import", "register", file, "--format", "csv"])
        #expect(csv.hasPrefix("action,application,right,field,register,docket,message,file,format,element"), "\(csv)")
        #expect(csv.contains("application date differs (register 2023-03-14 vs docket 2023-03-15)"), "\(csv)")
        #expect(
            csv.contains("register claims priority RU 2022107788 of 2022-04-01, docket has no such claim"), "\(csv)")
        #expect(csv.contains("register shows granted 2025-03-01, docket has no grant: record granted"), "\(csv)")
        #expect(!csv.contains("create,"), "\(csv)")
        #expect(!csv.contains("published differs"), "\(csv)")

        let applied = try await cli.run(["import", "register", file, "--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights WHERE state = 'granted'") == 1)
        // The filing date stays the docket's: a difference is for a person to decide.
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights WHERE filing_date = '2023-03-15'") == 1)

        // A second right the register says was granted, withdrawn in the docket: refused.
        let withdrawn = try temporaryFile(
            "rights.csv",
            """
            office,ref,family,jurisdiction,kind,title,application_number,filing_date,priority_date,priority_office,priority_number,parent_ref,disclosure,attorney,ipc,state
            ,ATU-2021-009-US,,US,patent,Catalyst,"16/987,654",2021-05-20,,,,,,,,

            """)
        _ = try await cli.ok(["import", "rights", withdrawn])
        let withdrawnEvents = try temporaryFile(
            "events.csv",
            """
            right_ref,event,date,year,reference,restorable_until
            ATU-2021-009-US,filed,2021-05-20,,,
            ATU-2021-009-US,withdrawn,2022-01-10,,,

            """)
        _ = try await cli.ok(["import", "events", withdrawnEvents])
        let register = try temporaryFile(
            "us-grant.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <pat:PatentPublication xmlns:pat="http://www.wipo.int/standards/XMLSchema/ST96/Patent"
                xmlns:com="http://www.wipo.int/standards/XMLSchema/ST96/Common">
              <pat:BibliographicData>
                <pat:PatentGrantIdentification>
                  <com:IPOfficeCode>US</com:IPOfficeCode><pat:PatentNumber>11234567</pat:PatentNumber>
                  <pat:GrantDate>2023-02-07</pat:GrantDate>
                </pat:PatentGrantIdentification>
                <pat:ApplicationIdentification>
                  <com:IPOfficeCode>US</com:IPOfficeCode>
                  <com:ApplicationNumber><com:ApplicationNumberText>16987654</com:ApplicationNumberText></com:ApplicationNumber>
                  <pat:FilingDate>2021-05-20</pat:FilingDate>
                </pat:ApplicationIdentification>
              </pat:BibliographicData>
            </pat:PatentPublication>
            """)
        let before = try await Databases.count(url, "SELECT count(*)::int FROM right_events")
        let refused = try await cli.run(["import", "register", register, "--apply"])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("nothing was written"), "\(refused.stderr)")
        #expect(refused.stderr.contains("us-grant.xml, element PatentPublication[1]"), "\(refused.stderr)")
        #expect(refused.stderr.contains("ATU-2021-009-US") && refused.stderr.contains("withdrawn"), "\(refused.stderr)")
        #expect(refused.stdout.contains("refused"), "\(refused.stdout)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM right_events") == before)
    }

    /// Bad input is named: a file that is not XML, a format not read, a missing file.
    /// Every format at once (WIPO ST.96 and ST.36, EPO OPS biblio, family and legal, the EP
    /// Register, USPTO grants and applications): the dry run reads them all, lists the register
    /// codes that are no events, and `--apply` writes every right with its sources.
    @Test func everyFormatIsReadInOneRun() async throws {
        let (url, office) = try await Databases.empty(officeName: "Register TTO 4")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_register4")
        let cli = OfficeCLI(url: login, office: office)
        let files = [
            "st96-kz-patent.xml", "st96-us-divisional.xml", "st36-kz-patent.xml", "st36-kz-utility-model-divisional.xml",
            "ops-biblio.xml", "ops-family.xml", "ops-legal.xml", "ep-register.xml", "uspto-grants.xml",
            "uspto-applications.xml",
        ].map(registerFixture)
        let dry = try await cli.run(["import", "register"] + files + ["--format", "json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let summary = try #require(try jsonObject(dry.stdout)["summary"] as? [String: Any])
        let actions = try #require(summary["actions"] as? [String: Int])
        // 13 applications; the KZ patent read in ST.96 and in ST.36 is one.
        #expect(summary["documents"] as? Int == 17 && summary["applications"] as? Int == 13, "\(summary)")
        #expect(actions["create"] == 14 && actions["refused"] == 0, "\(actions)")
        // Four national events of the European patent's validations (DE, FR fees, IT, IE lapses)
        // and five codes that are no events (AK, an undated PGFP, BECN, PROL, LOPR).
        #expect(actions["unmapped"] == 9, "\(dry.stdout)")
        #expect(dry.stdout.contains("register shows lapsed 2026-03-14 in IT: a national event of the validation there"), "\(dry.stdout)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights") == 0)

        let applied = try await cli.run(["import", "register"] + files + ["--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains("13 rights created"), "\(applied.stderr)")
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM rights WHERE jurisdiction = 'EP' AND state = 'granted' AND registration_number = 'EP4123456'")
                == 1)
        // The European patent is granted, not lapsed: the lapses in IT and IE are national.
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM right_events e JOIN rights r ON r.id = e.right_id WHERE r.jurisdiction = 'EP' AND e.kind = 'lapsed'")
                == 0)
        let sources = try await Databases.strings(
            url, "SELECT DISTINCT split_part(source, '#', 1) FROM right_events WHERE source IS NOT NULL ORDER BY 1")
        #expect(
            sources == [
                "ep-register.xml", "ops-biblio.xml", "ops-family.xml", "ops-legal.xml", "st36-kz-utility-model-divisional.xml",
                "st96-kz-patent.xml", "st96-us-divisional.xml", "uspto-applications.xml", "uspto-grants.xml",
            ], "\(sources)")
    }

    @Test func unreadableFilesAreNamed() async throws {
        let (url, office) = try await Databases.empty(officeName: "Register TTO 3")
        let cli = OfficeCLI(url: url, office: office)
        let broken = try await cli.run(["import", "register", registerFixture("st96-broken.xml")])
        #expect(broken.status == 2 && broken.stderr.contains("st96-broken.xml, line"), "\(broken.stderr)")
        let other = try temporaryFile("other.xml", "<?xml version=\"1.0\"?><invoice/>")
        let unknown = try await cli.run(["import", "register", other])
        #expect(unknown.status == 2 && unknown.stderr.contains("root element <invoice>"), "\(unknown.stderr)")
        let missing = try await cli.run(["import", "register", "/nonexistent/file.xml"])
        #expect(missing.status == 2 && missing.stderr.contains("file.xml: cannot be read"), "\(missing.stderr)")
        let mixed = try await cli.run(["import", "rights", "a.csv", "b.csv"])
        #expect(mixed.status != 0 && mixed.stderr.contains("one CSV file"), "\(mixed.stderr)")
    }
}
