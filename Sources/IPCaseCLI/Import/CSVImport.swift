import Foundation
import IPCase
import IPCaseStore
import SwiftCSV

/// `ipcase import`: a `RecordFile` read by its `RecordImporter`, every row and column
/// validated before anything is written, then written set-based in one transaction.
public enum CSVImport {
    /// Every problem found, one per line: `rights.csv row 17, column filing_date: '2023-02-30' is not a valid date`.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        /// The problems, in file order.
        public var lines: [String]
        /// What came of the file, for the closing line.
        public var outcome = "nothing was written"
        /// All lines, and a closing line saying nothing was written (or the file's other ``outcome``).
        public var description: String {
            let shown = lines.prefix(100).joined(separator: "\n")
            let more = lines.count > 100 ? "\n… and \(lines.count - 100) more problems" : ""
            return "\(shown)\(more)\n\(lines.count) problem(s); \(outcome)"
        }
    }

    /// What an import wrote.
    public struct Result: Sendable, Hashable {
        /// Rows read.
        public var rows: Int
        /// Records written.
        public var written: Int
        /// Deadline jobs queued.
        public var jobs: Int
    }

    /// How an import runs: where, as whom, and what else it reads.
    public struct Options: Sendable {
        /// The office imported into.
        public var office: ID<Office>
        /// The store.
        public var store: Store
        /// Who acts, as the audit trail names them.
        public var actor: String
        /// Rows of other offices (a file shared by offices) are skipped instead of refused.
        public var skipOtherOffices: Bool
        /// With agreements: their obligations.csv, imported in the same transaction.
        public var obligations: String?

        /// Options for importing into `office` as `actor`.
        public init(
            office: ID<Office>, store: Store, actor: String, skipOtherOffices: Bool = false, obligations: String? = nil
        ) {
            self.office = office
            self.store = store
            self.actor = actor
            self.skipOtherOffices = skipOtherOffices
            self.obligations = obligations
        }
    }

    /// Progress of the phases (`validating`, `writing`): phase, done, total.
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    /// Imports `file` from `path`: every row and column validated first; any problem →
    /// ``Problems`` and nothing written; else one transaction.
    public static func run(
        _ file: RecordFile, path: String, options: Options, progress: @escaping Progress
    ) async throws -> Result {
        switch file {
        case .parties: try await run(PartiesImporter.self, path: path, options: options, progress: progress)
        case .rights: try await run(RightsImporter.self, path: path, options: options, progress: progress)
        case .events: try await run(EventsImporter.self, path: path, options: options, progress: progress)
        case .agreements: try await run(AgreementsImporter.self, path: path, options: options, progress: progress)
        case .obligations: try await run(ObligationsImporter.self, path: path, options: options, progress: progress)
        case .payments: try await run(PaymentsImporter.self, path: path, options: options, progress: progress)
        case .costs: try await run(CostsImporter.self, path: path, options: options, progress: progress)
        case .policies: try await run(PoliciesImporter.self, path: path, options: options, progress: progress)
        case .startups: try await run(StartupsImporter.self, path: path, options: options, progress: progress)
        case .rounds: try await run(RoundsImporter.self, path: path, options: options, progress: progress)
        case .residencies: try await run(ResidenciesImporter.self, path: path, options: options, progress: progress)
        case .projects: try await run(ProjectsImporter.self, path: path, options: options, progress: progress)
        case .offers: try await run(OffersImporter.self, path: path, options: options, progress: progress)
        case .outreach: try await run(OutreachImporter.self, path: path, options: options, progress: progress)
        }
    }

    /// The one driver every record kind goes through: read and check the header, load what
    /// validation needs, validate every row (a row of another office refused or skipped), check
    /// across rows, then write everything in one transaction — or report every problem and
    /// write nothing.
    static func run<Importer: RecordImporter>(
        _ importer: Importer.Type, path: String, options: Options, progress: @escaping Progress
    ) async throws -> Result {
        let table = try CSVTable.read(path: path, file: Importer.file)
        let officeName = try await options.store.withOffice(options.office, actor: options.actor) { session in
            try await session.currentOffice().value.name
        }
        var importer = try await Importer(table: table, options: options)
        var problems = RowProblems(file: table.name)
        var records: [Importer.Record] = []
        for row in table.rows {
            if row.index % 1000 == 0 { progress("validating", row.index, table.rows.count) }
            if Importer.file.namesOffice {
                let given = row["office"]
                if !given.isEmpty, given != officeName {
                    if !options.skipOtherOffices {
                        problems.add(
                            row, "office",
                            "'\(given)' is not the office imported into ('\(officeName)'); use --skip-other-offices for a shared file"
                        )
                    }
                    continue
                }
            }
            if let record = importer.validate(row, &problems) { records.append(record) }
        }
        progress("validating", table.rows.count, table.rows.count)
        try await importer.finish(&records, &problems)
        guard problems.isEmpty else { throw Problems(lines: problems.lines) }
        let toWrite = records
        let finished = importer
        progress("writing", 0, toWrite.count)
        let written = try await options.store.withOffice(options.office, actor: options.actor) { session in
            try await finished.write(toWrite, in: session, progress: progress)
        }
        progress("writing", toWrite.count, toWrite.count)
        return Result(rows: table.rows.count, written: written.records, jobs: written.jobs)
    }
}

