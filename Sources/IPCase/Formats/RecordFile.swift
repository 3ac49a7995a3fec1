/// The CSV files IPCase reads (`ipcase import`) and its sample portfolio writes: one file per
/// kind of record, RFC 4180 — a header line, comma-separated fields, CRLF line ends, fields quoted
/// with `"` when they contain a comma, a quote, a line break or edge spaces (a quote inside is
/// doubled); see ``CSVText`` for the writer.
///
/// Conventions: dates `YYYY-MM-DD`; an empty field is "none"; lists inside a field are separated
/// by `;`; amounts are plain decimals with the currency's minor digits (`1234567.89`); percentages
/// have two decimals and no sign (`3.50`); records are named by their reference or, for offices
/// and parties, by their exact name. Columns may come in any order; every one of ``columns`` must
/// be there, ``optionalColumns`` may be, any other is ignored.
public enum RecordFile: String, CaseIterable, Sendable {
    /// `parties.csv`, one party per row: `office` (office name), `name` (unique key), `kind`
    /// (`person`, `organization`), `roles` (`;`-list of `inventor`, `attorney`, `licensee`,
    /// `assignee`, `investor`, `funder`), `sector` (`academia`, `industry`, `government`,
    /// `other`), `region` (e.g. `almaty-city`, empty abroad), `country` (ISO 3166 alpha-2, empty
    /// for KZ), `department` (inventors); optional `email` (where reminders and notices reach the
    /// party) and `phone`; for a person who consented, `gender` (`female`, `male`, `non-binary`,
    /// `undisclosed`), `career_stage` (`student`, `early-career`, `mid-career`, `senior`) and
    /// `consented_on` (the day of consent, required with either); for an organization,
    /// `employees` (a count: the AUTM survey's small company has fewer than 500).
    case parties
    /// `rights.csv`, one right per row: `office`, `ref` (unique docket reference), `family`
    /// (family reference), `jurisdiction` (`KZ`, `EA`, `WO`, `EP`, `US` …), `kind` (`patent`,
    /// `utility-model`, `design`, `trademark`, `pct-application`, `provisional`,
    /// `selection-achievement`; objects of copyright `software`, `database`, `work`; `know-how`), `title`, `application_number`, `filing_date`, `priority_date`,
    /// `priority_office`, `priority_number` (the first priority claimed), `parent_ref` (the PCT
    /// application a national phase entered from, listed earlier or already stored),
    /// `disclosure` (reference of a recorded disclosure it protects; a `;`-list names further
    /// ones it also comes from, e.g. know-how pooled from several), `attorney` (party name), `ipc`
    /// (`;`-list of IPC symbols), `state` (where `events.csv` leads; a check, not an input);
    /// optional `deadlines` (`computed`, the default, or `manual` for a jurisdiction without
    /// rules). Application number and filing date repeat the `filed` event.
    case rights
    /// `events.csv`, one event of a right per row, oldest first: `right_ref`, `event` (a
    /// `RightEventKind` spelling such as `filed`, `office-action`, `annuity-paid`, or
    /// `entered-into-force`), `date`, `year` (the fee year of `annuity-paid` and
    /// `renewal-requested`), `reference` (application number of `filed`, registration number of
    /// `granted`, priority office and number of `priority`, PCT number of `pct-filed`, office
    /// entered of `national-phase-entered`), `restorable_until` (`lapsed`). Rows that move the
    /// right's state are replayed through the right workflow in file order; ``RightStep`` says
    /// which.
    case events
    /// `agreements.csv`, one agreement per row: `office`, `ref`, `kind` (`exclusive-licence`,
    /// `non-exclusive-licence`, `option`, `assignment`, `sponsored-research`, `mta`, `nda`,
    /// `spin-off-equity`), `state` (`draft`, `executed`, `active`, `in-default`, `cured`,
    /// `expired`, `terminated`, `exercised`, `lapsed`), `counterparties` (`;`-list of party
    /// names), `rights` (`;`-list of right refs), `field_of_use`, `territory` (`worldwide` or a
    /// `;`-list of country codes), `starts_on`, `ends_on`, `until_last_right_expires`
    /// (`true`/`false`), `executed_on`, `option_ref` (the option a licence was granted under,
    /// listed earlier or already stored), `currency` (of every amount of the row and its
    /// obligations), `upfront`, `royalty_rate` (percent), `royalty_base` (`net-sales`,
    /// `gross-sales`, `net-revenue`), `minimum_annual_royalty`, `sublicense_share` (percent),
    /// `patent_costs` (`fixed:AMOUNT`, `actual`, `actual:CAP`), `equity_percentage`,
    /// `equity_shares`.
    case agreements
    /// `obligations.csv`, one obligation or milestone payment of an agreement per row:
    /// `agreement_ref`, `type` (`royalty-reports`: `interval` `monthly`, `quarterly`,
    /// `semi-annual` or `annual` and `due_within_days`; `milestone`: `name`, `due_on`;
    /// `option-exercise`: `due_on`; `milestone-payment`: `name`, `amount`, optional `due_on`).
    case obligations
    /// `payments.csv`, one payment received per row: `office`, `agreement_ref`, `received_on`,
    /// `amount`, `currency`, `kind` (`upfront`, `royalty`, `milestone`, `sublicense`,
    /// `patent-cost-reimbursement`, `equity-sale`, `other`), `reference`.
    case payments
    /// `costs.csv`, one cost of the expense ledger per row: `right_ref` (a right's docket
    /// reference) or `family` (a family's reference, for a cost of the whole family), `kind`
    /// (`official-fee`, `attorney-fee`, `translation`, `other`), `amount`, `currency`, `date`
    /// (the day incurred), `invoice` (the payee's invoice number), `payee` (party name),
    /// `reimbursable` (`true`/`false`, empty is false), `agreement_ref` (the agreement it is
    /// reimbursable under), `fee_rule` and `fee_year` (the deadline rule and year an official fee
    /// paid, e.g. `EP.renewal`, `5`), `description`.
    case costs
    /// `policies.csv`, one revenue-sharing policy per row: `name`, `effective_from` (the first
    /// day it applies), `admin_share`, `recover_patent_costs` (`true`/`false`, empty is true),
    /// `inventors_share`, `department_share`, `institution_share` (percentages with up to two
    /// decimals; the last three sum to 100), `source` (where it is laid down).
    case policies
    /// `startups.csv`, one start-up per row: `company` (an organization party's name),
    /// `founded_on`, `region`, `founders` (`;`-list of party names), `shares` (issued at
    /// founding), `office_shares`, `vesting`, `agreement_ref` (the spin-off agreement).
    case startups
    /// `rounds.csv`, one financing round per row: `company` (a recorded start-up's party name),
    /// `closed_on`, `instrument` (`equity`, `safe`, `convertible-note`, `grant`), `amount`,
    /// `currency`, `pre_money`, `new_shares`, `investors` (`;`-list of party names).
    case rounds
    /// `residencies.csv`, one technopark residency per row: `company`, `technopark`, `from`,
    /// `to` (empty while it lasts), `regime`.
    case residencies
    /// `projects.csv`, one stage of a funded project per row, the stages of a project in order:
    /// `reference` (the project's), `stage` (1, 2 …), `amount`, `currency`, `from`, `to`,
    /// `cofinancing` (put into the stage, same currency); and the project's own columns, given on
    /// its first row (later rows leave them empty or repeat them exactly): `title`, `funder`
    /// (party name), `programme`, `min_cofinancing` (percent of the grant), `manager` (party
    /// name), `state` (`applied`, `awarded`, `active`, `completed`, `terminated`, `rejected`)
    /// with `decided_on` (award or rejection), `started_on`, `ended_on` (completion or
    /// termination) and `reason` (rejection, termination), `registration` and `registered_on`,
    /// `disclosures` and `rights` (`;`-lists of references), and what it owes:
    /// `stage_reports_within_days`, `final_report_within_days`, `state_registration_within_days`,
    /// `deliverables` (`;`-list of `YYYY-MM-DD name`).
    case projects
    /// `offers.csv`, one technology offer per row: `reference`, `title`, `summary` (the
    /// non-confidential text), `disclosures` and `rights` (`;`-lists of references; at least one
    /// of either), `trl` (1–9), `sectors` (`;`-list), `offered_on`.
    case offers
    /// `outreach.csv`, one contact with a company about an offer per row: `offer_ref` (a recorded
    /// offer's reference), `company` (an organization party's name), `date`, `channel` (`email`,
    /// `call`, `meeting`, `event`, `portal`), `contact` (the person, in words), `response`
    /// (`pending`, `interested`, `declined`, `nda-signed`; empty is pending).
    case outreach

