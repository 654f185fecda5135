import Testing
@testable import TokenKit

@Suite("Claim policy")
struct ClaimPolicyTests {
    static let now: Int64 = 1_767_225_600

    /// A report of an HS256 token with exactly these claims (nothing added).
    static func report(_ pairs: [(String, JSONValue)]) throws -> SizeReport {
        let text = SizeReportTests.assembledToken(
            header: JOSEHeader.forSigning(algorithm: .hs256, kid: nil), claims: JSONObject(pairs), signatureByteCount: 32)
        return try SizeReport(token: CompactToken(text))
    }

    /// Claims that trigger nothing, plus `extra`.
    static func valid(_ extra: [(String, JSONValue)] = []) -> [(String, JSONValue)] {
        [("sub", .string("u1")), ("iat", int(now)), ("exp", int(now + 900))] + extra
    }

    static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
    static func strings(_ count: Int) -> JSONValue { .array((0..<count).map { .string("g\($0)") }) }

    static func findings(_ pairs: [(String, JSONValue)], policy: ClaimPolicy = ClaimPolicy()) throws -> [Finding] {
        policy.evaluate(try report(pairs), now: now)
    }

    static func rules(_ pairs: [(String, JSONValue)], policy: ClaimPolicy = ClaimPolicy()) throws -> [String] {
        try findings(pairs, policy: policy).map(\.rule.id)
    }

    @Test("a small token has no findings")
    func clean() throws {
        #expect(try Self.findings(Self.valid([("roles", Self.strings(3))])).isEmpty)
    }

    @Test("hard budget: at the limit passes, one byte over is an error costing that byte")
    func hardBudget() throws {
        let report = try Self.report(Self.valid())
        var policy = ClaimPolicy(budget: SizeBudget(bytes: report.totalBytes))
        #expect(!policy.isOverBudget(report))
        #expect(!policy.evaluate(report, now: Self.now).contains { $0.rule == .overBudget })
        policy = ClaimPolicy(budget: SizeBudget(bytes: report.totalBytes - 1))
        #expect(policy.isOverBudget(report))
        let finding = try #require(policy.evaluate(report, now: Self.now).first)
        #expect(finding.rule == .overBudget)
        #expect(finding.severity == .error)
        #expect(finding.bytes == 1)
        #expect(finding.claim == nil)
        #expect(finding.fix.contains("algorithm"))
        let withCustom = try Self.report(Self.valid([("roles", Self.strings(3))]))
        let fix = ClaimPolicy(budget: SizeBudget(bytes: 10)).evaluate(withCustom, now: Self.now).first?.fix
        #expect(fix?.hasPrefix("remove or shorten the largest claims: roles (") == true)
        #expect(fix?.contains("iat") == false)
    }

    @Test("context bytes count against the budget")
    func contextCounts() throws {
        let report = try Self.report(Self.valid())
        let fits = ClaimPolicy(budget: SizeBudget(bytes: report.totalBytes + 22), context: .authorization)
        #expect(fits.bytesInContext(report) == report.totalBytes + 22)
        #expect(!fits.isOverBudget(report))
        let over = ClaimPolicy(budget: SizeBudget(bytes: report.totalBytes + 45), context: .cookie(name: "token"))
        #expect(over.isOverBudget(report))
        #expect(over.evaluate(report, now: Self.now).first?.bytes == 1)
    }

    @Test("soft budget: a warning between soft and hard")
    func softBudget() throws {
        let report = try Self.report(Self.valid())
        var policy = ClaimPolicy()
        policy.softBudget = report.totalBytes
        #expect(policy.evaluate(report, now: Self.now).isEmpty)
        policy.softBudget = report.totalBytes - 3
        let finding = try #require(policy.evaluate(report, now: Self.now).first)
        #expect(finding.rule == .overSoftBudget)
        #expect(finding.severity == .warning)
        #expect(finding.bytes == 3)
        #expect(ClaimPolicy(budget: SizeBudget(bytes: 500)).softBudget == 500)
        #expect(ClaimPolicy(budget: .nginx).softBudget == 1024)
        #expect(ClaimPolicy().budget.bytes == 4096)
    }

