import Foundation
import Testing

/// ECDSA and SHA-2 call libcrypto's built-in code only when no OpenSSL configuration is loaded
/// (issue 12): a configuration decides which providers run them, so a property query it sets
/// binds ES256 too, and what one path signs the other verifies.
@Suite("issue 12: built-in ECDSA only without an OpenSSL configuration")
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

    static func sign(_ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/p256.pkcs8.pem"), "--now", now, "--sub", "a"],
                         environment: environment)
    }

    static func verify(_ token: String, _ environment: [String: String]) throws -> RunResult {
        try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.spki.pem"), "--now", now, "-q", token],
                         environment: environment)
    }

    @Test("a token signed through the providers verifies without a configuration, and the other way round")
    func pathsAgree() throws {
        // A configuration that configures something (so it is loaded) without changing a provider.
        let configured = ["OPENSSL_CONF": try Self.configuration("random = random_section\n[random_section]")]
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
        let fips = ["OPENSSL_CONF": try Self.configuration("alg_section = evp_properties\n[evp_properties]\ndefault_properties = fips=yes")]
        let refused = try Self.verify(token.output, fips)
        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stdout.isEmpty, "\(refused)")
    }
}
