import Foundation
import Hummingbird
import IPCaseReports
import NIOCore

/// The context of one request: Hummingbird's, and the address the request came from (sign-in
/// attempts are limited per address).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, `nil` when not known (in-process tests).
    public var remoteAddress: String?
    public var maxUploadSize: Int { 10 * 1024 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

extension Language {
    /// The first of kk, ru, en in an `Accept-Language` header by its q-values, else English.
    static func negotiated(_ header: String?) -> Language {
        guard let header else { return .english }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first?.lowercased() else { continue }
            let primary = String(tag.split(separator: "-").first ?? "")
            guard let language = Language(rawValue: primary) else { continue }
            var q = 1.0
            for field in fields.dropFirst() where field.hasPrefix("q=") { q = Double(field.dropFirst(2)) ?? 0 }
            if q > 0, best == nil || q > best!.1 { best = (language, q) }
        }
        return best?.0 ?? .english
    }
}

extension Request {
    /// The body of a form post (`application/x-www-form-urlencoded`) as field → value, the last
    /// value of a repeated field winning (`values(_:)` keeps them all).
    func form(limit: Int) async throws -> Form {
        let buffer = try await body.collect(upTo: limit)
        return Form(String(buffer: buffer))
    }
}

/// The fields of a form post or a query string.
struct Form: Sendable {
    var pairs: [(String, String)]

    init(_ encoded: String) {
        pairs = encoded.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    init(query: String?) { self.init(query ?? "") }

    subscript(_ name: String) -> String? { pairs.last { $0.0 == name }?.1 }

    /// A field's value, trimmed; `nil` when absent or empty.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func values(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
}
