import Foundation
import Testing

/// `sign`, `verify` and `decode` as a user runs them.
@Suite("sign, verify and decode")
struct SignVerifyTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    func sign(_ arguments: [String]) throws -> String {
        let result = try Tokenctl.run(["sign", "--now", Self.now] + arguments)
        #expect(result.status == 0, "\(result)")
        return result.output
    }

    @Test("the first sign creates the default ES256 keyset; verify and decode use it")
    func defaultKeyset() throws {
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let first = try Tokenctl.run(["sign", "--sub", "alice", "--aud", "api"], home: home)
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.contains("created a new ES256 keyset"))
        let keyset = home.appendingPathComponent(".config/tokenctl/keyset")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyset.appendingPathComponent("keys.json").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: keyset.path)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
        let publicJWKS = try String(contentsOf: keyset.appendingPathComponent("jwks.json"), encoding: .utf8)
        #expect(publicJWKS.contains("\"crv\": \"P-256\"") && !publicJWKS.contains("\"d\""))

        let second = try Tokenctl.run(["sign", "--sub", "bob"], home: home)
        #expect(second.status == 0 && second.stderr.isEmpty, "\(second)")

        let verified = try Tokenctl.run(["verify", "--aud", "api", first.output], home: home)
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.contains("\"sub\": \"alice\""))

        let decoded = try Tokenctl.run(["decode"], input: first.stdout, home: home)
        #expect(decoded.status == 0, "\(decoded)")
        #expect(decoded.stdout.contains("\"alg\": \"ES256\"") && decoded.stdout.contains("NOT VERIFIED"))
    }

    @Test("every key kind signs and verifies", arguments: [
        ("keys/p256.pem", "keys/p256.pub.pem", "ES256"),
        ("keys/rsa2048.pem", "keys/rsa2048.pub.pem", "RS256"),
        ("keys/ed25519.pem", "keys/ed25519.pub.pem", "EdDSA"),
    ])
    func keyKinds(privateKey: String, publicKey: String, alg: String) throws {
        let token = try sign(["--key", Tokenctl.fixture(privateKey), "--sub", "svc"])
        let result = try Tokenctl.run(["verify", "--key", Tokenctl.fixture(publicKey), "--now", Self.now, "--json", token])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("{\"valid\":true,\"alg\":\"\(alg)\""))
    }

    @Test("PS256 with an RSA key, selected by --alg")
    func pss() throws {
        let token = try sign(["--key", Tokenctl.fixture("keys/rsa2048.pem"), "--alg", "PS256"])
        let ok = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/rsa2048.pub.pem"), "--now", Self.now, "--alg", "PS256", token])
        #expect(ok.status == 0, "\(ok)")
        let narrowed = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/rsa2048.pub.pem"), "--now", Self.now, "--alg", "RS256", token])
        #expect(narrowed.status == 1)
        #expect(narrowed.stderr.contains("error[algorithm_not_allowed]"))
    }

    @Test("HMAC secrets from a file and the environment")
    func hmac() throws {
        let secret = Tokenctl.fixture("keys/hs256.secret")
        let token = try sign(["--secret-file", secret, "--sub", "job", "--alg", "HS256"])
        #expect(try Tokenctl.run(["verify", "--secret-file", secret, "--now", Self.now, "-q", token]).status == 0)
        let fromEnv = try Tokenctl.run(
            ["verify", "--secret-env", "SECRET", "--now", Self.now, "-q", token],
            environment: ["SECRET": "a-very-long-hmac-secret-of-at-least-32-bytes!"])
        #expect(fromEnv.status == 0 && fromEnv.stdout.isEmpty, "\(fromEnv)")
        let wrong = try Tokenctl.run(
            ["verify", "--secret-env", "SECRET", "--now", Self.now, token],
            environment: ["SECRET": "another-hmac-secret-that-is-long-enough!!"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "tokenctl: verify: error[signature_invalid]: HS256 signature does not verify\n")
        let withNewline = try Tokenctl.temporaryDirectory().appendingPathComponent("nl.secret")
        try "a-very-long-hmac-secret-of-at-least-32-bytes!\n".write(to: withNewline, atomically: true, encoding: .utf8)
        let warned = try Tokenctl.run(["sign", "--secret-file", withNewline.path])
        #expect(warned.status == 0 && warned.stderr.contains("ends with a newline, which is used as part of the secret"), "\(warned)")
        #expect(try Tokenctl.run(["verify", "--secret-file", secret, "--now", Self.now, "-q", token]).stderr.isEmpty)
        let short = try Tokenctl.run(["sign", "--secret-file", Tokenctl.fixture("keys/short.secret")])
        #expect(short.status == 2 && short.stderr.contains("error[weak_key]"), "\(short)")
    }

    @Test("claims: file, flags override, defaults fill what is absent")
    func claims() throws {
        let result = try Tokenctl.run(
            ["sign", "--key", Self.key, "--now", Self.now, "--claims", #"{"sub":"file","role":"x","exp":1800000060}"#,
             "--sub", "flag", "-c", "n:=3", "-c", "tags:=[\"a\"]", "-c", "name=plain text", "--aud", "a", "--aud", "b", "--json"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(#""payload":{"sub":"flag","role":"x","exp":1800000060,"aud":["a","b"],"n":3,"tags":["a"],"name":"plain text","iat":1800000000}"#))
        let defaults = try Tokenctl.run(["sign", "--key", Self.key, "--now", Self.now, "--json"])
        #expect(defaults.stdout.contains(#""payload":{"iat":1800000000,"exp":1800000900}"#), "\(defaults)")
    }

    @Test("expiry, leeway and --now")
    func expiry() throws {
        let token = try sign(["--key", Self.key, "--exp", "10m"])
        let args = ["verify", "--key", Self.publicKey, token]
        #expect(try Tokenctl.run(args + ["--now", "1800000599"]).status == 0)
        let expired = try Tokenctl.run(args + ["--now", "1800000600"])
        #expect(expired.status == 1 && expired.stderr.contains("error[expired]"), "\(expired)")
        #expect(try Tokenctl.run(args + ["--now", "1800000600", "--leeway", "30s"]).status == 0)
        let noExp = try sign(["--key", Self.key, "--no-exp"])
        let rejected = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, noExp])
        #expect(rejected.status == 1 && rejected.stderr.contains("error[missing_claim]"))
        #expect(try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, "--allow-no-exp", noExp]).status == 0)
    }

    @Test("claim checks: iss, aud, sub, require, max-age, revoked")
    func claimChecks() throws {
        let token = try sign(["--key", Self.key, "--iss", "https://issuer", "--aud", "api", "--sub", "alice", "--jti", "j-1"])
        func verify(_ extra: [String]) throws -> RunResult {
            try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now] + extra + [token])
        }
        #expect(try verify(["--iss", "https://issuer", "--aud", "api", "--sub", "alice", "--require", "jti"]).status == 0)
        #expect(try verify(["--aud", "api", "--iss", "https://issuer.evil"]).stderr.contains("error[issuer_mismatch]"))
        #expect(try verify(["--aud", "web"]).stderr.contains("error[audience_mismatch]"))
        #expect(try verify(["--aud", "api", "--sub", "bob"]).stderr.contains("error[subject_mismatch]"))
        #expect(try verify(["--aud", "api", "--require", "tenant"]).stderr.contains("error[missing_claim]"))
        let revoked = try Tokenctl.temporaryDirectory().appendingPathComponent("revoked.txt")
        try "# revoked\nj-0\nj-1\n".write(to: revoked, atomically: true, encoding: .utf8)
        let result = try verify(["--aud", "api", "--revoked", revoked.path])
        #expect(result.status == 1 && result.stderr.contains("error[revoked]"), "\(result)")
    }

    @Test("batch mode: one result per line, in order, exit 1 when any is rejected")
    func batch() throws {
        let good = try sign(["--key", Self.key, "--sub", "a"])
        let tampered = String(good.dropLast(2)) + (good.hasSuffix("AA") ? "BA" : "AA")
        let input = "\(good)\nAuthorization: Bearer \(good)\n\n\(tampered)\nnot-a-token\n"
        let result = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now], input: input)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5, "one result per line, the blank one too: \(result)")
        #expect(lines.first == "valid" && lines.dropFirst().first == "valid")
        #expect(lines.dropFirst(2).first?.hasPrefix("invalid malformed: ") == true)
        #expect(lines.dropFirst(3).first?.hasPrefix("invalid ") == true)
        #expect(lines.last?.hasPrefix("invalid malformed: ") == true)
        let json = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, "--json"], input: "\(good)\n\(good)\n")
        #expect(json.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"valid\":true") }, "\(json)")
    }

    @Test("a token too large for an argument works through stdin")
    func largeTokenThroughStdin() throws {
        let claims = try Tokenctl.temporaryDirectory().appendingPathComponent("claims.json")
        try "{\"blob\":\"\(String(repeating: "x", count: 150_000))\"}".write(to: claims, atomically: true, encoding: .utf8)
        let token = try sign(["--key", Self.key, "--claims", "@" + claims.path, "--allow-large"])
        #expect(token.utf8.count > 131_072)
        let result = try Tokenctl.run(["verify", "--key", Self.publicKey, "--now", Self.now, "-q"], input: token + "\n")
        #expect(result.status == 0, "\(result)")
    }

    @Test("decode --json shows header, payload, sizes and warnings")
    func decodeJSON() throws {
        let token = try sign(["--key", Self.key, "--no-exp", "--sub", "x"])
        let result = try Tokenctl.run(["decode", "--json", "--now", Self.now, token])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("{\"header\":{\"alg\":\"ES256\",\"kid\":"))
        #expect(result.stdout.contains("\"total_bytes\":\(token.utf8.count)"))
        #expect(result.stdout.contains(#""findings":[{"rule":"missing-exp","severity":"warning""#), "\(result)")
    }
}

