import Testing
@testable import TokenKit

/// Issue 12: the claim policy takes shortcuts for the usual token (no paths built for a claim
/// with nothing to report, ASCII names normalized byte by byte, the lifetime told in words
/// from one unit computation); what it reports stays the same on the unusual ones.
@Suite("issue 12: claim policy shortcuts report the same findings")
struct Issue12PolicyFastPathTests {
    static let now: Int64 = 1_767_225_600

    static func messages(_ payload: String) throws -> [String] {
        let text = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + ".c2ln"
        let report = try SizeReport(token: CompactToken(text))
        return ClaimPolicy().evaluate(report, now: now).map(\.message)
    }

    @Test("a lifetime whose words round down to the limit is told in seconds; a longer one in words")
    func lifetimeWords() throws {
        #expect(try Self.messages(#"{"iat":0,"exp":86460}"#) == ["exp is 86460 seconds after iat (limit 1d)"])
        #expect(try Self.messages(#"{"iat":0,"exp":90000}"#) == ["exp is 25 hours after iat (limit 1d)"])
        #expect(try Self.messages(#"{"exp":1767315600}"#) == ["exp is 25 hours after now (limit 1d)"])
    }

    @Test("personal data in upper case, nested, and aliases of registered claims in any spelling")
    func namesInAnyCase() throws {
        let messages = try Self.messages(#"{"exp":1767226500,"User_ID":"a","sub":"a","EMAIL":"x","p":{"Phone":"1"}}"#)
        #expect(Set(messages) == [
            "User_ID repeats the registered claim sub with the same value",
            "EMAIL is personal data; it is copied into every log and cache the token passes, and goes stale",
            "p.Phone is personal data; it is copied into every log and cache the token passes, and goes stale",
        ])
        #expect(messages.count == 3)
        // The Kelvin sign lower-cases to "k": a non-ASCII name takes the general path.
        #expect(try Self.messages("{\"to\u{212A}enid\":\"x\",\"jti\":\"y\",\"exp\":1767226500}")
            == ["to\u{212A}enid repeats the registered claim jti with a different value, which readers will confuse"])
    }

    @Test("costs by size: largest first, ties in payload order")
    func costsBySize() throws {
        let text = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8)) + "."
            + Base64URL.encode(Array(#"{"a":1,"bb":22,"c":1,"dddd":4444,"e":1}"#.utf8)) + "."
        let report = try SizeReport(token: CompactToken(text))
        let expected = report.claimCosts.enumerated().sorted { lhs, rhs in
            lhs.element.bytes != rhs.element.bytes ? lhs.element.bytes > rhs.element.bytes : lhs.offset < rhs.offset
        }.map(\.element)
        #expect(report.claimCostsBySize == expected)
        #expect(report.claimCostsBySize.first?.name == "dddd")
    }

    @Test("costs by size, over generated claim sets of 0 to 40 claims with many ties: a stable sort's order")
    func costsBySizeGenerated() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let count = round % 41
            let claims = JSONObject((0..<count).map { index in
                ("c\(index)", JSONValue.string(String(repeating: "x", count: Int.random(in: 0...6, using: &generator) * 4)))
            })
            let report = SizeReport(plannedClaims: claims, header: JSONObject([("alg", .string("HS256"))]), signatureByteCount: 32)
            let expected = report.claimCosts.enumerated().sorted { lhs, rhs in
                lhs.element.bytes != rhs.element.bytes ? lhs.element.bytes > rhs.element.bytes : lhs.offset < rhs.offset
            }.map(\.element)
            #expect(report.claimCostsBySize == expected, "\(claims.serialized)")
        }
    }
}
