import Foundation
import IPCaseTestSupport
import Testing

/// Every command the README shows parses: its subcommand exists (`--help` succeeds) and every
/// option it gives is one that subcommand takes. A renamed command or option fails here before a
/// newcomer copies it from the guide.
@Suite("README commands")
struct ReadmeCommandsTests {
    /// A command of the README's `sh` blocks: the program and its words (quotes removed,
    /// continuation lines joined, comments, redirections and pipes cut).
    struct Command: CustomTestStringConvertible, Sendable {
        var program: String
        var words: [String]
        var line: String
        var testDescription: String { line }
    }

    static let readme: String = {
        let here = URL(fileURLWithPath: #filePath)
        let path = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md").path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    static var commands: [Command] {
        var result: [Command] = []
        var inShell = false
        var pending = ""
        for rawLine in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.hasPrefix("```") {
                inShell = line == "```sh"
                pending = ""
                continue
            }
            guard inShell else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("\\") {
                pending += String(trimmed.dropLast()) + " "
                continue
            }
            let full = pending + trimmed
            pending = ""
            var words = Self.words(full)
            if words.first == "export" { continue }
            // `IPCASE_DATABASE_URL=… ipcased migrate`: the assignments before the program.
            while let first = words.first, first.range(of: "^[A-Z_]+=", options: .regularExpression) != nil {
                words.removeFirst()
            }
            if words.starts(with: ["swift", "run"]) { words.removeFirst(2) }
            guard let program = words.first, ["ipcase", "ipcased"].contains(program) else { continue }
            result.append(Command(program: program, words: Array(words.dropFirst()), line: full))
        }
        return result
    }

    /// Shell words of `line` up to a comment, redirection or pipe.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            switch character {
            case "\"", "'":
                quote = character
                inWord = true
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "#" where !inWord, ">" where !inWord, "|" where !inWord:
                return words
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func binary(_ program: String) -> URL {
        URL(fileURLWithPath: Binary.path).deletingLastPathComponent().appendingPathComponent(program)
    }

    @Test("the README shows the commands of every part of the guide")
    func readmeHasCommands() {
        let programs = Set(Self.commands.map { "\($0.program) \($0.words.first ?? "")" })
        for expected in ["ipcase demo", "ipcase deadlines", "ipcase calendar", "ipcase import", "ipcase migrate", "ipcased migrate"] {
            #expect(programs.contains(expected), "no `\(expected)` in the README")
        }
    }

    @Test("every README command names a subcommand that exists and options it takes", arguments: ReadmeCommandsTests.commands)
    func commandParses(_ command: Command) async throws {
        // The subcommand path: the leading plain words, shortened until `--help` accepts it
        // (positional arguments such as `import parties FILE` look like subcommands).
        var path = Array(command.words.prefix { $0.range(of: "^[a-z][a-z-]*$", options: .regularExpression) != nil })
        var help: ProcessOutput?
        while true {
            let result = try await ProcessOutput.run(
                Self.binary(command.program), path + ["--help"], environment: ProcessInfo.processInfo.environment)
            // `--help` wins over words the parser does not know: the usage line must be this path's.
            if result.status == 0, result.stdout.contains("USAGE: \(([command.program] + path).joined(separator: " "))") {
                help = result
                break
            }
            // Every command starts with a subcommand: `ipcase calendr list` must not pass as `ipcase`.
            if path.count <= 1 { break }
            path.removeLast()
        }
        var text = try #require(help, "`\(command.program) \(path.joined(separator: " ")) --help` fails").stdout
        // A group with a default subcommand (`ipcase report` runs `report indicators`) takes that
        // subcommand's options.
        if let line = text.split(separator: "\n").first(where: { $0.contains("(default)") }),
            let name = line.split(separator: " ").first
        {
            let result = try await ProcessOutput.run(
                Self.binary(command.program), path + [String(name), "--help"],
                environment: ProcessInfo.processInfo.environment)
            #expect(result.status == 0, "`\(path.joined(separator: " ")) \(name) --help` fails")
            text += result.stdout
        }
        for option in command.words where option.hasPrefix("--") {
            let name = String(option.prefix { $0 != "=" })
            #expect(text.contains(name), "`\(command.line)`: \(command.program) \(path.joined(separator: " ")) has no \(name)")
        }
    }
}
