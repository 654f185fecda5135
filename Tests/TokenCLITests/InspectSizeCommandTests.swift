import Foundation
import Testing
import TokenKit
@testable import TokenCLI

/// Runs `inspect-size` in-process on buffers.
struct InspectSizeRun {
    var status: TokenCLI.ExitStatus
    var stdout: String
    var stderr: String

    init(_ options: [(String, String?)] = [], _ positionals: [String] = [], stdin: String = "", terminal: Bool = false) throws {
        let out = BufferOutput()
        let err = BufferOutput()
        let console = Console(stdin: BufferInput(stdin, isTerminal: terminal), stdout: out, stderr: err, environment: [:])
        let arguments = ParsedArguments(
            occurrences: options.map { ParsedArguments.Occurrence(name: $0.0, value: $0.1) }, positionals: positionals)
        status = try InspectSizeCommand.run(arguments, console)
        stdout = out.text
        stderr = err.text
    }

    /// The JSON output, parsed (one input: one JSON line).
    var json: JSONValue {
        get throws { try JSONParser.parse(stdout) }
    }

    /// The JSON Lines output, one object per input.
    var jsonLines: [JSONObject] {
        get throws {
            try stdout.split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
        }
    }
}

/// A scratch directory for claim-set and token files.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

@Suite("inspect-size command")
struct InspectSizeCommandTests {
    static let now = "1767225600"

    /// An HS256 token with these claims and a 32-byte signature.
    static func token(_ claims: String, kid: String? = nil) throws -> String {
        let header = JOSEHeader.forSigning(algorithm: .hs256, kid: kid)
        let payload = try #require(try JSONParser.parse(claims).objectValue)
        return Base64URL.encode(header.serialized.utf8) + "." + Base64URL.encode(payload.serialized.utf8) + "."
            + Base64URL.encode([UInt8](repeating: 7, count: 32))
    }

    static let small = #"{"sub":"u1","iat":1767225600,"exp":1767226500}"#

    static var bloated: String {
        let groups = (0..<300).map { "\"group-\($0)\"" }.joined(separator: ",")
        return #"{"sub":"u1","email":"a@example.com","groups":[\#(groups)]}"#
    }

    @Test("one token: sizes, bar, claims, no findings, exit 0")
    func oneToken() throws {
        let token = try Self.token(Self.small)
        let run = try InspectSizeRun([("now", Self.now)], [token])
        #expect(run.status == .success)
        #expect(run.stdout.contains("argument 1: token HS256"))
        #expect(run.stdout.contains("\(token.utf8.count) bytes = header 36 + payload "))
        #expect(run.stdout.contains("% of 4096"))
        #expect(run.stdout.contains("no findings"))
        #expect(!run.stdout.contains(token), "the token itself is never echoed")
    }

