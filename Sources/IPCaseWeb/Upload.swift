import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (a form with a file input) read with MultipartKit's parser:
/// its text fields, and its files with the names the browser gave them.
struct Upload: Sendable {
    /// A file of the form.
    struct File: Sendable {
        /// The file's name as sent (only its last path component, at most 100 characters),
        /// `nil` when the browser sent none (no file chosen).
        var name: String?
        var bytes: Data
    }

    /// The text fields, in order (the CSRF token among them).
    var form: Form
    /// The files by field name.
    var files: [String: File]

    /// What `body` holds, for a request whose `Content-Type` is `contentType`.
    /// - Throws: ``Upload/Malformed`` when it is not `multipart/form-data` with a boundary, or
    ///   the parser refuses the body.
    init(_ body: ByteBuffer, contentType: String?) throws {
        guard let contentType, let boundary = Self.boundary(of: contentType) else { throw Malformed() }
        let parser = MultipartParser(boundary: boundary)
        var parts: [(headers: [(String, String)], body: ByteBuffer)] = []
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((headers, current))
            headers = []
            current = ByteBuffer()
        }
        do { try parser.execute(body) } catch { throw Malformed() }
        var pairs: [(String, String)] = []
        var files: [String: File] = [:]
        for part in parts {
            let header = part.headers.first { $0.0.lowercased() == "content-disposition" }?.1
            let disposition = Self.parameters(of: header ?? "")
            guard let name = disposition["name"] else { continue }
            if let filename = disposition["filename"] {
                let last = (filename.replacingOccurrences(of: "\\", with: "/") as NSString).lastPathComponent
                files[name] = File(
                    name: last.isEmpty ? nil : String(last.prefix(100)), bytes: Data(part.body.readableBytesView))
            } else {
                pairs.append((name, String(buffer: part.body)))
            }
        }
        self.form = Form(pairs: pairs)
        self.files = files
    }

    /// The body could not be read as `multipart/form-data`.
    struct Malformed: Error {}

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(of contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        guard let boundary = parameters(of: contentType)["boundary"], !boundary.isEmpty, boundary.count <= 70 else {
            return nil
        }
        return boundary
    }

    /// The `key=value` and `key="value"` parameters of a header value (RFC 7578 §4.2: a quoted
    /// value may hold `;`), by lower-cased key.
    static func parameters(of value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Substring(value)
        // The value before the first `;` is the type (or `form-data`), not a parameter.
        guard let first = scalars.firstIndex(of: ";") else { return [:] }
        scalars = scalars[scalars.index(after: first)...]
        while !scalars.isEmpty {
            scalars = scalars.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = scalars.firstIndex(of: "=") else { break }
            let key = scalars[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            scalars = scalars[scalars.index(after: equals)...]
            var text = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let character = scalars.first, character != "\"" {
                    if character == "\\", scalars.count > 1 {
                        scalars = scalars.dropFirst()
                    }
                    text.append(scalars.first!)
                    scalars = scalars.dropFirst()
                }
                scalars = scalars.dropFirst()
                scalars = scalars.drop { $0 != ";" }
            } else {
                let end = scalars.firstIndex(of: ";") ?? scalars.endIndex
                text = scalars[..<end].trimmingCharacters(in: .whitespaces)
                scalars = scalars[end...]
            }
            if result[key] == nil { result[key] = text }
        }
        return result
    }
}

extension Form {
    /// The fields `pairs`, in order.
    init(pairs: [(String, String)]) {
        self.init("")
        self.pairs = pairs
    }
}
