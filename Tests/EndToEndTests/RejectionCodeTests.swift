import Foundation
import Testing

/// Every rejection code a user can meet from `verify`, and the environment errors of `sign`.
@Suite("rejection codes")
struct RejectionCodeTests {
    static let now: Int64 = 1_800_000_000
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let publicKey = Tokenctl.fixture("keys/p256.pub.pem")

    func sign(_ arguments: [String]) throws -> String {
        let result = try Tokenctl.run(["sign", "--key", Self.key, "--now", String(Self.now)] + arguments)
        #expect(result.status == 0, "\(result)")
        return result.output
    }

    func verify(_ token: String, _ arguments: [String] = [], key: [String] = ["--key", publicKey]) throws -> RunResult {
        try Tokenctl.run(["verify", "--now", String(Self.now)] + key + arguments + [token])
    }

    func expectCode(_ result: RunResult, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("tokenctl: verify: error[\(code)]: "), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("time claims: not yet valid, issued in the future, too old, wrong type")
    func timeClaims() throws {
        expectCode(try verify(try sign(["--nbf", "10m"])), "not_yet_valid")
        expectCode(try verify(try sign(["--iat", String(Self.now + 60)])), "issued_in_future")
        #expect(try verify(try sign(["--iat", String(Self.now + 60)]), ["--leeway", "1m"]).status == 0)
        expectCode(try verify(try sign(["--iat", String(Self.now - 3600), "--exp", String(Self.now + 600)]), ["--max-age", "30m"]), "too_old")
        let exp = try String(contentsOfFile: Tokenctl.fixture("wrong-types/hs256-exp-string.jwt"), encoding: .utf8)
        expectCode(try verify(exp, key: ["--secret-file", Tokenctl.fixture("keys/hs256.secret")]), "invalid_claim")
    }

    @Test("typ mismatch")
    func type() throws {
        let token = try sign(["--typ", "at+jwt"])
        #expect(try verify(token, ["--typ", "application/at+JWT"]).status == 0)
        expectCode(try verify(try sign([]), ["--typ", "at+jwt"]), "type_mismatch")
    }

    @Test("kid not in the key set")
    func keyNotFound() throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keyset")
        let created = try Tokenctl.run(["sign", "--sub", "x", "--now", String(Self.now)], environment: ["TOKENCTL_KEYSET": keyset.path])
        #expect(created.status == 0, "\(created)")
        let jwks = keyset.appendingPathComponent("jwks.json").path
        #expect(try verify(created.output, key: ["--key", jwks]).status == 0)
        #expect(try verify(created.output, key: ["--keyset", keyset.path]).status == 0)
        expectCode(try verify(try sign(["--kid", "../../etc/passwd"]), key: ["--key", jwks]), "key_not_found")
        expectCode(try verify(try sign([]), key: ["--key", jwks]), "key_not_found")
    }

    @Test("a keyset that cannot be written is an environment error")
    func unwritable() throws {
        let result = try Tokenctl.run(["sign"], environment: ["TOKENCTL_KEYSET": "/proc/tokenctl-keyset"])
        #expect(result.status == 2 && result.stderr.contains("error[output_unwritable]"), "\(result)")
    }
}
