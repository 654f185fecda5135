import Testing
@testable import TokenKit

@Suite("CompactToken")
struct CompactTokenTests {
    static func segment(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    @Test("splits and decodes a well-formed token")
    func parses() throws {
        let text = Self.segment(#"{"alg":"HS256","kid":"k1"}"#) + "." + Self.segment(#"{"sub":"a"}"#) + ".c2ln"
        let token = try CompactToken(text)
        #expect(token.algorithmName == "HS256")
        #expect(token.keyID == "k1")
        #expect(token.payload == Array(#"{"sub":"a"}"#.utf8))
        #expect(token.signature == Array("sig".utf8))
        #expect(token.signingInput == Array(text.utf8.prefix(text.utf8.count - 5)))
        #expect(String(token.signatureSegment) == "c2ln")
    }

    @Test("segment lengths read from the dots equal the segments' own lengths")
    func segmentLengths() throws {
        let header = Self.segment(#"{"alg":"HS256"}"#)
        for (payload, signature) in [("", ""), ("e30", ""), ("e30", "c2ln"), (Self.segment(#"{"sub":"a-longer-subject"}"#), "c2lnbmF0dXJl")] {
            let token = try CompactToken("\(header).\(payload).\(signature)")
            #expect(token.headerSegmentLength == token.headerSegment.utf8.count)
            #expect(token.payloadSegmentLength == token.payloadSegment.utf8.count)
            #expect(token.signatureSegmentLength == token.signatureSegment.utf8.count)
            #expect(token.signatureSegmentLength == signature.utf8.count && token.payloadSegmentLength == payload.utf8.count)
        }
    }

    @Test("the signature, decoded when asked for, and its byte count from the segment's length, for every length")
    func signatureBytes() throws {
        let header = Self.segment(#"{"alg":"HS256"}"#)
        var generator = SystemRandomNumberGenerator()
        for count in 0...200 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let token = try CompactToken("\(header).e30.\(Base64URL.encode(bytes))")
            #expect(token.signature == bytes, "\(count) bytes")
            #expect(token.signatureByteCount == count)
        }
    }

    @Test("rejects wrong segment counts", arguments: ["a", "a.b", "a.b.c.d", "a.b.c.d.e", "a.b.c.d.e.f", "..", ""])
    func rejectsSegments(text: String) {
        #expect(throws: TokenError(.malformed, "")) { try CompactToken(text) }
    }

    @Test("rejects non-canonical base64url and bad headers", arguments: [
        segment(#"{"alg":"HS256"}"#) + "=.e30.c2ln",
        segment(#"{"alg":"HS256"}"#) + ".e30=.c2ln",
        segment(#"{"alg":"HS256"}"#) + ".e30.c2l+",
        segment(#"{"alg":"HS256"}"#) + ".e30.c2l",  // non-zero trailing bits
        segment(#"{"typ":"JWT"}"#) + ".e30.c2ln",  // no alg
        segment(#"{"alg":256}"#) + ".e30.c2ln",
        segment(#"{"alg":"HS256","alg":"none"}"#) + ".e30.c2ln",  // duplicate member
        segment(#"["HS256"]"#) + ".e30.c2ln",
        segment(#"{"alg":"HS256","kid":5}"#) + ".e30.c2ln",
        segment(String(repeating: "[", count: 70)) + ".e30.c2ln",
        ".e30.c2ln",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: TokenError(.malformed, "")) { try CompactToken(text) }
    }

    @Test("enforces the size bound before parsing")
    func sizeBound() throws {
        let big = Self.segment(#"{"alg":"HS256"}"#) + "." + String(repeating: "A", count: 300_000) + ".c2ln"
        #expect(throws: TokenError(.malformed, "")) { try CompactToken(big) }
        #expect(try CompactToken(big, maxBytes: 400_000).payload.count == 225_000)
    }

    @Test("alg none parses, so decode can show it; the verifier rejects it")
    func noneParses() throws {
        let token = try CompactToken(Self.segment(#"{"alg":"none"}"#) + ".e30.")
        #expect(token.algorithmName == "none")
        #expect(token.signature.isEmpty)
        #expect(throws: TokenError(.algorithmNotAllowed, "")) { try HeaderPolicy.algorithm(of: token.headerEntry) }
    }

    @Test("header policy rejects none in any case, unknown algs, crit and b64", arguments: [
        (#"{"alg":"NONE"}"#, TokenError.Code.algorithmNotAllowed),
        (#"{"alg":"nOnE"}"#, .algorithmNotAllowed),
        (#"{"alg":"hs256"}"#, .algorithmNotAllowed),
        (#"{"alg":"HS256","crit":["exp"],"exp":1}"#, .unsupportedCritical),
        (#"{"alg":"HS256","crit":[]}"#, .malformed),
        (#"{"alg":"HS256","crit":["x"]}"#, .malformed),
        (#"{"alg":"HS256","crit":"b64","b64":false}"#, .malformed),
        (#"{"alg":"HS256","b64":false,"crit":["b64"]}"#, .unsupportedCritical),
        (#"{"alg":"HS256","b64":true}"#, .unsupportedCritical),
    ])
    func headerPolicy(header: String, code: TokenError.Code) throws {
        let token = try CompactToken(Self.segment(header) + ".e30.c2ln")
        #expect(throws: TokenError(code, "")) { try HeaderPolicy.algorithm(of: token.headerEntry) }
    }
}
