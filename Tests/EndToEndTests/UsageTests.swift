import Foundation
import Testing

/// Exit status 2 and the help surface, as a user meets them.
@Suite("usage, configuration and help")
struct UsageTests {
    static let secret = Tokenctl.fixture("keys/hs256.secret")

    func expectUsage(_ arguments: [String], code: String, input: String? = nil, environment: [String: String] = [:],
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Tokenctl.run(arguments, stdin: input.map { Array($0.utf8) }, environment: environment)
        #expect(result.status == 2, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("error[\(code)]: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    }

    @Test("--version and help go to stdout with exit 0")
    func versionAndHelp() throws {
        let version = try Tokenctl.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("tokenctl "), "\(version)")
        for command in ["sign", "verify", "decode", "inspect-size"] {
            let help = try Tokenctl.run([command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("USAGE") && help.stdout.contains("EXIT STATUS"), "\(help)")
            #expect(try Tokenctl.run(["help", command]).stdout == help.stdout)
        }
    }

    @Test("bad options")
    func badOptions() throws {
        try expectUsage(["verify", "--keey", "x", "t"], code: "unknown_option")
        try expectUsage(["sign", "--sub"], code: "missing_value")
        try expectUsage(["sign", "--alg", "none"], code: "invalid_value")
        try expectUsage(["sign", "--exp", "5m", "--no-exp"], code: "conflicting_options")
        try expectUsage(["verify", "--key", "a", "--secret-file", "b", "t"], code: "conflicting_options")
        try expectUsage(["frobnicate"], code: "unknown_command")
        try expectUsage(["sign", "--exp", "soon"], code: "invalid_value")
        try expectUsage(["verify", "--secret-file", Self.secret, "--leeway", "forever", "t"], code: "invalid_value")
        try expectUsage(["sign", "--now", "yesterday"], code: "invalid_value")
    }

    @Test("keys that cannot be used")
    func keys() throws {
        try expectUsage(["verify", "--key", "/nonexistent/key.pem", "t"], code: "input_unreadable")
        try expectUsage(["sign", "--key", Tokenctl.fixture("keys/README.md")], code: "malformed_key")
        try expectUsage(["sign", "--key", Tokenctl.fixture("keys/rsa1024.pem")], code: "weak_key")
        try expectUsage(["sign", "--key", Tokenctl.fixture("keys/p256.pub.pem")], code: "key_unsuitable")
        try expectUsage(["sign", "--key", Tokenctl.fixture("keys/p256.pem"), "--alg", "RS256"], code: "key_unsuitable")
        try expectUsage(["sign", "--secret-env", "NOPE"], code: "input_unreadable")
        try expectUsage(["verify", "t"], code: "key_unsuitable")
    }

    @Test("bad --claims JSON is a usage error, not a rejection")
    func badClaims() throws {
        try expectUsage(["sign", "--secret-file", Self.secret, "--claims", "{\"a\":1,\"a\":2}"], code: "malformed_json")
        try expectUsage(["sign", "--secret-file", Self.secret, "--claims", "[1]"], code: "malformed_json")
        try expectUsage(["sign", "--secret-file", Self.secret, "--claims", "-"], code: "malformed_json", input: "{oops")
        try expectUsage(["sign", "--secret-file", Self.secret, "--claims", "@/nonexistent.json"], code: "input_unreadable")
        try expectUsage(["sign", "--secret-file", Self.secret, "--header", "alg=none"], code: "conflicting_options")
    }

    @Test("no token at all")
    func noToken() throws {
        try expectUsage(["verify", "--secret-file", Self.secret], code: "missing_argument", input: "")
        try expectUsage(["decode"], code: "missing_argument", input: "")
        // Blank lines are inputs of their own (issue 6): one malformed result each, exit 1.
        let blank = try Tokenctl.run(["decode"], input: "\n\n")
        #expect(blank.status == 1 && blank.stdout.components(separatedBy: "invalid malformed: ").count == 3, "\(blank)")
    }

    @Test("colour only when asked for or on a terminal")
    func colour() throws {
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", "1800000000"]).output
        #expect(try Tokenctl.run(["decode", "--color", "always", token]).stdout.contains("\u{1B}[1mHeader:"))
        #expect(!(try Tokenctl.run(["decode", token]).stdout.contains("\u{1B}")))
        #expect(!(try Tokenctl.run(["decode", "--color", "never", token]).stdout.contains("\u{1B}")))
    }

    @Test("secrets never reach output")
    func secretsStayOut() throws {
        let secret = "a-very-long-hmac-secret-of-at-least-32-bytes!"
        let token = try Tokenctl.run(["sign", "--secret-env", "S", "--json", "--now", "1800000000"], environment: ["S": secret])
        #expect(token.status == 0)
        #expect(!token.stdout.contains(secret) && !token.stderr.contains(secret))
        let wrong = try Tokenctl.run(["verify", "--secret-env", "S", "--json", "garbage"], environment: ["S": secret])
        #expect(!wrong.stdout.contains(secret) && !wrong.stderr.contains(secret))
        let badHex = try Tokenctl.run(["verify", "--secret-env", "S", "--secret-encoding", "hex", "t"], environment: ["S": secret])
        #expect(badHex.status == 2 && !badHex.stderr.contains(secret), "\(badHex)")
    }
}
