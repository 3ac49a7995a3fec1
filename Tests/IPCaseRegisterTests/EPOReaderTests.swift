import Foundation
import IPCase
import IPCaseRegister
import Testing

/// The project's own EPO fixtures (written after the OPS and EP Register layouts), read back.
@Suite("Register files: EPO OPS and the EP Register")
struct EPOReaderTests {
    func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    func read(_ fixture: String) throws -> [RegisterRecord] {
        try RegisterReader.read(path: ST96ReaderTests.fixture(fixture))
    }

    @Test(arguments: [
        ("ops-biblio.xml", RegisterFormat.opsBiblio), ("ops-family.xml", .opsFamily),
        ("ops-legal.xml", .opsLegal),
        ("ep-register.xml", .epRegister),
    ])
    func theFormatIsToldByTheElementBelowTheSharedRoot(fixture: String, format: RegisterFormat) throws {
        #expect(try RegisterReader.format(path: ST96ReaderTests.fixture(fixture)) == format)
        #expect(try read(fixture).allSatisfy { $0.source.format == format })
    }

    @Test func opsBiblioReadsAEuroPCTApplicationWithTwoPriorities() throws {
        let records = try read("ops-biblio.xml")
        #expect(records.count == 2)
        let record = try #require(records.first)
        #expect(record.familyID == "81234567")
        #expect(
            record.source.element == "world-patent-data[1]/exchange-documents[1]/exchange-document[1]")
        #expect(
            record.application
                == RegisterApplication(office: .european, number: "23812345", date: date("2023-03-14")))
        #expect(
            record.publications == [
                RegisterPublication(number: "EP4123456", kindCode: "A1", date: date("2024-04-24"))
            ])
        #expect(
            record.priorities == [
                RegisterApplication(office: .kazakhstan, number: "20220456", date: date("2022-03-15")),
                RegisterApplication(office: .russia, number: "2022107788", date: date("2022-04-01")),
            ])
        // The PCT application (DOCDB kind W, linkage W) is the route in, not a priority.
        #expect(
            record.pctApplication
                == RegisterApplication(office: .pct, number: "PCT/KZ2023/050007", date: date("2023-03-14")))
        #expect(record.ipc.map(\.text) == ["C02F 1/28", "B01J 20/24"])
        // The name as filed, the country from the DOCDB form; an epodoc-only name loses its "[KZ]".
        #expect(
            record.parties == [
                RegisterParty(role: .applicant, name: "Alatau Technical University", country: "KZ"),
                RegisterParty(role: .inventor, name: "SADYKOVA AIGERIM", country: "KZ"),
            ])
        #expect(record.titles["en"] == "Sorbent for removing heavy metals from water")
        #expect(record.titles.count == 3)
        #expect(record.events.map(\.kind) == [.priority, .priority, .filed, .pctFiled, .published])
        #expect(record.unmapped.isEmpty)
    }

    @Test func opsBiblioWithoutOptionalElements() throws {
        let record = try #require(try read("ops-biblio.xml").last)
        #expect(record.familyID == nil)
        // An epodoc number only: the office comes from its prefix.
        #expect(
            record.application
                == RegisterApplication(office: .eurasian, number: "202391234", date: date("2023-06-05")))
        // No publication-reference: the document's own attributes.
        #expect(record.publications == [RegisterPublication(number: "EA202391234", kindCode: "A1")])
        #expect(
            record.priorities.isEmpty && record.parties.isEmpty && record.ipc.isEmpty
                && record.pctApplication == nil)
        #expect(record.titles == ["und": "Способ кучного выщелачивания меди"])
        #expect(record.events.map(\.kind) == [.filed])
    }

    @Test func opsFamilyGivesOneRecordPerMemberWithTheFamilyID() throws {
        let records = try read("ops-family.xml")
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0.familyID == "81234567" })
        #expect(records.map { $0.application?.office?.code ?? "" } == ["EP", "KZ", "RU", "EP"])
        #expect(
            records.map { $0.publications.map(\.number) } == [
                ["EP4123456"], ["KZ36512"], ["RU2812345"], ["EP4567890"],
            ])
        #expect(records[0].pctApplication?.number == "PCT/KZ2023/050007")
        #expect(records[0].priorities.map(\.number) == ["20220456"])
        // The member's bibliographic data: titles in Cyrillic, the applicant as filed.
        #expect(
            records[1].titles == [
                "ru": "Сорбент для очистки воды от тяжёлых металлов",
                "kk": "Суды ауыр металдардан тазартуға арналған сорбент",
            ])
        #expect(
            records[1].parties == [
                RegisterParty(role: .applicant, name: "Алатауский технический университет")
            ])
        #expect(
            records[1].publications == [
                RegisterPublication(number: "KZ36512", kindCode: "C1", date: date("2025-03-01"))
            ])
        #expect(records[1].grantNumber == "KZ36512")
        #expect(records[2].titles["ru"] == "Сорбент на основе модифицированного бентонита")
        #expect(records[2].priorities.isEmpty)
        // A division: the parent is linked (linkage 3), the priority kept.
        #expect(
            records[3].parent
                == RegisterApplication(office: .european, number: "23812345", date: date("2023-03-14")))
        #expect(records[3].priorities.map(\.number) == ["20220456"])
        let member = records[3].source
        #expect(
            member.description == "ops-family.xml#world-patent-data[1]/patent-family[1]/family-member[4]")
    }

    @Test func opsLegalMapsINPADOCCodesByTheTableAndKeepsTheRest() throws {
        let records = try read("ops-legal.xml")
        let record = try #require(records.first)
        #expect(records.count == 1 && record.familyID == "81234567")
        let coded = record.events.filter { $0.code != nil }
        #expect(coded.map(\.code) == ["17P", "REG/FG4D", "PGFP", "PG25", "PGFP", "REG/MM4A"])
        #expect(
            coded.map(\.kind) == [
                .examinationRequested, .granted, .annuityPaid, .lapsed, .annuityPaid, .lapsed,
            ])
        #expect(
            coded.map(\.date)
                == ["2024-03-01", "2025-10-01", "2026-03-12", "2026-03-14", "2026-05-15", "2026-06-10"].map(
                    date))
        #expect(coded.map(\.reference) == [nil, "GB", "DE", "IT", "FR", "IE"])
        #expect(coded.map(\.year) == [nil, nil, 4, nil, 4, nil])
        let paid = try #require(coded.first { $0.reference == "DE" })
        #expect(
            paid.source.element == "world-patent-data[1]/patent-family[1]/family-member[1]/legal[4]")
        #expect(paid.source.format == .opsLegal)
        // The grant publication itself is an event too.
        #expect(
            record.events.contains {
                $0.kind == .granted && $0.code == nil && $0.reference == "EP4123456"
            })

        #expect(record.unmapped.map(\.code) == ["AK", "PGFP", "BECN"])
        #expect(record.unmapped.map(\.reason) == [.notAnEvent, .undated, .notInTable])
        #expect(record.unmapped[0].date == date("2024-04-24"))
        #expect(record.unmapped[1].reference == "NL")
        #expect(record.unmapped[2].description == "BE: CHANGE OF HOLDER'S NAME")
        #expect(
            record.unmapped[2].source.element
                == "world-patent-data[1]/patent-family[1]/family-member[1]/legal[9]")
    }

    @Test func epRegisterReadsProceduralStepsLapsesAndDesignations() throws {
        let records = try read("ep-register.xml")
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(
            record.application
                == RegisterApplication(office: .european, number: "23812345", date: date("2023-03-14")))
        #expect(record.publications.map(\.kindCode) == ["B1", "A1"])
        #expect(record.grantNumber == "EP4123456" && record.grantDate == date("2025-10-01"))
        #expect(record.priorities.map(\.number) == ["20220456", "2022107788"])
        #expect(record.pctApplication?.number == "PCT/KZ2023/050007")
        #expect(
            record.pctPublication
                == RegisterPublication(number: "2023177001", kindCode: "A1", date: date("2023-09-21")))
        // Only the newest applicants (the register keeps each change).
        #expect(
            record.parties == [
                RegisterParty(role: .applicant, name: "Alatau Technical University", country: "KZ"),
                RegisterParty(role: .inventor, name: "Sadykova, Aigerim", country: "KZ"),
                RegisterParty(role: .agent, name: "Müller Patentanwälte", country: "DE"),
            ])
        #expect(record.designatedStates == ["DE", "FR", "GB", "IT"])
        #expect(record.ipc.map(\.text) == ["C02F 1/28", "B01J 20/24"])
        #expect(record.titles.count == 3)

        let renewal = try #require(record.events.first { $0.code == "RFEE" })
        #expect(renewal.kind == .annuityPaid && renewal.year == 3 && renewal.date == date("2025-02-28"))
        #expect(
            renewal.source.element
                == "world-patent-data[1]/register-documents[1]/register-document[1]/procedural-data[1]/procedural-step[3]"
        )
        #expect(record.events.first { $0.code == "IGRA" }?.kind == .allowed)
        // Examination requested: the bibliographic date and the step are one event, the step's.
        let requested = record.events.filter { $0.kind == .examinationRequested }
        #expect(requested.map(\.code) == ["EXAM"])
        // Lapses from the newest term of grant, one per state.
        let lapses = record.events.filter { $0.kind == .lapsed }
        #expect(Set(lapses.compactMap(\.reference)) == ["IT", "NL"] && lapses.count == 2)
        #expect(lapses.allSatisfy { $0.date == date("2026-03-14") && $0.code == nil })
        #expect(
            record.events.map(\.kind) == [
                .priority, .priority, .filed, .pctFiled, .examinationRequested, .published, .annuityPaid,
                .allowed, .granted,
                .lapsed, .lapsed,
            ])

        #expect(record.unmapped.map(\.code) == ["PROL", "LOPR"])
        #expect(record.unmapped.map(\.reason) == [.notInTable, .notAnEvent])
        #expect(
            record.unmapped[1].reference == "designated state TR"
                && record.unmapped[1].date == date("2024-06-05"))
    }

    @Test func aBrokenOrUnknownEPOFileIsNamed() throws {
        #expect {
            try read("ops-broken.xml")
        } throws: { error in
            guard case RegisterError.malformed(let file, let line, _) = error else { return false }
            return file == "ops-broken.xml" && line >= 6
        }
        let other = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ops-\(UUID().uuidString).xml")
        let text =
            "<?xml version=\"1.0\"?><ops:world-patent-data xmlns:ops=\"http://ops.epo.org\"><ops:fulltext-documents/></ops:world-patent-data>"
        try Data(text.utf8).write(to: other)
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(
            throws: RegisterError.unknownFormat(file: other.lastPathComponent, root: "world-patent-data")
        ) {
            try RegisterReader.read(path: other.path)
        }
    }
}

