import Foundation
import IPCase
import IPCaseStore

/// An error the command line reports on one line, with its exit code: 2 for bad usage or input,
/// 1 for a failure.
public struct CLIError: Error, Sendable, CustomStringConvertible {
    /// The line shown (without the `ipcase:` prefix).
    public var description: String
    /// The process exit code.
    public var exitCode: Int32

    /// Bad usage or input (exit code 2).
    public static func usage(_ message: String) -> CLIError { CLIError(description: message, exitCode: 2) }
    /// A failure (exit code 1).
    public static func failure(_ message: String) -> CLIError { CLIError(description: message, exitCode: 1) }
}

/// Small parsers shared by the commands.
public enum CLIParse {
    /// `YYYY-MM-DD`, or a usage error naming the option.
    public static func date(_ text: String, option: String) throws -> CivilDate {
        do { return try CivilDate(iso: text) } catch {
            throw CLIError.usage("\(option): '\(text)' is not a valid date (YYYY-MM-DD)")
        }
    }

    /// Today in UTC.
    public static func today() -> CivilDate { .todayUTC }

    /// `30d`, `8w`, `3m` (30-day months) or `45` as a number of days.
    public static func days(_ text: String, option: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = trimmed.last.flatMap { $0.isLetter ? $0 : nil }
        let number = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let value = Int(number), value >= 0 else {
            throw CLIError.usage("\(option): '\(text)' is not a duration such as 30d, 8w or 3m")
        }
        switch unit {
        case nil, "d": return value
        case "w": return value * 7
        case "m": return value * 30
        default: throw CLIError.usage("\(option): '\(text)' is not a duration such as 30d, 8w or 3m")
        }
    }
}
