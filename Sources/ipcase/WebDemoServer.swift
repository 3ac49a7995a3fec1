import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseSamples
import IPCaseStore
import IPCaseWeb
import Logging
import ServiceLifecycle

/// `ipcase demo --web`: the web workspace over the demo's database, with a user per role and
/// the daemon's processing every two seconds (so an event recorded in the browser gets its
/// deadlines), until Ctrl-C.
enum WebDemoServer {
    static func serve(ownerURL: String, listen: String) async throws {
        let parts = listen.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw CLIError.usage("--listen: \(listen) is not host:port, e.g. 127.0.0.1:8080")
        }
        Terminal.error("ipcase demo: creating the web login and a demo user per role (bcrypt cost 12)")
        let (webURL, accounts) = try await WebDemo.provision(
            ownerURL: ownerURL, office: SamplePortfolio.universityOffice, attorneyOffice: SamplePortfolio.firmOffice)
        var configuration = WebConfiguration(databaseURL: webURL)
        configuration.host = String(parts[0])
        configuration.port = port
        configuration.secureCookies = false  // plain http on this machine only
        var logger = Logger(label: "ipcase-web")
        logger.logLevel = .warning
        let pool = StorePool(url: webURL, size: 4, logger: logger)
        let web = try WebApp(configuration: configuration, pool: pool, logger: logger)

        print("\nWeb workspace: http://\(listen)/  (Ctrl-C stops it and the database)")
        print("Demo users (passwords generated for this run):")
        for account in accounts {
            let role = account.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            print("  \(role) \(account.login)  \(account.password)   office \(account.office.rawValue)")
        }
        print("Database URL: \(ownerURL)")
        fflush(nil)

        let processing = Task {
            let store = try await Store.connect(url: ownerURL, applicationName: "ipcase-demo processing")
            while !Task.isCancelled {
                _ = try? await DeadlineProcessing.processPendingJobs(store: store, asOf: CLIParse.today(), logger: logger)
                try? await Task.sleep(for: .seconds(2))
            }
            await store.connection.close()
        }
        defer { processing.cancel() }
        let group = ServiceGroup(
            configuration: .init(services: [web.application()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await pool.close()
    }
}
