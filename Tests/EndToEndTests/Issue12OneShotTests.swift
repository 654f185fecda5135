import Foundation
import Testing

/// Issue 12, one-shot start-up: keys are read with OpenSSL's typed decoders, the random
/// generator defaults to Hash_DRBG, OpenSSL's legacy name tables are left empty. None of it
/// may change what is accepted or refused; these run the binary over every key form.
@Suite("Issue 12 one-shot start-up")
struct Issue12OneShotTests {
    static let now = "1800000000"

    /// Signs with `key` and verifies the token with `publicKey`.
    static func roundTrip(_ key: String, _ publicKey: String, environment: [String: String] = [:], extra: [String] = [])
        throws -> (signed: RunResult, verified: RunResult?)
    {
        let signed = try Tokenctl.run(["sign", "--key", Tokenctl.fixture(key), "--now", now, "--sub", "a"] + extra,
                                      environment: environment)
        guard signed.status == 0 else { return (signed, nil) }
        let verified = try Tokenctl.run(["verify", "--key", Tokenctl.fixture(publicKey), "--now", now, "-q", signed.output])
        return (signed, verified)
    }

    @Test("every unencrypted key form signs, and its public form verifies", arguments: [
        ("keys/p256.pkcs8.pem", "keys/p256.spki.pem"), ("keys/p256.sec1.pem", "keys/p256.spki.pem"),
        ("keys/p256.pkcs8.pem", "keys/p256.cert.pem"), ("keys/rsa2048.pkcs8.pem", "keys/rsa2048.spki.pem"),
        ("keys/rsa2048.pkcs1.pem", "keys/rsa2048.pkcs1-public.pem"), ("keys/ed25519.pkcs8.pem", "keys/ed25519.spki.pem"),
        ("keys/ed448.pkcs8.pem", "keys/ed448.pkcs8.pem"), ("keys/secp256k1.pkcs8.pem", "keys/secp256k1.pkcs8.pem"),
        ("keys/p256-explicit.sec1.pem", "keys/p256-explicit.sec1.pem"), ("keys/p384.ecparam-sec1.pem", "keys/p384.ecparam-sec1.pem"),
    ])
    func unencryptedForms(key: String, publicKey: String) throws {
        let (signed, verified) = try Self.roundTrip(key, publicKey)
        #expect(signed.status == 0 && signed.stderr.isEmpty, "\(signed)")
        #expect(verified?.status == 0, "\(String(describing: verified))")
    }

    @Test("legacy PEM encryption (DEK-Info AES-256, AES-128, 3DES) and PKCS#8 encryption still decrypt with the password",
          arguments: [
            ("keys/p256.sec1-encrypted.pem", "keys/p256.spki.pem"), ("keys/p256.sec1-des3.pem", "keys/p256.pub.pem"),
            ("keys/p256.sec1-aes128.pem", "keys/p256.pub.pem"), ("keys/p256.encrypted.pem", "keys/p256.spki.pem"),
          ])
    func encryptedForms(key: String, publicKey: String) throws {
        let (signed, verified) = try Self.roundTrip(key, publicKey, environment: ["PW": "fixture-password"],
                                                    extra: ["--password-env", "PW"])
        #expect(signed.status == 0, "\(signed)")
        #expect(verified?.status == 0, "\(String(describing: verified))")
        let wrong = try Tokenctl.run(["sign", "--key", Tokenctl.fixture(key), "--password-env", "PW"], environment: ["PW": "nope"])
        #expect(wrong.status == 2 && wrong.stderr.contains("error[malformed_key]") && wrong.stdout.isEmpty, "\(wrong)")
    }

