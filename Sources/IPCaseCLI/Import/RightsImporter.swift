import IPCase
import IPCaseStore

/// `rights.csv` (`RecordFile/rights`) → rights, with their new families and their PCT
/// parents, created in a few statements per 10 000 rows.
struct RightsImporter: RecordImporter {
    /// A right to create, with the references it links to.
    struct Record: Sendable {
        var right: Right
        var family: String?
        var parent: String?
    }

    static let file = RecordFile.rights
    let office: ID<Office>
    var parties: [String: ID<Party>]
    var families: [String: ID<RightFamily>]
    var disclosures: [String: ID<Disclosure>]
    /// Stored rights among the references and parents the file names.
    var existing: [String: ID<Right>]
    var seen: [String: Int] = [:]
    var numbers: [String: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        office = options.office
        (parties, families, disclosures, existing) = try await options.withOffice { session in
            (
                try await session.partyIDs(), try await session.familyIDs(), try await session.disclosureIDs(),
                try await session.rightIDs(references: table.values("ref") + table.values("parent_ref"))
            )
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let line = row.line
        let reference = row["ref"]
        if reference.isEmpty {
            problems.add(row, "ref", key: "import.problem.reference-required")
        } else if let first = seen[reference] {
            problems.add(row, "ref", key: "import.problem.repeated", ["value": reference, "row": String(first)])
        } else if existing[reference] != nil {
            problems.add(row, "ref", key: "import.problem.exists", ["value": reference])
        }
        seen[reference] = seen[reference] ?? line
        let jurisdictionText = row["jurisdiction"]
        let jurisdiction = Jurisdiction(jurisdictionText)
        if jurisdiction == nil {
            problems.add(row, "jurisdiction", key: "import.problem.jurisdiction", ["value": jurisdictionText])
        }
        let kindText = row["kind"]
        let kind = RightKind(rawValue: kindText)
        if kind == nil {
            problems.add(
                row, "kind", key: "import.problem.not-one-of",
                ["value": kindText, "choices": RightKind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        // The optional `deadlines` column: computed (empty) or manual, for a jurisdiction without rules.
        let modeText = row["deadlines"]
        let mode = modeText.isEmpty ? .computed : Right.DeadlineMode(rawValue: modeText)
        if mode == nil {
            problems.add(
                row, "deadlines", key: "import.problem.not-choice",
                ["value": modeText, "choices": "computed", "last": "manual"])
        } else if mode == .computed, let jurisdiction, let kind, Right.lacksRules(jurisdiction, kind) {
            let known = Right.jurisdictionsWithRules(for: kind).map(\.code).joined(separator: ", ")
            problems.add(
                row, "jurisdiction",
                "\(jurisdiction.code) has no deadline rules for a \(kind.rawValue) (rules exist for \(known)); "
                    + "put manual in a deadlines column to record it with deadlines you enter yourself")
        }
        // The optional `entity_size` column: large (empty), small or micro, where fees depend on it.
        let sizeText = row["entity_size"]
        let size = sizeText.isEmpty ? nil : EntitySize(rawValue: sizeText)
        if !sizeText.isEmpty, size == nil {
            problems.add(
                row, "entity_size", key: "import.problem.not-choice",
                ["value": sizeText, "choices": "large, small", "last": "micro"])
        }
        let title = row["title"]
        if title.isEmpty { problems.add(row, "title", key: "import.problem.title-required") }
        do throws(FieldProblem) { _ = try FieldValues.title(title) } catch { problems.add(row, "title", error) }
        let number = row["application_number"]
        if !number.isEmpty {
            let key = jurisdictionText + " " + number
            if let first = numbers[key] {
                problems.add(
                    row, "application_number", key: "import.problem.repeated",
                    ["value": number, "row": String(first)])
            }
            numbers[key] = numbers[key] ?? line
        }
        let filing = row.date("filing_date", &problems)
        let claims = priorityClaims(row, &problems)
        let parent = row["parent_ref"]
        if !parent.isEmpty, seen[parent] == nil || seen[parent] == line, existing[parent] == nil {
            problems.add(row, "parent_ref", "'\(parent)' is neither an earlier row nor a right of this office")
        }
        let named = row.keys("disclosure", in: disclosures, &problems, unknown: "disclosure")
        let references = row.list("disclosure")
        if let repeated = references.first(where: { reference in references.filter { $0 == reference }.count > 1 }) {
            problems.add(row, "disclosure", "'\(repeated)' is listed twice")
        }
        let attorney = row["attorney"]
        if !attorney.isEmpty, parties[attorney] == nil {
            problems.add(row, "attorney", key: "import.problem.not-party", ["value": attorney])
        }
        for symbol in row.list("ipc") where IPCSymbol(symbol) == nil {
            problems.add(row, "ipc", "'\(symbol)' is not an IPC symbol such as H01L 31/04")
        }
        let state = row["state"]
        if !state.isEmpty, RightWorkflow.State(rawValue: state) == nil {
            problems.add(row, "state", key: "import.problem.right-state", ["value": state])
        }
        guard let jurisdiction, let kind else { return nil }
        let family = row["family"]
        return Record(
            right: Right(
                id: 0, office: office, reference: reference, title: title, jurisdiction: jurisdiction, kind: kind,
                disclosure: named.first, responsibleAttorney: parties[attorney],
                applicationNumber: number.isEmpty ? nil : number, filingDate: filing, priorityClaims: claims,
                deadlines: mode ?? .computed, furtherDisclosures: Array(named.dropFirst()), entitySize: size),
            family: family.isEmpty ? nil : family, parent: parent.isEmpty ? nil : parent)
    }

    /// The first priority claimed: date, office and number, all or none.
    func priorityClaims(_ row: CSVRow, _ problems: inout RowProblems) -> [PriorityClaim] {
        let date = row.date("priority_date", &problems)
        let office = row["priority_office"]
        let number = row["priority_number"]
        guard date != nil || !office.isEmpty || !number.isEmpty else { return [] }
        if let date, let claimOffice = Jurisdiction(office), !number.isEmpty {
            return [PriorityClaim(jurisdiction: claimOffice, applicationNumber: number, date: date)]
        } else if Jurisdiction(office) == nil {
            problems.add(
                row, "priority_office", "'\(office)' is not a jurisdiction code (a priority needs date, office and number)")
        } else if number.isEmpty {
            problems.add(row, "priority_number", "a priority needs date, office and number")
        } else if date == nil, row["priority_date"].isEmpty {
            problems.add(row, "priority_date", "a priority needs date, office and number")
        }
        return []
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        var familyKeys = families
        let newFamilies = Set(records.compactMap(\.family)).subtracting(families.keys).sorted()
        familyKeys.merge(try await session.createFamilies(newFamilies)) { old, _ in old }
        var ids: [ID<Right>] = []
        let batch = 10_000
        var start = 0
        while start < records.count {
            let slice = records[start..<min(start + batch, records.count)].map { record in
                var right = record.right
                right.family = record.family.flatMap { familyKeys[$0] }
                return right
            }
            ids += try await session.createRights(slice)
            start += slice.count
            progress("writing", start, records.count)
        }
        var byReference = existing
        for (record, id) in zip(records, ids) { byReference[record.right.reference] = id }
        var links: [(right: ID<Right>, parent: ID<Right>)] = []
        for (record, id) in zip(records, ids) {
            if let parent = record.parent, let parentID = byReference[parent] { links.append((id, parentID)) }
        }
        try await session.setParents(links)
        return (ids.count, 0)
    }
}
