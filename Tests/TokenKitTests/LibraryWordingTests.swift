import Testing
@testable import TokenKit

/// TokenKit speaks of its own API: no command-line option names (`--flag`) in error-code
/// summaries, finding texts or rule summaries. A front end adds its own hints.
@Suite("Library wording")
struct LibraryWordingTests {
    static func hasOptionName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == 0x2D && bytes[index + 1] == 0x2D {
            let next = bytes[index + 2]
            if next >= 0x61 && next <= 0x7A, index == 0 || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x28 {
                return true
            }
        }
        return false
    }

    @Test("the option-name detector finds a flag and ignores PEM dashes")
    func detector() {
        #expect(Self.hasOptionName("give it a short lifetime (sign --exp 15m)"))
        #expect(Self.hasOptionName("--alg"))
        #expect(!Self.hasOptionName("expected -----BEGIN ...-----"))
        #expect(!Self.hasOptionName("allowed by the accepted algorithms"))
    }

    @Test("error-code summaries name no command-line option")
    func codeSummaries() {
        for code in TokenError.Code.all {
            #expect(!Self.hasOptionName(code.summary), "\(code.id): \(code.summary)")
        }
        for rule in Finding.Rule.all {
            #expect(!Self.hasOptionName(rule.summary), "\(rule.id): \(rule.summary)")
        }
    }

    @Test("findings of a claim set that triggers many rules name no command-line option")
    func findings() throws {
        let sets: [[(String, JSONValue)]] = [
            [("sub", .string("u1")), ("iat", ClaimPolicyTests.int(ClaimPolicyTests.now))],
            [("expires", ClaimPolicyTests.int(1)), ("email", .string("a@b.c")), ("iat", .string("x"))],
            [("sub", .string("u1")), ("iat", ClaimPolicyTests.int(ClaimPolicyTests.now)),
             ("exp", ClaimPolicyTests.int(ClaimPolicyTests.now + 10 * 86_400)), ("groups", ClaimPolicyTests.strings(40))],
        ]
        var seen = 0
        for pairs in sets {
            for finding in ClaimPolicy(budget: SizeBudget(bytes: 10)).evaluate(try ClaimPolicyTests.report(pairs), now: ClaimPolicyTests.now) {
                seen += 1
                #expect(!Self.hasOptionName(finding.message), "\(finding.rule.id): \(finding.message)")
                #expect(!Self.hasOptionName(finding.fix), "\(finding.rule.id): \(finding.fix)")
            }
        }
        #expect(seen >= 6)
    }
}
