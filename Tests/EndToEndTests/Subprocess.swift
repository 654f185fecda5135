import Foundation
import Testing

/// Runs programs other than tokenctl (make, shells, openssl) for the end-to-end tests.
enum Subprocess {
    /// The repository root (where the Makefile is).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether CI is running the tests (`CI=true`): then a missing tool fails a test instead of skipping it.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The full path of a program found on PATH, if any.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `program` (a path, or a name looked up on PATH) and waits for it, killing it after `timeout`.
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
        timeout: TimeInterval = 60
    ) throws -> RunResult {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stdoutURL = work.appendingPathComponent("stdout")
        let stderrURL = work.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let path = program.hasPrefix("/") ? program : (which(program) ?? program)
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let output = open(stdoutURL.path, O_WRONLY | O_CLOEXEC)
        let errors = open(stderrURL.path, O_WRONLY | O_CLOEXEC)
        defer { [input, output, errors].forEach { _ = close($0) } }
        let pid = try ChildProcess().spawn(
            path, arguments, environment: environment ?? ProcessInfo.processInfo.environment, directory: directory?.path,
            stdin: input, stdout: output, stderr: errors)
        let outcome = ChildProcess.wait(pid, timeout: timeout)
        if outcome.timedOut {
            Issue.record("\(program) \(arguments.joined(separator: " ")) did not finish within \(timeout)s (killed)")
        }
        return RunResult(
            status: outcome.status,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}
