import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// The data options of `payments create` and `payments update`.
struct PaymentFields: ParsableArguments {
    @Option(help: "The amount in major units, e.g. 1250000.50 (with --currency).") var amount: String?
    @Option(help: "The currency, e.g. KZT.") var currency: String?
    @Option(help: "upfront, royalty, milestone, sublicense, patent-cost-reimbursement, equity-sale, other.")
    var kind: String?
    @Option(help: "The day it was received (YYYY-MM-DD; create: default today).") var received: String?
    @Option(help: "The payer's or the bank's reference.") var reference: String?
}

/// `ipcase payments create|list|show|update`.
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments", abstract: "Record, list, show and correct payments received under agreements.",
        subcommands: [Create.self, List.self, Show.self, Update.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a payment received under an agreement.",
            discussion: """
                The amount is in major units with a '.' before the minor units and no
                grouping (1250000.50, not 1 250 000,50).

                A patent-cost reimbursement may settle (part of) a cost invoice of the same
                agreement and currency (see `ipcase costs invoice`): give --invoice; more than
                is outstanding on it is refused.

                Examples:
                  ipcase payments create --office 1 --agreement 7 --amount 1250000.50 \\
                      --currency KZT --kind royalty --received 2025-10-30 --reference "Q3 report"
                  ipcase payments create --office 1 --agreement 2 --amount 1775.00 --currency EUR \\
                      --kind patent-cost-reimbursement --invoice 4 --received 2026-07-20
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @Option(help: "The agreement it was paid under (its key).") var agreement: Int64
        @OptionGroup var fields: PaymentFields
        @Option(help: "With --kind patent-cost-reimbursement: the cost invoice it settles (its key).")
        var invoice: Int64?

        func run() async throws {
            let input = Input(command: "payments create")
            guard let amountText = fields.amount else { throw input.bad("--amount is required") }
            guard let kindText = fields.kind else { throw input.bad("--kind is required") }
            let payment = Payment(
                id: 0, office: office.id, agreement: ID(rawValue: agreement),
                amount: try input.amount("--amount", amountText, currency: fields.currency)!,
                kind: try input.choice("--kind", kindText, Payment.Kind.self)!,
                receivedOn: try input.date("--received", fields.received) ?? CLIParse.today(),
                reference: fields.reference)
            let store = try await store.connect()
            let created = try await storeWork(input.command, office: office.id) {
                try await store.withOffice(office.id, actor: actor.name) { session in
                    _ = try await session.agreement(payment.agreement)
                    let created = try await session.createPayment(payment)
                    if let invoice { try await session.matchPayment(created.id, to: ID(rawValue: invoice)) }
                    return created
                }
            }
            let settles = invoice.map { ", settling cost invoice \($0)" } ?? ""
            print("payment \(created.id.rawValue): \(created.amount) under agreement \(agreement)\(settles)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an office's payments, or one agreement's, in date order.",
            discussion: "Examples:\n  ipcase payments list --office 1\n  ipcase payments list --office 1 --agreement 7")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this agreement's payments (its key).") var agreement: Int64?

        func run() async throws {
            let store = try await store.connect()
            let agreement = agreement.map { ID<Agreement>(rawValue: $0) }
            let payments = try await storeWork("payments list", office: office.id) {
                try await office.reading(store) { session in
                    guard let agreement else { return try await session.versionedPayments() }
                    _ = try await session.agreement(agreement)
                    return try await session.payments(under: agreement)
                }
            }
            try printList(payments, format: output.format, headers: Self.headers, row: Self.row)
        }

        static let headers = ["ID", "AGREEMENT", "RECEIVED", "KIND", "AMOUNT", "REFERENCE"]

        static func row(_ payment: Payment) -> [String] {
            [
                payment.id.key, payment.agreement.key, payment.receivedOn.description, payment.kind.rawValue,
                payment.amount.description, payment.reference.cell,
            ]
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a payment.", discussion: "Example:\n  ipcase payments show 31 --office 1")
        @OptionGroup var store: StoreOptions
        @OptionGroup var office: OfficeOption
        @OptionGroup var output: OutputOptions
        @Argument(help: "The payment (its key).") var id: Int64

        func run() async throws {
            let store = try await store.connect()
            let id = ID<Payment>(rawValue: id)
            let (record, agreement) = try await storeWork("payments show", office: office.id) {
                try await store.withOffice(office.id, actor: ActorOption.loginUser) { session in
                    let record = try await session.payment(id)
                    return (record, try await session.agreement(record.value.agreement).value)
                }
            }
            let p = record.value
            try printRecord(
                p, version: record.version, format: output.format,
                fields: [
                    ("payment", p.id.key), ("agreement", "\(agreement.id.rawValue): \(agreement.reference)"),
                    ("amount", p.amount.description), ("kind", p.kind.rawValue),
                    ("received", p.receivedOn.description), ("reference", p.reference),
                ])
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a payment's amount, kind, date or reference.",
            discussion: """
                Only the options given change; --amount without --currency keeps the stored
                currency. The write is refused (exit 2) if someone changed the payment since
                it was read (or since --expect-version).

                --invoice matches a patent-cost reimbursement to the cost invoice it settles.

                Examples:
                  ipcase payments update 31 --office 1 --amount 1250000 --received 2025-10-31
                  ipcase payments update 32 --office 1 --invoice 4
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption
        @OptionGroup var office: OfficeOption
        @OptionGroup var version: VersionOption
        @Argument(help: "The payment (its key).") var id: Int64
        @OptionGroup var fields: PaymentFields
        @Option(help: "A patent-cost reimbursement: the cost invoice it settles (its key).") var invoice: Int64?

        func run() async throws {
            let input = Input(command: "payments update")
            let (amountText, currencyText, reference) = (fields.amount, fields.currency, fields.reference)
            if let currencyText { _ = try input.value("--currency", currencyText, FieldValues.currency) }
            let kind = try input.choice("--kind", fields.kind, Payment.Kind.self)
            let received = try input.date("--received", fields.received)
            try input.requireChange(
                amountText != nil || currencyText != nil || kind != nil || received != nil || reference != nil
                    || invoice != nil)
            let invoice = invoice.map { ID<CostInvoice>(rawValue: $0) }
            let store = try await store.connect()
            let id = ID<Payment>(rawValue: id)
            let saved = try await updateRecord(
                input.command, store: store, office: office.id, actor: actor.name, expectVersion: version.expectVersion,
                read: { try await $0.payment(id) },
                change: { p in
                    if amountText != nil || currencyText != nil {
                        let currency = currencyText ?? p.amount.currency.code
                        p.amount = try input.amount(
                            "--amount", amountText ?? p.amount.amountText.replacingOccurrences(of: " ", with: ""),
                            currency: currency)!
                    }
                    if let kind { p.kind = kind }
                    if let received { p.receivedOn = received }
                    if let reference { p.reference = reference }
                },
                write: { session, payment in
                    let saved = try await session.updatePayment(payment)
                    if let invoice { try await session.matchPayment(saved.value.id, to: invoice) }
                    return saved
                })
            print("payment \(id.rawValue): saved (version \(saved.version))")
        }
    }
}
