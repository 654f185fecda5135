import Testing
@testable import TokenKit

/// ``TokenVerifier/verifyUsual(_:)``, the batch's path that verifies a line's bytes, agrees
/// with ``TokenVerifier/verify(_:)`` on every token it does not leave to it: the same verdict,
/// the same error (code and reason), the same algorithm, kid, header and claims. Checked over
/// generated claim sets, headers and keys, and mutations of the tokens' bytes.
@Suite("Issue 12 usual-token path")
struct Issue12UsualPathTests {
    typealias Generator = Issue12ClaimScannerTests.Generator

    static let now: Int64 = 1_800_000_000
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let otherSecret = Array("fedcba9876543210fedcba9876543210".utf8)

    /// What a verification gave, in a form two paths can be compared by.
    enum Verdict: Equatable, CustomStringConvertible {
        case valid(algorithm: String, kid: String?, header: [UInt8], claims: [UInt8])
        case rejected(code: String, reason: String)

        var description: String {
            switch self {
            case .valid(let algorithm, let kid, let header, let claims):
                "valid \(algorithm) kid=\(kid ?? "-") \(String(decoding: header, as: UTF8.self)) \(String(decoding: claims, as: UTF8.self))"
            case .rejected(let code, let reason): "rejected \(code): \(reason)"
            }
        }
    }

    static func general(_ verifier: TokenVerifier, _ token: [UInt8]) -> Verdict {
        do {
            let verified = try verifier.verify(String(decoding: token, as: UTF8.self))
            var header = ByteWriter()
            verified.token.serializeHeader(to: &header)
            var claims = ByteWriter()
            verified.serializeClaims(to: &claims)
            return .valid(
                algorithm: verified.algorithm.rawValue, kid: verified.key.kid ?? verified.token.keyID, header: header.bytes,
                claims: claims.bytes)
        } catch let error as TokenError {
            return .rejected(code: error.code.id, reason: error.reason)
        } catch {
            return .rejected(code: "other", reason: "\(error)")
        }
    }

    /// The usual path's verdict, `nil` when it leaves the token to the general path.
    static func usual(_ verifier: TokenVerifier, _ token: [UInt8]) -> Verdict? {
        do {
            var verdict: Verdict?
            let decided = try token.withUnsafeBufferPointer { bytes in
                try verifier.verifyUsual(bytes) { verified in
                    var header = ByteWriter()
                    verified.serializeHeader(to: &header)
                    var claims = ByteWriter()
                    verified.serializeClaims(to: &claims)
                    verdict = .valid(
                        algorithm: verified.algorithm.rawValue, kid: verified.key.kid ?? verified.keyID, header: header.bytes,
                        claims: claims.bytes)
                }
            }
            #expect(decided == (verdict != nil), "decided without a verdict, or the reverse")
            return verdict
        } catch let error as TokenError {
            return .rejected(code: error.code.id, reason: error.reason)
        } catch {
            return .rejected(code: "other", reason: "\(error)")
        }
    }

    static let headers = [
        #"{"alg":"HS256","typ":"JWT"}"#, #"{"alg":"HS256"}"#, #"{"alg":"HS256","kid":"k1"}"#, #"{"alg":"HS256","kid":"nope"}"#,
        #"{"alg":"HS384"}"#, #"{"alg":"none"}"#, #"{"alg":"NONE"}"#, #"{"alg":"XS256"}"#, #"{ "alg" : "HS256" }"#,
        #"{"alg":"HS256","crit":["exp"],"exp":1}"#, #"{"alg":"HS256","b64":false}"#, #"{"alg":"HS256","jku":"https://x"}"#,
        #"{"alg":"HS256","typ":"at+jwt"}"#, #"{"alg":"HS256","kid":7}"#, #"{"alg":5}"#, #"{"typ":"JWT"}"#, #"[]"#,
        #"{"alg":"HS256","alg":"HS256"}"#, #"{"alg":"HS256","kid":"k\u0031"}"#,
    ]

    static func claimSet(_ generator: inout Generator) -> [UInt8] {
        var object = Issue12ClaimScannerTests.object(&generator, depth: 0)
        let times: [Int64] = [now - 100_000, now - 30, now - 1, now, now + 1, now + 30, now + 100_000]
        if generator.below(4) > 0 { object["exp"] = .number(JSONNumber(validatedText: String(generator.pick(times) + 3600))) }
        if generator.below(3) == 0 { object["nbf"] = .number(JSONNumber(validatedText: String(generator.pick(times)))) }
        if generator.below(3) == 0 { object["iat"] = .number(JSONNumber(validatedText: String(generator.pick(times)))) }
        switch generator.below(5) {
        case 0: object["aud"] = .string("api")
        case 1: object["aud"] = .array([.string("other"), .string("api")])
        case 2: object["aud"] = .string("other")
        default: break
        }
        if generator.below(2) == 0 { object["iss"] = .string(generator.pick(["https://issuer", "https://other"])) }
        if generator.below(8) == 0 {
            return Array(JSONValue.object(object).prettyPrinted().utf8)  // not compact: left to the parser
        }
        return JSONValue.object(object).serializedBytes
    }

