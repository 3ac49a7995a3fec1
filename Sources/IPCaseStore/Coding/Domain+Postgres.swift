import IPCase
import PostgresClient

// The domain's value types as PostgreSQL parameters and columns (text format).

extension CivilDate: PostgresEncodable, PostgresDecodable {
    /// `date`.
    public static var postgresType: PostgresType { .date }
    /// `date[]`.
    public static var postgresArrayType: PostgresType { .dateArray }
    /// `YYYY-MM-DD`.
    public var postgresText: String? { description }
    /// Decodes `YYYY-MM-DD`.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        do {
            self = try CivilDate(iso: text)
        } catch {
            throw PostgresDecodingFailure("not a date in YYYY-MM-DD form")
        }
    }
}

extension ID: PostgresEncodable, PostgresDecodable {
    /// `int8`.
    public static var postgresType: PostgresType { .int8 }
    /// `int8[]`.
    public static var postgresArrayType: PostgresType { .int8Array }
    /// The key's decimal digits.
    public var postgresText: String? { String(rawValue) }
    /// Decodes a `bigint` key.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Int64(text) else { throw PostgresDecodingFailure("not a bigint key") }
        self.init(rawValue: value)
    }
}

extension Jurisdiction: PostgresEncodable, PostgresDecodable {
    /// Sent as text.
    public static var postgresType: PostgresType { .text }
    /// `text[]`.
    public static var postgresArrayType: PostgresType { .textArray }
    /// The two-letter code.
    public var postgresText: String? { code }
    /// Decodes a two-letter code.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Jurisdiction(text) else { throw PostgresDecodingFailure("not a two-letter office code") }
        self = value
    }
}

extension Country: PostgresEncodable, PostgresDecodable {
    /// Sent as text.
    public static var postgresType: PostgresType { .text }
    /// `text[]`.
    public static var postgresArrayType: PostgresType { .textArray }
    /// The two-letter code.
    public var postgresText: String? { code }
    /// Decodes a two-letter code.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Country(text) else { throw PostgresDecodingFailure("not a two-letter country code") }
        self = value
    }
}

extension Currency: PostgresEncodable, PostgresDecodable {
    /// Sent as text.
    public static var postgresType: PostgresType { .text }
    /// `text[]`.
    public static var postgresArrayType: PostgresType { .textArray }
    /// The ISO 4217 code.
    public var postgresText: String? { code }
    /// Decodes a known ISO 4217 code.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Currency(code: text) else { throw PostgresDecodingFailure("not a known currency code") }
        self = value
    }
}

extension BasisPoints: PostgresEncodable, PostgresDecodable {
    /// `int4`.
    public static var postgresType: PostgresType { .int4 }
    /// `int4[]`.
    public static var postgresArrayType: PostgresType { .int4Array }
    /// The number of basis points.
    public var postgresText: String? { String(value) }
    /// Decodes 0–10 000.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let number = Int(text), let value = BasisPoints(points: number) else {
            throw PostgresDecodingFailure("not basis points 0–10000")
        }
        self = value
    }
}

/// A raw-value enum of the domain (states, kinds, roles) stored as its raw value in a text column.
public protocol PostgresTextEnum: PostgresEncodable, PostgresDecodable, RawRepresentable
where RawValue == String {}

extension PostgresTextEnum {
    /// Sent as text.
    public static var postgresType: PostgresType { .text }
    /// `text[]`.
    public static var postgresArrayType: PostgresType { .textArray }
    /// The raw value.
    public var postgresText: String? { rawValue }
    /// Decodes a known raw value.
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingFailure) {
        guard let value = Self(rawValue: text) else {
            throw PostgresDecodingFailure("not a known \(Self.self) value")
        }
        self = value
    }
}

extension RightKind: PostgresTextEnum {}
extension RightEventKind: PostgresTextEnum {}
extension Region: PostgresTextEnum {}
extension Office.Kind: PostgresTextEnum {}
extension Party.Kind: PostgresTextEnum {}
extension Party.Role: PostgresTextEnum {}
extension Party.Sector: PostgresTextEnum {}
extension Party.Gender: PostgresTextEnum {}
extension Party.CareerStage: PostgresTextEnum {}
extension Disclosure.FundingSource: PostgresTextEnum {}
extension Agreement.Kind: PostgresTextEnum {}
extension Payment.Kind: PostgresTextEnum {}
