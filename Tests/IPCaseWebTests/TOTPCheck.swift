import Crypto
import Foundation
import Testing

/// RFC 6238 TOTP written from the RFC for the tests (independent of HummingbirdOTP, which the
/// server uses): HMAC-SHA1 over the 30-second counter, dynamic truncation, 6 digits.
enum TOTPCheck {
    static func code(key: [UInt8], at date: Date, digits: Int = 6) -> String {
        var counter = UInt64(date.timeIntervalSince1970 / 30).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[19] & 0x0f)
        let value =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }
}

@Suite("The tests' own TOTP")
struct TOTPCheckTests {
    /// RFC 6238 appendix B: the SHA-1 key "12345678901234567890" at T = 59 s gives 94287082
    /// (8 digits), whose last 6 are the 6-digit code.
    @Test func itGivesTheRFCsTestVector() {
        let key = Array("12345678901234567890".utf8)
        #expect(TOTPCheck.code(key: key, at: Date(timeIntervalSince1970: 59), digits: 8) == "94287082")
        #expect(TOTPCheck.code(key: key, at: Date(timeIntervalSince1970: 1_111_111_109), digits: 8) == "07081804")
    }
}
