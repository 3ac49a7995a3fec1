import ArgumentParser
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase list deals|agreements|payments|disclosures`: the older spelling of `ipcase KIND list`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an office's deals, agreements, payments or disclosures (same as `ipcase KIND list`).",
        discussion: """
            Examples:
              ipcase list deals --office 1
              ipcase list agreements --office 1 --format json
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var office: OfficeOption
    @OptionGroup var output: OutputOptions
    @Argument(help: "deals, agreements, payments or disclosures.") var what: String

    func run() async throws {
        var arguments = ["--office", String(office.office), "--format", output.format.rawValue]
        if let url = store.databaseURL { arguments += ["--database-url", url] }
        var command: any AsyncParsableCommand
        switch what {
        case "deals": command = try DealsCommand.List.parse(arguments)
        case "agreements": command = try AgreementsCommand.List.parse(arguments)
        case "payments": command = try PaymentsCommand.List.parse(arguments)
        case "disclosures": command = try DisclosuresCommand.List.parse(arguments)
        default: throw CLIError.usage("list: '\(what)' is not one of deals, agreements, payments, disclosures")
        }
        try await command.run()
    }
}
