import Testing
@testable import TokenKit

@Suite("Key material given where a path belongs is never shown")
struct SecretReferenceKeyMaterialTests {
    @Test("PEM, JWK, JWKS and multi-line text look like key material", arguments: [
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
        "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", "  {\"keys\":[]}", "[{\"kty\":\"EC\"}]", "line one\nline two",
    ])
    func keyMaterial(argument: String) {
        #expect(SecretReference.looksLikeKeyMaterial(argument))
        #expect(!FileAccess.quoted(argument).contains(argument))
    }

    @Test("ordinary paths are shown", arguments: ["key.pem", "/etc/app/keys", "./jwks.json", "C:{weird}.pem", ""])
    func paths(path: String) {
        #expect(!SecretReference.looksLikeKeyMaterial(path))
        #expect(FileAccess.quoted(path) == "'\(path)'")
    }
}
