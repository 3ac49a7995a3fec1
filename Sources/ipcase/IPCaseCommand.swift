import ArgumentParser

/// `ipcase`: the command line for commercialization offices and patent attorneys.
@main
struct IPCaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipcase",
        abstract: "Case management for intellectual property and technology transfer.",
        discussion: """
            Deadlines of every right computed from its events by rules with legal citations,
            portfolios, deals, agreements and payments of commercialization offices.

            Examples:
              ipcase demo
              ipcase deadlines compute --jurisdiction EP --kind patent --event filed=2023-03-14
            """,
        subcommands: [
            DemoCommand.self,
            MigrateCommand.self,
            DeadlinesCommand.self,
        ]
    )
}
