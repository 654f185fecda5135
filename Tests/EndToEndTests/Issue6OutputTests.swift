import Foundation
import Testing

/// Issue 6, items 3 and 4: a failed write is `output_unwritable` (exit 2), a closed pipe is a
/// quiet exit 0. These run the binary with stdout on `/dev/full` or on a pipe the test closes.
@Suite("issue 6: output errors and closed pipes")
struct Issue6OutputTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    /// What a run with a special stdout did.
    struct Outcome: CustomStringConvertible {
        var exitedNormally: Bool
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exited normally \(exitedNormally), status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs the binary with stdout going to `/dev/full`.
    static func runToFullDevice(_ arguments: [String], stdin: String = "") throws -> Outcome {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stdinURL = work.appendingPathComponent("stdin")
        let stderrURL = work.appendingPathComponent("stderr")
        try Data(stdin.utf8).write(to: stdinURL)
        try Data().write(to: stderrURL)
        let process = Process()
        process.executableURL = Tokenctl.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": work.path, "LC_ALL": "C.UTF-8"]
            .merging(ChildProcess.sanitizerOptions) { given, _ in given }
        process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        return Outcome(
            exitedNormally: process.terminationReason == .exit, status: process.terminationStatus, stdout: "",
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    static func token() throws -> String {
        let signed = try Tokenctl.run(["sign", "--key", key, "--sub", "a", "--now", now])
        #expect(signed.status == 0, "\(signed)")
        return signed.output
    }

    @Test("every command reports a failed write to stdout as output_unwritable, exit 2",
        .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")))
    func fullDevice() throws {
        let token = try Self.token()
        let runs: [[String]] = [
            ["sign", "--key", Self.key, "--sub", "a", "--now", Self.now],
            ["verify", "--key", Self.publicKey, "--now", Self.now, token],
            ["verify", "--key", Self.publicKey, "--now", Self.now, "--json", token, token],
            ["decode", "--now", Self.now, token],
            ["inspect-size", "--now", Self.now, token],
            ["--help"], ["decode", "--help"], ["--version"],
        ]
        for arguments in runs {
            let outcome = try Self.runToFullDevice(arguments)
            #expect(outcome.exitedNormally && outcome.status == 2, "\(arguments): \(outcome)")
            #expect(outcome.stderr.contains("error[output_unwritable]: cannot write to standard output"), "\(arguments): \(outcome)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "one diagnostic: \(outcome)")
        }
    }

    @Test("a reader that closes the pipe after one line: exit 0, nothing on stderr")
    func closedPipe() throws {
        let token = try Self.token()
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stdinURL = work.appendingPathComponent("tokens.txt")
        let stderrURL = work.appendingPathComponent("stderr")
        try Data(String(repeating: token + "\n", count: 20_000).utf8).write(to: stdinURL)
        try Data().write(to: stderrURL)
        let pipe = Pipe()
        let process = Process()
        process.executableURL = Tokenctl.binary
        process.arguments = ["decode", "--now", Self.now]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": work.path, "LC_ALL": "C.UTF-8"]
            .merging(ChildProcess.sanitizerOptions) { given, _ in given }
        process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        // Read the first line, as `head -1` does, then close the reading end.
        var first: [UInt8] = []
        while !first.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        try pipe.fileHandleForReading.close()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stderr = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("Header:"))
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus) instead of exiting")
        #expect(process.terminationStatus == 0)
        #expect(stderr.isEmpty, "\(stderr)")
    }
}
