import Foundation
import IPCase
import IPCaseStore
import PostgresClient

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
    /// `--office N` names an office that is not there, or that this login may not read (exit code 2).
    public static func noSuchOffice(_ office: ID<Office>) -> CLIError {
        usage("--office: office \(office.rawValue) does not exist (or this login may not read it)")
    }
}

extension CLIError {
    /// The line and exit code for an error of the store or the database, in words for the person
    /// at the terminal (no SQLSTATE internals, constraint names or type names): a record not found
    /// is a failure (exit 1) naming the office; a version conflict, refused data or a refused
    /// transition (which names the record, its state and the events allowed) is bad input (exit 2);
    /// the database unreachable or refusing the login is a failure. `nil` for other errors.
    public init?(_ error: any Error, command: String? = nil, office: ID<Office>? = nil) {
        let prefix = command.map { "\($0): " } ?? ""
        if let error = error as? StoreError {
            switch error {
            case .notFound(let record):
                let name = record.replacingOccurrences(of: "#", with: "")
                let scope = name.hasPrefix("office ") ? nil : office
                self = .failure(scope.map { "\(name) not found in office \($0.rawValue)" } ?? "\(name) not found")
            case .conflict(let record, let expected, let current?):
                self = .usage(
                    "\(record) was changed by someone else (version \(expected), now \(current)); show it again and retry")
            case .workflow:
                self = .usage(error.description)
            case .conflict, .invalid:
                self = .usage(prefix + error.description)
            }
            return
        }
        guard let error = error as? PostgresError else { return nil }
        switch error.code {
        case .connectionFailed:
            self = .failure("cannot connect to the database: \(error.message ?? error.reason ?? "no reason given")")
        case .connectionClosed:
            self = .failure("the connection to the database was lost; nothing more was written (try again)")
        case .cancelled:
            self = .failure(prefix + "cancelled; the transaction was rolled back")
        case .invalidParameter:
            self = .usage(prefix + (error.reason ?? "a value cannot be sent to the database"))
        default:
            switch error.sqlState {
            case PostgresError.SQLState.insufficientPrivilege?:
                self = .failure(
                    prefix + "this database login may not do that (\(error.message ?? "permission denied"))")
            case "25006"?:
                self = .failure(
                    prefix
                        + "this database is a read-only replica; write to the primary (--database-url), read here with --read-database-url")
            case let state? where state.hasPrefix("23") || state.hasPrefix("22"):
                self = .usage(prefix + "the database refused the data: \(Self.plain(state)); nothing was written")
            case let state?:
                self = .failure(prefix + "the database failed (\(Self.plain(state))); nothing was written")
            case nil:
                self = .failure(prefix + "the database failed; nothing was written")
            }
        }
    }

    /// A SQLSTATE in words.
    static func plain(_ state: String) -> String {
        switch state {
        case PostgresError.SQLState.uniqueViolation: "a record with the same key already exists"
        case PostgresError.SQLState.foreignKeyViolation: "it refers to a record that does not exist"
        case PostgresError.SQLState.checkViolation: "a value is outside what the field allows"
        case PostgresError.SQLState.notNullViolation: "a required value is missing"
        case "22001": "a text is longer than the field allows"
        case "22003": "a number is out of range"
        case "53300": "the server has no connection left (too many clients)"
        case "57P01", "57P02", "57P03": "the server is shutting down or starting"
        default: "SQLSTATE \(state)"
        }
    }
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
