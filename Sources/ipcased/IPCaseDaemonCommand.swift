import ArgumentParser

/// `ipcased`: the IPCase daemon.
@main
struct IPCaseDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipcased",
        abstract: "The IPCase daemon: processes events into deadlines, reminders and notifications.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, MigrateCommand.self]
    )
}
