import Crypto
import Foundation
import Synchronization

/// Delivers notifications as e-mail through the system's `sendmail -t -oi`.
///
/// The message is RFC 5322 text: `From`, `To`, `Subject` (RFC 2047 encoded when not ASCII),
/// `Date`, a `Message-ID` derived from the idempotency key (so repeats are recognisable),
/// `X-IPCase-Idempotency-Key`, `MIME-Version` and a UTF-8 plain-text body. A header value
/// containing CR, LF or another control character is refused (a permanent failure) rather
/// than cleaned, so header injection cannot happen. `sendmail` exiting 0 is delivered;
/// `EX_TEMPFAIL` (75) and other transient `sysexits.h` codes, a crash or a timeout are
/// retryable; `EX_USAGE`, `EX_DATAERR`, `EX_NOUSER`, `EX_NOHOST`, `EX_NOPERM` are permanent.
///
/// Writing to `sendmail`'s standard input requires SIGPIPE to be ignored (a daemon does);
/// the initializer ignores it.
public struct SendmailChannel: NotificationChannel {
    /// `email`.
    public var name: String { "email" }

    private let settings: MailSettings

    /// A channel running `settings.sendmailPath`.
    public init(settings: MailSettings) {
        self.settings = settings
        signal(SIGPIPE, SIG_IGN)
    }

    /// Why a message cannot be written as e-mail.
    public enum MessageError: Error, Sendable, Hashable, CustomStringConvertible {
        /// A header value contains CR, LF or another control character.
        case controlCharacterInHeader(field: String)
        /// A recipient is not a plain address.
        case invalidRecipient(index: Int)
        /// There is no recipient.
        case noRecipients

        /// A description naming the header or the recipient's position.
        public var description: String {
            switch self {
            case .controlCharacterInHeader(let field): "header injection refused: \(field) contains a control character"
            case .invalidRecipient(let index): "recipient \(index + 1) is not a plain e-mail address"
            case .noRecipients: "no recipients"
            }
        }
    }

    /// The RFC 5322 message for `message`, as handed to `sendmail -t`.
    /// - Parameters:
    ///   - message: the notification.
    ///   - date: the `Date:` header's time.
    /// - Throws: `MessageError` for unsafe headers or recipients.
    public func rfc5322Message(for message: NotificationMessage, date: Date = Date()) throws(MessageError) -> String {
        guard !message.recipients.isEmpty else { throw .noRecipients }
        for (index, recipient) in message.recipients.enumerated() {
            guard Self.isPlainAddress(recipient) else { throw .invalidRecipient(index: index) }
        }
        try Self.requireSafeHeader(settings.from, field: "From")
        try Self.requireSafeHeader(message.subject, field: "Subject")
        try Self.requireSafeHeader(message.idempotencyKey, field: "X-IPCase-Idempotency-Key")
        try Self.requireSafeHeader(message.topic, field: "X-IPCase-Topic")

        let keyDigest = SHA256.hash(data: Data(message.idempotencyKey.utf8)).prefix(16)
            .map { String(format: "%02x", $0) }.joined()
        let domain = Self.domain(of: settings.from) ?? "ipcase.invalid"
        let body = message.body.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        let longLines = body.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.utf8.count > 998 }

        var lines = [
            "From: \(settings.from)",
            "To: \(message.recipients.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(message.subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(keyDigest)@\(domain)>",
            "X-IPCase-Idempotency-Key: \(Self.encodedWord(message.idempotencyKey))",
            "X-IPCase-Topic: \(Self.encodedWord(message.topic))",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        if longLines {
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
        } else {
            lines.append("Content-Transfer-Encoding: 8bit")
            lines.append("")
            lines.append(body)
        }
        var text = lines.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// Runs `sendmail -t -oi` once with the message on standard input.
    public func send(_ message: NotificationMessage) async -> DeliveryOutcome {
        let text: String
        do {
            text = try rfc5322Message(for: message)
        } catch {
            return .permanentFailure(reason: error.description)
        }
        let result = await ChildProcess.run(
            path: settings.sendmailPath, arguments: ["-t", "-oi"], input: Array(text.utf8),
            timeout: settings.timeout)
        switch result {
        case .exited(0, _):
            return .delivered
        case .exited(let code, let stderr):
            let detail = stderr.isEmpty ? "" : ": " + stderr
            switch code {
            case 64, 65, 67, 68, 77: return .permanentFailure(reason: "sendmail exited with \(code)\(detail)")
            default: return .retryable(reason: "sendmail exited with \(code)\(detail)")
            }
        case .signalled(let signal):
            return .retryable(reason: "sendmail killed by signal \(signal)")
        case .timedOut:
            return .retryable(reason: "sendmail did not finish within \(settings.timeout)")
        case .launchFailed(let reason):
            return .retryable(reason: "cannot run \(settings.sendmailPath): \(reason)")
        }
    }

    static func requireSafeHeader(_ value: String, field: String) throws(MessageError) {
        if value.unicodeScalars.contains(where: {
            $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}"
        }) {
            throw .controlCharacterInHeader(field: field)
        }
    }

    /// A bare `local@domain` address: no spaces, control characters, commas, angle brackets or quotes.
    static func isPlainAddress(_ address: String) -> Bool {
        let forbidden: Set<Unicode.Scalar> = [" ", ",", ";", "<", ">", "\"", "(", ")", "\\", ":"]
        let scalars = address.unicodeScalars
        guard !scalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || forbidden.contains($0) }) else {
            return false
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !address.hasPrefix("-")
    }

    /// The domain of an address like `Name <user@example.org>`.
    static func domain(of from: String) -> String? {
        guard let at = from.lastIndex(of: "@") else { return nil }
        let domain = from[from.index(after: at)...].prefix { $0 != ">" && $0 != " " }
        return domain.isEmpty ? nil : String(domain)
    }

    /// The value itself when printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` words.
    static func encodedWord(_ value: String) -> String {
        if value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return value }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\n ")
    }

    /// `Tue, 1 Jul 2025 08:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// Runs a program with input on standard input, off the cooperative thread pool.
enum ChildProcess {
    enum Result: Sendable, Hashable {
        case exited(Int32, stderr: String)
        case signalled(Int32)
        case timedOut
        case launchFailed(String)
    }

    static func run(path: String, arguments: [String], input: [UInt8], timeout: Duration) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: runBlocking(path: path, arguments: arguments, input: input, timeout: timeout))
            }
        }
    }

    private static func runBlocking(path: String, arguments: [String], input: [UInt8], timeout: Duration) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return .launchFailed((error as NSError).localizedDescription)
        }
        let io = DispatchGroup()
        let errorOutput = Mutex(Data())
        let writer = stdin.fileHandleForWriting
        let reader = stderr.fileHandleForReading
        DispatchQueue.global().async(group: io) {
            try? writer.write(contentsOf: Data(input))
            try? writer.close()
        }
        DispatchQueue.global().async(group: io) {
            let data = (try? reader.readToEnd()) ?? Data()
            errorOutput.withLock { $0 = data }
        }
        if finished.wait(timeout: .now() + RetryPolicy.seconds(timeout)) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
            _ = io.wait(timeout: .now() + 2)
            return .timedOut
        }
        _ = io.wait(timeout: .now() + 2)
        let message = errorOutput.withLock { String(decoding: $0.prefix(500), as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .replacing("\n", with: " ")
        switch process.terminationReason {
        case .exit: return .exited(process.terminationStatus, stderr: message)
        case .uncaughtSignal: return .signalled(process.terminationStatus)
        @unknown default: return .exited(process.terminationStatus, stderr: message)
        }
    }
}
