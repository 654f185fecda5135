import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Spawns one child process with `posix_spawn` and waits for it with `wait4`, so a time
/// limit really ends it and its peak memory is known.
///
/// Why not Foundation's `Process`: tests run on Dispatch worker threads, which block almost
/// every signal (SIGTERM included), and `Process` does not reset the mask for the child, so a
/// child started from a test inherits a blocked SIGTERM and `Process.terminate()` does not
/// stop it (measured: `SigBlk: fffffffe3bfbea27` in the child's `/proc/PID/status`). Here the
/// child starts with an empty signal mask and default handlers, in its own process group,
/// with no descriptors beyond 0, 1 and 2; on timeout the group gets SIGKILL and the child
/// is reaped, so a hang fails the test instead of blocking the suite.
struct ChildProcess {
    /// How the child ended and what it used.
    struct Outcome {
        /// The exit status, or 128 + the signal number when a signal ended it.
        let status: Int32
        /// The signal that ended the child, if one did.
        let signal: Int32?
        /// Whether the time limit ran out and the child was killed.
        let timedOut: Bool
        /// Peak resident set size in KiB of the program itself (see ``ChildProcess/wait(_:timeout:)``).
        let maxRSSKiB: Int
        /// CPU seconds (user + system) the program used, from `wait4`'s resource usage.
        var cpuSeconds: Double = 0
    }

    /// Signals to block in the child at start (to simulate a parent that blocks them).
    var blockedSignals: [Int32] = []

    /// Starts `path` with `arguments` (without argv[0]) and `environment`, standard streams
    /// from the given descriptors, and returns its pid.
    func spawn(_ path: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
               stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // glibc 2.34's closefrom and 2.29's chdir file actions are not imported into Swift.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        if let directory {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
                throw POSIXError(.ENOSYS)
            }
            typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in blockedSignals { sigaddset(&mask, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.merging(Self.sanitizerOptions) { given, _ in given }.sorted { $0.key < $1.key }
            .map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvPointer in
            (envp + [nil]).withUnsafeBufferPointer { envpPointer in
                posix_spawn(&pid, path, &actions, &attributes, argvPointer.baseAddress!, envpPointer.baseAddress!)
            }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return pid
    }

    /// Waits for `pid` at most `timeout` seconds; then kills its process group with SIGKILL
    /// and reaps it.
    ///
    /// Peak memory: `ru_maxrss` from `wait4` is useless here, because `posix_spawn` starts
    /// the child in the parent's address space (vfork) and Linux records that address
    /// space's high-water mark at `exec`, so every child would report the test runner's size.
    /// Instead the child is traced (`PTRACE_SEIZE` with `PTRACE_O_TRACEEXIT`, allowed for
    /// one's own child): it stops just before it exits, with its memory still mapped, and its
    /// `VmHWM` (the high-water mark of its own address space since `exec`) is read from
    /// `/proc/PID/status`. When tracing is not allowed, `maxRSSKiB` is the last `VmHWM` polled.
    /// Under LeakSanitizer (`LSAN_OPTIONS` set, as `scripts/sanitize.sh address` does) the
    /// child is not traced: LeakSanitizer cannot check a traced process and fails instead.
    static func wait(_ pid: pid_t, timeout: TimeInterval) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        let traced = !leakChecked && Ptrace.seize(pid)
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var peakKiB = 0
        while true {
            let reaped = wait4(pid, &status, WNOHANG | Int32(bitPattern: 0x4000_0000) /* __WALL */, &usage)
            if reaped == pid {
                if status & 0xff == 0x7f {  // a ptrace stop
                    if status >> 16 == 6 /* PTRACE_EVENT_EXIT */ {
                        peakKiB = max(peakKiB, highWaterMarkKiB(pid))
                        Ptrace.resume(pid, signal: 0)
                    } else {
                        Ptrace.resume(pid, signal: status >> 16 == 0 ? (status >> 8) & 0xff : 0)
                    }
                    continue
                }
                break
            }
            if reaped == -1 && errno != EINTR { break }
            if !traced { peakKiB = max(peakKiB, highWaterMarkKiB(pid)) }
            if Date() >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while true {
                    let done = wait4(pid, &status, Int32(bitPattern: 0x4000_0000), &usage)
                    if done == -1 && errno == EINTR { continue }
                    if done == pid && status & 0xff == 0x7f { Ptrace.resume(pid, signal: 0); continue }
                    break
                }
                break
            }
            usleep(1_000)
        }
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        let signal: Int32? = signaled ? status & 0x7f : nil
        let exitStatus = signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
        return Outcome(status: exitStatus, signal: signal, timedOut: timedOut, maxRSSKiB: peakKiB, cpuSeconds: cpu)
    }

    /// The sanitizer runtime options of this test run (`ASAN_OPTIONS`, `LSAN_OPTIONS`,
    /// `TSAN_OPTIONS`, `UBSAN_OPTIONS`, set by `scripts/sanitize.sh`), added to every child's
    /// environment, so a sanitized tokenctl runs with the suppressions the tests run with.
    static let sanitizerOptions: [String: String] = ProcessInfo.processInfo.environment.filter {
        ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"].contains($0.key)
    }

    /// Whether children run under LeakSanitizer (see ``wait(_:timeout:)``).
    static let leakChecked = ProcessInfo.processInfo.environment["LSAN_OPTIONS"] != nil

    /// `VmHWM` of a live process in KiB, 0 when it cannot be read.
    static func highWaterMarkKiB(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).filter(\.isNumber)) ?? 0
        }
        return 0
    }
}

/// The few `ptrace` requests ``ChildProcess`` uses (`ptrace` is variadic, so not imported).
private enum Ptrace {
    typealias Function = @convention(c) (Int32, pid_t, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int
    static let function: Function? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "ptrace").map { unsafeBitCast($0, to: Function.self) }

    /// `PTRACE_SEIZE` with `PTRACE_O_TRACEEXIT`; false when tracing is not allowed.
    static func seize(_ pid: pid_t) -> Bool {
        guard let function else { return false }
        return function(0x4206 /* PTRACE_SEIZE */, pid, nil, UnsafeMutableRawPointer(bitPattern: 0x40 /* PTRACE_O_TRACEEXIT */)) == 0
    }

    /// `PTRACE_CONT`, delivering `signal` (0 for none).
    static func resume(_ pid: pid_t, signal: Int32) {
        _ = function?(7 /* PTRACE_CONT */, pid, nil, UnsafeMutableRawPointer(bitPattern: Int(signal)))
    }
}
