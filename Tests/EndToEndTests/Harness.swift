import Foundation
import Testing

/// What one run of the binary did.
struct RunResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Peak resident set size of the child in KiB (`VmHWM` at exit), 0 when not measured.
    var maxRSSKiB: Int = 0
    /// CPU seconds (user + system) of the child: a bound that a busy machine does not stretch.
    var cpuSeconds: Double = 0
    /// stdout as bytes (empty when not captured as bytes).
    var stdoutBytes: [UInt8] = []

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    /// stdout without its final newline.
    var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }
}

/// Runs the built `tokenctl` as a user would: arguments, standard input, environment,
/// exit status, stdout and stderr. Every run has its own empty HOME, so the default
/// keyset never touches the real one, and a time limit, so a hang fails the test.
enum Tokenctl {
    /// The binary: `TOKENCTL_BIN`, else `tokenctl` beside the test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["TOKENCTL_BIN"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("tokenctl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tokenctl")
    }()

    /// Runs `run` (a run without side effects) up to twice more while it measured no peak
    /// RSS: a child that exits before the harness attaches to it (``ChildProcess/wait(_:timeout:)``)
    /// cannot be measured, and a fast one sometimes does.
    static func measuringMemory(_ run: () throws -> RunResult) rethrows -> RunResult {
        var result = try run()
        for _ in 0..<2 where result.maxRSSKiB == 0 { result = try run() }
        return result
    }

    /// The fixtures folder.
    static let fixtures: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// The path of a fixture file: in Fixtures/, else in TokenKitTests' vectors (``sharedFixture(_:)``).
    static func fixture(_ name: String) -> String {
        let local = fixtures.appendingPathComponent(name).path
        return FileManager.default.fileExists(atPath: local) ? local : sharedFixture(name)
    }

    /// A new empty directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenctl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the binary.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `tokenctl`.
    ///   - stdin: standard input bytes; `nil` gives an empty (non-terminal) stdin.
    ///   - environment: variables on top of a minimal environment (PATH and a fresh HOME).
    ///   - home: the HOME directory; a new temporary one when `nil`.
    ///   - timeout: seconds before the process group is killed (SIGKILL, see ``ChildProcess``) and the test fails.
    static func run(
        _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:], home: URL? = nil,
        timeout: TimeInterval = 30
    ) throws -> RunResult {
        let work = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stdinURL = work.appendingPathComponent("stdin")
        let stdoutURL = work.appendingPathComponent("stdout")
        let stderrURL = work.appendingPathComponent("stderr")
        try Data(stdin ?? []).write(to: stdinURL)
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)

        var env = ["PATH": "/usr/bin:/bin", "HOME": (home ?? work.appendingPathComponent("home")).path, "LC_ALL": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        let input = open(stdinURL.path, O_RDONLY | O_CLOEXEC)
        let output = open(stdoutURL.path, O_WRONLY | O_CLOEXEC)
        let errors = open(stderrURL.path, O_WRONLY | O_CLOEXEC)
        defer { [input, output, errors].forEach { _ = close($0) } }
        let pid = try ChildProcess().spawn(binary.path, arguments, environment: env, stdin: input, stdout: output, stderr: errors)
        let outcome = ChildProcess.wait(pid, timeout: timeout)
        if outcome.timedOut {
            Issue.record("tokenctl \(arguments.joined(separator: " ")) did not finish within \(timeout)s (killed)")
        }
        return RunResult(
            status: outcome.status,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self),
            maxRSSKiB: outcome.maxRSSKiB, cpuSeconds: outcome.cpuSeconds, stdoutBytes: Array(try Data(contentsOf: stdoutURL)))
    }

    /// Runs the binary with text on standard input.
    static func run(
        _ arguments: [String], input: String, environment: [String: String] = [:], home: URL? = nil,
        timeout: TimeInterval = 30
    ) throws -> RunResult {
        try run(arguments, stdin: Array(input.utf8), environment: environment, home: home, timeout: timeout)
    }
}
