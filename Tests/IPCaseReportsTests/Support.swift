import Foundation
import IPCase
import Testing

/// A date from `YYYY-MM-DD` (test data is written correctly; a typo fails the test loudly).
func day(_ text: String) -> CivilDate {
    do { return try CivilDate(iso: text) } catch { fatalError("bad test date \(text)") }
}

/// Decodes JSON text into Foundation objects.
func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
