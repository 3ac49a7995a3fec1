import IPCase
import IPCaseStore

/// `obligations.csv` (`RecordFile/obligations`) → obligations and milestone payments added to
/// stored agreements (saved in one statement, their deadlines recomputed); also read with
/// `agreements.csv` (`AgreementsImporter`) for the agreements of that file.
struct ObligationsImporter: RecordImporter {
    /// One row: an obligation or a milestone payment of an agreement.
    struct Record: Sendable {
        enum Item: Sendable {
            case obligation(Obligation)
            case payment(MilestonePayment)
        }
        var agreement: String
        var item: Item
    }

    static let file = RecordFile.obligations
    /// The agreements rows may name, with the currency of their amounts (if they have one).
    var currencies: [String: Currency?]
    /// The stored agreements, when importing into them.
    var stored: [String: Versioned<Agreement>] = [:]

    /// Reads rows for the agreements `currencies` names (the rows of an agreements.csv).
    init(agreements currencies: [String: Currency?]) {
        self.currencies = currencies
    }

    init(table: CSVTable, options: CSVImport.Options) async throws {
        let agreements = try await options.withOffice { session in
            try await session.agreements()
        }
        stored = Dictionary(agreements.map { ($0.value.reference, $0) }, uniquingKeysWith: { first, _ in first })
        currencies = stored.mapValues { agreement in
            let terms = agreement.value.financialTerms
            return terms?.milestones.first?.amount.currency ?? terms?.upfront?.currency
                ?? terms?.minimumAnnualRoyalty?.currency
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let reference = row["agreement_ref"]
        guard let currency = currencies[reference] else {
            problems.add(row, "agreement_ref", key: "import.problem.not-agreement", ["value": reference])
            return nil
        }
        let name = row["name"]
        let due = row.date("due_on", &problems)
        switch row["type"] {
        case "royalty-reports":
            let interval = ReportingInterval(rawValue: row["interval"])
            let days = Int(row["due_within_days"])
            if interval == nil {
                problems.add(
                    row, "interval", key: "import.problem.not-choice",
                    ["value": row["interval"], "choices": "monthly, quarterly, semi-annual", "last": "annual"])
            }
            if days == nil || days! < 0 {
                problems.add(row, "due_within_days", "'\(row["due_within_days"])' is not a number of days")
            }
            guard let interval, let days else { return nil }
            return Record(agreement: reference, item: .obligation(.royaltyReports(every: interval, dueWithinDays: days)))
        case "milestone":
            if name.isEmpty { problems.add(row, "name", "a milestone needs a name") }
            if due == nil, row["due_on"].isEmpty { problems.add(row, "due_on", "a milestone needs a date") }
            guard let due, !name.isEmpty else { return nil }
            return Record(agreement: reference, item: .obligation(.milestone(name: name, dueOn: due)))
        case "option-exercise":
            if due == nil, row["due_on"].isEmpty { problems.add(row, "due_on", "an option exercise needs a date") }
            guard let due else { return nil }
            return Record(agreement: reference, item: .obligation(.optionExercise(by: due)))
        case "milestone-payment":
            if name.isEmpty { problems.add(row, "name", "a milestone payment needs a name") }
            guard let currency else {
                problems.add(
                    row, "amount", "agreement '\(reference)' has no currency (import agreements.csv with --obligations)")
                return nil
            }
            let amount: Money
            do throws(FieldProblem) {
                amount = try FieldValues.amount(row["amount"], in: currency, allowZero: false)
            } catch {
                problems.add(row, "amount", error)
                return nil
            }
            guard !name.isEmpty else { return nil }
            return Record(agreement: reference, item: .payment(MilestonePayment(name: name, amount: amount, dueOn: due)))
        default:
            problems.add(
                row, "type",
                "'\(row["type"])' is not royalty-reports, milestone, option-exercise or milestone-payment")
            return nil
        }
    }

    /// `agreement` with the rows' obligations and milestone payments added.
    static func adding(_ records: some Sequence<Record>, to agreement: Agreement) -> Agreement {
        var agreement = agreement
        for record in records {
            switch record.item {
            case .obligation(let obligation): agreement.obligations.append(obligation)
            case .payment(let payment):
                var terms = agreement.financialTerms ?? FinancialTerms()
                terms.milestones.append(payment)
                agreement.financialTerms = terms
            }
        }
        return agreement
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        let byAgreement = Dictionary(grouping: records, by: \.agreement)
        let changed = byAgreement.keys.sorted().compactMap { reference -> Versioned<Agreement>? in
            guard let agreement = stored[reference], let rows = byAgreement[reference] else { return nil }
            return Versioned(Self.adding(rows, to: agreement.value), version: agreement.version)
        }
        try await session.updateAgreementTerms(changed)
        return (records.count, 0)
    }
}
