import Foundation
import IPCase

/// Party names compared as registers and dockets write them: the same company is
/// `ТОО «Казахстанский институт»`, `Kazakhstanskiy Institut LLP` or `KAZAKHSTANSKIY INSTITUT, LLP`.
///
/// ``normalized(_:)`` folds case and diacritics, drops punctuation, quotes and legal forms
/// (LLP, LLC, Inc., GmbH, ТОО, АО, РГП …); two names are the *same* when their normalized forms
/// are equal and *alike* when they share most of their words. An alike name is never taken for
/// the party: the import asks.
public enum PartyNames {
    /// Legal-form words dropped from names (after case folding).
    static let legalForms: Set<String> = [
        "llp", "llc", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company", "gmbh", "ag",
        "sa", "sas", "srl", "bv", "nv", "plc", "jsc", "ojsc", "cjsc", "pjsc", "rse", "kg", "oy", "ab", "as",
        "тоо", "ао", "оао", "зао", "пао", "ооо", "рго", "ргп", "ргу", "гу", "нао", "ип", "ұаақ", "жшс", "ақ",
    ]

    /// Words that join names and say nothing of whose they are: not counted as shared.
    static let connectives: Set<String> = [
        "of", "the", "and", "for", "de", "la", "der", "und", "и", "по", "им", "имени", "және",
    ]

    /// The name in lower case, without diacritics, punctuation, quotes and legal forms; words
    /// separated by one space and sorted (so `Ivanov Ivan` and `Ivan Ivanov` are one name).
    public static func normalized(_ name: String) -> String {
        words(name).sorted().joined(separator: " ")
    }

    /// The words of a name as ``normalized(_:)`` keeps them.
    static func words(_ name: String) -> [String] {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var word = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words.filter { !legalForms.contains($0) }
    }

    /// How a register's name compares with a docket's.
    public enum Likeness: Sendable, Hashable {
        /// The same normalized name.
        case same
        /// Most words in common (at least half of the longer name's, and more than one or all of
        /// the shorter's): perhaps the same party, to be confirmed by a person.
        case alike
        /// Different.
        case different
    }

    /// How `registerName` compares with `docketName`.
    public static func likeness(_ registerName: String, _ docketName: String) -> Likeness {
        likeness(words: Set(words(registerName)), Set(words(docketName)))
    }

    /// The likeness of two names given as their word sets (`Set(words(name))`), so that a
    /// docket's names are split once for a whole import.
    static func likeness(words left: Set<String>, _ right: Set<String>) -> Likeness {
        guard !left.isEmpty, !right.isEmpty else { return .different }
        if left == right { return .same }
        let shared = left.intersection(right).subtracting(connectives).count
        let longer = max(left.count, right.count)
        let shorter = min(left.count, right.count)
        if shared * 2 >= longer, shared >= min(2, shorter) { return .alike }
        return .different
    }
}
