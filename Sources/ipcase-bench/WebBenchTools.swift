import Foundation
import Hummingbird
import IPCaseWeb
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs blocking `work` (a socket read, waiting for a process) on a thread of its own, so that
/// Swift's cooperative pool, which the server in this process runs on, is never held up by it.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
    }
}

/// Milliseconds since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

/// A small blocking HTTP/1.1 client for loopback (one connection per request, `Connection:
/// close`): the bench signs in and checks pages with it, off the cooperative pool.
struct HTTPProbe: Sendable {
    let port: Int

    struct Reply: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The cookies set by the reply (name → value; an expired one → "").
        var cookies: [String: String] {
            var cookies: [String: String] = [:]
            for header in headers where header.name.lowercased() == "set-cookie" {
                let pair = header.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                guard let name = pair.first else { continue }
                cookies[name] = header.value.contains("Max-Age=0") ? "" : (pair.count > 1 ? pair[1] : "")
            }
            return cookies
        }
    }

    /// Sends one request and reads the whole reply (10 s at most).
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], form: String? = nil) throws -> Reply {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try verify(descriptor >= 0, "socket(): errno \(errno)")
        defer { close(descriptor) }
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try verify(connected == 0, "connect(127.0.0.1:\(port)): errno \(errno)")
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let form {
            text += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n"
        }
        text += "\r\n" + (form ?? "")
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            try verify(count > 0, "send to 127.0.0.1:\(port): errno \(errno)")
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { break }
            try verify(count > 0, "\(method) \(path): no complete reply (errno \(errno))")
            received += buffer[0..<count]
        }
        return try Self.parse(received, what: "\(method) \(path)")
    }

    static func parse(_ bytes: [UInt8], what: String) throws -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<Swift.max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw VerificationFailure("\(what): no HTTP header in the reply (\(bytes.count) bytes)")
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw VerificationFailure("\(what): bad status line \(head[0])")
        }
        let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(bytes[(end + 4)...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            var decoded: [UInt8] = []
            var position = 0
            while let lineEnd = (position..<Swift.max(position, body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) {
                let sizeText = String(decoding: body[position..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0,
                    lineEnd + 2 + size <= body.count
                else { break }
                decoded += body[(lineEnd + 2)..<(lineEnd + 2 + size)]
                position = lineEnd + 2 + size + 2
            }
            body = decoded
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// Signs in through the form as a browser does (the form's page and CSRF cookie first) and
    /// returns the session token and the milliseconds of the POST (bcrypt included).
    func signIn(login: String, password: String) throws -> (token: String, milliseconds: Double) {
        let page = try send("GET", "/signin")
        try verify(page.status == 200, "GET /signin: \(page.status)")
        guard let csrf = page.cookies["ipcase_signin"], !csrf.isEmpty else {
            throw VerificationFailure("GET /signin set no ipcase_signin cookie")
        }
        let form = [("login", login), ("password", password), ("_csrf", csrf)]
            .map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        let start = ContinuousClock.now
        let reply = try send("POST", "/signin", headers: [("Cookie", "ipcase_signin=\(csrf)")], form: form)
        let elapsed = milliseconds(since: start)
        try verify(
            reply.status == 303 && reply.header("location") == "/",
            "POST /signin: \(reply.status) \(reply.header("location") ?? "") (expected 303 to /)")
        guard let token = reply.cookies["ipcase_session"], !token.isEmpty else {
            throw VerificationFailure("POST /signin set no ipcase_session cookie")
        }
        return (token, elapsed)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try verify(bound, "no free port on 127.0.0.1: errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// One run of `wrk --latency`, as it reports it.
struct WrkResult: Sendable {
    var requestsPerSecond: Double
    /// Latency percentiles in milliseconds.
    var p50: Double
    var p90: Double
    var p99: Double
    var requests: Int
    /// Responses with a status outside 2xx and 3xx.
    var errorResponses: Int
    /// connect + read + write + timeout errors.
    var socketErrors: Int
    var output: String

    /// Runs `wrk` (`binary`) with `arguments` and parses what it prints.
    static func run(binary: String, arguments: [String]) async throws -> WrkResult {
        let output = try await offPool { () throws -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            try verify(process.terminationStatus == 0, "wrk exited \(process.terminationStatus):\n\(text)")
            return text
        }
        return try parse(output)
    }

    static func parse(_ text: String) throws -> WrkResult {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func duration(_ token: Substring) -> Double? {
            for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where token.hasSuffix(suffix) {
                if let value = Double(token.dropLast(suffix.count)) { return value * factor }
            }
            return nil
        }
        func percentile(_ label: String) throws -> Double {
            guard let line = lines.first(where: { $0.hasPrefix(label + " ") }),
                let value = line.split(separator: " ").last.flatMap(duration)
            else { throw VerificationFailure("wrk printed no \(label) latency:\n\(text)") }
            return value
        }
        guard let rate = lines.first(where: { $0.hasPrefix("Requests/sec:") })
            .flatMap({ Double($0.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) })
        else { throw VerificationFailure("wrk printed no Requests/sec:\n\(text)") }
        let requests = lines.first(where: { $0.contains(" requests in ") })
            .flatMap { Int($0.split(separator: " ")[0]) } ?? 0
        let errors = lines.first(where: { $0.hasPrefix("Non-2xx or 3xx responses:") })
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let socket = lines.first(where: { $0.hasPrefix("Socket errors:") }).map { line in
            line.split(separator: ",").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
        } ?? 0
        return WrkResult(
            requestsPerSecond: rate, p50: try percentile("50%"), p90: try percentile("90%"), p99: try percentile("99%"),
            requests: requests, errorResponses: errors, socketErrors: socket, output: text)
    }
}

/// The responses a responder gave, by whether their status was the one expected: the bench
/// checks that every request under load got its page (a redirect to /signin is a 3xx, which
/// wrk would not count as an error).
final class StatusCounter: Sendable {
    private let counts = Mutex<[Int: Int]>([:])

    func count(_ status: Int) { counts.withLock { $0[status, default: 0] += 1 } }

    /// The counts so far, and zeroes them.
    func take() -> [Int: Int] { counts.withLock { counts in defer { counts = [:] }; return counts } }
}

/// `base`, counting the status of each response.
struct CountingResponder<Base: HTTPResponder>: HTTPResponder {
    typealias Context = Base.Context
    let base: Base
    let counter: StatusCounter

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            let response = try await base.respond(to: request, context: context)
            counter.count(Int(response.status.code))
            return response
        } catch {
            counter.count(500)
            throw error
        }
    }
}
