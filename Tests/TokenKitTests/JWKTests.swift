import Testing
@testable import TokenKit

@Suite("JWK")
struct JWKTests {
    static func object(_ text: String) throws -> JSONObject {
        try #require(try JSONParser.parse(text).objectValue)
    }

    static func replacing(_ jwk: JSONObject, _ name: String, with value: String?) -> JSONObject {
        var copy = jwk
        copy[name] = value.map(JSONValue.string)
        return copy
    }

    @Test("private and public JWKs round-trip for every key type", arguments: [
        Algorithm.rs256, .es256, .es384, .es512, .es256k, .edDSA, .ed448, .hs256, .hs512,
    ])
    func roundTrip(algorithm: Algorithm) throws {
        var key = try KeyFixtures.key(for: algorithm)
        key.kid = "k1"
        key.use = "sig"
        key.keyOperations = ["sign", "verify"]
        let privateJWK = try key.privateJWK()
        let reloaded = try Key(jwk: privateJWK)
        #expect(reloaded.isPrivate)
        #expect(reloaded.type == key.type)
        #expect(reloaded.kid == "k1")
        #expect(reloaded.algorithm == algorithm)
        #expect(reloaded.use == "sig")
        #expect(reloaded.keyOperations == ["sign", "verify"])
        #expect(try reloaded.privateJWK() == privateJWK)
        let input: [UInt8] = Array("a.b".utf8)
        let signature = try reloaded.signature(for: input, algorithm: algorithm)
        #expect(key.isValidSignature(signature, for: input, algorithm: algorithm))

        if case .oct = key.type {
            #expect(key.publicJWK() == nil)
            #expect(privateJWK.names == ["kty", "k", "kid", "alg", "use", "key_ops"])
            return
        }
        let publicJWK = try #require(key.publicJWK())
        let publicKey = try Key(jwk: publicJWK)
        #expect(!publicKey.isPrivate)
        #expect(publicKey.publicJWK() == publicJWK)
        #expect(throws: TokenError(.keyUnsuitable, "")) { try publicKey.privateJWK() }
        let expectedNames: [String]
        let privateNames: [String]
        switch key.type {
        case .rsa:
            expectedNames = ["kty", "n", "e"]
            privateNames = ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"]
        case .ec:
            expectedNames = ["kty", "crv", "x", "y"]
            privateNames = expectedNames + ["d"]
        default:
            expectedNames = ["kty", "crv", "x"]
            privateNames = expectedNames + ["d"]
        }
        #expect(publicJWK.names == expectedNames + ["kid", "alg", "use"])
        #expect(privateJWK.names == privateNames + ["kid", "alg", "use", "key_ops"])
    }

    @Test("EC coordinates must have exactly the curve's length")
    func ecLengths() throws {
        let jwk = try Key.generate(for: .es256).privateJWK()
        for name in ["x", "y", "d"] {
            let bytes = try Base64URL.decode(jwk[name]!.stringValue!)
            let short = Base64URL.encode(bytes.dropFirst())
            let long = Base64URL.encode([0] + bytes)
            #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: Self.replacing(jwk, name, with: short)) }
            #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: Self.replacing(jwk, name, with: long)) }
        }
        let p521 = try Key.generate(for: .es512).privateJWK()
        #expect(try Base64URL.decode(p521["x"]!.stringValue!).count == 66)
        #expect(try Base64URL.decode(p521["d"]!.stringValue!).count == 66)
    }

