import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// The office option of tenant-scoped commands: the CLI runs in that office's row security.
struct OfficeOption: ParsableArguments {
    @Option(help: "The office (its key); its row security scopes everything read or written.")
    var office: Int64

    var id: ID<Office> { ID(rawValue: office) }

    /// Runs `body` in the office's session once the office is known to exist and to be readable
    /// by this login: a list of an office that is not there exits 2 naming the option, instead
    /// of printing an empty table.
    func reading<T: Sendable>(
        _ store: Store, as actor: String = ActorOption.loginUser,
        _ body: @escaping @Sendable (OfficeSession) async throws -> T
    ) async throws -> T {
        do {
            return try await store.withOffice(id, actor: actor) { session in
                _ = try await session.currentOffice()
                return try await body(session)
            }
        } catch StoreError.notFound(let record) where record == "office \(id)" {
            throw CLIError.noSuchOffice(id)
        }
    }
}

/// How `list` and `show` print: aligned text for people, JSON for tools.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The output option of `list` and `show`.
struct OutputOptions: ParsableArguments {
    @Option(help: "table or json.") var format: OutputFormat = .table
}

/// The optimistic-concurrency option of `update`.
struct VersionOption: ParsableArguments {
    @Option(
        name: .customLong("expect-version"),
        help: "Refuse unless the record is still at this version (the one `show` printed).")
    var expectVersion: Int?
}

/// Where a command's input came from, for errors that name the command and the option:
/// `payments create: --amount '12,5' is not an amount in KZT (use 12.50)`.
struct Input {
    /// The command, e.g. `payments create`.
    var command: String

    /// A usage error (exit 2) naming the command.
    func bad(_ text: String) -> CLIError { CLIError.usage("\(command): \(text)") }

    /// Parses the value of `option` with one of the shared ``FieldValues`` parsers.
    func value<T>(_ option: String, _ text: String, _ parse: (String) throws(FieldProblem) -> T) throws -> T {
        do throws(FieldProblem) { return try parse(text) } catch { throw bad("\(option) \(error.text)") }
    }

    /// Parses an optional option.
    func valueIfGiven<T>(_ option: String, _ text: String?, _ parse: (String) throws(FieldProblem) -> T) throws -> T? {
        guard let text else { return nil }
        return try value(option, text, parse)
    }

    /// Parses every value of a repeated option.
    func values<T>(_ option: String, _ texts: [String], _ parse: (String) throws(FieldProblem) -> T) throws -> [T] {
        try texts.map { try value(option, $0, parse) }
    }

    /// A date `YYYY-MM-DD`.
    func date(_ option: String, _ text: String?) throws -> CivilDate? {
        try valueIfGiven(option, text) { (text: String) throws(FieldProblem) -> CivilDate in
            guard text.count == 10, let day = try? CivilDate(iso: text) else {
                throw FieldProblem("'\(text)' is not a valid date (YYYY-MM-DD)")
            }
            return day
        }
    }

    /// One of an enumeration's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ option: String, _ text: String?, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        try valueIfGiven(option, text) { (text: String) throws(FieldProblem) -> T in try FieldValues.choice(text, type)
        }
    }

    /// A jurisdiction code such as `KZ` or `EP`.
    func jurisdiction(_ option: String, _ text: String?) throws -> Jurisdiction? {
        guard let text else { return nil }
        guard let code = Jurisdiction(text) else { throw bad("\(option) '\(text)' is not a jurisdiction code") }
        return code
    }

    /// An amount in major units in the currency of `currencyOption`.
    func amount(_ option: String, _ text: String?, currency: String?, currencyOption: String = "--currency") throws
        -> Money?
    {
        guard let text else { return nil }
        guard let currency else { throw bad("\(option) needs \(currencyOption) (e.g. KZT)") }
        let code = try value(currencyOption, currency, FieldValues.currency)
        return try value(option, text) { (text: String) throws(FieldProblem) -> Money in
            try FieldValues.amount(text, in: code, allowZero: false)
        }
    }

    /// Inventors as `PARTY=PERCENT`; when given, the shares must sum to 100 %.
    func inventors(_ texts: [String]) throws -> [InventorShare] {
        let shares = try values("--inventor", texts, FieldValues.inventorShare)
        let problems = InventorShare.problems(in: shares)
        if !shares.isEmpty, !problems.isEmpty {
            throw bad("--inventor needs \(problems.joined(separator: " and "))")
        }
        return shares
    }

    /// Refuses an update that changes nothing.
    func requireChange(_ given: Bool) throws {
        if !given { throw bad("give at least one field to change (see --help)") }
    }

    /// The disclosures a right comes from, from a repeated `--disclosure`: the first is the one
    /// it protects, the others further ones; a key given twice is refused.
    func disclosures(_ keys: [Int64]) throws -> (first: ID<Disclosure>?, further: [ID<Disclosure>]) {
        if let repeated = keys.first(where: { key in keys.filter { $0 == key }.count > 1 }) {
            throw bad("--disclosure \(repeated) is given twice")
        }
        return (keys.first.map { ID(rawValue: $0) }, keys.dropFirst().map { ID(rawValue: $0) })
    }
}

