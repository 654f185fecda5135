import Foundation
import Testing

/// Issue 12, `--jobs N` (`-j N`): batch `verify`, `decode` and `inspect-size` on several
/// threads print exactly what one job prints (stdout and stderr byte for byte, in input
/// order, with the same exit status), end a run at the same line, stop quietly on a closed
/// pipe, and refuse a bad count.
@Suite("issue 12: --jobs")
struct JobsTests {
    static let now = "1800000000"
    static let later = "1800000100"
    static let p256 = Tokenctl.fixture("keys/p256.pem")
    static let p256Public = Tokenctl.fixture("keys/p256.pub.pem")
    static let secret = Tokenctl.fixture("keys/hs256.secret")
    /// Job counts compared with one job: two, one per processor, more threads than processors.
    static let jobCounts = ["2", "0", "7"]

    /// A second HMAC secret (its tokens fail the signature check), in a new temporary file.
    static func otherSecret() throws -> String {
        let file = try Tokenctl.temporaryDirectory().appendingPathComponent("other.secret")
        try Data("another secret, 32 bytes or more!".utf8).write(to: file)
        return file.path
    }

    static func sign(_ arguments: [String]) throws -> String {
        let signed = try Tokenctl.run(["sign"] + arguments)
        #expect(signed.status == 0, "\(signed)")
        return signed.output
    }

    /// Tokens of every kind a batch meets, in a repeating pattern: valid, revoked, expired,
    /// tampered, signed with another key, blank, free text, an `Authorization` header, a
    /// cookie, a payload that is not a claim set, a long claim (over a small budget).
    static func mixedLines(alg: String, key: [String], otherKey: [String], repeats: Int) throws -> String {
        let base = ["--alg", alg, "--aud", "api", "--now", now]
        let valid = try sign(key + base + ["--sub", "alice"])
        let revoked = try sign(key + base + ["--sub", "bob", "-c", "jti=revoked-1"])
        let expired = try sign(key + ["--alg", alg, "--aud", "api", "--now", "1700000000", "--sub", "carol"])
        let other = try sign(otherKey + base + ["--sub", "mallory"])
        let large = try sign(key + base + ["--sub", String(repeating: "x", count: 400)])
        var tampered = Array(valid)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        let notClaims = "eyJhbGciOiJIUzI1NiJ9.WzEsMl0.c2ln"  // payload [1,2]
        let pattern = [
            valid, revoked, expired, String(tampered), other, "", "   ", "hello, this is not a token",
            "Authorization: Bearer \(valid)", "Cookie: session=\(valid)", notClaims, large, "a.b", "\"\(valid)\"",
        ]
        var lines: [String] = []
        for index in 0..<repeats {
            lines += pattern
            lines.append(index % 2 == 0 ? valid : large)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs `arguments` with `--jobs 1` and each of ``jobCounts`` (also as `-j N`) and expects
    /// the same exit status, stdout bytes and stderr.
    static func expectSameAsOneJob(
        _ arguments: [String], input: String, expectedStatus: Int32,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        try expectSameAsOneJob(arguments, bytes: Array(input.utf8), expectedStatus: expectedStatus, sourceLocation: sourceLocation)
    }

    /// ``expectSameAsOneJob(_:input:expectedStatus:sourceLocation:)`` with input that need not be UTF-8.
    static func expectSameAsOneJob(
        _ arguments: [String], bytes input: [UInt8], expectedStatus: Int32,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        let one = try Tokenctl.run(arguments + ["--jobs", "1"], stdin: input)
        #expect(one.status == expectedStatus, "\(arguments): \(one.stderr)", sourceLocation: sourceLocation)
        let implicit = try Tokenctl.run(arguments, stdin: input)
        #expect(implicit.stdoutBytes == one.stdoutBytes, "\(arguments): default differs from --jobs 1", sourceLocation: sourceLocation)
        for (position, jobs) in jobCounts.enumerated() {
            let flag = position % 2 == 0 ? ["--jobs", jobs] : ["-j", jobs]
            let many = try Tokenctl.run(arguments + flag, stdin: input)
            #expect(many.status == one.status, "\(arguments) \(flag): \(many.stderr)", sourceLocation: sourceLocation)
            #expect(many.stdoutBytes == one.stdoutBytes, "\(arguments) \(flag): stdout differs", sourceLocation: sourceLocation)
            #expect(many.stderr == one.stderr, "\(arguments) \(flag): stderr differs", sourceLocation: sourceLocation)
        }
        return one
    }

    @Test("verify: HS256 over several chunks, text, --json and -n, identical whatever the jobs")
    func verifyHS256() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let revoked = directory.appendingPathComponent("revoked.txt")
        try Data("revoked-1\n".utf8).write(to: revoked)
        let input = try Self.mixedLines(
            alg: "HS256", key: ["--secret-file", Self.secret], otherKey: ["--secret-file", try Self.otherSecret()], repeats: 400)
        let common = ["verify", "--secret-file", Self.secret, "--alg", "HS256", "--aud", "api", "--now", Self.later,
                      "--revoked", revoked.path]
        let text = try Self.expectSameAsOneJob(common, input: input, expectedStatus: 1)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 400 * 15, "one result a line")
        #expect(lines.first == "valid")
        #expect(lines[1].hasPrefix("invalid revoked"), "\(lines[1])")
        #expect(lines[2].hasPrefix("invalid expired"), "\(lines[2])")
        #expect(lines[5] == "invalid malformed: empty line: no token", "\(lines[5])")
        let json = try Self.expectSameAsOneJob(common + ["--json"], input: input, expectedStatus: 1)
        #expect(json.stdout.split(separator: "\n").last?.hasSuffix(#""line":6000}"#) == true)
        let numbered = try Self.expectSameAsOneJob(common + ["-n"], input: input, expectedStatus: 1)
        #expect(numbered.stdout.hasPrefix("1:valid\n2:invalid revoked") && numbered.stdout.hasSuffix("\n6000:valid\n"))
        // Only valid tokens: exit 0 with many jobs too.
        let allValid = String(repeating: input.split(separator: "\n")[0] + "\n", count: 3000)
        _ = try Self.expectSameAsOneJob(common, input: allValid, expectedStatus: 0)
    }

