import IPCase
import IPCaseStore

/// `offers.csv` (`RecordFile/offers`) → technology offers, each checked as `createOffer` does.
struct OffersImporter: RecordImporter {
    typealias Record = TechnologyOffer
    static let file = RecordFile.offers
    let options: CSVImport.Options
    var disclosures: [String: ID<Disclosure>]
    var rights: [String: ID<Right>]
    var stored: Set<String>
    var seen: [String: Int] = [:]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        let references = Array(Set(table.rows.flatMap { $0.list("rights") }))
        (disclosures, rights, stored) = try await options.withOffice {
            session in
            (
                try await session.disclosureIDs(), try await session.rightIDs(references: references),
                Set(try await session.offers().map(\.reference))
            )
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> TechnologyOffer? {
        let reference = row["reference"]
        if stored.contains(reference) {
            problems.add(row, "reference", "'\(reference)' is a recorded offer already")
        } else if let earlier = seen[reference], !reference.isEmpty {
            problems.add(row, "reference", "row \(earlier) records '\(reference)' already")
        }
        seen[reference] = seen[reference] ?? row.line
        var readiness: TechnologyReadinessLevel?
        if !row["trl"].isEmpty {
            readiness = Int(row["trl"]).flatMap(TechnologyReadinessLevel.init)
            if readiness == nil { problems.add(row, "trl", "'\(row["trl"])' is not a readiness level 1–9") }
        }
        let offeredOn = row.date("offered_on", &problems, required: true)
        let offer = TechnologyOffer(
            id: 0, office: options.office, reference: reference, title: row["title"], summary: row["summary"],
            disclosures: row.keys("disclosures", in: disclosures, &problems, unknown: "disclosure"),
            rights: row.keys("rights", in: rights, &problems, unknown: "right"),
            readiness: readiness, sectors: row.list("sectors"), offeredOn: offeredOn ?? CivilDate(daysSinceEpoch: 0))
        let named = !row["disclosures"].isEmpty || !row["rights"].isEmpty
        for problem in offer.problems where problem.field != "disclosures" || !named {
            problems.add(row, problem.field, problem.reason)
        }
        return offeredOn == nil ? nil : offer
    }

    func write(_ records: [TechnologyOffer], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for offer in records { _ = try await session.createOffer(offer) }
        return (records.count, 0)
    }
}

/// `outreach.csv` (`RecordFile/outreach`) → contacts with companies about recorded offers.
struct OutreachImporter: RecordImporter {
    typealias Record = (offer: ID<TechnologyOffer>, outreach: Outreach)
    static let file = RecordFile.outreach
    let options: CSVImport.Options
    var offers: [String: TechnologyOffer]
    var companies: [String: ID<Party>]

    init(table: CSVTable, options: CSVImport.Options) async throws {
        self.options = options
        (offers, companies) = try await options.withOffice { session in
            let offers = try await session.offers()
            let organizations = try await session.parties().filter { $0.value.kind == .organization }
            return (
                Dictionary(offers.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first }),
                Dictionary(organizations.map { ($0.value.name, $0.value.id) }, uniquingKeysWith: { first, _ in first })
            )
        }
    }

    mutating func validate(_ row: CSVRow, _ problems: inout RowProblems) -> Record? {
        let offer = offers[row["offer_ref"]]
        if offer == nil {
            problems.add(row, "offer_ref", "'\(row["offer_ref"])' is not a recorded offer (import offers.csv first)")
        }
        let company = companies[row["company"]]
        if company == nil { problems.add(row, "company", "'\(row["company"])' is not a company (organization) of this office") }
        let date = row.date("date", &problems, required: true)
        if let date, let offer, date < offer.offeredOn {
            problems.add(row, "date", "\(date) is before the offer was made on \(offer.offeredOn)")
        }
        var channel: Outreach.Channel?
        var response = Outreach.Response.pending
        do throws(FieldProblem) {
            channel = try FieldValues.choice(row["channel"], Outreach.Channel.self)
        } catch {
            problems.add(row, "channel", error)
        }
        if !row["response"].isEmpty {
            do throws(FieldProblem) {
                response = try FieldValues.choice(row["response"], Outreach.Response.self)
            } catch {
                problems.add(row, "response", error)
            }
        }
        guard let offer, let company, let date, let channel else { return nil }
        return (
            offer.id,
            Outreach(
                on: date, channel: channel, company: company, contact: row["contact"].isEmpty ? nil : row["contact"],
                response: response)
        )
    }

    func write(_ records: [Record], in session: OfficeSession, progress: @escaping CSVImport.Progress)
        async throws -> (records: Int, jobs: Int)
    {
        for record in records { _ = try await session.addOutreach(record.outreach, to: record.offer) }
        return (records.count, 0)
    }
}
