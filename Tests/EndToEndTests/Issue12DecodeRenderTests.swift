import Foundation
import Testing

/// Issue 12: `decode` and `inspect-size` render batch results straight into the output
/// buffer (JSON written as bytes, header and payload copied when compact). Their output must
/// stay byte for byte what the JSON-tree and string renderers printed: Fixtures/render/ holds
/// a varied batch and the output of every form before the change.
@Suite("issue 12: decode and inspect-size output unchanged by the byte renderers")
struct Issue12DecodeRenderTests {
    static let now = "2026-01-01T00:00:00Z"
    static let corpus = Tokenctl.fixture("render/corpus.txt")

    static func expected(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Tokenctl.fixture("render/\(name).out"))))
    }

    /// Runs `arguments` over the corpus on standard input; every form exits 1 (the corpus has
    /// malformed lines) and prints nothing on standard error.
    static func run(_ arguments: [String]) throws -> RunResult {
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: corpus)))
        let result = try Tokenctl.run(arguments + ["--now", now, "-"], stdin: input, environment: ["NO_COLOR": "1"])
        #expect(result.status == 1, "\(arguments): exit \(result.status)")
        #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        return result
    }

    /// The first differing line, to make a failure readable.
    static func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String {
        let left = actual.split(separator: 0x0A, omittingEmptySubsequences: false)
        let right = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, (a, b)) in zip(left, right).enumerated() where a != b {
            return "line \(index + 1):\n got  \(String(decoding: a, as: UTF8.self))\n want \(String(decoding: b, as: UTF8.self))"
        }
        return "\(left.count) lines, expected \(right.count)"
    }

    static func expectSame(_ arguments: [String], _ golden: String) throws {
        let result = try run(arguments)
        let expected = try expected(golden)
        #expect(result.stdoutBytes == expected, "\(arguments): \(firstDifference(result.stdoutBytes, expected))")
    }

    @Test("decode --json prints each token's result as before, alone and with --jobs 2")
    func decodeJSON() throws {
        try Self.expectSame(["decode", "--json"], "decode-json")
        try Self.expectSame(["decode", "--json", "--jobs", "2"], "decode-json")
    }

    @Test("decode text (-n) prints each token's result as before")
    func decodeText() throws {
        try Self.expectSame(["decode", "-n"], "decode-text")
        try Self.expectSame(["decode", "-n", "--jobs", "2"], "decode-text")
    }

    @Test("inspect-size --format json prints each input's result as before, alone and with --jobs 2")
    func sizeJSON() throws {
        try Self.expectSame(["inspect-size", "--format", "json"], "size-json")
        try Self.expectSame(["inspect-size", "--format", "json", "--jobs", "2"], "size-json")
    }

    @Test("a line that is a bare token, decoded from its bytes, prints as the same token read from a Bearer line")
    func bareLineAsBearerLine() throws {
        let lines = try String(contentsOfFile: Self.corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        // Bare tokens (read from the line's bytes) and other lines (read through the input's
        // token extraction), each token on both kinds of line, one after the other.
        let tokens = lines.filter { $0.hasPrefix("eyJ") && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }
        #expect(tokens.count >= 5)
        let input = tokens.map { "\($0)\nBearer \($0)\n" }.joined()
        for jobs in ["1", "2"] {
            let json = try Tokenctl.run(["decode", "--json", "--jobs", jobs, "--now", Self.now], input: input)
            let results = json.stdout.split(separator: "\n").map(String.init)
            #expect(results.count == 2 * tokens.count)
            for pair in stride(from: 0, to: results.count - 1, by: 2) {
                #expect(results[pair].replacingOccurrences(of: #""line":\#(pair + 1)}"#, with: #""line":\#(pair + 2)}"#) == results[pair + 1])
            }
            let text = try Tokenctl.run(["decode", "--jobs", jobs, "--now", Self.now], input: input, environment: ["NO_COLOR": "1"])
            #expect(text.status == json.status)
            // Results are separated by a blank line; the last ends the output with its line break.
            #expect(text.stdout.hasSuffix("\n"))
            let blocks = text.stdout.dropLast().components(separatedBy: "\n\n")
            #expect(blocks.count == 2 * tokens.count)
            for pair in stride(from: 0, to: blocks.count - 1, by: 2) { #expect(blocks[pair] == blocks[pair + 1]) }
        }
    }

    @Test("inspect-size --format github and the text report print as before")
    func sizeGitHubAndText() throws {
        try Self.expectSame(["inspect-size", "--format", "github"], "size-github")
        try Self.expectSame(["inspect-size", "--context", "cookie"], "size-text")
    }
}
