import Foundation
import Testing

/// Wrong answers found by trying tokenctl as users of jwt-cli, step-cli and latchset jose
/// would, and as acceptance tests built from independent implementations would. Each test
/// failed before its fix.
@Suite("QA findings")
struct QAFindingsTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    static func sign(_ extra: [String]) throws -> String {
        let signed = try Tokenctl.run(["sign", "--key", key, "--now", now] + extra)
        #expect(signed.status == 0, "\(signed)")
        return signed.output
    }

    @Test("decode's expiry warning reads as people say it, like its Times line")
    func expiredWarningIsSpoken() throws {
        let token = try Self.sign(["--sub", "a"])
        // Three years and a bit after the token expired.
        let decoded = try Tokenctl.run(["decode", "--now", "1900000000", token])
        #expect(decoded.status == 0, "\(decoded)")
        #expect(decoded.stdout.contains("- expired 3 years ago\n"), "\(decoded)")
        let json = try Tokenctl.run(["decode", "--json", "--now", "1900000000", token])
        #expect(json.stdout.contains("\"warnings\":[\"expired 3 years ago\"]"), "\(json)")
    }

    @Test("a line holding an Authorization header with the DPoP or JWT scheme yields its token, as --scan finds it")
    func authorizationSchemesInLineMode() throws {
        let token = try Self.sign(["--sub", "a"])
        let input = "Authorization: DPoP \(token)\nDPoP \(token)\nauthorization: jwt \(token)\nBearer \(token)\n"
        let verified = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, "-n"], input: input)
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout == "1:valid\n2:valid\n3:valid\n4:valid\n", "\(verified)")
        let decoded = try Tokenctl.run(["decode", "--json", "--now", Self.now, "Authorization: DPoP \(token)"])
        #expect(decoded.status == 0, "\(decoded)")
    }

    @Test("verify with no key and no default keyset names every key source, --jwks included, and where it looked")
    func noKeyNamesEverySource() throws {
        let token = try Self.sign(["--sub", "a"])
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let verified = try Tokenctl.run(["verify", "--now", Self.now, token], home: home)
        #expect(verified.status == 2, "\(verified)")
        #expect(verified.stdout.isEmpty, "\(verified)")
        #expect(verified.stderr.hasPrefix("tokenctl: verify: error[key_unsuitable]: no key given and no default keyset in "), "\(verified)")
        #expect(verified.stderr.contains("--jwks URL|FILE"), "\(verified)")
        #expect(verified.stderr.contains("--issuer-url URL"), "\(verified)")
        #expect(verified.stderr.split(separator: "\n").count == 1, "\(verified)")
    }

    @Test("a JWK marked for encryption is refused as a verification key (exit 2), not reported as a missing kid")
    func encryptionKeyIsUnsuitable() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let token = try Self.sign(["--sub", "a"])
        let jwk = try String(contentsOfFile: Tokenctl.fixture("keys/p256.private.jwk.json"), encoding: .utf8)
        for (name, member) in [("use", "\"use\":\"enc\","), ("ops", "\"key_ops\":[\"encrypt\"],")] {
            let path = work.appendingPathComponent("\(name).jwk").path
            try ("{" + member + jwk.drop(while: { $0 != "{" }).dropFirst()).write(toFile: path, atomically: true, encoding: .utf8)
            let verified = try Tokenctl.run(["verify", "--key", path, "--now", Self.now, token])
            #expect(verified.status == 2, "\(verified)")
            #expect(verified.stderr.hasPrefix("tokenctl: verify: error[key_unsuitable]: the key is marked for encryption"), "\(verified)")
        }
    }

    @Test("sign refuses a JWK meant for encryption or whose key_ops leave out sign, as jwcrypto does")
    func signHonoursKeyUse() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let jwk = try String(contentsOfFile: Tokenctl.fixture("keys/p256.private.jwk.json"), encoding: .utf8)
        let body = jwk.drop(while: { $0 != "{" }).dropFirst()
        let cases = [
            ("enc", "\"use\":\"enc\",", "error[key_unsuitable]: the key is for \"use\": \"enc\""),
            ("verify-only", "\"key_ops\":[\"verify\"],", "error[key_unsuitable]: the key's key_ops do not include \"sign\""),
        ]
        for (name, member, message) in cases {
            let path = work.appendingPathComponent("\(name).jwk").path
            try ("{" + member + body).write(toFile: path, atomically: true, encoding: .utf8)
            let signed = try Tokenctl.run(["sign", "--key", path, "--sub", "a", "--now", Self.now])
            #expect(signed.status == 2, "\(signed)")
            #expect(signed.stdout.isEmpty, "\(signed)")
            #expect(signed.stderr.contains(message), "\(signed)")
        }
        // A key for signatures still signs.
        let path = work.appendingPathComponent("sig.jwk").path
        try ("{\"use\":\"sig\",\"key_ops\":[\"sign\",\"verify\"]," + body).write(toFile: path, atomically: true, encoding: .utf8)
        let signed = try Tokenctl.run(["sign", "--key", path, "--sub", "a", "--now", Self.now])
        #expect(signed.status == 0, "\(signed)")
    }

    @Test("inspect-size takes --json like every other command: the JSON Lines of --format json")
    func inspectSizeJSON() throws {
        let token = try Self.sign(["--sub", "a"])
        let json = try Tokenctl.run(["inspect-size", "--json", "--now", Self.now, token, token])
        let format = try Tokenctl.run(["inspect-size", "--format", "json", "--now", Self.now, token, token])
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout == format.stdout, "\(json)\n\(format)")
        #expect(json.stdout.split(separator: "\n").count == 2, "\(json)")
        #expect(json.stdout.hasPrefix("{\"input\":\"argument 1\""), "\(json)")
        let both = try Tokenctl.run(["inspect-size", "--json", "--format", "text", token])
        #expect(both.status == 2, "\(both)")
        #expect(both.stderr.hasPrefix("tokenctl: inspect-size: error[conflicting_options]: "), "\(both)")
    }

    @Test("a key given inline where its file or directory belongs is never echoed in the error")
    func inlineKeyIsNotEchoed() throws {
        let pem = try String(contentsOfFile: Self.key, encoding: .utf8)
        let jwk = try String(contentsOfFile: Tokenctl.fixture("keys/p256.private.jwk.json"), encoding: .utf8)
        let secretLine = try #require(pem.split(separator: "\n").dropFirst().first)
        let token = try Self.sign(["--sub", "a"])
        let runs: [[String]] = [
            ["sign", "--key", pem, "--sub", "a"],
            ["verify", "--key", jwk, token],
            ["verify", "--jwks", jwk, token],
            ["sign", "--keyset", jwk, "--sub", "a"],
            ["verify", "--keyset", pem, token],
            ["rotate-keys", "--keyset", jwk, "--status"],
        ]
        for arguments in runs {
            let result = try Tokenctl.run(arguments)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("looks like key material"), "\(arguments[0]) \(arguments[1]): \(result)")
            #expect(!result.stderr.contains(String(secretLine)), "\(result)")
            #expect(!result.stderr.contains("\"d\""), "\(result)")
            #expect(!result.stderr.contains("N9NTgCzkAE9GhHyI2WlHjCjw4t4"), "\(result)")
        }
        // An ordinary missing path is still named.
        let missing = try Tokenctl.run(["verify", "--key", "no-such-key.pem", token])
        #expect(missing.stderr == "tokenctl: verify: error[input_unreadable]: cannot read key file 'no-such-key.pem': No such file or directory\n", "\(missing)")
    }

    @Test("fractional NumericDates compare exactly with the clock, as PyJWT compares them")
    func fractionalTimes() throws {
        let token = try Self.sign(["--claims", "{\"nbf\":1800000000.5,\"exp\":1800000900.5}", "--iat", "1800000000"])
        func verify(at now: Int) throws -> RunResult {
            try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", String(now), "--json", token])
        }
        // nbf 1800000000.5 is still ahead at 1800000000 (it was rounded down to now and accepted).
        let early = try verify(at: 1_800_000_000)
        #expect(early.status == 1, "\(early)")
        #expect(early.stdout.contains("\"code\":\"not_yet_valid\""), "\(early)")
        #expect(try verify(at: 1_800_000_001).status == 0)
        // exp 1800000900.5 has not passed at 1800000900 (it was rounded down and called expired).
        let late = try verify(at: 1_800_000_900)
        #expect(late.status == 0, "\(late)")
        let expired = try verify(at: 1_800_000_901)
        #expect(expired.status == 1, "\(expired)")
        #expect(expired.stdout.contains("\"code\":\"expired\""), "\(expired)")
    }

    @Test("sign's invalid_claim refusal is one diagnostic line, without the usage lines of a command-line error")
    func invalidClaimIsOneLine() throws {
        for extra in [["--exp", "3600"], ["-c", "sub:=5"], ["--claims", "{\"aud\":5}"], ["--nbf", "10m", "--exp", "5m"]] {
            let signed = try Tokenctl.run(["sign", "--key", Self.key, "--now", Self.now] + extra)
            #expect(signed.status == 2, "\(signed)")
            #expect(signed.stdout.isEmpty, "\(signed)")
            #expect(signed.stderr.hasPrefix("tokenctl: sign: error[invalid_claim]: "), "\(signed)")
            #expect(signed.stderr.split(separator: "\n").count == 1, "\(extra): \(signed)")
        }
        // A real command-line error still shows the usage.
        let usage = try Tokenctl.run(["sign", "--bogus"])
        #expect(usage.stderr.contains("Usage: tokenctl sign"), "\(usage)")
    }

    @Test("sign with a keyset refuses a kid its own verifiers could not find, instead of minting a token the keyset rejects")
    func keysetKidCannotBeReplaced() throws {
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let keyset = home.appendingPathComponent("keys").path
        let created = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", Self.now, "--json"], home: home)
        #expect(created.status == 0, "\(created)")
        for extra in [["--kid", "custom"], ["--header", "kid=custom"]] {
            let signed = try Tokenctl.run(["sign", "--keyset", keyset, "--sub", "a", "--now", Self.now] + extra, home: home)
            #expect(signed.status == 2, "\(extra): \(signed)")
            #expect(signed.stdout.isEmpty, "\(signed)")
            #expect(signed.stderr.hasPrefix("tokenctl: sign: error[conflicting_options]: "), "\(signed)")
        }
        // The active key's own kid, or none, still signs, and the keyset verifies the token.
        let active = try #require(created.stdout.split(separator: "\"").drop(while: { $0 != "active" }).dropFirst(2).first)
        for extra in [["--kid", String(active)], ["--no-kid"]] {
            let signed = try Tokenctl.run(["sign", "--keyset", keyset, "--sub", "a", "--now", Self.now] + extra, home: home)
            #expect(signed.status == 0, "\(extra): \(signed)")
            let verified = try Tokenctl.run(["verify", "--keyset", keyset, "--now", Self.now, "-q", signed.output], home: home)
            #expect(verified.status == 0, "\(extra): \(verified)")
        }
        // A key file's kid may still be chosen freely (the verifier's JWKS decides).
        let pem = try Tokenctl.run(["sign", "--key", Self.key, "--kid", "custom", "--now", Self.now])
        #expect(pem.status == 0, "\(pem)")
    }

    @Test("rotating an HMAC keyset soon after its next secret was made warns about copies of the secrets, not a JWKS it never publishes")
    func hmacRotationWarning() throws {
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let keyset = home.appendingPathComponent("keys").path
        let created = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--alg", "HS256", "--now", Self.now], home: home)
        #expect(created.status == 0, "\(created)")
        let rotated = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", "1800000100"], home: home)
        #expect(rotated.status == 0, "\(rotated)")
        #expect(rotated.stderr.contains("becomes active 1 minute after it was made; verifiers holding a copy of the keyset's secrets may not have it yet"), "\(rotated)")
        #expect(!rotated.stderr.contains("JWKS"), "\(rotated)")
    }

    @Test("decode's expiry and not-before warnings agree with verify on fractional times")
    func decodeFractionalTimesAgreeWithVerify() throws {
        let token = try Self.sign(["--claims", "{\"nbf\":1800000000.5,\"exp\":1800000900.5}", "--iat", "1800000000"])
        let beforeExpiry = try Tokenctl.run(["decode", "--json", "--now", "1800000900", token])
        #expect(!beforeExpiry.stdout.contains("\"expired"), "\(beforeExpiry)")
        #expect(beforeExpiry.stdout.contains("\"relative\":\"expires in 1 second\""), "\(beforeExpiry)")
        let afterExpiry = try Tokenctl.run(["decode", "--json", "--now", "1800000901", token])
        #expect(afterExpiry.stdout.contains("\"expired "), "\(afterExpiry)")
        let early = try Tokenctl.run(["decode", "--json", "--now", Self.now, token])
        #expect(early.stdout.contains("\"not valid until "), "\(early)")
    }
}
