import Foundation
import Testing

/// Issue 3 from the outside: `inspect-size` failing a CI step, and `sign` refusing bloat.
@Suite("size budgets")
struct SizeTests {
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let admin = Tokenctl.fixture("claims/admin.json")
    static let reader = Tokenctl.fixture("claims/reader.json")

    @Test("inspect-size --budget cookie --format github fails a pipeline on a bloated claim set")
    func githubAnnotations() throws {
        let result = try Tokenctl.run(["inspect-size", "--budget", "cookie", "--format", "github", Self.admin, Self.reader])
        #expect(result.status == 1, "\(result)")
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(annotations.contains { $0.hasPrefix("::error file=\(Self.admin)") && $0.contains("over-budget") && $0.contains("groups") })
        #expect(annotations.contains { $0.hasPrefix("::warning file=\(Self.admin)") && $0.contains("personal-data") })
        #expect(!annotations.contains { $0.contains(Self.reader) })
        let passing = try Tokenctl.run(["inspect-size", "--budget", "cookie", "--format", "github", Self.reader])
        #expect(passing.status == 0, "\(passing)")
    }

    @Test("inspect-size --format json sizes a claim set exactly as sign encodes it")
    func exactClaimSetSize() throws {
        let signed = try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.reader, "--now", "1800000000"])
        #expect(signed.status == 0)
        let sized = try Tokenctl.run(["inspect-size", "--key", Self.key, "--format", "json", "--now", "1800000000", Self.reader])
        #expect(sized.status == 0, "\(sized)")
        #expect(sized.stdout.replacingOccurrences(of: " ", with: "").contains("\"total_bytes\":\(signed.output.utf8.count)"), "\(sized)")
        let token = try Tokenctl.run(["inspect-size", "--format", "json"], input: signed.stdout)
        #expect(token.stdout.replacingOccurrences(of: " ", with: "").contains("\"total_bytes\":\(signed.output.utf8.count)"), "\(token)")
    }

    @Test("sign warns about findings and refuses a token over 4 KiB unless allowed")
    func signRefusesBloat() throws {
        let refused = try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.admin])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("error[over_budget]"))
        #expect(refused.stderr.contains("warning: email is personal data"))
        let allowed = try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.admin, "--allow-large"])
        #expect(allowed.status == 0 && allowed.output.utf8.count > 4096, "\(allowed)")
        let raised = try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.admin, "--max-bytes", "16k"])
        #expect(raised.status == 0, "--max-bytes reads 16k as --budget does: \(raised)")
        #expect(try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.admin, "--max-bytes", "16384"]).status == 0)
        let small = try Tokenctl.run(["sign", "--key", Self.key, "--sub", "a", "--max-bytes", "200"])
        #expect(small.status == 1 && small.stderr.contains("error[over_budget]"), "\(small)")
    }

    @Test("decode shows the size summary and findings")
    func decodeShowsSize() throws {
        let token = try Tokenctl.run(["sign", "--key", Self.key, "--claims", "@" + Self.admin, "--allow-large"]).output
        let decoded = try Tokenctl.run(["decode", token])
        #expect(decoded.status == 0)
        #expect(decoded.stdout.contains("error[over-budget]") && decoded.stdout.contains("warning[array-too-long]"), "\(decoded)")
    }
}
