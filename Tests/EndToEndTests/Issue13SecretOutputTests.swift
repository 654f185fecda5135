import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, secrets: the outputs the first leak test did not search (an HMAC keyset and its
/// API-key secrets through every command that uses them, scan reports over such keys, and
/// the error messages of bad secrets and bad private keys), and the mode of every file that
/// holds private material under `umask 000`, temporary files included.
@Suite("issue 13: secrets in more outputs, private files 0600")
struct Issue13SecretOutputTests {
    static let now = "1800000000"
    let search = Issue13SecretLeakTests()

    /// Every private member (d, p, q, dp, dq, qi, k) of every record of a keyset's keys.json.
    static func privateMembers(_ keyset: String) throws -> [[UInt8]] {
        var secrets: [[UInt8]] = []
        for record in try KeysetFiles.records(keyset) {
            for name in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                guard let value = record[name] as? String else { continue }
                var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                while base64.count % 4 != 0 { base64 += "=" }
                secrets.append(Array(try #require(Data(base64Encoded: base64))))
            }
        }
        return secrets
    }

    @Test("an HMAC keyset and its API-key secrets: rotate-keys --json, sign, API-key sign/verify/decode, scans, jwks.json")
    func hmacKeysetAndAPIKeys() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let keyset = work.appendingPathComponent("hs").path
        let jwksOut = work.appendingPathComponent("out.jwks.json").path
        var outputs: [(String, [UInt8])] = []
        func run(_ arguments: [String], stdin: [UInt8]? = nil, expect statuses: ClosedRange<Int32> = 0...0) throws -> RunResult {
            let result = try stdin.map { try Tokenctl.run(arguments, stdin: $0) } ?? Tokenctl.run(arguments)
            #expect(statuses.contains(result.status), "\(arguments): \(result)")
            outputs.append(("stdout of \(arguments)", Array(result.stdout.utf8)))
            outputs.append(("stderr of \(arguments)", Array(result.stderr.utf8)))
            return result
        }
        _ = try run(["rotate-keys", "--keyset", keyset, "--alg", "HS256", "--now", Self.now, "--json"])
        let minted = try run(["sign", "--api-key", "--keyset", keyset, "--count", "3", "--now", Self.now])
        let apiKeys = minted.stdout.split(separator: "\n").map(String.init)
        #expect(apiKeys.count == 3)
        _ = try run(["sign", "--api-key", "--keyset", keyset, "--json", "--now", Self.now])
        let token = try run(["sign", "--keyset", keyset, "--sub", "a", "--aud", "x", "--now", Self.now, "--json"])
        let jwt = try #require((try JSONSerialization.jsonObject(with: Data(token.stdout.utf8)) as? [String: Any])?["token"] as? String)
        // A forged API key: the same key with one MAC character changed.
        var forged = Array(apiKeys[0].utf8)
        forged[forged.count - 8] = forged[forged.count - 8] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let forgery = String(decoding: forged, as: UTF8.self)
        let log = work.appendingPathComponent("access.log").path
        try Data("GET / Authorization: Bearer \(jwt)\nx-api-key: \(apiKeys[1])\nkey=\(forgery)\n".utf8)
            .write(to: URL(fileURLWithPath: log))
        let har = work.appendingPathComponent("session.har").path
        let harText = #"{"log":{"entries":[{"request":{"method":"GET","url":"https://api.example/?k="#
            + apiKeys[2] + #"","headers":[{"name":"Authorization","value":"Bearer "# + jwt
            + #""}],"queryString":[],"cookies":[]},"response":{"status":200,"headers":[],"cookies":[],"content":{}}}]}}"#
        try Data(harText.utf8).write(to: URL(fileURLWithPath: har))
        for arguments in [
            ["verify", "--keyset", keyset, apiKeys[0]], ["verify", "--keyset", keyset, "--json", apiKeys[0], forgery],
            ["verify", "--keyset", keyset, "--aud", "x", "--now", Self.now, "--json", jwt],
            ["decode", apiKeys[0]], ["decode", "--json", apiKeys[0], forgery],
        ] {
            _ = try run(arguments, expect: 0...1)
        }
        _ = try run(["verify", "--keyset", keyset, "-"], stdin: Array((apiKeys.joined(separator: "\n") + "\n" + forgery + "\n").utf8), expect: 0...1)
        for arguments in [
            ["verify", "--scan", "--keyset", keyset, "--aud", "x", "--now", Self.now, log],
            ["verify", "--scan", "--json", "--keyset", keyset, "--aud", "x", "--now", Self.now, log, har],
            ["decode", "--scan", log, har], ["decode", "--scan", "--json", log, har],
            ["inspect-size", "--scan", log, har], ["inspect-size", "--scan", "--format", "json", log, har],
            ["inspect-size", "--scan", "--format", "github", log, har],
        ] {
            _ = try run(arguments, expect: 0...1)
        }
        for arguments in [
            ["rotate-keys", "--keyset", keyset, "--force", "--json", "--jwks-out", jwksOut, "--now", Self.now],
            ["rotate-keys", "--keyset", keyset, "--status", "--json", "--now", Self.now],
            ["rotate-keys", "--keyset", keyset, "--dry-run", "--force", "--json", "--now", Self.now],
            ["rotate-keys", "--keyset", keyset, "--status", "--now", Self.now],
        ] {
            _ = try run(arguments)
        }
        outputs.append(("jwks.json", Array(try Data(contentsOf: URL(fileURLWithPath: keyset + "/jwks.json")))))
        outputs.append(("--jwks-out", Array(try Data(contentsOf: URL(fileURLWithPath: jwksOut)))))
        let secrets = try Self.privateMembers(keyset)
        #expect(secrets.count >= 5, "HMAC keys and API-key secrets found in keys.json: \(secrets.count)")
        for (place, bytes) in outputs { search.expectNoLeak(bytes, of: secrets, where: place) }
        // The search is live on these very outputs: keys.json itself holds every secret.
        let privateFile = Array(try Data(contentsOf: URL(fileURLWithPath: keyset + "/keys.json")))
        withKnownIssue("keys.json holds the secrets (control)") {
            search.expectNoLeak(privateFile, of: [secrets[0]], where: "keys.json")
        }
    }

    @Test("error messages of bad secrets and bad private keys never quote them")
    func badSecretMessages() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        var random = SeededRandom(seed: 0xBAD5EC)
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = work.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        let short = random.bytes(20)
        let printable = Array("Zq8v-Secret-Text-4u7Kp2Lm9Nx3Rt6W".utf8)  // 34 bytes, a passphrase-like secret
        let nearHex = Array((hex(random.bytes(24)) + "zz").utf8)  // hex but for the last digit pair
        let nearBase64 = Array((Data(random.bytes(33)).base64EncodedString() + "!").utf8)
        let jwkK = random.bytes(24)  // an oct JWK whose k is too short
        let jwkBadK = Array("gQ9xT2vLm8Rk4Np7Wz3Ys6Hd1Jc5Fb0Ue=".utf8)  // not strict base64url
        let ecD = random.bytes(32)
        let url = { (bytes: [UInt8]) in Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        let shortJWK = try file("short.jwk.json", Array(#"{"kty":"oct","k":"\#(url(jwkK))"}"#.utf8))
        let badJWK = try file("bad.jwk.json", Array(#"{"kty":"oct","k":"\#(String(decoding: jwkBadK, as: UTF8.self))"}"#.utf8))
        // An EC private JWK whose d does not match its public point.
        let publicJWK = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Tokenctl.fixture("keys/p256.private.jwk.json")))) as! [String: Any]
        var mismatched = publicJWK
        mismatched["d"] = url(ecD)
        let mismatchedJWK = try file("mismatch.jwk.json", Array(try JSONSerialization.data(withJSONObject: mismatched)))
        let keysetDir = work.appendingPathComponent("broken").path
        try FileManager.default.createDirectory(atPath: keysetDir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let brokenRecord = #"{"version":1,"keys":[{"kty":"EC","crv":"P-256","x":"\#(publicJWK["x"]!)","y":"\#(publicJWK["y"]!)","d":"\#(url(ecD))","kid":"k","state":"active"}]}"#
        _ = try file("broken/keys.json", Array(brokenRecord.utf8))
        chmod(keysetDir + "/keys.json", 0o600)
        let runs: [[String]] = [
            ["sign", "--secret-file", try file("short", short)],
            ["verify", "--secret-file", try file("short2", short), "a.b.c"],
            ["sign", "--secret-file", try file("hex", nearHex), "--secret-encoding", "hex"],
            ["sign", "--secret-file", try file("b64", nearBase64), "--secret-encoding", "base64"],
            ["sign", "--secret-file", try file("b64url", nearBase64), "--secret-encoding", "base64url"],
            ["sign", "--secret-env", String(decoding: printable, as: UTF8.self)],
            ["sign", "--secret-file", String(decoding: printable, as: UTF8.self)],
            ["verify", "--secret-env", "NEARHEX", "--secret-encoding", "hex", "a.b.c"],
            ["sign", "--key", shortJWK], ["verify", "--key", shortJWK, "a.b.c"],
            ["sign", "--key", badJWK], ["sign", "--key", mismatchedJWK],
            ["sign", "--keyset", keysetDir], ["verify", "--keyset", keysetDir, "a.b.c"],
            ["rotate-keys", "--keyset", keysetDir, "--status", "--json"],
            ["sign", "--api-key", "--keyset", keysetDir],
        ]
        let environment = ["NEARHEX": String(decoding: nearHex, as: UTF8.self)]
        for arguments in runs {
            let result = try Tokenctl.run(arguments, environment: environment)
            #expect(result.status == 1 || result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("error["), "\(arguments): \(result)")
            search.expectNoLeak(result, of: [short, printable, nearHex, nearBase64, jwkK, jwkBadK, ecD], arguments)
        }
    }

    @Test("a hex or base64 secret file ending in CRLF reads as the same secret (its bytes are trimmed, not its characters)")
    func encodedSecretWithCRLF() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        var random = SeededRandom(seed: 0xC71F)
        let secret = random.bytes(32)
        let raw = work.appendingPathComponent("raw").path
        try Data(secret).write(to: URL(fileURLWithPath: raw))
        let token = try Tokenctl.run(["sign", "--secret-file", raw, "--sub", "a", "--now", Self.now]).output
        let encoded: [(String, String)] = [
            ("hex", secret.map { String(format: "%02x", $0) }.joined()), ("base64", Data(secret).base64EncodedString()),
        ]
        for (encoding, text) in encoded {
            let path = work.appendingPathComponent(encoding).path
            try Data((text + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
            let verified = try Tokenctl.run(["verify", "--secret-file", path, "--secret-encoding", encoding, "--now", Self.now, token])
            #expect(verified.status == 0, "\(encoding): \(verified)")
        }
    }

    /// The permission bits of every file in `directory` whose name contains `part`.
    static func modes(in directory: String, containing part: String) throws -> [String: Int] {
        var modes: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.contains(part) {
            modes[name] = KeysetFiles.mode(directory + "/" + name)
        }
        return modes
    }

    @Test("under umask 000: an HMAC keyset, a rotation's rewrite and the default keyset of --bound keep keys.json 0600")
    func privateFilesUnderOpenUmask() throws {
        let base = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let hmac = base.path + "/hmac"
        let created = try KeysetFiles.runWithOpenUmask(["rotate-keys", "--keyset", hmac, "--alg", "HS256", "--now", Self.now])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(KeysetFiles.mode(hmac) == 0o700 && KeysetFiles.mode(hmac + "/keys.json") == 0o600)
        // A rotation rewrites keys.json (and jwks.json, and --jwks-out) under the open umask.
        let jwksOut = base.path + "/published.json"
        let rotated = try KeysetFiles.runWithOpenUmask(
            ["rotate-keys", "--keyset", hmac, "--force", "--jwks-out", jwksOut, "--now", "1800000100"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(KeysetFiles.mode(hmac + "/keys.json") == 0o600)
        #expect(KeysetFiles.mode(jwksOut) == 0o644)
        // sign --api-key --bound creates the default keyset with its API-key secrets.
        let home = base.path + "/default"
        let bound = try KeysetFiles.runWithOpenUmask(["sign", "--api-key", "--bound"], environment: ["TOKENCTL_KEYSET": home])
        #expect(bound.status == 0, "\(bound.stderr)")
        #expect(KeysetFiles.mode(home) == 0o700 && KeysetFiles.mode(home + "/keys.json") == 0o600)
        #expect(try Self.privateMembers(home).count >= 3, "keys.json holds the signing key and two API-key secrets")
    }

    @Test("under umask 000, a writer stopped before its rename leaves keys.json's temporary file 0600")
    func temporaryFilesUnderOpenUmask() throws {
        let base = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        // A new keyset writes jwks.json (tmp1), then keys.json (tmp2); a rotation writes
        // jwks.json, keys.json, jwks.json; binding API keys rewrites keys.json alone.
        let cases: [(String, [String], String, [String]?)] = [
            ("new", ["rotate-keys", "--now", Self.now], "tmp2", nil),
            ("rotation", ["rotate-keys", "--force", "--now", "1800000100"], "tmp2", ["rotate-keys", "--now", Self.now]),
            ("bound", ["sign", "--api-key"], "tmp1", ["rotate-keys", "--now", Self.now]),
        ]
        for (name, arguments, point, setup) in cases {
            let keyset = base.path + "/" + name
            if let setup {
                #expect(try KeysetFiles.runWithOpenUmask(setup + ["--keyset", keyset]).status == 0)
            }
            let crashed = try KeysetFiles.runWithOpenUmask(arguments + ["--keyset", keyset], environment: ["TOKENCTL_KEYSET_FAULT": point])
            #expect(crashed.status != 0, "\(name): the fault point \(point) was reached")
            let temporaries = try Self.modes(in: keyset, containing: "keys.json.")
            #expect(temporaries.count == 1, "\(name): \(temporaries)")
            for (file, mode) in temporaries { #expect(mode == 0o600, "\(name): \(file) is \(String(mode, radix: 8))") }
            #expect(try Self.modes(in: keyset, containing: "jwks.json").values.allSatisfy { $0 == 0o644 }, "\(name)")
        }
    }
}
