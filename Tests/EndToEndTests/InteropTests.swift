import Foundation
import Testing

/// Tokens from another implementation (PyJWT) verify with the binary, from PEM and from JWK.
@Suite("tokens from PyJWT")
struct InteropTests {
    @Test("verify accepts PyJWT's tokens and checks their claims", arguments: ["es256", "ps256", "rs512", "eddsa-ed448", "es256k", "hs512"])
    func pyjwt(id: String) throws {
        let token = try String(contentsOfFile: Tokenctl.fixture("pyjwt/\(id).jwt"), encoding: .utf8)
        var keys = [Tokenctl.fixture("pyjwt/\(id).jwk.json")]
        if FileManager.default.fileExists(atPath: Tokenctl.fixture("pyjwt/\(id).public.pem")) {
            keys.append(Tokenctl.fixture("pyjwt/\(id).public.pem"))
        }
        for key in keys {
            let result = try Tokenctl.run(
                ["verify", "--key", key, "--iss", "https://pyjwt.interop.example", "--aud", "tokenctl", "--sub", "interop-subject",
                 "--now", "1800000000", "--json"], input: token)
            #expect(result.status == 0, "\(id) with \(key): \(result)")
            #expect(result.stdout.contains("\"name\":\"Zoë Ünïcode ✓\""), "\(result)")
            let wrongAudience = try Tokenctl.run(["verify", "--key", key, "--aud", "nobody", "--now", "1800000000"], input: token)
            #expect(wrongAudience.status == 1 && wrongAudience.stderr.contains("audience_mismatch"))
        }
    }
}
