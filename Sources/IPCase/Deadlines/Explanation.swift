/// A deadline's explanation as segments: text in the reader's language, and text quoted from the
/// sources (a rule's citation, a calendar's note, a holiday's name), which stays in the language
/// it was written in.
///
/// ```swift
/// let line = deadline.explanation(phrases: russian)
/// line.text                          // "30 месяцев с даты … PCT Art. 22(1); …"
/// line.segments.filter(\.isQuoted)   // [.quoted("PCT Art. 22(1)")]
/// ```
public struct Explanation: Hashable, Sendable, CustomStringConvertible {
    /// One run of text.
    public enum Segment: Hashable, Sendable {
        /// Text in the phrasebook's language.
        case local(String)
        /// Text quoted from the data, in its own language (English for the embedded rules).
        case quoted(String)

        /// The text of the run.
        public var text: String {
            switch self {
            case .local(let text), .quoted(let text): text
            }
        }

        /// Whether the run is quoted from the data.
        public var isQuoted: Bool {
            switch self {
            case .local: false
            case .quoted: true
            }
        }
    }

    /// The runs in order; adjacent runs of the same kind are merged, empty ones left out.
    public private(set) var segments: [Segment] = []

    /// An explanation of `segments`, merged as `append(_:)` merges them.
    public init(_ segments: [Segment] = []) {
        for segment in segments { append(segment) }
    }

    /// Local text.
    public init(local text: String) { self.init([.local(text)]) }

    /// Quoted text.
    public init(quoted text: String) { self.init([.quoted(text)]) }

    /// The whole line.
    public var text: String { segments.map(\.text).joined() }

    public var description: String { text }

    /// Appends a run, merging it into the last one when they are of the same kind.
    public mutating func append(_ segment: Segment) {
        guard !segment.text.isEmpty else { return }
        switch (segments.last, segment) {
        case (.local(let last)?, .local(let text)): segments[segments.count - 1] = .local(last + text)
        case (.quoted(let last)?, .quoted(let text)): segments[segments.count - 1] = .quoted(last + text)
        default: segments.append(segment)
        }
    }

    /// Appends local text.
    public mutating func append(_ text: String) { append(.local(text)) }

    /// Appends quoted text.
    public mutating func append(quoted text: String) { append(.quoted(text)) }

    /// Appends every run of `other`.
    public mutating func append(_ other: Explanation) {
        for segment in other.segments { append(segment) }
    }

    /// `parts` with `separator` (local text) between them.
    public static func joined(_ parts: [Explanation], separator: String) -> Explanation {
        var out = Explanation()
        for (index, part) in parts.enumerated() {
            if index > 0 { out.append(separator) }
            out.append(part)
        }
        return out
    }

    /// The line with its quoted runs marked by `quote` (e.g. wrapped in an HTML element) and its
    /// local runs by `local` (e.g. escaped).
    public func rendered(local: (String) -> String, quoted: (String) -> String) -> String {
        segments.map { segment in
            switch segment {
            case .local(let text): local(text)
            case .quoted(let text): quoted(text)
            }
        }.joined()
    }
}
