import CLibXML2
import Foundation

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
    public func contains(_ name: String) -> Bool {
        // Most names differ in length: that is cheaper to tell than their bytes.
        let length = name.utf8.count
        return names.contains { $0.utf8.count == length && $0 == name }
    }

    /// The path as text.
    public var description: String {
        zip(names, positions).map { "\($0)[\($1)]" }.joined(separator: "/")
    }
}

/// What reads one format: told of each element as it opens and closes, with its text.
protocol XMLElementConsumer: AnyObject {
    /// Elements with mixed content (`<invention-title>H<sub>2</sub>O</invention-title>`): their
    /// text, and that of every element inside them, includes the descendants' text. Any other
    /// element's text is its own character data.
    var mixedContent: Set<String> { get }
    func opened(_ name: String, attributes: [String: String], path: XMLPath)
    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath)
}

extension XMLElementConsumer {
    var mixedContent: Set<String> { [] }
}

/// Streams an XML file through libxml2's SAX2 push parser (fed in chunks: a file is never
/// loaded whole), with namespaces resolved to local names, and hands each element to a consumer
/// with its path, attributes (local names) and trimmed text.
///
/// It is written for speed on bulk files: element and attribute names are libxml2's interned
/// strings, so each distinct name becomes a Swift `String` once per file; character data is
/// gathered as bytes in one buffer and made a `String` only when its element closes (and only
/// when it is more than white space). The parser reads no DTD, resolves no external entity and
/// opens no network connection (`XML_PARSE_NONET`); `XMLDocumentSequenceStream` leaves every
/// document type declaration out before it.
///
/// A file of concatenated documents is read through `XMLDocumentSequenceStream`, which wraps
/// them in a synthetic root: name it as `wrapper` and it is left out of the paths (the documents
/// are then `us-patent-grant[1]`, `us-patent-grant[2]` …) and not handed to the consumer.
final class XMLElementStream {
    /// What the parse has seen so far. It is one value, so that each of libxml2's callbacks
    /// reaches it with one access rather than one per field.
    private var state: ParseState

    init(consumer: any XMLElementConsumer, wrapper: String? = nil) {
        state = ParseState(consumer: consumer, wrapper: wrapper)
    }

