import IPCase
import IPCaseStore

/// `parties.csv` (`RecordFile/parties`) → parties, created in one statement.
struct PartiesImporter: RecordImporter {
    static let file = RecordFile.parties
    /// Stored parties by name.
    var existing: [String: ID<Party>]
    /// The first row of each name in the file.
    var seen: [String: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        existing = try await options.withOffice { session in
            try await session.partyIDs()
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Party? {
        let name = row["name"]
        if name.isEmpty { problems.add(row, "name", key: "import.problem.name-required") }
        do throws(FieldProblem) { _ = try FieldValues.name(name) } catch { problems.add(row, "name", error) }
        if let first = seen[name] {
            problems.add(
                row, "name", key: "import.problem.repeated",
                ["value": name, "row": String(first)])
        }
        if existing[name] != nil {
            problems.add(row, "name", key: "import.problem.exists", ["value": name])
        }
        seen[name] = seen[name] ?? row.line
        let kind = Party.Kind(rawValue: row["kind"])
        if kind == nil {
            problems.add(
                row, "kind", key: "import.problem.not-choice",
                ["value": row["kind"], "choices": "person", "last": "organization"])
        }
        var roles: [Party.Role] = []
        for value in row.list("roles") {
            if let role = Party.Role(rawValue: value) {
                roles.append(role)
            } else {
                problems.add(
                    row, "roles", "'\(value)' is not a role (\(Party.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        let sector = Party.Sector(rawValue: row["sector"])
        if sector == nil {
            problems.add(
                row, "sector", key: "import.problem.not-choice",
                ["value": row["sector"], "choices": "academia, industry, government", "last": "other"])
        }
        let regionText = row["region"]
        let region = Region(rawValue: regionText)
        if !regionText.isEmpty, region == nil {
            problems.add(row, "region", key: "import.problem.region", ["value": regionText])
        }
        let countryText = row["country"]
        let country = countryText.isEmpty ? Country.kazakhstan : Country(countryText)
        if country == nil { problems.add(row, "country", key: "import.problem.country", ["value": countryText]) }
        // Optional columns: where reminders and notices reach the party.
        var contacts: [String: String] = [:]
        for column in ["email", "phone"] {
            let text = row[column]
            guard !text.isEmpty else { continue }
            do throws(FieldProblem) {
                contacts[column] = column == "email" ? try FieldValues.email(text) : try FieldValues.phone(text)
            } catch {
                problems.add(row, column, error)
            }
        }
        // Optional columns: a person's gender and career stage, only with the day they consented.
        let gender = Party.Gender(rawValue: row["gender"])
        if !row["gender"].isEmpty, gender == nil {
            problems.add(
                row, "gender", key: "import.problem.not-choice",
                ["value": row["gender"], "choices": "female, male, non-binary", "last": "undisclosed"])
        }
        let stage = Party.CareerStage(rawValue: row["career_stage"])
        if !row["career_stage"].isEmpty, stage == nil {
            problems.add(
                row, "career_stage", key: "import.problem.not-choice",
                ["value": row["career_stage"], "choices": "student, early-career, mid-career", "last": "senior"])
        }
        let consented = row.date("consented_on", &problems)
        var demographics: Party.Demographics?
        if let consented {
            demographics = Party.Demographics(consentedOn: consented, gender: gender, careerStage: stage)
            if kind == .organization { problems.add(row, "consented_on", "gender and career stage are recorded for people only") }
        } else if gender != nil || stage != nil {
            problems.add(row, "consented_on", "gender and career stage need the day the person consented")
        }
        // Optional column: an organization's employees (the AUTM survey's company size).
        let employeesText = row["employees"]
        let employees = Int(employeesText)
        if !employeesText.isEmpty, employees == nil || employees! < 0 {
            problems.add(row, "employees", "'\(employeesText)' is not a number of employees such as 120")
        } else if employees != nil, kind == .person {
            problems.add(row, "employees", "employees are recorded for organizations only")
        }
        guard let kind, let sector, let country else { return nil }
        return Party(
            id: 0, kind: kind, name: name, roles: roles, sector: sector, region: region, country: country,
            email: contacts["email"], phone: contacts["phone"], demographics: demographics,
            employees: employees.flatMap { $0 >= 0 ? $0 : nil })
    }

    func write(_ records: [Party], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        (try await session.createParties(records).count, 0)
    }
}