    @Test("verify: ES256, text and --json, identical whatever the jobs")
    func verifyES256() throws {
        let input = try Self.mixedLines(
            alg: "ES256", key: ["--key", Self.p256], otherKey: ["--key", Tokenctl.fixture("keys/attacker-p256.pem")],
            repeats: 40)
        let common = ["verify", "--key", Self.p256Public, "--aud", "api", "--now", Self.later]
        let text = try Self.expectSameAsOneJob(common, input: input, expectedStatus: 1)
        #expect(text.stdout.hasPrefix("valid\nvalid\ninvalid expired: "), "\(text.stdout.prefix(200))")
        _ = try Self.expectSameAsOneJob(common + ["--json", "-n"], input: input, expectedStatus: 1)
        _ = try Self.expectSameAsOneJob(common + ["-q"], input: input, expectedStatus: 1)
    }

    @Test("verify: a line that ends the run (an API key with nothing to check it against) ends it at the same place")
    func verifyStopsAtTheSameLine() throws {
        let token = try Self.sign(["--secret-file", Self.secret, "--alg", "HS256", "--now", Self.now])
        let apiKey = try Self.sign(["--api-key", "--prefix", "tk"])
        let lines = Array(repeating: token, count: 2500) + [apiKey] + Array(repeating: token, count: 2500)
        let input = lines.joined(separator: "\n") + "\n"
        let result = try Self.expectSameAsOneJob(
            ["verify", "--secret-file", Self.secret, "--now", Self.later], input: input, expectedStatus: 2)
        #expect(result.stdout == String(repeating: "valid\n", count: 2500), "results up to the line, none after")
        #expect(result.stderr.hasPrefix("tokenctl: verify: error[key_unsuitable]"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test("verify --jwks: a kid not in the set refreshes it once, in input order, whatever the jobs")
    func jwksRefreshInOrder() throws {
        let bed = try JWKSTestBed.shared.get()
        let name = "jobs-rotating-\(UUID().uuidString).json"
        let file = bed.root.appendingPathComponent(name)
        try bed.jwksA.write(to: file)
        let url = bed.url("good", "/\(name)")
        let jobCounts = ["1", "2", "7"]
        // One cache per run, each holding keyset A; then the issuer rotates to keyset B.
        var caches: [URL] = []
        defer { caches.forEach { try? FileManager.default.removeItem(at: $0) } }
        for _ in jobCounts {
            let cache = try Tokenctl.temporaryDirectory()
            caches.append(cache)
            let first = try Tokenctl.run(
                ["verify", "--cacert", bed.caFile, "--jwks", url, "--jwks-cache", cache.path, "--now", "\(bed.signedAt + 5)", bed.tokenA])
            #expect(first.status == 0, "\(first)")
        }
        try bed.jwksB.write(to: file)
        let lines = Array(repeating: bed.tokenA, count: 1500) + [bed.tokenB] + Array(repeating: bed.tokenA, count: 1500)
            + Array(repeating: bed.tokenB, count: 10)
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        var results: [RunResult] = []
        for (cache, jobs) in zip(caches, jobCounts) {
            results.append(try Tokenctl.run(
                ["verify", "--cacert", bed.caFile, "--jwks", url, "--jwks-cache", cache.path, "--now", "\(bed.signedAt + 65)",
                 "--jobs", jobs],
                stdin: input))
        }
        let expected = String(repeating: "valid\n", count: 1501)
        #expect(results[0].status == 1, "\(results[0].stderr)")
        #expect(results[0].stdout.hasPrefix(expected), "the tokens before the refresh verify with keyset A, then B's")
        let after = results[0].stdout.split(separator: "\n").dropFirst(1501)
        #expect(after.count == 1510)
        #expect(after.prefix(1500).allSatisfy { $0.hasPrefix("invalid key_not_found") }, "keyset A is gone after the refresh")
        #expect(after.suffix(10).allSatisfy { $0 == "valid" })
        for (result, jobs) in zip(results, jobCounts).dropFirst() {
            #expect(result.status == results[0].status, "--jobs \(jobs): \(result.stderr)")
            #expect(result.stdoutBytes == results[0].stdoutBytes, "--jobs \(jobs): stdout differs")
            #expect(result.stderr == results[0].stderr, "--jobs \(jobs): stderr differs")
        }
        #expect(bed.requestCount(name) == 2 * jobCounts.count, "one fetch to fill each cache, one refresh per run")
    }

    @Test("verify and decode: lines that are not UTF-8 or are over-long, between tokens, identical whatever the jobs")
    func undecodableLines() throws {
        let token = try Self.sign(["--secret-file", Self.secret, "--alg", "HS256", "--aud", "api", "--now", Self.now])
        // --max-token-bytes 1024 allows lines of 1024 + 8192 bytes; the long line has 10,000.
        let notUTF8: [UInt8] = Array("Authorization: Bearer ".utf8) + [0xff, 0xfe, 0x41]
        let overLong = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        var input: [UInt8] = []
        for index in 0..<300 {
            input += Array(token.utf8) + [10]
            if index % 7 == 0 { input += notUTF8 + [10] }
            if index % 11 == 0 { input += overLong + [10] }
            if index % 13 == 0 { input += [10] }
        }
        let verify = ["verify", "--secret-file", Self.secret, "--aud", "api", "--now", Self.later, "--max-token-bytes", "1024"]
        let text = try Self.expectSameAsOneJob(verify + ["-n"], bytes: input, expectedStatus: 1)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 300 + 43 + 28 + 24, "one result a line")
        #expect(lines[1] == "2:invalid malformed: input line is not valid UTF-8", "\(lines[1])")
        #expect(lines[2].hasPrefix("3:invalid malformed: input line of 10000 bytes is over the 9216-byte limit"), "\(lines[2])")
        _ = try Self.expectSameAsOneJob(verify + ["--json"], bytes: input, expectedStatus: 1)
        _ = try Self.expectSameAsOneJob(
            ["decode", "--json", "--now", Self.later, "--max-token-bytes", "1024"], bytes: input, expectedStatus: 1)
        // inspect-size reads its lines in blocks too: one JSON line an input line, numbered in order.
        let sized = try Self.expectSameAsOneJob(
            ["inspect-size", "--format", "json", "--now", Self.later, "--max-token-bytes", "1024"], bytes: input, expectedStatus: 1)
        let sizedLines = sized.stdout.split(separator: "\n")
        #expect(sizedLines.count == 300 + 43 + 28 + 24, "one result a line")
        for (index, line) in sizedLines.enumerated() where !line.contains(#""line":\#(index + 1),"#) {
            Issue.record("result \(index + 1) is not line \(index + 1): \(line.prefix(80))")
            break
        }
        #expect(sizedLines.count > 2 && sizedLines[2].contains(#""total_bytes":10000,"#), "the over-long line keeps its length")
    }