    @Test("refused keys keep their codes and reasons", arguments: [
        ("keys/rsa1024.pkcs8.pem", "weak_key", "RSA key has 1024 bits; at least 2048 are required"),
        ("keys/x25519.pkcs8.pem", "malformed_key", "key type X25519 cannot sign JWTs"),
        ("keys/p224.pem", "malformed_key", "EC curve secp224r1 is not supported"),
        ("keys/rsa-pss.pem", "malformed_key", "RSASSA-PSS-restricted RSA keys are not supported"),
    ])
    func refusals(key: String, code: String, reason: String) throws {
        for command in ["sign", "verify"] {
            var arguments = [command, "--key", Tokenctl.fixture(key)]
            if command == "verify" { arguments.append("eyJhbGciOiJFUzI1NiJ9.e30.AAAA") }
            let result = try Tokenctl.run(arguments)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.contains("error[\(code)]") && result.stderr.contains(reason), "\(result)")
        }
    }

    /// A key file holding `der` (plus `trailer`) in a `PRIVATE KEY` block.
    static func privateKeyFile(fromBodyOf fixture: String, trailer: [UInt8]) throws -> String {
        let text = try String(contentsOfFile: Tokenctl.fixture(fixture), encoding: .utf8)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: body)) + Data(trailer)
        let pem = "-----BEGIN PRIVATE KEY-----\n"
            + der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]) + "\n-----END PRIVATE KEY-----\n"
        let file = try Tokenctl.temporaryDirectory().appendingPathComponent("key.pem")
        try pem.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test("a PRIVATE KEY block holding SEC1 DER is refused as unreadable, with or without bytes after it")
    func mislabelled() throws {
        for trailer: [UInt8] in [[], [0x00, 0x01]] {
            let file = try Self.privateKeyFile(fromBodyOf: "keys/p256.sec1.pem", trailer: trailer)
            let result = try Tokenctl.run(["sign", "--key", file, "--now", Self.now])
            #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.contains("error[malformed_key]") && result.stderr.contains("the private key PEM could not be read"),
                    "\(result)")
            // OpenSSL's error texts are not loaded at start; the failure loads them where libcrypto
            // is static (OpenSSL's text), else the message gives the code and how to read its text.
            let codeForm = result.stderr.contains("; openssl errstr ") && result.stderr.contains(" prints its text)")
            let textForm = result.stderr.contains(" routines:")
            #expect(result.stderr.contains("(OpenSSL: error:") && (codeForm || textForm), "\(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        }
    }

    @Test("PKCS#8 DER with bytes after the key still signs, as OpenSSL's decoder chain always read it")
    func trailingBytes() throws {
        let file = try Self.privateKeyFile(fromBodyOf: "keys/p256.pkcs8.pem", trailer: [0x00, 0x01])
        let signed = try Tokenctl.run(["sign", "--key", file, "--now", Self.now])
        #expect(signed.status == 0, "\(signed)")
        let verified = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.spki.pem"), "--now", Self.now, "-q", signed.output])
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("a [random] section of OpenSSL's configuration still decides over tokenctl's default generator")
    func configurationDecides() throws {
        let directory = try Tokenctl.temporaryDirectory()
        func config(_ random: String) throws -> String {
            let file = directory.appendingPathComponent("openssl-\(UUID().uuidString).cnf")
            try """
                openssl_conf = openssl_init
                [openssl_init]
                random = random_section
                [random_section]
                \(random)

                """.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        // A generator that does not exist: ECDSA needs a nonce, so signing fails (exit 2).
        let missing = try Self.roundTrip("keys/p256.pkcs8.pem", "keys/p256.spki.pem",
                                         environment: ["OPENSSL_CONF": try config("random = NO-SUCH-DRBG")])
        #expect(missing.signed.status == 2 && missing.signed.stdout.isEmpty, "\(missing.signed)")
        #expect(missing.signed.stderr.contains("error[backend_failure]"), "\(missing.signed)")
        // OpenSSL's own default, named in the configuration, works.
        let ctr = try Self.roundTrip("keys/p256.pkcs8.pem", "keys/p256.spki.pem",
                                     environment: ["OPENSSL_CONF": try config("random = CTR-DRBG\ncipher = AES-256-CTR")])
        #expect(ctr.signed.status == 0 && ctr.verified?.status == 0, "\(ctr.signed) \(String(describing: ctr.verified))")
        // And without a [random] section, the default generator signs.
        let plain = try Self.roundTrip("keys/p256.pkcs8.pem", "keys/p256.spki.pem",
                                       environment: ["OPENSSL_CONF": try config("")])
        #expect(plain.signed.status == 0 && plain.verified?.status == 0, "\(plain.signed)")
    }
}
