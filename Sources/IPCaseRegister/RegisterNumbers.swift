import IPCase

/// Application numbers as registers write them and as the docket keeps them.
///
/// The docket's forms (those `rights.csv` and the CLI use): KZ `2023/0123.1`, EA `202391234`,
/// WO `PCT/KZ2024/050325`, EP `23 812 345.6`, US `17/123,456`; any other office's number is
/// kept as given. Registers write the same numbers as `20230123.1`, `EP23812345`, `23812345.6`,
/// `KZ2024050325`, `PCT/KZ24/050325`, `17123456`: ``docketForm(_:office:)`` turns each into the
/// docket's form, and ``matchKey(_:office:)`` gives the key two forms of one number share.
public enum RegisterNumbers {
    /// The ASCII digits of `text`, in order.
    static func digits(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.lazy.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
    }

    /// `raw` without leading and trailing spaces and tabs (and other Unicode spaces), looked at
    /// as bytes first: most numbers have none.
    static func trimmed(_ raw: String) -> String {
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 != 0x20 && $0 != 0x09 && $0 < 0x80 } ?? true }
        if plain(raw.utf8.first) && plain(raw.utf8.last) { return raw }
        return raw.trimmingCharacters(in: .whitespaces)
    }

    /// The number in the docket's form for `office`, or `raw` trimmed when it does not have the
    /// shape of that office's numbers.
    public static func docketForm(_ raw: String, office: Jurisdiction?) -> String {
        let text = trimmed(raw)
        guard let office else { return text }
        var body = text.uppercased()
        if body.hasPrefix(office.code) && office != .pct { body.removeFirst(2) }
        let digits = Self.digits(body)
        switch office.code {
        case "KZ":
            // YYYY + 4-digit serial + kind digit: 2023/0123.1
            guard digits.count == 9 || digits.count == 8, digits.hasPrefix("19") || digits.hasPrefix("20") else {
                return text
            }
            let year = digits.prefix(4)
            let serial = digits.dropFirst(4).prefix(4)
            let kind = digits.count == 9 ? "." + digits.suffix(1) : ""
            return "\(year)/\(serial)\(kind)"
        case "EP":
            // YY + office digit + 5-digit serial (+ check digit): 23 812 345.6
            guard digits.count == 8 || digits.count == 9 else { return text }
            let head = Array(digits)
            let check = head.count == 9 ? ".\(head[8])" : ""
            return "\(String(head[0..<2])) \(String(head[2..<5])) \(String(head[5..<8]))\(check)"
        case "US":
            // series code + 6-digit serial: 17/123,456
            guard digits.count == 8 else { return text }
            let head = Array(digits)
            return "\(String(head[0..<2]))/\(String(head[2..<5])),\(String(head[5..<8]))"
        case "WO":
            return pctForm(body) ?? text
        default:
            return text
        }
    }

    /// `PCT/KZ2024/050325` from `PCT/KZ2024/050325`, `PCT/KZ24/050325`, `KZ2024050325`,
    /// `WO2024KZ050325` (DOCDB); `nil` when it is none of those.
    static func pctForm(_ text: String) -> String? {
        var body = text.uppercased().replacingOccurrences(of: " ", with: "")
        if body.hasPrefix("PCT/") { body.removeFirst(4) }
        if body.hasPrefix("WO") && body.count > 2 {
            // DOCDB: WO + year + country + serial
            let rest = body.dropFirst(2)
            let year = rest.prefix(4)
            let country = rest.dropFirst(4).prefix(2)
            let serial = rest.dropFirst(6)
            guard year.count == 4, year.allSatisfy(\.isASCIIDigit), country.allSatisfy(\.isLetter),
                serial.count == 6, serial.allSatisfy(\.isASCIIDigit)
            else { return nil }
            return "PCT/\(country)\(year)/\(serial)"
        }
        let country = body.prefix(2)
        guard country.count == 2, country.allSatisfy(\.isLetter) else { return nil }
        let digits = Self.digits(String(body.dropFirst(2)))
        switch digits.count {
        case 10: return "PCT/\(country)\(digits.prefix(4))/\(digits.suffix(6))"
        case 8:
            // A two-digit year (applications before 2004).
            let year = Int(digits.prefix(2)) ?? 0
            return "PCT/\(country)\(year < 78 ? 2000 + year : 1900 + year)/\(digits.suffix(6))"
        default: return nil
        }
    }

    /// The key two forms of one application number share: the office and the number's digits
    /// in the docket's form, without an EP check digit (DOCDB numbers omit it).
    public static func matchKey(_ raw: String, office: Jurisdiction?) -> String {
        let form = docketForm(raw, office: office)
        var digits = Self.digits(form)
        if office == .european, digits.count == 9 { digits.removeLast() }
        if office == .pct { return "WO:" + form.uppercased() }
        return "\(office?.code ?? "??"):\(digits.isEmpty ? form.uppercased() : digits)"
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
