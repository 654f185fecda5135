import Testing
import TokenKit
@testable import TokenCLI

/// Issue 12: the byte renderers of `decode --json` (``DecodeCommand/writeJSON(_:line:to:)``)
/// and `inspect-size --format json` (``SizeCheck/writeJSON(to:)``) print exactly what the
/// general JSON-tree renderers (``jsonObject(_:)`` below, ``SizeCheck/jsonValue``)
/// serialize to, on tokens that take every path: compact and spaced JSON (copied or
/// re-serialized), escapes, non-object and non-JSON payloads, times, findings, errors.
@Suite("issue 12: byte renderers equal the JSON-tree renderers")
struct Issue12RenderPathTests {
    static let now: Int64 = 1_767_225_600

    static let headers = [
        #"{"alg":"HS256","typ":"JWT"}"#, #"{ "alg": "ES256", "kid": "k\u00e9\/1" }"#, #"{"alg":"none"}"#,
        #"{"alg":"HS256","jwk":{"kty":"oct"},"crit":["b64"]}"#, #"{"alg":"é\n"}"#,
    ]
    static let payloads: [[UInt8]] = [
        #"{"sub":"user-1","aud":"api","exp":1767226500,"iat":1767225600,"roles":["a","b"]}"#,
        #"{ "sub" : "a\"b\\c\u0001", "exp" : 1767225599.5, "nbf" : 1767229200 }"#,
        #"{"email":"a@b.c","user_id":"user-1","sub":"user-1","exp":"soon","iat":1.5e9}"#,
        #"{"deep":{"a":{"b":{"c":[1,[2,[3]]]}}},"list":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17],"s":"\#(String(repeating: "x", count: 300))"}"#,
        #"{"exp":253402300800,"iat":-5,"n":12345678901234567890,"f":-0.0,"e":1E3}"#,
        #"{}"#, #"[1,2]"#, #""text""#, "not json", #"{"a":1,"a":2}"#, #"{"bad":"\u00"}"#,
    ].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x00], [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]]
    static let signatures = ["", "c2ln"]

    /// `decode --json`'s result built as a JSON tree, the reference the byte renderer is held
    /// to: `payload` is the payload's JSON value (null when it is not JSON, and then
    /// `payload_text` holds it as text when it is UTF-8); `error` {code, message} says why a
    /// payload is not a claim set.
    static func jsonObject(_ inspection: TokenInspection) -> JSONObject {
        let token = inspection.token
        var object = JSONObject()
        object["header"] = .object(token.header)
        object["payload"] = inspection.payload ?? .null
        if let text = inspection.payloadText { object["payload_text"] = .string(text) }
        var size = JSONObject([
            ("total_bytes", .number(JSONNumber(token.text.utf8.count))),
            ("header_bytes", .number(JSONNumber(token.headerSegmentLength))),
            ("payload_bytes", .number(JSONNumber(token.payloadSegmentLength))),
            ("signature_bytes", .number(JSONNumber(token.signatureSegmentLength))),
        ])
        let sizeDetails = inspection.sizeCheck?.jsonValue.objectValue
        for name in ["budget_bytes", "over_budget", "claims"] { size[name] = sizeDetails?[name] }
        object["size"] = .object(size)
        object["times"] = .object(JSONObject(inspection.times.map {
            ($0.name, .object(JSONObject([("unix", .number(JSONNumber($0.seconds))), ("utc", .string($0.rfc3339)), ("relative", .string($0.relative))])))
        }))
        object["verified"] = .bool(false)
        object["warnings"] = .array(inspection.warnings.map(JSONValue.string))
        object["findings"] = sizeDetails?["findings"] ?? .array([])
        if let error = inspection.payloadError {
            object["error"] = .object(JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))]))
        }
        return object
    }

    static var tokens: [String] {
        var tokens: [String] = []
        for header in headers {
            for payload in payloads {
                for signature in signatures {
                    tokens.append(Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload) + "." + signature)
                }
            }
        }
        return tokens
    }

    @Test("decode --json: writeJSON gives the bytes of jsonObject with its line, serialized")
    func decodeJSON() throws {
        var count = 0
        for (index, text) in Self.tokens.enumerated() {
            guard let token = try? CompactToken(text) else { continue }
            count += 1
            let inspection = TokenInspection(token: token, now: Self.now)
            var object = Self.jsonObject(inspection)
            object["line"] = .number(JSONNumber(index + 1))
            var bytes = ByteWriter()
            DecodeCommand.writeJSON(inspection, line: index + 1, to: &bytes)
            #expect(bytes.string == CommonOptions.jsonLine(object), "\(text)")
        }
        #expect(count >= 50)
    }

    @Test("inspect-size --format json: writeJSON gives the bytes of jsonValue, serialized")
    func sizeJSON() throws {
        var checks: [SizeCheck] = []
        var policy = ClaimPolicy(budget: SizeBudget(bytes: 300), context: .cookie(name: "s"))
        policy.softBudget = 100
        for (index, text) in Self.tokens.enumerated() {
            if let token = try? CompactToken(text), let report = try? SizeReport(token: token) {
                checks.append(SizeCheck(input: "stdin:\(index)", line: index, report: report, policy: policy, now: Self.now))
                checks.append(SizeCheck(input: "t", file: "f.txt", report: report, policy: ClaimPolicy(), now: Self.now))
            } else {
                var check = SizeCheck(
                    input: "argument \(index)", byteCount: text.utf8.count, error: .malformed("not a token: \"\u{1}\""),
                    policy: policy)
                check.position = index
                checks.append(check)
            }
        }
        let claims = JSONObject([("sub", .string("u1")), ("email", .string("a@b.c"))])
        checks.append(SizeCheck(
            input: "claims.json", file: "claims.json", report: SizeReport(claimSet: claims, algorithm: .rs256, now: Self.now),
            policy: ClaimPolicy(), now: Self.now))
        for check in checks {
            var bytes = ByteWriter()
            check.writeJSON(to: &bytes)
            #expect(bytes.string == check.jsonValue.serialized)
        }
        #expect(checks.count > 100)
    }

    /// What ``Console/printResult(_:line:painted:)`` prints for `text`.
    static func printed(_ text: String, line: Int?) -> String {
        let output = BufferOutput()
        let console = Console(stdin: BufferInput(), stdout: output, stderr: BufferOutput(), environment: [:])
        console.printResult(text, line: line)
        return output.text
    }

    @Test("decode text: writeTextResult prints what printResult prints of text(), or leaves the token to it")
    func decodeText() throws {
        var fast = 0
        var general = 0
        for text in Self.tokens + ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwibmJmIjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjY1MDB9.c2ln"] {
            guard let token = try? CompactToken(text) else { continue }
            let inspection = TokenInspection(token: token, now: Self.now)
            for line in [nil, 12] as [Int?] {
                var bytes = ByteWriter()
                bytes.append(contentsOf: "before")
                if DecodeCommand.writeTextResult(inspection, line: line, paint: Painter(enabled: false), to: &bytes) {
                    fast += 1
                    #expect(bytes.string == "before" + Self.printed(DecodeCommand.text(inspection), line: line))
                } else {
                    general += 1
                    #expect(bytes.string == "before")
                }
            }
            var bytes = ByteWriter()
            #expect(!DecodeCommand.writeTextResult(inspection, line: nil, paint: Painter(enabled: true), to: &bytes) && bytes.count == 0)
        }
        #expect(fast >= 20 && general >= 20, "\(fast) fast, \(general) general")
    }

    @Test("inspect-size text: a streamed summary row as formatSummaryRow prints it, or left to it")
    func summaryRows() {
        let report = SizeReport(claimSet: JSONObject([("sub", .string("u1"))]), algorithm: .es256, now: Self.now)
        let widths = [6, 7, 6, 8]
        var fast = 0
        for input in ["stdin:1", "tokens.txt:123456", "caf\u{e9}.txt:2", "a\nb.txt:3", "a\u{1b}[31m:4", "\u{202e}x:5"] {
            for budget in [100, 4096, 1_000_000] {
                let check = SizeCheck(
                    input: input, report: report, policy: ClaimPolicy(budget: SizeBudget(bytes: budget)), now: Self.now)
                let expected = Self.printed(SizeCheck.formatSummaryRow(check.summaryRow(failOn: .error), widths: widths), line: nil)
                var bytes = ByteWriter()
                if check.writeSummaryRow(failOn: .error, widths: widths, to: &bytes) {
                    fast += 1
                    #expect(bytes.string == expected)
                } else {
                    #expect(bytes.count == 0)
                    #expect(expected.contains("\\"))
                }
            }
        }
        #expect(fast == 9)
    }
}