extension SignVerifyTests {
    @Test("durations count from iat, and a JWKS key is chosen by --kid")
    func relativeToIssuedAt() throws {
        // --now at iat: sign refuses a token already expired at --now (issue 6).
        let result = try Tokenctl.run(["sign", "--key", Self.key, "--now", "1700000000", "--iat", "1700000000", "--exp", "10m", "--nbf", "1m", "--json"])
        #expect(result.stdout.contains(#""payload":{"iat":1700000000,"nbf":1700000060,"exp":1700000600}"#), "\(result)")
        let defaults = try Tokenctl.run(["sign", "--key", Self.key, "--now", "1700000100", "--claims", #"{"iat":1700000000}"#, "--json"])
        #expect(defaults.stdout.contains(#""payload":{"iat":1700000000,"exp":1700000900}"#), "\(defaults)")

        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keyset")
        #expect(try Tokenctl.run(["sign"], environment: ["TOKENCTL_KEYSET": keyset.path]).status == 0)
        let privateJWKS = keyset.appendingPathComponent("keys.json").path
        let jwks = try String(contentsOfFile: privateJWKS, encoding: .utf8)
        let kid = try #require(jwks.split(separator: "\"kid\": \"").dropFirst().first?.split(separator: "\"").first)
        let chosen = try Tokenctl.run(["sign", "--key", privateJWKS, "--kid", String(kid), "--now", Self.now])
        #expect(chosen.status == 0, "\(chosen)")
        let unknown = try Tokenctl.run(["sign", "--key", privateJWKS, "--kid", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no key with kid"), "\(unknown)")
    }
}
