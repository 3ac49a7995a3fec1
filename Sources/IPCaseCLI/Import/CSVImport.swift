import Foundation
import IPCase
import IPCaseReports
import IPCaseStore
import SwiftCSV

/// Where an import's transactions run: a `Store` (the command line's, acting as the
/// `--actor` it is given) or a web session's (acting as its user, whatever `actor` says).
public protocol ImportTransactions: Sendable {
    /// Runs `body` in one transaction scoped to `office` (`Store.withOffice(_:actor:_:)`).
    func withOffice<T: Sendable>(
        _ office: ID<Office>, actor: String, _ body: @Sendable (OfficeSession) async throws -> T
    ) async throws -> T
    /// Runs `body` in one transaction across offices (`Store.withService(actor:_:)`): only
    /// `--skip-other-offices` asks for it.
    func withService<T: Sendable>(actor: String, _ body: @Sendable (ServiceSession) async throws -> T) async throws -> T
}

extension Store: ImportTransactions {}

/// `ipcase import`: a `RecordFile` read by its `RecordImporter`, every row and column
/// validated before anything is written, then written set-based in one transaction.
public enum CSVImport {
    /// One problem of a file: its row (1 is the header) and column when it has them, what is
    /// wrong, and the row's fields as read.
    public struct Problem: Sendable, Hashable {
        /// The file's name.
        public var file: String
        /// The row as a spreadsheet numbers it (1 is the header); `nil` for the whole file.
        public var row: Int?
        /// The column, `nil` for the whole row.
        public var column: String?
        /// What is wrong (English, as the command line prints it).
        public var message: String
        /// The catalog message that says what is wrong in every language (`import.problem.…`),
        /// `nil` for a problem that has only its English ``message`` (a workflow's own text).
        public var key: String?
        /// The values the catalog message's placeholders take.
        public var arguments: [String: String]
        /// The row's fields as read, in the file's column order (empty when not known).
        public var fields: [String]

        /// A problem said in English only.
        public init(file: String, row: Int?, column: String? = nil, message: String, fields: [String] = []) {
            self.file = file
            self.row = row
            self.column = column
            self.message = message
            self.key = nil
            self.arguments = [:]
            self.fields = fields
        }

        /// A problem said by the catalog message `key` with `arguments` (``message`` is its English text).
        public init(
            file: String, row: Int?, column: String? = nil, key: String, arguments: [String: String] = [:],
            fields: [String] = []
        ) {
            self.file = file
            self.row = row
            self.column = column
            self.message = Localizer(.english)(key, arguments)
            self.key = key
            self.arguments = arguments
            self.fields = fields
        }

        /// What is wrong in the language of `t`: the catalog's message, or the English
        /// ``message`` of a problem that has no key.
        ///
        /// ```swift
        /// problem.message(in: Localizer(.russian))   // "«2023-02-30» — недопустимая дата"
        /// ```
        public func message(in t: Localizer) -> String {
            guard let key else { return message }
            return (try? t.catalog.message(key, arguments)) ?? message
        }

        /// The line the command line prints: `rights.csv row 17, column filing_date: '2023-02-30' is not a valid date`.
        public var line: String {
            var text = file
            if let row { text += " row \(row)" }
            if let column { text += ", column \(column)" }
            return text + ": " + message
        }
    }

    /// Every problem found, one per line: `rights.csv row 17, column filing_date: '2023-02-30' is not a valid date`.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        /// The problems, in file order.
        public var items: [Problem]
        /// The file's header, when it was read (the columns ``Problem/fields`` are in).
        public var header: [String]
        /// What came of the file, for the closing line.
        public var outcome: String

        /// The problems `items` of a file with `header`.
        public init(_ items: [Problem], header: [String] = [], outcome: String = "nothing was written") {
            self.items = items
            self.header = header
            self.outcome = outcome
        }

        /// The problems as the command line prints them, in file order.
        public var lines: [String] { items.map(\.line) }

