import Testing
import TokenKit
@testable import TokenCLI

@Suite("Size report rendering")
struct SizeRenderTests {
    static let now: Int64 = 1_767_225_600

    static func check(budget: Int, input: String = "claims/a.json", file: String? = "claims/a.json") -> SizeCheck {
        let claims = JSONObject([("sub", .string("u1")), ("email", .string("a@b.c"))])
        let report = SizeReport(claimSet: claims, algorithm: .es256, now: now)
        return SizeCheck(
            input: input, file: file, report: report, policy: ClaimPolicy(budget: SizeBudget(bytes: budget)), now: now)
    }

    @Test("workflow command data escapes %, CR and LF; properties also : and ,")
    func escaping() {
        #expect(SizeCheck.escapeData("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d")
        #expect(SizeCheck.escapeProperty("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d")
        #expect(SizeCheck.escapeData("%0A") == "%250A")
    }

    @Test("one workflow command per finding, with file, title and escaped message")
    func workflowCommands() throws {
        let check = Self.check(budget: 100, input: "claims/a,b:c.json", file: "claims/a,b:c.json")
        let lines = SizeCheck.github([check]).split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + check.findings.count)
        #expect(lines[1].hasPrefix("::error file=claims/a%2Cb%3Ac.json,title=tokenctl over-budget::the token takes "))
        #expect(lines[2].hasPrefix("::warning file=claims/a%2Cb%3Ac.json,title=tokenctl personal-data::email: "))
        #expect(lines.allSatisfy { !$0.contains("\r") })
    }

    @Test("info is a notice; inputs without a file name themselves in the message")
    func noticeWithoutFile() throws {
        let claims = JSONObject([("sub", .string("u1")), ("expires", .number(JSONNumber(5)))])
        let text = Base64URL.encode(#"{"alg":"HS256"}"#.utf8) + "." + Base64URL.encode(claims.serialized.utf8) + ".AAAA"
        let report = try SizeReport(token: CompactToken(text))
        let check = SizeCheck(input: "stdin:2", line: 2, report: report, policy: ClaimPolicy(), now: Self.now)
        let command = try #require(check.findings.first { $0.severity == .info }.map(check.workflowCommand))
        #expect(command.hasPrefix("::notice title=tokenctl duplicate-claim::stdin:2: expires: expires stands in"))
    }

    @Test("budget bar: share in 20 columns, full and marked when over")
    func bar() {
        let half = Self.check(budget: Self.check(budget: 1).totalBytes * 2)
        #expect(half.budgetBar().hasPrefix("[##########..........] 50% of "))
        let over = Self.check(budget: 100)
        #expect(over.budgetBar() == "[####################] \(over.bytesInContext)% of 100, \(over.bytesInContext - 100) bytes over")
        let named = SizeCheck(
            input: "x", report: half.report!, policy: ClaimPolicy(budget: .cookie), now: Self.now)
        #expect(named.budgetBar().hasSuffix("% of 4096 (cookie)"))
    }

    @Test("text details: split, claims by cost, findings with fixes")
    func textDetails() throws {
        let check = Self.check(budget: 4096)
        let report = try #require(check.report)
        let text = SizeCheck.text([check], failOn: .error)
        #expect(text.hasPrefix("claims/a.json: claim set as sign would encode it with ES256, a 43-character kid; sign adds iat and exp, counted here\n"))
        #expect(text.contains("  \(report.totalBytes) bytes = header \(report.headerBytes) + payload \(report.payloadBytes) + signature 86 + 2 dots\n"))
        let claimLines = text.split(separator: "\n").filter { $0.hasPrefix("    ") && !$0.contains("[") && !$0.contains("fix") }
        let listed = claimLines.map { $0.split(separator: " ").map(String.init) }
        #expect(listed.map { $0[0] } == report.claimCostsBySize.map(\.name))
        #expect(listed.map { Int($0[1]) } == report.claimCostsBySize.map(\.bytes))
        #expect(Set(listed.map { $0[0] }) == ["sub", "email", "iat", "exp"])
        #expect(text.contains("(added as sign would)"))
        #expect(text.contains("    warning[personal-data]: email is personal data"))
        #expect(text.contains("      fix: keep sub in the token"))
    }

    @Test("a malformed input renders without sizes")
    func malformed() throws {
        let check = SizeCheck(
            input: "stdin:1", line: 1, byteCount: 9, error: TokenError.malformed("token has 1 segment"), policy: ClaimPolicy())
        #expect(check.fails(at: .error))
        let json = try #require(try JSONParser.parse(SizeCheck.json([check])).objectValue)
        #expect(json["header_bytes"] == .null)
        #expect(json["total_bytes"] == .number(JSONNumber(9)))
        #expect(json["claims"] == .array([]))
        #expect(SizeCheck.text([check], failOn: .error).contains("could not be sized"))
    }
}