    /// The file's usual name: `rights.csv`.
    public var fileName: String { rawValue + ".csv" }

    /// The columns every file of this kind has, in the order the samples write them.
    public var columns: [String] {
        switch self {
        case .parties: ["office", "name", "kind", "roles", "sector", "region", "country", "department"]
        case .rights:
            [
                "office", "ref", "family", "jurisdiction", "kind", "title", "application_number", "filing_date",
                "priority_date", "priority_office", "priority_number", "parent_ref", "disclosure", "attorney", "ipc",
                "state",
            ]
        case .events: ["right_ref", "event", "date", "year", "reference", "restorable_until"]
        case .agreements:
            [
                "office", "ref", "kind", "state", "counterparties", "rights", "field_of_use", "territory", "starts_on",
                "ends_on", "until_last_right_expires", "executed_on", "option_ref", "currency", "upfront",
                "royalty_rate", "royalty_base", "minimum_annual_royalty", "sublicense_share", "patent_costs",
                "equity_percentage", "equity_shares",
            ]
        case .obligations: ["agreement_ref", "type", "name", "due_on", "amount", "interval", "due_within_days"]
        case .payments: ["office", "agreement_ref", "received_on", "amount", "currency", "kind", "reference"]
        case .costs:
            [
                "right_ref", "family", "kind", "amount", "currency", "date", "invoice", "payee", "reimbursable",
                "agreement_ref", "fee_rule", "fee_year", "description",
            ]
        case .policies:
            [
                "name", "effective_from", "admin_share", "recover_patent_costs", "inventors_share", "department_share",
                "institution_share", "source",
            ]
        case .startups:
            ["company", "founded_on", "region", "founders", "shares", "office_shares", "vesting", "agreement_ref"]
        case .rounds: ["company", "closed_on", "instrument", "amount", "currency", "pre_money", "new_shares", "investors"]
        case .residencies: ["company", "technopark", "from", "to", "regime"]
        case .projects:
            [
                "reference", "stage", "amount", "currency", "from", "to", "cofinancing", "title", "funder", "programme",
                "min_cofinancing", "manager", "state", "decided_on", "started_on", "ended_on", "reason", "registration",
                "registered_on", "disclosures", "rights", "stage_reports_within_days", "final_report_within_days",
                "state_registration_within_days", "deliverables",
            ]
        case .offers: ["reference", "title", "summary", "disclosures", "rights", "trl", "sectors", "offered_on"]
        case .outreach: ["offer_ref", "company", "date", "channel", "contact", "response"]
        }
    }

