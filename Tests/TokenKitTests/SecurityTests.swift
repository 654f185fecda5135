import Testing
@testable import TokenKit

/// Issue 7: the guards on secrets, Edwards points, comparisons and revocation lists.
@Suite("Security guards")
struct SecurityTests {
    @Test("strings compare by UTF-8 bytes, never by canonical equivalence")
    func byteEquality() {
        #expect("K".isByteEqual(to: "K"))
        #expect(!"\u{212A}".isByteEqual(to: "K"))
        #expect(!"jose\u{301}".isByteEqual(to: "jos\u{E9}"))
        #expect(["a", "\u{212A}"].containsBytes(of: "\u{212A}"))
        #expect(!["a", "\u{212A}"].containsBytes(of: "K"))
        #expect("Application/JWT".isASCIICaseInsensitiveByteEqual(to: "application/jwt"))
        #expect(!"JW\u{212A}".isASCIICaseInsensitiveByteEqual(to: "jwk"))
        #expect("NoNe".isASCIICaseInsensitiveByteEqual(to: "none"))
        #expect(!"none ".isASCIICaseInsensitiveByteEqual(to: "none"))
        #expect(!"non".isASCIICaseInsensitiveByteEqual(to: "none"))
        #expect(!"HS256".isASCIICaseInsensitiveByteEqual(to: "none"))
        #expect(Algorithm(rawValue: "ES256K") == .es256k)
        #expect(Algorithm(rawValue: "ES256\u{212A}") == nil)
    }