    @Test("an over-long line ending in CRLF is reported without its CR, whether or not it fits in one read")
    func overLongCRLFLine() throws {
        // 100,000 bytes outgrow the 64 KiB read (the line is skipped as it is read); 10,000 do not.
        var input: [UInt8] = []
        for length in [100_000, 10_000, 100_000] {
            input += [UInt8](repeating: UInt8(ascii: "a"), count: length) + [13, 10]
        }
        for command in [["decode"], ["inspect-size"]] {
            let result = try Self.expectSameAsOneJob(
                command + ["--now", Self.later, "--max-token-bytes", "1024"], bytes: input, expectedStatus: 1)
            let reported = result.stdout.split(separator: "\n").filter { $0.contains("input line of") }
            #expect(reported.count == 3, "\(command): \(result.stdout.prefix(300))")
            for (line, length) in zip(reported, [100_000, 10_000, 100_000]) {
                #expect(line.contains("input line of \(length) bytes is over"), "\(command): \(line.prefix(120))")
            }
        }
    }

    @Test("verify and decode: free text only ends with the same --scan note on stderr whatever the jobs")
    func freeTextNote() throws {
        let input = String(repeating: "GET /index.html HTTP/1.1 from 10.0.0.7, nothing to see\n", count: 500)
        for command in [["verify", "--secret-file", Self.secret], ["decode"]] {
            let result = try Self.expectSameAsOneJob(command, input: input, expectedStatus: 1)
            #expect(result.stderr.hasSuffix("use 'tokenctl \(command[0]) --scan'\n"), "\(result.stderr.suffix(300))")
        }
    }

