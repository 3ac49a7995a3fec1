import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase costs add|list|invoice|invoices|receivables`: the expense ledger and cost recovery.
struct CostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract:
            "Record patent costs, list them, invoice licensees for them and see what is outstanding.",
        discussion: """
            A cost is of a right (--right) or of a whole family (--family). A reimbursable
            cost names the agreement whose licensee repays it; the agreement's patent_costs
            term (fixed:AMOUNT, actual or actual:CAP) says how `costs invoice` bills it.
            Payments of an invoice: `ipcase payments create --kind patent-cost-reimbursement
            --invoice N`. Many costs at once: `ipcase import costs costs.csv --office 1`.

            Examples:
              ipcase costs add --office 1 --right 3 --kind official-fee --amount "1 775.00 EUR" \\
                  --date 2026-03-31 --invoice INV-17 --payee 5 --reimbursable --agreement 2 \\
                  --fee-rule EP.renewal --fee-year 5
              ipcase costs list --office 1 --right 3 --from 2026-01-01
              ipcase costs invoice --office 1 --agreement 2 --from 2026-01-01 --to 2026-06-30
              ipcase costs invoices --office 1 --state issued
              ipcase costs receivables --office 1 --as-of 2026-09-30
            """,
        subcommands: [Add.self, List.self, Invoice.self, Invoices.self, Receivables.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a cost paid for a right or a family.",
            discussion: """
                The amount carries its currency ("1 775.00 EUR", "250000 KZT"), or is in major
                units with --currency. A reimbursable cost needs --agreement: one with a
                patent_costs term that covers the right (or a right of the family), in the
                currency of its terms.

                Examples:
                  ipcase costs add --office 1 --right 3 --kind official-fee --amount "1 775.00 EUR" \\
                      --date 2026-03-31 --invoice INV-17 --payee 5 --reimbursable --agreement 2 \\
                      --fee-rule EP.renewal --fee-year 5
                  ipcase costs add --office 1 --family 2 --kind translation --amount 420000 \\
                      --currency KZT --description "Russian translation for EA"
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The right it was paid for (its key).") var right: Int64?
        @Option(help: "The family it was paid for, when not for one right (its key).") var family: Int64?
        @Option(help: "official-fee, attorney-fee, translation or other.") var kind: String = "other"
        @Option(
            help: "The amount with its currency, e.g. \"1 775.00 EUR\" (or major units with --currency).")
        var amount: String
        @Option(help: "The currency, when --amount has none, e.g. KZT.") var currency: String?
        @Option(help: "The day it was incurred (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "The payee's invoice number.") var invoice: String?
        @Option(help: "Whom it was paid to (a party's key).") var payee: Int64?
        @Flag(help: "A licensee reimburses it (with --agreement).") var reimbursable = false
        @Option(help: "The agreement it is reimbursable under (its key).") var agreement: Int64?
        @Option(
            name: .customLong("fee-rule"),
            help: "The deadline rule an official fee paid, e.g. EP.renewal.")
        var feeRule: String?
        @Option(name: .customLong("fee-year"), help: "The fee year it paid, e.g. 5.") var feeYear: Int?
        @Option(help: "Free text.") var description: String = ""

        func run() async throws {
            let input = Input(command: "costs add")
            let amount =
                try currency == nil
                ? input.money("--amount", amount) : input.amount("--amount", amount, currency: currency)!
            let cost = PatentCost(
                office: office.id, right: right.map { ID(rawValue: $0) },
                family: family.map { ID(rawValue: $0) },
                kind: try input.choice("--kind", kind, PatentCost.Kind.self)!, amount: amount,
                incurredOn: try input.date("--date", date) ?? CLIParse.today(), invoiceReference: invoice,
                payee: payee.map { ID(rawValue: $0) }, reimbursable: reimbursable,
                agreement: agreement.map { ID(rawValue: $0) }, feeRule: feeRule, feeYear: feeYear,
                description: description)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) {
                    try await $0.addPatentCost(cost)
                }
            }
            let subject =
                created.right.map { "right \($0.rawValue)" } ?? "family \(created.family!.rawValue)"
            print("patent cost \(created.id.rawValue): \(created.amount) for \(subject)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the ledger's costs in date order, filtered.",
            discussion: """
                A family's list includes the costs of its rights.

                Examples:
                  ipcase costs list --office 1
                  ipcase costs list --office 1 --family 2 --kind official-fee --from 2026-01-01 --to 2026-12-31
                  ipcase costs list --office 1 --reimbursable true --format json
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this right's costs (its key).") var right: Int64?
        @Option(help: "Only this family's costs and its rights' (its key).") var family: Int64?
        @Option(help: "Only this kind: official-fee, attorney-fee, translation, other.") var kind: String?
        @Option(help: "Only costs incurred on or after this day.") var from: String?
        @Option(help: "Only costs incurred on or before this day.") var to: String?
        @Option(help: "true: only reimbursable costs; false: only the others.") var reimbursable: Bool?

        func run() async throws {
            let input = Input(command: "costs list")
            let (kind, from, to) = (
                try input.choice("--kind", kind, PatentCost.Kind.self), try input.date("--from", from),
                try input.date("--to", to)
            )
            let (right, family, reimbursable) = (
                right.map { ID<Right>(rawValue: $0) }, family.map { ID<RightFamily>(rawValue: $0) },
                reimbursable
            )
            let store = try await store.connect()
            let costs = try await storeWork(input.command, office: office.id) {
                try await office.reading(store) { session in
                    try await session.patentCosts(
                        right: right, family: family, kind: kind, from: from, to: to, reimbursable: reimbursable
                    )
                }
            }
            switch output.format {
            case .table:
                print(
                    table(
                        [
                            "ID", "DATE", "FOR", "KIND", "AMOUNT", "INVOICE", "PAYEE", "AGREEMENT", "FEE",
                            "BILLED ON",
                        ],
                        costs.map { stored in
                            let c = stored.cost
                            return [
                                c.id.key, c.incurredOn.description, stored.subject, c.kind.rawValue,
                                c.amount.description, c.invoiceReference.cell, c.payee?.key ?? "",
                                c.agreement?.key ?? "", Self.fee(c), stored.invoice?.key ?? "",
                            ]
                        }), terminator: "")
            case .json: try printJSON(costs.map { try jsonValue($0) })
            }
        }

        /// `EP.renewal 5`.
        static func fee(_ cost: PatentCost) -> String {
            [cost.feeRule, cost.feeYear.map(String.init)].compactMap { $0 }.joined(separator: " ")
        }
    }

    struct Invoice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invoice an agreement's licensee for the reimbursable costs of a period.",
            discussion: """
                Bills the agreement's reimbursable costs of the period not yet invoiced, as its
                patent_costs term says: actual (the costs; one invoice per currency), actual:CAP
                (the costs until everything invoiced under the agreement reaches the cap) or
                fixed:AMOUNT (the fixed sum, once, covering the costs listed). A cost is never
                invoiced twice; with nothing to invoice nothing is written (exit 2). Prints the
                statement: each cost, what is billed of it, and the total.

                Example:
                  ipcase costs invoice --office 1 --agreement 2 --from 2026-01-01 --to 2026-06-30 \\
                      --issued 2026-07-01 --due-days 30
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(help: "The agreement whose licensee is invoiced (its key).") var agreement: Int64
        @Option(help: "The first day of the costs covered (YYYY-MM-DD).") var from: String
        @Option(help: "The last day of the costs covered (YYYY-MM-DD).") var to: String
        @Option(help: "The invoice's date (default today).") var issued: String?
        @Option(name: .customLong("due-days"), help: "Days from the invoice's date to its due date.")
        var dueDays: Int = 30

        func run() async throws {
            let input = Input(command: "costs invoice")
            let from = try input.date("--from", from)!
            let to = try input.date("--to", to)!
            let issued = try input.date("--issued", issued) ?? CLIParse.today()
            guard dueDays >= 0 else { throw input.bad("--due-days must be 0 or more") }
            let due = issued.adding(days: dueDays)
            let agreement = ID<Agreement>(rawValue: agreement)
            let store = try await store.connect()
            let invoices = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { session in
                    let invoices = try await session.invoicePatentCosts(
                        under: agreement, from: from, to: to, issuedOn: issued, dueOn: due)
                    let names = try await session.parties(invoices.map(\.licensee))
                    return invoices.map { invoice in
                        (
                            invoice,
                            names.first { $0.value.id == invoice.licensee }?.value.name ?? invoice.licensee.key
                        )
                    }
                }
            }
            switch output.format {
            case .table:
                print(
                    invoices.map { Self.statement($0.0, licensee: $0.1) }.joined(separator: "\n"),
                    terminator: "")
            case .json: try printJSON(invoices.map { try jsonValue($0.0) })
            }
        }

        /// The statement of one invoice, as sent to the licensee.
        static func statement(_ invoice: CostInvoice, licensee: String) -> String {
            fieldLines([
                ("cost invoice", invoice.id.key), ("to", licensee),
                ("agreement", "\(invoice.agreement.rawValue): \(invoice.agreementReference)"),
                ("period", "\(invoice.periodFrom) – \(invoice.periodTo)"),
                ("issued", invoice.issuedOn.description),
                ("due", invoice.dueOn.description), ("basis", invoice.basis.rawValue),
            ])
                + table(
                    ["DATE", "COST", "FOR", "KIND", "INVOICE", "DESCRIPTION", "AMOUNT", "BILLED"],
                    invoice.lines.map { line in
                        let c = line.cost.cost
                        return [
                            c.incurredOn.description, c.id.key, line.cost.subject, c.kind.rawValue,
                            c.invoiceReference.cell, c.description, c.amount.description, line.billed.description,
                        ]
                    }) + "total  \(invoice.amount)\n"
        }
    }

    struct Invoices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the cost invoices issued to licensees, or show one as its statement.",
            discussion: """
                Oldest first: the agreement, the licensee, the period, issue and due dates, the
                amount, what payments settled and what is outstanding, and the state (issued,
                partly-paid, paid). With --id, the invoice's statement with every cost it bills.

                Examples:
                  ipcase costs invoices --office 1
                  ipcase costs invoices --office 1 --agreement 2 --state partly-paid
                  ipcase costs invoices --office 1 --id 4          # the statement
                  ipcase costs invoices --office 1 --format json
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this agreement's invoices (its key).") var agreement: Int64?
        @Option(help: "Only invoices in this state: issued, partly-paid, paid.") var state: String?
        @Option(help: "Show this invoice's statement (its key).") var id: Int64?

        func run() async throws {
            let input = Input(command: "costs invoices")
            let state = try input.choice("--state", state, CostInvoice.State.self)
            let agreement = agreement.map { ID<Agreement>(rawValue: $0) }
            let id = id.map { ID<CostInvoice>(rawValue: $0) }
            let store = try await store.connect()
            let (invoices, names) = try await storeWork(input.command, office: office.id) {
                try await office.reading(store) { session in
                    let invoices =
                        if let id { [try await session.costInvoice(id)] } else {
                            try await session.costInvoices(under: agreement).filter { state == nil || $0.state == state }
                        }
                    let names = try await session.parties(invoices.map(\.licensee))
                    return (invoices, names)
                }
            }
            func name(_ invoice: CostInvoice) -> String {
                names.first { $0.value.id == invoice.licensee }?.value.name ?? invoice.licensee.key
            }
            switch output.format {
            case .table where id != nil:
                print(invoices.map { Invoice.statement($0, licensee: name($0)) }.joined(separator: "\n"), terminator: "")
            case .table:
                print(
                    table(
                        ["ID", "AGREEMENT", "LICENSEE", "PERIOD", "ISSUED", "DUE", "AMOUNT", "SETTLED", "OUTSTANDING", "STATE"],
                        invoices.map { i in
                            [
                                i.id.key, i.agreementReference, name(i), "\(i.periodFrom) – \(i.periodTo)",
                                i.issuedOn.description, i.dueOn.description, i.amount.description, i.settled.amountText,
                                i.outstanding.amountText, i.state.rawValue,
                            ]
                        }), terminator: "")
            case .json: try printJSON(invoices.map { try jsonValue($0) })
            }
        }
    }

    struct Receivables: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What licensees owe on cost invoices, by days past the due date.",
            discussion: """
                Per licensee and currency: what is not yet due (on its due day an invoice is
                not yet late), then 0–30 (1 to 30 days past due), 31–60, 61–90 and 90+ days.
                Counts the invoices issued and the payments received by --as-of.

                Example:
                  ipcase costs receivables --office 1 --as-of 2026-09-30
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: "The day (default today).") var asOf: String?

        func run() async throws {
            let input = Input(command: "costs receivables")
            let asOf = try input.date("--as-of", asOf) ?? CLIParse.today()
            let store = try await store.connect()
            let receivables = try await storeWork(input.command, office: office.id) {
                try await office.reading(store) { try await $0.agedReceivables(asOf: asOf) }
            }
            let ages = CostRecovery.Age.allCases
            switch output.format {
            case .table:
                print(
                    table(
                        [
                            "LICENSEE", "CURRENCY", "NOT YET DUE", "0-30", "31-60", "61-90", "90+", "TOTAL",
                            "INVOICES",
                        ],
                        receivables.map { r in
                            [r.licenseeName, r.currency.code] + ages.map { r.amounts[$0]!.amountText }
                                + [r.total.amountText, r.invoices.map(\.key).joined(separator: ", ")]
                        }), terminator: "")
            case .json:
                try printJSON(
                    receivables.map { r -> [String: Any] in
                        [
                            "licensee": r.licensee.rawValue, "licenseeName": r.licenseeName,
                            "currency": r.currency.code,
                            "outstandingMinor": Dictionary(
                                uniqueKeysWithValues: ages.map { ($0.rawValue, r.amounts[$0]!.minorUnits) }),
                            "totalMinor": r.total.minorUnits, "invoices": r.invoices.map(\.rawValue),
                        ]
                    })
            }
        }
    }
}

extension Input {
    /// An amount written with its currency, e.g. `1 775.00 EUR`; more than zero.
    func money(_ option: String, _ text: String) throws -> Money {
        try value(option, text) { (text: String) throws(FieldProblem) -> Money in
            guard let money = try? Money(parsing: text) else {
                throw FieldProblem(
                    "'\(text)' is not an amount with its currency, such as \"1 775.00 EUR\" (or give --currency)"
                )
            }
            guard money.minorUnits > 0 else { throw FieldProblem("'\(text)' is not a positive amount") }
            return money
        }
    }
}
