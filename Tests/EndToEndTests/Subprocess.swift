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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : (which(program) ?? program))
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("\(program) \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}
