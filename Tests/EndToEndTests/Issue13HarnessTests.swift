import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 1: a hung child is killed for real, and tokenctl can be stopped with
/// SIGTERM even when its parent blocked that signal.
@Suite("issue 13: harness timeout and signals")
struct Issue13HarnessTests {
    static var environment: [String: String] { ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C.UTF-8"] }

    /// Starts tokenctl `decode` reading a pipe whose writing end stays open (so it waits for
    /// input forever), with `blocked` signals blocked; returns its pid and the pipe.
    func startWaitingDecode(blocked: [Int32]) throws -> (pid: pid_t, writeEnd: Int32) {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null); close(fds[0]) }
        let pid = try ChildProcess(blockedSignals: blocked).spawn(
            Tokenctl.binary.path, ["decode"], environment: Self.environment, stdin: fds[0], stdout: null, stderr: null)
        return (pid, fds[1])
    }

    @Test("a child that ignores SIGTERM is killed at the time limit and reaped; no stray process")
    func timeoutKills() throws {
        let child = ChildProcess(blockedSignals: [SIGTERM])
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let pid = try child.spawn("/bin/sleep", ["60"], environment: Self.environment, stdin: null, stdout: null, stderr: null)
        let outcome = ChildProcess.wait(pid, timeout: 0.5)
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the child is gone and reaped")
    }

    @Test("tokenctl waiting on stdin ends on SIGTERM even when started with SIGTERM and SIGINT blocked")
    func sigtermWithBlockedMask() throws {
        for signal in [SIGTERM, SIGINT] {
            let (pid, writeEnd) = try startWaitingDecode(blocked: [SIGTERM, SIGINT, SIGHUP])
            defer { close(writeEnd) }
            usleep(200_000)  // let it reach the read
            kill(pid, signal)
            let outcome = ChildProcess.wait(pid, timeout: 10)
            #expect(!outcome.timedOut, "signal \(signal) did not stop tokenctl")
            #expect(outcome.signal == signal, "ended by \(String(describing: outcome.signal))")
        }
    }
}
