import IPCase
import IPCaseStore

/// What the start-up files name: the office's parties by name, agreements by reference and the
/// recorded start-ups by their company's name.
struct StartupKeys: Sendable {
    var parties: [String: ID<Party>]
    var agreements: [String: ID<Agreement>]
    var startups: [ID<Party>: Startup]

    static func load(_ options: CSVImport.Options) async throws -> StartupKeys {
        try await options.withOffice { session in
            StartupKeys(
                parties: try await session.partyIDs(), agreements: try await session.agreementIDs(),
                startups: Dictionary(try await session.startups().map { ($0.party, $0) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// The party named in `column`, noting a name the office does not have.
    func party(_ row: CSVRow, _ column: String, _ problems: inout RowProblems) -> ID<Party>? {
        let name = row[column]
        guard !name.isEmpty else { return nil }
        if let id = parties[name] { return id }
        problems.add(row, column, "'\(name)' is not a party of this office")
        return nil
    }

    /// The parties listed in `column`.
    func parties(_ row: CSVRow, _ column: String, _ problems: inout RowProblems) -> [ID<Party>] {
        row.list(column).compactMap { name in
            if let id = parties[name] { return id }
            problems.add(row, column, "'\(name)' is not a party of this office")
            return nil
        }
    }

    /// The recorded start-up of the company named in `company`.
    func startup(_ row: CSVRow, _ problems: inout RowProblems) -> Startup? {
        guard let party = party(row, "company", &problems) else {
            if row["company"].isEmpty { problems.add(row, "company", "the start-up's company is required") }
            return nil
        }
        if let startup = startups[party] { return startup }
        problems.add(row, "company", "'\(row["company"])' is not a recorded start-up (import startups.csv first)")
        return nil
    }
}

/// A whole number of `column`, or `nil` when empty; noted when not one.
private func count(_ row: CSVRow, _ column: String, _ problems: inout RowProblems) -> Int64? {
    let text = row[column]
    guard !text.isEmpty else { return nil }
    guard let value = Int64(text), value >= 0 else {
        problems.add(row, column, "'\(text)' is not a whole number of shares such as 150000")
        return nil
    }
    return value
}

/// `startups.csv` (`RecordFile/startups`) → start-ups, each checked as `createStartup` does.
struct StartupsImporter: RecordImporter {
    typealias Record = Startup
    static let file = RecordFile.startups
    let options: CSVImport.Options
    var keys: StartupKeys
    var seen: [ID<Party>: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        keys = try await StartupKeys.load(options)
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Startup? {
        let party = keys.party(row, "company", &problems)
        if row["company"].isEmpty { problems.add(row, "company", "the start-up's company is required") }
        if let party {
            if keys.startups[party] != nil {
                problems.add(row, "company", "'\(row["company"])' is a recorded start-up already")
            } else if let earlier = seen[party] {
                problems.add(row, "company", "row \(earlier) records '\(row["company"])' already")
            } else {
                seen[party] = row.line
            }
        }
        let founded = row.date("founded_on", &problems, required: true)
        let region = Region(rawValue: row["region"])
        if !row["region"].isEmpty, region == nil {
            problems.add(row, "region", "'\(row["region"])' is not a region such as almaty-city")
        }
        let founders = keys.parties(row, "founders", &problems)
        let shares = count(row, "shares", &problems)
        if row["shares"].isEmpty { problems.add(row, "shares", "the shares issued at founding are required") }
        let officeShares = count(row, "office_shares", &problems) ?? 0
        var agreement: ID<Agreement>?
        if !row["agreement_ref"].isEmpty {
            agreement = keys.agreements[row["agreement_ref"]]
            if agreement == nil { problems.add(row, "agreement_ref", "'\(row["agreement_ref"])' is not an agreement of this office") }
        }
        guard let party, let founded, let shares else { return nil }
        let startup = Startup(
            id: 0, office: options.office, party: party, foundedOn: founded, region: region, founders: founders,
            sharesAtFounding: shares, officeShares: officeShares,
            vesting: row["vesting"].isEmpty ? nil : row["vesting"], agreement: agreement)
        for problem in startup.problems {
            problems.add(row, problem.field == "shares" ? "shares" : "office_shares", problem.reason)
        }
        return startup
    }

    func write(_ records: [Startup], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for startup in records { _ = try await session.createStartup(startup) }
        return (records.count, 0)
    }
}

/// `rounds.csv` (`RecordFile/rounds`) → financing rounds of recorded start-ups.
struct RoundsImporter: RecordImporter {
    typealias Record = (startup: ID<Startup>, round: FinancingRound)
    static let file = RecordFile.rounds
    let options: CSVImport.Options
    var keys: StartupKeys

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        keys = try await StartupKeys.load(options)
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let startup = keys.startup(row, &problems)
        let closed = row.date("closed_on", &problems, required: true)
        var instrument: FinancingRound.Instrument?
        do throws(FieldProblem) {
            instrument = try FieldValues.choice(row["instrument"], FinancingRound.Instrument.self)
        } catch {
            problems.add(row, "instrument", error)
        }
        let currency = row.currency("currency", &problems)
        let amount = row.amount("amount", in: currency, &problems, allowZero: false)
        let preMoney = row.amount("pre_money", in: currency, &problems, required: false, allowZero: false)
        let newShares = count(row, "new_shares", &problems)
        let investors = keys.parties(row, "investors", &problems)
        guard let startup, let closed, let instrument, let amount else { return nil }
        let round = FinancingRound(
            closedOn: closed, instrument: instrument, amount: amount, preMoney: preMoney, newShares: newShares,
            investors: investors)
        for problem in round.problems { problems.add(row, problem.field, problem.reason) }
        if closed < startup.foundedOn {
            problems.add(row, "closed_on", "\(closed) is before the founding on \(startup.foundedOn)")
        }
        return (startup.id, round)
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for record in records { _ = try await session.addRound(record.round, to: record.startup) }
        return (records.count, 0)
    }
}

/// `residencies.csv` (`RecordFile/residencies`) → technopark residencies of recorded start-ups.
struct ResidenciesImporter: RecordImporter {
    typealias Record = (startup: ID<Startup>, residency: Residency)
    static let file = RecordFile.residencies
    let options: CSVImport.Options
    var keys: StartupKeys

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        keys = try await StartupKeys.load(options)
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let startup = keys.startup(row, &problems)
        if row["technopark"].isEmpty { problems.add(row, "technopark", "the technopark is required") }
        let from = row.date("from", &problems, required: true)
        let to = row.date("to", &problems)
        if let from, let to, to < from { problems.add(row, "to", "\(to) is before the first day \(from)") }
        if let from, let startup, from < startup.foundedOn {
            problems.add(row, "from", "\(from) is before the founding on \(startup.foundedOn)")
        }
        guard let startup, let from, !row["technopark"].isEmpty else { return nil }
        return (
            startup.id,
            Residency(technopark: row["technopark"], from: from, to: to, regime: row["regime"].isEmpty ? nil : row["regime"])
        )
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for record in records { _ = try await session.addResidency(record.residency, to: record.startup) }
        return (records.count, 0)
    }
}
