#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One assignment of the systemd notify protocol (`sd_notify(3)`), such as `READY=1`.
public enum SystemdNotifyState: Sendable, Hashable {
    /// `READY=1`: start-up is finished; systemd moves the unit to "active".
    case ready
    /// `RELOADING=1` with `MONOTONIC_USEC=`: a configuration reload began at the given `CLOCK_MONOTONIC` time.
    case reloading(monotonicMicroseconds: UInt64)
    /// `STOPPING=1`: shutdown began; in-flight work is being drained.
    case stopping
    /// `WATCHDOG=1`: the keep-alive ping for `WatchdogSec=`.
    case watchdog
    /// `STATUS=…`: a one-line human-readable status shown by `systemctl status`.
    case status(String)
    /// `EXTEND_TIMEOUT_USEC=…`: asks systemd for more time to start, reload or stop.
    case extendTimeout(microseconds: UInt64)
    /// `MAINPID=…`: the main process of the service.
    case mainPID(Int32)

    /// `RELOADING=1` stamped with the current `CLOCK_MONOTONIC` time, as `Type=notify-reload` requires.
    public static func reloadingNow() -> SystemdNotifyState {
        .reloading(monotonicMicroseconds: MonotonicClockReading.nowMicroseconds())
    }

    /// The `KEY=VALUE` line(s) this state is sent as (no trailing newline).
    public var line: String {
        switch self {
        case .ready: "READY=1"
        case .reloading(let usec): "RELOADING=1\nMONOTONIC_USEC=\(usec)"
        case .stopping: "STOPPING=1"
        case .watchdog: "WATCHDOG=1"
        case .status(let text): "STATUS=\(Self.singleLine(text))"
        case .extendTimeout(let usec): "EXTEND_TIMEOUT_USEC=\(usec)"
        case .mainPID(let pid): "MAINPID=\(pid)"
        }
    }

    /// The datagram payload for a list of states: their lines joined by newlines.
    public static func message(_ states: [SystemdNotifyState]) -> String {
        states.map(\.line).joined(separator: "\n")
    }

    /// A status text cannot span lines in the protocol: control characters become spaces.
    private static func singleLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}

/// Readings of `CLOCK_MONOTONIC`, the clock systemd uses for `MONOTONIC_USEC=`.
public enum MonotonicClockReading {
    /// Microseconds since an arbitrary point (boot), from `clock_gettime(CLOCK_MONOTONIC)`.
    public static func nowMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
