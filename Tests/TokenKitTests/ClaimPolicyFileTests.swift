import Foundation
import Testing
@testable import TokenKit

/// `ClaimPolicy(json:)` and `ClaimPolicy.findFile(from:)` (issue 6).
@Suite("ClaimPolicy files")
struct ClaimPolicyFileTests {
    func policy(_ json: String) throws -> ClaimPolicy { try ClaimPolicy(json: Array(json.utf8)) }

    @Test("every member changes its limit; the rest keep their defaults")
    func members() throws {
        let loaded = try policy(#"""
            {"budget":"cookie","soft_budget":2000,"max_claims":3,"max_depth":4,"max_array_items":5,
             "max_string_bytes":6,"max_lifetime":"2h","allowed_claims":["Email"],
             "severities":{"personal-data":"error","duplicate-claim":"off"}}
            """#)
        #expect(loaded.budget == .cookie && loaded.softBudget == 2000 && loaded.maxClaims == 3)
        #expect(loaded.maxDepth == 4 && loaded.maxArrayItems == 5 && loaded.maxStringBytes == 6)
        #expect(loaded.maxLifetime == 7200 && loaded.allowedClaims == ["email"])
        #expect(loaded.severities["personal-data"] == .some(.error))
        #expect(loaded.severities["duplicate-claim"] == .some(nil))
        let defaults = try policy("{}")
        #expect(defaults == ClaimPolicy())
        #expect(try policy(#"{"budget":512}"#).softBudget == 512)
    }

    @Test("severities change and silence findings; allowed claims are not personal data")
    func evaluation() throws {
        let claims = JSONObject([("sub", .string("a")), ("email", .string("a@b.c"))])
        let report = SizeReport(claimSet: claims, algorithm: .es256, now: 0)
        #expect(ClaimPolicy().evaluate(report, now: 0).contains { $0.rule == .personalData && $0.severity == .warning })
        #expect(try policy(#"{"severities":{"personal-data":"error"}}"#).evaluate(report, now: 0).first?.severity == .error)
        #expect(try policy(#"{"severities":{"personal-data":"off"}}"#).evaluate(report, now: 0).isEmpty)
        #expect(try policy(#"{"allowed_claims":["email"]}"#).evaluate(report, now: 0).isEmpty)
    }

    @Test("unknown or ill-typed members are errors", arguments: [
        #"{"budgett":1}"#, #"{"severities":{"nope":"error"}}"#, #"{"severities":{"personal-data":"loud"}}"#,
        #"{"severities":{"over-budget":"off"}}"#, #"{"max_claims":-1}"#, #"{"allowed_claims":"email"}"#,
        #"{"max_lifetime":"soon"}"#, #"{"budget":true}"#, "[]",
    ])
    func invalid(json: String) {
        #expect(throws: TokenError(.malformedJSON, "")) { try policy(json) }
    }

    @Test("the file is found in the directory or the nearest parent")
    func findsUpward() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        let deep = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(ClaimPolicy.findFile(from: deep.path) == nil || !ClaimPolicy.findFile(from: deep.path)!.hasPrefix(root.path))
        try Data("{}".utf8).write(to: root.appendingPathComponent(".tokenctl.json"))
        #expect(ClaimPolicy.findFile(from: deep.path) == root.appendingPathComponent(".tokenctl.json").standardizedFileURL.path)
    }
}
