import Testing
@testable import TokenKit

@Suite("TokenInspection: payloads that are not claim sets")
struct TokenInspectionTests {
    static func token(payload: String) throws -> CompactToken {
        try CompactToken(
            Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + ".c2ln",
            maxBytes: 1 << 20)
    }

    @Test("a claim set has no payload error")
    func claimSet() throws {
        let inspection = TokenInspection(token: try Self.token(payload: #"{"sub":"a","exp":2}"#), now: 1)
        #expect(inspection.payloadError == nil)
        #expect(inspection.sizeCheck != nil)
    }

    @Test("an array, text, deep nesting and a duplicate member are malformed, with the parser's reason",
        arguments: [("[1]", "JSON array"), ("hello", "not valid JSON"), (#"{"sub":"a","sub":"b"}"#, #"duplicate member name "sub""#),
                    (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nesting deeper")])
    func notClaimSet(payload: String, reason: String) throws {
        let inspection = TokenInspection(token: try Self.token(payload: payload), now: 1)
        #expect(inspection.payloadError?.code == .malformed)
        #expect(inspection.payloadError?.reason.contains(reason) == true)
        #expect(inspection.warnings.contains { $0.contains(reason) })
    }

    @Test("a byte order mark before a token is named")
    func byteOrderMark() throws {
        #expect(throws: TokenError(.malformed, "")) { try CompactToken("\u{FEFF}eyJhbGciOiJIUzI1NiJ9.e30.c2ln") }
        do {
            _ = try CompactToken("\u{FEFF}eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
        } catch let error as TokenError {
            #expect(error.reason.contains("byte order mark"))
        }
    }

    @Test("header warnings name each key-carrying member and crit/b64, from a parsed header and from the header cache alike")
    func headerWarnings() throws {
        let headers = [
            #"{"alg":"HS256"}"#, #"{"alg":"HS256","x5c":[],"jwk":{}}"#, #"{"x5u":"https://x","alg":"HS256","jku":"https://y"}"#,
            #"{"alg":"HS256","crit":["exp"],"exp":1}"#, #"{"alg":"HS256","b64":false}"#,
        ]
        for header in headers {
            let names = ["jwk", "jku", "x5u", "x5c"].filter { header.contains("\"\($0)\"") }
            let expected = names.map { "header carries \"\($0)\": a verifier must never take the key from the token itself" }
                + (header.contains("crit") || header.contains("b64") ? ["header uses crit/b64 extensions, which verification rejects"] : [])
            let text = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"a"}"#.utf8)) + ".c2ln"
            // The second token with the same header segment takes it from the cache (checked).
            for round in 0..<2 {
                if round == 1 {
                    let segment = Array(text.utf8.prefix { $0 != UInt8(ascii: ".") })
                    #expect(segment.withUnsafeBufferPointer { HeaderCache.shared.entry(for: $0) } != nil, "\(header)")
                }
                let warnings = TokenInspection(token: try CompactToken(text), now: 1).warnings
                #expect(Array(warnings.prefix(expected.count)) == expected, "\(header)")
                #expect(!warnings.dropFirst(expected.count).contains { $0.hasPrefix("header") }, "\(header)")
            }
        }
    }

    @Test("claim costs and shape findings are paired by position, also for 24,000 claims")
    func manyClaims() throws {
        let text = "{" + (0..<24_000).map { "\"c\($0)\":\($0)" }.joined(separator: ",") + "}"
        let report = try SizeReport(token: try Self.token(payload: text))
        #expect(report.claimCosts.count == 24_000)
        let findings = ClaimPolicy().evaluate(report, now: 0)
        #expect(findings.contains { $0.rule == .tooManyClaims })
    }
}