    @Test("a point off the curve is rejected")
    func offCurve() throws {
        let jwk = try #require(try Key.generate(for: .es256).publicJWK())
        var y = try Base64URL.decode(jwk["y"]!.stringValue!)
        y[31] ^= 0x01
        #expect(throws: TokenError(.malformedKey, "")) {
            try Key(jwk: Self.replacing(jwk, "y", with: Base64URL.encode(y)))
        }
        let zeros = Base64URL.encode([UInt8](repeating: 0, count: 32))
        #expect(throws: TokenError(.malformedKey, "")) {
            try Key(jwk: Self.replacing(Self.replacing(jwk, "x", with: zeros), "y", with: zeros))
        }
    }

    @Test("a private part that does not match the public part is rejected", arguments: [
        Algorithm.es256, .es256k, .edDSA, .ed448, .rs256,
    ])
    func mismatchedPrivate(algorithm: Algorithm) throws {
        let first = try KeyFixtures.key(for: algorithm).privateJWK()
        let second = try KeyFixtures.otherKey(for: algorithm).privateJWK()
        var mixed = first
        mixed["d"] = second["d"]
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: mixed) }
        if algorithm == .rs256 {
            var wrongPrime = first
            wrongPrime["p"] = second["p"]
            #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: wrongPrime) }
        }
    }

    @Test("RFC 8037 appendix A.1 Ed25519 private key loads; a wrong x does not")
    func rfc8037PrivateKey() throws {
        let jwk = try Self.object("""
            {"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
             "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
            """)
        let key = try Key(jwk: jwk)
        #expect(key.isPrivate)
        // RFC 8037 A.4: the signature of the example JWS is deterministic.
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let expected = try Base64URL.decode(
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
        #expect(try key.signature(for: input, algorithm: .edDSA) == expected)
        let otherX = Base64URL.encode([UInt8](repeating: 7, count: 32))
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: Self.replacing(jwk, "x", with: otherX)) }
    }

    @Test("weak keys", arguments: [
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"}"#,  // 31 bytes
        #"{"kty":"oct","alg":"HS512","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"}"#,  // 32 bytes
    ])
    func weak(text: String) throws {
        let jwk = try Self.object(text)
        #expect(throws: TokenError(.weakKey, "")) { try Key(jwk: jwk) }
    }

    @Test("RSA under 2048 bits is weak")
    func weakRSA() throws {
        // The RFC 7638 modulus cut to 1024 bits.
        let n = try Base64URL.decode(ThumbprintTests.rfc7638N)
        let jwk = JSONObject([("kty", .string("RSA")), ("n", .string(Base64URL.encode(n.prefix(128)))), ("e", .string("AQAB"))])
        #expect(throws: TokenError(.weakKey, "")) { try Key(jwk: jwk) }
    }

    @Test("malformed JWKs", arguments: [
        #"{"kty":"XYZ"}"#,
        #"{"n":"AQAB","e":"AQAB"}"#,
        #"{"kty":5}"#,
        #"{"kty":"oct"}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","alg":"none"}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","alg":"ES256"}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","alg":"hs256"}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","kid":7}"#,
        #"{"kty":"oct","k":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","key_ops":"sign"}"#,
        #"{"kty":"EC","crv":"P-192","x":"AAAA","y":"AAAA"}"#,
        #"{"kty":"EC","crv":"P-256"}"#,
        #"{"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}"#,
        #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"ES256"}"#,
        #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"RSA-OAEP"}"#,
        #"{"kty":"OKP","crv":"Ed448","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
    ])
    func malformed(text: String) throws {
        let jwk = try Self.object(text)
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: jwk) }
    }

    @Test("RSA JWK strictness: exponent, multi-prime, partial private key")
    func rsaStrictness() throws {
        let jwk = try KeyFixtures.key(for: .rs256).privateJWK()
        var multiPrime = jwk
        multiPrime["oth"] = .array([])
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: multiPrime) }
        var partial = jwk
        partial["qi"] = nil
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: partial) }
        let publicJWK = try #require(try Key(jwk: jwk).publicJWK())
        for e in ["AQ", "Ag", "AQAA", "AAAA", Base64URL.encode([UInt8](repeating: 0xFF, count: 9))] {
            #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: Self.replacing(publicJWK, "e", with: e)) }
        }
        // An even modulus is not an RSA key.
        var n = try Base64URL.decode(publicJWK["n"]!.stringValue!)
        n[n.count - 1] &= 0xFE
        #expect(throws: TokenError(.malformedKey, "")) {
            try Key(jwk: Self.replacing(publicJWK, "n", with: Base64URL.encode(n)))
        }
    }

    @Test("JWKSet publishes public keys only and stores private ones")
    func jwkSet() throws {
        var ec = try Key.generate(for: .es256)
        ec.kid = "ec"
        var hmac = try Key.generate(for: .hs256)
        hmac.kid = "hmac"
        let set = JWKSet(keys: [ec, hmac])
        let published = set.publicJSON()
        let publishedKeys = try #require(published["keys"]?.arrayValue)
        #expect(publishedKeys.count == 1)
        #expect(publishedKeys.first?.objectValue?["d"] == nil)
        #expect(publishedKeys.first?.objectValue?["kid"] == .string("ec"))
        let stored = try set.privateJSON()
        let reloaded = try KeySource.keys(from: Array(stored.serialized.utf8))
        #expect(reloaded.map(\.kid) == ["ec", "hmac"])
        #expect(reloaded.allSatisfy { $0.isPrivate })
        let publicOnly = JWKSet(keys: [try Key(jwk: #require(ec.publicJWK()))])
        #expect(throws: TokenError(.keyUnsuitable, "")) { try publicOnly.privateJSON() }
    }
}
