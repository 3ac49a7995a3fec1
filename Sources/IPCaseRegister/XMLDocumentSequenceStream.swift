import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file of concatenated XML documents (a USPTO weekly bulk file: each grant with its own
/// `<?xml …?>` declaration and `<!DOCTYPE …>`) read as one well-formed document: the
/// declarations and document type declarations are left out and the documents are wrapped in
/// `<ipcase-documents>`, which `XMLElementStream(wrapper:)` then hides.
///
/// The file is read in 256 KiB chunks, never whole. Every line break inside what is left out is
/// kept, so libxml2's line numbers are the file's. A document type declaration's internal subset
/// is dropped with it: entities declared there are not known (USPTO's is empty, `[ ]`).
final class XMLDocumentSequenceStream {
    /// The synthetic root's name.
    static let wrapper = "ipcase-documents"

    private enum Phase {
        case head, body, tail, done
    }

    /// What is being left out.
    private enum Skip {
        /// An XML declaration, until `?>`; `question` when the last byte was `?`.
        case declaration(question: Bool)
        /// A document type declaration, until `>` outside brackets and quotes.
        case doctype(brackets: Int, quote: UInt8?)
    }

    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var endOfFile = false
    private var phase = Phase.head
    private var skip: Skip?
    private var pending: [UInt8] = []
    private(set) var failure: String?

    /// Opens the file at `path`; `nil` when it cannot be opened.
    init?(path: String) {
        let descriptor = openForReading(path)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        buffer = .allocate(byteCount: 1 << 18, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        closeFile(descriptor)
    }

    /// Reads more of the file after the unread bytes; `false` at the end of the file.
    private func refill() -> Bool {
        if endOfFile { return false }
        if start > 0 {
            if end > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start) }
            end -= start
            start = 0
        }
        while end < buffer.count {
            let count = readFile(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                endOfFile = true
                return false
            }
            if count == 0 {
                endOfFile = true
                break
            }
            end += count
            if end - start >= 4096 { break }
        }
        return end > start
    }

    /// Whether the unread bytes start with `prefix` (after reading enough of the file to tell).
    private func unreadStarts(with prefix: StaticString) -> Bool {
        if end - start < prefix.utf8CodeUnitCount + 1 { _ = refill() }
        guard end - start >= prefix.utf8CodeUnitCount else { return false }
        let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
        return memcmp(bytes, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }

    /// Writes up to `maxLength` bytes of the wrapped sequence to `output`; 0 at its end.
    func read(_ output: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        var written = 0
        func put(_ bytes: [UInt8]) {
            pending += bytes
        }
        // Bytes owed from a previous call (the wrapper's tags).
        func flushPending() {
            let count = min(pending.count, maxLength - written)
            guard count > 0 else { return }
            pending.withUnsafeBufferPointer { (output + written).update(from: $0.baseAddress!, count: count) }
            pending.removeFirst(count)
            written += count
        }
        flushPending()
        while written < maxLength {
            switch phase {
            case .done:
                return written
            case .head:
                if unreadStarts(with: "\u{FEFF}") { start += 3 }
                put(Array("<\(Self.wrapper)>".utf8))
                phase = .body
                flushPending()
            case .tail:
                put(Array("</\(Self.wrapper)>\n".utf8))
                phase = .done
                flushPending()
            case .body:
                if start == end, !refill() {
                    phase = .tail
                    continue
                }
                let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                if let state = skip {
                    // Leave out bytes up to the end of the declaration, keeping line breaks.
                    var current: Skip? = state
                    while start < end, written < maxLength, let state = current {
                        let byte = bytes[start]
                        start += 1
                        if byte == 0x0A {
                            output[written] = byte
                            written += 1
                        }
                        switch state {
                        case .declaration(let question):
                            current =
                                question && byte == UInt8(ascii: ">") ? nil : .declaration(question: byte == UInt8(ascii: "?"))
                        case .doctype(let brackets, let quote):
                            if let quote {
                                current = .doctype(brackets: brackets, quote: byte == quote ? nil : quote)
                            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                                current = .doctype(brackets: brackets, quote: byte)
                            } else if byte == UInt8(ascii: "[") {
                                current = .doctype(brackets: brackets + 1, quote: nil)
                            } else if byte == UInt8(ascii: "]") {
                                current = .doctype(brackets: max(0, brackets - 1), quote: nil)
                            } else if byte == UInt8(ascii: ">"), brackets == 0 {
                                current = nil
                            }
                        }
                    }
                    skip = current
                    continue
                }
                // Copy up to the next `<`, then look at what it opens.
                let limit = min(end, start + (maxLength - written))
                let found = memchr(bytes + start, Int32(UInt8(ascii: "<")), limit - start)
                let stop = found.map { $0.assumingMemoryBound(to: UInt8.self) - bytes } ?? limit
                if stop > start {
                    (output + written).update(from: bytes + start, count: stop - start)
                    written += stop - start
                    start = stop
                }
                guard found != nil, written < maxLength else { continue }
                if unreadStarts(with: "<?xml"), start + 5 < end {
                    let after = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)[start + 5]
                    if after == 0x20 || after == 0x0A || after == 0x0D || after == 0x09 || after == UInt8(ascii: "?") {
                        start += 5
                        skip = .declaration(question: false)
                        continue
                    }
                } else if unreadStarts(with: "<!DOCTYPE") {
                    start += 9
                    skip = .doctype(brackets: 0, quote: nil)
                    continue
                }
                output[written] = UInt8(ascii: "<")
                written += 1
                start += 1
            }
        }
        return written
    }
}

// The POSIX calls, outside the class (whose `read` would shadow them).
private func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY) }
private func closeFile(_ descriptor: Int32) { _ = close(descriptor) }
private func readFile(_ descriptor: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, into, count)
}
