import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon

/// `ipcase demo`: the main job on a throwaway local PostgreSQL.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run IPCase on a sample portfolio in a throwaway local PostgreSQL.",
        discussion: """
            Starts a private PostgreSQL, applies the schema, loads a sample portfolio (a
            Kazakh university technology-transfer office and a patent-attorney firm:
            about 300 rights in KZ, EA, WO, EP and US with their histories, disclosures,
            deals, agreements, payments), computes every deadline once, and prints the
            firm's docket for the next 90 days, the university's deal pipeline and its
            indicators. Progress goes to standard error.

            Examples:
              ipcase demo
              ipcase demo --as-of 2025-06-30
              ipcase demo --keep
              ipcase demo --web                     # then open http://127.0.0.1:8080
            """
    )

    @Flag(help: "Keep the server running (until Ctrl-C) and print its database URL.")
    var keep = false

    @Flag(help: "Serve the web workspace on the demo (until Ctrl-C), with one demo user per role; implies --keep.")
    var web = false

    @Option(help: "Where --web listens (host:port).")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("as-of"), help: "The day the portfolio's histories run up to (default: today).")
    var asOf: String?

    func run() async throws {
        let day = try asOf.map { try CLIParse.date($0, option: "--as-of") } ?? CLIParse.today()
        let url = try await Demo.run(
            asOf: day, keep: keep || web, color: Terminal.stdoutIsTerminal,
            output: { print($0, terminator: "") }, progress: { Terminal.error("ipcase demo: " + $0) },
            process: { store, asOf, logger in
                let result = try await DeadlineProcessing.processPendingJobs(store: store, asOf: asOf, logger: logger)
                return Demo.Processed(completed: result.completed, written: result.written, missed: result.missed)
            })
        if let url, web {
            try await WebDemoServer.serve(ownerURL: url, listen: listen)
        } else if let url {
            print("\nDatabase URL: \(url)")
            print("Try: IPCASE_DATABASE_URL='\(url)' ipcase deadlines list --within 30d")
            fflush(nil)
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
