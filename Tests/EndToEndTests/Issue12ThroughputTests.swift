import Foundation
import Testing

/// Issue 12 (batch throughput): verify's results are rendered as bytes, copying a header or
/// payload that is already compact JSON and serializing the others, and repeated headers come
/// from a cache. The output must be what the general code wrote, byte for byte, for every shape.
@Suite("issue 12: batch verify renders every shape of token exactly")
struct Issue12ThroughputTests {
    static let now = "1800000000"

    func secret() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Issue7SecurityTests.secret)))
    }

    @Test("--json: compact and non-compact headers and payloads, escapes, kid or not, failures, in order")
    func jsonShapes() throws {
        let key = try secret()
        let token = { (header: String, payload: String) in Issue7SecurityTests.hs256(header: header, payload, key: key) }
        let lines = [
            // Compact header and payload: copied as received.
            token(#"{"alg":"HS256","typ":"JWT"}"#, #"{"sub":"a","aud":"api","exp":1900000000,"n":[1,2.5e3,{"x":null}]}"#),
            // The same header again (from the cache), another payload.
            token(#"{"alg":"HS256","typ":"JWT"}"#, #"{"sub":"b","aud":"api","exp":1900000000}"#),
            // Whitespace outside and inside strings, escapes the serializer writes differently.
            token(#"{ "alg" : "HS256", "kid":"k\/1" }"#, "{ \"sub\" : \"caf\\u00e9 \\/ x\" ,\n \"aud\":[\"api\"], \"exp\":1900000000, \"q\":\"\\\"\\\\\\t\" }"),
            // A bad signature, then a header that is not JSON.
            String(token(#"{"alg":"HS256"}"#, #"{"aud":"api","exp":1900000000}"#).dropLast(43)) + String(repeating: "A", count: 43),
            "eyJhbGciOi.e30.AAAA",
            // Expired.
            token(#"{"alg":"HS256"}"#, #"{"aud":"api","exp":1700000000}"#),
        ]
        let run = try Tokenctl.run(
            ["verify", "--json", "--secret-file", Issue7SecurityTests.secret, "--aud", "api", "--now", Self.now, "-"],
            input: lines.joined(separator: "\n") + "\n")
        #expect(run.status == 1, "\(run)")
        let expected = [
            #"{"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256","typ":"JWT"},"payload":{"sub":"a","aud":"api","exp":1900000000,"n":[1,2.5e3,{"x":null}]},"line":1}"#,
            #"{"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256","typ":"JWT"},"payload":{"sub":"b","aud":"api","exp":1900000000},"line":2}"#,
            #"{"valid":true,"alg":"HS256","kid":"k/1","header":{"alg":"HS256","kid":"k/1"},"payload":{"sub":"café / x","aud":["api"],"exp":1900000000,"q":"\"\\\t"},"line":3}"#,
            #"{"valid":false,"error":{"code":"signature_invalid","message":"HS256 signature does not verify"},"line":4}"#,
        ]
        let got = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(got.count == 7, "\(run)")
        for (index, line) in expected.enumerated() where index < got.count {
            #expect(got[index] == line)
        }
        if got.count >= 6 {
            #expect(got[4].hasPrefix(#"{"valid":false,"error":{"code":"malformed","message":"header segment: "#), "\(got[4])")
            #expect(got[4].hasSuffix(#","line":5}"#), "\(got[4])")
            #expect(got[5].hasPrefix(#"{"valid":false,"error":{"code":"expired","message":"token expired "#), "\(got[5])")
            #expect(got[5].hasSuffix(#","line":6}"#), "\(got[5])")
        }
        #expect(got.last == "")
    }

    @Test("text batch: valid, invalid CODE: REASON with the hint, escaped, -n prefixes, -q silent")
    func textShapes() throws {
        let key = try secret()
        let good = Issue7SecurityTests.hs256(#"{"aud":"api","exp":1900000000}"#, key: key)
        let wrongAudience = Issue7SecurityTests.hs256(#"{"aud":"other\u001b[31m","exp":1900000000}"#, key: key)
        let input = [good, wrongAudience, "", good].joined(separator: "\n") + "\n"
        let arguments = ["verify", "--secret-file", Issue7SecurityTests.secret, "--aud", "api", "--now", Self.now]
        let plain = try Tokenctl.run(arguments + ["-"], input: input)
        #expect(plain.status == 1)
        #expect(plain.stdout == """
            valid
            invalid audience_mismatch: audience ["other\\x1b[31m"] does not include "api"
            invalid malformed: empty line: no token
            valid

            """, "\(plain)")
        let numbered = try Tokenctl.run(arguments + ["-n", "-"], input: input)
        #expect(numbered.stdout == """
            1:valid
            2:invalid audience_mismatch: audience ["other\\x1b[31m"] does not include "api"
            3:invalid malformed: empty line: no token
            4:valid

            """, "\(numbered)")
        let quiet = try Tokenctl.run(arguments + ["-q", "-"], input: input)
        #expect(quiet.stdout == "" && quiet.status == 1, "\(quiet)")
    }

    @Test("ES256 batch: valid and tampered signatures in one run, each judged on its own")
    func ecdsaBatch() throws {
        let signed = try Tokenctl.run([
            "sign", "--key", Issue12BatchTests.key, "--sub", "a", "--aud", "api", "--now", Self.now,
        ])
        #expect(signed.status == 0, "\(signed)")
        let token = signed.output
        var tampered = Array(token.utf8)
        let last = tampered.count - 5
        tampered[last] = tampered[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let input = [token, String(decoding: tampered, as: UTF8.self), token].joined(separator: "\n") + "\n"
        let run = try Tokenctl.run(
            ["verify", "--key", Issue12BatchTests.publicKey, "--aud", "api", "--now", Self.now, "-"], input: input)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout == "valid\ninvalid signature_invalid: ES256 signature does not verify\nvalid\n", "\(run)")
    }
}
