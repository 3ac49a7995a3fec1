import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// The financial-term options of `agreements create|update` and of `advance deal … execute-agreement`.
struct FinancialTermsFields: ParsableArguments {
    @Option(help: "The currency of all amounts, e.g. KZT.") var currency: String?
    @Option(help: "Upfront fee in major units, e.g. 5000000.") var upfront: String?
    @Option(name: .customLong("royalty-rate"), help: "Running royalty in percent, e.g. 3.5 (with --royalty-base).")
    var royaltyRate: String?
    @Option(name: .customLong("royalty-base"), help: "net-sales, gross-sales or net-revenue.") var royaltyBase: String?
    @Option(name: .customLong("minimum-annual-royalty"), help: "Minimum annual royalty in major units.")
    var minimumAnnualRoyalty: String?
    @Option(name: .customLong("sublicense-share"), help: "Share of sublicense income in percent.")
    var sublicenseShare: String?
    @Option(name: .customLong("patent-costs"), help: "fixed:AMOUNT, actual or actual:CAP.") var patentCosts: String?
    @Option(name: .customLong("equity-percentage"), help: "Equity in percent.") var equityPercentage: String?
    @Option(name: .customLong("equity-shares"), help: "Equity as a number of shares.") var equityShares: String?

    @Option(
        name: .customLong("milestone-payment"),
        help: "NAME:AMOUNT[:YYYY-MM-DD] in --currency, e.g. \"First sale:1000000:2027-06-30\" (repeat).")
    var milestonePayment: [String] = []

    /// The values of the financial-term options by ``FieldValues/financialTermsFields`` name;
    /// the currency defaults to `currency` (the stored terms' one on update).
    func termValues(defaultCurrency: Currency?) -> [String: String] {
        [
            "currency": currency ?? defaultCurrency?.code ?? "", "upfront": upfront ?? "",
            "royalty_rate": royaltyRate ?? "", "royalty_base": royaltyBase ?? "",
            "minimum_annual_royalty": minimumAnnualRoyalty ?? "", "sublicense_share": sublicenseShare ?? "",
            "patent_costs": patentCosts ?? "", "equity_percentage": equityPercentage ?? "",
            "equity_shares": equityShares ?? "",
        ]
    }

    /// The financial terms given, or `nil`; a bad value is a usage error naming its option.
    func financialTerms(_ input: Input, defaultCurrency: Currency? = nil) throws -> FinancialTerms? {
        let values = termValues(defaultCurrency: defaultCurrency)
        let amounts = ["--upfront": upfront, "--minimum-annual-royalty": minimumAnnualRoyalty]
        if values["currency"] == "",
            let given = amounts.keys.sorted().first(where: { amounts[$0]! != nil })
                ?? (patentCosts.map { $0.hasPrefix("fixed:") || $0.hasPrefix("actual:") } == true
                    ? "--patent-costs" : nil)
        {
            throw input.bad("\(given) needs --currency (e.g. KZT)")
        }
        var problems: [String] = []
        let terms = FieldValues.financialTerms(
            { values[$0] ?? "" },
            problem: { field, text in
                let option = "--" + field.replacingOccurrences(of: "_", with: "-")
                problems.append("\(option) \(text)")
            })
        if let first = problems.first { throw input.bad(first) }
        guard !milestonePayment.isEmpty else { return terms }
        guard let code = values["currency"], !code.isEmpty else {
            throw input.bad("--milestone-payment needs --currency (e.g. KZT)")
        }
        let currency = try input.value("--currency", code, FieldValues.currency)
        var withPayments = terms ?? FinancialTerms()
        withPayments.milestones = try input.values("--milestone-payment", milestonePayment) {
            (text: String) throws(FieldProblem) -> MilestonePayment in
            try FieldValues.milestonePayment(text, in: currency)
        }
        return withPayments
    }
}

/// The data options of `agreements create` and `agreements update`.
struct AgreementFields: ParsableArguments {
    @OptionGroup(title: "Financial terms") var terms: FinancialTermsFields
    @Option(help: "A counterparty: licensee, assignee, sponsor … (party key; repeat).") var counterparty: [Int64] = []
    @Option(help: "A right covered (its key; repeat).") var right: [Int64] = []
    @Option(name: .customLong("field-of-use"), help: "The field of use in the contract's words.") var fieldOfUse:
        String?
    @Option(help: "A country code, or worldwide (repeat).") var territory: [String] = []
    @Option(name: .customLong("starts-on"), help: "Effective date (YYYY-MM-DD).") var startsOn: String?
    @Option(name: .customLong("ends-on"), help: "Last day, when fixed (YYYY-MM-DD).") var endsOn: String?
    @Flag(name: .customLong("until-last-right-expires"), help: "The term runs until the last covered right expires.")
    var untilLastRightExpires = false
    @Option(help: "The deal it came from (its key).") var deal: Int64?
    @Option(help: "For a licence granted by exercising an option: the option (agreement key).") var option: Int64?

