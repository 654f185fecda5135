import Foundation
import Testing

/// Issue 6: a project's small-claims policy, `--policy FILE` or `.tokenctl.json` found upward
/// from the working directory, used by `sign` and `inspect-size`.
@Suite("issue 6: policy files")
struct Issue6PolicyTests {
    static let key = Tokenctl.fixture("keys/p256.pem")

    /// Runs the binary in `directory` (the harness runs it in the test's own directory).
    func run(_ arguments: [String], in directory: URL) throws -> RunResult {
        let output = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let stdoutURL = output.appendingPathComponent("stdout"), stderrURL = output.appendingPathComponent("stderr")
        #expect(FileManager.default.createFile(atPath: stdoutURL.path, contents: nil))
        #expect(FileManager.default.createFile(atPath: stderrURL.path, contents: nil))
        let process = Process()
        process.executableURL = Tokenctl.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": output.path, "LC_ALL": "C.UTF-8"]
            .merging(ChildProcess.sanitizerOptions) { given, _ in given }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// A project directory with `claims.json` holding an email, a `.tokenctl.json` policy, and a subdirectory.
    func project(policy: String?) throws -> URL {
        let root = try Tokenctl.temporaryDirectory()
        try Data(#"{"sub":"a","email":"a@example.com"}"#.utf8).write(to: root.appendingPathComponent("claims.json"))
        if let policy { try Data(policy.utf8).write(to: root.appendingPathComponent(".tokenctl.json")) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        return root
    }

    @Test("issue-6: .tokenctl.json in a parent directory allows email for sign and inspect-size")
    func allowedClaimsFoundUpward() throws {
        let bare = try project(policy: nil)
        let flagged = try run(["inspect-size", "--claims", "../claims.json", "--key", Self.key], in: bare.appendingPathComponent("sub"))
        #expect(flagged.stdout.contains("warning[personal-data]"), "\(flagged)")
        let warned = try run(["sign", "--claims", "@../claims.json", "--key", Self.key], in: bare.appendingPathComponent("sub"))
        #expect(warned.status == 0 && warned.stderr.contains("personal data"), "\(warned)")

        let root = try project(policy: #"{"allowed_claims":["email"]}"#)
        let sized = try run(["inspect-size", "--claims", "../claims.json", "--key", Self.key], in: root.appendingPathComponent("sub"))
        #expect(sized.status == 0 && sized.stdout.contains("no findings"), "\(sized)")
        let signed = try run(["sign", "--claims", "@../claims.json", "--key", Self.key], in: root.appendingPathComponent("sub"))
        #expect(signed.status == 0 && signed.stderr.isEmpty, "\(signed)")
    }

    @Test("issue-6: severities and budgets from --policy; an error finding fails inspect-size and refuses sign")
    func severitiesAndBudget() throws {
        let root = try project(policy: nil)
        let policy = root.appendingPathComponent("strict.json")
        try Data(#"{"budget":"1k","severities":{"personal-data":"error"}}"#.utf8).write(to: policy)
        let sized = try run(["inspect-size", "--policy", policy.path, "--claims", "claims.json", "--key", Self.key], in: root)
        #expect(sized.status == 1 && sized.stdout.contains("error[personal-data]") && sized.stdout.contains("of 1024"), "\(sized)")
        let signed = try run(["sign", "--policy", policy.path, "--claims", "@claims.json", "--key", Self.key], in: root)
        #expect(signed.status == 1 && signed.stdout.isEmpty, "\(signed)")
        #expect(signed.stderr.contains("error[over_budget]: the policy makes personal-data an error"), "\(signed)")
        let off = root.appendingPathComponent("off.json")
        try Data(#"{"severities":{"personal-data":"off"}}"#.utf8).write(to: off)
        let quiet = try run(["sign", "--policy", off.path, "--claims", "@claims.json", "--key", Self.key], in: root)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
    }

    @Test("issue-6: unknown fields, rules and severities in a policy file are errors (exit 2)", arguments: [
        #"{"budgett":1}"#, #"{"severities":{"no-such-rule":"error"}}"#, #"{"severities":{"personal-data":"loud"}}"#,
        #"{"severities":{"over-budget":"off"}}"#, #"{"max_claims":"many"}"#, #"[1]"#,
    ])
    func invalidPolicy(policy: String) throws {
        let root = try project(policy: policy)
        for arguments in [["sign", "--key", Self.key], ["inspect-size", "--claims", "claims.json"]] {
            let result = try run(arguments, in: root)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("error[malformed_json]") && result.stderr.contains(".tokenctl.json"), "\(result)")
        }
        let missing = try run(["sign", "--key", Self.key, "--policy", "nope.json"], in: root)
        #expect(missing.status == 2 && missing.stderr.contains("error[input_unreadable]"), "\(missing)")
    }
}
