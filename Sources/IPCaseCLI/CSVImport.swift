import Foundation
import IPCase
import IPCaseSamples
import IPCaseStore
import SwiftCSV

/// `ipcase import`: CSV files in the documented formats (`SampleCSV`), validated completely
/// before anything is written, then written in one transaction.
public enum CSVImport {
    /// The files `ipcase import` reads.
    public enum Kind: String, CaseIterable, Sendable {
        case rights, events, parties, agreements, obligations, payments
    }

    /// Every problem found, one per line: `rights.csv row 17, column filing_date: '2023-02-30' is not a valid date`.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        /// The problems, in file order.
        public var lines: [String]
        /// All lines, and a closing line saying nothing was written.
        public var description: String {
            let shown = lines.prefix(100).joined(separator: "\n")
            let more = lines.count > 100 ? "\n… and \(lines.count - 100) more problems" : ""
            return "\(shown)\(more)\n\(lines.count) problem(s); nothing was written"
        }
    }

    /// What an import wrote.
    public struct Result: Sendable, Hashable {
        /// Rows read.
        public var rows: Int
        /// Records written.
        public var written: Int
        /// Deadline jobs queued.
        public var jobs: Int
    }

    /// A parsed file: its name (for messages), header and rows.
    struct Table {
        var name: String
        var header: [String]
        var rows: [[String]]

        /// The value of `column` in `row` (trimmed), or "" when the row is short.
        func value(_ row: [String], _ column: String) -> String {
            guard let index = header.firstIndex(of: column), index < row.count else { return "" }
            return row[index].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Collects problems by row (1 = the header; the first data row is 2).
    struct Checker {
        var file: String
        var lines: [String] = []
        mutating func problem(row: Int, column: String, _ text: String) {
            lines.append("\(file) row \(row), column \(column): \(text)")
        }
    }

    /// Reads `path` with SwiftCSV once ``CSVStructure`` accepted it (UTF-8, quotes closed), checks
    /// its header against `columns` and refuses NUL characters, naming row and column.
    static func read(path: String, columns: [String]) throws -> Table {
        let name = (path as NSString).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.usage("\(path): cannot read the file (\(error.localizedDescription))")
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
            throw Problems(lines: [
                "\(name) row 1: missing column(s) \(missing.joined(separator: ", ")); expected \(columns.joined(separator: ","))"
            ])
        }
        let rows = csv.rows.filter { !($0.count == 1 && $0[0].isEmpty) }
        // A NUL byte is valid UTF-8 but no database text can hold it: a field error, not a database one.
        var checker = Checker(file: name)
        for (index, row) in rows.enumerated() {
            for (column, field) in row.enumerated() where field.utf8.contains(0) {
                let label = column < header.count ? header[column] : "\(column + 1)"
                checker.problem(row: index + 2, column: label, "contains a NUL character")
            }
        }
        if !checker.lines.isEmpty { throw Problems(lines: checker.lines) }
        return Table(name: name, header: header, rows: rows)
    }

    /// Imports `kind` from `path` into `office`: every row and column validated first; any
    /// problem → ``Problems`` and nothing written; else one transaction.
    public static func run(
        _ kind: Kind, path: String, office: ID<Office>, store: Store, actor: String, skipOtherOffices: Bool = false,
        obligations: String? = nil, progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let skip = skipOtherOffices
        switch kind {
        case .rights:
            return try await importRights(
                path: path, office: office, store: store, actor: actor, skip: skip, progress: progress)
        case .events:
            return try await importEvents(
                path: path, office: office, store: store, actor: actor, skip: skip, progress: progress)
        case .parties:
            return try await importParties(
                path: path, office: office, store: store, actor: actor, skip: skip, progress: progress)
        case .agreements:
            return try await importAgreements(
                path: path, obligationsPath: obligations, office: office, store: store, actor: actor, skip: skip,
                progress: progress)
        case .obligations:
            return try await importObligations(path: path, office: office, store: store, actor: actor)
        case .payments:
            return try await importPayments(
                path: path, office: office, store: store, actor: actor, skip: skip, progress: progress)
        }
    }

    static func date(_ text: String, row: Int, column: String, _ checker: inout Checker, required: Bool = false)
        -> CivilDate?
    {
        if text.isEmpty {
            if required { checker.problem(row: row, column: column, "a date is required") }
            return nil
        }
        guard let value = try? CivilDate(iso: text), text.count == 10 else {
            checker.problem(row: row, column: column, "'\(text)' is not a valid date")
            return nil
        }
        return value
    }

    /// Whether the row is for the office imported into: an empty or matching `office`; a row of
    /// another office is skipped with `skip`, else a problem.
    static func isForOffice(
        _ table: Table, _ row: [String], line: Int, name: String, skip: Bool, _ checker: inout Checker
    ) -> Bool {
        let given = table.value(row, "office")
        guard !given.isEmpty, given != name else { return true }
        if !skip {
            checker.problem(
                row: line, column: "office",
                "'\(given)' is not the office imported into ('\(name)'); use --skip-other-offices for a shared file")
        }
        return false
    }

    // MARK: rights.csv

    static func importRights(
        path: String, office: ID<Office>, store: Store, actor: String, skip: Bool,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let table = try read(path: path, columns: SampleCSV.rightsColumns)
        let context = try await store.withOffice(office, actor: actor) { session in
            (
                try await session.currentOffice().value.name, try await session.partyIDs(),
                try await session.familyIDs(),
                try await session.disclosureIDs(),
                try await session.rightIDs(
                    references: table.rows.map { table.value($0, "ref") }
                        + table.rows.map { table.value($0, "parent_ref") })
            )
        }
        let (officeName, parties, families, disclosures, existing) = context
        var checker = Checker(file: table.name)
        var rights: [Right] = []
        var familyRefs: [String?] = []
        var parentRefs: [String?] = []
        var seen: [String: Int] = [:]
        var numbers: [String: Int] = [:]
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            if index % 1000 == 0 { progress("validating", index, table.rows.count) }
            guard isForOffice(table, row, line: line, name: officeName, skip: skip, &checker) else { continue }
            let reference = table.value(row, "ref")
            if reference.isEmpty {
                checker.problem(row: line, column: "ref", "a reference is required")
            } else if let first = seen[reference] {
                checker.problem(row: line, column: "ref", "'\(reference)' is already used on row \(first)")
            } else if existing[reference] != nil {
                checker.problem(row: line, column: "ref", "'\(reference)' already exists in this office")
            }
            seen[reference] = seen[reference] ?? line
            let jurisdictionText = table.value(row, "jurisdiction")
            let jurisdiction = Jurisdiction(jurisdictionText)
            if jurisdiction == nil {
                checker.problem(
                    row: line, column: "jurisdiction",
                    "'\(jurisdictionText)' is not a jurisdiction code such as KZ, EA, WO, EP, US")
            }
            let kindText = table.value(row, "kind")
            let kind = RightKind(rawValue: kindText)
            if kind == nil {
                checker.problem(
                    row: line, column: "kind",
                    "'\(kindText)' is not one of \(RightKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            // The optional `deadlines` column: computed (empty) or manual, for a jurisdiction without rules.
            let modeText = table.value(row, "deadlines")
            let mode = modeText.isEmpty ? .computed : Right.DeadlineMode(rawValue: modeText)
            if mode == nil {
                checker.problem(row: line, column: "deadlines", "'\(modeText)' is not computed or manual")
            } else if mode == .computed, let jurisdiction, let kind, !Right.hasRules(jurisdiction, kind) {
                let known = Right.jurisdictionsWithRules(for: kind).map(\.code).joined(separator: ", ")
                checker.problem(
                    row: line, column: "jurisdiction",
                    "\(jurisdiction.code) has no deadline rules for a \(kind.rawValue) (rules exist for \(known)); "
                        + "put manual in a deadlines column to record it with deadlines you enter yourself")
            }
            let title = table.value(row, "title")
            if title.isEmpty { checker.problem(row: line, column: "title", "a title is required") }
            do throws(FieldProblem) { _ = try FieldValues.title(title) } catch {
                checker.problem(row: line, column: "title", error.text)
            }
            let number = table.value(row, "application_number")
            if !number.isEmpty {
                let key = jurisdictionText + " " + number
                if let first = numbers[key] {
                    checker.problem(
                        row: line, column: "application_number", "'\(number)' is already used on row \(first)")
                }
                numbers[key] = numbers[key] ?? line
            }
            let filing = date(table.value(row, "filing_date"), row: line, column: "filing_date", &checker)
            let priorityDate = date(table.value(row, "priority_date"), row: line, column: "priority_date", &checker)
            let priorityOffice = table.value(row, "priority_office")
            let priorityNumber = table.value(row, "priority_number")
            var claims: [PriorityClaim] = []
            if priorityDate != nil || !priorityOffice.isEmpty || !priorityNumber.isEmpty {
                if let priorityDate, let claimOffice = Jurisdiction(priorityOffice), !priorityNumber.isEmpty {
                    claims = [
                        PriorityClaim(jurisdiction: claimOffice, applicationNumber: priorityNumber, date: priorityDate)
                    ]
                } else if Jurisdiction(priorityOffice) == nil {
                    checker.problem(
                        row: line, column: "priority_office",
                        "'\(priorityOffice)' is not a jurisdiction code (a priority needs date, office and number)")
                } else if priorityNumber.isEmpty {
                    checker.problem(row: line, column: "priority_number", "a priority needs date, office and number")
                } else if priorityDate == nil, table.value(row, "priority_date").isEmpty {
                    checker.problem(row: line, column: "priority_date", "a priority needs date, office and number")
                }
            }
            let parent = table.value(row, "parent_ref")
            if !parent.isEmpty, seen[parent] == nil || seen[parent] == line, existing[parent] == nil {
                checker.problem(
                    row: line, column: "parent_ref", "'\(parent)' is neither an earlier row nor a right of this office")
            }
            let disclosure = table.value(row, "disclosure")
            if !disclosure.isEmpty, disclosures[disclosure] == nil {
                checker.problem(row: line, column: "disclosure", "'\(disclosure)' is not a disclosure of this office")
            }
            let attorney = table.value(row, "attorney")
            if !attorney.isEmpty, parties[attorney] == nil {
                checker.problem(row: line, column: "attorney", "'\(attorney)' is not a party of this office")
            }
            for symbol in table.value(row, "ipc").split(separator: ";") {
                let text = symbol.trimmingCharacters(in: .whitespaces)
                if IPCSymbol(text) == nil {
                    checker.problem(row: line, column: "ipc", "'\(text)' is not an IPC symbol such as H01L 31/04")
                }
            }
            let state = table.value(row, "state")
            if !state.isEmpty, RightWorkflow.State(rawValue: state) == nil {
                checker.problem(row: line, column: "state", "'\(state)' is not a right state")
            }
            guard let jurisdiction, let kind else { continue }
            rights.append(
                Right(
                    id: 0, office: office, reference: reference, title: title, jurisdiction: jurisdiction, kind: kind,
                    disclosure: disclosures[disclosure], responsibleAttorney: parties[attorney],
                    applicationNumber: number.isEmpty ? nil : number, filingDate: filing, priorityClaims: claims,
                    deadlines: mode ?? .computed))
            let family = table.value(row, "family")
            familyRefs.append(family.isEmpty ? nil : family)
            parentRefs.append(parent.isEmpty ? nil : parent)
        }
        progress("validating", table.rows.count, table.rows.count)
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let toWrite = rights
        let familyList = familyRefs
        let parentList = parentRefs
        let written = try await store.withOffice(office, actor: actor) { session in
            var familyKeys = families
            let newFamilies = Set(familyList.compactMap { $0 }).subtracting(families.keys).sorted()
            familyKeys.merge(try await session.createFamilies(newFamilies)) { old, _ in old }
            var ids: [ID<Right>] = []
            let batch = 10_000
            var start = 0
            while start < toWrite.count {
                var slice = Array(toWrite[start..<min(start + batch, toWrite.count)])
                for offset in slice.indices {
                    slice[offset].family = familyList[start + offset].flatMap { familyKeys[$0] }
                }
                ids += try await session.createRights(slice)
                start += slice.count
                progress("writing", start, toWrite.count)
            }
            var byReference = existing
            for (right, id) in zip(toWrite, ids) { byReference[right.reference] = id }
            var links: [(right: ID<Right>, parent: ID<Right>)] = []
            for (offset, parent) in parentList.enumerated() {
                if let parent, let parentID = byReference[parent] { links.append((ids[offset], parentID)) }
            }
            try await session.setParents(links)
            return ids.count
        }
        return Result(rows: table.rows.count, written: written, jobs: 0)
    }

    // MARK: events.csv

    static func importEvents(
        path: String, office: ID<Office>, store: Store, actor: String, skip: Bool,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let table = try read(path: path, columns: SampleCSV.eventsColumns)
        let references = Array(Set(table.rows.map { table.value($0, "right_ref") }))
        let rights = try await store.withOffice(office, actor: actor) { session in
            try await session.rightSummaries(references: references)
        }
        let elsewhere: Set<String> =
            skip
            ? try await store.withService(actor: actor) {
                try await $0.rightReferences(references, ofOfficesOtherThan: office)
            } : []
        var chronologies = try await store.withOffice(office, actor: actor) { session in
            try await session.chronologies(of: rights.values.map(\.id))
        }
        let today = CivilDate.todayUTC
        var checker = Checker(file: table.name)
        var steps: [(line: Int, right: ID<Right>, reference: String, step: SampleRightStep)] = []
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            if index % 1000 == 0 { progress("validating", index, table.rows.count) }
            let reference = table.value(row, "right_ref")
            let right = rights[reference]
            if right == nil, elsewhere.contains(reference) { continue }
            if right == nil {
                checker.problem(row: line, column: "right_ref", "'\(reference)' is not a right of this office")
            }
            let day = date(table.value(row, "date"), row: line, column: "date", &checker, required: true)
            let yearText = table.value(row, "year")
            let year = Int(yearText)
            if !yearText.isEmpty, year == nil || year! < 1 || year! > 50 {
                checker.problem(row: line, column: "year", "'\(yearText)' is not a fee year (1–50)")
            }
            let restorable = date(table.value(row, "restorable_until"), row: line, column: "restorable_until", &checker)
            let name = table.value(row, "event")
            let numberText = table.value(row, "reference")
            guard let right, let day else { continue }
            guard
                let step = SampleRightStep(
                    event: name, date: day, year: year, reference: numberText.isEmpty ? nil : numberText,
                    restorableUntil: restorable, rightKind: right.kind)
            else {
                checker.problem(
                    row: line, column: "event",
                    "'\(name)' is not an event such as filed, published, office-action, annuity-paid")
                continue
            }
            let event =
                switch step {
                case .workflow(let transition): transition.rightEvent
                case .docket(let event): event
                }
            // Checked in file order against the right's recorded events and the rows before.
            if let event, let problem = chronologies[right.id]?.record(event, today: today) {
                checker.problem(row: line, column: "date", "right \(reference): event \(problem)")
            }
            steps.append((line, right.id, reference, step))
        }
        progress("validating", table.rows.count, table.rows.count)
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let all = steps.map { item in
            switch item.step {
            case .workflow(let event):
                ImportedRightStep(right: item.right, transition: event, event: event.rightEvent)
            case .docket(let event): ImportedRightStep(right: item.right, transition: nil, event: event)
            }
        }
        let lines = steps.map(\.line)
        let file = table.name
        progress("writing", 0, all.count)
        let written = try await store.withOffice(office, actor: actor) { session in
            do {
                return try await session.importRightSteps(all)
            } catch let refused as ImportStepRefused {
                throw Problems(lines: ["\(file) row \(lines[refused.index]), column event: \(refused.description)"])
            }
        }
        progress("writing", all.count, all.count)
        let jobs = written.jobs
        return Result(rows: table.rows.count, written: all.count, jobs: jobs)
    }

    // MARK: parties.csv

    static func importParties(
        path: String, office: ID<Office>, store: Store, actor: String, skip: Bool,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let table = try read(path: path, columns: SampleCSV.partiesColumns)
        let (officeName, existing) = try await store.withOffice(office, actor: actor) { session in
            (try await session.currentOffice().value.name, try await session.partyIDs())
        }
        var checker = Checker(file: table.name)
        var parties: [Party] = []
        var seen: [String: Int] = [:]
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            guard isForOffice(table, row, line: line, name: officeName, skip: skip, &checker) else { continue }
            let name = table.value(row, "name")
            if name.isEmpty { checker.problem(row: line, column: "name", "a name is required") }
            do throws(FieldProblem) { _ = try FieldValues.name(name) } catch {
                checker.problem(row: line, column: "name", error.text)
            }
            if let first = seen[name] {
                checker.problem(row: line, column: "name", "'\(name)' is already used on row \(first)")
            }
            if existing[name] != nil {
                checker.problem(row: line, column: "name", "'\(name)' already exists in this office")
            }
            seen[name] = seen[name] ?? line
            let kind = Party.Kind(rawValue: table.value(row, "kind"))
            if kind == nil {
                checker.problem(
                    row: line, column: "kind", "'\(table.value(row, "kind"))' is not person or organization")
            }
            var roles: [Party.Role] = []
            for text in table.value(row, "roles").split(separator: ";") {
                let value = text.trimmingCharacters(in: .whitespaces)
                if let role = Party.Role(rawValue: value) {
                    roles.append(role)
                } else {
                    checker.problem(
                        row: line, column: "roles",
                        "'\(value)' is not a role (inventor, attorney, licensee, assignee, investor, funder)")
                }
            }
            let sector = Party.Sector(rawValue: table.value(row, "sector"))
            if sector == nil {
                checker.problem(
                    row: line, column: "sector",
                    "'\(table.value(row, "sector"))' is not academia, industry, government or other")
            }
            let regionText = table.value(row, "region")
            let region = Region(rawValue: regionText)
            if !regionText.isEmpty, region == nil {
                checker.problem(row: line, column: "region", "'\(regionText)' is not a region such as almaty-city")
            }
            let countryText = table.value(row, "country")
            let country = countryText.isEmpty ? Country.kazakhstan : Country(countryText)
            if country == nil {
                checker.problem(row: line, column: "country", "'\(countryText)' is not an ISO 3166 alpha-2 code")
            }
            // Optional columns: where reminders and notices reach the party.
            var contacts: [String: String] = [:]
            for column in ["email", "phone"] {
                let text = table.value(row, column)
                guard !text.isEmpty else { continue }
                do throws(FieldProblem) {
                    contacts[column] = column == "email" ? try FieldValues.email(text) : try FieldValues.phone(text)
                } catch {
                    checker.problem(row: line, column: column, error.text)
                }
            }
            guard let kind, let sector, let country else { continue }
            parties.append(
                Party(
                    id: 0, kind: kind, name: name, roles: roles, sector: sector, region: region, country: country,
                    email: contacts["email"], phone: contacts["phone"]))
        }
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let toWrite = parties
        let written = try await store.withOffice(office, actor: actor) { session in
            for (offset, party) in toWrite.enumerated() {
                _ = try await session.createParty(party)
                if offset % 500 == 0 { progress("writing", offset, toWrite.count) }
            }
            return toWrite.count
        }
        return Result(rows: table.rows.count, written: written, jobs: 0)
    }

    // MARK: payments.csv

    static func importPayments(
        path: String, office: ID<Office>, store: Store, actor: String, skip: Bool,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let table = try read(path: path, columns: SampleCSV.paymentsColumns)
        let (officeName, agreements, currencies) = try await store.withOffice(office, actor: actor) { session in
            (
                try await session.currentOffice().value.name, try await session.agreementIDs(),
                try await session.agreementCurrencies()
            )
        }
        var checker = Checker(file: table.name)
        var payments: [Payment] = []
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            guard isForOffice(table, row, line: line, name: officeName, skip: skip, &checker) else { continue }
            let reference = table.value(row, "agreement_ref")
            let agreement = agreements[reference]
            if agreement == nil {
                checker.problem(row: line, column: "agreement_ref", "'\(reference)' is not an agreement of this office")
            }
            let received = date(
                table.value(row, "received_on"), row: line, column: "received_on", &checker, required: true)
            let currencyText = table.value(row, "currency")
            let currency = Currency(code: currencyText)
            if currency == nil {
                checker.problem(row: line, column: "currency", "'\(currencyText)' is not a currency code such as KZT")
            } else if let agreement, let expected = currencies[agreement], expected.currency != currency {
                checker.problem(
                    row: line, column: "currency",
                    "'\(currencyText)' is not the currency of agreement '\(reference)' (\(expected.currency.code))")
            }
            let amountText = table.value(row, "amount")
            var amount: Money?
            if let currency {
                do throws(FieldProblem) {
                    amount = try FieldValues.amount(amountText, in: currency, allowZero: false)
                } catch {
                    checker.problem(row: line, column: "amount", error.text)
                }
            }
            let kind = Payment.Kind(rawValue: table.value(row, "kind"))
            if kind == nil {
                checker.problem(
                    row: line, column: "kind",
                    "'\(table.value(row, "kind"))' is not a payment kind (upfront, royalty, milestone, …)")
            }
            let note = table.value(row, "reference")
            guard let agreement, let received, let amount, amount.minorUnits > 0, let kind else { continue }
            payments.append(
                Payment(
                    id: 0, office: office, agreement: agreement, amount: amount, kind: kind,
                    receivedOn: received, reference: note.isEmpty ? nil : note))
        }
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let toWrite = payments
        try await store.withOffice(office, actor: actor) { session in try await session.createPayments(toWrite) }
        return Result(rows: table.rows.count, written: toWrite.count, jobs: 0)
    }

    // MARK: agreements.csv

    static func importAgreements(
        path: String, obligationsPath: String?, office: ID<Office>, store: Store, actor: String, skip: Bool,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> Result {
        let table = try read(path: path, columns: SampleCSV.agreementsColumns)
        let (officeName, parties, existing) = try await store.withOffice(office, actor: actor) { session in
            (
                try await session.currentOffice().value.name, try await session.partyIDs(),
                try await session.agreementIDs()
            )
        }
        let rightRefs = Array(
            Set(table.rows.flatMap { table.value($0, "rights").split(separator: ";").map(String.init) }))
        let rights = try await store.withOffice(office, actor: actor) { try await $0.rightIDs(references: rightRefs) }
        var checker = Checker(file: table.name)
        var agreements: [(agreement: Agreement, option: String?)] = []
        var currencies: [String: Currency] = [:]
        var seen: [String: Int] = [:]
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            guard isForOffice(table, row, line: line, name: officeName, skip: skip, &checker) else { continue }
            let reference = table.value(row, "ref")
            if reference.isEmpty { checker.problem(row: line, column: "ref", "a reference is required") }
            if let first = seen[reference] {
                checker.problem(row: line, column: "ref", "'\(reference)' is already used on row \(first)")
            } else if existing[reference] != nil {
                checker.problem(row: line, column: "ref", "'\(reference)' already exists in this office")
            }
            seen[reference] = seen[reference] ?? line
            let kind = Agreement.Kind(rawValue: table.value(row, "kind"))
            if kind == nil {
                checker.problem(
                    row: line, column: "kind",
                    "'\(table.value(row, "kind"))' is not one of \(Agreement.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let state = AgreementWorkflow.State(rawValue: table.value(row, "state"))
            if state == nil {
                checker.problem(row: line, column: "state", "'\(table.value(row, "state"))' is not an agreement state")
            }
            var counterparties: [ID<Party>] = []
            for name in table.value(row, "counterparties").split(separator: ";").map({
                $0.trimmingCharacters(in: .whitespaces)
            }) {
                if let id = parties[name] {
                    counterparties.append(id)
                } else {
                    checker.problem(row: line, column: "counterparties", "'\(name)' is not a party of this office")
                }
            }
            var covered: [ID<Right>] = []
            for ref in table.value(row, "rights").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            {
                if let id = rights[ref] {
                    covered.append(id)
                } else {
                    checker.problem(row: line, column: "rights", "'\(ref)' is not a right of this office")
                }
            }
            var countries: [Country] = []
            let territory = table.value(row, "territory")
            if !territory.isEmpty, territory != "worldwide" {
                for code in territory.split(separator: ";") {
                    if let country = Country(String(code)) {
                        countries.append(country)
                    } else {
                        checker.problem(
                            row: line, column: "territory", "'\(code)' is not a country code (or use worldwide)")
                    }
                }
            }
            let starts = date(table.value(row, "starts_on"), row: line, column: "starts_on", &checker)
            let ends = date(table.value(row, "ends_on"), row: line, column: "ends_on", &checker)
            let executed = date(table.value(row, "executed_on"), row: line, column: "executed_on", &checker)
            let untilText = table.value(row, "until_last_right_expires")
            if !["", "true", "false"].contains(untilText) {
                checker.problem(row: line, column: "until_last_right_expires", "'\(untilText)' is not true or false")
            }
            let option = table.value(row, "option_ref")
            if !option.isEmpty, seen[option] == nil || seen[option] == line, existing[option] == nil {
                checker.problem(
                    row: line, column: "option_ref",
                    "'\(option)' is neither an earlier row nor an agreement of this office")
            }
            let terms = financialTerms(table, row, line: line, &checker)
            if let currency = Currency(code: table.value(row, "currency")) { currencies[reference] = currency }
            guard let kind, let state else { continue }
            agreements.append(
                (
                    Agreement(
                        id: 0, office: office, reference: reference, kind: kind, counterparties: counterparties,
                        rightsCovered: covered,
                        fieldOfUse: table.value(row, "field_of_use").isEmpty ? nil : table.value(row, "field_of_use"),
                        territory: Territory(countries: countries),
                        term: AgreementTerm(startsOn: starts, endsOn: ends, untilLastRightExpires: untilText == "true"),
                        financialTerms: terms, executedOn: executed, state: state),
                    option.isEmpty ? nil : option
                ))
        }
        if let obligationsPath {
            let obligationTable = try read(path: obligationsPath, columns: SampleCSV.obligationsColumns)
            var obligationChecker = Checker(file: obligationTable.name)
            let parsed = parseObligations(
                obligationTable, known: Set(agreements.map(\.agreement.reference)),
                currency: { currencies[$0] }, &obligationChecker)
            checker.lines += obligationChecker.lines
            for index in agreements.indices {
                let reference = agreements[index].agreement.reference
                agreements[index].agreement.obligations += parsed.obligations[reference] ?? []
                if let payments = parsed.payments[reference] {
                    var terms = agreements[index].agreement.financialTerms ?? FinancialTerms()
                    terms.milestones += payments
                    agreements[index].agreement.financialTerms = terms
                }
            }
        }
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let toWrite = agreements
        let written = try await store.withOffice(office, actor: actor) { session in
            var keys = existing
            for (offset, item) in toWrite.enumerated() {
                var agreement = item.agreement
                agreement.option = item.option.flatMap { keys[$0] }
                let created = try await session.createAgreement(agreement)
                keys[agreement.reference] = created.id
                if offset % 200 == 0 { progress("writing", offset, toWrite.count) }
            }
            progress("writing", toWrite.count, toWrite.count)
            return toWrite.count
        }
        return Result(rows: table.rows.count, written: written, jobs: 0)
    }

    /// The financial terms of an agreements.csv row (all amounts in its `currency`), or `nil` when none is given.
    static func financialTerms(_ table: Table, _ row: [String], line: Int, _ checker: inout Checker) -> FinancialTerms?
    {
        var problems: [(column: String, text: String)] = []
        let terms = FieldValues.financialTerms({ table.value(row, $0) }, problem: { problems.append(($0, $1)) })
        for problem in problems { checker.problem(row: line, column: problem.column, problem.text) }
        return terms
    }

    // MARK: obligations.csv

    /// Obligations and milestone payments of obligations.csv rows, by agreement reference;
    /// `currency` gives each agreement's currency (for milestone payment amounts).
    static func parseObligations(
        _ table: Table, known: Set<String>, currency currencyOf: (String) -> Currency?, _ checker: inout Checker
    ) -> (obligations: [String: [Obligation]], payments: [String: [MilestonePayment]]) {
        var obligations: [String: [Obligation]] = [:]
        var milestonePayments: [String: [MilestonePayment]] = [:]
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            let reference = table.value(row, "agreement_ref")
            guard known.contains(reference) else {
                checker.problem(row: line, column: "agreement_ref", "'\(reference)' is not an agreement of this office")
                continue
            }
            let name = table.value(row, "name")
            let due = date(table.value(row, "due_on"), row: line, column: "due_on", &checker)
            switch table.value(row, "type") {
            case "royalty-reports":
                let interval = ReportingInterval(rawValue: table.value(row, "interval"))
                let days = Int(table.value(row, "due_within_days"))
                if interval == nil {
                    checker.problem(
                        row: line, column: "interval",
                        "'\(table.value(row, "interval"))' is not monthly, quarterly, semi-annual or annual")
                }
                if days == nil || days! < 0 {
                    checker.problem(
                        row: line, column: "due_within_days",
                        "'\(table.value(row, "due_within_days"))' is not a number of days")
                }
                if let interval, let days {
                    obligations[reference, default: []].append(.royaltyReports(every: interval, dueWithinDays: days))
                }
            case "milestone":
                if name.isEmpty { checker.problem(row: line, column: "name", "a milestone needs a name") }
                if due == nil, table.value(row, "due_on").isEmpty {
                    checker.problem(row: line, column: "due_on", "a milestone needs a date")
                }
                if let due, !name.isEmpty {
                    obligations[reference, default: []].append(.milestone(name: name, dueOn: due))
                }
            case "option-exercise":
                if due == nil, table.value(row, "due_on").isEmpty {
                    checker.problem(row: line, column: "due_on", "an option exercise needs a date")
                }
                if let due { obligations[reference, default: []].append(.optionExercise(by: due)) }
            case "milestone-payment":
                if name.isEmpty { checker.problem(row: line, column: "name", "a milestone payment needs a name") }
                let amountText = table.value(row, "amount")
                guard let currency = currencyOf(reference) else {
                    checker.problem(
                        row: line, column: "amount",
                        "agreement '\(reference)' has no currency (import agreements.csv with --obligations)")
                    continue
                }
                let amount: Money
                do throws(FieldProblem) {
                    amount = try FieldValues.amount(amountText, in: currency, allowZero: false)
                } catch {
                    checker.problem(row: line, column: "amount", error.text)
                    continue
                }
                if !name.isEmpty {
                    milestonePayments[reference, default: []].append(
                        MilestonePayment(name: name, amount: amount, dueOn: due))
                }
            default:
                checker.problem(
                    row: line, column: "type",
                    "'\(table.value(row, "type"))' is not royalty-reports, milestone, option-exercise or milestone-payment"
                )
            }
        }
        return (obligations, milestonePayments)
    }

    static func importObligations(path: String, office: ID<Office>, store: Store, actor: String) async throws
        -> Result
    {
        let table = try read(path: path, columns: SampleCSV.obligationsColumns)
        let agreements = try await store.withOffice(office, actor: actor) { session in
            Dictionary(
                try await session.agreements().map { ($0.value.reference, $0) }, uniquingKeysWith: { first, _ in first }
            )
        }
        var checker = Checker(file: table.name)
        let (obligations, milestonePayments) = parseObligations(
            table, known: Set(agreements.keys),
            currency: { reference in
                let terms = agreements[reference]?.value.financialTerms
                return terms?.milestones.first?.amount.currency ?? terms?.upfront?.currency
                    ?? terms?.minimumAnnualRoyalty?.currency
            }, &checker)
        guard checker.lines.isEmpty else { throw Problems(lines: checker.lines) }
        let changes = Set(obligations.keys).union(milestonePayments.keys).sorted()
        try await store.withOffice(office, actor: actor) { session in
            for reference in changes {
                guard var agreement = agreements[reference] else { continue }
                agreement.value.obligations += obligations[reference] ?? []
                if let payments = milestonePayments[reference] {
                    var terms = agreement.value.financialTerms ?? FinancialTerms()
                    terms.milestones += payments
                    agreement.value.financialTerms = terms
                }
                try await session.updateAgreement(agreement)
            }
        }
        return Result(rows: table.rows.count, written: table.rows.count, jobs: 0)
    }
}