    @Option(name: .customLong("royalty-reports"), help: "INTERVAL:DAYS, e.g. quarterly:30 (repeat).")
    var royaltyReports: [String] = []
    @Option(help: "NAME:YYYY-MM-DD, e.g. \"First sale:2027-06-30\" (repeat).") var milestone: [String] = []
    @Option(name: .customLong("option-exercise"), help: "The last day to exercise an option (YYYY-MM-DD).")
    var optionExercise: String?
    /// The obligations given (royalty reports, milestones, option exercise).
    func obligations(_ input: Input) throws -> [Obligation] {
        try input.values("--royalty-reports", royaltyReports, FieldValues.royaltyReports)
            + input.values("--milestone", milestone, FieldValues.milestone)
            + (try input.date("--option-exercise", optionExercise).map { [.optionExercise(by: $0)] } ?? [])
    }

    /// The territory given: `nil` when not given, worldwide for `worldwide`.
    func parsedTerritory(_ input: Input) throws -> Territory? {
        guard !territory.isEmpty else { return nil }
        if territory == ["worldwide"] { return .worldwide }
        return Territory(countries: try input.values("--territory", territory, FieldValues.country))
    }
}

/// `ipcase agreements create|list|show|update`.
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: "Create, list, show and change agreements (licences, options …).",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft an agreement with its parties, rights, financial terms and obligations.",
            discussion: """
                Amounts are in major units of --currency. Obligations become deadlines.
                Execution and later states go through `ipcase advance agreement`.

                Example:
                  ipcase agreements create --office 1 --ref LIC-2025-004 \\
                      --kind exclusive-licence --counterparty 7 --right 42 --territory KZ \\
                      --currency KZT --upfront 5000000 --royalty-rate 3.5 \\
                      --royalty-base net-sales --royalty-reports quarterly:30 \\
                      --milestone "First sale:2027-06-30"
                  ipcase agreements create --office 1 --ref OPT-2025-001 --kind option \\
                      --counterparty 7 --right 42 --currency KZT --upfront 500000 \\
                      --option-exercise 2027-01-31
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The office's reference, e.g. LIC-2025-004.") var ref: String
        @Option(
            help:
                "exclusive-licence, non-exclusive-licence, option, assignment, sponsored-research, mta, nda, spin-off-equity."
        )
        var kind: String
        @OptionGroup var fields: AgreementFields

        func run() async throws {
            let input = Input(command: "agreements create")
            let agreement = Agreement(
                id: 0, office: office.id, reference: ref, kind: try input.choice("--kind", kind, Agreement.Kind.self)!,
                counterparties: fields.counterparty.map { ID(rawValue: $0) },
                rightsCovered: fields.right.map { ID(rawValue: $0) }, fieldOfUse: fields.fieldOfUse,
                territory: try fields.parsedTerritory(input) ?? .worldwide,
                term: AgreementTerm(
                    startsOn: try input.date("--starts-on", fields.startsOn),
                    endsOn: try input.date("--ends-on", fields.endsOn),
                    untilLastRightExpires: fields.untilLastRightExpires),
                financialTerms: try fields.terms.financialTerms(input), obligations: try fields.obligations(input),
                deal: fields.deal.map { ID(rawValue: $0) }, option: fields.option.map { ID(rawValue: $0) })
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { try await $0.createAgreement(agreement) }
            }
            print("agreement \(created.id.rawValue): \(created.reference)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's agreements.", discussion: "Example:\n  ipcase agreements list --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            let store = try await store.connect()
            let agreements = try await office.reading(store) { try await $0.agreements() }
            try printList(agreements, format: output.format, headers: ["ID", "REF", "KIND", "STATE", "EXECUTED"]) {
                [$0.id.key, $0.reference, $0.kind.rawValue, $0.state.rawValue, $0.executedOn.cell]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an agreement with its terms, obligations, payments received and their total, and history.",
            discussion: "Example:\n  ipcase agreements show 7 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The agreement (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Agreement>(rawValue: id)
            let (record, payments, history) = try await storeWork("agreements show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    (
                        try await session.agreement(id), try await session.payments(under: id),
                        try await session.workflowHistory(of: "agreement", id: id.rawValue)
                    )
                }
            }
            var totals: [Currency: Money] = [:]
            for payment in payments.map(\.value) {
                totals[payment.amount.currency] =
                    (try? totals[payment.amount.currency, default: .zero(payment.amount.currency)].adding(
                        payment.amount))
            }
            let total = totals.values.sorted { $0.currency < $1.currency }
            let a = record.value
            let terms = a.financialTerms
            try printRecord(
                a, version: record.version, format: output.format,
                fields: [
                    ("agreement", "\(a.id.rawValue): \(a.reference) (\(a.kind.name))"), ("state", a.state.rawValue),
                    ("counterparties", a.counterparties.map(\.key).listed),
                    ("rights", a.rightsCovered.map(\.key).listed), ("field of use", a.fieldOfUse),
                    ("territory", a.territory.description), ("starts", a.term.startsOn?.description),
                    (
                        "ends",
                        a.term.endsOn?.description
                            ?? (a.term.untilLastRightExpires ? "when the last right expires" : nil)
                    ),
                    ("executed", a.executedOn?.description), ("upfront", terms?.upfront?.description),
                    ("royalty", terms?.runningRoyalty?.description),
                    ("minimum royalty", terms?.minimumAnnualRoyalty?.description),
                    ("sublicense share", terms?.sublicenseIncomeShare?.description),
                    (
                        "milestone payments",
                        terms?.milestones.map { "\($0.name) \($0.amount)\($0.dueOn.map { " by \($0)" } ?? "")" }.listed
                    ),
                    ("obligations", a.obligations.map(describe).listed), ("deal", a.deal?.key),
                    ("option", a.option?.key), ("payments", String(payments.count)),
                    ("received total", total.isEmpty ? "0" : total.map(\.description).joined(separator: " + ")),
                ],
                related: ["payments": payments.map(\.value), "receivedTotal": total, "history": history],
                sections: [
                    (
                        "payments",
                        table(PaymentsCommand.List.headers, payments.map { PaymentsCommand.List.row($0.value) })
                    ),
                    historySection(history),
                ])
        }

        func describe(_ obligation: Obligation) -> String {
            switch obligation {
            case .royaltyReports(let every, let days): "royalty reports \(every.rawValue), due in \(days) days"
            case .milestone(let name, let due): "\(name) by \(due)"
            case .optionExercise(let by): "option exercise by \(by)"
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an agreement's data (its state changes only through `ipcase advance agreement`).",
            discussion: """
                Only the options given change: --counterparty, --right and --territory
                replace their lists; each financial-term option replaces that term (amounts
                in --currency, default the stored terms' currency); any of --royalty-reports,
                --milestone, --option-exercise replaces all obligations. The write is refused
                (exit 2) if someone changed the agreement since it was read (or since
                --expect-version).

                Example:
                  ipcase agreements update 7 --office 1 --royalty-rate 4 \\
                      --royalty-base net-sales --expect-version 3
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The agreement (its key).") var id: Int64
        @Option(help: "The office's reference.") var ref: String?
        @OptionGroup var fields: AgreementFields

        func run() async throws {
            let input = Input(command: "agreements update")
            let fields = fields
            let ref = ref
            let territory = try fields.parsedTerritory(input)
            let starts = try input.date("--starts-on", fields.startsOn)
            let ends = try input.date("--ends-on", fields.endsOn)
            let obligations = try fields.obligations(input)
            let termsGiven =
                !fields.terms.milestonePayment.isEmpty
                || fields.terms.termValues(defaultCurrency: nil).contains { $0.key != "currency" && !$0.value.isEmpty }
            try input.requireChange(
                ref != nil || !fields.counterparty.isEmpty || !fields.right.isEmpty || fields.fieldOfUse != nil
                    || territory != nil || starts != nil || ends != nil || fields.untilLastRightExpires
                    || fields.deal != nil || fields.option != nil || termsGiven || !obligations.isEmpty)
            let store = try await store.connect()
            let id = ID<Agreement>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.agreement(id) },
                change: { a in
                    if let ref { a.reference = ref }
                    if !fields.counterparty.isEmpty { a.counterparties = fields.counterparty.map { ID(rawValue: $0) } }
                    if !fields.right.isEmpty { a.rightsCovered = fields.right.map { ID(rawValue: $0) } }
                    if let fieldOfUse = fields.fieldOfUse { a.fieldOfUse = fieldOfUse }
                    if let territory { a.territory = territory }
                    if let starts { a.term.startsOn = starts }
                    if let ends { a.term.endsOn = ends }
                    if fields.untilLastRightExpires { a.term.untilLastRightExpires = true }
                    if let deal = fields.deal { a.deal = ID(rawValue: deal) }
                    if let option = fields.option { a.option = ID(rawValue: option) }
                    if !obligations.isEmpty { a.obligations = obligations }
                    if termsGiven {
                        let stored = a.financialTerms ?? FinancialTerms()
                        let currency =
                            stored.upfront?.currency ?? stored.minimumAnnualRoyalty?.currency
                            ?? stored.milestones.first?.amount.currency
                        let given = try fields.terms.financialTerms(input, defaultCurrency: currency) ?? FinancialTerms()
                        var merged = stored
                        if let upfront = given.upfront { merged.upfront = upfront }
                        if let royalty = given.runningRoyalty { merged.runningRoyalty = royalty }
                        if let minimum = given.minimumAnnualRoyalty { merged.minimumAnnualRoyalty = minimum }
                        if let share = given.sublicenseIncomeShare { merged.sublicenseIncomeShare = share }
                        if let costs = given.patentCostReimbursement { merged.patentCostReimbursement = costs }
                        if let equity = given.equity { merged.equity = equity }
                        if !fields.terms.milestonePayment.isEmpty { merged.milestones = given.milestones }
                        a.financialTerms = merged
                    }
                }, write: { try await $0.updateAgreement($1) })
            print("agreement \(saved.value.reference): saved (version \(saved.version))")
        }
    }
}
