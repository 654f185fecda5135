import Foundation
import Testing

/// Issue 11: `inspect-size --scan` on a generated corpus whose sizes are known by construction.
@Suite("issue 11: traffic size report")
struct Issue11ScanReportTests {
    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Token i (1...100): issuer a (odd i) or b (even i), kid k1, and a signature of 4·i
    /// characters, so its size is base + 4·i.
    static let header = base64url(#"{"alg":"HS256","kid":"k1"}"#)
    static func token(_ i: Int) -> String {
        let issuer = i % 2 == 1 ? "https://a.example" : "https://b.example"
        let payload = base64url(#"{"iss":"\#(issuer)","n":"\#(String(format: "%03d", i))"}"#)
        return header + "." + payload + "." + String(repeating: "A", count: 4 * i)
    }
    static let base = token(1).utf8.count - 4

    /// Each token twice: first in an Authorization header (i <= 60) or a log field, then in a JSON member.
    static let corpus: String = {
        var text = "# generated corpus\n"
        for i in 1...100 {
            text += i <= 60 ? "> Authorization: Bearer \(token(i))\n" : "INFO request token=\(token(i)) ok\n"
            text += "plain text between\n"
        }
        for i in 1...100 { text += "{\"access_token\": \"\(token(i))\"}\n" }
        return text
    }()

    static func report(_ arguments: [String]) throws -> (RunResult, [String: Any]) {
        let result = try Tokenctl.run(["inspect-size", "--scan", "--format", "json"] + arguments, input: corpus)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (result, object)
    }

    static func bytes(_ value: Any?) -> [Int] {
        let object = value as? [String: Any] ?? [:]
        return ["p50", "p95", "p99", "max"].map { object[$0] as? Int ?? -1 }
    }

    static func group(_ report: [String: Any], _ by: String, _ value: String) -> [String: Any]? {
        ((report["groups"] as? [[String: Any]]) ?? []).first { $0["by"] as? String == by && $0["value"] as? String == value }
    }

    @Test("count, nearest-rank percentiles, groups and over-budget count are right")
    func distribution() throws {
        let b = Self.base
        let (result, report) = try Self.report(["--budget", String(b + 300)])
        #expect(result.status == 1, "25 tokens are over budget: \(result)")
        #expect(report["count"] as? Int == 100)
        #expect(report["occurrences"] as? Int == 200)
        #expect(report["over_budget"] as? Int == 25)
        #expect(Self.bytes(report["bytes"]) == [b + 200, b + 380, b + 396, b + 400])
        let a = try #require(Self.group(report, "iss", "https://a.example"))
        #expect(a["count"] as? Int == 50)
        #expect(Self.bytes(a["bytes"]) == [b + 196, b + 380, b + 396, b + 396])
        let bGroup = try #require(Self.group(report, "iss", "https://b.example"))
        #expect(Self.bytes(bGroup["bytes"]) == [b + 200, b + 384, b + 400, b + 400])
        #expect(Self.group(report, "kid", "k1")?["count"] as? Int == 100)
        let authorization = try #require(Self.group(report, "carrier", "Authorization"))
        #expect(authorization["count"] as? Int == 60)
        #expect(Self.bytes(authorization["bytes"]) == [b + 120, b + 228, b + 240, b + 240])
        #expect(Self.group(report, "carrier", "field token")?["count"] as? Int == 40)
        let claims = (report["claims"] as? [[String: Any]]) ?? []
        #expect(claims.map { $0["name"] as? String } == ["iss", "n"])
        #expect(claims.first?["tokens"] as? Int == 100)
        let largest = (report["largest"] as? [[String: Any]]) ?? []
        #expect(largest.first?["bytes"] as? Int == b + 400)
        #expect(largest.first?["token"] == nil, "no token text without --show-tokens")
    }

    @Test("--context measures the header or cookie that carries each token")
    func context() throws {
        let b = Self.base
        let (result, report) = try Self.report(["--budget", String(b + 300), "--context", "authorization"])
        #expect(result.status == 1)
        #expect(Self.bytes(report["bytes"]) == [b + 200, b + 380, b + 396, b + 400])
        #expect(Self.bytes(report["carried_bytes"]) == [b + 222, b + 402, b + 418, b + 422])
        #expect(report["over_budget"] as? Int == 31)
    }

    @Test("under budget exits 0; text and github formats")
    func formats() throws {
        let b = Self.base
        let (passing, report) = try Self.report(["--budget", String(b + 400)])
        #expect(passing.status == 0, "\(passing)")
        #expect(report["over_budget"] as? Int == 0)
        let text = try Tokenctl.run(["inspect-size", "--scan", "--budget", String(b + 300)], input: Self.corpus)
        #expect(text.status == 1)
        #expect(text.stdout.contains("Tokens: 100 distinct JWTs in 200 places"), "\(text)")
        #expect(text.stdout.contains("Token bytes:   p50 \(b + 200)  p95 \(b + 380)  p99 \(b + 396)  max \(b + 400)"), "\(text)")
        #expect(text.stdout.contains("over budget: 25"), "\(text)")
        let github = try Tokenctl.run(["inspect-size", "--scan", "--format", "github", "--budget", String(b + 300)], input: Self.corpus)
        #expect(github.status == 1)
        let annotations = github.stdout.split(separator: "\n").filter { $0.hasPrefix("::error file=stdin,line=") }
        #expect(annotations.count == 25, "\(github)")
        // Token 100 is on line 1 + 2·99 + 1 = 200 (a log field, since 100 > 60).
        #expect(annotations.contains { $0.hasPrefix("::error file=stdin,line=200,") }, "\(github)")
    }
}
