/// An ISO 4217 currency with its minor-unit exponent (KZT 2: 1 tenge = 100 tiyn; JPY 0; KWD 3).
///
/// Only the currencies in ``known`` exist, so a stored code always decodes to the same exponent.
///
/// ```swift
/// Currency(code: "kzt")?.minorUnitExponent   // 2
/// Currency.jpy.minorUnitsPerMajor            // 1
/// ```
public struct Currency: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The three-letter upper-case ISO 4217 code.
    public let code: String
    /// The number of decimal places of the minor unit (0–3).
    public let minorUnitExponent: Int

    private init(_ code: String, _ exponent: Int) {
        self.code = code
        self.minorUnitExponent = exponent
    }

    /// Looks a currency up by its code (case-insensitive); `nil` when it is not in ``known``.
    public init?(code: String) {
        guard let found = Currency.byCode[code.uppercased()] else { return nil }
        self = found
    }

    /// Kazakhstani tenge (100 tiyn).
    public static let kzt = Currency("KZT", 2)
    /// US dollar.
    public static let usd = Currency("USD", 2)
    /// Euro.
    public static let eur = Currency("EUR", 2)
    /// Russian rouble.
    public static let rub = Currency("RUB", 2)
    /// Chinese yuan renminbi.
    public static let cny = Currency("CNY", 2)
    /// Pound sterling.
    public static let gbp = Currency("GBP", 2)
    /// Swiss franc.
    public static let chf = Currency("CHF", 2)
    /// Japanese yen (no minor unit).
    public static let jpy = Currency("JPY", 0)
    /// Korean won (no minor unit).
    public static let krw = Currency("KRW", 0)
    /// Kuwaiti dinar (1 000 fils).
    public static let kwd = Currency("KWD", 3)

    /// Every currency IPCase knows, by code.
    public static let known: [Currency] = [
        kzt, usd, eur, rub, cny, gbp, chf, jpy, krw, kwd,
        Currency("KGS", 2), Currency("UZS", 2), Currency("TJS", 2), Currency("TMT", 2),
        Currency("AZN", 2), Currency("AMD", 2), Currency("GEL", 2), Currency("BYN", 2),
        Currency("MNT", 2), Currency("TRY", 2), Currency("AED", 2), Currency("SAR", 2),
        Currency("QAR", 2), Currency("INR", 2), Currency("SGD", 2), Currency("HKD", 2),
        Currency("MYR", 2), Currency("CAD", 2), Currency("AUD", 2), Currency("SEK", 2),
        Currency("NOK", 2), Currency("DKK", 2), Currency("PLN", 2), Currency("CZK", 2),
        Currency("HUF", 2), Currency("ILS", 2), Currency("BHD", 3), Currency("OMR", 3),
        Currency("JOD", 3), Currency("ISK", 0), Currency("VND", 0),
    ].sorted()

    private static let byCode: [String: Currency] = Dictionary(
        uniqueKeysWithValues: known.map { ($0.code, $0) })

    /// Minor units in one major unit: 10 to the power of the exponent.
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnitExponent { result *= 10 }
        return result
    }

    /// The code, e.g. `KZT`.
    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Currency(code: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a known ISO 4217 currency"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
