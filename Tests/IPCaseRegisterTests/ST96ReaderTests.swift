import Foundation
import IPCase
import IPCaseRegister
import Testing

/// The project's own ST.96 fixtures (written after the published V6_0 schema), read back.
@Suite("Register files: WIPO ST.96")
struct ST96ReaderTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    @Test func aKazakhPatentWithTwoPrioritiesAPCTRouteAndCyrillicTitles() throws {
        let path = Self.fixture("st96-kz-patent.xml")
        #expect(try RegisterReader.format(path: path) == .st96)
        let records = try RegisterReader.read(path: path)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.application == RegisterApplication(office: .kazakhstan, number: "20230123.1", date: date("2023-03-14")))
        #expect(record.kind == .patent)
        #expect(record.priorities.map(\.number) == ["2022/0456.1", "2022107788"])
        #expect(record.priorities.map(\.office) == [.kazakhstan, .russia])
        #expect(record.pctApplication?.number == "PCT/KZ2023/050007")
        #expect(record.pctPublication?.number == "2023177001")
        #expect(record.grantNumber == "36512" && record.grantDate == date("2025-03-01"))
        #expect(record.titles["ru"] == "Сорбент для очистки воды от тяжёлых металлов")
        #expect(record.titles["kk"] == "Суды ауыр металдардан тазартуға арналған сорбент")
        #expect(record.titles["en"] == "Sorbent for removing heavy metals from water")
        #expect(record.ipc.map(\.text) == ["C02F 1/28", "B01J 20/24"])
        #expect(record.parties == [
            RegisterParty(role: .applicant, name: "Alatau Technical University", country: "KZ"),
            RegisterParty(role: .inventor, name: "Айгерим Садыкова"),
        ])
        // The cited US application is not taken for the record's own.
        #expect(record.parent == nil)
        #expect(record.events.map(\.kind) == [
            .priority, .priority, .filed, .pctFiled, .published, .nationalPhaseEntered, .granted,
        ])
        #expect(record.events.map(\.date) == [
            "2022-03-15", "2022-04-01", "2023-03-14", "2023-03-14", "2024-04-19", "2024-09-16", "2025-03-01",
        ].map(date))
        let grant = try #require(record.events.last)
        #expect(grant.reference == "36512")
        #expect(
            grant.source.description
                == "st96-kz-patent.xml#PatentPublication[1]/BibliographicData[1]/PatentGrantIdentification[1]")
        let second = try #require(record.events.dropFirst().first)
        #expect(second.source.element == "PatentPublication[1]/BibliographicData[1]/PriorityClaimBag[1]/PriorityClaim[2]")
        let entry = try #require(record.events.first { $0.kind == .nationalPhaseEntered })
        #expect(entry.source.element == "PatentPublication[1]/BibliographicData[1]/PCTNationalPhaseEntryDate[1]")
    }

    @Test func aDivisionalWithoutOptionalElements() throws {
        let record = try #require(try RegisterReader.read(path: Self.fixture("st96-us-divisional.xml")).first)
        #expect(record.application?.number == "18123456")
        #expect(record.parent == RegisterApplication(office: .unitedStates, number: "17654321", date: date("2022-03-09")))
        #expect(record.priorities.isEmpty && record.parties.isEmpty && record.ipc.isEmpty)
        #expect(record.grantDate == nil)
        #expect(record.titles == ["und": "Method of heap leaching copper from oxidized ores"])
        #expect(record.events.map(\.kind) == [.filed, .published])
    }

    @Test func aFileThatIsNotWellFormedOrOfAnotherFormatIsNamed() throws {
        #expect {
            try RegisterReader.read(path: Self.fixture("st96-broken.xml"))
        } throws: { error in
            guard case RegisterError.malformed(let file, let line, _) = error else { return false }
            return file == "st96-broken.xml" && line >= 3
        }
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("other-\(UUID().uuidString).xml")
        try Data("<?xml version=\"1.0\"?><invoice/>".utf8).write(to: other)
        #expect(throws: RegisterError.unknownFormat(file: other.lastPathComponent, root: "invoice")) {
            try RegisterReader.read(path: other.path)
        }
    }

    @Test(arguments: [
        ("20230123.1", "KZ", "2023/0123.1"), ("KZ 2023/0123.1", "KZ", "2023/0123.1"),
        ("23812345.6", "EP", "23 812 345.6"), ("EP23812345", "EP", "23 812 345"),
        ("17123456", "US", "17/123,456"), ("17/123,456", "US", "17/123,456"),
        ("KZ2024050325", "WO", "PCT/KZ2024/050325"), ("PCT/KZ24/050325", "WO", "PCT/KZ2024/050325"),
        ("WO2024KZ050325", "WO", "PCT/KZ2024/050325"), ("202391234", "EA", "202391234"),
    ])
    func numbersTakeTheDocketsForm(raw: String, office: String, docket: String) {
        #expect(RegisterNumbers.docketForm(raw, office: Jurisdiction(office)) == docket)
    }

    @Test func twoFormsOfOneNumberShareAKey() {
        #expect(RegisterNumbers.matchKey("EP23812345", office: .european) == RegisterNumbers.matchKey("23 812 345.6", office: .european))
        #expect(RegisterNumbers.matchKey("20230123.1", office: .kazakhstan) == RegisterNumbers.matchKey("2023/0123.1", office: .kazakhstan))
        #expect(RegisterNumbers.matchKey("2023/0123.1", office: .kazakhstan) != RegisterNumbers.matchKey("2023/0124.1", office: .kazakhstan))
    }
}
