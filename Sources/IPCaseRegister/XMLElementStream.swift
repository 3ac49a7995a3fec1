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
    func opened(_ name: String, attributes: [String: String], path: XMLPath)
    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath)
}

/// Streams an XML file through FoundationXML's `XMLParser` (libxml2's push parser, fed in
/// chunks: a file is never loaded whole), with namespaces resolved to local names, and hands
/// each element to a consumer with its path, attributes (local names) and trimmed text.
final class XMLElementStream: NSObject, XMLParserDelegate {
    private let consumer: any XMLElementConsumer
    private var path = XMLPath()
    private var attributes: [[String: String]] = []
    private var texts: [String] = []
    /// Per open element, how many children of each name it has had.
    private var childCounts: [[String: Int]] = [[:]]
    private(set) var failure: String?

    init(consumer: any XMLElementConsumer) {
        self.consumer = consumer
    }

    /// Parses `stream`; throws `RegisterError.malformed` with the line and libxml2's reason.
    func parse(_ stream: InputStream, file: String) throws {
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        if !parser.parse() || failure != nil {
            let reason = failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "not well-formed XML"
            throw RegisterError.malformed(file: file, line: parser.lineNumber, reason: reason)
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let position = (childCounts[childCounts.count - 1][elementName] ?? 0) + 1
        childCounts[childCounts.count - 1][elementName] = position
        childCounts.append([:])
        path.push(elementName, position: position)
        var local: [String: String] = [:]
        for (key, value) in attributeDict {
            local[key.split(separator: ":").last.map(String.init) ?? key] = value
        }
        attributes.append(local)
        texts.append("")
        consumer.opened(elementName, attributes: local, path: path)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !texts.isEmpty else { return }
        texts[texts.count - 1] += string
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        let text = texts.removeLast().trimmingCharacters(in: .whitespacesAndNewlines)
        let attributes = self.attributes.removeLast()
        consumer.closed(elementName, text: text, attributes: attributes, path: path)
        path.pop()
        childCounts.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil { failure = "\(parseError.localizedDescription)" }
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
