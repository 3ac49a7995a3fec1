import ArgumentParser
import Foundation
import IPCase
import IPCaseStore
import IPCaseWeb

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, grant, reset and disable web users (as the database owner: --database-url of ipcase_owner).",
        subcommands: [Add.self, Grant.self, ResetPassword.self, Disable.self, List.self])

    struct Connection: ParsableArguments {
        @Option(name: .customLong("database-url"), help: ArgumentHelp("PostgreSQL URL of the owner (default: IPCASE_OWNER_DATABASE_URL).", valueName: "url"))
        var databaseURL: String?

        func store() async throws -> Store {
            guard let url = databaseURL ?? ProcessInfo.processInfo.environment["IPCASE_OWNER_DATABASE_URL"], !url.isEmpty else {
                throw ValidationError("give --database-url (the owner's) or set IPCASE_OWNER_DATABASE_URL")
            }
            return try await Store.connect(url: url, applicationName: "ipcase-web users")
        }
    }

    struct Secret: ParsableArguments {
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (else one is generated and printed once).")
        var fromStandardInput = false
        @Option(name: .customLong("bcrypt-cost"), help: "The bcrypt cost (12–16).") var cost = 12

        func password() throws -> (String, generated: Bool) {
            guard (12...16).contains(cost) else { throw ValidationError("--bcrypt-cost: \(cost) is not 12–16") }
            if fromStandardInput {
                guard let line = readLine(strippingNewline: true), line.count >= 12 else {
                    throw ValidationError("the password from standard input: at least 12 characters")
                }
                return (line, false)
            }
            return (String(Secrets.token().prefix(20)), true)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role in one office.")
        @OptionGroup var connection: Connection
        @OptionGroup var secret: Secret
        @Option(help: "What the user signs in with (an e-mail address or a short name).") var login: String
        @Option(help: "The user's name as pages show it.") var name: String
        @Option(help: "Where notices for the user go.") var email: String?
        @Option(help: "kk, ru or en (default: the browser's).") var language: String?
        @Option(help: "The office key.") var office: Int64
        @Option(help: "admin, officer, attorney, viewer or inventor.") var role: String
        @Option(help: "The user's party key in the office (required for an inventor).") var party: Int64?

        func run() async throws {
            guard let role = WebRole(rawValue: role) else {
                throw ValidationError("--role: \(role) is not one of \(WebRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let language, !["kk", "ru", "en"].contains(language) { throw ValidationError("--language: \(language) is not kk, ru or en") }
            let (password, generated) = try secret.password()
            let hash = await Secrets.hash(password, cost: secret.cost)
            let store = try await connection.store()
            let (login, name, email, language, office, party) = (login, name, email, language, office, party)
            try await store.withService(actor: "ipcase-web users") { session in
                _ = try await session.createWebUser(login: login, name: name, email: email, passwordHash: hash, language: language)
                try await session.grantWebOffice(
                    login: login, office: ID(rawValue: office), role: role, party: party.map { ID(rawValue: $0) })
            }
            print("added \(login.lowercased()) as \(role.rawValue) of office \(office)")
            if generated { print("password: \(password)") }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role in another office (or change it).")
        @OptionGroup var connection: Connection
        @Option(help: "The user's login.") var login: String
        @Option(help: "The office key.") var office: Int64
        @Option(help: "admin, officer, attorney, viewer or inventor.") var role: String
        @Option(help: "The user's party key in the office.") var party: Int64?

        func run() async throws {
            guard let role = WebRole(rawValue: role) else { throw ValidationError("--role: \(role) is not a role") }
            let store = try await connection.store()
            let (login, office, party) = (login, office, party)
            try await store.withService(actor: "ipcase-web users") { session in
                try await session.grantWebOffice(login: login, office: ID(rawValue: office), role: role, party: party.map { ID(rawValue: $0) })
            }
            print("\(login) is \(role.rawValue) of office \(office)")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Set a new password, clear the lock and end the user's sessions.")
        @OptionGroup var connection: Connection
        @OptionGroup var secret: Secret
        @Option(help: "The user's login.") var login: String

        func run() async throws {
            let (password, generated) = try secret.password()
            let hash = await Secrets.hash(password, cost: secret.cost)
            let store = try await connection.store()
            let login = login
            try await store.withService(actor: "ipcase-web users") { try await $0.setWebPassword(login: login, passwordHash: hash) }
            print("new password set for \(login)")
            if generated { print("password: \(password)") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a user's sign-in and end their sessions (--enable admits them again).")
        @OptionGroup var connection: Connection
        @Option(help: "The user's login.") var login: String
        @Flag(help: "Admit the user again.") var enable = false

        func run() async throws {
            let store = try await connection.store()
            let (login, enable) = (login, enable)
            try await store.withService(actor: "ipcase-web users") { try await $0.setWebUserDisabled(login: login, !enable) }
            print(enable ? "\(login) may sign in again" : "\(login) disabled; their sessions ended")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")
        @OptionGroup var connection: Connection

        func run() async throws {
            let store = try await connection.store()
            let users = try await store.withService(actor: "ipcase-web users") { try await $0.webUsers() }
            for (user, offices) in users {
                let roles = offices.map { "\($0.office.rawValue):\($0.role.rawValue)" }.joined(separator: " ")
                print("\(user.login)\t\(user.name)\t\(user.disabled ? "disabled" : "active")\t\(roles)")
            }
        }
    }
}
