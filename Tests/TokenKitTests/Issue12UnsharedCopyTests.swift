import Testing

@testable import TokenKit

/// ``TokenVerifier/unsharedCopy()``: each `verify --jobs` thread verifies with a copy that
/// shares no reference-counted object with the others; the copy must verify exactly as the
/// original does.
@Suite("issue 12: a verifier's unshared copy")
struct Issue12UnsharedCopyTests {
    typealias Usual = Issue12UsualPathTests

    @Test("the copy gives the original's verdict on generated and mutated tokens, on both paths")
    func sameVerdicts() throws {
        var generator = Usual.Generator(state: 0x0DDB_A11C_0FFE_E123)
        for verifier in try Usual.verifiers() {
            let copy = verifier.unsharedCopy()
            for _ in 0..<300 {
                let header = generator.below(3) == 0 ? generator.pick(Usual.headers) : Usual.headers[0]
                var token = try Usual.token(
                    header: header, payload: Usual.claimSet(&generator),
                    key: generator.below(8) == 0 ? Usual.otherSecret : Usual.secret)
                if generator.below(6) == 0 { token = Issue12ClaimScannerTests.mutate(token, &generator) }
                #expect(Usual.general(copy, token) == Usual.general(verifier, token), "\(String(decoding: token, as: UTF8.self))")
                #expect(Usual.usual(copy, token) == Usual.usual(verifier, token), "\(String(decoding: token, as: UTF8.self))")
            }
        }
    }

    @Test("an ES256 key and a kid: the copy verifies what the original signed, and rejects the rest alike")
    func asymmetricKey() throws {
        let key = try Key.generate(for: .es256)
        let signer = try TokenSigner(key: key, algorithm: .es256, kid: "a-key-id-longer-than-fifteen-bytes")
        var requirements = ClaimRequirements(now: Usual.now)
        requirements.audiences = ["an-audience-longer-than-fifteen-bytes"]
        requirements.requireExpiration = false
        let verifier = TokenVerifier(signatureVerifier: try SignatureVerifier(keys: [Self.publicKey(of: key, kid: "a-key-id-longer-than-fifteen-bytes")]), requirements: requirements)
        let copy = verifier.unsharedCopy()
        for audience in ["an-audience-longer-than-fifteen-bytes", "another"] {
            let token = try signer.sign(JSONObject([("sub", .string("u1")), ("aud", .string(audience))]))
            for text in [token, String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")] {
                let bytes = Array(text.utf8)
                #expect(Usual.general(copy, bytes) == Usual.general(verifier, bytes))
                #expect(Usual.usual(copy, bytes) == Usual.usual(verifier, bytes))
            }
        }
    }

    @Test("the copy's secrets, OpenSSL key wrappers and long names are objects of its own")
    func sharesNothing() throws {
        var secret = try Key(hmacSecret: Usual.secret)
        secret.kid = "a-key-id-longer-than-fifteen-bytes"
        let ecKey = try Self.publicKey(of: Key.generate(for: .es256), kid: "another-key-id-longer-than-fifteen-bytes")
        var requirements = ClaimRequirements(now: Usual.now)
        requirements.audiences = ["an-audience-longer-than-fifteen-bytes"]
        for keys in [[secret], [ecKey]] {
            let verifier = TokenVerifier(signatureVerifier: try SignatureVerifier(keys: keys), requirements: requirements)
            let copy = verifier.unsharedCopy()
            let (original, copied) = (verifier.signatureVerifier.keys[0].material, copy.signatureVerifier.keys[0].material)
            switch (original, copied) {
            case (.secret(let a), .secret(let b)):
                #expect(a !== b)
                #expect(a.hmacContexts !== b.hmacContexts)
                #expect(a.withUnsafeBytes { Array($0) } == b.withUnsafeBytes { Array($0) })
            case (.asymmetric(let a), .asymmetric(let b)):
                #expect(a !== b)
                #expect(a.pointer == b.pointer)  // one OpenSSL key, referenced twice
            default:
                Issue.record("the copy's key material is of another kind")
            }
            #expect(Self.storage(copy.signatureVerifier.keys[0].kid) != Self.storage(verifier.signatureVerifier.keys[0].kid))
            #expect(copy.signatureVerifier.keys[0].kid == verifier.signatureVerifier.keys[0].kid)
            #expect(Self.storage(copy.requirements.audiences.first) != Self.storage(verifier.requirements.audiences.first))
            #expect(copy.requirements.audiences == verifier.requirements.audiences)
        }
    }

    /// The public half of `key`, with `kid`.
    static func publicKey(of key: Key, kid: String) throws -> Key {
        var publicKey = try Key(pemRepresentation: key.publicPEM())
        publicKey.kid = kid
        return publicKey
    }

    /// Where a string's bytes live (`nil` for none or a small string, kept in the value).
    static func storage(_ text: String?) -> UnsafeRawPointer? {
        guard let text, text.utf8.count > 15 else { return nil }
        return text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }
}
