import Foundation

/// How `ipcase-web` serves: where it listens, the database it works on, and its security limits.
///
/// `ipcase-web serve` reads it from `/etc/ipcase/ipcase-web.conf`, the environment (`IPCASE_WEB_…`)
/// and flags, in that order of precedence from last to first.
public struct WebConfiguration: Sendable, Hashable {
    /// The PostgreSQL URL of the web login (`ipcase_webserver`, a member of `ipcase_web`). Secret.
    public var databaseURL: String
    /// The address to listen on (`127.0.0.1`: behind nginx on the same host).
    public var host: String = "127.0.0.1"
    /// The port to listen on.
    public var port: Int = 8080
    /// Database connections shared by all requests.
    public var poolSize: Int = 8
    /// Whether cookies are marked `Secure` (sent over HTTPS only). Only a demo on
    /// `http://127.0.0.1` turns this off.
    public var secureCookies: Bool = true
    /// A session unused this long (seconds) ends.
    public var sessionIdleSeconds: Int = 8 * 3600
    /// Failed sign-ins in a row that lock an account, and for how long (seconds).
    public var accountAttempts: Int = 5
    public var accountLockSeconds: Int = 15 * 60
    /// Sign-in attempts allowed from one address per window (seconds).
    public var addressAttempts: Int = 20
    public var addressWindowSeconds: Int = 15 * 60
    /// The largest request body accepted (bytes): CSV uploads.
    public var maxUploadBytes: Int = 10 * 1024 * 1024
    /// The bcrypt cost of new password hashes (12 or more).
    public var bcryptCost: Int = 12

    /// A configuration with defaults for everything but the database.
    public init(databaseURL: String) { self.databaseURL = databaseURL }

    /// The settings as `key = value` lines, the database URL's password redacted.
    public var redactedDescription: String {
        [
            "database.url = \(Self.redacted(databaseURL))", "listen.host = \(host)", "listen.port = \(port)",
            "database.pool_size = \(poolSize)", "security.secure_cookies = \(secureCookies)",
            "security.session_idle_seconds = \(sessionIdleSeconds)",
            "security.account_attempts = \(accountAttempts)", "security.account_lock_seconds = \(accountLockSeconds)",
            "security.address_attempts = \(addressAttempts)",
            "security.address_window_seconds = \(addressWindowSeconds)",
            "security.max_upload_bytes = \(maxUploadBytes)", "security.bcrypt_cost = \(bcryptCost)",
        ].joined(separator: "\n")
    }

    /// `url` with any password replaced by `***`.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else {
            // key=value conninfo: hide a password=… pair.
            return url.split(separator: " ").map { $0.hasPrefix("password=") ? "password=***" : String($0) }
                .joined(separator: " ")
        }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// What is wrong with the settings, field by field (empty when nothing is).
    public var problems: [String] {
        var problems: [String] = []
        if databaseURL.isEmpty { problems.append("database.url: is empty") }
        if !(1...65535).contains(port) { problems.append("listen.port: \(port) is not a port (1–65535)") }
        if !(1...256).contains(poolSize) { problems.append("database.pool_size: \(poolSize) is not 1–256") }
        if sessionIdleSeconds < 60 { problems.append("security.session_idle_seconds: at least 60") }
        if accountAttempts < 1 { problems.append("security.account_attempts: at least 1") }
        if addressAttempts < 1 { problems.append("security.address_attempts: at least 1") }
        if maxUploadBytes < 1024 { problems.append("security.max_upload_bytes: at least 1024") }
        if !(12...16).contains(bcryptCost) { problems.append("security.bcrypt_cost: \(bcryptCost) is not 12–16") }
        return problems
    }
}
