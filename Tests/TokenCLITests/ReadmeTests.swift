import Foundation
import Testing
import TokenKit

/// The README documents every named budget, every policy rule and every error code; this
/// fails when one is added without its documentation.
@Suite("README coverage")
struct ReadmeTests {
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    @Test("every named budget is in the README with its size")
    func budgets() {
        for budget in SizeBudget.known {
            #expect(Self.readme.contains("| `\(budget.name ?? "")` | \(budget.bytes) |"), "\(budget)")
        }
    }

    @Test("every size rule is in the README")
    func rules() {
        for rule in Finding.Rule.all {
            #expect(Self.readme.contains("| `\(rule.id)` |"), "\(rule.id)")
        }
    }

    @Test("the README gives the test command and the demo")
    func commands() {
        #expect(Self.readme.contains("make test"))
        #expect(Self.readme.contains("make demo"))
    }
}
