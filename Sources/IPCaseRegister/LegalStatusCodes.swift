import Foundation
import IPCase

/// One row of the legal-status table: a register's code, for an office, and the docket event it
/// means, with where its date, fee year and state are read, its source and whether it is confirmed.
public struct LegalStatusCode: Sendable, Hashable, Codable {
    /// Which register's codes a row belongs to.
    public enum Scheme: String, Sendable, Hashable, Codable {
        /// INPADOC legal-status codes (OPS `ops:legal`); national `REG` codes are keyed `REG/` + the code.
        case inpadoc
        /// The EP Register's procedural-step codes (`reg:procedural-step-code`).
        case epRegister = "ep-register"
    }

    /// The register the code is from.
    public var scheme: Scheme
    /// The code, e.g. `PGFP`, `REG/FG4D`, `RFEE`.
    public var code: String
    /// The office the code is used by (`EP`, `GB` …), or `*` for any office without its own row.
    public var office: String
    /// The docket event it means; `nil` for a code that is known but is not a docket event.
    public var event: RightEventKind?
    /// What the code means, in the register's words.
    public var meaning: String
    /// Where its date is, tried in order: OPS fields (`L525EP`) or EP Register date types (`DATE_OF_PAYMENT`).
    public var dateFields: [String]
    /// Where the fee year is (`L520EP`, `YEAR`), for a fee paid.
    public var yearField: String?
    /// Where the state or reference is (`L501EP`).
    public var referenceField: String?
    /// The published text the row was taken from.
    public var source: String
    /// Whether the row has been checked against its source.
    public var status: RuleStatus
    /// What a reviewer should know.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case scheme, code, office, event, meaning, source, status, note
        case dateFields = "date_fields"
        case yearField = "year_field"
        case referenceField = "reference_field"
    }
}

/// The table that maps register codes to docket events, read from
/// `Sources/IPCaseRegister/Data/legal-status-codes.json` (embedded at build time): the mapping is
/// data with its sources, not a `switch`.
///
/// ```swift
/// let row = LegalStatusCodes.standard.row(.inpadoc, code: "PGFP", office: "EP")
/// row?.event       // .annuityPaid
/// row?.yearField   // "L520EP"
/// ```
public struct LegalStatusCodes: Sendable, Hashable {
    /// Every row, in file order.
    public let rows: [LegalStatusCode]
    private let index: [String: Int]

    /// The table embedded in this build (a test checks that it loads and that every row has a source).
    public static let standard: LegalStatusCodes = {
        guard let file = EmbeddedFiles.all.first(where: { $0.path == "legal-status-codes.json" }) else {
            preconditionFailure("the embedded data lacks legal-status-codes.json")
        }
        do {
            return try LegalStatusCodes(json: Data(file.contents.utf8))
        } catch {
            preconditionFailure("legal-status-codes.json does not load: \(error)")
        }
    }()

    private struct File: Decodable {
        var codes: [LegalStatusCode]
    }

    /// Reads a table in the format of `Data/legal-status-codes.json`.
    /// - Throws: `DecodingError` naming what is wrong, or `LegalStatusCodes.Duplicate` for a code
    ///   given twice for one office.
    public init(json: Data) throws {
        let rows = try JSONDecoder().decode(File.self, from: json).codes
        var index: [String: Int] = [:]
        for (position, row) in rows.enumerated() {
            let key = Self.key(row.scheme, row.code, row.office)
            guard index[key] == nil else { throw Duplicate(key: key) }
            index[key] = position
        }
        self.rows = rows
        self.index = index
    }

    /// A code given twice for one office in a table.
    public struct Duplicate: Error, Hashable, Sendable, CustomStringConvertible {
        /// `scheme code@office`.
        public let key: String
        public var description: String { "legal-status table: \(key) is given twice" }
    }

    private static func key(_ scheme: LegalStatusCode.Scheme, _ code: String, _ office: String)
        -> String
    {
        "\(scheme.rawValue) \(code.uppercased())@\(office.uppercased())"
    }

    /// The row for `code` as used by `office`, or the row for any office (`*`); `nil` when the
    /// table does not have the code.
    public func row(_ scheme: LegalStatusCode.Scheme, code: String, office: String?)
        -> LegalStatusCode?
    {
        if let office, let position = index[Self.key(scheme, code, office)] { return rows[position] }
        return index[Self.key(scheme, code, "*")].map { rows[$0] }
    }
}
