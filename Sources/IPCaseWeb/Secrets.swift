import Foundation
import HummingbirdBcrypt

/// Random tokens, constant-time comparison, and password hashing off the request threads.
public enum Secrets {
    /// A new secret of 32 random bytes (the system's CSPRNG) as 43 base64url characters: a
    /// session cookie, a form's CSRF token.
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// The bcrypt hash of `password` at `cost`, computed on a thread outside Swift's cooperative
    /// pool, so a sign-in (a quarter of a second at cost 12) does not hold up other requests.
    public static func hash(_ password: String, cost: Int) async -> String {
        await offPool { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    /// Whether `password` matches the bcrypt `hash`, computed as ``hash(_:cost:)`` is.
    public static func verify(_ password: String, hash: String) async -> Bool {
        await offPool { Bcrypt.verify(password, hash: hash) }
    }

    /// A bcrypt hash of a random password, checked against when a login does not exist, so that
    /// an unknown login takes as long as a wrong password.
    static let decoyHash = Bcrypt.hash(token(), cost: 12)

    private static let queue = DispatchQueue(label: "ipcase-web.bcrypt", attributes: .concurrent)

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