    @Test("a bloated claim set fails the cookie budget with GitHub annotations")
    func bloatedClaimSetGitHub() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("admin.json", Self.bloated)
        let run = try InspectSizeRun([("budget", "cookie"), ("format", "github"), ("now", Self.now)], [path])
        #expect(run.status == .rejected)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let escaped = SizeCheck.escapeProperty(path)
        #expect(lines.contains { $0.hasPrefix("::error file=\(escaped),title=tokenctl over-budget::the token takes ") })
        #expect(lines.contains { $0.hasPrefix("::warning file=\(escaped),title=tokenctl array-too-long::groups: groups has 300 items") })
        #expect(lines.contains { $0.hasPrefix("::warning file=\(escaped),title=tokenctl personal-data::email: ") })
        #expect(lines.contains { $0.contains("Fix: remove or shorten the largest claims: groups (") })
        #expect(lines.first?.hasPrefix("tokenctl inspect-size: \(path): ") == true)
    }

    @Test("--claims and JSON: one object with the documented fields, exact bytes")
    func jsonOneInput() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("user.json", #"{"sub":"u1","roles":["a","b"]}"#)
        let run = try InspectSizeRun([("claims", path), ("alg", "RS256"), ("format", "json"), ("now", Self.now)])
        #expect(run.status == .success)
        let object = try #require(try run.json.objectValue)
        let claims = try #require(JSONParser.parse(#"{"sub":"u1","roles":["a","b"]}"#).objectValue)
        let expected = SizeReport(claimSet: claims, algorithm: .rs256, now: 1_767_225_600)
        func int(_ name: String) -> Int64? { object[name]?.numberValue?.int64Value }
        #expect(object["input"] == .string(path))
        #expect(object["kind"] == .string("claim_set"))
        #expect(object["algorithm"] == .string("RS256"))
        #expect(int("total_bytes") == Int64(expected.totalBytes))
        #expect(int("header_bytes") == Int64(expected.headerBytes))
        #expect(int("payload_bytes") == Int64(expected.payloadBytes))
        #expect(int("signature_bytes") == 342)
        #expect(int("budget_bytes") == 4096)
        #expect(object["over_budget"] == .bool(false))
        #expect(object["added_claims"] == .array([.string("iat"), .string("exp")]))
        let costs = try #require(object["claims"]?.arrayValue).compactMap { $0.objectValue?["bytes"]?.numberValue?.int64Value }
        #expect(costs == costs.sorted(by: >))
        #expect(costs.count == 4)
        #expect(object["findings"] == .array([]))
    }

    @Test("several inputs: JSON Lines in input order; findings carry rule, severity, claim, bytes, message, fix")
    func jsonSeveralInputs() throws {
        let first = try Self.token(Self.small)
        let second = try Self.token(#"{"sub":"u1","email":"a@b.c"}"#)
        let run = try InspectSizeRun([("format", "json"), ("now", Self.now)], [first, second])
        #expect(run.status == .success)
        let array = try run.jsonLines
        #expect(array.map { $0["input"] } == [.string("argument 1"), .string("argument 2")])
        #expect(array.map { $0["line"] } == [.number(JSONNumber(1)), .number(JSONNumber(2))])
        #expect(array[0]["total_bytes"] == .number(JSONNumber(first.utf8.count)))
        let findings = try #require(array[1]["findings"]?.arrayValue).compactMap(\.objectValue)
        #expect(findings.map { $0["rule"] } == [.string("missing-exp"), .string("personal-data")])
        let personal = findings[1]
        #expect(personal.names == ["rule", "severity", "claim", "bytes", "message", "fix"])
        #expect(personal["severity"] == .string("warning"))
        #expect(personal["claim"] == .string("email"))
        #expect(findings[0]["claim"] == .null)
    }

    @Test("--fail-on warning fails on warnings")
    func failOnWarning() throws {
        let token = try Self.token(#"{"sub":"u1","exp":1767226500,"email":"a@b.c"}"#)
        #expect(try InspectSizeRun([("now", Self.now)], [token]).status == .success)
        #expect(try InspectSizeRun([("now", Self.now), ("fail-on", "warning")], [token]).status == .rejected)
    }

    @Test("standard input: header lines, every line one input (a blank one malformed), exit 1")
    func standardInput() throws {
        let token = try Self.token(Self.small)
        let input = "Authorization: Bearer \(token)\n\nnot-a-token\n\(token)\r\n"
        let run = try InspectSizeRun([("format", "json"), ("now", Self.now)], ["-"], stdin: input)
        #expect(run.status == .rejected)
        let array = try run.jsonLines
        #expect(array.map { $0["input"] } == [.string("stdin:1"), .string("stdin:2"), .string("stdin:3"), .string("stdin:4")])
        #expect(array[1]["findings"]?.arrayValue?.first?.objectValue?["rule"] == .string("malformed-input"))
        #expect(array[2]["findings"]?.arrayValue?.first?.objectValue?["rule"] == .string("malformed-input"))
        #expect(array[2]["kind"] == .null)
        #expect(array[0]["total_bytes"] == array[3]["total_bytes"])
        let implicit = try InspectSizeRun([("now", Self.now)], [], stdin: token + "\n")
        #expect(implicit.status == .success)
        #expect(implicit.stdout.hasPrefix("stdin:1: token HS256"))
    }

    @Test("no input and a terminal on standard input is a usage error")
    func noInput() throws {
        #expect(throws: TokenError(.invalidValue, "")) { try InspectSizeRun([], [], terminal: true) }
        let blank = try InspectSizeRun([("format", "json")], ["-"], stdin: "\n\n")
        let count = try blank.jsonLines.count
        #expect(blank.status == .rejected && count == 2, "a blank line is an input of its own")
    }

    @Test("bad options are usage errors", arguments: [
        [("budget", "4kb")], [("format", "xml")], [("alg", "none")], [("fail-on", "info")], [("now", "yesterday")],
        [("context", "header")], [("context", "authorization"), ("cookie-name", "s")], [("cookie-name", "a b")],
        [("max-token-bytes", "0")],
    ] as [[(String, String)]])
    func badOptions(options: [(String, String)]) throws {
        let token = try Self.token(Self.small)
        #expect(throws: TokenError(.invalidValue, "")) { try InspectSizeRun(options.map { ($0.0, $0.1) }, [token]) }
    }

    @Test("unreadable and malformed claim-set files are reported as inputs and exit 2")
    func badClaimFiles() throws {
        let scratch = try ScratchDirectory()
        func expectReported(_ run: InspectSizeRun, _ code: String) {
            #expect(run.status == .usage, "\(run)")
            #expect(run.stderr.contains("error[\(code)]"), "\(run)")
        }
        expectReported(try InspectSizeRun([("claims", scratch.url.appendingPathComponent("missing.json").path)]), "input_unreadable")
        expectReported(try InspectSizeRun([], [scratch.url.path]), "input_unreadable")
        let broken = try scratch.write("broken.json", #"{"sub": }"#)
        expectReported(try InspectSizeRun([], [broken]), "malformed_json")
        let array = try scratch.write("array.json", "[1]")
        expectReported(try InspectSizeRun([("claims", array)]), "malformed_json")
        #expect(throws: TokenError(.inputUnreadable, "")) {
            try InspectSizeRun([("claims", "/dev/null"), ("key", scratch.url.appendingPathComponent("nokey.pem").path)])
        }
    }

    @Test("a file of tokens is read line by line; a JSON file without .json is a claim set")
    func filesByContent() throws {
        let scratch = try ScratchDirectory()
        let token = try Self.token(Self.small)
        let tokens = try scratch.write("tokens.txt", "\(token)\n\nBearer \(token)\n")
        let claims = try scratch.write("claims", "\n  {\"sub\":\"u1\"}\n")
        let run = try InspectSizeRun([("format", "json"), ("now", Self.now)], [tokens, claims])
        let array = try run.jsonLines
        #expect(array.map { $0["input"] } == [
            .string("\(tokens):1"), .string("\(tokens):2"), .string("\(tokens):3"), .string(claims),
        ])
        #expect(array[2]["line"] == .number(JSONNumber(3)))
        #expect(array[2]["file"] == .string(tokens))
        #expect(array[3]["kind"] == .string("claim_set"))
        #expect(array[3]["line"] == .number(JSONNumber(2)), "a whole file: its position among the arguments")
    }

    @Test("--context cookie counts the cookie's name and attributes against the budget")
    func cookieContext() throws {
        let token = try Self.token(Self.small)
        let size = token.utf8.count
        let fits = try InspectSizeRun([("budget", String(size + 46)), ("context", "cookie"), ("now", Self.now), ("format", "json")], [token])
        #expect(fits.status == .success)
        #expect(try fits.json.objectValue?["bytes_in_context"] == .number(JSONNumber(size + 46)))
        let over = try InspectSizeRun([("budget", String(size + 45)), ("context", "cookie"), ("now", Self.now)], [token])
        #expect(over.status == .rejected)
        #expect(over.stdout.contains("token=<token>; Path=/; Secure; HttpOnly; SameSite=Lax"))
        let named = try InspectSizeRun([("budget", String(size + 47)), ("cookie-name", "sid"), ("now", Self.now)], [token])
        #expect(named.status == .success)
        #expect(try InspectSizeRun([("budget", String(size + 21)), ("context", "authorization"), ("now", Self.now)], [token]).status == .rejected)
    }

    @Test("--key sizes a claim set as signed by that key: algorithm, RSA size, curve, kid")
    func sizedByKey() throws {
        let scratch = try ScratchDirectory()
        let claims = try scratch.write("c.json", Self.small)
        func sized(_ key: Key, _ extra: [(String, String?)] = []) throws -> JSONObject {
            let jwk = try key.publicJWK() ?? key.privateJWK()
            let path = try scratch.write("key-\(UUID().uuidString).json", jwk.serialized)
            let run = try InspectSizeRun([("claims", claims), ("key", path), ("format", "json"), ("now", Self.now)] + extra)
            return try #require(try run.json.objectValue)
        }
        // A committed RSA 3072 key (generating one took about a second): TokenKitTests' PyJWT PS384 key.
        let rsaPEM = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TokenKitTests/Vectors/interop/ps384.private.pem")
        var rsaKey = try Key(pemRepresentation: String(decoding: try Data(contentsOf: rsaPEM), as: UTF8.self))
        #expect(rsaKey.type == .rsa(bits: 3072))
        rsaKey.algorithm = .ps256
        let rsa = try sized(rsaKey)
        #expect(rsa["algorithm"] == .string("PS256"), "the key's own alg")
        #expect(rsa["signature_bytes"] == .number(JSONNumber(512)))
        rsaKey.algorithm = nil  // a key pinned to PS256 cannot size for PS384, as it cannot sign with it
        let pss = try sized(rsaKey, [("alg", "PS384")])
        #expect(pss["algorithm"] == .string("PS384"))
        let ed448 = try sized(try Key.generate(for: .ed448))
        #expect(ed448["algorithm"] == .string("EdDSA"))
        #expect(ed448["signature_bytes"] == .number(JSONNumber(152)))
        var secret = try Key.generate(for: .hs256)
        secret.kid = nil
        let hmac = try sized(secret)
        #expect(hmac["algorithm"] == .string("HS256"))
        #expect(hmac["header_bytes"] == .number(JSONNumber(36)), "a raw secret gets no kid")
        secret.kid = "k1"
        #expect(try sized(secret)["header_bytes"] == .number(JSONNumber(Base64URL.encodedLength(ofByteCount: JOSEHeader.forSigning(algorithm: .hs256, kid: "k1").serialized.utf8.count))))
    }

    @Test("--max-token-bytes makes a larger token malformed")
    func maxTokenBytes() throws {
        let token = try Self.token(Self.small)
        let run = try InspectSizeRun([("max-token-bytes", String(token.utf8.count - 1)), ("now", Self.now)], [token])
        #expect(run.status == .rejected)
        #expect(run.stdout.contains("error[malformed-input]"))
        #expect(try InspectSizeRun([("max-token-bytes", String(token.utf8.count)), ("now", Self.now)], [token]).status == .success)
    }

    @Test("several inputs in text: a summary row each, then details of the failing ones")
    func textSeveral() throws {
        let scratch = try ScratchDirectory()
        let big = try scratch.write("big.json", Self.bloated)
        let good = try scratch.write("good.json", #"{"sub":"u1"}"#)
        let run = try InspectSizeRun([("budget", "cookie"), ("now", Self.now)], [good, big])
        #expect(run.status == .rejected)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("STATUS"))
        #expect(lines[1].hasPrefix("ok  ") && lines[1].hasSuffix(good))
        #expect(lines[2].hasPrefix("fail") && lines[2].hasSuffix(big))
        #expect(run.stdout.contains("\(big): claim set as sign would encode it with ES256"))
        #expect(!run.stdout.contains("\(good): claim set"))
        #expect(run.stdout.hasSuffix("2 inputs: 1 passed, 1 failed\n"))
    }
}
