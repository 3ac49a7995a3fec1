#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends systemd notify-protocol messages (`sd_notify(3)`) as datagrams to `$NOTIFY_SOCKET`.
///
/// Implemented directly over a `SOCK_DGRAM` unix socket: `NOTIFY_SOCKET` may be a file-system
/// path (`/run/systemd/notify`) or an abstract socket (`@/org/freedesktop/systemd1/notify/…`).
/// When `NOTIFY_SOCKET` is not set (not started by systemd) every call is a no-op.
///
/// ```swift
/// let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
/// try notifier.notify(.ready, .status("processing"))
/// ```
public struct SystemdNotifier: Sendable {
    /// The socket address from `NOTIFY_SOCKET`, or `nil` when notifications are disabled.
    public let socketAddress: String?

    /// A notifier for an explicit socket address (`nil`: a no-op notifier).
    /// - Parameter socketAddress: a path, or an abstract address starting with `@`.
    public init(socketAddress: String?) {
        if let socketAddress, !socketAddress.isEmpty {
            self.socketAddress = socketAddress
        } else {
            self.socketAddress = nil
        }
    }

    /// A notifier for the `NOTIFY_SOCKET` variable of `environment`.
    public init(environment: [String: String]) {
        self.init(socketAddress: environment["NOTIFY_SOCKET"])
    }

    /// Whether messages are actually sent (`NOTIFY_SOCKET` was set).
    public var isEnabled: Bool { socketAddress != nil }

    /// Sends the states in one datagram; does nothing when notifications are disabled.
    public func notify(_ states: SystemdNotifyState...) throws(SystemdNotifyError) {
        try notify(states)
    }

    /// Sends the states in one datagram; does nothing when notifications are disabled.
    public func notify(_ states: [SystemdNotifyState]) throws(SystemdNotifyError) {
        guard let socketAddress, !states.isEmpty else { return }
        try Self.send(SystemdNotifyState.message(states), to: socketAddress)
    }

    /// Sends one raw message to a unix datagram socket address (path or `@abstract`).
    static func send(_ message: String, to socketAddress: String) throws(SystemdNotifyError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketAddress.utf8)
        let isAbstract = pathBytes.first == UInt8(ascii: "@")
        if isAbstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count <= capacity, pathBytes.count > (isAbstract ? 1 : 0) else {
            throw SystemdNotifyError(operation: .address, code: EINVAL)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        // Abstract addresses are length-delimited; path addresses carry their terminating NUL.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = pathOffset + min(capacity, pathBytes.count + (isAbstract ? 0 : 1))

        let descriptor = socket(AF_UNIX, unixDatagramSocketType, 0)
        guard descriptor >= 0 else { throw SystemdNotifyError(operation: .socket, code: errno) }
        defer { close(descriptor) }

        var payload = Array(message.utf8)
        let sent: Int = payload.withUnsafeMutableBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    var result: Int
                    repeat {
                        result = sendto(
                            descriptor, bytes.baseAddress, bytes.count, sendFlags, socketAddress,
                            socklen_t(length))
                    } while result < 0 && errno == EINTR
                    return result
                }
            }
        }
        guard sent >= 0 else { throw SystemdNotifyError(operation: .send, code: errno) }
        guard sent == payload.count else { throw SystemdNotifyError(operation: .send, code: EMSGSIZE) }
    }
}

/// A notify message could not be sent; `description` names the step and the `errno` text.
public struct SystemdNotifyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step that failed.
    public enum Operation: String, Sendable, Hashable {
        /// `NOTIFY_SOCKET` is not a usable unix socket address.
        case address
        /// `socket(2)` failed.
        case socket
        /// `sendto(2)` failed.
        case send
    }

    /// The step that failed.
    public var operation: Operation
    /// The `errno` value.
    public var code: Int32

    /// A one-line description, safe to log.
    public var description: String {
        "systemd notify: \(operation.rawValue) failed: \(String(cString: strerror(code)))"
    }
}

#if os(Linux)
    private let unixDatagramSocketType = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#else
    private let unixDatagramSocketType = SOCK_DGRAM
    private let sendFlags: Int32 = 0
#endif
