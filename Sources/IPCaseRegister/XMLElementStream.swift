import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Where an element is in its document: each ancestor's local name with its position among the
/// siblings of that name, e.g. `PatentPublication[1]/BibliographicData[1]/PriorityClaimBag[1]/PriorityClaim[2]`.
public struct XMLPath: Sendable, Hashable, CustomStringConvertible {
    /// The local names from the root down.
    public private(set) var names: [String] = []
    /// Each one's position among its siblings of the same name (1 for the first).
    public private(set) var positions: [Int] = []

    mutating func push(_ name: String, position: Int) {
        names.append(name)
        positions.append(position)
    }

    mutating func pop() {
        names.removeLast()
        positions.removeLast()
    }

    /// The element's own local name.
    public var last: String { names.last ?? "" }

    /// Its parent's local name (`""` at the root).
    public var parent: String { names.count >= 2 ? names[names.count - 2] : "" }

    /// Whether the path ends with `suffix` (local names), e.g. `["PriorityClaim", "FilingDate"]`.
    public func ends(with suffix: String...) -> Bool {
        guard suffix.count <= names.count else { return false }
        return names.suffix(suffix.count).elementsEqual(suffix)
    }

    /// Whether an element named `name` is on the path.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// The path as text.
    public var description: String {
        zip(names, positions).map { "\($0)[\($1)]" }.joined(separator: "/")
    }
}

/// What reads one format: told of each element as it opens and closes, with its text.
protocol XMLElementConsumer: AnyObject {
    /// Elements with mixed content (`<invention-title>H<sub>2</sub>O</invention-title>`): their
    /// text includes their descendants' text. Any other element's text is its own character data.
    var mixedContent: Set<String> { get }
    func opened(_ name: String, attributes: [String: String], path: XMLPath)
    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath)
}

extension XMLElementConsumer {
    var mixedContent: Set<String> { [] }
}

/// Streams an XML file through FoundationXML's `XMLParser` (libxml2's push parser, fed in
/// chunks: a file is never loaded whole), with namespaces resolved to local names, and hands
/// each element to a consumer with its path, attributes (local names) and trimmed text.
///
/// A file of concatenated documents is read through `XMLDocumentSequenceStream`, which wraps
/// them in a synthetic root: name it as `wrapper` and it is left out of the paths (the documents
/// are then `us-patent-grant[1]`, `us-patent-grant[2]` …) and not handed to the consumer.
final class XMLElementStream: NSObject, XMLParserDelegate {
    private let consumer: any XMLElementConsumer
    private let wrapper: String?
    private let mixedContent: Set<String>
    private var path = XMLPath()
    private var attributes: [[String: String]] = []
    private var texts: [String] = []
    /// The index in `texts` of the outermost open mixed-content element, if any.
    private var mixedIndex: Int?
    /// Per open element, how many children of each name it has had.
    private var childCounts: [[String: Int]] = [[:]]
    /// Whether the synthetic wrapper element is open.
    private var inWrapper = false
    private(set) var failure: String?
    /// The line libxml2 was at when it reported `failure`.
    private var failureLine: Int?

    init(consumer: any XMLElementConsumer, wrapper: String? = nil) {
        self.consumer = consumer
        self.wrapper = wrapper
        self.mixedContent = consumer.mixedContent
    }

    /// Parses `stream`; throws `RegisterError.malformed` with the line and libxml2's reason, also
    /// for a file that ends inside an element (a truncated download).
    func parse(_ stream: InputStream, file: String) throws {
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        if !parser.parse() || failure != nil {
            let reason = failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "not well-formed XML"
            throw RegisterError.malformed(file: file, line: failureLine ?? parser.lineNumber, reason: reason)
        }
        // libxml2's push parser is never told the input ended: an unclosed element is not an
        // error to it.
        if !path.names.isEmpty || inWrapper {
            throw RegisterError.malformed(
                file: file, line: parser.lineNumber, reason: "the file ends inside <\(path.last)>")
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        if let wrapper, path.names.isEmpty, !inWrapper, elementName == wrapper {
            inWrapper = true
            return
        }
        let position = (childCounts[childCounts.count - 1][elementName] ?? 0) + 1
        childCounts[childCounts.count - 1][elementName] = position
        childCounts.append([:])
        path.push(elementName, position: position)
        var local: [String: String] = [:]
        if !attributeDict.isEmpty {
            for (key, value) in attributeDict {
                if let colon = key.lastIndex(of: ":") {
                    local[String(key[key.index(after: colon)...])] = value
                } else {
                    local[key] = value
                }
            }
        }
        attributes.append(local)
        if mixedIndex == nil, !mixedContent.isEmpty, mixedContent.contains(elementName) { mixedIndex = texts.count }
        texts.append("")
        consumer.opened(elementName, attributes: local, path: path)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += string
        if let mixedIndex, mixedIndex != texts.count - 1 { texts[mixedIndex] += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        if path.names.isEmpty {
            inWrapper = false
            return
        }
        let text = Self.trimmed(texts.removeLast())
        if mixedIndex == texts.count { mixedIndex = nil }
        let attributes = self.attributes.removeLast()
        consumer.closed(elementName, text: text, attributes: attributes, path: path)
        path.pop()
        childCounts.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil {
            failure = "\(parseError.localizedDescription)"
            failureLine = parser.lineNumber
        }
    }

    /// `text` without leading and trailing XML white space (space, tab, CR, LF).
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last else { return text }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = utf8.lastIndex(where: { !isSpace($0) })!
        return String(text[start...end])
    }
}

/// Why a register file could not be read.
public enum RegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not well-formed XML.
    case malformed(file: String, line: Int, reason: String)
    /// The file's root element is not one of the formats read.
    case unknownFormat(file: String, root: String)
    /// The file cannot be opened.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let file, let line, let reason): "\(file), line \(line): not well-formed XML (\(reason))"
        case .unknownFormat(let file, let root):
            "\(file): root element <\(root)> is not a format IPCase reads (ST.96, ST.36, OPS exchange-documents, patent-family or legal, EP Register, USPTO grant or application)"
        case .unreadable(let file, let reason): "\(file): cannot be read (\(reason))"
        }
    }
}
