import IPCase
import IPCaseStore

/// `costs.csv` (`RecordFile/costs`) → costs of the expense ledger. Each row is checked by its
/// columns, then by the ledger's own checks (`OfficeSession.problems(of:)`: the agreement's
/// patent-cost term, the rights it covers, its currency), each problem named by row and column.
struct CostsImporter: RecordImporter {
    /// A cost to add, with the row it came from.
    struct Record: Sendable {
        var line: Int
        var cost: PatentCost
    }

    static let file = RecordFile.costs
    let options: CSVImport.Options
    var rights: [String: ID<Right>]
    var families: [String: ID<RightFamily>]
    var parties: [String: ID<Party>]
    var agreements: [String: ID<Agreement>]

    /// The column of each field the ledger's checks name.
    static let columns = [
        "right": "right_ref", "family": "family", "payee": "payee", "agreement": "agreement_ref",
        "reimbursable": "reimbursable", "currency": "currency", "amount": "amount",
        "fee year": "fee_year",
    ]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        (rights, families, parties, agreements) = try await options.withOffice { session in
            (
                try await session.rightIDs(references: table.values("right_ref")),
                try await session.familyIDs(),
                try await session.partyIDs(), try await session.agreementIDs()
            )
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        func key<Key>(_ column: String, in keys: [String: Key], _ what: String) -> Key? {
            let name = row[column]
            guard !name.isEmpty else { return nil }
            if let key = keys[name] { return key }
            problems.add(row, column, "'\(name)' is not \(what) of this office")
            return nil
        }
        let right = key("right_ref", in: rights, "a right")
        let family = key("family", in: families, "a family")
        if row["right_ref"].isEmpty, row["family"].isEmpty {
            problems.add(
                row, "right_ref", "a right (or, for a cost of a whole family, a family) is required")
        }
        let payee = key("payee", in: parties, "a party")
        let agreement = key("agreement_ref", in: agreements, "an agreement")
        let kindText = row["kind"]
        var kind = PatentCost.Kind.other
        if !kindText.isEmpty {
            do throws(FieldProblem) {
                kind = try FieldValues.choice(kindText, PatentCost.Kind.self)
            } catch {
                problems.add(row, "kind", error)
            }
        }
        let date = row.date("date", &problems, required: true)
        let amount = row.amount("amount", in: row.currency("currency", &problems), &problems, allowZero: false)
        let reimbursableText = row["reimbursable"]
        if !["", "true", "false"].contains(reimbursableText) {
            problems.add(row, "reimbursable", key: "import.problem.not-boolean", ["value": reimbursableText])
        }
        let yearText = row["fee_year"]
        let year = Int(yearText)
        if !yearText.isEmpty, year == nil {
            problems.add(row, "fee_year", "'\(yearText)' is not a year number such as 5")
        }
        func text(_ column: String) -> String? { row[column].isEmpty ? nil : row[column] }
        guard let date, let amount else { return nil }
        return Record(
            line: row.line,
            cost: PatentCost(
                office: options.office, right: right, family: family, kind: kind, amount: amount,
                incurredOn: date,
                invoiceReference: text("invoice"), payee: payee, reimbursable: reimbursableText == "true",
                agreement: agreement, feeRule: text("fee_rule"), feeYear: year,
                description: row["description"]))
    }

    /// The ledger's checks of every row that passed its own (a row already refused is not checked again).
    mutating func finish(_ records: inout [Record], _ problems: inout RowProblems) async throws {
        let refused = Set(problems.items.compactMap(\.row))
        let toCheck = records.filter { !refused.contains($0.line) }
        let found = try await options.withOffice {
            session in
            var found: [(line: Int, column: String, reason: String)] = []
            for record in toCheck {
                for problem in try await session.problems(of: record.cost) {
                    found.append((record.line, Self.columns[problem.field] ?? problem.field, problem.reason))
                }
            }
            return found
        }
        for problem in found { problems.add(line: problem.line, problem.column, problem.reason) }
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws
        -> (records: Int, jobs: Int)
    {
        for record in records { _ = try await session.addPatentCost(record.cost) }
        return (records.count, 0)
    }
}
