import Foundation
import Testing

/// ECDSA, SHA-2 and HMAC call libcrypto's built-in code only when no OpenSSL configuration is
/// loaded (issue 12): a configuration decides which providers run them, so a property query it
/// sets binds ES256 and HS256 too, and what one path signs the other verifies.
@Suite("issue 12: built-in ECDSA and HMAC only without an OpenSSL configuration")
struct Issue12BuiltinCodeTests {
    static let now = "1800000000"

    /// An OpenSSL configuration file whose `[openssl_init]` holds `lines`.
    static func configuration(_ lines: String) throws -> String {
        let file = try Tokenctl.temporaryDirectory().appendingPathComponent("openssl.cnf")
        try """
            openssl_conf = openssl_init
            [openssl_init]
            \(lines)

            """.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// A configuration that configures something (so it is loaded) without changing a provider.
    static func inertConfiguration() throws -> [String: String] {
        ["OPENSSL_CONF": try configuration("random = random_section\n[random_section]")]
    }

    /// A configuration whose property query no provider meets (no FIPS provider is installed).
    static func fipsConfiguration() throws -> [String: String] {
        ["OPENSSL_CONF": try configuration("alg_section = evp_properties\n[evp_properties]\ndefault_properties = fips=yes")]
    }

    static func sign(_ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/p256.pkcs8.pem"), "--now", now, "--sub", "a"],
                         environment: environment)
    }

    static func verify(_ token: String, _ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.spki.pem"), "--now", now, "-q", token],
                         environment: environment)
    }

    /// A 64-byte secret, long enough for HS512.
    static let hmacSecret: String = {
        let file = try! Tokenctl.temporaryDirectory().appendingPathComponent("hmac.secret")
        try! "0f3a9c51e7b2d4086c1f5e9a3b7d2c4e8a6f1b3d5c7e9a2b4d6f8e0c1a3b5d7f".write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }()

    /// Signs with an HMAC algorithm and ``hmacSecret``.
    static func signHMAC(_ algorithm: String, _ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["sign", "--alg", algorithm, "--secret-file", hmacSecret, "--now", now, "--sub", "a"],
                         environment: environment)
    }

    /// Verifies `tokens`, one a line on stdin (a batch reuses the keyed contexts), printing one
    /// verdict a line.
    static func verifyHMAC(_ tokens: [String], _ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["verify", "--secret-file", hmacSecret, "--now", now, "-"],
                         input: tokens.joined(separator: "\n") + "\n", environment: environment)
    }

    @Test("a token signed through the providers verifies without a configuration, and the other way round")
    func pathsAgree() throws {
        let configured = try Self.inertConfiguration()
        let throughProviders = try Self.sign(configured)
        let builtin = try Self.sign([:])
        #expect(throughProviders.status == 0 && builtin.status == 0, "\(throughProviders) \(builtin)")
        let across = [
            try Self.verify(throughProviders.output, [:]), try Self.verify(builtin.output, configured),
            try Self.verify(throughProviders.output, configured), try Self.verify(builtin.output, [:]),
        ]
        for result in across { #expect(result.status == 0, "\(result)") }
    }

    @Test("a property query no provider meets (fips=yes, no FIPS provider) stops ES256 verification instead of being bypassed")
    func propertyQueryBinds() throws {
        let token = try Self.sign([:])
        #expect(token.status == 0, "\(token)")
        #expect(try Self.verify(token.output, [:]).status == 0)
        let refused = try Self.verify(token.output, try Self.fipsConfiguration())
        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stdout.isEmpty, "\(refused)")
    }

    @Test("HS256, HS384 and HS512 tokens made on either path verify on the other, in a batch, and a forged one fails on both",
          arguments: ["HS256", "HS384", "HS512"])
    func hmacPathsAgree(algorithm: String) throws {
        let configured = try Self.inertConfiguration()
        let throughProviders = try Self.signHMAC(algorithm, configured)
        let builtin = try Self.signHMAC(algorithm, [:])
        #expect(throughProviders.status == 0 && builtin.status == 0, "\(throughProviders) \(builtin)")
        #expect(throughProviders.output == builtin.output, "the same claims and secret give the same token")
        var forged = builtin.output
        forged.replaceSubrange(forged.index(forged.endIndex, offsetBy: -3)..., with: forged.hasSuffix("AAA") ? "BBB" : "AAA")
        let batch = [builtin.output, forged, throughProviders.output]
        for environment in [configured, [:]] {
            let result = try Self.verifyHMAC(batch, environment)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.split(separator: "\n").map { $0.hasPrefix("valid") } == [true, false, true], "\(result)")
        }
    }

    @Test("a property query no provider meets stops HS256 signing and verification instead of being bypassed")
    func propertyQueryBindsHMAC() throws {
        let token = try Self.signHMAC("HS256", [:])
        #expect(token.status == 0, "\(token)")
        #expect(try Self.verifyHMAC([token.output], [:]).status == 0)
        let fips = try Self.fipsConfiguration()
        let refusedSign = try Self.signHMAC("HS256", fips)
        #expect(refusedSign.status != 0 && refusedSign.stdout.isEmpty, "\(refusedSign)")
        let refusedVerify = try Self.verifyHMAC([token.output], fips)
        #expect(refusedVerify.status != 0, "\(refusedVerify)")
        #expect(!refusedVerify.stdout.hasPrefix("valid"), "\(refusedVerify)")
    }
}
