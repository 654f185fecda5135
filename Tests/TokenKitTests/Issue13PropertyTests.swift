import Testing
@testable import TokenKit

/// Issue 13, item 4: property tests with hand-written generators (no package).
@Suite("issue 13: properties")
struct Issue13PropertyTests {
    /// Random claim sets and values from a ``SplitMix64``, so a failure replays from its seed.
    struct Generator {
        var source: SplitMix64
        init(state: UInt64) { source = SplitMix64(state: state) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &source) }

        /// A string of ASCII, escapes-needing characters, non-ASCII and astral scalars.
        mutating func string() -> String {
            let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\u{7F}", "é", "ß", "\u{2028}",
                                          "\u{FEFF}", "中", "\u{1F600}", "\u{10FFFF}", "e", "y", "J"]
            var text = String.UnicodeScalarView()
            for _ in 0..<int(0...12) { text.append(pool[int(0...(pool.count - 1))]) }
            return String(text)
        }

        /// A JSON value nested at most `depth` levels.
        mutating func value(depth: Int) -> JSONValue {
            switch int(0...(depth > 0 ? 7 : 4)) {
            case 0: return .null
            case 1: return .bool(int(0...1) == 1)
            case 2: return .number(JSONNumber(Int64.random(in: Int64.min...Int64.max, using: &source)))
            case 3, 4: return .string(string())
            case 5: return .array((0..<int(0...4)).map { _ in value(depth: depth - 1) })
            default: return .object(object(depth: depth - 1, members: int(0...4)))
            }
        }

        /// An object with distinct member names (compared as bytes).
        mutating func object(depth: Int, members: Int) -> JSONObject {
            var seen = Set<[UInt8]>()
            var pairs: [(String, JSONValue)] = []
            for index in 0..<members {
                let name = "c\(index)_" + string()
                if seen.insert(Array(name.utf8)).inserted { pairs.append((name, value(depth: depth))) }
            }
            return JSONObject(pairs)
        }
    }

    static let now: Int64 = 1_800_000_000

    /// One generated key per algorithm (a generated key allows only its own algorithm).
    static let keys: [(Algorithm, Key)] = Algorithm.all.map { ($0, try! Key.generate(for: $0)) }

    func verifier(_ key: Key, _ algorithm: Algorithm) throws -> TokenVerifier {
        TokenVerifier(signatureVerifier: try SignatureVerifier(keys: [key]),
                      requirements: ClaimRequirements(now: Self.now))
    }

    @Test("random claim sets sign and verify with every algorithm; the claims come back member for member")
    func signVerifyRoundTrip() throws {
        var random = Generator(state: 0x13_0001)
        for (algorithm, key) in Self.keys {
            let signer = try TokenSigner(key: key, algorithm: algorithm)
            let verifier = try verifier(key, algorithm)
            for _ in 0..<12 {
                var claims = random.object(depth: 3, members: random.int(0...10))
                claims["exp"] = .number(JSONNumber(Self.now + 600))
                let token = try signer.sign(claims)
                let verified = try verifier.verify(token)
                #expect(verified.claims.object == claims, "\(algorithm): \(token)")
                #expect(verified.algorithm.family == algorithm.family)
                // Re-parsing the verified token's text verifies again, to the same claims.
                #expect(try verifier.verify(verified.token.text).claims == verified.claims)
                // Parse then serialize round-trips the payload exactly.
                #expect(try JSONParser.parse(verified.token.payload).serialized == String(decoding: verified.token.payload, as: UTF8.self))
            }
        }
    }

    @Test("every single-byte change of a valid token fails verification", arguments: [Algorithm.hs256, .rs256, .ps256, .es256, .es512, .edDSA, .ed448])
    func singleByteChanges(algorithm: Algorithm) throws {
        let key = try #require(Self.keys.first { $0.0 == algorithm }?.1)
        let claims = JSONObject([("sub", .string("alice")), ("exp", .number(JSONNumber(Self.now + 600)))])
        let token = Array(try TokenSigner(key: key, algorithm: algorithm).sign(claims).utf8)
        let verifier = try verifier(key, algorithm)
        #expect(throws: Never.self) { try verifier.verify(String(decoding: token, as: UTF8.self)) }
        let replacements = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=".utf8) + [0x20, 0x00, 0xFF]
        var accepted: [String] = []
        for index in token.indices {
            // Three replacements per position: neighbours in the alphabet and a far one.
            let here = replacements.firstIndex(of: token[index]) ?? 0
            for step in [1, 17, 40] {
                var changed = token
                changed[index] = replacements[(here + step) % replacements.count]
                if changed == token { continue }
                let text = String(decoding: changed, as: UTF8.self)
                if (try? verifier.verify(text)) != nil { accepted.append("byte \(index) -> \(changed[index])") }
            }
        }
        #expect(accepted.isEmpty, "\(algorithm): accepted changes \(accepted)")
    }
}
