import Foundation

/// Reads a register file of any supported format, streaming: the format is told by the root
/// element, and each document is handed on as it closes.
///
/// ```swift
/// let records = try RegisterReader.read(path: "KZ-2023-0123.xml")
/// records[0].application?.number   // "2023/0123.1"
/// ```
public enum RegisterReader {
    /// The formats read so far, by their root element's local name.
    static let roots: [String: RegisterFormat] = Dictionary(
        uniqueKeysWithValues: ST96Reader.roots.map { ($0, RegisterFormat.st96) } + ST36Reader.roots.map { ($0, .st36) }
            + USPTOReader.roots.map { ($0.key, $0.value) })

    /// The format of the file at `path`, from its root element (the first few kilobytes).
    public static func format(path: String) throws -> RegisterFormat {
        let name = (path as NSString).lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RegisterError.unreadable(file: name, reason: "no such file or no permission")
        }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 16_384), as: UTF8.self)
        let root = rootElement(in: head) ?? ""
        guard let format = roots[root] ?? (root == epoRoot ? epoFormat(head: head) : nil) else {
            throw RegisterError.unknownFormat(file: name, root: root)
        }
        return format
    }

    /// The local name of the first element of `text` after the XML declaration, comments and
    /// processing instructions.
    static func rootElement(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                guard let close = after.firstIndex(of: ">") else { return nil }
                rest = after[after.index(after: close)...]
                continue
            }
            let name = after.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
            return name.split(separator: ":").last.map(String.init)
        }
        return nil
    }

    /// Every record of the file at `path`, in document order.
    ///
    /// A bulk file of concatenated documents (USPTO's weekly files: each document with its own
    /// XML declaration and DOCTYPE) is read as the sequence it is, streaming.
    /// - Parameters:
    ///   - path: The file.
    ///   - each: Called with each record as its document closes.
    /// - Throws: `RegisterError` for a file that cannot be opened, is not well-formed or is of
    ///   another format.
    public static func read(path: String, each: @escaping (RegisterRecord) -> Void = { _ in }) throws -> [RegisterRecord] {
        var records: [RegisterRecord] = []
        try scan(path: path) { record in
            records.append(record)
            each(record)
        }
        return records
    }

    /// Hands each record of the file at `path` to `each` as its document closes and keeps none,
    /// so that a bulk file of any size is read in the memory of one document.
    ///
    /// ```swift
    /// let known: Set<String> = …   // RegisterNumbers.matchKey of the docket's applications
    /// try RegisterReader.scan(path: "ipg240312.xml") { record in
    ///     guard let application = record.application else { return }
    ///     if known.contains(RegisterNumbers.matchKey(application.number, office: application.office)) { … }
    /// }
    /// ```
    /// - Parameters:
    ///   - path: The file.
    ///   - each: Called with each record.
    /// - Returns: How many records were read.
    /// - Throws: `RegisterError`, as `read(path:each:)`.
    @discardableResult
    public static func scan(path: String, each: @escaping (RegisterRecord) -> Void) throws -> Int {
        let name = (path as NSString).lastPathComponent
        let format = try format(path: path)
        guard let stream = XMLDocumentSequenceStream(path: path) else {
            throw RegisterError.unreadable(file: name, reason: "cannot be opened")
        }
        let count: () -> Int
        let consumer: any XMLElementConsumer
        switch format {
        case .st96:
            let reader = ST96Reader(file: name, emit: each)
            (consumer, count) = (reader, { reader.count })
        case .st36, .usptoGrant, .usptoApplication:
            let reader = ST36Reader(file: name, format: format, emit: each)
            (consumer, count) = (reader, { reader.count })
        case .opsBiblio, .opsFamily, .opsLegal:
            let reader = OPSReader(file: name, format: format, table: .standard, emit: each)
            (consumer, count) = (reader, { reader.count })
        case .epRegister:
            let reader = EPRegisterReader(file: name, table: .standard, emit: each)
            (consumer, count) = (reader, { reader.count })
        }
        try XMLElementStream(consumer: consumer, wrapper: XMLDocumentSequenceStream.wrapper).parse(stream, file: name)
        if let failure = stream.failure { throw RegisterError.unreadable(file: name, reason: failure) }
        return count()
    }
}
