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
    static let roots: [String: RegisterFormat] = Dictionary(uniqueKeysWithValues: ST96Reader.roots.map { ($0, .st96) })

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
    /// - Throws: `RegisterError` for a file that cannot be opened, is not well-formed or is of
    ///   another format.
    public static func read(path: String, each: @escaping (RegisterRecord) -> Void = { _ in }) throws -> [RegisterRecord] {
        let name = (path as NSString).lastPathComponent
        let format = try format(path: path)
        guard let stream = InputStream(fileAtPath: path) else {
            throw RegisterError.unreadable(file: name, reason: "cannot be opened")
        }
        switch format {
        case .st96:
            let reader = ST96Reader(file: name, emit: each)
            try XMLElementStream(consumer: reader).parse(stream, file: name)
            return reader.records
        case .opsBiblio, .opsFamily, .opsLegal, .epRegister:
            return try readEPO(format, stream: stream, file: name, each: each)
        default:
            throw RegisterError.unknownFormat(file: name, root: format.rawValue)
        }
    }
}
