import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase advance deal|agreement|disclosure|right ID EVENT`.
struct AdvanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Apply a workflow event to a deal, agreement, disclosure or right.",
        discussion: """
            A transition the state machine does not allow is refused with the state and
            the events that are allowed, and exit code 2; nothing is written.

            Examples:
              ipcase advance deal 12 start-negotiation --office 1
              ipcase advance deal 12 execute-agreement --kind exclusive-licence \\
                  --currency KZT --upfront 5000000 --royalty-rate 3 --royalty-base net-sales \\
                  --date 2025-06-30 --office 1
              ipcase advance agreement 7 activate --date 2025-07-01 --office 1
              ipcase advance disclosure 3 start-assessment --inventor 4=60 --inventor \\
                  9=40 --office 1
              ipcase advance right 42 published --date 2025-09-14 --office 1
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption
    @OptionGroup var office: OfficeOption
    @Argument(help: "deal, agreement, disclosure or right.") var subject: String
    @Argument(help: "Its key.") var id: Int64
    @Argument(help: "The event, e.g. start-negotiation, activate, approve-for-protection, published.") var event: String
    @Option(help: "When it happened (default today).") var date: String?
    @Option(help: "Agreement kind (execute-agreement, exercise-option, start-evaluation).") var kind: String?
    @Option(help: "Reason (lose, terminate, declare-default).") var reason: String?
    @Option(help: "Application/registration number or fee year (right events).") var number: String?
    @Option(help: "Cure-by, review-on or restorable-until date.") var until: String?
    @Option(help: "PARTY=PERCENT for start-assessment (repeat).") var inventor: [String] = []
    @Option(help: "The NDA/MTA a deal's evaluation runs under (agreement key).") var agreement: Int64?
    @OptionGroup(title: "Financial terms (execute-agreement signs the agreement with them)")
    var terms: FinancialTermsFields

    func run() async throws {
        let input = Input(command: "advance")
        let subject = try input.choice("subject", subject, Advance.Subject.self)!
        let details = Advance.Details(
            date: try input.date("--date", date) ?? CLIParse.today(), kind: kind,
            reason: reason, number: number, until: try input.date("--until", until),
            inventors: inventor, agreement: agreement, terms: try terms.financialTerms(input))
        let store = try await store.connect()
        let moved = try await storeWork("advance", office: office.id) {
            try await Advance.apply(
                subject, id: id, event: event, details: details, office: office.id, store: store,
                actor: actor.name)
        }
        print("\(subject.rawValue) \(id): \(event) (\(moved.from) → \(moved.to))")
    }
}
