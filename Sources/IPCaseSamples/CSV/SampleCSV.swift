import IPCase

/// Writers of the import CSV formats (`ipcase import` reads exactly these): RFC 4180 — a header
/// line, comma-separated fields, CRLF line ends, fields quoted with `"` when they contain a comma,
/// a quote, a line break or edge spaces (a quote inside is doubled).
///
/// Conventions: dates `YYYY-MM-DD`; an empty field is "none"; lists inside a field are separated
/// by `;`; amounts are plain decimals with the currency's minor digits (`1234567.89`); percentages
/// have two decimals and no sign (`3.50`); records are named by their reference or, for offices
/// and parties, by their exact name.
///
/// | file | one row per |
/// |---|---|
/// | `parties.csv` | party: ``partiesColumns`` |
/// | `rights.csv` | right: ``rightsColumns`` |
/// | `events.csv` | event of a right, oldest first: ``eventsColumns`` |
/// | `agreements.csv` | agreement: ``agreementsColumns`` |
/// | `obligations.csv` | obligation or milestone payment of an agreement: ``obligationsColumns`` |
/// | `payments.csv` | payment received: ``paymentsColumns`` |
public enum SampleCSV {
    /// `parties.csv`: `office` (office name), `name` (unique key), `kind` (`person`, `organization`),
    /// `roles` (`;`-list of `inventor`, `attorney`, `licensee`, `assignee`, `investor`, `funder`),
    /// `sector` (`academia`, `industry`, `government`, `other`), `region` (e.g. `almaty-city`, empty
    /// abroad), `country` (ISO 3166 alpha-2), `department` (inventors); optional columns `email` (where
    /// reminders and notices reach the party) and `phone`.
    public static let partiesColumns = ["office", "name", "kind", "roles", "sector", "region", "country", "department"]

    /// `rights.csv`: `office`, `ref` (unique docket reference), `family` (family reference),
    /// `jurisdiction` (`KZ`, `EA`, `WO`, `EP`, `US` …), `kind` (`patent`, `utility-model`, `design`,
    /// `trademark`, `pct-application`, `provisional`, `selection-achievement`), `title`,
    /// `application_number`, `filing_date`, `priority_date`, `priority_office`, `priority_number`
    /// (the first priority claimed), `parent_ref` (the PCT application a national phase entered
    /// from, listed earlier in the file), `disclosure` (reference of a recorded disclosure),
    /// `attorney` (party name), `ipc` (`;`-list of IPC symbols), `state` (where `events.csv` leads;
    /// a check, not an input). Application number and filing date repeat the `filed` event.
    public static let rightsColumns = [
        "office", "ref", "family", "jurisdiction", "kind", "title", "application_number", "filing_date",
        "priority_date", "priority_office", "priority_number", "parent_ref", "disclosure", "attorney", "ipc", "state",
    ]

    /// `events.csv`: `right_ref`, `event` (a `RightEventKind` spelling such as `filed`,
    /// `office-action`, `annuity-paid`, or `entered-into-force`), `date`, `year` (the fee year of
    /// `annuity-paid` and `renewal-requested`), `reference` (application number of `filed`,
    /// registration number of `granted`, priority office and number of `priority`, PCT number of
    /// `pct-filed`, office entered of `national-phase-entered`), `restorable_until` (`lapsed`).
    ///
    /// Rows that move the right's state are replayed through the right workflow in file order;
    /// ``SampleRightStep/init(event:date:year:reference:restorableUntil:rightKind:)`` says which.
    public static let eventsColumns = ["right_ref", "event", "date", "year", "reference", "restorable_until"]