    /// Columns a file may add.
    public var optionalColumns: [String] {
        switch self {
        case .parties: ["email", "phone", "gender", "career_stage", "consented_on", "employees"]
        case .rights: ["deadlines"]
        case .events, .agreements, .obligations, .payments, .costs, .policies, .startups, .rounds, .residencies,
            .projects, .offers, .outreach:
            []
        }
    }

    /// Whether each row names its office (`office`): a file exported from a system with several
    /// offices.
    public var namesOffice: Bool { columns.contains("office") }
}

/// Writes the fields of a ``RecordFile``: RFC 4180 records and the files' spellings of values.
public enum CSVText {
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

    /// A plain decimal in the currency's minor digits: `1234567.89`, `-0.05`, `1000` (JPY).
    public static func decimal(_ money: Money) -> String {
        let exponent = money.currency.minorUnitExponent
        let perMajor = UInt64(money.currency.minorUnitsPerMajor)
        let magnitude = money.minorUnits.magnitude
        var text = (money.minorUnits < 0 ? "-" : "") + String(magnitude / perMajor)
        if exponent > 0 { text += "." + padded(Int(magnitude % perMajor), exponent) }
        return text
    }

    /// A percentage with two decimals and no sign: `3.50`.
    public static func percent(_ rate: BasisPoints) -> String {
        "\(rate.value / 100).\(padded(rate.value % 100, 2))"
    }

    /// A date, or "" for none.
    public static func date(_ date: CivilDate?) -> String { date?.description ?? "" }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
