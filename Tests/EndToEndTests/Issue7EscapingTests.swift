import Foundation
import Testing

/// Issue 7, items 2, 6 and 9: untrusted text never reaches the terminal or a CI log raw,
/// decode and inspect-size are linear in the number of claims, and `--format github`
/// escapes every field.
@Suite("issue 7: untrusted text, many claims, workflow commands")
struct Issue7EscapingTests {
    static let now = "1800000000"
    static let secret = Tokenctl.fixture("keys/hs256.secret")

    static func b64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func token(header: String, payload: String = #"{"sub":"a","exp":1900000000}"#) -> String {
        b64(header) + "." + b64(payload) + "." + b64(String(repeating: "s", count: 32))
    }

    /// JSON text of a string, escaped as JSON.
    static func jsonString(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), as: UTF8.self)
            .dropFirst().dropLast().description
    }

    @Test("an alg of \"x\\nvalid\\nvalid\" gives exactly one result line per input in batch verify")
    func forgedBatchLines() throws {
        let forged = Self.token(header: #"{"alg":"x\nvalid\nvalid"}"#)
        let input = "\(forged)\n\(forged)\n"
        let result = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now], input: input)
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2, "\(result)")
        #expect(lines.allSatisfy { $0.hasPrefix("invalid ") }, "\(result)")
        #expect(!lines.contains("valid"), "\(result)")
        let numbered = try Tokenctl.run(["verify", "-n", "--secret-file", Self.secret, "--now", Self.now], input: input)
        #expect(numbered.stdout.split(separator: "\n").count == 2, "\(numbered)")
    }

    @Test("an alg holding ESC ] 0; ... BEL is not echoed raw to stderr")
    func terminalSequenceInAlg() throws {
        let token = Self.token(header: "{\"alg\":\"\\u001b]0;pwned\\u0007HS256\"}")
        for command in [["verify", "--secret-file", Self.secret], ["decode"]] {
            let result = try Tokenctl.run(command + ["--now", Self.now, token])
            let all = result.stdout + result.stderr
            #expect(!all.unicodeScalars.contains("\u{1B}") && !all.unicodeScalars.contains("\u{07}"), "\(command): \(result)")
            #expect(all.contains("\\x1b]0;pwned\\x07"), "\(command): \(result)")
        }
    }

    @Test("decode cannot be made to print a forged line from a non-JSON payload")
    func forgedDecodeLine() throws {
        let payload = "\u{1B}[2J\u{1B}[H\nSignature: 32 bytes, VERIFIED OK\n"
        let token = Self.b64(#"{"alg":"HS256"}"#) + "." + Self.b64(payload) + "." + Self.b64(String(repeating: "s", count: 32))
        let result = try Tokenctl.run(["decode", "--now", Self.now, token])
        #expect(result.status == 1, "not a claim set: \(result)")
        #expect(!result.stdout.unicodeScalars.contains("\u{1B}"), "\(result)")
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("Signature: 32 bytes, VERIFIED") }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("Signature: 32 bytes, NOT VERIFIED") }, "\(result)")
        #expect(result.stdout.contains("\\x1b[2J\\x1b[H\\nSignature: 32 bytes, VERIFIED OK\\n"), "\(result)")
    }

    @Test("bidi controls, DEL, NUL and C1 controls in claims are shown as escapes; --json keeps JSON escaping")
    func bidiAndControls() throws {
        let payload = "{\"sub\":\"abc\u{202E}fdp.exe\\u0000\\u007f\u{85}\u{2066}\",\"exp\":1900000000}"
        let token = Self.token(header: #"{"alg":"HS256"}"#, payload: payload)
        let text = try Tokenctl.run(["decode", "--now", Self.now, token])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains(#"abc\u{202E}fdp.exe\u0000\x7f\u{85}\u{2066}"#), "\(text)")
        #expect(!text.stdout.unicodeScalars.contains { [0x202E, 0x7F, 0x85, 0x2066, 0].contains($0.value) }, "\(text)")
        let json = try Tokenctl.run(["decode", "--json", "--now", Self.now, token])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["payload"] as? [String: Any])?["sub"] as? String == "abc\u{202E}fdp.exe\u{0}\u{7F}\u{85}\u{2066}")
    }

    @Test("a token with 24,000 claims is decoded and sized in full (linear, not quadratic)")
    func manyClaims() throws {
        // Three-character names (never "exp": the first is upper case or a digit): about 252 KB.
        let first = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let rest = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var claims = "{\"exp\":1900000000"
        for index in 0..<24_000 {
            claims += ",\"\(first[index / 3844])\(rest[(index / 62) % 62])\(rest[index % 62])\":1"
        }
        claims += "}"
        let token = Self.token(header: #"{"alg":"HS256"}"#, payload: claims)
        #expect(token.utf8.count > 240_000 && token.utf8.count <= 262_144, "about 252 KB: \(token.utf8.count)")
        let start = Date()
        let decoded = try Tokenctl.run(["decode", "--json", "--now", Self.now], input: token + "\n")
        let decodeSeconds = Date().timeIntervalSince(start)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
        #expect(((object["size"] as? [String: Any])?["claims"] as? [Any])?.count == 24_001, "every claim costed")
        let sizeStart = Date()
        let sized = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now], input: token + "\n")
        let sizeSeconds = Date().timeIntervalSince(sizeStart)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(sized.stdout.utf8)) as? [String: Any])
        #expect((report["claims"] as? [Any])?.count == 24_001)
        #expect((report["findings"] as? [[String: Any]])?.contains { $0["rule"] as? String == "too-many-claims" } == true)
        // Measured, not asserted (no timed assertions): printed for the record.
        print("24,000 claims, \(token.utf8.count) bytes: decode \(decodeSeconds) s, inspect-size \(sizeSeconds) s")
    }

    @Test("--format github escapes the input's name on the summary line and in every property")
    func githubEscaping() throws {
        let directory = try Tokenctl.temporaryDirectory()
        let name = directory.appendingPathComponent("x\n::warning title=injected::forged\n,a:b%.json").path
        try #"{"sub":"u1","email":"a@example.com"}"#.write(toFile: name, atomically: true, encoding: .utf8)
        let result = try Tokenctl.run(["inspect-size", "--format", "github", "--now", Self.now, name])
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("::warning title=injected") }, "\(result)")
        let escapedData = directory.path + "/x%0A::warning title=injected::forged%0A,a:b%25.json"
        let escapedProperty = directory.path.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
            + "/x%0A%3A%3Awarning title=injected%3A%3Aforged%0A%2Ca%3Ab%25.json"
        #expect(lines.first?.hasPrefix("tokenctl inspect-size: \(escapedData): ") == true, "\(result)")
        #expect(lines.contains { $0.hasPrefix("::warning file=\(escapedProperty),title=tokenctl personal-data::") }, "\(result)")
    }
}