/// The legal-status table: every row carries its source and status, and the lookups behave.
@Suite("Register files: the legal-status code table")
struct LegalStatusCodesTests {
    @Test func everyRowHasASourceAndAStatus() {
        let rows = LegalStatusCodes.standard.rows
        #expect(rows.count >= 20)
        for row in rows {
            #expect(
                row.source.contains("EPO") && row.source.contains("https://"), "\(row.code)@\(row.office)")
            #expect(!row.meaning.isEmpty && !row.dateFields.isEmpty, "\(row.code)@\(row.office)")
        }
        // Nothing is marked confirmed without the official text having been read.
        #expect(rows.allSatisfy { $0.status == .unconfirmed })
    }

    @Test(arguments: [
        (LegalStatusCode.Scheme.inpadoc, "PGFP", "EP", RightEventKind.annuityPaid, "L520EP"),
        (.inpadoc, "FPAY", "US", .annuityPaid, "L520EP"),
        (.epRegister, "RFEE", "EP", .annuityPaid, "YEAR"),
    ])
    func feePaymentsNameWhereTheirYearIs(
        scheme: LegalStatusCode.Scheme, code: String, office: String, event: RightEventKind,
        year: String
    ) throws {
        let row = try #require(LegalStatusCodes.standard.row(scheme, code: code, office: office))
        #expect(row.event == event && row.yearField == year)
    }

    @Test func anOfficeWithoutItsOwnRowTakesTheAnyOfficeRow() {
        let table = LegalStatusCodes.standard
        #expect(table.row(.inpadoc, code: "REG/MM4A", office: "IE")?.office == "*")
        #expect(table.row(.inpadoc, code: "REG/FG4D", office: "GB")?.office == "GB")
        #expect(table.row(.inpadoc, code: "REG/FG4D", office: "FR") == nil)
        #expect(table.row(.inpadoc, code: "RFEE", office: "EP") == nil)
    }

    @Test func aCodeGivenTwiceForOneOfficeIsRefused() {
        let row =
            #"{"scheme":"inpadoc","code":"PG25","office":"EP","event":"lapsed","meaning":"m","date_fields":["L007EP"],"source":"s","status":"unconfirmed"}"#
        #expect(throws: LegalStatusCodes.Duplicate.self) {
            try LegalStatusCodes(json: Data(#"{"codes":[\#(row),\#(row)]}"#.utf8))
        }
    }
}
