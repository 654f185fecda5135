import Foundation
import Testing

/// Issue 6, items 5 to 7 and the batch, inspect-size and hint items: quiet batch verify,
/// decode of payloads that are not claim sets, line numbers, one result per input line,
/// inspect-size inputs, JSON Lines and the messages that need a hint.
@Suite("issue 6: batch input and output")
struct Issue6BatchTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    static func b64(_ text: String) -> String { b64(Array(text.utf8)) }
    static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// An unsigned-looking token (HS256 header, a fake signature) with this payload text.
    static func token(payload: String, header: String = #"{"alg":"HS256"}"#) -> String {
        b64(header) + "." + b64(payload) + "." + b64(String(repeating: "s", count: 32))
    }

    static func sign(_ extra: [String] = [], now: String = Issue6BatchTests.now) throws -> String {
        let signed = try Tokenctl.run(["sign", "--key", key, "--sub", "a", "--now", now] + extra)
        #expect(signed.status == 0, "\(signed)")
        return signed.output
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    // Item 5

    @Test("verify -q prints nothing in batch mode; the exit status still tells")
    func quietBatch() throws {
        let good = try Self.sign()
        let expired = try Self.sign(now: "1000000000")
        let mixed = try Tokenctl.run(["verify", "-q", "--key", Self.publicKey, "--now", Self.now], input: "\(good)\n\(expired)\n")
        #expect(mixed.status == 1 && mixed.stdout.isEmpty && mixed.stderr.isEmpty, "\(mixed)")
        let valid = try Tokenctl.run(["verify", "-q", "--key", Self.publicKey, "--now", Self.now], input: "\(good)\n\(good)\n")
        #expect(valid.status == 0 && valid.stdout.isEmpty, "\(valid)")
    }

    // Item 6

    @Test("decode shows a payload that is not a claim set, then exits 1",
        arguments: ["array", "not JSON", "20,000 levels deep"])
    func decodeNotClaimSet(kind: String) throws {
        let (payload, reason) = switch kind {
        case "array": ("[1,2]", "JSON array")
        case "not JSON": ("not json", "not valid JSON")
        default: (String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000), "nesting deeper")
        }
        let result = try Tokenctl.run(["decode", "--now", Self.now, Self.token(payload: payload)])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.hasPrefix("Header:"), "what can be shown is shown: \(result)")
        #expect(result.stderr.hasPrefix("tokenctl: decode: error[malformed]: payload"), "\(result)")
        #expect(result.stderr.contains(reason), "\(result)")
        let json = try Tokenctl.run(["decode", "--json", "--now", Self.now, Self.token(payload: payload)])
        #expect(json.status == 1, "\(json)")
        let object = try #require(try Self.jsonLines(json.stdout).first)
        #expect((object["error"] as? [String: Any])?["code"] as? String == "malformed", "\(json)")
    }

    @Test("decode names a duplicate member, as verify does, and does not return the payload as a string")
    func decodeDuplicateMember() throws {
        let token = Self.token(payload: #"{"sub":"a","sub":"b","exp":1900000000}"#)
        let result = try Tokenctl.run(["decode", "--now", Self.now, token])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(#"duplicate member name "sub""#), "\(result)")
        #expect(!result.stdout.contains("not JSON"), "\(result)")
        let json = try Tokenctl.run(["decode", "--json", "--now", Self.now, token])
        let object = try #require(try Self.jsonLines(json.stdout).first)
        #expect(object["payload"] is NSNull, "\(json)")
        #expect(((object["error"] as? [String: Any])?["message"] as? String)?.contains(#"duplicate member name "sub""#) == true)
    }

    // Item 7: one result per input line, with its line number.

    @Test("every input line is one result: blank, whitespace and Cookie: junk lines are malformed results")
    func oneResultPerLine() throws {
        let good = try Self.sign()
        let input = "\(good)\n\n   \nCookie: junk\n\(good)\n"
        let text = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now], input: input)
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        try #require(lines.count == 5, "\(text)")
        #expect(lines[0] == "valid" && lines[4] == "valid", "\(text)")
        #expect(lines[1...3].allSatisfy { $0.hasPrefix("invalid malformed: ") }, "\(text)")
        let decoded = try Tokenctl.run(["decode", "--json", "--now", Self.now], input: input)
        let objects = try Self.jsonLines(decoded.stdout)
        try #require(objects.map { $0["line"] as? Int } == [1, 2, 3, 4, 5], "\(decoded)")
        #expect(objects[1...3].allSatisfy { ($0["error"] as? [String: Any])?["code"] as? String == "malformed" })
    }

    @Test("--json results carry line; -n prefixes text results with LINE:")
    func lineNumbers() throws {
        let good = try Self.sign()
        let expired = try Self.sign(now: "1000000000")
        let input = "\(good)\n\n\(expired)\n"
        let json = try Tokenctl.run(["verify", "--json", "--key", Self.publicKey, "--now", Self.now], input: input)
        #expect(try Self.jsonLines(json.stdout).map { $0["line"] as? Int } == [1, 2, 3], "\(json)")
        let numbered = try Tokenctl.run(["verify", "-n", "--key", Self.publicKey, "--now", Self.now], input: input)
        let lines = numbered.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(numbered)")
        #expect(lines[0] == "1:valid")
        #expect(lines[1].hasPrefix("2:invalid malformed: "))
        #expect(lines[2].hasPrefix("3:invalid expired: "), "\(numbered)")
        let arguments = try Tokenctl.run(["verify", "--json", "--key", Self.publicKey, "--now", Self.now, expired, good])
        #expect(try Self.jsonLines(arguments.stdout).map { $0["line"] as? Int } == [1, 2], "argument positions")
        let decode = try Tokenctl.run(["decode", "--line-number", "--now", Self.now, good])
        #expect(decode.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("1:") }, "\(decode)")
        let sized = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now], input: "\(good)\n\n")
        #expect(try Self.jsonLines(sized.stdout).map { $0["line"] as? Int } == [1, 2], "\(sized)")
    }

    // Item 7 (issue 6 item 7): inspect-size paths and runs that go on.

    @Test("inspect-size: a missing path is input_unreadable, exit 2, and every other input is still reported")
    func inspectSizeMissingPath() throws {
        let directory = try Tokenctl.temporaryDirectory()
        let good = try Self.sign()
        let alone = try Tokenctl.run(["inspect-size", "claims/typo.json"])
        #expect(alone.status == 2, "\(alone)")
        #expect(alone.stderr.contains("error[input_unreadable]") && alone.stderr.contains("claims/typo.json"), "\(alone)")
        #expect(!alone.stdout.contains("segments"), "\(alone)")
        let bloated = directory.appendingPathComponent("big.json").path
        try "{\"blob\":\"\(String(repeating: "x", count: 5000))\"}".write(toFile: bloated, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("typo.json").path
        let run = try Tokenctl.run(["inspect-size", "--format", "github", "--now", Self.now, good, missing, bloated])
        #expect(run.status == 2, "the most severe status: \(run)")
        #expect(run.stdout.contains("::error file=\(missing),title=tokenctl input_unreadable::"), "\(run)")
        #expect(run.stdout.contains("::error file=\(bloated),title=tokenctl over-budget::"), "\(run)")
        #expect(run.stdout.contains("tokenctl inspect-size: argument 1: "), "\(run)")
        let json = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now, good, missing, bloated])
        let objects = try Self.jsonLines(json.stdout)
        try #require(objects.count == 3, "\(json)")
        #expect(objects.map { $0["line"] as? Int } == [1, 2, 3])
        #expect((objects[1]["error"] as? [String: Any])?["code"] as? String == "input_unreadable")
    }

    @Test("inspect-size --claims takes @FILE, - and a JSON object; /dev/stdin and pipes work as paths")
    func inspectSizeClaimSources() throws {
        let directory = try Tokenctl.temporaryDirectory()
        let claims = #"{"sub":"u1","roles":["a"]}"#
        let path = directory.appendingPathComponent("c.json").path
        try claims.write(toFile: path, atomically: true, encoding: .utf8)
        func total(_ arguments: [String], input: String = "") throws -> Int? {
            let run = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now] + arguments, input: input)
            #expect(run.status == 0, "\(arguments): \(run)")
            return try Self.jsonLines(run.stdout).first?["total_bytes"] as? Int
        }
        let expected = try #require(try total(["--claims", path]))
        #expect(try total(["--claims", "@" + path]) == expected)
        #expect(try total(["--claims", "-"], input: claims) == expected)
        #expect(try total(["--claims", claims]) == expected)
        #expect(try total(["--claims", "/dev/stdin"], input: claims) == expected)
        #expect(try total(["/dev/stdin"], input: claims) == expected, "a claim set found by content")

        // A pipe as a path, as process substitution gives: the FIFO stays open for writing.
        let fifo = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "printf '%s' \"$1\" > \"$2\"", "sh", claims, fifo]
        try writer.run()
        #expect(try total(["--claims", fifo]) == expected)
        writer.waitUntilExit()
    }

    @Test("inspect-size --format json is JSON Lines: one object per input, whatever the number of inputs")
    func inspectSizeJSONLines() throws {
        let good = try Self.sign()
        let one = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now, good])
        #expect(one.stdout.split(separator: "\n").count == 1, "\(one)")
        #expect(try Self.jsonLines(one.stdout).count == 1)
        let two = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now, good, good])
        #expect(two.stdout.split(separator: "\n").count == 2, "\(two)")
        #expect(try Self.jsonLines(two.stdout).map { $0["input"] as? String } == ["argument 1", "argument 2"])
    }

    @Test("inspect-size with several inputs shows the warnings, not only their count")
    func inspectSizeShowsWarnings() throws {
        let good = try Self.sign()
        let personal = try Self.sign(["-c", "email=a@example.com"])
        let run = try Tokenctl.run(["inspect-size", "--now", Self.now, good, personal])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("warning[personal-data]"), "\(run)")
        #expect(run.stdout.contains("email"), "\(run)")
    }

    // Hints.

    @Test("a file given where a token belongs says so and how to read it")
    func fileForToken() throws {
        let directory = try Tokenctl.temporaryDirectory()
        let path = directory.appendingPathComponent("token.jwt").path
        try (try Self.sign() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("names a file"), "\(result)")
        #expect(result.stderr.contains("- < \(path)"), "\(result)")
        #expect(!result.stderr.contains("segments"), "\(result)")
    }

    @Test("a UTF-8 BOM before a token is named")
    func byteOrderMark() throws {
        let token = try Self.sign()
        let result = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now], stdin: [0xEF, 0xBB, 0xBF] + Array((token + "\n").utf8))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("byte order mark"), "\(result)")
        let decoded = try Tokenctl.run(["decode", "--now", Self.now], stdin: [0xEF, 0xBB, 0xBF] + Array(token.utf8))
        #expect(decoded.stderr.contains("byte order mark"), "\(decoded)")
    }

    @Test("an over-long stdin line names --max-token-bytes and its real length")
    func overLongLine() throws {
        let line = String(repeating: "a", count: 400_268)
        let verify = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now], input: line + "\n")
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("400268 bytes"), "\(verify)")
        #expect(verify.stderr.contains("--max-token-bytes"), "\(verify)")
        let sized = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now], input: line + "\n")
        let object = try #require(try Self.jsonLines(sized.stdout).first)
        #expect(object["total_bytes"] as? Int == 400_268, "\(sized)")
    }
}