        /// All lines, and a closing line saying nothing was written (or the file's other ``outcome``).
        public var description: String {
            let shown = lines.prefix(100).joined(separator: "\n")
            let more = lines.count > 100 ? "\n… and \(lines.count - 100) more problems" : ""
            return "\(shown)\(more)\n\(lines.count) problem(s); \(outcome)"
        }
    }

    /// What an import wrote (or, checked only, would write).
    public struct Result: Sendable, Hashable {
        /// Rows read.
        public var rows: Int
        /// Records the valid rows make (rows of other offices skipped are not among them).
        public var records: Int
        /// Records written (0 when only checked).
        public var written: Int
        /// Deadline jobs queued.
        public var jobs: Int

        /// What an import of `rows` rows making `records` records wrote.
        public init(rows: Int, records: Int, written: Int, jobs: Int) {
            self.rows = rows
            self.records = records
            self.written = written
            self.jobs = jobs
        }
    }

    /// Where an import reads its file: a path, or bytes already in memory (an upload) with the
    /// file's name for messages.
    public enum Source: Sendable {
        case path(String)
        case bytes(Data, name: String)
    }

    /// How an import runs: where, as whom, and what else it reads.
    public struct Options: Sendable {
        /// The office imported into.
        public var office: ID<Office>
        /// Where its transactions run.
        public var transactions: any ImportTransactions
        /// Who acts, as the audit trail names them.
        public var actor: String
        /// Rows of other offices (a file shared by offices) are skipped instead of refused.
        public var skipOtherOffices: Bool
        /// With agreements: their obligations.csv, imported in the same transaction.
        public var obligations: String?

        /// Options for importing into `office` as `actor`, in transactions of `store`.
        public init(
            office: ID<Office>, store: Store, actor: String, skipOtherOffices: Bool = false, obligations: String? = nil
        ) {
            self.init(
                office: office, transactions: store, actor: actor, skipOtherOffices: skipOtherOffices,
                obligations: obligations)
        }

        /// Options for importing into `office` as `actor`, in `transactions`.
        public init(
            office: ID<Office>, transactions: any ImportTransactions, actor: String, skipOtherOffices: Bool = false,
            obligations: String? = nil
        ) {
            self.office = office
            self.transactions = transactions
            self.actor = actor
            self.skipOtherOffices = skipOtherOffices
            self.obligations = obligations
        }

        /// Runs `body` in one transaction scoped to the office, as the actor.
        func withOffice<T: Sendable>(_ body: @Sendable (OfficeSession) async throws -> T) async throws -> T {
            try await transactions.withOffice(office, actor: actor, body)
        }
    }

    /// Progress of the phases (`validating`, `writing`): phase, done, total.
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    /// Imports `file` from `path`: every row and column validated first; any problem →
    /// ``Problems`` and nothing written; else one transaction.
    public static func run(
        _ file: RecordFile, path: String, options: Options, progress: @escaping Progress
    ) async throws -> Result {
        try await run(file, source: .path(path), options: options, progress: progress)
    }

    /// Imports `file` from `source` as ``run(_:path:options:progress:)`` does.
    public static func run(
        _ file: RecordFile, source: Source, options: Options, progress: @escaping Progress
    ) async throws -> Result {
        try await run(importer(of: file), source: source, options: options, writing: true, progress: progress)
    }

    /// Checks `file` from `source` as an import would, writing nothing: ``Problems`` with every
    /// problem the rows have, or what the import would write (``Result/written`` is 0). The
    /// write itself may still refuse what only it can check (an event's workflow transition).
    public static func check(
        _ file: RecordFile, source: Source, options: Options, progress: @escaping Progress
    ) async throws -> Result {
        try await run(importer(of: file), source: source, options: options, writing: false, progress: progress)
    }

    /// The importer of each record kind.
    static func importer(of file: RecordFile) -> any RecordImporter.Type {
        switch file {
        case .parties: PartiesImporter.self
        case .rights: RightsImporter.self
        case .events: EventsImporter.self
        case .agreements: AgreementsImporter.self
        case .obligations: ObligationsImporter.self
        case .payments: PaymentsImporter.self
        case .costs: CostsImporter.self
        case .policies: PoliciesImporter.self
        case .startups: StartupsImporter.self
        case .rounds: RoundsImporter.self
        case .residencies: ResidenciesImporter.self
        case .projects: ProjectsImporter.self
        case .offers: OffersImporter.self
        case .outreach: OutreachImporter.self
        }
    }

    /// The one driver every record kind goes through: read and check the header, load what
    /// validation needs, validate every row (a row of another office refused or skipped), check
    /// across rows, then (`writing`) write everything in one transaction — or report every
    /// problem and write nothing.
    static func run<Importer: RecordImporter>(
        _ importer: Importer.Type, source: Source, options: Options, writing: Bool, progress: @escaping Progress
    ) async throws -> Result {
        let table = try CSVTable.read(source, columns: Importer.file.columns)
        let officeName = try await options.withOffice { session in
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
                            row, "office", key: "import.problem.other-office", ["value": given, "office": officeName])
                    }
                    continue
                }
            }
            if let record = importer.validate(row, &problems) { records.append(record) }
        }
        progress("validating", table.rows.count, table.rows.count)
        try await importer.finish(&records, &problems)
        guard problems.isEmpty else { throw Problems(problems.items, header: table.header) }
        guard writing else { return Result(rows: table.rows.count, records: records.count, written: 0, jobs: 0) }
        let toWrite = records
        let finished = importer
        progress("writing", 0, toWrite.count)
        let written: (records: Int, jobs: Int)
        do {
            written = try await options.withOffice { session in
                try await finished.write(toWrite, in: session, progress: progress)
            }
        } catch var refused as Problems {
            refused.header = table.header
            throw refused
        }
        progress("writing", toWrite.count, toWrite.count)
        return Result(rows: table.rows.count, records: toWrite.count, written: written.records, jobs: written.jobs)
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
        try read(.path(path), columns: file.columns)
    }

    /// Reads `source` as ``read(path:file:)`` does, for a file whose header must have `columns`.
    static func read(_ source: CSVImport.Source, columns: [String]) throws -> CSVTable {
        let name: String
        let data: Data
        switch source {
        case .path(let path):
            name = (path as NSString).lastPathComponent
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CLIError.usage("\(path): cannot read the file (\(error.localizedDescription))")
            }
        case .bytes(let bytes, let given):
            (name, data) = (given, bytes)
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
            throw CSVImport.Problems(
                [
                    CSVImport.Problem(
                        file: name, row: 1, key: "import.problem.missing-columns",
                        arguments: [
                            "missing": missing.joined(separator: ", "), "expected": columns.joined(separator: ","),
                        ],
                        fields: header)
                ], header: header)
        }
        var positions: [String: Int] = [:]
        for (index, column) in header.enumerated() where positions[column] == nil { positions[column] = index }
        let fields = csv.rows.filter { !($0.count == 1 && $0[0].isEmpty) }
        let rows = fields.enumerated().map { CSVRow(index: $0.offset, fields: $0.element, positions: positions) }
        // A NUL byte is valid UTF-8 but no database text can hold it: a field error, not a database one.
        var problems = RowProblems(file: name)
        for row in rows {
            for (column, field) in row.fields.enumerated() where field.utf8.contains(0) {
                problems.add(row, column < header.count ? header[column] : "\(column + 1)", key: "import.problem.nul")
            }
        }
        if !problems.isEmpty { throw CSVImport.Problems(problems.items, header: header) }
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

    /// The keys of the `;`-separated names in `column`; each name `keys` lacks is noted as not a
    /// record of this office of the kind `unknown` (`party`, `right`, `disclosure`: the catalog's
    /// `import.problem.not-party` …).
    func keys<Key>(_ column: String, in keys: [String: Key], _ problems: inout RowProblems, unknown: String) -> [Key] {
        list(column).compactMap { name in
            if let key = keys[name] { return key }
            problems.add(self, column, key: "import.problem.not-\(unknown)", ["value": name])
            return nil
        }
    }

    /// The currency in `column` (`KZT`), or `nil`, noted as a problem when it is not one.
    func currency(_ column: String, _ problems: inout RowProblems) -> Currency? {
        do throws(FieldProblem) {
            return try FieldValues.currency(self[column])
        } catch {
            problems.add(self, column, error)
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
            problems.add(self, column, error)
            return nil
        }
    }

    /// The date in `column`, or `nil` (noted as a problem when it is not a date, or missing but `required`).
    func date(_ column: String, _ problems: inout RowProblems, required: Bool = false) -> CivilDate? {
        let text = self[column]
        if text.isEmpty {
            if required { problems.add(self, column, key: "import.problem.date-required") }
            return nil
        }
        guard let value = try? CivilDate(iso: text), text.count == 10 else {
            problems.add(self, column, key: "import.problem.date-invalid", ["value": text])
            return nil
        }
        return value
    }
}

/// The problems of one file, each naming its row and column.
struct RowProblems: Sendable {
    var file: String
    var items: [CSVImport.Problem] = []
    var isEmpty: Bool { items.isEmpty }
    var lines: [String] { items.map(\.line) }

    mutating func add(_ row: CSVRow, _ column: String, _ text: String) {
        items.append(CSVImport.Problem(file: file, row: row.line, column: column, message: text, fields: row.fields))
    }

    /// A problem of `row` in `column` said by the catalog message `key`.
    mutating func add(_ row: CSVRow, _ column: String, key: String, _ arguments: [String: String] = [:]) {
        items.append(
            CSVImport.Problem(
                file: file, row: row.line, column: column, key: key, arguments: arguments, fields: row.fields))
    }

    /// A value's problem, in every language where the parser said it by a catalog key.
    mutating func add(_ row: CSVRow, _ column: String, _ problem: FieldProblem) {
        guard let key = problem.key else { return add(row, column, problem.text) }
        add(row, column, key: key, problem.arguments)
    }

    mutating func add(line: Int, _ column: String, _ text: String) {
        items.append(CSVImport.Problem(file: file, row: line, column: column, message: text))
    }
}
