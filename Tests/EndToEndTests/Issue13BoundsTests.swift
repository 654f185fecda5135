import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A small seeded generator (SplitMix64), so random inputs are the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(count)
        while out.count < count { withUnsafeBytes(of: next()) { out += $0.prefix(count - out.count) } }
        return out
    }
}

/// Issue 13, item 2: every input has a bound with a clear one-line error, and hostile input
/// (8 MiB of random bytes) ends quickly in little memory.
@Suite("issue 13: bounds")
struct Issue13BoundsTests {
    static let now = "1800000000"
    static let secret = Tokenctl.fixture("keys/hs256.secret")
    static let p256 = Tokenctl.fixture("keys/p256.pem")
    static let p256Public = Tokenctl.fixture("keys/p256.pub.pem")

    static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    static func b64(_ text: String) -> String { b64(Array(text.utf8)) }

    /// Expects exactly one diagnostic line with `code`.
    func expectOneError(_ result: RunResult, status: Int32, code: String, containing: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("error[\(code)]"), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result)", sourceLocation: sourceLocation)
        if let containing { #expect(result.stderr.contains(containing), "\(result)", sourceLocation: sourceLocation) }
    }

    func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: - Random bytes on stdin

    /// Every command that reads standard input, with 8 MiB of random bytes on it.
    static let stdinCommands: [[String]] = [
        ["decode"], ["decode", "--json"], ["decode", "--scan"],
        ["verify", "--secret-file", secret, "--now", now], ["verify", "--key", p256Public, "--json", "--now", now],
        ["verify", "--scan", "--secret-file", secret, "--now", now],
        ["inspect-size"], ["inspect-size", "--format", "json"], ["inspect-size", "--scan"],
        ["inspect-size", "--claims", "-"], ["sign", "--secret-file", secret, "--claims", "-", "--now", now],
        ["rotate-keys", "--keyset", "ks", "--dry-run"],
    ]

    /// The limit for 8 MiB of random input, in CPU seconds (a shared machine stretches wall
    /// time, not CPU time): 5 s for a release binary (the slowest, inspect-size --format json,
    /// takes about 1.2 s there); a debug binary is several times slower (about 4 s), so a
    /// debug test run allows 15 s. A run that has not ended after 8 times the limit in wall
    /// time is killed as hung.
    static let randomInputLimit: TimeInterval = {
        #if DEBUG
        return 15
        #else
        return 5
        #endif
    }()

    @Test("8 MiB of random bytes on stdin ends within 5 s (release), under 64 MiB RSS, with a status and no crash",
          .serialized, arguments: stdinCommands)
    func randomStdin(arguments: [String]) throws {
        var random = SeededRandom(seed: 13)
        let input = random.bytes(8 << 20)
        let result = try Tokenctl.measuringMemory {
            try Tokenctl.run(arguments, stdin: input, timeout: 8 * Self.randomInputLimit)
        }
        #expect([0, 1, 2].contains(result.status), "\(arguments): exit \(result.status)")
        #expect(result.cpuSeconds < Self.randomInputLimit, "\(arguments): \(result.cpuSeconds) CPU seconds")
        #expect(result.maxRSSKiB > 0 && result.maxRSSKiB < 64 << 10, "\(arguments): peak RSS \(result.maxRSSKiB) KiB")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Crash"), "\(arguments): \(result.stderr.prefix(400))")
    }

    @Test("inspect-size streams its results: 20,000 inputs in JSON Lines, one a line, in bounded memory")
    func inspectSizeInputCount() throws {
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", Self.now, "--sub", "a"]).output
        let result = try Tokenctl.run(
            ["inspect-size", "--format", "json"], input: String(repeating: token + "\n", count: 20_000), timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 20_000)
        #expect(result.maxRSSKiB > 0 && result.maxRSSKiB < 64 << 10, "peak RSS \(result.maxRSSKiB) KiB")
    }

    // MARK: - One test per bound

