import Foundation
import Testing

/// Issue 6, cleaner boundaries: the key-source rules live in TokenKit (KeySource.signingKey(among:),
/// Keyset.loadOrCreateDefault), whose errors name no option; tokenctl adds the option as a hint.
@Suite("Issue 6: library and CLI boundaries")
struct Issue6BoundaryTests {
    static let now = "1800000000"

    @Test("issue-6: a key file of several keys and no --kid: TokenKit's reason, then tokenctl's --kid hint")
    func severalKeysHint() throws {
        let jwks = Tokenctl.fixture("keys/private-no-kid.jwks.json")
        let result = try Tokenctl.run(["sign", "--key", jwks, "--sub", "alice", "--aud", "api"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "tokenctl: sign: error[key_unsuitable]: '\(jwks)' holds 2 keys; name one by its kid "
            + "(or by the RFC 7638 thumbprint of a key without one); pass it with --kid, or use --keyset for a managed keyset\n",
            "\(result)")
    }

    @Test("issue-6: verify with no key and no default keyset names the key options")
    func verifyWithoutKey() throws {
        let signed = try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/p256.pem"), "--sub", "alice", "--aud", "api"])
        #expect(signed.status == 0, "\(signed)")
        let result = try Tokenctl.run(["verify", "--aud", "api", signed.output])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.hasPrefix("tokenctl: verify: error[key_unsuitable]: no key given and no default keyset in "), "\(result)")
        #expect(result.stderr.hasSuffix(
            ": pass --key FILE, --jwks URL|FILE, --issuer-url URL, --secret-file FILE, --secret-env VAR or --keyset DIR\n"), "\(result)")
    }

    @Test("issue-6: sign with no key and no default keyset location says which variables to set")
    func signWithoutLocation() throws {
        let result = try Tokenctl.run(["sign", "--sub", "alice", "--aud", "api"], environment: ["HOME": ""])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr == "tokenctl: sign: error[key_unsuitable]: no key given and no default keyset location "
            + "(set HOME, XDG_CONFIG_HOME or TOKENCTL_KEYSET); pass --key FILE, --secret-file FILE, --secret-env VAR "
            + "or --keyset DIR\n", "\(result)")
    }

    @Test("issue-6: the first sign creates the default keyset and says so; the second uses it quietly")
    func defaultKeysetCreated() throws {
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let first = try Tokenctl.run(["sign", "--sub", "alice", "--aud", "api"], home: home)
        #expect(first.status == 0, "\(first)")
        let directory = home.path + "/.config/tokenctl/keyset"
        #expect(first.stderr.contains("created a new ES256 keyset in \(directory); publish \(directory)/jwks.json to verifiers"), "\(first)")
        let second = try Tokenctl.run(["sign", "--sub", "alice", "--aud", "api"], home: home)
        #expect(second.status == 0 && second.stderr.isEmpty, "\(second)")
        let verified = try Tokenctl.run(["verify", "--aud", "api", "-q", second.output], home: home)
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("issue-6: inspect-size --fail-on and --format take exactly the listed values")
    func inspectSizeChoices() throws {
        let bad = try Tokenctl.run(["inspect-size", "--fail-on", "info", "--claims", #"{"sub":"a"}"#])
        #expect(bad.status == 2 && bad.stderr.contains("error[invalid_value]") && bad.stderr.contains("error, warning"), "\(bad)")
        let format = try Tokenctl.run(["inspect-size", "--format", "yaml", "--claims", #"{"sub":"a"}"#])
        #expect(format.status == 2 && format.stderr.contains("text, json, github"), "\(format)")
        let warning = try Tokenctl.run(["inspect-size", "--fail-on", "warning", "--now", Self.now, "--claims", #"{"sub":"a","email":"a@b.c"}"#])
        #expect(warning.status == 1, "\(warning)")
    }
}
