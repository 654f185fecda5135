import Foundation
import Testing

/// Issue 6, sign and the claim rules: what `sign` refuses, how `-c` reads values, the header
/// options, and inspect-size predicting exactly the bytes `sign` writes.
@Suite("issue 6: sign and the claim rules")
struct Issue6SignTests {
    static let now = "1800000000"
    static let key = Tokenctl.fixture("keys/p256.pem")
    static let secret = Tokenctl.fixture("keys/hs256.secret")

    func sign(_ arguments: [String], home: URL? = nil) throws -> RunResult {
        try Tokenctl.run(["sign", "--now", Self.now] + arguments, home: home)
    }

    /// The payload of a token printed by `sign`, as JSON text.
    func payload(_ token: String) throws -> String {
        let decoded = try Tokenctl.run(["decode", "--json", "--now", Self.now, token])
        return decoded.stdout
    }

    /// A file with these contents in a new temporary directory.
    func file(_ name: String, _ contents: [UInt8]) throws -> String {
        let url = try Tokenctl.temporaryDirectory().appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    // MARK: item 1: times

    @Test("issue-6: --exp 3600 is an instant in 1970: refused, with the instants and a hint for a duration")
    func bareNumberExpiry() throws {
        let result = try sign(["--key", Self.key, "--sub", "a", "--exp", "3600"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("tokenctl: sign: error[invalid_claim]: exp 1970-01-01T01:00:00Z"))
        #expect(result.stderr.contains("iat 2027-01-15T08:00:00Z"))
        #expect(result.stderr.contains("--exp 1h"))
        #expect(result.stderr.contains("--allow-invalid-times"))
    }

    @Test("issue-6: tokens that are expired or never valid are refused", arguments: [
        ["--exp", "0s"],
        ["--nbf", "10m", "--exp", "5m"],
        ["--iat", "0", "--exp", "5m"],
        ["--exp", "2020-01-01T00:00:00Z"],
        ["--iat", "1900000000", "--exp", "1899999999"],
    ])
    func invalidTimes(arguments: [String]) throws {
        let result = try sign(["--key", Self.key, "--sub", "a"] + arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error[invalid_claim]"))
        if arguments.contains("5m") {
            #expect(result.stderr.contains("--exp 5m is counted from iat") || result.stderr.contains("--exp 5m are counted from iat"), "\(result)")
        }
        #expect(result.stderr.contains("--allow-invalid-times"))
        // The same token on purpose, for a test fixture.
        let allowed = try sign(["--key", Self.key, "--sub", "a", "--allow-invalid-times"] + arguments)
        #expect(allowed.status == 0, "\(allowed)")
    }

    @Test("issue-6: a claims file with an old iat and no exp: exp = iat + 15m, already expired, refused")
    func oldIssuedAtInFile() throws {
        let claims = try file("claims.json", Array(#"{"iat":1,"sub":"a"}"#.utf8))
        let refused = try sign(["--key", Self.key, "--claims", "@" + claims])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("error[invalid_claim]: exp 1970-01-01T00:15:01Z (901) is not after now"))
        let allowed = try sign(["--key", Self.key, "--claims", "@" + claims, "--allow-invalid-times"])
        #expect(allowed.status == 0, "\(allowed)")
        #expect(try payload(allowed.output).contains(#""exp":901"#))
    }

    @Test("issue-6: +1h is a duration counted from iat; a valid window signs")
    func plusDuration() throws {
        let result = try sign(["--key", Self.key, "--iat", "1800000100", "--exp", "+1h", "--nbf", "+1m"])
        #expect(result.status == 0, "\(result)")
        let shown = try payload(result.output)
        #expect(shown.contains(#""iat":1800000100"#) && shown.contains(#""exp":1800003700"#))
        #expect(shown.contains(#""nbf":1800000160"#))
        let bad = try Tokenctl.run(["sign", "--key", Self.key, "--exp", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("counted from iat"), "\(bad)")
    }

    // MARK: item 2: claim types

    @Test("issue-6: sign refuses registered claims of the wrong type", arguments: [
        ["-c", "exp:=\"soon\""], ["-c", "exp=soon"], ["-c", "sub:=5"], ["-c", "aud:=5"], ["-c", "iss:=[\"a\"]"],
        ["-c", "jti:=true"], ["-c", "aud:=[\"api\",5]"], ["-c", "iat:=1e300"],
    ])
    func wrongTypesRefused(arguments: [String]) throws {
        let result = try sign(["--key", Self.key] + arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error[invalid_claim]: claim \""), "\(result)")
    }

    @Test("issue-6: verify rejects registered claims of the wrong type, with or without --sub/--iss", arguments: [
        "sub-number", "aud-number", "aud-mixed-array", "iss-array", "jti-number", "exp-string", "iat-string", "nbf-huge",
    ])
    func wrongTypesRejected(name: String) throws {
        let token = try String(contentsOfFile: Tokenctl.fixture("wrong-types/hs256-\(name).jwt"), encoding: .utf8)
        for extra in [[], ["--sub", "a", "--iss", "a"]] {
            let result = try Tokenctl.run(
                ["verify", "--secret-file", Self.secret, "--now", Self.now] + extra + ["-"], input: token)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("tokenctl: verify: error[invalid_claim]: claim \""), "\(result)")
        }
    }

    // MARK: item 5: -c NAME=VALUE and NAME:=JSON

    @Test("issue-6: -c NAME=VALUE is always a string, -c NAME:=JSON is JSON")
    func claimAssignments() throws {
        let result = try sign([
            "--key", Self.key, "-c", "n=123", "-c", "zip=00123", "-c", "flag=true", "-c", "level:=3",
            "-c", "ok:=true", "-c", #"groups:=["a","b"]"#, "-c", "url=a=b", "--header", "x:=1", "--header", "y=2",
        ])
        #expect(result.status == 0, "\(result)")
        let shown = try payload(result.output)
        #expect(shown.contains(#""n":"123","zip":"00123","flag":"true","level":3,"ok":true,"groups":["a","b"],"url":"a=b""#))
        #expect(shown.contains(#""x":1,"y":"2""#))
        let bad = try sign(["--key", Self.key, "-c", "groups:=[a"])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("error[invalid_value]") && bad.stderr.contains("not JSON"))
    }

    // MARK: item 6: header options

    @Test("issue-6: --no-kid and --no-typ leave them out")
    func noKidNoTyp() throws {
        let result = try sign(["--key", Self.key, "--no-kid", "--no-typ", "--json"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(#""header":{"alg":"ES256"}"#), "\(result)")
        let both = try sign(["--key", Self.key, "--kid", "a", "--no-kid"])
        #expect(both.status == 2 && both.stderr.contains("error[conflicting_options]"), "\(both)")
    }

    @Test("issue-6: --header typ/kid/alg with the option that sets it is a usage error", arguments: [
        ["--header", "typ=x", "--typ", "y"], ["--header", "typ=x", "--no-typ"], ["--header", "kid=a", "--kid", "b"],
        ["--header", "kid=a", "--no-kid"], ["--header", "alg=HS256"], ["--header", "alg=ES256", "--alg", "ES256"],
    ])
    func headerConflicts(arguments: [String]) throws {
        let result = try sign(["--key", Self.key] + arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error[conflicting_options]"), "\(result)")
    }

    @Test("issue-6: --header typ alone still sets typ")
    func headerTypeAlone() throws {
        let result = try sign(["--key", Self.key, "--header", "typ=at+jwt", "--json"])
        #expect(result.status == 0 && result.stdout.contains(#""typ":"at+jwt""#), "\(result)")
    }

    @Test("issue-6: --kid picks a kid-less key of a private JWKS by its RFC 7638 thumbprint")
    func kidByThumbprint() throws {
        let jwks = Tokenctl.fixture("keys/private-no-kid.jwks.json")
        let unnamed = try sign(["--key", jwks])
        #expect(unnamed.status == 2 && unnamed.stderr.contains("thumbprint"), "\(unnamed)")
        // The thumbprint sign writes as the default kid of each key.
        for (single, alg) in [("keys/p256.pem", "ES256"), ("keys/ed25519.pem", "EdDSA")] {
            let named = try sign(["--key", Tokenctl.fixture(single), "--json"])
            let kid = try #require(named.stdout.firstMatch(of: /"kid":"([^"]+)"/)?.1)
            let picked = try sign(["--key", jwks, "--kid", String(kid), "--json"])
            #expect(picked.status == 0, "\(picked)")
            #expect(picked.stdout.contains(#""header":{"alg":"\#(alg)","kid":"\#(kid)""#), "\(picked)")
        }
        let unknown = try sign(["--key", jwks, "--kid", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("error[key_unsuitable]"), "\(unknown)")
    }

    @Test("issue-6: a PEM pasted with indentation (from YAML) loads")
    func indentedPEM() throws {
        let pem = try String(contentsOfFile: Self.key, encoding: .utf8)
        let indented = pem.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let path = try file("indented.pem", Array(indented.utf8))
        let result = try sign(["--key", path, "--sub", "a"])
        #expect(result.status == 0, "\(result)")
        let verified = try Tokenctl.run(
            ["verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), "--now", Self.now, "-q", result.output])
        #expect(verified.status == 0, "\(verified)")
    }

    // MARK: item 9: option values that start with '-'

    @Test("issue-6: an option value may start with '-' (getopt): sign --kid -abc, verify --sub -x")
    func dashValues() throws {
        let signed = try sign(["--key", Self.key, "--kid", "-abc", "--sub", "-x", "--json"])
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stdout.contains(#""kid":"-abc""#))
        let token = try #require(signed.stdout.firstMatch(of: /"token":"([^"]+)"/)?.1)
        let verified = try Tokenctl.run([
            "verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), "--now", Self.now, "--sub", "-x", "-q", String(token),
        ])
        #expect(verified.status == 0, "\(verified)")
        let wrong = try Tokenctl.run([
            "verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), "--now", Self.now, "--sub", "-y", String(token),
        ])
        #expect(wrong.status == 1 && wrong.stderr.contains("error[subject_mismatch]"), "\(wrong)")
    }

    // MARK: item 7: messages

    @Test("issue-6: --claims naming a file without @ says to use @")
    func claimsWithoutAt() throws {
        let path = try file("c.json", Array(#"{"sub":"a"}"#.utf8))
        let result = try sign(["--key", Self.key, "--claims", path])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("--claims @\(path)"), "\(result)")
    }

    @Test("issue-6: a UTF-8 BOM at the start of a claims file is named")
    func claimsWithBOM() throws {
        let path = try file("bom.json", [0xEF, 0xBB, 0xBF] + Array(#"{"sub":"a"}"#.utf8))
        let result = try sign(["--key", Self.key, "--claims", "@" + path])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("byte order mark (BOM"), "\(result)")
    }

    @Test("issue-6: segment counts and type names read as English")
    func grammar() throws {
        let one = try Tokenctl.run(["decode", "abc"])
        #expect(one.stderr.contains("token has 1 segment;") || one.stdout.contains("token has 1 segment;"), "\(one)")
        let array = try Tokenctl.run(
            ["verify", "--secret-file", Self.secret, "--now", Self.now, "-"],
            input: try String(contentsOfFile: Tokenctl.fixture("wrong-types/hs256-iss-array.jwt"), encoding: .utf8))
        #expect(array.stderr.contains("found an array"), "\(array)")
    }

    @Test("issue-6: decode says relative times as people say them")
    func spokenTimes() throws {
        let token = try sign(["--key", Self.key, "--exp", "1h"]).output
        let later = try Tokenctl.run(["decode", "--now", String(1_800_000_000 + 3 * 86_400 + 3600 + 5), token])
        #expect(later.stdout.contains("expired 3 days ago"), "\(later)")
        let sooner = try Tokenctl.run(["decode", "--now", String(1_800_000_000 + 3600 - 14 * 60 - 30), token])
        #expect(sooner.stdout.contains("expires in 14 minutes"), "\(sooner)")
        let delayed = try sign(["--key", Self.key, "--nbf", "1m", "--exp", "1h"]).output
        let early = try Tokenctl.run(["decode", "--now", Self.now, delayed])
        #expect(early.stdout.contains("becomes valid in 1 minute"), "\(early)")
        let later2 = try Tokenctl.run(["decode", "--now", String(1_800_000_000 + 30 * 60), delayed])
        #expect(later2.stdout.contains("became valid 29 minutes ago"), "\(later2)")
    }
}

/// Issue 6: TokenKit names a remedy; tokenctl turns it into the option that applies it.
@Suite("issue 6: CLI hints for TokenKit remedies")
struct Issue6HintTests {
    @Test("issue-6: the CLI adds --allow-no-exp, --max-token-bytes and --password-file to TokenKit's reasons")
    func hints() throws {
        let key = Tokenctl.fixture("keys/p256.pem")
        let token = try Tokenctl.run(["sign", "--key", key, "--no-exp", "--now", "1800000000"]).output
        let noExp = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), "--now", "1800000000", token])
        #expect(noExp.status == 1)
        #expect(noExp.stderr == "tokenctl: verify: error[missing_claim]: token has no \"exp\" claim: it would never expire; "
            + "pass --allow-no-exp to accept tokens that never expire\n", "\(noExp)")
        let large = try Tokenctl.run(["decode", "--max-token-bytes", "100", token])
        #expect(large.stderr.contains("over the 100-byte limit; raise the limit with --max-token-bytes"), "\(large)")
        let encrypted = try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/p256.encrypted.pem")])
        #expect(encrypted.status == 2)
        #expect(encrypted.stderr.contains("no password was given; pass its password with --password-file or --password-env"), "\(encrypted)")
    }
}