    static func token(header: String, payload: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let signature = try Key(hmacSecret: key).signature(for: Array(input.utf8), algorithm: .hs256)
        return Array((input + "." + Base64URL.encode(signature)).utf8)
    }

    /// Verifiers that differ in what they check: keys with and without kid, audiences,
    /// issuer, leeway, maximum age, algorithms allowed, required claims, size bound.
    static func verifiers() throws -> [TokenVerifier] {
        let plain = try Key(hmacSecret: secret)
        var withKid = try Key(hmacSecret: secret)
        withKid.kid = "k1"
        var other = try Key(hmacSecret: otherSecret)
        other.kid = "k2"
        var made: [TokenVerifier] = []
        for (index, keys) in [[plain], [withKid, other], [other, plain]].enumerated() {
            var requirements = ClaimRequirements(now: now)
            if index != 1 { requirements.audiences = ["api"] }
            if index == 1 { requirements.issuer = "https://issuer"; requirements.leeway = 30; requirements.ignoreAudience = true }
            if index == 2 { requirements.maxAge = 60; requirements.requireExpiration = false }
            made.append(TokenVerifier(
                signatureVerifier: try SignatureVerifier(keys: keys, allowedAlgorithms: index == 2 ? [.hs256, .hs384] : nil),
                requirements: requirements, maxTokenBytes: index == 2 ? 400 : CompactToken.defaultMaxBytes))
        }
        var requiring = made[0]
        requiring.requirements.requiredClaims = ["roles"]
        made.append(requiring)
        return made
    }

    @Test("the usual path gives the general path's verdict, or leaves the token to it")
    func agreesWithGeneralPath() throws {
        let verifiers = try Self.verifiers()
        var generator = Generator(state: 0x1234_5678_9ABC_DEF1)
        var decided = 0
        var valid = 0
        var rejected = Set<String>()
        for round in 0..<1500 {
            let header = generator.below(3) == 0 ? generator.pick(Self.headers) : Self.headers[0]
            let payload = Self.claimSet(&generator)
            var token = try Self.token(header: header, payload: payload, key: generator.below(10) == 0 ? Self.otherSecret : Self.secret)
            // Mutations of the bytes: a byte changed, removed or added, a segment emptied.
            for _ in 0..<(round % 3 == 0 ? generator.below(3) : 0) where !token.isEmpty {
                let place = generator.below(token.count)
                switch generator.below(4) {
                case 0: token[place] = generator.pick(Array("AQgw_-.=+/ \u{7F}".utf8) + [0x00, 0xC3, 0xEF])
                case 1: token.remove(at: place)
                case 2: token.insert(generator.pick(Array("A.=".utf8)), at: place)
                default: token = Array(token[..<place])
                }
            }
            for verifier in verifiers {
                let expected = Self.general(verifier, token)
                guard let got = Self.usual(verifier, token) else { continue }
                decided += 1
                #expect(got == expected, "\(String(decoding: token, as: UTF8.self))\n  usual:   \(got)\n  general: \(expected)")
                switch got {
                case .valid: valid += 1
                case .rejected(let code, _): rejected.insert(code)
                }
            }
        }
        // The comparison covered valid tokens and rejections of every kind the path throws.
        #expect(valid > 50, "only \(valid) valid")
        #expect(decided > 1500, "only \(decided) decided by the usual path")
        for code in ["signature_invalid", "expired", "audience_mismatch", "algorithm_not_allowed", "key_not_found"] {
            #expect(rejected.contains(code), "no \(code) among \(rejected.sorted())")
        }
    }

    @Test("tokens the general path must name are left to it")
    func unusualTokensAreLeft() throws {
        let verifier = try Self.verifiers()[0]
        let good = try Self.token(header: Self.headers[0], payload: Array(#"{"aud":"api","exp":1800003600}"#.utf8), key: Self.secret)
        #expect(Self.usual(verifier, good) == Self.general(verifier, good))
        let text = String(decoding: good, as: UTF8.self)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let unusual = [
            "", ".", "..", text + ".", text + "..x.y", "\u{FEFF}" + text, " " + text, "Bearer " + text,
            parts[0] + "." + parts[1] + "=." + parts[2], parts[0] + "." + parts[1] + "." + parts[2] + "=",
            parts[0] + "=." + parts[1] + "." + parts[2], "." + parts[1] + "." + parts[2],
        ]
        for token in unusual {
            #expect(Self.usual(verifier, Array(token.utf8)) == nil, "\(token)")
        }
        var small = verifier
        small.maxTokenBytes = good.count - 1
        #expect(Self.usual(small, good) == nil)
        #expect(Self.usual(try Self.verifiers()[3], good) == nil)  // claims required by name
    }
}