    @Test("token size: 256 KiB is parsed, one byte more is malformed before parsing")
    func tokenSize() throws {
        let prefix = Self.b64(#"{"alg":"HS256"}"#) + "."
        let suffix = ".c2ln"
        let atBound = prefix + String(repeating: "A", count: (256 << 10) - prefix.utf8.count - suffix.utf8.count) + suffix
        #expect(atBound.utf8.count == 256 << 10)
        let ok = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now], input: atBound + "\n")
        #expect(ok.status == 1 && !ok.stderr.contains("larger than"), "\(ok.stderr.prefix(300))")
        let over = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now], input: "A" + atBound + "\n")
        expectOneError(over, status: 1, code: "malformed")
        #expect(over.stderr.contains("262144") || over.stderr.contains("256 KiB"), "\(over.stderr)")
    }

    func tokenWithPayload(_ payload: String) -> String {
        Self.b64(#"{"alg":"HS256","typ":"JWT"}"#) + "." + Self.b64(payload) + "." + Self.b64([UInt8](repeating: 1, count: 32))
    }

    @Test("JSON member count: 100000 members parse, 100001 are malformed (a raised token bound lets them in)")
    func jsonMembers() throws {
        func payload(_ count: Int) -> String { "{" + (0..<count).map { "\"\(String($0, radix: 36))\":0" }.joined(separator: ",") + "}" }
        let bound = ["--max-token-bytes", "2000000"]
        let within = try Tokenctl.run(["decode", "--json"] + bound, stdin: Array((tokenWithPayload(payload(100_000)) + "\n").utf8), timeout: 120)
        #expect(within.status == 0, "\(within.stderr.prefix(300))")
        let over = try Tokenctl.run(["decode"] + bound, stdin: Array((tokenWithPayload(payload(100_001)) + "\n").utf8), timeout: 120)
        expectOneError(over, status: 1, code: "malformed", containing: "more than 100000 members in one object")
    }

    @Test("JSON depth: 64 levels parse, 65 are malformed")
    func jsonDepth() throws {
        func payload(_ depth: Int) -> String { "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}" }
        let within = try Tokenctl.run(["decode", tokenWithPayload(payload(64))])
        #expect(within.status == 0, "\(within.stderr.prefix(300))")
        let over = try Tokenctl.run(["decode", tokenWithPayload(payload(65))])
        expectOneError(over, status: 1, code: "malformed", containing: "nesting deeper than 64")
    }

    @Test("file bounds: key, secret, JWKS, claims, policy and keyset files over 1 MiB are refused in one line")
    func fileSizes() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let big = try write([UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1), "big.json", in: work)
        let keyset = work.appendingPathComponent("ks")
        let created = try Tokenctl.run(["rotate-keys", "--keyset", keyset.path, "--now", Self.now])
        #expect(created.status == 0, "\(created)")
        let keysJSON = keyset.appendingPathComponent("keys.json").path
        var text = try String(contentsOfFile: keysJSON, encoding: .utf8)
        text += String(repeating: " ", count: (1 << 20) + 1 - text.utf8.count)
        try Data(text.utf8).write(to: URL(fileURLWithPath: keysJSON))
        let runs: [([String], String)] = [
            (["verify", "--key", big, "--now", Self.now, "a.b.c"], "key file"),
            (["verify", "--secret-file", big, "--now", Self.now, "a.b.c"], "secret file"),
            (["sign", "--secret-file", Self.secret, "--claims", "@" + big], "1048576"),
            (["inspect-size", "--policy", big, "a.b.c"], "policy file"),
            (["sign", "--keyset", keyset.path, "--now", Self.now], "1048576"),
            (["verify", "--keyset", keyset.path, "--now", Self.now, "a.b.c"], "1048576"),
            (["rotate-keys", "--keyset", keyset.path, "--now", Self.now], "1048576"),
        ]
        for (arguments, phrase) in runs {
            let result = try Tokenctl.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(phrase) && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
        }
    }

    @Test("JWKS key count: at most 1000 keys are read; 1001 is refused before any import")
    func jwksKeyCount() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        func jwks(_ count: Int) -> [UInt8] { Array(("{\"keys\":[" + Array(repeating: "{}", count: count).joined(separator: ",") + "]}").utf8) }
        let within = try Tokenctl.run(["verify", "--key", try write(jwks(1000), "a.json", in: work), "--now", Self.now, "a.b.c"])
        #expect(within.status == 2 && !within.stderr.contains("at most 1000"), "\(within)")
        let over = try Tokenctl.run(["verify", "--key", try write(jwks(1001), "b.json", in: work), "--now", Self.now, "a.b.c"])
        expectOneError(over, status: 2, code: "malformed_key", containing: "the JWKS has 1001 keys; at most 1000 are read")
    }

    @Test("stdin line length: a line over the token bound plus 8 KiB is one malformed result and the next line is still read")
    func stdinLine() throws {
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", Self.now, "--sub", "a", "--aud", "x"]).output
        let long = String(repeating: "A", count: (256 << 10) + (8 << 10) + 1)
        let result = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now, "--aud", "x", "--json"],
                                      input: long + "\n" + token + "\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(result.status == 1 && lines.count == 2, "\(result.stdout.prefix(600)) \(result.stderr.prefix(300))")
        #expect(lines.first?.contains("\"malformed\"") == true && lines.last?.contains("\"valid\":true") == true, "\(result.stdout.prefix(600))")
    }

    @Test("a HAR file over 64 MiB is scanned as text: its token is still found, without HAR entries")
    func largeHAR() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", Self.now, "--sub", "a"]).output
        let head = #"{"log":{"entries":[{"request":{"headers":[{"name":"Authorization","value":"Bearer "# + token + #""}]}}]},"pad":""#
        var bytes = Array(head.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: (64 << 20) + 1 - bytes.count)
        bytes += Array("\"}\n".utf8)
        let har = try write(bytes, "big.har", in: work)
        let result = try Tokenctl.run(["decode", "--scan", "--json", har], timeout: 60)
        #expect(result.status == 0, "\(result.stderr.prefix(400))")
        #expect(result.stdout.contains("\"sub\":\"a\""), "\(result.stdout.prefix(400))")
    }
}
