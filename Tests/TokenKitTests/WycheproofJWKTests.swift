import Foundation
import Testing
import TokenKit

/// Every case of Wycheproof's `json_web_key_test.json` (26 cases): key sets that must be
/// refused (weak, malformed, mixed, for encryption) and ones that must work.
@Suite("Wycheproof JWK vectors")
struct WycheproofJWKTests {
    static let fileName = "json_web_key_test.json"

    /// The code each invalid case is rejected with. Pinned per case: each tests one key check.
    static let expectedRejections: [Int: TokenError.Code] = [
        1: .keyUnsuitable,  // HMAC secret and EC public key in one set (MixedKeySet)
        3: .signatureInvalid,  // modified signature
        // DuplicateKid: refused because the second key's "k" is not canonical base64url (its
        // last character has non-zero unused bits), before the duplicate kid matters; see
        // duplicateKidWithCanonicalKeys for what happens with two well-formed keys.
        4: .malformedKey,
        6: .malformedKey,  // the only key is "use": "enc" (RSA1_5): no signature key left
        7: .weakKey,  // ROCA modulus (CVE-2017-15361)
        8: .weakKey,  // 1024-bit RSA
        9: .malformedKey,  // e = 1
        10: .weakKey, 11: .weakKey, 12: .weakKey,  // oct shorter than the HS* hash
        16: .malformedKey, 17: .malformedKey, 18: .malformedKey,  // empty oct key
        19: .malformedKey,  // P-256 key with alg ES521 (not a JWS algorithm): skipped, none left
        20: .malformedKey,  // P-256 key with alg ES224: skipped, none left
        21: .malformedKey,  // "use": "enc": skipped, none left
        22: .malformedKey,  // point not on the curve
        23: .malformedKey,  // P-256 coordinates under crv P-384
        24: .malformedKey,  // EC members under kty RSA
        25: .malformedKey, 26: .malformedKey,  // oct keys for A256GCM / A256KW: skipped, none left
    ]

    @Test("every case: valid verifies, invalid is rejected with its pinned code")
    func everyCase() throws {
        let cases = try Wycheproof.cases(Self.fileName)
        try #require(cases.count == 26)
        var tally = Tally()
        for testCase in cases {
            #expect(!testCase.isJSONSerialization, "\(testCase): JSON serialization")
            let jws = try #require(testCase.jws.stringValue, "\(testCase)")
            let outcome = VerificationOutcome.of(jws: jws, keyJSON: testCase.keyJSON)
            switch testCase.result {
            case .valid:
                #expect(!outcome.isRejected, "\(testCase): valid, expected to verify, got \(outcome)")
                #expect(Self.expectedRejections[testCase.tcId] == nil, "\(testCase) is valid but pinned")
                if !outcome.isRejected { tally.validVerified += 1 }
            case .invalid:
                let expected = Self.expectedRejections[testCase.tcId]
                #expect(expected != nil, "\(testCase): invalid case without a pinned code (got \(outcome))")
                #expect(outcome == expected.map(VerificationOutcome.rejected), "\(testCase): expected \(expected.map(String.init(describing:)) ?? "a rejection"), got \(outcome)")
                if case .rejected(let code) = outcome {
                    tally.invalidRejected += 1
                    tally.codes[code.id, default: 0] += 1
                }
            case .acceptable:
                Issue.record("\(testCase): 'acceptable' has no policy here; decide one")
            }
        }
        print("Wycheproof JWK: \(tally)")
        #expect(tally.validVerified == 5)
        #expect(tally.invalidRejected == 21)
        #expect(tally.invalidRejected == Self.expectedRejections.count)
    }

    @Test("tcId 7: the ROCA key is refused however it is given (JWK, JWKS, PEM)")
    func rocaKey() throws {
        let testCase = try #require(try Wycheproof.cases(Self.fileName).first { $0.tcId == 7 })
        let jwk = try #require(testCase.keyJSON.objectValue?["keys"]?.arrayValue?.first?.objectValue)
        #expect(throws: TokenError(.weakKey, "")) { try Key(jwk: jwk) }
        #expect(throws: TokenError(.weakKey, "")) { try KeySource.keys(from: testCase.keyJSON.serializedBytes) }
        // The same public key as a PKCS#1 "RSA PUBLIC KEY" PEM.
        let n = try Base64URL.decode(try #require(jwk["n"]?.stringValue))
        let e = try Base64URL.decode(try #require(jwk["e"]?.stringValue))
        let pem = Self.pkcs1PublicKeyPEM(n: n, e: e)
        #expect(throws: TokenError(.weakKey, "")) { try Key(pemRepresentation: pem) }
        // An ordinary key written the same way loads: the PEM itself is fine.
        let ordinary = try #require(try KeyFixtures.key(for: .rs256).publicJWK())
        let ordinaryPEM = Self.pkcs1PublicKeyPEM(
            n: try Base64URL.decode(try #require(ordinary["n"]?.stringValue)),
            e: try Base64URL.decode(try #require(ordinary["e"]?.stringValue)))
        #expect(throws: Never.self) { try Key(pemRepresentation: ordinaryPEM) }
    }

    /// DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 §A.1.1) as PEM.
    static func pkcs1PublicKeyPEM(n: [UInt8], e: [UInt8]) -> String {
        func length(_ count: Int) -> [UInt8] {
            if count < 0x80 { return [UInt8(count)] }
            let bytes = withUnsafeBytes(of: UInt32(count).bigEndian, Array.init).drop { $0 == 0 }
            return [0x80 | UInt8(bytes.count)] + bytes
        }
        func integer(_ magnitude: [UInt8]) -> [UInt8] {
            let trimmed = Array(magnitude.drop { $0 == 0 })
            let body = (trimmed.first ?? 0x80) >= 0x80 ? [0] + trimmed : trimmed
            return [0x02] + length(body.count) + body
        }
        let body = integer(n) + integer(e)
        let der = [0x30] + length(body.count) + body
        return "-----BEGIN RSA PUBLIC KEY-----\n"
            + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END RSA PUBLIC KEY-----\n"
    }

    @Test("two keys with one kid: both are candidates, and the one that signed is reported")
    func duplicateKidWithCanonicalKeys() throws {
        // Wycheproof tcId 4 means this case ("Ambiguous": best practice is to refuse the set),
        // but its second key is malformed. With two well-formed keys TokenKit tries both
        // (RFC 7517 §4.5 makes distinct kids a SHOULD); the verdict stays the signature's.
        var first = try Key(hmacSecret: Array(repeating: 0x11, count: 31) + [0x01])
        var second = try Key(hmacSecret: Array(repeating: 0x22, count: 31) + [0x01])
        first.kid = "same"
        second.kid = "same"
        let verifier = try SignatureVerifier(keys: [first, second])
        for signer in [first, second] {
            let token = try TokenSigner(key: signer, algorithm: .hs256).sign(JSONObject([("sub", .string("x"))]))
            let match = try verifier.verify(try CompactToken(token))
            #expect(match.key.isValidSignature(
                try CompactToken(token).signature, for: try CompactToken(token).signingInput, algorithm: .hs256))
        }
        let stranger = try Key(hmacSecret: Array(repeating: 0x33, count: 31) + [0x01])
        let forged = try TokenSigner(key: stranger, algorithm: .hs256, kid: "same").sign(JSONObject())
        #expect(throws: TokenError(.signatureInvalid, "")) { try verifier.verify(try CompactToken(forged)) }
    }
}
