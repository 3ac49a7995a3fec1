import IPCase
import IPCaseStore

/// `events.csv` (`RecordFile/events`) → events of rights, replayed through the right workflow
/// in file order (a refused transition names its row) in a few statements; each right's
/// deadlines are recomputed once.
struct EventsImporter: RecordImporter {
    /// A step of a right, with the row it came from.
    struct Record: Sendable {
        var line: Int
        /// The row's fields, for a problem only the write finds.
        var fields: [String]
        var step: ImportedRightStep
    }

    static let file = RecordFile.events
    var rights: [String: (id: ID<Right>, kind: RightKind, state: RightWorkflow.State)]
    /// References of rights of other offices, skipped with `--skip-other-offices`.
    var elsewhere: Set<String>
    /// Each right's events so far (stored, then the file's rows before), to check the order.
    var chronologies: [ID<Right>: EventChronology]
    var fileName: String
    let today = CivilDate.todayUTC

    init(table: CSVTable, options: CSVImport.Options) async throws {
        let references = Array(Set(table.values("right_ref")))
        (rights, chronologies) = try await options.withOffice { session in
            let rights = try await session.rightSummaries(references: references)
            return (rights, try await session.chronologies(of: rights.values.map(\.id)))
        }
        elsewhere =
            options.skipOtherOffices
            ? try await options.transactions.withService(actor: options.actor) {
                try await $0.rightReferences(references, ofOfficesOtherThan: options.office)
            } : []
        fileName = table.name
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let reference = row["right_ref"]
        let right = rights[reference]
        if right == nil, elsewhere.contains(reference) { return nil }
        if right == nil { problems.add(row, "right_ref", key: "import.problem.not-right", ["value": reference]) }
        let day = row.date("date", &problems, required: true)
        let yearText = row["year"]
        let year = Int(yearText)
        if !yearText.isEmpty, year == nil || year! < 1 || year! > 50 {
            problems.add(row, "year", "'\(yearText)' is not a fee year (1–50)")
        }
        let restorable = row.date("restorable_until", &problems)
        let name = row["event"]
        let number = row["reference"]
        guard let right, let day else { return nil }
        guard
            let step = RightStep(
                event: name, date: day, year: year, reference: number.isEmpty ? nil : number,
                restorableUntil: restorable, rightKind: right.kind)
        else {
            problems.add(row, "event", "'\(name)' is not an event such as filed, published, office-action, annuity-paid")
            return nil
        }
        // Checked in file order against the right's recorded events and the rows before.
        if let event = step.rightEvent, let problem = chronologies[right.id]?.record(event, today: today) {
            problems.add(row, "date", "right \(reference): event \(problem)")
        }
        let imported =
            switch step {
            case .workflow(let event): ImportedRightStep(right: right.id, transition: event, event: event.rightEvent)
            case .docket(let event): ImportedRightStep(right: right.id, transition: nil, event: event)
            }
        return Record(line: row.line, fields: row.fields, step: imported)
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress) async throws
        -> (records: Int, jobs: Int)
    {
        do {
            let written = try await session.importRightSteps(records.map(\.step))
            return (records.count, written.jobs)
        } catch let refused as ImportStepRefused {
            throw CSVImport.Problems([
                CSVImport.Problem(
                    file: fileName, row: records[refused.index].line, column: "event", message: refused.description,
                    fields: records[refused.index].fields)
            ])
        }
    }
}