    /// `agreements.csv`: `office`, `ref`, `kind` (`exclusive-licence`, `non-exclusive-licence`,
    /// `option`, `assignment`, `sponsored-research`, `mta`, `nda`, `spin-off-equity`), `state`
    /// (`draft`, `executed`, `active`, `in-default`, `cured`, `expired`, `terminated`, `exercised`,
    /// `lapsed`), `counterparties` (`;`-list of party names), `rights` (`;`-list of right refs),
    /// `field_of_use`, `territory` (`worldwide` or a `;`-list of country codes), `starts_on`,
    /// `ends_on`, `until_last_right_expires` (`true`/`false`), `executed_on`, `option_ref` (the
    /// option a licence was granted under, listed earlier), `currency` (of every amount of the
    /// row and its obligations), `upfront`, `royalty_rate` (percent), `royalty_base` (`net-sales`,
    /// `gross-sales`, `net-revenue`), `minimum_annual_royalty`, `sublicense_share` (percent),
    /// `patent_costs` (`fixed:AMOUNT`, `actual`, `actual:CAP`), `equity_percentage`, `equity_shares`.
    public static let agreementsColumns = [
        "office", "ref", "kind", "state", "counterparties", "rights", "field_of_use", "territory", "starts_on",
        "ends_on", "until_last_right_expires", "executed_on", "option_ref", "currency", "upfront", "royalty_rate",
        "royalty_base", "minimum_annual_royalty", "sublicense_share", "patent_costs", "equity_percentage",
        "equity_shares",
    ]

    /// `obligations.csv`: `agreement_ref`, `type` (`royalty-reports`: `interval` `monthly`,
    /// `quarterly`, `semi-annual` or `annual` and `due_within_days`; `milestone`: `name`, `due_on`;
    /// `option-exercise`: `due_on`; `milestone-payment`: `name`, `amount`, optional `due_on`).
    public static let obligationsColumns = [
        "agreement_ref", "type", "name", "due_on", "amount", "interval", "due_within_days",
    ]

    /// `payments.csv`: `office`, `agreement_ref`, `received_on`, `amount`, `currency`, `kind`
    /// (`upfront`, `royalty`, `milestone`, `sublicense`, `patent-cost-reimbursement`,
    /// `equity-sale`, `other`), `reference`.
    public static let paymentsColumns = [
        "office", "agreement_ref", "received_on", "amount", "currency", "kind", "reference",
    ]

    // MARK: RFC 4180

    /// One field, quoted when it contains a comma, a quote, a line break or edge spaces.
    public static func field(_ text: String) -> String {
        var needsQuotes = false
        for byte in text.utf8 where byte == 44 || byte == 34 || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = text.utf8.first, let last = text.utf8.last, first == 32 || last == 32 {
            needsQuotes = true
        }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }

    /// Appends one record (fields joined by commas, ended by CRLF).
    public static func appendRecord(_ fields: [String], to csv: inout String) {
        for (index, value) in fields.enumerated() {
            if index > 0 { csv.append(",") }
            csv.append(field(value))
        }
        csv.append("\r\n")
    }

    /// One record as a line, CRLF included.
    public static func record(_ fields: [String]) -> String {
        var line = ""
        appendRecord(fields, to: &line)
        return line
    }

    // MARK: Value spellings

    /// A plain decimal in the currency's minor digits: `1234567.89`, `-0.05`, `1000` (JPY).
    public static func decimal(_ money: Money) -> String {
        let exponent = money.currency.minorUnitExponent
        let perMajor = UInt64(money.currency.minorUnitsPerMajor)
        let magnitude = money.minorUnits.magnitude
        var text = (money.minorUnits < 0 ? "-" : "") + String(magnitude / perMajor)
        if exponent > 0 { text += "." + SampleText.padded(Int(magnitude % perMajor), exponent) }
        return text
    }

    /// A percentage with two decimals and no sign: `3.50`.
    public static func percent(_ rate: BasisPoints) -> String {
        "\(rate.value / 100).\(SampleText.padded(rate.value % 100, 2))"
    }

    static func date(_ date: CivilDate?) -> String { date?.description ?? "" }

    // MARK: Names

    /// How records are named in the files: offices and parties by name; disclosures, rights and
    /// agreements by reference.
    public struct Names: Sendable {
        /// Office names by ID.
        public var offices: [ID<Office>: String]
        /// Party names by ID.
        public var parties: [ID<Party>: String]
        /// Disclosure references by ID.
        public var disclosures: [ID<Disclosure>: String]
        /// Right references by ID (only needed for agreements; rights carry their own links).
        public var rights: [ID<Right>: String]
        /// Agreement references by ID.
        public var agreements: [ID<Agreement>: String]

