import IPCase

/// The sample portfolio as the import files (`RecordFile`, written with `CSVText`): what
/// `ipcase demo` imports and the tests read back.
public enum SampleCSV {
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
        var csv = CSVText.record(RecordFile.parties.columns)
        for sample in parties {
            let party = sample.party
            CSVText.appendRecord(
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
        CSVText.appendRecord(
            [
                names.offices[right.office] ?? "", right.reference, sample.familyReference ?? "",
                right.jurisdiction.code, right.kind.rawValue, right.title, right.applicationNumber ?? "",
                CSVText.date(right.filingDate), CSVText.date(priority?.date), priority?.jurisdiction.code ?? "",
                priority?.applicationNumber ?? "", sample.parentReference ?? "",
                right.disclosures.compactMap { names.disclosures[$0] }.joined(separator: ";"),
                right.responsibleAttorney.flatMap { names.parties[$0] } ?? "",
                sample.ipcSymbols.map(\.text).joined(separator: ";"), right.state.rawValue,
            ], to: &csv)
    }

    /// Appends the `events.csv` rows of `sample`, oldest first.
    public static func appendEvents(of sample: SampleRight, to csv: inout String) {
        for step in sample.history {
            let event = step.rightEvent
            CSVText.appendRecord(
                [
                    sample.right.reference, step.eventName, step.date.description, event?.year.map(String.init) ?? "",
                    event?.reference ?? "", CSVText.date(step.restorableUntil),
                ], to: &csv)
        }
    }

    /// `rights.csv` for `rights`.
    public static func rights(_ rights: some Sequence<SampleRight>, names: Names) -> String {
        var csv = CSVText.record(RecordFile.rights.columns)
        for sample in rights { appendRight(sample, names: names, to: &csv) }
        return csv
    }

    /// `events.csv` for the histories of `rights`.
    public static func events(_ rights: some Sequence<SampleRight>) -> String {
        var csv = CSVText.record(RecordFile.events.columns)
        for sample in rights { appendEvents(of: sample, to: &csv) }
        return csv
    }

    /// `agreements.csv` for `agreements`.
    public static func agreements(_ agreements: [SampleAgreement], names: Names) -> String {
        var csv = CSVText.record(RecordFile.agreements.columns)
        for sample in agreements {
            let agreement = sample.agreement
            let terms = agreement.financialTerms
            let currency = Self.currency(of: agreement)
            let patentCosts: String =
                switch terms?.patentCostReimbursement {
                case .none: ""
                case .fixed(let money): "fixed:\(CSVText.decimal(money))"
                case .actualCosts(let cap): cap.map { "actual:\(CSVText.decimal($0))" } ?? "actual"
                }
            CSVText.appendRecord(
                [
                    names.offices[agreement.office] ?? "", agreement.reference, agreement.kind.rawValue,
                    agreement.state.rawValue,
                    agreement.counterparties.map { names.parties[$0] ?? "" }.joined(separator: ";"),
                    agreement.rightsCovered.map { names.rights[$0] ?? "" }.joined(separator: ";"),
                    agreement.fieldOfUse ?? "",
                    agreement.territory.isWorldwide
                        ? "worldwide" : agreement.territory.countries.map(\.code).joined(separator: ";"),
                    CSVText.date(agreement.term.startsOn), CSVText.date(agreement.term.endsOn),
                    agreement.term.untilLastRightExpires ? "true" : "false", CSVText.date(agreement.executedOn),
                    agreement.option.flatMap { names.agreements[$0] } ?? "", currency?.code ?? "",
                    terms?.upfront.map(CSVText.decimal) ?? "", terms?.runningRoyalty.map { CSVText.percent($0.rate) } ?? "",
                    terms?.runningRoyalty?.base.rawValue ?? "", terms?.minimumAnnualRoyalty.map(CSVText.decimal) ?? "",
                    terms?.sublicenseIncomeShare.map(CSVText.percent) ?? "", patentCosts,
                    terms?.equity?.percentage.map(CSVText.percent) ?? "", terms?.equity?.shares.map(String.init) ?? "",
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
        var csv = CSVText.record(RecordFile.obligations.columns)
        for sample in agreements {
            let reference = sample.agreement.reference
            for obligation in sample.agreement.obligations {
                switch obligation {
                case .royaltyReports(let every, let days):
                    CSVText.appendRecord([reference, "royalty-reports", "", "", "", every.rawValue, String(days)], to: &csv)
                case .milestone(let name, let due):
                    CSVText.appendRecord([reference, "milestone", name, due.description, "", "", ""], to: &csv)
                case .optionExercise(let by):
                    CSVText.appendRecord([reference, "option-exercise", "", by.description, "", "", ""], to: &csv)
                }
            }
            for payment in sample.agreement.financialTerms?.milestones ?? [] {
                CSVText.appendRecord(
                    [
                        reference, "milestone-payment", payment.name, CSVText.date(payment.dueOn), CSVText.decimal(payment.amount), "",
                        "",
                    ],
                    to: &csv)
            }
        }
        return csv
    }

    /// `payments.csv` for `payments`.
    public static func payments(_ payments: [Payment], names: Names) -> String {
        var csv = CSVText.record(RecordFile.payments.columns)
        for payment in payments {
            CSVText.appendRecord(
                [
                    names.offices[payment.office] ?? "", names.agreements[payment.agreement] ?? "",
                    payment.receivedOn.description, CSVText.decimal(payment.amount), payment.amount.currency.code,
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
            (RecordFile.parties.fileName, SampleCSV.parties(parties, names: names)),
            (RecordFile.rights.fileName, SampleCSV.rights(rights, names: names)),
            (RecordFile.events.fileName, SampleCSV.events(rights)),
            (RecordFile.agreements.fileName, SampleCSV.agreements(agreements, names: names)),
            (RecordFile.obligations.fileName, SampleCSV.obligations(agreements)),
            (RecordFile.payments.fileName, SampleCSV.payments(payments, names: names)),
        ]
    }
}
