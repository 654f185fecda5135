import Foundation
import Testing

/// Hostile and broken input: each is rejected with exit 1 and one clear line, never a crash or hang.
@Suite("hostile input")
struct HostileInputTests {
    static let now = "1800000000"
    static let secret = Tokenctl.fixture("keys/hs256.secret")
    static let p256 = Tokenctl.fixture("keys/p256.pem")
    static let p256Public = Tokenctl.fixture("keys/p256.pub.pem")

    static func b64(_ text: String) -> String { b64(Array(text.utf8)) }
    static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    static func unb64(_ text: Substring) -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Array(Data(base64Encoded: base64)!)
    }

    /// Runs verify and expects exit 1 with exactly one stderr line naming `code`.
    func expectRejected(_ token: String, code: String, key: [String] = ["--secret-file", secret], extra: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Tokenctl.run(["verify", "--now", Self.now] + key + extra, input: token + "\n")
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("tokenctl: verify: error[\(code)]: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)", sourceLocation: sourceLocation)
    }

    func fixtureToken(_ name: String) throws -> String {
        try String(contentsOfFile: Tokenctl.fixture("hostile/\(name)"), encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    func es256Token() throws -> String {
        let result = try Tokenctl.run(["sign", "--key", Self.p256, "--now", Self.now, "--sub", "a"])
        #expect(result.status == 0)
        return result.output
    }

    @Test("the control token verifies")
    func control() throws {
        let result = try Tokenctl.run(["verify", "--now", Self.now, "--secret-file", Self.secret, try fixtureToken("hs256-valid.jwt")])
        #expect(result.status == 0, "\(result)")
    }

    @Test("alg none in any case, with or without a signature", arguments: ["none", "None", "NONE", "nOnE"])
    func algNone(alg: String) throws {
        let unsigned = Self.b64("{\"alg\":\"\(alg)\",\"typ\":\"JWT\"}") + "." + Self.b64(#"{"sub":"admin","exp":1900000000}"#)
        try expectRejected(unsigned + ".", code: "algorithm_not_allowed")
        try expectRejected(unsigned + ".c2ln", code: "algorithm_not_allowed")
        try expectRejected(unsigned + ".", code: "algorithm_not_allowed", key: ["--key", Self.p256Public])
    }

    @Test("HS256 keyed with the RSA public key's bytes (algorithm confusion)")
    func algorithmConfusion() throws {
        try expectRejected(try fixtureToken("hs256-signed-with-rsa-public-key.jwt"), code: "algorithm_not_allowed",
                           key: ["--key", Tokenctl.fixture("keys/rsa2048.pub.pem")])
        let asSecret = try Tokenctl.run(["verify", "--now", Self.now, "--secret-file", Tokenctl.fixture("keys/rsa2048.pub.pem"),
                                         try fixtureToken("hs256-signed-with-rsa-public-key.jwt")])
        #expect(asSecret.status == 2 && asSecret.stderr.contains("error[key_unsuitable]"), "\(asSecret)")
    }

    @Test("psychic ECDSA signatures (CVE-2022-21449): zeros and the group order")
    func psychicSignature() throws {
        let token = try es256Token()
        let signingInput = token[..<token.lastIndex(of: ".")!]
        try expectRejected(signingInput + "." + Self.b64([UInt8](repeating: 0, count: 64)), code: "signature_invalid", key: ["--key", Self.p256Public])
        let order: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                              0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51]
        try expectRejected(signingInput + "." + Self.b64(order + order), code: "signature_invalid", key: ["--key", Self.p256Public])
    }

    @Test("a DER-encoded ECDSA signature instead of raw R||S")
    func derSignature() throws {
        let token = try es256Token()
        let dot = token.lastIndex(of: ".")!
        let raw = Self.unb64(token[token.index(after: dot)...])
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var body = Array(bytes.drop(while: { $0 == 0 }))
            if body.first.map({ $0 >= 0x80 }) ?? true { body.insert(0, at: 0) }
            return [0x02, UInt8(body.count)] + body
        }
        let sequence = integer(raw[0..<32]) + integer(raw[32..<64])
        let der = [0x30, UInt8(sequence.count)] + sequence
        try expectRejected(token[..<dot] + "." + Self.b64(der), code: "signature_invalid", key: ["--key", Self.p256Public])
    }

    @Test("non-canonical base64url: padding, plain base64 characters, trailing bits, whitespace")
    func nonCanonical() throws {
        let token = try fixtureToken("hs256-valid.jwt")
        try expectRejected(token + "=", code: "malformed")
        try expectRejected(token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            .replacingOccurrences(of: "e", with: "+", options: [], range: token.range(of: "e")), code: "malformed")
        // HS256 signatures are 43 characters: the last one carries 2 unused bits.
        let last = token.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let altered = alphabet[alphabet.firstIndex(of: last)! ^ 1]
        try expectRejected(String(token.dropLast()) + String(altered), code: "malformed")
        let parts = token.split(separator: ".")
        try expectRejected(parts[0] + ". " + parts[1] + "." + parts[2], code: "malformed")
    }

    @Test("wrong segment counts", arguments: ["abc", "a.b", "a.b.c.d", "a.b.c.d.e", "a.b.c.d.e.f.g", "...", "."])
    func segments(token: String) throws {
        try expectRejected(token, code: "malformed")
    }

    @Test("duplicate members, non-object payloads, deep nesting")
    func structure() throws {
        try expectRejected(try fixtureToken("hs256-duplicate-claims.jwt"), code: "malformed")
        try expectRejected(try fixtureToken("hs256-payload-not-object.jwt"), code: "malformed")
        try expectRejected(try fixtureToken("hs256-deep-nesting.jwt"), code: "malformed")
        let deepHeader = Self.b64("{\"alg\":\"HS256\",\"x\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}")
        try expectRejected(deepHeader + ".e30.c2ln", code: "malformed")
        let duplicateHeader = Self.b64(#"{"alg":"HS256","alg":"none"}"#)
        try expectRejected(duplicateHeader + ".e30.c2ln", code: "malformed")
    }

    @Test("crit and b64 headers")
    func critical() throws {
        try expectRejected(try fixtureToken("hs256-crit-unknown.jwt"), code: "unsupported_critical")
        try expectRejected(try fixtureToken("hs256-b64-false.jwt"), code: "unsupported_critical")
        try expectRejected(try fixtureToken("hs256-crit-empty.jwt"), code: "malformed")
    }

    @Test("a key embedded in the header is never used")
    func embeddedKey() throws {
        let attacker = try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/attacker-p256.pem"), "--now", Self.now,
                                         "--header", #"jwk:={"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#, "--header", "jku=https://attacker.example/jwks.json"])
        #expect(attacker.status == 0, "\(attacker)")
        try expectRejected(attacker.output, code: "signature_invalid", key: ["--key", Self.p256Public])
    }

    @Test("a huge token is malformed before any parsing, unless the bound is raised")
    func hugeToken() throws {
        let huge = Self.b64(#"{"alg":"HS256"}"#) + "." + String(repeating: "A", count: 300_000) + ".c2ln"
        try expectRejected(huge, code: "malformed")
        try expectRejected(huge, code: "signature_invalid", extra: ["--max-token-bytes", "400000"])
        let endless = [UInt8](repeating: UInt8(ascii: "A"), count: 3_000_000)
        let result = try Tokenctl.run(["verify", "--now", Self.now, "--secret-file", Self.secret], stdin: endless)
        #expect(result.status == 1 && result.stderr.contains("error[malformed]"), "\(result)")
    }

    @Test("garbage on stdin: binary, invalid UTF-8, empty")
    func garbage() throws {
        let binary = try Tokenctl.run(["decode"], stdin: [0xFF, 0xFE, 0x00, 0x01, 0x0A])
        #expect(binary.status == 1 && binary.stderr.split(separator: "\n").count == 1, "\(binary)")
        let empty = try Tokenctl.run(["verify", "--secret-file", Self.secret], stdin: [])
        #expect(empty.status != 0 && !empty.stderr.isEmpty, "\(empty)")
    }
}
