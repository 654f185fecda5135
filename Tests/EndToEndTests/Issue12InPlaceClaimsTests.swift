import Foundation
import Testing

/// Issue 12 (batch HS256 verify): the registered claims of a compact payload are read in place,
/// without a JSON tree; every payload that is not compact JSON the scanner can vouch for goes
/// through the strict parser. Either way the verdict and its message are the parser's.
@Suite("issue 12: claims read in place give the parser's verdicts")
struct Issue12InPlaceClaimsTests {
    /// An HS256 token over payload bytes (which need not be UTF-8) with the fixture secret.
    static func token(_ payload: [UInt8]) throws -> String {
        let key = Array(try Data(contentsOf: URL(fileURLWithPath: Issue7SecurityTests.secret)))
        let input = Issue7SecurityTests.base64url(Array(#"{"alg":"HS256"}"#.utf8)) + "." + Issue7SecurityTests.base64url(payload)
        return input + "." + Issue7SecurityTests.base64url(Issue7SecurityTests.hmacSHA256(key: key, message: Array(input.utf8)))
    }

    static let payloads: [[UInt8]] = [
        Array(#"{"aud":"api","exp":1900000000,"x":{"a":1,"a":2}}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000,"aud":"api"}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000,"x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 64) + [UInt8(ascii: "1")]
            + Array(repeating: UInt8(ascii: "]"), count: 64) + [UInt8(ascii: "}")],
        Array(#"{"aud":"api","exp":1900000000,"x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 63) + [UInt8(ascii: "1")]
            + Array(repeating: UInt8(ascii: "]"), count: 63) + [UInt8(ascii: "}")],
        Array(#"{"aud":"api","exp":1e400}"#.utf8),
        Array(#"{"aud":["x","api"],"exp":1900000000}"#.utf8),
        Array(#"{"aud":["api",1],"exp":1900000000}"#.utf8),
        Array(#"{"aud":"api","exp":"1900000000"}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000,"s":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000,"s":""#.utf8) + [0x01] + Array(#""}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000.5,"n":-0.0e-0}"#.utf8),
        Array(#"{"aud":"a\u0070i","exp":1900000000}"#.utf8),
        Array(#"{"aud":"api","exp":1900000000}x"#.utf8),
        Array(#"{"aud":"api","exp":1900000000,"café":"😀"}"#.utf8),
        Array(#"{"aud":"api","exp":1800000000}"#.utf8),
    ]

    func run(_ options: [String]) throws -> RunResult {
        let input = try Self.payloads.map(Self.token).joined(separator: "\n") + "\n"
        return try Tokenctl.run(
            ["verify"] + options + ["--secret-file", Issue7SecurityTests.secret, "--aud", "api", "--now", "1800000000", "-"],
            input: input)
    }

    @Test("--json: duplicates at any depth, nesting, numbers, aud shapes, UTF-8, controls, escapes, trailing data")
    func json() throws {
        let run = try run(["--json"])
        #expect(run.status == 1)
        #expect(run.stderr == "")
        let depth63 = String(repeating: "[", count: 63) + "1" + String(repeating: "]", count: 63)
        #expect(run.stdout == """
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 44: duplicate member name \\"a\\""},"line":1}
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 35: duplicate member name \\"aud\\""},"line":2}
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 97: nesting deeper than 64 levels"},"line":3}
            {"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256"},"payload":{"aud":"api","exp":1900000000,"x":\(depth63)},"line":4}
            {"valid":false,"error":{"code":"invalid_claim","message":"claim \\"exp\\" must be a NumericDate (Unix seconds), found 1e400"},"line":5}
            {"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256"},"payload":{"aud":["x","api"],"exp":1900000000},"line":6}
            {"valid":false,"error":{"code":"invalid_claim","message":"claim \\"aud\\" must be a string or an array of strings, found an array"},"line":7}
            {"valid":false,"error":{"code":"invalid_claim","message":"claim \\"exp\\" must be a NumericDate (Unix seconds), found a string (\\"1900000000\\")"},"line":8}
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 35: invalid UTF-8"},"line":9}
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 35: unescaped control character in string"},"line":10}
            {"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256"},"payload":{"aud":"api","exp":1900000000.5,"n":-0.0e-0},"line":11}
            {"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256"},"payload":{"aud":"api","exp":1900000000},"line":12}
            {"valid":false,"error":{"code":"malformed","message":"payload is not valid JSON: invalid JSON at byte 30: unexpected data after the JSON value"},"line":13}
            {"valid":true,"alg":"HS256","kid":null,"header":{"alg":"HS256"},"payload":{"aud":"api","exp":1900000000,"café":"😀"},"line":14}
            {"valid":false,"error":{"code":"expired","message":"token expired now (exp 2027-01-15T08:00:00Z)"},"line":15}

            """, "\(run)")
    }

    @Test("text with -n, and --jobs 2 gives the same lines in order")
    func text() throws {
        let expected = """
            1:invalid malformed: payload is not valid JSON: invalid JSON at byte 44: duplicate member name "a"
            2:invalid malformed: payload is not valid JSON: invalid JSON at byte 35: duplicate member name "aud"
            3:invalid malformed: payload is not valid JSON: invalid JSON at byte 97: nesting deeper than 64 levels
            4:valid
            5:invalid invalid_claim: claim "exp" must be a NumericDate (Unix seconds), found 1e400
            6:valid
            7:invalid invalid_claim: claim "aud" must be a string or an array of strings, found an array
            8:invalid invalid_claim: claim "exp" must be a NumericDate (Unix seconds), found a string ("1900000000")
            9:invalid malformed: payload is not valid JSON: invalid JSON at byte 35: invalid UTF-8
            10:invalid malformed: payload is not valid JSON: invalid JSON at byte 35: unescaped control character in string
            11:valid
            12:valid
            13:invalid malformed: payload is not valid JSON: invalid JSON at byte 30: unexpected data after the JSON value
            14:valid
            15:invalid expired: token expired now (exp 2027-01-15T08:00:00Z)

            """
        for options in [["-n"], ["-n", "--jobs", "2"]] {
            let run = try run(options)
            #expect(run.status == 1)
            #expect(run.stdout == expected, "\(options) \(run)")
        }
    }

    @Test("verify --scan gives each token found in a log the verdict batch verify gives it")
    func scan() throws {
        let tokens = try Self.payloads.map(Self.token)
        let scanned = try Tokenctl.run(
            ["verify", "--scan", "--json", "--secret-file", Issue7SecurityTests.secret, "--aud", "api", "--now", "1800000000"],
            input: tokens.map { "2026-11-30T10:00:00Z INFO token=\($0) user=alice\n" }.joined())
        let batch = try run(["--json"])
        #expect(scanned.status == 1 && batch.status == 1, "\(scanned)")
        // The verdict members: from "valid" on in a scan result; a batch line less its header
        // (always {"alg":"HS256"} here) and its line number.
        let fromScan = scanned.stdout.split(separator: "\n").map { line in
            line.range(of: #""valid":"#).map { String(line[$0.lowerBound...]) } ?? String(line)
        }
        let fromBatch = batch.stdout.split(separator: "\n").map { line in
            let withoutHeader = line.dropFirst().replacingOccurrences(of: #","header":{"alg":"HS256"}"#, with: "")
            return withoutHeader.replacingOccurrences(of: #","line":[0-9]+\}$"#, with: "}", options: .regularExpression)
        }
        #expect(fromScan.count == tokens.count)
        #expect(fromScan == fromBatch)
    }
}
