import Foundation
import Testing

/// Issue 12: batch output is buffered but still streams (a result appears once its line is
/// read, before more input arrives), keeps its order beside standard error, and
/// `inspect-size` keeps memory flat: JSON Lines as it goes, a text table with capped details.
@Suite("issue 12: batch streaming and flat memory")
struct Issue12BatchTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    static func sign(_ extra: [String] = []) throws -> String {
        let signed = try Tokenctl.run(["sign", "--key", key, "--sub", "a", "--aud", "api", "--now", now] + extra)
        #expect(signed.status == 0, "\(signed)")
        return signed.output
    }

    /// Reads from `fd` until a newline arrives or `seconds` pass.
    static func readLine(_ fd: Int32, seconds: Int) -> String {
        var collected: [UInt8] = []
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while !collected.contains(0x0A), Date() < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            collected += chunk[0..<count]
        }
        return String(decoding: collected, as: UTF8.self)
    }

    @Test("a batch verdict is written as soon as its line is read, while standard input stays open")
    func streamsWhileInputIsOpen() throws {
        let token = try Self.sign()
        try Self.expectFirstVerdictWhileInputIsOpen(
            ["verify", "--json", "--key", Self.publicKey, "--aud", "api", "--now", Self.now, "-"], input: "\(token)\n\(token)\n")
    }

    /// Runs tokenctl with `arguments`, writes `input` to its stdin and keeps stdin open: the
    /// first line (a valid verdict for line 1) must arrive before stdin closes; then exit 0.
    static func expectFirstVerdictWhileInputIsOpen(_ arguments: [String], input text: String) throws {
        let process = Process()
        process.executableURL = Tokenctl.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C.UTF-8"]
            .merging(ChildProcess.sanitizerOptions) { given, _ in given }
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        let first = readLine(output.fileHandleForReading.fileDescriptor, seconds: 20)
        #expect(first.hasPrefix(#"{"valid":true"#), "no verdict while stdin is open: \(first)")
        #expect(first.contains(#""line":1"#), "\(first)")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("inspect-size --format json writes each input's line in order, beside its diagnostic on stderr")
    func jsonLinesInOrderWithDiagnostics() throws {
        let token = try Self.sign()
        let result = try Subprocess.run(
            "/bin/sh",
            ["-c", "\"$0\" inspect-size --format json --now \(Self.now) \"$1\" /nonexistent/x.txt \"$1\" 2>&1",
             Tokenctl.binary.path, token],
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
        #expect(result.status == 2, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result)")
        guard lines.count == 4 else { return }
        #expect(lines[0].hasPrefix(#"{"input":"argument 1""#), "\(result)")
        #expect(lines[1].hasPrefix("tokenctl: inspect-size: error[input_unreadable]: cannot read '/nonexistent/x.txt'"), "\(result)")
        #expect(lines[2].hasPrefix(#"{"input":"/nonexistent/x.txt""#), "\(result)")
        #expect(lines[3].hasPrefix(#"{"input":"argument 3""#), "\(result)")
    }

    @Test("inspect-size over 1,000 inputs: one table, at most 100 details, every input counted")
    func textReportBeyondTheTableCap() throws {
        let token = try Self.sign(["--exp", "2d"])  // a lifetime over a day: a warning each
        let count = 1_050
        let input = String(repeating: token + "\n", count: count)
        let result = try Tokenctl.run(["inspect-size", "--now", Self.now, "-"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("STATUS  BYTES") == true, "\(lines.prefix(2))")
        #expect(lines.filter { $0.hasPrefix("warn  ") }.count == count, "one row per input")
        #expect(lines.filter { $0.hasPrefix("stdin:") && $0.contains(": token") }.count == 100, "details capped")
        #expect(result.stdout.contains("(details of 950 more inputs that fail or warn are not shown; --format json lists every input)"))
        #expect(result.stdout.hasSuffix("\n\(count) inputs: \(count) passed, 0 failed\n"), "\(result.stdout.suffix(300))")

        let json = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now, "-"], input: input)
        let jsonLines = json.stdout.split(separator: "\n")
        #expect(jsonLines.count == count)
        #expect(jsonLines.last?.contains(#""line":\#(count)"#) == true)
    }
}
