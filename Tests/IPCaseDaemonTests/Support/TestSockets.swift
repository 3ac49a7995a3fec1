import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A unix datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifySocketListener: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case path
        case abstract
    }

    /// The value for `NOTIFY_SOCKET`.
    let address: String
    private let descriptor: Int32
    private let directory: String?

    init(_ kind: Kind) throws {
        let unique = UUID().uuidString.prefix(8)
        switch kind {
        case .path:
            let directory = NSTemporaryDirectory() + "ipcase-notify-\(unique)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            self.directory = directory
            address = directory + "/notify"
        case .abstract:
            directory = nil
            address = "@ipcase-test-notify-\(unique)"
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        if kind == .abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(2 + bytes.count + (kind == .abstract ? 0 : 1))
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The next datagram, or nil after `timeout`.
    func receive(timeout: Duration = .seconds(5)) -> String? {
        var fd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        guard poll(&fd, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Receives datagrams (with their arrival time) until one satisfies `stop` or `timeout` passes.
    func receive(
        until stop: (String) -> Bool, timeout: Duration = .seconds(10)
    ) -> [ReceivedDatagram] {
        var received: [ReceivedDatagram] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: deadline - ContinuousClock.now) else { break }
            received.append(ReceivedDatagram(message: message, at: .now))
            if stop(message) { break }
        }
        return received
    }

    /// Receives on a dispatch thread, off the cooperative pool.
    func receiveInBackground(
        until stop: @escaping @Sendable (String) -> Bool, timeout: Duration = .seconds(10)
    ) async -> [ReceivedDatagram] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.receive(until: stop, timeout: timeout))
            }
        }
    }
}

/// One notify datagram and when it arrived.
struct ReceivedDatagram: Sendable {
    var message: String
    var at: ContinuousClock.Instant
}

/// A blocking HTTP/1.1 request against 127.0.0.1; returns status code and body.
func httpGet(port: UInt16, path: String, method: String = "GET") throws -> (status: Int, body: String) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
    let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response.append(contentsOf: buffer[0..<count])
    }
    let text = String(decoding: response, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let statusLine = parts.first?.components(separatedBy: "\r\n").first ?? ""
    let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// One request received by `ScriptedHTTPServer`.
struct ReceivedRequest: Sendable {
    var requestLine: String
    var headers: [String: String]
    var body: Data
}

/// A tiny HTTP server on 127.0.0.1 that answers each request with the next scripted status.
final class ScriptedHTTPServer: Sendable {
    let port: UInt16
    private let descriptor: Int32
    private let script: Mutex<[Int]>
    private let received = Mutex<[ReceivedRequest]>([])
    private let stopped = Mutex(false)
    private let delay: Duration

    /// A server answering with `statuses` in turn (the last one repeats), each after `delay`.
    init(statuses: [Int], delay: Duration = .zero) throws {
        script = Mutex(statuses)
        self.delay = delay
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: actual.sin_port)
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }

    var requests: [ReceivedRequest] { received.withLock { $0 } }

    func stop() {
        stopped.withLock { $0 = true }
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    deinit {
        close(descriptor)
    }

    private func serve() {
        while !stopped.withLock({ $0 }) {
            let connection = accept(descriptor, nil, nil)
            if connection < 0 { return }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if let end = headerEnd, data.count >= end + contentLength { break }
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            data.append(contentsOf: buffer[0..<count])
            if headerEnd == nil, let range = Data(data).range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: data[0..<range.lowerBound], as: UTF8.self)
                for line in head.components(separatedBy: "\r\n").dropFirst() {
                    let pair = line.split(separator: ":", maxSplits: 1)
                    if pair.count == 2, pair[0].lowercased() == "content-length" {
                        contentLength = Int(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
        }
        let end = headerEnd ?? data.count
        let head = String(decoding: data[0..<max(0, end - 4)], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.isEmpty ? "" : lines.removeFirst()
        var headers: [String: String] = [:]
        for line in lines {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        received.withLock {
            $0.append(ReceivedRequest(requestLine: requestLine, headers: headers, body: Data(data[end...])))
        }
        let status = script.withLock { script in script.count > 1 ? script.removeFirst() : (script.first ?? 200) }
        if delay > .zero {
            Thread.sleep(
                forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        }
        let response = Array("HTTP/1.1 \(status) Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "ipcase-test-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
