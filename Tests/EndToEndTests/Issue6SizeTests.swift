import Foundation
import Testing

/// Issue 6, item 8: `inspect-size --claims` predicts exactly the bytes `sign` writes, for
/// every algorithm family and key source, because both read the options the same way.
@Suite("issue 6: inspect-size predicts sign's bytes")
struct Issue6SizeTests {
    static let now = "1800000000"

    /// The bytes `sign --json` reports (and the token's own length).
    func signedBytes(_ arguments: [String], claims: String, home: URL? = nil) throws -> Int? {
        let result = try Tokenctl.run(["sign", "--now", Self.now, "--claims", "@" + claims, "--json"] + arguments, home: home)
        #expect(result.status == 0, "\(result)")
        guard let token = result.stdout.firstMatch(of: /"token":"([^"]+)"/)?.1,
            let bytes = result.stdout.firstMatch(of: /"bytes":(\d+)/)?.1
        else { return nil }
        #expect(token.utf8.count == Int(bytes))
        return Int(bytes)
    }

    /// The total bytes `inspect-size --format json` predicts.
    func predictedBytes(_ arguments: [String], claims: String, home: URL? = nil) throws -> Int? {
        let result = try Tokenctl.run(
            ["inspect-size", "--now", Self.now, "--claims", claims, "--format", "json"] + arguments, home: home)
        #expect(result.status == 0, "\(result)")
        return result.stdout.firstMatch(of: /"total_bytes":\s*(\d+)/).flatMap { Int($0.1) }
    }

    func claimsFile(_ json: String) throws -> String {
        let url = try Tokenctl.temporaryDirectory().appendingPathComponent("claims.json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test("issue-6: prediction equals sign's bytes", arguments: [
        // HS: a secret file, and a JWK (oct, with its own kid)
        ["--secret-file", "keys/hs256.secret"],
        ["--secret-file", "keys/hs256.secret", "--alg", "HS256", "--kid", "svc-1"],
        ["--key", "pyjwt/hs512.jwk.json"],
        // RS and PS: PEM (PKCS#8 and PKCS#1)
        ["--key", "keys/rsa2048.pem"],
        ["--key", "keys/rsa2048.pkcs1.pem", "--alg", "PS384"],
        // ES: PEM, SEC1, private JWK without kid, and secp256k1
        ["--key", "keys/p256.pem"],
        ["--key", "keys/p256.sec1.pem", "--no-kid"],
        ["--key", "keys/p256.private.jwk.json"],
        ["--key", "keys/secp256k1.pkcs8.pem"],
        // EdDSA: Ed25519 PEM and JWK, Ed448 PEM
        ["--key", "keys/ed25519.pem"],
        ["--key", "keys/ed25519.private.jwk.json"],
        ["--key", "keys/ed448.pkcs8.pem"],
    ])
    func keySources(options: [String]) throws {
        let arguments = options.map { $0.contains("/") ? Tokenctl.fixture($0) : $0 }
        let claims = try claimsFile(#"{"sub":"alice","roles":["reader","writer"],"tenant":"é-01"}"#)
        let signed = try signedBytes(arguments, claims: claims)
        let predicted = try predictedBytes(arguments, claims: claims)
        #expect(signed != nil && predicted == signed, "sign \(String(describing: signed)), inspect-size \(String(describing: predicted))")
    }

    @Test("issue-6: the public half of a key predicts what the private key signs (a CI holds only the public key)")
    func publicKeyPredicts() throws {
        let claims = try claimsFile(#"{"sub":"alice"}"#)
        for (privateKey, publicKey) in [("keys/p256.pem", "keys/p256.pub.pem"), ("keys/rsa2048.pem", "keys/rsa2048.pub.pem")] {
            let signed = try signedBytes(["--key", Tokenctl.fixture(privateKey)], claims: claims)
            #expect(try predictedBytes(["--key", Tokenctl.fixture(publicKey)], claims: claims) == signed)
        }
    }

    @Test("issue-6: the default keyset: prediction equals sign's bytes")
    func defaultKeyset() throws {
        let home = try Tokenctl.temporaryDirectory()
        let claims = try claimsFile(#"{"sub":"alice"}"#)
        let signed = try signedBytes([], claims: claims, home: home)
        let predicted = try predictedBytes([], claims: claims, home: home)
        #expect(signed != nil && predicted == signed)
    }

    @Test("issue-6: claims with an iat: exp = iat + 15m in both (233 bytes)")
    func givenIssuedAt() throws {
        let claims = try claimsFile(#"{"iat":1,"sub":"a"}"#)
        let key = ["--key", Tokenctl.fixture("keys/p256.pem")]
        let signed = try signedBytes(key + ["--allow-invalid-times"], claims: claims)
        #expect(signed == 233)
        #expect(try predictedBytes(key, claims: claims) == 233)
        // No lifetime finding (exp is iat + 15m), but a warning that sign refuses it.
        let text = try Tokenctl.run(["inspect-size", "--now", Self.now, "--claims", claims] + key)
        #expect(text.status == 0, "\(text)")
        #expect(!text.stdout.contains("lifetime-too-long"), "\(text)")
        #expect(text.stdout.contains("warning[invalid-claim]: exp 1970-01-01T00:15:01Z (901) is not after now"), "\(text)")
    }

    @Test("issue-6: --alg HS256 with no key assumes no kid, as a raw secret gets none")
    func hmacWithoutKey() throws {
        let claims = try claimsFile(#"{"sub":"a"}"#)
        let signed = try signedBytes(["--secret-file", Tokenctl.fixture("keys/hs256.secret")], claims: claims)
        #expect(try predictedBytes(["--alg", "HS256"], claims: claims) == signed)
    }

    @Test("issue-6: --key rsa.pem --alg ES256 is refused by inspect-size as by sign")
    func unsuitableAlgorithm() throws {
        let claims = try claimsFile(#"{"sub":"a"}"#)
        let arguments = ["--key", Tokenctl.fixture("keys/rsa2048.pem"), "--alg", "ES256"]
        let signed = try Tokenctl.run(["sign", "--now", Self.now, "--claims", "@" + claims] + arguments)
        let sized = try Tokenctl.run(["inspect-size", "--now", Self.now, "--claims", claims] + arguments)
        #expect(signed.status == 2 && signed.stderr.contains("error[key_unsuitable]"), "\(signed)")
        #expect(sized.status == 2 && sized.stderr.contains("error[key_unsuitable]"), "\(sized)")
    }
}
