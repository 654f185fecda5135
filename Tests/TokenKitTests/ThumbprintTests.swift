import Testing
@testable import TokenKit

@Suite("JWK thumbprint (RFC 7638)")
struct ThumbprintTests {
    static let rfc7638N =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
        + "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgd"
        + "AZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCu"
        + "r-kEgU8awapJzKnqDKgw"

    @Test("matches the RFC 7638 §3.1 example")
    func rfc7638Example() throws {
        let jwk = JSONObject([
            ("kty", .string("RSA")), ("n", .string(Self.rfc7638N)), ("e", .string("AQAB")),
            ("alg", .string("RS256")), ("kid", .string("2011-04-29")),
        ])
        let key = try Key(jwk: jwk)
        #expect(key.type == .rsa(bits: 2048))
        #expect(key.kid == "2011-04-29")
        #expect(key.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("matches the RFC 8037 appendix A.3 Ed25519 example")
    func rfc8037Example() throws {
        let jwk = JSONObject([
            ("kty", .string("OKP")), ("crv", .string("Ed25519")),
            ("x", .string("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")),
        ])
        #expect(try Key(jwk: jwk).thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test("oct keys hash {\"k\",\"kty\"}")
    func octThumbprint() throws {
        let key = try Key(jwk: JSONObject([("kty", .string("oct")), ("k", .string(Base64URL.encode([UInt8](repeating: 1, count: 32))))]))
        #expect(key.thumbprint() == "qxCHshN8PwafMF-QBPVzXD3S4bHcXL78UW4f8SjvPZg")
    }

    @Test("ignores metadata and is the same for the private and the public half")
    func stable() throws {
        for algorithm in [Algorithm.es256, .es512, .rs256, .edDSA, .ed448, .es256k] {
            var key = try KeyFixtures.key(for: algorithm)
            let thumbprint = key.thumbprint()
            #expect(thumbprint.utf8.count == 43)
            key.kid = "other"
            key.use = "sig"
            #expect(key.thumbprint() == thumbprint)
            #expect(try Key(jwk: #require(key.publicJWK())).thumbprint() == thumbprint)
        }
        #expect(try Key.generate(for: .es256).thumbprint() != Key.generate(for: .es256).thumbprint())
    }
}
