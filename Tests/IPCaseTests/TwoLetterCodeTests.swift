import Foundation
import Testing

@testable import IPCase

@Suite("Two-letter codes: offices and countries")
struct TwoLetterCodeTests {
    @Test func officesAndCountriesAreWrittenAndReadAsTheBareCode() throws {
        let encoder = JSONEncoder()
        #expect(String(decoding: try encoder.encode([Jurisdiction.european]), as: UTF8.self) == #"["EP"]"#)
        #expect(String(decoding: try encoder.encode([Country.kazakhstan]), as: UTF8.self) == #"["KZ"]"#)
        let decoder = JSONDecoder()
        #expect(try decoder.decode([Jurisdiction].self, from: Data(#"["ea", "WO"]"#.utf8)) == [.eurasian, .pct])
        #expect(try decoder.decode([Country].self, from: Data(#"["de"]"#.utf8)) == [.germany])
        #expect(throws: DecodingError.self) { try decoder.decode([Country].self, from: Data(#"["K1"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode([Jurisdiction].self, from: Data(#"["EPO"]"#.utf8)) }
        #expect([Jurisdiction.unitedStates, .european, .kazakhstan].sorted().map(\.description) == ["EP", "KZ", "US"])
    }
}
