import IPCase
import IPCaseStore

/// `agreements.csv` (`RecordFile/agreements`), with `--obligations` their `obligations.csv`, →
/// agreements with their counterparties, rights, obligations and milestone payments, created in
/// a few statements; a licence's option (an earlier row or a stored agreement) is linked after.
struct AgreementsImporter: RecordImporter {
    /// An agreement to create, with the reference of the option it was granted under.
    struct Record: Sendable {
        var agreement: Agreement
        var option: String?
    }

    static let file = RecordFile.agreements
    let office: ID<Office>
    var parties: [String: ID<Party>]
    var existing: [String: ID<Agreement>]
    var rights: [String: ID<Right>]
    var obligationsPath: String?
    var seen: [String: Int] = [:]
    /// The currency of each row's amounts, for its obligations' milestone payments.
    var currencies: [String: Currency?] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        office = options.office
        let references = Array(Set(table.rows.flatMap { $0.list("rights") }))
        (parties, existing, rights) = try await options.withOffice {
            session in
            (
                try await session.partyIDs(), try await session.agreementIDs(),
                try await session.rightIDs(references: references)
            )
        }
        obligationsPath = options.obligations
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let reference = row["ref"]
        if reference.isEmpty { problems.add(row, "ref", key: "import.problem.reference-required") }
        if let first = seen[reference] {
            problems.add(row, "ref", key: "import.problem.repeated", ["value": reference, "row": String(first)])
        } else if existing[reference] != nil {
            problems.add(row, "ref", key: "import.problem.exists", ["value": reference])
        }
        seen[reference] = seen[reference] ?? row.line
        let kind = Agreement.Kind(rawValue: row["kind"])
        if kind == nil {
            problems.add(
                row, "kind", key: "import.problem.not-one-of",
                ["value": row["kind"], "choices": Agreement.Kind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        let state = AgreementWorkflow.State(rawValue: row["state"])
        if state == nil { problems.add(row, "state", "'\(row["state"])' is not an agreement state") }
        let counterparties = row.keys("counterparties", in: parties, &problems, unknown: "party")
        let covered = row.keys("rights", in: rights, &problems, unknown: "right")
        var countries: [Country] = []
        let territory = row["territory"]
        if !territory.isEmpty, territory != "worldwide" {
            for code in row.list("territory") {
                if let country = Country(code) {
                    countries.append(country)
                } else {
                    problems.add(row, "territory", "'\(code)' is not a country code (or use worldwide)")
                }
            }
        }
        let starts = row.date("starts_on", &problems)
        let ends = row.date("ends_on", &problems)
        let executed = row.date("executed_on", &problems)
        let untilText = row["until_last_right_expires"]
        if !["", "true", "false"].contains(untilText) {
            problems.add(row, "until_last_right_expires", key: "import.problem.not-boolean", ["value": untilText])
        }
        let option = row["option_ref"]
        if !option.isEmpty, seen[option] == nil || seen[option] == row.line, existing[option] == nil {
            problems.add(row, "option_ref", "'\(option)' is neither an earlier row nor an agreement of this office")
        }
        let terms = FieldValues.financialTerms({ row[$0] }, problem: { problems.add(row, $0, $1) })
        guard let kind, let state else { return nil }
        currencies[reference] = Currency(code: row["currency"])
        let fieldOfUse = row["field_of_use"]
        return Record(
            agreement: Agreement(
                id: 0, office: office, reference: reference, kind: kind, counterparties: counterparties,
                rightsCovered: covered, fieldOfUse: fieldOfUse.isEmpty ? nil : fieldOfUse,
                territory: Territory(countries: countries),
                term: AgreementTerm(startsOn: starts, endsOn: ends, untilLastRightExpires: untilText == "true"),
                financialTerms: terms, executedOn: executed, state: state),
            option: option.isEmpty ? nil : option)
    }

    /// With `--obligations`: their rows, checked against this file's agreements and added to them.
    mutating func finish(_ records: inout [Record], _ problems: inout RowProblems) async throws {
        guard let obligationsPath else { return }
        let table = try CSVTable.read(path: obligationsPath, file: .obligations)
        var reader = ObligationsImporter(agreements: currencies)
        var found = RowProblems(file: table.name)
        var rows: [String: [ObligationsImporter.Record]] = [:]
        for row in table.rows {
            if let record = reader.validate(row, &found) { rows[record.agreement, default: []].append(record) }
        }
        problems.items += found.items
        for index in records.indices {
            guard let added = rows[records[index].agreement.reference] else { continue }
            records[index].agreement = ObligationsImporter.adding(added, to: records[index].agreement)
        }
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        var keys = existing
        let agreements = records.map { record in
            var agreement = record.agreement
            // An option stored before the import is linked at once; one of this file, after.
            agreement.option = record.option.flatMap { existing[$0] }
            return agreement
        }
        let ids = try await session.createAgreements(agreements)
        for (agreement, id) in zip(agreements, ids) { keys[agreement.reference] = id }
        var links: [(agreement: ID<Agreement>, option: ID<Agreement>)] = []
        for (record, id) in zip(records, ids) {
            if let option = record.option, existing[option] == nil, let optionID = keys[option] {
                links.append((id, optionID))
            }
        }
        try await session.setAgreementOptions(links)
        return (ids.count, 0)
    }
}
