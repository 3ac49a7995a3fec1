import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs programs with `posix_spawn`, passing them only stdin, stdout and stderr.
///
/// Foundation's `Process` lets children inherit a socket it watches for their exit, so a
/// server daemonized by `pg_ctl start` would keep it open and the exit would never be seen.
enum Subprocess {
    /// Starts `arguments[0]`; stdin from `input` (or /dev/null), stdout and stderr to `outputPath`
    /// (or /dev/null). Returns the process id.
    static func spawn(
        _ arguments: [String], input: Int32? = nil, outputPath: String? = nil, newSession: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&actions, 3)
        } else {
            // Older C libraries: close every descriptor this process has open now.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for name in open {
                if let fd = Int32(name), fd > 2, fd != input, fcntl(fd, F_GETFD) >= 0 {
                    posix_spawn_file_actions_addclose(&actions, fd)
                }
            }
        }
        if let changeDirectory = Self.addChangeDirectory { _ = changeDirectory(&actions, "/") }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= 0x80 }  // POSIX_SPAWN_SETSID (glibc)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let copies: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, copies, environ)
        guard status == 0 else {
            throw ThrowawayPostgresError("cannot run \(arguments[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time.
    private static let addCloseFrom: AddCloseFrom? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
    ).map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), looked up at run time.
    private static let addChangeDirectory: AddChangeDirectory? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np"
    ).map { unsafeBitCast($0, to: AddChangeDirectory.self) }

    /// Waits (on a thread of its own, not the cooperative pool) for `pid` to exit; returns its status.
    static func wait(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, else 128 + signal.
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                continuation.resume(returning: code)
            }
            thread.start()
        }
    }

    /// Reaps `pid` whenever it exits, without waiting for it.
    static func reapLater(_ pid: pid_t) {
        Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }.start()
    }
}
