import IPCase
import IPCaseStore

/// `policies.csv` (`RecordFile/policies`) → the office's revenue-sharing policies. Each row is
/// checked by its columns and as a policy (the net shares sum to 100 %); a date the office or
/// an earlier row has a policy from already is refused, naming row and column.
struct PoliciesImporter: RecordImporter {
    /// A policy to create, with the row it came from.
    struct Record: Sendable {
        var line: Int
        var policy: DistributionPolicy
    }

    static let file = RecordFile.policies
    let options: CSVImport.Options
    /// The office's policies by effective date.
    var existing: [CivilDate: String]
    /// The dates of the rows so far, with their rows.
    var seen: [CivilDate: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        let stored = try await options.withOffice {
            try await $0.storedPolicies()
        }
        existing = Dictionary(stored.map { ($0.policy.effectiveFrom, $0.policy.name) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        func share(_ column: String) -> BasisPoints? {
            do throws(FieldProblem) { return try FieldValues.percent(row[column]) } catch {
                problems.add(row, column, error)
                return nil
            }
        }
        if row["name"].allSatisfy(\.isWhitespace) { problems.add(row, "name", "a policy needs a name") }
        let date = row.date("effective_from", &problems, required: true)
        let (admin, inventors, department, institution) = (
            share("admin_share"), share("inventors_share"), share("department_share"), share("institution_share")
        )
        let recovers = row["recover_patent_costs"]
        if !["", "true", "false"].contains(recovers) {
            problems.add(row, "recover_patent_costs", key: "import.problem.not-boolean", ["value": recovers])
        }
        if let date {
            if let name = existing[date] {
                problems.add(
                    row, "effective_from", "the office has policy '\(name)' from \(date) already; a new rule takes a later date")
            } else if let earlier = seen[date] {
                problems.add(row, "effective_from", "row \(earlier) has a policy from \(date) already")
            } else {
                seen[date] = row.line
            }
        }
        guard let date, let admin, let inventors, let department, let institution else { return nil }
        let policy = DistributionPolicy(
            office: options.office, name: row["name"], effectiveFrom: date, administrativeShare: admin,
            recoversPatentCosts: recovers != "false", inventorsShare: inventors, departmentShare: department,
            institutionShare: institution, source: row["source"].isEmpty ? nil : row["source"])
        if let problem = policy.problems.first { problems.add(row, "institution_share", problem) }
        return Record(line: row.line, policy: policy)
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for record in records { _ = try await session.createPolicy(record.policy) }
        return (records.count, 0)
    }
}
