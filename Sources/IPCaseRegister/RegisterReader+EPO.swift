import Foundation

extension RegisterReader {
    /// The root element the EPO's formats share (OPS published data, family, legal; the EP Register).
    static let epoRoot = "world-patent-data"

    /// The EPO format of a file whose root is `world-patent-data`, told by the first element of a
    /// known kind below it: `exchange-documents` (bibliographic), `patent-family` (the family, or
    /// its legal status when marked `legal="true"` or holding `ops:legal`), `register-documents`
    /// (the EP Register); `nil` when none is found in `head`.
    static func epoFormat(head: String) -> RegisterFormat? {
        var rest = Substring(head)
        var tags = 0
        while let open = rest.firstIndex(of: "<"), tags < 16 {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { return nil }
            let tag = after[..<close]
            rest = after[after.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasPrefix("!") || tag.hasPrefix("/") { continue }
            tags += 1
            let qualified = tag.prefix { !$0.isWhitespace && $0 != "/" }
            switch qualified.split(separator: ":").last.map(String.init) ?? "" {
            case "exchange-documents", "exchange-document": return .opsBiblio
            case "patent-family":
                let legal =
                    tag.contains("legal=\"true\"") || head.contains(":legal ") || head.contains("<legal ")
                return legal ? .opsLegal : .opsFamily
            case "register-documents", "register-document": return .epRegister
            default: continue
            }
        }
        return nil
    }
}
