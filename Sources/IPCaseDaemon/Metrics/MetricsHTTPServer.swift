import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A tiny HTTP/1.1 server for `GET /metrics` (Prometheus text) and `GET /healthz`.
///
/// Meant for a local scraper: it binds when created (so a busy port fails start-up before
/// `READY=1`), serves one connection at a time on a dedicated thread (off the cooperative
/// pool), answers with `Connection: close`, and stops accepting on graceful shutdown. Being
/// placed before the work services in the `ServiceGroup`, it keeps answering (with 503 on
/// `/healthz`) while they drain.
///
/// ```swift
/// let server = try MetricsHTTPServer(listen: configuration.metricsListen, metrics: metrics, health: health, logger: logger)
/// // add `server` to the ServiceGroup; `server.boundAddress.port` is the actual port
/// ```
public final class MetricsHTTPServer: Service, Sendable {
    /// The address actually bound (with the port the system chose when 0 was asked).
    public let boundAddress: ListenAddress

    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let metrics: DaemonMetrics
    private let health: DaemonHealth
    private let logger: Logger
    private let started = Mutex(false)

    /// Binds and listens on `listen`.
    /// - Throws: `MetricsServerError` naming the address and the system error (e.g. address in use).
    public init(listen: ListenAddress, metrics: DaemonMetrics, health: DaemonHealth, logger: Logger)
        throws(MetricsServerError)
    {
        let socket = try Socket.listen(on: listen)
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let code = errno
            close(socket.descriptor)
            throw MetricsServerError(address: listen, operation: "pipe", code: code)
        }
        for descriptor in pipeFDs { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        self.listener = socket.descriptor
        self.boundAddress = socket.address
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
        self.metrics = metrics
        self.health = health
        self.logger = logger
    }

    /// Serves until graceful shutdown or cancellation, then closes the listening socket.
    public func run() async throws {
        let alreadyStarted = started.withLock { started in
            defer { started = true }
            return started
        }
        precondition(!alreadyStarted, "MetricsHTTPServer.run() called twice")
        logger.info("Metrics endpoint listening", metadata: ["metrics.address": "\(boundAddress)"])
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    self.acceptLoop()
                    continuation.resume()
                }
                thread.name = "ipcased-metrics"
                thread.start()
            }
        } onCancelOrGracefulShutdown: { [wakeWrite] in
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        close(listener)
        close(wakeRead)
        close(wakeWrite)
        logger.info("Metrics endpoint stopped")
    }

    /// The response to a request line, without I/O (exposed for tests and other front ends).
    public func response(method: String, path: String) -> HTTPResponse {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        switch route {
        case "/metrics", "/healthz":
            guard method == "GET" || method == "HEAD" else {
                return HTTPResponse(
                    status: 405, reason: "Method Not Allowed", body: "only GET\n", extraHeaders: ["Allow: GET, HEAD"])
            }
            if route == "/metrics" {
                return HTTPResponse(
                    status: 200, reason: "OK", body: metrics.prometheusText(),
                    contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
            let status = health.status
            return status == .ready
                ? HTTPResponse(status: 200, reason: "OK", body: "ok\n")
                : HTTPResponse(status: 503, reason: "Service Unavailable", body: "\(status)\n")
        default:
            return HTTPResponse(status: 404, reason: "Not Found", body: "not found; try /metrics or /healthz\n")
        }
    }

    private func acceptLoop() {
        while true {
            var fds = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("Metrics endpoint poll failed", metadata: ["error": "\(String(cString: strerror(errno)))"])
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let connection = accept(listener, nil, nil)
            if connection < 0 { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            serve(connection)
            close(connection)
        }
    }

    private func serve(_ connection: Int32) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(2)
        while request.count < 16_384, !request.containsHeaderEnd {
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(
                max(0, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            var fd = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard milliseconds > 0, poll(&fd, 1, milliseconds) > 0 else { return }
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            request.append(contentsOf: buffer[0..<count])
        }
        let firstLine = String(
            decoding: request.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        let response: HTTPResponse
        if parts.count == 3, parts[2].hasPrefix("HTTP/1.") {
            response = self.response(method: String(parts[0]), path: String(parts[1]))
        } else {
            response = HTTPResponse(status: 400, reason: "Bad Request", body: "bad request\n")
        }
        var bytes = response.serialized(includeBody: parts.first != "HEAD")
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeMutableBytes { raw in
                send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }
}

/// An HTTP response of the metrics endpoint.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// The body.
    public var body: String
    /// The `Content-Type`.
    public var contentType: String
    /// Further header lines (`Name: value`).
    public var extraHeaders: [String]

    /// A response from its parts.
    public init(
        status: Int, reason: String, body: String, contentType: String = "text/plain; charset=utf-8",
        extraHeaders: [String] = []
    ) {
        self.status = status
        self.reason = reason
        self.body = body
        self.contentType = contentType
        self.extraHeaders = extraHeaders
    }

    func serialized(includeBody: Bool) -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        var head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
        for header in extraHeaders { head += header + "\r\n" }
        head += "Connection: close\r\nCache-Control: no-store\r\n\r\n"
        return Array(head.utf8) + (includeBody ? bodyBytes : [])
    }
}

/// The metrics endpoint could not be set up; names the address and the system error.
public struct MetricsServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The address that was asked for.
    public var address: ListenAddress
    /// The system call that failed.
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// `metrics endpoint 127.0.0.1:9187: bind failed: Address already in use`.
    public var description: String {
        "metrics endpoint \(address): \(operation) failed: \(String(cString: strerror(code)))"
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4)
        where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}

private enum Socket {
    static func listen(on address: ListenAddress) throws(MetricsServerError) -> (
        descriptor: Int32, address: ListenAddress
    ) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw MetricsServerError(address: address, operation: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        let length: socklen_t
        if address.isIPv6 {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &v6.sin6_addr)
            withUnsafeBytes(of: v6) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &v4.sin_addr)
            withUnsafeBytes(of: v4) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, Glibc.listen(descriptor, 16) == 0 else {
            let code = errno
            close(descriptor)
            throw MetricsServerError(address: address, operation: "bind", code: code)
        }
        // Non-blocking, so a client that goes away between poll and accept cannot stall the loop.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &actualLength) }
        }
        let port: UInt16 = withUnsafeBytes(of: actual) { raw in
            address.isIPv6
                ? UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
                : UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        }
        return (descriptor, ListenAddress(host: address.host, port: port))
    }
}