    /// libxml2 is initialized once per process, before the first parser.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parses `stream`; throws `RegisterError.malformed` with the line and libxml2's reason, also
    /// for a file that ends inside an element (a truncated download).
    func parse(_ stream: XMLDocumentSequenceStream, file: String) throws {
        _ = Self.initialized
        var handler = xmlSAXHandler()
        handler.initialized = ipcase_xml_sax2_magic
        handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            Unmanaged<XMLElementStream>.fromOpaque(context).takeUnretainedValue().state
                .started(localName, attributeCount: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { context, _, _, _ in
            guard let context else { return }
            Unmanaged<XMLElementStream>.fromOpaque(context).takeUnretainedValue().state.ended()
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            Unmanaged<XMLElementStream>.fromOpaque(context).takeUnretainedValue().state
                .characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = characters
        handler.cdataBlock = characters
        handler.ignorableWhitespace = characters
        // A structured error handler, so that libxml2 prints nothing: the error is read from
        // the context after the chunk that raised it.
        handler.serror = { _, _ in }
        let this = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&handler, this, nil, 0, file) else {
            throw RegisterError.unreadable(file: file, reason: "libxml2 could not start a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue))
        let capacity = 1 << 18
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var finished = false
        while !finished {
            let count = stream.read(buffer, maxLength: capacity)
            finished = count <= 0
            let status = buffer.withMemoryRebound(to: CChar.self, capacity: capacity) {
                xmlParseChunk(context, $0, Int32(max(count, 0)), finished ? 1 : 0)
            }
            guard status != 0 else { continue }
            let error = xmlCtxtGetLastError(context)
            let reason =
                error?.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                ?? "not well-formed XML"
            let line = error.map { Int($0.pointee.line) } ?? Int(ipcase_xml_line(context))
            // A mismatch with the synthetic wrapper's end tag is the file's own end.
            let atEnd = finished || state.wrapper.map { reason.hasSuffix("and \($0)") } ?? false
            if atEnd, let open = state.openElement {
                throw RegisterError.malformed(file: file, line: line, reason: "the file ends inside <\(open)> (\(reason))")
            }
            throw RegisterError.malformed(file: file, line: line, reason: reason)
        }
        if let open = state.openElement {
            throw RegisterError.malformed(
                file: file, line: Int(ipcase_xml_line(context)), reason: "the file ends inside <\(open)>")
        }
    }
}

/// The parse of one file: the open elements' path, attributes and text, and the names seen.
private struct ParseState {
    let consumer: any XMLElementConsumer
    let wrapper: String?
    let mixedContent: Set<String>
    var path = XMLPath()
    /// Per open element, its attributes.
    var attributes: [[String: String]] = []
    /// The character data of the open elements: each one's own from its offset in `textStarts`
    /// (a closed child's is cut off again, unless inside a mixed-content element).
    var text: [UInt8] = []
    var textStarts: [Int] = []
    /// The depth of the outermost open mixed-content element, if any.
    var mixedDepth: Int?
    /// Per open element, how many children of each name it has had: `(name, count)` pairs, the
    /// open elements' runs one after the other, each from its offset in `childStarts`.
    var childCounts: [(name: Int, count: Int)] = []
    var childStarts: [Int] = [0]
    /// libxml2's interned names, each as a number, with its `String` and whether it has mixed
    /// content; the last few looked up are cached by address in front of the dictionary.
    var nameNumbers: [UnsafeRawPointer: Int] = [:]
    var names: [(name: String, mixed: Bool)] = []
    var recent = [(key: UnsafeRawPointer?, number: Int)](repeating: (nil, 0), count: 256)
    /// Whether the synthetic wrapper element is open.
    var inWrapper = false

    init(consumer: any XMLElementConsumer, wrapper: String?) {
        self.consumer = consumer
        self.wrapper = wrapper
        self.mixedContent = consumer.mixedContent
        text.reserveCapacity(1 << 12)
    }

    /// The innermost open element (or the wrapper), if any: at the end of the file, none is.
    var openElement: String? { path.names.isEmpty ? (inWrapper ? wrapper : nil) : path.last }

    /// The number of an interned name.
    mutating func number(_ pointer: UnsafePointer<xmlChar>) -> Int {
        let key = UnsafeRawPointer(pointer)
        let slot = (Int(bitPattern: key) >> 3) & 255
        if recent[slot].key == key { return recent[slot].number }
        let number: Int
        if let known = nameNumbers[key] {
            number = known
        } else {
            let name = String(cString: pointer)
            number = names.count
            nameNumbers[key] = number
            names.append((name, mixedContent.contains(name)))
        }
        recent[slot] = (key, number)
        return number
    }

    private static let noAttributes: [String: String] = [:]

    mutating func started(
        _ localName: UnsafePointer<xmlChar>, attributeCount: Int, attributes list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let number = number(localName)
        let elementName = names[number].name
        if let wrapper, path.names.isEmpty, !inWrapper, elementName == wrapper {
            inWrapper = true
            return
        }
        // Its position among the parent's children of its name.
        let runStart = childStarts[childStarts.count - 1]
        var position = 1
        var index = runStart
        while index < childCounts.count, childCounts[index].name != number { index += 1 }
        if index < childCounts.count {
            childCounts[index].count += 1
            position = childCounts[index].count
        } else {
            childCounts.append((number, 1))
        }
        childStarts.append(childCounts.count)
        path.push(elementName, position: position)
        var local = Self.noAttributes
        if attributeCount > 0, let list {
            local.reserveCapacity(attributeCount)
            // Five pointers per attribute: local name, prefix, URI, value start, value end.
            for index in 0..<attributeCount {
                guard let key = list[index * 5], let start = list[index * 5 + 3], let end = list[index * 5 + 4] else {
                    continue
                }
                let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                local[names[self.number(key)].name] = value
            }
        }
        attributes.append(local)
        if mixedDepth == nil, names[number].mixed { mixedDepth = path.names.count }
        textStarts.append(text.count)
        consumer.opened(elementName, attributes: local, path: path)
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !textStarts.isEmpty else { return }
        text.append(contentsOf: bytes)
    }

    mutating func ended() {
        if path.names.isEmpty {
            inWrapper = false
            return
        }
        let depth = path.names.count
        let start = textStarts.removeLast()
        let content = XMLElementStream.trimmed(text, from: start)
        // A child's text is the parent's too only inside a mixed-content element.
        if mixedDepth.map({ depth <= $0 }) ?? true { text.removeLast(text.count - start) }
        if mixedDepth == depth { mixedDepth = nil }
        let attributes = self.attributes.removeLast()
        consumer.closed(path.last, text: content, attributes: attributes, path: path)
        path.pop()
        let run = childStarts.removeLast()
        childCounts.removeLast(childCounts.count - run)
    }
}

extension XMLElementStream {
    /// `bytes[start...]` without leading and trailing XML white space (space, tab, CR, LF), as text.
    static func trimmed(_ bytes: [UInt8], from start: Int) -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var first = start
        var end = bytes.count
        while first < end, isSpace(bytes[first]) { first += 1 }
        while end > first, isSpace(bytes[end - 1]) { end -= 1 }
        if first == end { return "" }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[first..<end]), as: UTF8.self) }
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
