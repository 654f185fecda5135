import Foundation
import Testing

/// Issue 11 from the outside: `--scan` finds every token in a curl -v transcript, an OAuth
/// response, a log and a HAR file, with its places, through decode, verify and inspect-size;
/// and `inspect-size --scan` reports the size distribution of a corpus.
@Suite("issue 11: --scan")
struct Issue11ScanTests {
    static func fixture(_ name: String) -> String { Tokenctl.fixture("scan/" + name) }

    /// The fixture tokens by name (A, B, C, D: JWTs; E: A without its signature).
    static let tokens: [String: String] = {
        let text = (try? String(contentsOfFile: fixture("tokens.txt"), encoding: .utf8)) ?? ""
        var tokens: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            tokens[String(parts[0])] = String(parts[1])
        }
        return tokens
    }()

    /// A place as the tests spell it: line, carrier kind, carrier name.
    struct Place: Hashable, CustomStringConvertible {
        let line: Int
        let carrier: String
        let name: String
        var description: String { "\(line) \(carrier) \(name)" }
    }

    /// What each fixture holds: token name → places, in input order; tokens in order of first appearance.
    static let expected: [String: [(String, [Place])]] = [
        "curl-v.txt": [
            ("A", [Place(line: 7, carrier: "authorization", name: "Bearer")]),
            ("D", [Place(line: 8, carrier: "cookie", name: "session"), Place(line: 12, carrier: "set-cookie", name: "session")]),
        ],
        "oauth-response.json": [
            ("A", [Place(line: 2, carrier: "json", name: "access_token")]),
            ("C", [Place(line: 5, carrier: "json", name: "refresh_token")]),
            ("B", [Place(line: 6, carrier: "json", name: "id_token")]),
        ],
        "app.log": [
            ("A", [
                Place(line: 2, carrier: "field", name: "token"), Place(line: 3, carrier: "fragment", name: "access_token"),
                Place(line: 5, carrier: "json", name: "access_token"),
            ]),
            ("B", [Place(line: 3, carrier: "fragment", name: "id_token"), Place(line: 6, carrier: "query", name: "id_token")]),
            ("E", [Place(line: 4, carrier: "field", name: "token")]),
            ("C", [Place(line: 5, carrier: "json", name: "refresh_token")]),
        ],
        "session.har": [
            ("D", [Place(line: 34, carrier: "cookie", name: "session"), Place(line: 62, carrier: "set-cookie", name: "session")]),
            ("A", [Place(line: 144, carrier: "json", name: "access_token"), Place(line: 224, carrier: "authorization", name: "Bearer")]),
            ("C", [Place(line: 144, carrier: "json", name: "refresh_token")]),
            ("B", [Place(line: 144, carrier: "json", name: "id_token"), Place(line: 191, carrier: "fragment", name: "id_token")]),
        ],
    ]

    /// HAR entries (index, method) of each place of session.har, in the order above.
    static let harEntries: [String: [String]] = [
        "D": ["1 GET request header", "1 GET response header"],
        "A": ["2 POST response body", "4 GET request header"],
        "C": ["2 POST response body"],
        "B": ["2 POST response body", "3 GET response header"],
    ]

    static func objects(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func places(_ object: [String: Any]) -> [Place] {
        ((object["places"] as? [[String: Any]]) ?? []).map {
            Place(line: $0["line"] as? Int ?? 0, carrier: $0["carrier"] as? String ?? "", name: $0["name"] as? String ?? "")
        }
    }

    /// Checks one JSON result per token: the tokens, in order, with their counts and places.
    static func check(_ results: [[String: Any]], _ file: String) {
        let expected = Self.expected[file]!
        #expect(results.count == expected.count, "\(file): \(results)")
        for (result, (name, places)) in zip(results, expected) {
            #expect(result["token"] as? String == tokens[name], "\(file): token \(name)")
            #expect(result["count"] as? Int == places.count, "\(file): token \(name)")
            #expect(Self.places(result) == places, "\(file): token \(name)")
            for place in (result["places"] as? [[String: Any]]) ?? [] {
                #expect(place["file"] as? String == fixture(file))
            }
            if file == "session.har" {
                let entries = ((result["places"] as? [[String: Any]]) ?? []).map { place -> String in
                    let entry = place["har_entry"] as? [String: Any] ?? [:]
                    return "\(entry["index"] as? Int ?? 0) \(entry["method"] as? String ?? "") \(entry["part"] as? String ?? "")"
                }
                #expect(entries == harEntries[name], "token \(name)")
            }
        }
    }

    @Test("decode --scan finds exactly the tokens of each fixture, with their places", arguments: [
        "curl-v.txt", "oauth-response.json", "app.log", "session.har",
    ])
    func decodeFixtures(file: String) throws {
        let result = try Tokenctl.run(["decode", "--scan", "--json", "--show-tokens", "--now", "1800000100", Self.fixture(file)])
        let hasBroken = Self.expected[file]!.contains { $0.0 == "E" }
        #expect(result.status == (hasBroken ? 1 : 0), "\(result)")
        let objects = try Self.objects(result.stdout)
        Self.check(objects, file)
        for object in objects {
            let isJWT = object["jwt"] as? Bool
            #expect(isJWT == (object["token"] as? String != Self.tokens["E"]))
            if isJWT == true { #expect((object["payload"] as? [String: Any])?["sub"] as? String == "alice") }
        }
    }

    @Test("verify --scan verifies each token found once, with its places", arguments: [
        "curl-v.txt", "oauth-response.json", "app.log", "session.har",
    ])
    func verifyFixtures(file: String) throws {
        let result = try Tokenctl.run([
            "verify", "--scan", "--json", "--show-tokens", "--ignore-aud", "--key", Tokenctl.fixture("keys/p256.pem"),
            "--now", "1800000100",
            Self.fixture(file),
        ])
        let objects = try Self.objects(result.stdout)
        Self.check(objects, file)
        var rejected = false
        for object in objects {
            let token = object["token"] as? String
            let code = (object["error"] as? [String: Any])?["code"] as? String
            switch token {
            case Self.tokens["D"]: #expect(code == "algorithm_not_allowed")  // HS256, not for an EC key
            case Self.tokens["E"]: #expect(code == "malformed")
            default: #expect(object["valid"] as? Bool == true, "\(object)")
            }
            if code != nil { rejected = true }
        }
        #expect(result.status == (rejected ? 1 : 0), "\(result)")
    }

    @Test("inspect-size --scan sizes exactly the JWTs of each fixture", arguments: [
        "curl-v.txt", "oauth-response.json", "app.log", "session.har",
    ])
    func inspectSizeFixtures(file: String) throws {
        let result = try Tokenctl.run(["inspect-size", "--scan", "--format", "json", "--show-tokens", Self.fixture(file)])
        #expect(result.status == 0, "\(result)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let expected = Self.expected[file]!
        let jwts = expected.filter { $0.0 != "E" }
        #expect(report["count"] as? Int == jwts.count)
        #expect(report["not_jwt"] as? Int == expected.count - jwts.count)
        #expect(report["occurrences"] as? Int == jwts.map(\.1.count).reduce(0, +))
        let largest = (report["largest"] as? [[String: Any]]) ?? []
        let sizes = jwts.map { Self.tokens[$0.0]!.utf8.count }
        #expect(largest.map { $0["bytes"] as? Int ?? 0 } == sizes.sorted(by: >))
        #expect(Set(largest.compactMap { $0["token"] as? String }) == Set(jwts.map { Self.tokens[$0.0]! }))
        #expect((report["bytes"] as? [String: Any])?["max"] as? Int == sizes.max())
        let notJWTs = (report["not_jwts"] as? [[String: Any]]) ?? []
        #expect(notJWTs.compactMap { $0["token"] as? String } == expected.filter { $0.0 == "E" }.map { Self.tokens[$0.0]! })
    }

    @Test("text output names tokens by fingerprint, never in full, unless --show-tokens")
    func fingerprints() throws {
        for command in [["decode", "--scan"], ["inspect-size", "--scan"], ["inspect-size", "--scan", "--format", "github", "--budget", "100"],
            ["verify", "--scan", "--key", Tokenctl.fixture("keys/p256.pem"), "--now", "1800000100"]]
        {
            let result = try Tokenctl.run(command + [Self.fixture("curl-v.txt"), Self.fixture("app.log")])
            for (_, token) in Self.tokens {
                #expect(!result.stdout.contains(token) && !result.stderr.contains(token), "\(command)")
                #expect(!result.stdout.contains(String(token.suffix(20))), "\(command)")
            }
            #expect(result.stdout.contains(String(Self.tokens["A"]!.prefix(12)) + "...#"), "\(command): \(result)")
        }
        let shown = try Tokenctl.run(["verify", "--scan", "--show-tokens", "--key", Tokenctl.fixture("keys/p256.pem"),
            "--now", "1800000100", Self.fixture("curl-v.txt")])
        #expect(shown.stdout.contains(Self.tokens["A"]!), "\(shown)")
        #expect(shown.stdout.contains("curl-v.txt:7: request header Authorization: Bearer: "), "\(shown)")
        #expect(shown.stdout.contains("(found 2 times; also at \(Self.fixture("curl-v.txt")):12)"), "\(shown)")
    }

    @Test("a curl -v transcript piped to decode --scan; without --scan, the error points to it")
    func curlOnStdin() throws {
        let transcript = try String(contentsOfFile: Self.fixture("curl-v.txt"), encoding: .utf8)
        let scanned = try Tokenctl.run(["decode", "--scan"], input: transcript)
        #expect(scanned.status == 0, "\(scanned)")
        #expect(scanned.stdout.contains("== stdin:7: request header Authorization: Bearer: "), "\(scanned)")
        #expect(scanned.stdout.contains("== stdin:8: request Cookie session: "), "\(scanned)")
        #expect(scanned.stdout.contains("Found 2 distinct tokens in 3 places."), "\(scanned)")

        let text = "*   Trying 127.0.0.1:443...\n> GET / HTTP/1.1\n> Host: example.com\n< HTTP/1.1 401\n"
        for command in [["decode"], ["verify", "--key", Tokenctl.fixture("keys/p256.pem")]] {
            let lines = try Tokenctl.run(command, input: text)
            #expect(lines.status == 1, "\(lines)")
            #expect(lines.stderr.contains("use 'tokenctl \(command[0]) --scan'"), "\(lines)")
        }
        let token = try Tokenctl.run(["decode"], input: Self.tokens["E"]! + "\n")
        #expect(!token.stderr.contains("--scan"), "a broken token is not free text: \(token)")
    }

    @Test("exit 2 when nothing is found, the input is missing, or --show-tokens comes without --scan")
    func usage() throws {
        let nothing = try Tokenctl.run(["decode", "--scan"], input: "no tokens here\neyJ is not one\n")
        #expect(nothing.status == 2, "\(nothing)")
        #expect(nothing.stderr.hasPrefix("tokenctl: decode: error[invalid_value]: no JWT found"), "\(nothing)")
        let missing = try Tokenctl.run(["inspect-size", "--scan", "/nonexistent/x.log"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("error[input_unreadable]"), "\(missing)")
        let token = try Tokenctl.run(["decode", "--scan", Self.tokens["A"]!])
        #expect(token.status == 2, "\(token)")
        #expect(token.stderr.contains("argument 1 is a token, not a file") && !token.stderr.contains(Self.tokens["A"]!))
        let stray = try Tokenctl.run(["decode", "--show-tokens", Self.tokens["A"]!])
        #expect(stray.status == 2, "\(stray)")
        let claims = try Tokenctl.run(["inspect-size", "--scan", "--claims", Tokenctl.fixture("claims/reader.json")])
        #expect(claims.status == 2, "\(claims)")
    }

    @Test("JSON that only looks like a HAR file is scanned as text; a broken .har file is an input error")
    func harFallback() throws {
        let token = Self.tokens["A"]!
        let log = "{\"log\":\"start\",\"entries\":0}\n{\"log\":\"auth\",\"access_token\":\"\(token)\"}\n"
        let result = try Tokenctl.run(["decode", "--scan"], input: log)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("== stdin:2: JSON member \"access_token\": "), "\(result)")
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let har = directory.appendingPathComponent("broken.har")
        try Data("{\"log\": {\"entries\": [".utf8).write(to: har)
        let broken = try Tokenctl.run(["inspect-size", "--scan", har.path])
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("error[malformed_json]") && broken.stderr.contains("is not a HAR file"), "\(broken)")
    }

    @Test("escapes control and bidi characters of the scanned text")
    func escaping() throws {
        let token = Self.tokens["A"]!
        let result = try Tokenctl.run(["decode", "--scan"], input: "> Cookie: a=1; \u{1B}[31mevil\u{202E}=\(token)\n")
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("\u{1B}[31m") && !result.stdout.contains("\u{202E}"), "\(result)")
        #expect(result.stdout.contains("\\x1b[31mevil\\u{202E}"), "\(result)")
    }
}