/// Runs store work for `command`: a record not found is a failure (exit 1) naming the office; a
/// version conflict, refused data or a refused transition (which names the record, its state and
/// the events allowed) is bad input (exit 2).
func storeWork<T>(_ command: String, office: ID<Office>? = nil, _ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as StoreError {
        throw CLIError(error, command: command, office: office)!
    }
}

/// Reads a record, applies `change` and writes it with the version check, in one transaction of
/// `office`; `expectVersion` replaces the version read (refusing the write if the record moved on).
func updateRecord<V: Sendable>(
    _ command: String, store: Store, office: ID<Office>, actor: String, expectVersion: Int?,
    read: @escaping @Sendable (OfficeSession) async throws -> Versioned<V>,
    change: @escaping @Sendable (inout V) throws -> Void,
    write: @escaping @Sendable (OfficeSession, Versioned<V>) async throws -> Versioned<V>
) async throws -> Versioned<V> {
    try await storeWork(command, office: office) {
        try await store.withOffice(office, actor: actor) { session in
            var record = try await read(session)
            if let expectVersion { record.version = expectVersion }
            try change(&record.value)
            return try await write(session, record)
        }
    }
}

/// An aligned table with a header line and a rule, or `none`.
func table(_ headers: [String], _ rows: [[String]]) -> String {
    guard !rows.isEmpty else { return "none\n" }
    var widths = headers.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
    }
    return line(headers) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
}

/// `field  value` lines of one record; fields without a value are left out.
func fieldLines(_ fields: [(String, String?)]) -> String {
    let shown = fields.compactMap { field, value in value.map { (field, $0) } }
    let width = shown.map(\.0.count).max() ?? 0
    return shown.map { "\($0.0.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.1)\n" }.joined()
}

/// Prints one record: as `field  value` lines (with its version) followed by titled tables of
/// related records, or as its JSON object with `version` and the `related` data.
func printRecord(
    _ value: some Encodable, version: Int, format: OutputFormat, fields: [(String, String?)],
    related: [String: any Encodable] = [:], sections: [(title: String, table: String)] = []
) throws {
    switch format {
    case .table:
        print(fieldLines(fields + [("version", String(version))]), terminator: "")
        for section in sections { print("\(section.title):\n\(section.table)", terminator: "") }
    case .json: try printJSON(try jsonRecord(value, version: version, related: related))
    }
}

/// A workflow history as a titled table.
func historySection(_ history: [WorkflowHistoryEntry]) -> (title: String, table: String) {
    (
        "history",
        table(
            ["ON", "EVENT", "FROM", "TO", "BY", "RECORDED (UTC)"],
            history.map { [$0.on.map(\.description) ?? "", $0.event, $0.from, $0.to, $0.actor, $0.at] })
    )
}

/// Recorded right events as a table.
func eventsTable(_ events: [StoredRightEvent]) -> String {
    table(
        ["ID", "DATE", "EVENT", "YEAR", "REFERENCE", "BY", "SOURCE"],
        events.map { e in
            [
                String(e.id), e.event.date.description, e.event.kind.rawValue, e.event.year.cell,
                e.event.reference.cell, e.recordedBy, e.source.cell,
            ]
        })
}

/// A record as a JSON object (its Codable form) with its version and related data added.
func jsonRecord(_ value: some Encodable, version: Int, related: [String: any Encodable] = [:]) throws -> [String: Any] {
    var object = try jsonValue(value) as? [String: Any] ?? [:]
    object["version"] = version
    for (key, item) in related { object[key] = try jsonValue(item) }
    return object
}

/// The JSON form of an Encodable value.
func jsonValue(_ value: any Encodable) throws -> Any {
    let data = try JSONEncoder().encode(value)
    return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
}

/// Prints a JSON object or array with sorted keys.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Prints a list as a table or as a JSON array of records.
func printList<V: Encodable>(
    _ records: [Versioned<V>], format: OutputFormat, headers: [String], row: (V) -> [String]
) throws {
    switch format {
    case .table: print(table(headers, records.map { row($0.value) }), terminator: "")
    case .json: try printJSON(records.map { try jsonRecord($0.value, version: $0.version) })
    }
}

extension Optional where Wrapped: CustomStringConvertible {
    /// The description, or "" for `nil` (table cells).
    var cell: String { map(\.description) ?? "" }
}

extension Array where Element: CustomStringConvertible {
    /// `a, b, c`, or `nil` when empty (field lines).
    var listed: String? { isEmpty ? nil : map(\.description).joined(separator: ", ") }
}

extension ID {
    /// The bare key, e.g. `12`.
    var key: String { String(rawValue) }
}
