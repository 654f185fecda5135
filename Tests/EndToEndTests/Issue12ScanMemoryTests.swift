import Foundation
import Testing

/// Issue 12: `--scan` keeps memory flat in the number of distinct tokens. Past about 2 MiB of
/// findings they go to an unnamed temporary file and come back merged; the report is the
/// same as if they had stayed in memory, and nothing is left in `$TMPDIR`.
@Suite("issue 12: --scan memory flat in distinct tokens")
struct Issue12ScanMemoryTests {
    /// A decodable JWT numbered `n`, as a log line carries it.
    static func token(_ n: Int) -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let payload = encode("{\"sub\":\"user\(n)\",\"iss\":\"https://auth.example.com\",\"jti\":\"\(n)-abcdefghijklmnop\"}")
        return "eyJhbGciOiJIUzI1NiJ9.\(payload).\(encode("signature \(n)"))"
    }

    /// `distinct` tokens, one a line, then the first `repeated` again.
    static func log(distinct: Int, repeated: Int) -> String {
        var text = ""
        for n in 0..<distinct { text += "GET /api token=\(token(n)) 200\n" }
        for n in 0..<repeated { text += "Authorization: Bearer \(token(n))\n" }
        return text
    }

    /// Whether peak RSS says anything: not for a sanitized binary (`scripts/sanitize.sh`),
    /// whose freed memory waits in quarantine and whose shadow memory grows with use.
    static var measuresMemory: Bool { ChildProcess.sanitizerOptions.isEmpty }

    static func scan(_ path: String, tmpdir: String) throws -> RunResult {
        try Tokenctl.run(
            ["decode", "--scan", "--json", "--show-tokens", "--now", "1800000000", path], environment: ["TMPDIR": tmpdir],
            timeout: 120)
    }

    @Test("many distinct tokens: the same report, in order of first appearance, in flat memory")
    func manyDistinctTokens() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let distinct = 24_000
        let repeated = 50
        let big = directory.appendingPathComponent("big.log").path
        let small = directory.appendingPathComponent("small.log").path
        try Self.log(distinct: distinct, repeated: repeated).write(toFile: big, atomically: true, encoding: .utf8)
        try Self.log(distinct: 300, repeated: 0).write(toFile: small, atomically: true, encoding: .utf8)
        let tmpdir = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmpdir, withIntermediateDirectories: true)

        let result = try Tokenctl.measuringMemory { try Self.scan(big, tmpdir: tmpdir.path) }
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == distinct)
        for (n, line) in lines.enumerated() where n < repeated + 2 || n % 997 == 0 || n == distinct - 1 {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["token"] as? String == Self.token(n))
            let places = try #require(object["places"] as? [[String: Any]])
            let expectedLines = n < repeated ? [n + 1, distinct + n + 1] : [n + 1]
            #expect(places.compactMap { $0["line"] as? Int } == expectedLines, "token \(n)")
            #expect(object["count"] as? Int == expectedLines.count)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: tmpdir.path)
        #expect(left.isEmpty, "left in TMPDIR: \(left)")

        let baseline = try Tokenctl.measuringMemory { try Self.scan(small, tmpdir: tmpdir.path) }
        #expect(baseline.status == 0)
        // Kept in memory, 24,000 distinct findings took about 20 MB more than 300 did.
        let growthKiB = result.maxRSSKiB - baseline.maxRSSKiB
        if Self.measuresMemory {
            #expect(baseline.maxRSSKiB > 0 && growthKiB < 8 << 10, "peak RSS \(baseline.maxRSSKiB) → \(result.maxRSSKiB) KiB")
        }

        // Without a usable temporary directory the findings stay in memory: the same report.
        let fallback = try Self.scan(big, tmpdir: directory.appendingPathComponent("missing").path)
        #expect(fallback.status == 0)
        #expect(fallback.stdout == result.stdout)
    }

    @Test("a temporary file that cannot grow: one line naming TMPDIR, exit 2, no partial report")
    func temporaryFileCannotGrow() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let big = directory.appendingPathComponent("big.log").path
        try Self.log(distinct: 24_000, repeated: 0).write(toFile: big, atomically: true, encoding: .utf8)
        // Files limited to 2 or 4 MiB (dash counts 512-byte blocks, bash 1024): the first run of
        // findings (about 1 MB) is written, a later one is refused (EFBIG; SIGXFSZ ignored).
        let script = "ulimit -f 4096 && trap '' XFSZ && exec \"$0\" \"$@\""
        let result = try Subprocess.run(
            "/bin/sh", ["-c", script, Tokenctl.binary.path, "decode", "--scan", "--json", big],
            environment: ["PATH": "/usr/bin:/bin", "TMPDIR": directory.path, "LC_ALL": "C.UTF-8"], timeout: 120)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "tokenctl: decode: error[input_unreadable]: cannot write the scan's temporary file in "
                + "\(directory.path): File too large (set TMPDIR to a directory with room)\n", "\(result.stderr)")
    }

    @Test("inspect-size --scan: a summary of counters and bounded lists, in flat memory")
    func sizeReportBounded() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notJWTs = 150
        var text = Self.log(distinct: 12_000, repeated: 0)
        for n in 0..<notJWTs { text += "x=eyJub3QganNvbg.eyJ4IjoxfQ.c2ln\(n)\n" }
        let big = directory.appendingPathComponent("big.log").path
        let small = directory.appendingPathComponent("small.log").path
        try text.write(toFile: big, atomically: true, encoding: .utf8)
        try Self.log(distinct: 300, repeated: 0).write(toFile: small, atomically: true, encoding: .utf8)
        func sizes(_ path: String, _ format: String) throws -> RunResult {
            try Tokenctl.run(["inspect-size", "--scan", "--budget", "100", "--format", format, path], timeout: 120)
        }

        let json = try Tokenctl.measuringMemory { try sizes(big, "json") }
        #expect(json.status == 1, "every token is over a budget of 100 bytes: \(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["count"] as? Int == 12_000)
        #expect(report["over_budget"] as? Int == 12_000)
        #expect(report["not_jwt"] as? Int == notJWTs)
        #expect((report["not_jwts"] as? [Any])?.count == 100)
        #expect((report["largest"] as? [Any])?.count == 10)
        let baseline = try Tokenctl.measuringMemory { try sizes(small, "json") }
        let growthKiB = json.maxRSSKiB - baseline.maxRSSKiB
        if Self.measuresMemory {
            #expect(baseline.maxRSSKiB > 0 && growthKiB < 8 << 10, "peak RSS \(baseline.maxRSSKiB) → \(json.maxRSSKiB) KiB")
        }

        let github = try sizes(big, "github")
        let errors = github.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        #expect(errors.count == 101)
        #expect(errors.last?.hasSuffix("11900 more tokens are over the budget of 100; only the largest 100 are annotated") == true)
        let textReport = try sizes(big, "text")
        #expect(textReport.stdout.contains("  ... and 50 more\n"))
    }
}
