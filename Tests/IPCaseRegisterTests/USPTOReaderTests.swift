import Foundation
import IPCase
import IPCaseRegister
import Testing

/// The project's own USPTO full-text fixtures (written after the grant DTD v4.7 and the
/// application DTD v4.6): bulk files of concatenated documents, read back.
@Suite("Register files: USPTO full text")
struct USPTOReaderTests {
    func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    @Test func aBulkFileOfThreeGrantsEachWithItsDeclarationAndDoctype() throws {
        let path = ST96ReaderTests.fixture("uspto-grants.xml")
        #expect(try RegisterReader.format(path: path) == .usptoGrant)
        var seen: [String] = []
        let records = try RegisterReader.read(path: path) { seen.append($0.source.element) }
        #expect(
            records.map(\.source.description) == [
                "uspto-grants.xml#us-patent-grant[1]", "uspto-grants.xml#us-patent-grant[2]",
                "uspto-grants.xml#us-patent-grant[3]",
            ])
        #expect(seen == ["us-patent-grant[1]", "us-patent-grant[2]", "us-patent-grant[3]"])
        #expect(records.map(\.kind) == [.patent, .design, .patent])
        #expect(records.map(\.application?.number) == ["17/123,456", "29/876,543", "10/812,345"])
        #expect(records.map(\.grantNumber) == ["11234567", "D0987654", "PP016001"])
        #expect(records.map(\.grantDate) == ["2024-03-12", "2024-03-12", "2005-10-11"].map(date))
        #expect(records[2].titles == ["en": "Apple tree named \u{2018}Zailiysky\u{2019}"])
        #expect(records[2].parties == [RegisterParty(role: .applicant, name: "Saule Abenova", country: "KZ")])
    }

    @Test func aNationalStageGrantWithTwoPrioritiesAndItsPrePublication() throws {
        let record = try #require(try RegisterReader.read(path: ST96ReaderTests.fixture("uspto-grants.xml")).first)
        #expect(record.application == RegisterApplication(office: .unitedStates, number: "17/123,456", date: date("2021-05-20")))
        #expect(
            record.priorities == [
                RegisterApplication(office: Jurisdiction("JP"), number: "2018-221144", date: date("2018-11-27")),
                RegisterApplication(office: .european, number: "18212345.6", date: date("2018-12-13")),
            ])
        #expect(record.pctApplication == RegisterApplication(office: .pct, number: "PCT/JP2019/045123", date: date("2019-11-26")))
        #expect(record.pctPublication == RegisterPublication(number: "WO2020/110234", kindCode: "A1", date: date("2020-06-04")))
        #expect(record.publications == [RegisterPublication(number: "20210276543", kindCode: "A1", date: date("2021-09-09"))])
        #expect(record.ipc.map(\.text) == ["H04L 9/40"])
        #expect(record.titles == ["en": "Key exchange over a lossy channel"])
        // The examiner is not a party; an agent's "unknown" country is no country.
        #expect(
            record.parties == [
                RegisterParty(role: .applicant, name: "Kestrel Networks K.K.", country: "JP"),
                RegisterParty(role: .inventor, name: "Hiroshi Tanaka", country: "JP"),
                RegisterParty(role: .agent, name: "Harbor & Vale LLP"),
                RegisterParty(role: .owner, name: "Kestrel Networks K.K.", country: "JP"),
            ])
        // The cited patent is neither a publication nor a parent.
        #expect(record.parent == nil)
        #expect(
            record.events.map(\.kind) == [
                .priority, .priority, .pctFiled, .filed, .nationalPhaseEntered, .published, .granted,
            ])
        #expect(
            record.events.map(\.date)
                == [
                    "2018-11-27", "2018-12-13", "2019-11-26", "2021-05-20", "2021-05-20", "2021-09-09", "2024-03-12",
                ].map(date))
        let entry = try #require(record.events.first { $0.kind == .nationalPhaseEntered })
        #expect(
            entry.source.description
                == "uspto-grants.xml#us-patent-grant[1]/us-bibliographic-data-grant[1]/pct-or-regional-filing-data[1]/us-371c124-date[1]/date[1]"
        )
        #expect(entry.source.format == .usptoGrant)
        #expect(
            record.events.last?.source.element
                == "us-patent-grant[1]/us-bibliographic-data-grant[1]/publication-reference[1]/document-id[1]")
        #expect(record.events.last?.reference == "11234567")
    }

    @Test func aDesignContinuationNamesItsParentNotItself() throws {
        let record = try RegisterReader.read(path: ST96ReaderTests.fixture("uspto-grants.xml"))[1]
        #expect(record.parent == RegisterApplication(office: .unitedStates, number: "29/801,234", date: date("2021-07-14")))
        #expect(record.publications.isEmpty && record.priorities.isEmpty && record.ipc.isEmpty)
        #expect(record.events.map(\.kind) == [.filed, .granted])
        #expect(
            record.events.map(\.source.element) == [
                "us-patent-grant[2]/us-bibliographic-data-grant[1]/application-reference[1]/document-id[1]",
                "us-patent-grant[2]/us-bibliographic-data-grant[1]/publication-reference[1]/document-id[1]",
            ])
    }

    @Test func anApplicationWithAProvisionalAndAContinuationInPart() throws {
        let path = ST96ReaderTests.fixture("uspto-applications.xml")
        #expect(try RegisterReader.format(path: path) == .usptoApplication)
        let records = try RegisterReader.read(path: path)
        #expect(records.count == 2)
        let record = records[0]
        #expect(
            record.source
                == RegisterSource(file: "uspto-applications.xml", format: .usptoApplication, element: "us-patent-application[1]"))
        #expect(record.kind == .patent)
        #expect(record.application == RegisterApplication(office: .unitedStates, number: "18/234,567", date: date("2023-10-16")))
        #expect(record.publications == [RegisterPublication(number: "20240123456", kindCode: "A1", date: date("2024-04-18"))])
        #expect(record.parent == RegisterApplication(office: .unitedStates, number: "17/998,877", date: date("2022-11-04")))
        #expect(record.priorities == [RegisterApplication(office: .unitedStates, number: "63/421,987", date: date("2022-11-02"))])
        #expect(record.ipc.map(\.text) == ["C01B 3/042"])
        // Mixed content: the subscript's text is part of the title.
        #expect(record.titles == ["en": "Electrolyser for H2 from brackish water"])
        #expect(
            record.parties == [
                RegisterParty(role: .applicant, name: "Ana Rivera", country: "US"),
                RegisterParty(role: .inventor, name: "Ana Rivera", country: "US"),
            ])
        #expect(record.grantDate == nil && record.grantNumber == nil)
        #expect(record.events.map(\.kind) == [.priority, .filed, .published])
        #expect(record.events.first?.reference == "US 63/421,987")
        // The second document has no optional elements.
        #expect(records[1].application?.number == "18/234,568")
        #expect(records[1].parties.isEmpty && records[1].priorities.isEmpty && records[1].parent == nil)
        #expect(records[1].source.element == "us-patent-application[2]")
    }

    @Test func aBrokenDocumentInABulkFileIsNamedByTheFilesLine() throws {
        #expect {
            try RegisterReader.read(path: ST96ReaderTests.fixture("uspto-broken.xml"))
        } throws: { error in
            guard case RegisterError.malformed(let file, let line, _) = error else { return false }
            return file == "uspto-broken.xml" && line == 13
        }
    }

    @Test func aLargeBulkFileIsReadAcrossChunkBoundaries() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("uspto-bulk-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        var text = ""
        for serial in 0..<3_000 {
            text += """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v47-2022-02-17.dtd" [ ]>
                <us-patent-grant lang="EN" country="US"><us-bibliographic-data-grant>
                <publication-reference><document-id><country>US</country><doc-number>\(11_000_000 + serial)</doc-number><kind>B2</kind><date>20240312</date></document-id></publication-reference>
                <application-reference appl-type="utility"><document-id><country>US</country><doc-number>\(17_000_000 + serial * 7)</doc-number><date>20210520</date></document-id></application-reference>
                <invention-title id="t">\(String(repeating: "x", count: serial % 97))</invention-title>
                </us-bibliographic-data-grant></us-patent-grant>

                """
        }
        try Data(text.utf8).write(to: url)
        var count = 0
        let records = try RegisterReader.read(path: url.path) { _ in count += 1 }
        #expect(records.count == 3_000 && count == 3_000)
        #expect(records.last?.source.element == "us-patent-grant[3000]")
        #expect(
            records.last?.application?.number == RegisterNumbers.docketForm("\(17_000_000 + 2_999 * 7)", office: .unitedStates))
        #expect(records.map(\.grantNumber) == (0..<3_000).map { "\(11_000_000 + $0)" })
    }

    @Test func aBulkFileOfST96DocumentsIsScannedWithoutKeepingThem() throws {
        let one = try String(contentsOfFile: ST96ReaderTests.fixture("st96-us-divisional.xml"), encoding: .utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("st96-bulk-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data((one + one).utf8).write(to: url)
        var sources: [String] = []
        let count = try RegisterReader.scan(path: url.path) { sources.append($0.source.element) }
        #expect(count == 2)
        #expect(sources == ["PatentPublication[1]", "PatentPublication[2]"])
    }
}
