import IPCase
import IPCaseStore

/// `payments.csv` (`RecordFile/payments`) → payments, created in one statement; their
/// agreements' obligations are recomputed.
struct PaymentsImporter: RecordImporter {
    static let file = RecordFile.payments
    let office: ID<Office>
    /// Stored agreements by reference, with the currency of their terms.
    var agreements: [String: ID<Agreement>]
    var currencies: [ID<Agreement>: (reference: String, currency: Currency)]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        office = options.office
        (agreements, currencies) = try await options.withOffice {
            session in (try await session.agreementIDs(), try await session.agreementCurrencies())
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Payment? {
        let reference = row["agreement_ref"]
        let agreement = agreements[reference]
        if agreement == nil {
            problems.add(
                row, "agreement_ref", key: "import.problem.not-agreement",
                ["value": reference])
        }
        let received = row.date("received_on", &problems, required: true)
        let currencyText = row["currency"]
        let currency = Currency(code: currencyText)
        if currency == nil {
            problems.add(row, "currency", key: "import.problem.currency", ["value": currencyText])
        } else if let agreement, let expected = currencies[agreement], expected.currency != currency {
            problems.add(
                row, "currency",
                "'\(currencyText)' is not the currency of agreement '\(reference)' (\(expected.currency.code))")
        }
        var amount: Money?
        if let currency {
            do throws(FieldProblem) {
                amount = try FieldValues.amount(row["amount"], in: currency, allowZero: false)
            } catch {
                problems.add(row, "amount", error)
            }
        }
        let kind = Payment.Kind(rawValue: row["kind"])
        if kind == nil {
            problems.add(row, "kind", "'\(row["kind"])' is not a payment kind (upfront, royalty, milestone, …)")
        }
        let note = row["reference"]
        guard let agreement, let received, let amount, amount.minorUnits > 0, let kind else { return nil }
        return Payment(
            id: 0, office: office, agreement: agreement, amount: amount, kind: kind, receivedOn: received,
            reference: note.isEmpty ? nil : note)
    }

    func write(_ records: [Payment], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        try await session.createPayments(records)
        return (records.count, 0)
    }
}