    @Test("JSON member names differing only by equivalence are distinct members")
    func memberNames() throws {
        let object = try JSONParser.parseObject(Array("{\"K\":1,\"\u{212A}\":2}".utf8), what: "test", code: .malformed)
        #expect(object.count == 2)
        #expect(object["K"]?.numberValue?.int64Value == 1)
        #expect(object["\u{212A}"]?.numberValue?.int64Value == 2)
        #expect(throws: TokenError(.malformed, "")) {
            try JSONParser.parseObject(Array(#"{"a":1,"a":2}"#.utf8), what: "test", code: .malformed)
        }
    }

    @Test("a token with aud needs an expected audience or ignoreAudience")
    func audienceRequired() throws {
        let claims = try JWTClaims(payload: Array(#"{"aud":"api","exp":1900000000}"#.utf8))
        var requirements = ClaimRequirements(now: 1_800_000_000)
        #expect(throws: TokenError(.audienceMismatch, "")) { try requirements.check(header: JSONObject(), claims: claims) }
        requirements.ignoreAudience = true
        try requirements.check(header: JSONObject(), claims: claims)
        requirements.ignoreAudience = false
        requirements.audiences = ["api"]
        try requirements.check(header: JSONObject(), claims: claims)
    }

    @Test("revocation lists: exact ids, comments, blank lines, CRLF, spaces")
    func revocationList() throws {
        let list = try RevocationList(fileContents: Array("# c\r\n  a-1 \r\n\n\tb-2\n\u{212A}".utf8))
        #expect(list.count == 3)
        #expect(list.contains("a-1") && list.contains("b-2") && list.contains("\u{212A}"))
        #expect(!list.contains("K") && !list.contains("# c") && !list.contains("a-") && !list.contains(""))
        let literal: RevocationList = ["x", "y"]
        #expect(literal.contains("y") && !literal.contains("z"))
        #expect(RevocationList().isEmpty)
        let many = RevocationList(ids: (0..<10_000).map { "id-\($0)" })
        #expect((0..<10_000).allSatisfy { many.contains("id-\($0)") })
        #expect(!many.contains("id-10000"))
    }

    @Test("public key material is recognized anywhere in a would-be secret")
    func publicKeyMaterial() {
        #expect(Key.publicKeyMaterialKind(Array(#" {"keys":[]}"#.utf8)) != nil)
        #expect(Key.publicKeyMaterialKind(Array(#"{"kty":"EC"}"#.utf8)) != nil)
        #expect(Key.publicKeyMaterialKind([0xEF, 0xBB, 0xBF] + Array(#"{"keys":[{"kty":"EC"}]}"#.utf8)) != nil)
        #expect(Key.publicKeyMaterialKind(Array(String(repeating: "z", count: 8000).utf8) + Array("-----BEGIN PUBLIC KEY-----".utf8)) != nil)
        #expect(Key.publicKeyMaterialKind(Array("command=\"x\" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC".utf8)) != nil)
        #expect(Key.publicKeyMaterialKind(Array("a-very-long-hmac-secret-of-at-least-32-bytes!".utf8)) == nil)
        #expect(Key.publicKeyMaterialKind(Array("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==".utf8)) == nil)
        #expect(Key.publicKeyMaterialKind(Array(#"{"password":"hunter2hunter2hunter2hunter2"}"#.utf8)) == nil)
    }

    @Test("a JWKS member whose kty only reads as OKP (KELVIN SIGN) is skipped like an unknown kty")
    func kelvinKty() throws {
        let k = Base64URL.encode(Array("a-very-long-hmac-secret-of-at-least-32-bytes!".utf8))
        let jwks = "{\"keys\":[{\"kty\":\"O\u{212A}P\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"},{\"kty\":\"oct\",\"k\":\"\(k)\"}]}"
        let keys = try KeySource.keys(from: Array(jwks.utf8))
        #expect(keys.count == 1)
        #expect(keys.first?.type == .oct(byteCount: 45))
    }

    @Test("weak secrets: short, or one byte repeated")
    func weakSecrets() {
        #expect(Key.weakHMACSecretReason([UInt8](repeating: 0, count: 32)) != nil)
        #expect(Key.weakHMACSecretReason([UInt8](repeating: 0x41, count: 64)) != nil)
        #expect(Key.weakHMACSecretReason([UInt8](repeating: 0x41, count: 31) + [0x42]) == nil)
        #expect(Key.weakHMACSecretReason([UInt8](repeating: 0x41, count: 30) + [0x42]) != nil)
        #expect(throws: TokenError(.weakKey, "")) { try Key(hmacSecret: [UInt8](repeating: 0, count: 32)) }
    }

    @Test("Edwards points: small order and non-canonical encodings are refused")
    func edwards() {
        let p25519 = [UInt8(0xED)] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
        var neutral = [UInt8](repeating: 0, count: 32)
        neutral[0] = 1
        #expect(EdwardsEncoding.weakness(neutral, curve: .ed25519) != nil)
        var neutralSigned = neutral
        neutralSigned[31] = 0x80
        #expect(EdwardsEncoding.weakness(neutralSigned, curve: .ed25519) != nil)
        #expect(EdwardsEncoding.weakness(p25519, curve: .ed25519) != nil)  // y = p
        var pPlusOne = p25519
        pPlusOne[0] = 0xEE
        #expect(EdwardsEncoding.weakness(pPlusOne, curve: .ed25519) != nil)
        var order8 = [UInt8](repeating: 0, count: 32)
        for (index, byte) in [0xC7, 0x17, 0x6A, 0x70, 0x3D, 0x4D, 0xD8, 0x4F, 0xBA, 0x3C, 0x0B, 0x76, 0x0D, 0x10, 0x67, 0x0F,
                              0x2A, 0x20, 0x53, 0xFA, 0x2C, 0x39, 0xCC, 0xC6, 0x4E, 0xC7, 0xFD, 0x77, 0x92, 0xAC, 0x03, 0xFA].enumerated() {
            order8[index] = UInt8(byte)
        }
        #expect(EdwardsEncoding.weakness(order8, curve: .ed25519) != nil)
        // The RFC 8032 test 1 public key is fine.
        let rfc8032: [UInt8] = [0xD7, 0x5A, 0x98, 0x01, 0x82, 0xB1, 0x0A, 0xB7, 0xD5, 0x4B, 0xFE, 0xD3, 0xC9, 0x64, 0x07, 0x3A,
                                0x0E, 0xE1, 0x72, 0xF3, 0xDA, 0xA6, 0x23, 0x25, 0xAF, 0x02, 0x1A, 0x68, 0xF7, 0x07, 0x51, 0x1A]
        #expect(EdwardsEncoding.weakness(rfc8032, curve: .ed25519) == nil)
        var neutral448 = [UInt8](repeating: 0, count: 57)
        neutral448[0] = 1
        #expect(EdwardsEncoding.weakness(neutral448, curve: .ed448) != nil)
        var stray = [UInt8](repeating: 0x12, count: 57)
        stray[56] = 0x01
        #expect(EdwardsEncoding.weakness(stray, curve: .ed448) != nil)
        stray[56] = 0x80
        #expect(EdwardsEncoding.weakness(stray, curve: .ed448) == nil)
    }

    @Test("secret references: variable names and paths")
    func secretReferences() {
        #expect(SecretReference.isPlausibleVariableName("JWT_SECRET"))
        #expect(SecretReference.isPlausibleVariableName("_x1"))
        #expect(!SecretReference.isPlausibleVariableName("1abc"))
        #expect(!SecretReference.isPlausibleVariableName("s3cr3t!value"))
        #expect(!SecretReference.isPlausibleVariableName(""))
        #expect(throws: TokenError(.invalidValue, "")) {
            try SecretReference.environmentValue("not a name", in: [:], what: "secret")
        }
        #expect(throws: TokenError(.inputUnreadable, "")) {
            try SecretReference.fileContents("/nonexistent/secret value", what: "secret file")
        }
    }
}
