import ArgumentParser

/// `ipcase demo`: the main job on a throwaway local PostgreSQL.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run IPCase on a sample portfolio in a throwaway local PostgreSQL."
    )

    func run() async throws {
        print("ipcase demo: coming in a later release (the sample portfolio and docket are not built yet).")
    }
}