    @Test("decode: text, --json and -n over several chunks, identical whatever the jobs")
    func decode() throws {
        let input = try Self.mixedLines(
            alg: "HS256", key: ["--secret-file", Self.secret], otherKey: ["--secret-file", try Self.otherSecret()], repeats: 200)
        let text = try Self.expectSameAsOneJob(["decode", "--now", Self.later], input: input, expectedStatus: 1)
        #expect(text.stdout.hasPrefix("Header:\n"), "\(text.stdout.prefix(100))")
        #expect(text.stdout.contains("\n\ninvalid malformed: empty line: no token\n\n"))
        let json = try Self.expectSameAsOneJob(["decode", "--json", "--now", Self.later], input: input, expectedStatus: 1)
        #expect(json.stdout.split(separator: "\n").count == 200 * 15)
        _ = try Self.expectSameAsOneJob(["decode", "-n", "--now", Self.later, "-"], input: input, expectedStatus: 1)
        // Only well-formed tokens: exit 0.
        let good = String(repeating: input.split(separator: "\n")[0] + "\n", count: 2100)
        _ = try Self.expectSameAsOneJob(["decode", "--json", "--now", Self.later], input: good, expectedStatus: 0)
    }

    @Test("inspect-size: over budget, text table, JSON Lines and GitHub annotations, identical whatever the jobs")
    func inspectSize() throws {
        let input = try Self.mixedLines(
            alg: "HS256", key: ["--secret-file", Self.secret], otherKey: ["--secret-file", try Self.otherSecret()], repeats: 200)
        let common = ["inspect-size", "--now", Self.later, "--budget", "400"]
        let text = try Self.expectSameAsOneJob(common, input: input, expectedStatus: 1)
        #expect(text.stdout.contains("\n3000 inputs: "), "\(text.stdout.suffix(300))")
        let json = try Self.expectSameAsOneJob(common + ["--format", "json"], input: input, expectedStatus: 1)
        #expect(json.stdout.split(separator: "\n").count == 3000)
        _ = try Self.expectSameAsOneJob(common + ["--format", "github"], input: input, expectedStatus: 1)
        // A file of tokens beside standard input, and a missing file (exit 2, its diagnostic in place).
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tokens.txt")
        try Data(input.utf8).write(to: file)
        let both = try Self.expectSameAsOneJob(
            common + ["--format", "json", file.path, "/nonexistent/tokens.txt", "-"], input: input, expectedStatus: 2)
        #expect(both.stderr.hasPrefix("tokenctl: inspect-size: error[input_unreadable]: cannot read '/nonexistent/tokens.txt'"))
        // Under the budget: exit 0.
        let small = String(repeating: input.split(separator: "\n")[0] + "\n", count: 2100)
        _ = try Self.expectSameAsOneJob(common + ["--format", "json"], input: small, expectedStatus: 0)
    }

