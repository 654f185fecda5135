import Foundation
import Testing

/// An Authorization header of a scheme that carries no JWT is named as such, not reported as
/// a token with one segment. Failed before its fix.
@Suite("Authorization schemes without a JWT")
struct AuthorizationSchemeTests {
    @Test("decode and verify name the Basic scheme of a pasted Authorization header")
    func basicScheme() throws {
        let decoded = try Tokenctl.run(["decode", "Authorization: Basic dXNlcjpwYXNz"])
        #expect(decoded.status == 1, "\(decoded)")
        #expect(decoded.stderr.contains("error[malformed]: this is an Authorization value of the Basic scheme"), "\(decoded)")
        #expect(!decoded.stderr.contains("1 segment"), "\(decoded)")
        let verified = try Tokenctl.run(
            ["verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), "--json"], input: "Authorization: Negotiate YIIGhgYGKwYBBQUC\n")
        #expect(verified.status == 1, "\(verified)")
        #expect(verified.stdout.contains("Negotiate scheme"), "\(verified)")
    }
}