        /// Names for offices and parties only (enough for `rights.csv` of generated sets).
        public init(offices: [Office], parties: [SampleParty]) {
            self.offices = Dictionary(uniqueKeysWithValues: offices.map { ($0.id, $0.name) })
            self.parties = Dictionary(uniqueKeysWithValues: parties.map { ($0.party.id, $0.party.name) })
            self.disclosures = [:]
            self.rights = [:]
            self.agreements = [:]
        }

        /// Names for every record of a portfolio.
        public init(_ portfolio: SamplePortfolio) {
            self.init(offices: portfolio.offices, parties: portfolio.parties)
            disclosures = Dictionary(
                uniqueKeysWithValues: portfolio.disclosures.map { ($0.disclosure.id, $0.disclosure.reference) })
            rights = Dictionary(uniqueKeysWithValues: portfolio.rights.map { ($0.right.id, $0.right.reference) })
            agreements = Dictionary(
                uniqueKeysWithValues: portfolio.agreements.map { ($0.agreement.id, $0.agreement.reference) })
        }
    }

    // MARK: Files

    /// `parties.csv` for `parties`.
    public static func parties(_ parties: [SampleParty], names: Names) -> String {
        var csv = record(partiesColumns)
        for sample in parties {
            let party = sample.party
            appendRecord(
                [
                    names.offices[sample.office] ?? "", party.name, party.kind.rawValue,
                    party.roles.map(\.rawValue).joined(separator: ";"), party.sector.rawValue,
                    party.region?.rawValue ?? "", party.country.code, sample.department ?? "",
                ], to: &csv)
        }
        return csv
    }

    /// Appends the `rights.csv` row of `sample`.
    public static func appendRight(_ sample: SampleRight, names: Names, to csv: inout String) {
        let right = sample.right
        let priority = right.priorityClaims.first
        appendRecord(
            [
                names.offices[right.office] ?? "", right.reference, sample.familyReference ?? "",
                right.jurisdiction.code, right.kind.rawValue, right.title, right.applicationNumber ?? "",
                date(right.filingDate), date(priority?.date), priority?.jurisdiction.code ?? "",
                priority?.applicationNumber ?? "", sample.parentReference ?? "",
                right.disclosure.flatMap { names.disclosures[$0] } ?? "",
                right.responsibleAttorney.flatMap { names.parties[$0] } ?? "",
                sample.ipcSymbols.map(\.text).joined(separator: ";"), right.state.rawValue,
            ], to: &csv)
    }

    /// Appends the `events.csv` rows of `sample`, oldest first.
    public static func appendEvents(of sample: SampleRight, to csv: inout String) {
        for step in sample.history {
            let event = step.rightEvent
            appendRecord(
                [
                    sample.right.reference, step.eventName, step.date.description, event?.year.map(String.init) ?? "",
                    event?.reference ?? "", date(step.restorableUntil),
                ], to: &csv)
        }
    }

    /// `rights.csv` for `rights`.
    public static func rights(_ rights: some Sequence<SampleRight>, names: Names) -> String {
        var csv = record(rightsColumns)
        for sample in rights { appendRight(sample, names: names, to: &csv) }
        return csv
    }

    /// `events.csv` for the histories of `rights`.
    public static func events(_ rights: some Sequence<SampleRight>) -> String {
        var csv = record(eventsColumns)
        for sample in rights { appendEvents(of: sample, to: &csv) }
        return csv
    }