    @Test("a negative, empty, fractional, non-numeric or huge --jobs is a usage error naming the flag")
    func usageErrors() throws {
        let token = try Self.sign(["--secret-file", Self.secret, "--alg", "HS256", "--now", Self.now])
        for command in [["verify", "--secret-file", Self.secret], ["decode"], ["inspect-size"], ["decode", "--scan"]] {
            for value in ["--jobs=-1", "--jobs=", "-j1.5", "--jobs=abc", "--jobs=257", "--jobs=+2"] {
                let result = try Tokenctl.run(command + [value], input: token + "\n")
                #expect(result.status == 2, "\(command) \(value): \(result)")
                #expect(result.stdout.isEmpty, "\(command) \(value): \(result)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(command) \(value): \(result)")
                #expect(result.stderr.contains("error[invalid_value]: --jobs must be a whole number"), "\(command) \(value): \(result)")
            }
        }
        let missing = try Tokenctl.run(["decode", "-j"], input: token + "\n")
        #expect(missing.status == 2 && missing.stderr.contains("error[missing_value]: option '-j' needs a value (N)"), "\(missing)")
        // 0 (one per processor) and --scan accept it.
        let zero = try Tokenctl.run(["decode", "--json", "-j", "0", "--now", Self.later], input: token + "\n" + token + "\n")
        #expect(zero.status == 0 && zero.stdout.split(separator: "\n").count == 2, "\(zero)")
        let scan = try Tokenctl.run(["decode", "--scan", "-j", "2", "--now", Self.later], input: "Authorization: Bearer \(token)\n")
        #expect(scan.status == 0, "\(scan)")
    }

    @Test("with jobs, a closed pipe ends the run quietly with status 0, and a full disk is output_unwritable")
    func closedPipeAndFullDisk() throws {
        guard let bash = Subprocess.which("bash") else { return }
        let token = try Self.sign(["--key", Self.p256, "--now", Self.now])
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tokens.txt")
        try Data(String(repeating: token + "\n", count: 20_000).utf8).write(to: file)
        for command in ["verify --key \"$2\" --now \(Self.later)", "decode --now \(Self.later)", "inspect-size --format json"] {
            let script = "\"$0\" \(command) -j 2 < \"$1\" 2>\"$1.err\" | head -n 1 >/dev/null; "
                + "echo \"status=${PIPESTATUS[0]}\"; cat \"$1.err\""
            let result = try Subprocess.run(
                bash, ["-c", script, Tokenctl.binary.path, file.path, Self.p256Public], environment: ["PATH": "/usr/bin:/bin"])
            #expect(result.stdout == "status=0\n", "\(command): \(result)")
        }
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let script = "\"$0\" verify --key \"$2\" --now \(Self.later) -j 2 < \"$1\" > /dev/full"
            let full = try Subprocess.run(
                bash, ["-c", script, Tokenctl.binary.path, file.path, Self.p256Public], environment: ["PATH": "/usr/bin:/bin"])
            #expect(full.status == 2, "\(full)")
            #expect(full.stderr == "tokenctl: verify: error[output_unwritable]: cannot write to standard output: No space left on device\n", "\(full)")
        }
    }

    @Test("with jobs, a verdict is still written as soon as its line is read, while standard input stays open")
    func streamsWhileInputIsOpen() throws {
        let token = try Self.sign(["--key", Self.p256, "--aud", "api", "--now", Self.now])
        try Issue12BatchTests.expectFirstVerdictWhileInputIsOpen(
            ["verify", "--json", "-j", "2", "--key", Self.p256Public, "--aud", "api", "--now", Self.later, "-"],
            input: "\(token)\n\(token)\n\(token)\n")
    }

    @Test("scripts/bench.sh prints the --jobs speed-up figure")
    func benchmarkHasAJobsFigure() throws {
        for tool in ["bash", "openssl"] where Subprocess.which(tool) == nil {
            if Subprocess.isCI { Issue.record("\(tool) is needed for scripts/bench.sh") }
            return
        }
        guard FileManager.default.fileExists(atPath: "/usr/bin/time") else { return }
        let script = Subprocess.repositoryRoot.appendingPathComponent("scripts/bench.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["BIN"] = Tokenctl.binary.path
        environment["N"] = "6"
        environment["RUNS"] = "1"
        environment["JOBS_RUNS"] = "1"
        environment["SKIP_SPEED"] = "1"
        environment["PEERS_BIN"] = "/nonexistent"
        let result = try Subprocess.run("/bin/bash", [script], environment: environment, timeout: 120)
        #expect(result.status == 0, "\(result)")
        for figure in ["jobs 2 / jobs 1: verify --json ES256", "jobs 2 / jobs 1: verify --json HS256", "jobs 2 / jobs 1: decode --json"] {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(figure) }
            #expect(line?.contains("x speed-up") == true, "\(figure): \(result)")
            #expect(line?.contains("same output") == true, "\(figure): \(result)")
        }
    }
}