    @Test("more than 20 claims")
    func tooManyClaims() throws {
        let twenty = Self.valid((0..<17).map { ("c\($0)", .bool(true)) })
        #expect(twenty.count == 20)
        #expect(try Self.rules(twenty).isEmpty)
        let report = try Self.report(twenty + [("c17", .bool(true))])
        let finding = try #require(ClaimPolicy().evaluate(report, now: Self.now).first)
        #expect(finding.rule == .tooManyClaims)
        #expect(finding.bytes == report.payloadBytes)
        #expect(finding.message.contains("21"))
    }

    @Test("nesting deeper than 2")
    func nesting() throws {
        let two: JSONValue = .object(JSONObject([("roles", Self.strings(2))]))
        #expect(try Self.rules(Self.valid([("realm", two)])).isEmpty)
        let three: JSONValue = .object(JSONObject([("account", two)]))
        let findings = try Self.findings(Self.valid([("resource_access", three)]))
        #expect(findings.map(\.rule) == [.nestedTooDeep])
        #expect(findings[0].claim == "resource_access")
        #expect(findings[0].bytes == (try Self.report(Self.valid([("resource_access", three)]))).cost(of: "resource_access"))
        // The depth told, by shape: empty arrays and objects count as a level, scalars do not.
        let shapes: [(JSONValue, Int)] = [
            (.array([.array([.array([.array([])])])]), 4),
            (.object(JSONObject([("a", .array([.object(JSONObject([]))]))])), 3),
            (.array([.string("s"), .array([.number(JSONNumber(1)), .array([.null])])]), 3),
            (.object(JSONObject([("a", .bool(true)), ("b", .array([.array([]), .object(JSONObject([("c", .array([]))]))]))])), 4),
        ]
        for (value, depth) in shapes {
            #expect(value.depth == depth)  // the policy's walk counts as JSONValue.depth does
            let messages = try Self.findings(Self.valid([("x", value)])).filter { $0.rule == .nestedTooDeep }.map(\.message)
            #expect(messages == ["x nests \(depth) levels deep (limit 2)"])
        }
    }

    @Test("arrays over 16 items, at any depth")
    func arrays() throws {
        #expect(try Self.rules(Self.valid([("groups", Self.strings(16))])).isEmpty)
        let findings = try Self.findings(Self.valid([("groups", Self.strings(17))]))
        #expect(findings.map(\.rule) == [.arrayTooLong])
        #expect(findings[0].message.contains("17"))
        let nested: JSONValue = .object(JSONObject([("ids", Self.strings(40))]))
        let deep = try Self.findings(Self.valid([("team", nested)]))
        #expect(deep.map(\.rule) == [.arrayTooLong])
        #expect(deep[0].message.hasPrefix("team.ids"))
    }

    @Test("strings over 256 UTF-8 bytes")
    func strings() throws {
        #expect(try Self.rules(Self.valid([("bio", .string(String(repeating: "x", count: 256)))])).isEmpty)
        #expect(try Self.rules(Self.valid([("bio", .string(String(repeating: "é", count: 128)))])).isEmpty)
        #expect(try Self.rules(Self.valid([("bio", .string(String(repeating: "x", count: 257)))])) == ["string-too-long"])
        #expect(try Self.rules(Self.valid([("bio", .string(String(repeating: "é", count: 129)))])) == ["string-too-long"])
        let inArray: JSONValue = .array([.string("a"), .string(String(repeating: "y", count: 300))])
        let findings = try Self.findings(Self.valid([("notes", inArray)]))
        #expect(findings.first?.message.hasPrefix("notes[1]") == true)
    }

    @Test("personal data claims", arguments: [
        "email", "Email", "phone_number", "phone", "address", "name", "given_name", "family_name", "middle_name",
        "nickname", "birthdate", "picture",
    ])
    func personalData(name: String) throws {
        let findings = try Self.findings(Self.valid([(name, .string("x"))]))
        #expect(findings.map(\.rule) == [.personalData])
        #expect(findings[0].claim == name)
        #expect(findings[0].severity == .warning)
    }

    @Test("not personal data", arguments: ["preferred_username", "email_verified", "locale", "roles", "username_hash"])
    func notPersonalData(name: String) throws {
        #expect(try Self.rules(Self.valid([(name, .string("x"))])).isEmpty)
    }

    @Test("personal data nested in an object")
    func nestedPersonalData() throws {
        let user: JSONValue = .object(JSONObject([("id", .string("1")), ("email", .string("a@b.c"))]))
        let findings = try Self.findings(Self.valid([("user", user)]))
        #expect(findings.map(\.rule) == [.personalData])
        #expect(findings[0].message.hasPrefix("user.email"))
    }

