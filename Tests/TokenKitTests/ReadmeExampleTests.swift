import Testing
import TokenKit

/// The README's TokenKit example, kept compiling and true.
@Suite("README example")
struct ReadmeExampleTests {
    @Test("signs and verifies as the README shows")
    func example() throws {
        let key = try Key.generate(for: .es256)
        var claims = ClaimSetBuilder()
        claims.set("sub", .string("alice"))
        claims.fillDefaults(now: 1_800_000_000, lifetime: ClaimSetBuilder.defaultLifetime)
        let token = try TokenSigner(key: key).sign(claims.claims)

        let requirements = ClaimRequirements(now: 1_800_000_060)
        let verifier = TokenVerifier(
            signatureVerifier: try SignatureVerifier(keys: [key]), requirements: requirements)
        let verified = try verifier.verify(token)
        #expect(verified.claims.object["sub"] == .string("alice"))
        #expect(verified.algorithm == .es256)

        var late = verifier
        late.requirements.now = 1_800_000_900
        #expect(throws: TokenError(.expired, "")) { try late.verify(token) }
    }
}
