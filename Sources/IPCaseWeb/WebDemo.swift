import Foundation
import IPCase
import IPCaseStore

/// The demo's web side: a web login and one user per role, on a database the caller owns (the
/// demo's throwaway PostgreSQL, or a test's).
public enum WebDemo {
    /// A user the demo made, with the password it generated.
    public struct Account: Sendable, Hashable {
        /// The role in ``office``.
        public var role: WebRole
        /// What they sign in with.
        public var login: String
        /// Their generated password.
        public var password: String
        /// Their office.
        public var office: ID<Office>
        /// Who they are among the office's parties (the attorney's and the inventor's own).
        public var party: ID<Party>?
    }

    /// Creates the login role `webLogin` (a member of `ipcase_web`) with a new password, and a
    /// user per role: admin, officer, viewer and inventor of `office`, an attorney of `attorneyOffice`
    /// (the firm, whose docket is theirs). Returns the web login's URL and the accounts.
    ///
    /// `cost` is the bcrypt cost of the passwords (12 in the demo).
    public static func provision(
        ownerURL: String, office: ID<Office>, attorneyOffice: ID<Office>, webLogin: String = "ipcase_webserver",
        loginPrefix: String = "", cost: Int = 12
    ) async throws -> (webURL: String, accounts: [Account]) {
        let owner = try await Store.connect(url: ownerURL, applicationName: "ipcase-demo")
        let webPassword = Secrets.token()
        let plan: [(WebRole, ID<Office>, Party.Role?)] = [
            (.admin, office, nil), (.officer, office, nil), (.attorney, attorneyOffice, .attorney),
            (.viewer, office, nil), (.inventor, office, .inventor),
        ]
        var accounts: [Account] = []
        for (role, office, _) in plan {
            let password = String(Secrets.token().prefix(16))
            accounts.append(
                Account(role: role, login: "\(loginPrefix)\(role.rawValue)@demo.ipcase.kz", password: password, office: office))
        }
        var hashes: [String] = []
        for account in accounts { hashes.append(await Secrets.hash(account.password, cost: cost)) }
        let provisioned = try await owner.withService(actor: "ipcase demo") { [accounts, hashes] session in
            try await session.createLoginRole(name: webLogin, password: webPassword, groups: ServiceSession.webLoginGroups)
            var done: [Account] = []
            for (index, var account) in accounts.enumerated() {
                if let partyRole = plan[index].2 {
                    account.party = try await session.firstParty(of: account.office, role: partyRole)
                }
                _ = try await session.createWebUser(
                    login: account.login, name: "Demo \(account.role.rawValue)", email: account.login,
                    passwordHash: hashes[index], language: nil)
                try await session.grantWebOffice(
                    login: account.login, office: account.office, role: account.role, party: account.party)
                done.append(account)
            }
            return done
        }
        await owner.connection.close()
        return (replacingUser(in: ownerURL, user: webLogin, password: webPassword), provisioned)
    }

    /// `url` with its user and password replaced (percent-encoded).
    static func replacingUser(in url: String, user: String, password: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let host = rest.firstIndex(of: "@").map { rest[rest.index(after: $0)...] } ?? rest
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return "\(url[..<scheme.upperBound])\(user):\(encoded)@\(host)"
    }
}
