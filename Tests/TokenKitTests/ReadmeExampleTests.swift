import Foundation
import Testing
import TokenKit

/// The README's TokenKit example, kept compiling and true: ``example()`` runs the code
/// between the markers below, and ``matchesReadme()`` checks that README.md's Swift block
/// (the one that starts with `import TokenKit`) is that same code, line for line.
@Suite("README example")
struct ReadmeExampleTests {
    /// The README example, verbatim (comments and indentation aside).
    static func readmeExample() throws -> (token: String, verifier: TokenVerifier) {
        // README example begin
        let key = try Key.generate(for: .es256)
        var claims = ClaimSetBuilder()
        claims.set("sub", .string("alice"))
        claims.fillDefaults(now: 1_800_000_000, lifetime: ClaimSetBuilder.defaultLifetime)
        let token = try TokenSigner(key: key).sign(claims.claims)

        let requirements = ClaimRequirements(now: 1_800_000_060)   // exp required, no leeway
        let verifier = TokenVerifier(
            signatureVerifier: try SignatureVerifier(keys: [key]), requirements: requirements)
        let verified = try verifier.verify(token)      // throws TokenError with a stable code
        print(verified.claims.object["sub"] ?? .null)
        // README example end
        return (token, verifier)
    }

    @Test("signs and verifies as the README shows")
    func example() throws {
        let (token, verifier) = try Self.readmeExample()
        let verified = try verifier.verify(token)
        #expect(verified.claims.object["sub"] == .string("alice"))
        #expect(verified.algorithm == .es256)

        var late = verifier
        late.requirements.now = 1_800_000_900
        #expect(throws: TokenError(.expired, "")) { try late.verify(token) }
    }

    /// The lines of code, without `//` comments, surrounding blanks and empty lines.
    static func codeLines<S: Sequence>(_ lines: S) -> [String] where S.Element: StringProtocol {
        lines.compactMap { line -> String? in
            var text = String(line)
            if let comment = text.range(of: "//") { text = String(text[..<comment.lowerBound]) }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// The Swift block of `markdown` whose first line is `import TokenKit`, without that line.
    static func readmeBlock(_ markdown: String) -> [Substring]? {
        var block: [Substring]?
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil {
                if line == "```swift" { current = [] }
            } else if line == "```" {
                if current?.first == "import TokenKit" { block = Array(current!.dropFirst()) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        return block
    }

    @Test("README.md's Swift example is the code this suite runs")
    func matchesReadme() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let documented = Self.codeLines(try #require(Self.readmeBlock(readme), "README.md has no Swift block starting with import TokenKit"))

        let source = try String(contentsOf: here, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let begin = try #require(source.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// README example begin" })
        let end = try #require(source.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// README example end" })
        let tested = Self.codeLines(source[(begin + 1)..<end])

        #expect(documented.count >= 8)
        #expect(documented == tested)
    }

    @Test("the block finder takes the block that starts with import TokenKit")
    func blockFinder() {
        let markdown = "```swift\n.package(path: \"x\")\n```\n\n```swift\nimport TokenKit\n\nlet a = 1 // one\n```\n"
        #expect(Self.readmeBlock(markdown).map { Self.codeLines($0) } == ["let a = 1"])
        #expect(Self.readmeBlock("```swift\nlet a = 1\n```\n") == nil)
    }
}