/// How one kind of record is read from its `RecordFile`: what validation needs from the store,
/// one row's checks, checks across rows, and the set-based write. `CSVImport` drives it.
protocol RecordImporter: Sendable {
    /// What a valid row becomes.
    associatedtype Record: Sendable
    /// The file it reads.
    static var file: RecordFile { get }
    /// Loads what validating the rows needs (keys of stored records), before any row is checked.
    init(table: CSVTable, options: CSVImport.Options) async throws
    /// Checks one row of the importer's office, noting every problem; the record to write, or
    /// `nil` when the row is invalid (or skipped).
    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record?
    /// Checks across rows or other files after the last row (none by default).
    mutating func finish(_ records: inout [Record], _ problems: inout RowProblems) async throws
    /// Writes the records in the import's transaction, set-based; returns the records written
    /// and the deadline jobs queued.
    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
}

extension RecordImporter {
    func finish(_ records: inout [Record], _ problems: inout RowProblems) async throws {}
}

/// A parsed file: its name (for messages), header and rows.
struct CSVTable: Sendable {
    var name: String
    var header: [String]
    var rows: [CSVRow]

    /// Reads `path` with SwiftCSV once `CSVStructure` accepted it (UTF-8, quotes closed), checks
    /// its header against `file`'s columns and refuses NUL characters, naming row and column.
    static func read(path: String, file: RecordFile) throws -> CSVTable {
        try read(path: path, columns: file.columns)
    }

    /// Reads `path` as ``read(path:file:)`` does, for a file whose header must have `columns`.
    static func read(path: String, columns: [String]) throws -> CSVTable {
        let name = (path as NSString).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.usage("\(path): cannot read the file (\(error.localizedDescription))")
        }
        let text = try CSVStructure.text(of: data, name: name)
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw CLIError.usage("\(name): not a CSV file (\(error))")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let missing = columns.filter { !header.contains($0) }
        if !missing.isEmpty {
            throw CSVImport.Problems(lines: [
                "\(name) row 1: missing column(s) \(missing.joined(separator: ", ")); expected \(columns.joined(separator: ","))"
            ])
        }
        var positions: [String: Int] = [:]
        for (index, column) in header.enumerated() where positions[column] == nil { positions[column] = index }
        let fields = csv.rows.filter { !($0.count == 1 && $0[0].isEmpty) }
        let rows = fields.enumerated().map { CSVRow(index: $0.offset, fields: $0.element, positions: positions) }
        // A NUL byte is valid UTF-8 but no database text can hold it: a field error, not a database one.
        var problems = RowProblems(file: name)
        for row in rows {
            for (column, field) in row.fields.enumerated() where field.utf8.contains(0) {
                problems.add(row, column < header.count ? header[column] : "\(column + 1)", "contains a NUL character")
            }
        }
        if !problems.isEmpty { throw CSVImport.Problems(lines: problems.lines) }
        return CSVTable(name: name, header: header, rows: rows)
    }

    /// Every value of `column` in the file (trimmed), e.g. the references to look up.
    func values(_ column: String) -> [String] { rows.map { $0[column] } }
}

/// One data row of a file.
struct CSVRow: Sendable {
    /// 0 for the first data row.
    var index: Int
    var fields: [String]
    var positions: [String: Int]

    /// The row's number as a spreadsheet shows it (the header is row 1).
    var line: Int { index + 2 }

    /// The value of `column` (trimmed), or "" when the row is short or the column absent.
    subscript(_ column: String) -> String {
        guard let index = positions[column], index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
    }

    /// The `;`-separated values of `column`, trimmed, without empty ones.
    func list(_ column: String) -> [String] {
        self[column].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The keys of the `;`-separated names in `column`; each name `keys` lacks is noted as not `unknown`.
    func keys<Key>(_ column: String, in keys: [String: Key], _ problems: inout RowProblems, unknown: String) -> [Key] {
        list(column).compactMap { name in
            if let key = keys[name] { return key }
            problems.add(self, column, "'\(name)' is not \(unknown)")
            return nil
        }
    }

    /// The currency in `column` (`KZT`), or `nil`, noted as a problem when it is not one.
    func currency(_ column: String, _ problems: inout RowProblems) -> Currency? {
        do throws(FieldProblem) {
            return try FieldValues.currency(self[column])
        } catch {
            problems.add(self, column, error.text)
            return nil
        }
    }

    /// The amount in `column` in `currency`, or `nil`: when empty and not `required` (else
    /// noted), when it is not an amount (noted), or when the currency was not valid (already noted).
    func amount(
        _ column: String, in currency: Currency?, _ problems: inout RowProblems, required: Bool = true,
        allowZero: Bool = true
    ) -> Money? {
        guard let currency, required || !self[column].isEmpty else { return nil }
        do throws(FieldProblem) {
            return try FieldValues.amount(self[column], in: currency, allowZero: allowZero)
        } catch {
            problems.add(self, column, error.text)
            return nil
        }
    }

    /// The date in `column`, or `nil` (noted as a problem when it is not a date, or missing but `required`).
    func date(_ column: String, _ problems: inout RowProblems, required: Bool = false) -> CivilDate? {
        let text = self[column]
        if text.isEmpty {
            if required { problems.add(self, column, "a date is required") }
            return nil
        }
        guard let value = try? CivilDate(iso: text), text.count == 10 else {
            problems.add(self, column, "'\(text)' is not a valid date")
            return nil
        }
        return value
    }
}

/// The problems of one file, each naming its row and column.
struct RowProblems: Sendable {
    var file: String
    var lines: [String] = []
    var isEmpty: Bool { lines.isEmpty }

    mutating func add(_ row: CSVRow, _ column: String, _ text: String) {
        lines.append("\(file) row \(row.line), column \(column): \(text)")
    }

    mutating func add(line: Int, _ column: String, _ text: String) {
        lines.append("\(file) row \(line), column \(column): \(text)")
    }
}