    /// `agreements.csv` for `agreements`.
    public static func agreements(_ agreements: [SampleAgreement], names: Names) -> String {
        var csv = record(agreementsColumns)
        for sample in agreements {
            let agreement = sample.agreement
            let terms = agreement.financialTerms
            let currency = Self.currency(of: agreement)
            let patentCosts: String =
                switch terms?.patentCostReimbursement {
                case .none: ""
                case .fixed(let money): "fixed:\(decimal(money))"
                case .actualCosts(let cap): cap.map { "actual:\(decimal($0))" } ?? "actual"
                }
            appendRecord(
                [
                    names.offices[agreement.office] ?? "", agreement.reference, agreement.kind.rawValue,
                    agreement.state.rawValue,
                    agreement.counterparties.map { names.parties[$0] ?? "" }.joined(separator: ";"),
                    agreement.rightsCovered.map { names.rights[$0] ?? "" }.joined(separator: ";"),
                    agreement.fieldOfUse ?? "",
                    agreement.territory.isWorldwide
                        ? "worldwide" : agreement.territory.countries.map(\.code).joined(separator: ";"),
                    date(agreement.term.startsOn), date(agreement.term.endsOn),
                    agreement.term.untilLastRightExpires ? "true" : "false", date(agreement.executedOn),
                    agreement.option.flatMap { names.agreements[$0] } ?? "", currency?.code ?? "",
                    terms?.upfront.map(decimal) ?? "", terms?.runningRoyalty.map { percent($0.rate) } ?? "",
                    terms?.runningRoyalty?.base.rawValue ?? "", terms?.minimumAnnualRoyalty.map(decimal) ?? "",
                    terms?.sublicenseIncomeShare.map(percent) ?? "", patentCosts,
                    terms?.equity?.percentage.map(percent) ?? "", terms?.equity?.shares.map(String.init) ?? "",
                ], to: &csv)
        }
        return csv
    }

    /// The currency of an agreement's amounts, if it has any.
    static func currency(of agreement: Agreement) -> Currency? {
        guard let terms = agreement.financialTerms else { return nil }
        var amounts: [Money] = [terms.upfront, terms.minimumAnnualRoyalty].compactMap { $0 }
        amounts += terms.milestones.map(\.amount)
        switch terms.patentCostReimbursement {
        case .fixed(let money): amounts.append(money)
        case .actualCosts(let cap?): amounts.append(cap)
        case .actualCosts(nil), .none: break
        }
        return amounts.first?.currency
    }

    /// `obligations.csv` for the obligations and milestone payments of `agreements`.
    public static func obligations(_ agreements: [SampleAgreement]) -> String {
        var csv = record(obligationsColumns)
        for sample in agreements {
            let reference = sample.agreement.reference
            for obligation in sample.agreement.obligations {
                switch obligation {
                case .royaltyReports(let every, let days):
                    appendRecord([reference, "royalty-reports", "", "", "", every.rawValue, String(days)], to: &csv)
                case .milestone(let name, let due):
                    appendRecord([reference, "milestone", name, due.description, "", "", ""], to: &csv)
                case .optionExercise(let by):
                    appendRecord([reference, "option-exercise", "", by.description, "", "", ""], to: &csv)
                }
            }
            for payment in sample.agreement.financialTerms?.milestones ?? [] {
                appendRecord(
                    [
                        reference, "milestone-payment", payment.name, date(payment.dueOn), decimal(payment.amount), "",
                        "",
                    ],
                    to: &csv)
            }
        }
        return csv
    }

    /// `payments.csv` for `payments`.
    public static func payments(_ payments: [Payment], names: Names) -> String {
        var csv = record(paymentsColumns)
        for payment in payments {
            appendRecord(
                [
                    names.offices[payment.office] ?? "", names.agreements[payment.agreement] ?? "",
                    payment.receivedOn.description, decimal(payment.amount), payment.amount.currency.code,
                    payment.kind.rawValue, payment.reference ?? "",
                ], to: &csv)
        }
        return csv
    }
}

extension SamplePortfolio {
    /// The portfolio as import files, by file name: `parties.csv`, `rights.csv`, `events.csv`,
    /// `agreements.csv`, `obligations.csv`, `payments.csv`.
    public var csvFiles: [(name: String, contents: String)] {
        let names = SampleCSV.Names(self)
        return [
            ("parties.csv", SampleCSV.parties(parties, names: names)),
            ("rights.csv", SampleCSV.rights(rights, names: names)),
            ("events.csv", SampleCSV.events(rights)),
            ("agreements.csv", SampleCSV.agreements(agreements, names: names)),
            ("obligations.csv", SampleCSV.obligations(agreements)),
            ("payments.csv", SampleCSV.payments(payments, names: names)),
        ]
    }
}
