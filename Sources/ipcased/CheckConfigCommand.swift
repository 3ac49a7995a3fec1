import ArgumentParser
import Foundation
import IPCaseDaemon

/// `ipcased check-config`: validates the configuration and prints it with secrets redacted.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings (secrets redacted).",
        discussion: "Exits 0 when the configuration is valid and 2 when it is not, listing every problem."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = try options.load(with: options.loader())
        print(configuration.redactedDescription)
        if let mail = configuration.mail, !FileManager.default.isExecutableFile(atPath: mail.sendmailPath) {
            printError("ipcased: warning: mail.sendmail_path \(mail.sendmailPath) is not an executable file")
        }
        printError("ipcased: configuration is valid")
    }
}
