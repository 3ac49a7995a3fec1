import Foundation
import IPCase

/// A language IPCase's users work in: Kazakh, Russian or English.
///
/// ```swift
/// let language = try Language(code: "kk")   // .kazakh
/// try Language(code: "de")                  // Language.Unknown: "… is not one of kk, ru, en"
/// ```
public enum Language: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Kazakh, in Cyrillic script (`kk`).
    case kazakh = "kk"
    /// Russian (`ru`).
    case russian = "ru"
    /// English (`en`), the default.
    case english = "en"

    /// A code that is not one of the languages.
    public struct Unknown: Error, CustomStringConvertible {
        /// The code given.
        public let code: String
        /// `'de' is not one of kk, ru, en`.
        public var description: String {
            "'\(code)' is not one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    /// The language of an ISO 639-1 code: `kk`, `ru` or `en`.
    /// - Throws: ``Unknown`` listing the codes there are.
    public init(code: String) throws(Unknown) {
        guard let language = Language(rawValue: code) else { throw Unknown(code: code) }
        self = language
    }

    /// The ISO 639-1 code, also the `lang` of an HTML page.
    public var code: String { rawValue }

    public var description: String { rawValue }
}

/// The messages of one language: every heading, label and note a report (and later a web page)
/// shows, by a stable key, with `{name}` placeholders for what is filled in.
///
/// The catalogs are data files, `Data/catalogs/kk.json`, `ru.json` and `en.json` (one flat JSON
/// object of key → text each, the same keys in all three), embedded at build time. A key a
/// catalog lacks is an error, never printed in its place.
///
/// ```swift
/// let catalog = Catalog.standard(.russian)
/// catalog("report.title")                                         // "Показатели IPCase"
/// try catalog.message("text.of", ["part": "4", "whole": "6", "share": "66,7 %"])  // "4 из 6 (66,7 %)"
/// ```
public struct Catalog: Hashable, Sendable {
    /// A key the catalog lacks, or a placeholder no argument fills.
    public struct Missing: Error, CustomStringConvertible {
        /// The catalog's language.
        public let language: Language
        /// The key looked up.
        public let key: String
        /// The placeholder left unfilled, if that is what is missing.
        public let placeholder: String?

        public var description: String {
            if let placeholder {
                return "catalog \(language): message '\(key)' needs the argument '\(placeholder)'"
            }
            return "catalog \(language): no message '\(key)'"
        }
    }

    /// A catalog file that is not a flat JSON object of strings.
    public struct Invalid: Error, CustomStringConvertible {
        /// What is wrong, naming the file.
        public let description: String
    }

    /// The language of the messages.
    public let language: Language
    /// The messages by key.
    public let messages: [String: String]

    /// A catalog of `messages` in `language`.
    public init(language: Language, messages: [String: String]) {
        self.language = language
        self.messages = messages
    }

    /// A catalog read from the text of a catalog file (a flat JSON object of key → text).
    /// - Throws: ``Invalid`` naming the file when it is not one.
    public init(language: Language, json: String, file: String) throws(Invalid) {
        do {
            let messages = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
            self.init(language: language, messages: messages)
        } catch {
            throw Invalid(description: "\(file) is not a JSON object of strings: \(error)")
        }
    }

    /// Every key of the catalog.
    public var keys: Set<String> { Set(messages.keys) }

    /// The embedded catalog of `language` (read on first use).
    public static func standard(_ language: Language) -> Catalog {
        guard let catalog = embedded[language] else {
            // The embedded catalogs are part of the build and checked by the tests.
            preconditionFailure("the embedded data lacks catalogs/\(language.code).json")
        }
        return catalog
    }

    /// The embedded catalogs, by language.
    static let embedded: [Language: Catalog] = {
        var catalogs: [Language: Catalog] = [:]
        for language in Language.allCases {
            let path = "catalogs/\(language.code).json"
            guard let file = EmbeddedFiles.all.first(where: { $0.path == path }) else { continue }
            do {
                catalogs[language] = try Catalog(language: language, json: file.contents, file: path)
            } catch {
                preconditionFailure("embedded \(error)")
            }
        }
        return catalogs
    }()

    /// The message under `key` with its `{name}` placeholders filled from `arguments`.
    /// - Throws: ``Missing`` when the key is not in the catalog or a placeholder has no argument.
    public func message(_ key: String, _ arguments: [String: String] = [:]) throws(Missing) -> String {
        guard let template = messages[key] else { throw Missing(language: language, key: key, placeholder: nil) }
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = arguments[name] else {
                throw Missing(language: language, key: key, placeholder: name)
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The message under `key`, for keys the code itself names: a missing one stops the
    /// program with ``Missing``'s description (the tests render every report in every language,
    /// so a missing key fails them, never a user's report).
    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        do { return try message(key, arguments) } catch { preconditionFailure(error.description) }
    }

    /// The placeholders of the message under `key`, e.g. `["part", "whole"]`.
    public func placeholders(of key: String) -> Set<String> {
        guard let template = messages[key] else { return [] }
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
