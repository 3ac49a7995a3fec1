import Foundation
import IPCase
import IPCaseRegister
import Testing

/// What the libxml2 SAX2 reader under every format does with the XML itself: CDATA, mixed
/// content, character references, namespaces, line numbers past 65 535, truncation, and
/// entities it must not resolve.
@Suite("Register files: the XML underneath")
struct XMLParsingTests {
    /// Writes `body` as an ST.36 document to a temporary file and returns its path.
    func document(_ body: String, head: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xml-\(UUID().uuidString).xml")
        try Data((head + body).utf8).write(to: url)
        return url.path
    }

    func application(_ number: String) -> String {
        """
        <bibliographic-data><application-reference><document-id><country>KZ</country>\
        <doc-number>\(number)</doc-number><date>20230314</date></document-id></application-reference>
        """
    }

    @Test func cdataMixedContentCharacterReferencesAndPrefixedNamesAreRead() throws {
        let path = try document(
            """
            <st36:patent-document xmlns:st36="http://www.wipo.int/standards/XMLSchema/ST36" lang="ru">
            \(application("20230123.1"))
            <invention-title st36:lang="en">Water (H<sub>2</sub>O) &amp; <![CDATA[<salt>]]> &#x2014; filter</invention-title>
            <invention-title lang="kk">Сүзгі</invention-title>
            </bibliographic-data></st36:patent-document>
            """)
        let record = try #require(try RegisterReader.read(path: path).first)
        #expect(record.application?.number == "20230123.1")
        #expect(record.titles["en"] == "Water (H2O) & <salt> — filter")
        #expect(record.titles["kk"] == "Сүзгі")
    }

    @Test func aLineNumberPastSixtyFiveThousandIsTheFilesOwn() throws {
        let padding = String(repeating: "\n", count: 70_000)
        let path = try document("<patent-document>\(padding)\(application("20230123.1"))<oops></bibliographic-data></patent-document>")
        #expect {
            try RegisterReader.read(path: path)
        } throws: { error in
            guard case RegisterError.malformed(_, let line, _) = error else { return false }
            return line == 70_002  // the declaration's line, the root's, then 70 000 line breaks
        }
    }

    @Test func aTruncatedFileNamesTheElementItEndsIn() throws {
        let path = try document("<patent-document>\(application("20230123.1"))<invention-title>Half a ti")
        #expect {
            try RegisterReader.read(path: path)
        } throws: { error in
            guard case RegisterError.malformed(_, _, let reason) = error else { return false }
            return reason.contains("ends inside <invention-title>")
        }
    }

    @Test func anExternalEntityIsNeverResolved() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString).txt")
        try Data("SECRET-VALUE".utf8).write(to: secret)
        let path = try document(
            "<patent-document>\(application("20230123.1"))<invention-title>&leak;</invention-title></bibliographic-data></patent-document>",
            head: "<?xml version=\"1.0\"?>\n<!DOCTYPE patent-document [<!ENTITY leak SYSTEM \"file://\(secret.path)\">]>\n")
        var titles: [String] = []
        do {
            titles = try RegisterReader.read(path: path).flatMap { $0.titles.values }
        } catch RegisterError.malformed(_, let line, let reason) {
            // The declaration is left out, so the reference is to an undeclared entity.
            #expect(line == 3 && reason.contains("leak"))
        }
        #expect(!titles.contains { $0.contains("SECRET") })
    }
}
