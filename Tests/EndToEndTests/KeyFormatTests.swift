import Foundation
import Testing

/// Key formats from the command line: encrypted PKCS#8 with a password from a file or the
/// environment (never a prompt), certificates for verifying, SEC1, PKCS#1, every curve.
@Suite("key formats")
struct KeyFormatTests {
    static let now = "1800000000"

    @Test("an encrypted key signs with --password-env or --password-file, and never prompts without one")
    func encryptedKey() throws {
        let key = Tokenctl.fixture("keys/p256.encrypted.pem")
        let fromEnv = try Tokenctl.run(["sign", "--key", key, "--password-env", "PW", "--now", Self.now],
                                       environment: ["PW": "fixture-password"])
        #expect(fromEnv.status == 0, "\(fromEnv)")
        let passwordFile = try Tokenctl.temporaryDirectory().appendingPathComponent("pw")
        try "fixture-password\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        let fromFile = try Tokenctl.run(["sign", "--key", key, "--password-file", passwordFile.path, "--now", Self.now])
        #expect(fromFile.status == 0, "\(fromFile)")
        let missing = try Tokenctl.run(["sign", "--key", key])
        #expect(missing.status == 2 && missing.stderr.contains("error[malformed_key]") && missing.stderr.contains("--password-file"), "\(missing)")
        let wrong = try Tokenctl.run(["sign", "--key", key, "--password-env", "PW"], environment: ["PW": "nope"])
        #expect(wrong.status == 2 && wrong.stderr.contains("error[malformed_key]"), "\(wrong)")

        let verified = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.cert.pem"), "--now", Self.now, "-q", fromEnv.output])
        #expect(verified.status == 0, "a certificate verifies tokens of its key: \(verified)")
    }

    @Test("each private key format signs with its algorithm", arguments: [
        ("keys/p256.sec1.pem", "ES256"), ("keys/rsa2048.pkcs1.pem", "RS256"), ("keys/secp256k1.pkcs8.pem", "ES256K"),
        ("keys/ed448.pkcs8.pem", "EdDSA"),
    ])
    func formats(key: String, alg: String) throws {
        let signed = try Tokenctl.run(["sign", "--key", Tokenctl.fixture(key), "--now", Self.now, "--json"])
        #expect(signed.status == 0 && signed.stdout.contains("\"alg\":\"\(alg)\""), "\(signed)")
        let token = try Tokenctl.run(["sign", "--key", Tokenctl.fixture(key), "--now", Self.now]).output
        let verified = try Tokenctl.run(["verify", "--key", Tokenctl.fixture(key), "--now", Self.now, "-q", token])
        #expect(verified.status == 0, "\(verified)")
    }
}