    @Test("no exp")
    func missingExp() throws {
        let findings = try Self.findings([("sub", .string("u1")), ("iat", Self.int(Self.now))])
        #expect(findings.map(\.rule) == [.missingExpiration])
        #expect(findings[0].bytes == 0)
    }

    @Test("lifetime over 24 h from iat, or from now without iat")
    func lifetime() throws {
        let day: Int64 = 86_400
        #expect(try Self.rules([("iat", Self.int(1000)), ("exp", Self.int(1000 + day))]).isEmpty)
        let findings = try Self.findings([("iat", Self.int(1000)), ("exp", Self.int(1001 + day))])
        #expect(findings.map(\.rule) == [.lifetimeTooLong])
        #expect(findings[0].claim == "exp")
        #expect(try Self.rules([("exp", Self.int(Self.now + day))]).isEmpty)
        #expect(try Self.rules([("exp", Self.int(Self.now + day + 1))]) == ["lifetime-too-long"])
        var policy = ClaimPolicy()
        policy.maxLifetime = 3600
        #expect(try Self.rules([("exp", Self.int(Self.now + 3601))], policy: policy) == ["lifetime-too-long"])
    }

    @Test("iat, nbf and exp must be integers")
    func integerTimes() throws {
        let fraction = try Self.findings([("iat", .number(JSONNumber(validatedText: "1767225600.5"))), ("exp", Self.int(Self.now + 60))])
        #expect(fraction.map(\.rule) == [.timeNotInteger])
        #expect(fraction[0].severity == .warning)
        #expect(fraction[0].claim == "iat")
        let exponent = try Self.findings([("nbf", .number(JSONNumber(validatedText: "1.7e9"))), ("exp", Self.int(Self.now + 60))])
        #expect(exponent.map(\.rule) == [.timeNotInteger])
        let string = try Self.findings([("exp", .string("1767226500"))])
        #expect(string.map(\.rule) == [.timeNotInteger])
        #expect(string[0].severity == .error)
        #expect(try Self.rules([("nbf", Self.int(Self.now)), ("exp", Self.int(Self.now + 60))]).isEmpty)
    }

    @Test("a custom claim that repeats a registered one")
    func duplicates() throws {
        let byName = try Self.findings(Self.valid([("user_id", .string("u1"))]))
        #expect(byName.map(\.rule) == [.duplicateClaim])
        #expect(byName[0].severity == .warning)
        #expect(byName[0].claim == "user_id")
        #expect(byName[0].message.contains("same value"))
        let different = try Self.findings(Self.valid([("iss", .string("a")), ("issuer", .string("b"))]))
        #expect(different.map(\.rule) == [.duplicateClaim])
        #expect(different[0].message.contains("different value"))
        let standIn = try Self.findings([("sub", .string("u1")), ("expiresAt", Self.int(Self.now + 60))])
        #expect(standIn.map(\.rule) == [.missingExpiration, .duplicateClaim])
        #expect(standIn[1].severity == .info)
        let byValue = try Self.findings(Self.valid([("owner", .string("u1"))]))
        #expect(byValue.map(\.rule) == [.duplicateClaim])
        #expect(byValue[0].message.contains("sub"))
        #expect(try Self.rules(Self.valid([("owner", .string("u2")), ("n", Self.int(7)), ("empty", .string(""))])).isEmpty)
    }

    @Test("findings come errors first, then warnings, then notes")
    func ordering() throws {
        let report = try Self.report([
            ("expires", Self.int(1)), ("email", .string("a@b.c")), ("iat", .string("x")),
        ])
        let findings = ClaimPolicy(budget: SizeBudget(bytes: 10)).evaluate(report, now: Self.now)
        let severities = findings.map(\.severity)
        #expect(severities == severities.sorted(by: >))
        #expect(findings.first?.rule == .overBudget)
        #expect(findings.last?.severity == .info)
        #expect(Set(findings.map(\.rule)) == [.overBudget, .timeNotInteger, .missingExpiration, .personalData, .duplicateClaim])
    }

    @Test("rule ids are unique kebab-case and documented")
    func ruleIds() {
        let ids = Finding.Rule.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in Finding.Rule.all {
            #expect(rule.id.allSatisfy { $0 == "-" || ($0.isLowercase && $0.isASCII) })
            #expect(!rule.summary.isEmpty)
        }
    }
}
