import Testing

@testable import TokenKit

/// ``SignatureVerifier`` decides the usual case, one key, before building candidate lists;
/// each outcome here is written out as the key-choice rules give it (kid matching, keys
/// without a kid, the algorithm bound to the key type, the error messages).
@Suite("issue 12: one verification key, every kid case")
struct Issue12SingleKeyTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let otherSecret = Array("fedcba9876543210fedcba9876543210".utf8)

    /// The verdict of a key (with `keyKid`) on a token signed with `signingSecret` under
    /// `headerKid`, as "valid HS256" or "code: reason".
    static func verdict(keyKid: String?, headerKid: String?, signingSecret: [UInt8] = secret, algorithm: Algorithm = .hs256) throws -> String {
        var key = try Key(hmacSecret: secret)
        key.kid = keyKid
        let signingKey = try Key(hmacSecret: signingSecret)
        let token = try TokenSigner(key: signingKey, algorithm: algorithm, kid: headerKid).sign(JSONObject([("sub", .string("u1"))]))
        do {
            let match = try SignatureVerifier(keys: [key]).verify(CompactToken(token))
            return "valid \(match.algorithm)"
        } catch let error as TokenError {
            return "\(error.code.id): \(error.reason)"
        }
    }

    @Test("the header's kid selects the key, a key without a kid serves any, a signature is checked once")
    func outcomes() throws {
        #expect(try Self.verdict(keyKid: nil, headerKid: nil) == "valid HS256")
        #expect(try Self.verdict(keyKid: nil, headerKid: "k9") == "valid HS256")
        #expect(try Self.verdict(keyKid: "k1", headerKid: "k1") == "valid HS256")
        #expect(try Self.verdict(keyKid: "k1", headerKid: nil) == "valid HS256")
        #expect(try Self.verdict(keyKid: "k1", headerKid: "k2") == #"key_not_found: no key has kid "k2" (known: "k1")"#)
        #expect(try Self.verdict(keyKid: "k1", headerKid: "K1") == #"key_not_found: no key has kid "K1" (known: "k1")"#)
        #expect(try Self.verdict(keyKid: nil, headerKid: nil, signingSecret: Self.otherSecret)
            == "signature_invalid: HS256 signature does not verify")
        #expect(try Self.verdict(keyKid: "k1", headerKid: "k1", signingSecret: Self.otherSecret)
            == "signature_invalid: HS256 signature does not verify")
        // A 32-byte secret is too short for HS384: the key does not allow it, and says why.
        let tooShort = try Self.verdict(keyKid: nil, headerKid: nil, signingSecret: Self.secret + Self.secret, algorithm: .hs384)
        #expect(tooShort.hasPrefix("algorithm_not_allowed: "), "\(tooShort)")
    }
}
