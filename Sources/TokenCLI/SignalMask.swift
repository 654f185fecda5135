#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal mask tokenctl starts with.
enum SignalMask {
    /// Unblocks SIGTERM, SIGINT, SIGHUP and SIGQUIT for the whole process.
    ///
    /// A process inherits its parent's blocked signals through `exec`. Parents that run
    /// commands from Dispatch worker threads (which block almost every signal), such as
    /// Foundation's `Process` in a test runner, otherwise start tokenctl with SIGTERM
    /// blocked, and `kill PID` or Ctrl-C could not stop a run that waits on a stalled
    /// input. tokenctl installs no handlers for these signals: the default action (end the
    /// process) applies. Ignored signals (`SIG_IGN`, as `nohup` sets for SIGHUP) stay ignored.
    static func unblockTermination() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&set, signal) }
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}
