import Foundation
import IPCase
import IPCaseRegister
import Testing

/// The project's own ST.36 fixtures (written after WIPO ST.36's `patent-document`), read back.
@Suite("Register files: WIPO ST.36")
struct ST36ReaderTests {
    func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }

    @Test func aKazakhPatentFromAPCTApplicationWithTwoPrioritiesAndCyrillicTitles() throws {
        let path = ST96ReaderTests.fixture("st36-kz-patent.xml")
        #expect(try RegisterReader.format(path: path) == .st36)
        let records = try RegisterReader.read(path: path)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.source.description == "st36-kz-patent.xml#patent-document[1]")
        #expect(record.application == RegisterApplication(office: .kazakhstan, number: "2023/0123.1", date: date("2023-03-14")))
        #expect(record.kind == .patent)
        #expect(record.publications == [RegisterPublication(number: "36512", kindCode: "B", date: date("2025-03-01"))])
        #expect(record.grantNumber == "36512" && record.grantDate == date("2025-03-01"))
        #expect(
            record.priorities == [
                RegisterApplication(office: .kazakhstan, number: "2022/0456.1", date: date("2022-03-15")),
                RegisterApplication(office: .russia, number: "2022107788", date: date("2022-04-01")),
            ])
        #expect(record.pctApplication == RegisterApplication(office: .pct, number: "PCT/KZ2023/050007", date: date("2023-03-14")))
        #expect(record.pctPublication == RegisterPublication(number: "2023/177001", kindCode: "A1", date: date("2023-09-21")))
        #expect(
            record.titles == [
                "ru": "Сорбент для очистки воды от тяжёлых металлов",
                "kk": "Суды ауыр металдардан тазартуға арналған сорбент",
                "en": "Sorbent for removing heavy metals from water",
            ])
        #expect(record.ipc.map(\.text) == ["C02F 1/28", "B01J 20/24"])
        #expect(
            record.parties == [
                RegisterParty(role: .applicant, name: "Алатауский технический университет", country: "KZ"),
                RegisterParty(role: .inventor, name: "Айгерим Садыкова", country: "KZ"),
                RegisterParty(role: .inventor, name: "Игорь Сергеевич Петров"),
                RegisterParty(role: .agent, name: "Нурланова Д. К.", country: "KZ"),
            ])
        // The cited US patent is not taken for a publication or a parent.
        #expect(record.parent == nil)
        #expect(record.events.map(\.kind) == [.priority, .priority, .filed, .pctFiled, .granted])
        #expect(record.events.map(\.date) == ["2022-03-15", "2022-04-01", "2023-03-14", "2023-03-14", "2025-03-01"].map(date))
        #expect(
            record.events.map(\.reference) == ["KZ 2022/0456.1", "RU 2022107788", "2023/0123.1", "PCT/KZ2023/050007", "36512"])
        #expect(
            record.events.map(\.source.element) == [
                "patent-document[1]/bibliographic-data[1]/priority-claims[1]/priority-claim[1]",
                "patent-document[1]/bibliographic-data[1]/priority-claims[1]/priority-claim[2]",
                "patent-document[1]/bibliographic-data[1]/application-reference[1]/document-id[1]",
                "patent-document[1]/bibliographic-data[1]/pct-or-regional-filing-data[1]/document-id[1]",
                "patent-document[1]/bibliographic-data[1]/publication-reference[1]/document-id[1]",
            ])
        #expect(record.events.allSatisfy { $0.source.file == "st36-kz-patent.xml" && $0.source.format == .st36 })
    }

    @Test func aUtilityModelDividedOutWithoutOptionalElements() throws {
        let record = try #require(
            try RegisterReader.read(path: ST96ReaderTests.fixture("st36-kz-utility-model-divisional.xml")).first)
        #expect(record.kind == .utilityModel)
        #expect(record.application?.number == "2025/0311.2")
        #expect(record.parent == RegisterApplication(office: .kazakhstan, number: "2024/0788.1", date: date("2024-11-05")))
        #expect(record.priorities.isEmpty && record.parties.isEmpty && record.ipc.isEmpty)
        #expect(record.pctApplication == nil && record.pctPublication == nil)
        #expect(record.grantDate == nil && record.grantNumber == nil)
        // No lang attribute on the title: the document's language.
        #expect(record.titles == ["kk": "Жылу алмастырғыш"])
        #expect(record.events.map(\.kind) == [.filed, .published])
        #expect(record.events.last?.reference == "9123")
    }

    @Test func aTruncatedFileIsMalformedAtItsLastLine() throws {
        #expect {
            try RegisterReader.read(path: ST96ReaderTests.fixture("st36-truncated.xml"))
        } throws: { error in
            guard case RegisterError.malformed(let file, let line, _) = error else { return false }
            return file == "st36-truncated.xml" && line >= 6
        }
    }
}
