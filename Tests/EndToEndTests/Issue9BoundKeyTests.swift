import Foundation
import Testing

/// Issue 9, keyset-bound API keys end to end through the binary: `sign --api-key --keyset`
/// and `--bound`, `verify` with the keyset's API-key secrets, and `rotate-keys` rotating
/// them with the signing keys until a removed secret no longer verifies.
@Suite("Issue 9: keyset-bound API keys, end to end")
struct Issue9BoundKeyTests {
    static let t0: Int64 = 1_800_000_000
    static let hour: Int64 = 3_600
    static let day: Int64 = 86_400

    /// A new keyset directory path (not created) inside a fresh temporary directory.
    static func keysetPath() throws -> String {
        try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
    }

    /// The API-key secret records of a keyset's private file.
    static func secretRecords(_ keyset: String) throws -> [[String: Any]] {
        try KeysetFiles.records(keyset).filter { $0["kind"] as? String == "api_key_secret" }
    }

    /// The ids of a keyset's API-key secrets in a state.
    static func secretIDs(_ keyset: String, state: String) throws -> [String] {
        try secretRecords(keyset).filter { $0["state"] as? String == state }.compactMap { $0["kid"] as? String }
    }

    /// Mints one key with `--json`; returns the key.
    static func mint(_ arguments: [String], environment: [String: String] = [:]) throws -> (key: String, run: RunResult) {
        let result = try Tokenctl.run(["sign", "--api-key", "--json"] + arguments, environment: environment)
        #expect(result.status == 0, "\(result)")
        let object = try KeysetFiles.object(result.stdout)
        return (try #require(object["key"] as? String), result)
    }

    /// The key with its body changed at `offset` (counted from the end of the secret id) and
    /// a checksum recomputed with the independent CRC-32: a forgery a scanner cannot catch.
    static func forged(_ key: String, at offset: Int) -> String {
        var bytes = Array(key.utf8.dropLast(6))
        let underscore = bytes.lastIndex(of: UInt8(ascii: "_"))!
        let index = underscore + 1 + 8 + offset
        bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return String(decoding: bytes, as: UTF8.self) + Issue9APIKeyTests.base62(Issue9APIKeyTests.crc32(bytes))
    }

    @Test("A bound key verifies, still verifies after one rotation (retiring), and is rejected once its secret is removed")
    func lifecycle() throws {
        let keyset = try Self.keysetPath()
        let created = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        #expect(created.status == 0, "\(created)")
        #expect(try Self.secretRecords(keyset).isEmpty, "no secret before the first bound key")

        let (key, first) = try Self.mint(["--prefix", "acme_live", "--keyset", keyset, "--now", String(Self.t0)])
        #expect(first.stdout.contains("\"kind\":\"keyset\""))
        #expect(first.stderr.contains("had no API-key secret: created"), "\(first)")
        let active = try Self.secretIDs(keyset, state: "active")
        #expect(try active.count == 1 && Self.secretIDs(keyset, state: "next").count == 1)
        #expect(key.hasPrefix("acme_live_" + active[0]))
        #expect(Issue9APIKeyTests.base62(Issue9APIKeyTests.crc32(Array(key.utf8.dropLast(6)))) == String(key.suffix(6)))

        // The second bound key reuses the secret and says nothing.
        let (second, quiet) = try Self.mint(["--keyset", keyset, "--now", String(Self.t0)])
        #expect(quiet.stderr.isEmpty, "\(quiet)")
        #expect(second.hasPrefix("tk_" + active[0]))

        let valid = try Tokenctl.run(["verify", "--json", "--keyset", keyset, key])
        #expect(valid.status == 0, "\(valid)")
        let object = try KeysetFiles.object(valid.stdout)
        #expect(object["kind"] as? String == "keyset")
        #expect(object["secret_id"] as? String == active[0])
        #expect(object["checks"] as? [String] == ["checksum", "mac"])

        let rotated = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--retire-after", "2d", "--now", String(Self.t0 + Self.day)])
        #expect(rotated.status == 0, "\(rotated)")
        #expect(try Self.secretIDs(keyset, state: "retiring") == active)
        let stillValid = try Tokenctl.run(["verify", "--keyset", keyset, key])
        #expect(stillValid.status == 0, "a retiring secret still verifies: \(stillValid)")
        let newKey = try Self.mint(["--keyset", keyset, "--now", String(Self.t0 + Self.day)]).key
        #expect(!newKey.contains("_" + active[0]), "the retiring secret no longer mints")

        // Not yet removed one day into retirement; removed after --retire-after 2d.
        let early = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--retire-after", "2d", "--rotate-after", "30d", "--now", String(Self.t0 + 2 * Self.day)])
        #expect(early.status == 0)
        #expect(try Tokenctl.run(["verify", "--keyset", keyset, key]).status == 0)
        let removal = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--retire-after", "2d", "--rotate-after", "30d", "--now", String(Self.t0 + 3 * Self.day + 1)])
        #expect(removal.status == 0, "\(removal)")
        #expect(removal.stdout.contains("removed  " + active[0]), "\(removal)")
        #expect(try Self.secretRecords(keyset).allSatisfy { $0["kid"] as? String != active[0] })

        let rejected = try Tokenctl.run(["verify", "--keyset", keyset, key])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(rejected.stderr.contains("error[key_not_found]"))
        let rejectedJSON = try Tokenctl.run(["verify", "--json", "--keyset", keyset, key])
        #expect(rejectedJSON.status == 1)
        #expect(rejectedJSON.stdout.contains("\"code\":\"key_not_found\""))
        #expect(try Tokenctl.run(["verify", "--keyset", keyset, newKey]).status == 0)
    }

    @Test("A forged body with a recomputed checksum is rejected (exit 1, signature_invalid)")
    func forgery() throws {
        let keyset = try Self.keysetPath()
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset]).status == 0)
        let key = try Self.mint(["--keyset", keyset]).key
        for offset in [0, 21, 22, 43] {  // the random part's ends, the MAC's ends
            let forgery = Self.forged(key, at: offset)
            #expect(forgery != key)
            let decoded = try Tokenctl.run(["decode", "--json", forgery])
            #expect(decoded.stdout.contains("\"checksum_valid\":true"), "the checksum was recomputed: \(decoded)")
            let result = try Tokenctl.run(["verify", "--keyset", keyset, forgery])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("error[signature_invalid]"), "\(result)")
        }
        // A key bound to a secret id this keyset never held.
        var bytes = Array(key.utf8.dropLast(6))
        let idStart = bytes.lastIndex(of: UInt8(ascii: "_"))! + 1
        bytes[idStart] = bytes[idStart] == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
        let otherID = String(decoding: bytes, as: UTF8.self) + Issue9APIKeyTests.base62(Issue9APIKeyTests.crc32(bytes))
        let unknown = try Tokenctl.run(["verify", "--keyset", keyset, otherID])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("error[key_not_found]"))
    }

    @Test("--bound uses the default keyset (creating it), and verify uses it when no key option is given")
    func defaultKeyset() throws {
        let home = try Tokenctl.temporaryDirectory()
        let keyset = home.appendingPathComponent("keyset").path
        let environment = ["TOKENCTL_KEYSET": keyset]
        let (key, run) = try Self.mint(["--bound"], environment: environment)
        #expect(run.stderr.contains("created a new ES256 keyset in \(keyset)"), "\(run)")
        #expect(run.stderr.contains("had no API-key secret: created"))
        #expect(KeysetFiles.mode(keyset) == 0o700 && KeysetFiles.mode(keyset + "/keys.json") == 0o600)
        #expect(KeysetFiles.mode(keyset + "/jwks.json") == 0o644)
        #expect(try KeysetFiles.kids(keyset, state: "active").count == 2, "one signing key and one secret")

        let valid = try Tokenctl.run(["verify", key], environment: environment)
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.output == "valid")
        // JWTs signed from the same default keyset still work beside it.
        let token = try Tokenctl.run(["sign", "--sub", "alice"], environment: environment)
        #expect(token.status == 0 && token.stderr.isEmpty, "\(token)")
        let batch = try Tokenctl.run(["verify", "-"], stdin: Array((key + "\n" + token.stdout).utf8), environment: environment)
        #expect(batch.status == 0, "\(batch)")
        #expect(batch.stdout == "valid\nvalid\n")

        // With another key option, the default keyset is not used for the bound key.
        let other = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/p256.pub.pem"), key], environment: environment)
        #expect(other.status == 2, "\(other)")
        #expect(other.stderr.contains("--keyset DIR"), "\(other)")
        // Without a default keyset there is nothing to check: exit 2, naming the keyset.
        let nothing = try Tokenctl.run(["verify", key])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("error[key_unsuitable]") && nothing.stderr.contains("--keyset DIR"), "\(nothing)")
    }

    @Test("Without --keyset or --bound a key stays opaque; usage errors say what to do")
    func opaqueAndUsage() throws {
        let home = try Tokenctl.temporaryDirectory()
        let keyset = home.appendingPathComponent("keyset").path
        let environment = ["TOKENCTL_KEYSET": keyset]
        #expect(try Tokenctl.run(["rotate-keys"], environment: environment).status == 0)
        let (opaque, run) = try Self.mint([], environment: environment)
        #expect(run.stdout.contains("\"kind\":\"opaque\""))
        #expect(Issue9APIKeyTests.isWellFormedOpaque(opaque, prefix: "tk"))
        #expect(try Self.secretRecords(keyset).isEmpty, "an opaque key creates no secret")

        let boundAlone = try Tokenctl.run(["sign", "--bound"], environment: environment)
        #expect(boundAlone.status == 2)
        #expect(boundAlone.stderr.contains("--api-key"), "\(boundAlone)")
        let both = try Tokenctl.run(["sign", "--api-key", "--bound", "--keyset", keyset], environment: environment)
        #expect(both.status == 2)
        #expect(both.stderr.contains("error[conflicting_options]"), "\(both)")
        let missing = try Tokenctl.run(["sign", "--api-key", "--keyset", home.appendingPathComponent("nope").path])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("rotate-keys"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("nope").path))
    }

    @Test("keys.json ownership and mode rules hold for minting and verifying bound keys")
    func ownershipRules() throws {
        let keyset = try Self.keysetPath()
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset]).status == 0)
        let key = try Self.mint(["--keyset", keyset]).key
        #expect(KeysetFiles.mode(keyset + "/keys.json") == 0o600)
        #expect(KeysetFiles.mode(keyset) == 0o700)

        chmod(keyset + "/keys.json", 0o644)
        let sign = try Tokenctl.run(["sign", "--api-key", "--keyset", keyset])
        #expect(sign.status == 2, "\(sign)")
        #expect(sign.stderr.contains("error[insecure_keyset]") && sign.stderr.contains("chmod 600"), "\(sign)")
        let verify = try Tokenctl.run(["verify", "--keyset", keyset, key])
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("error[insecure_keyset]"))
        chmod(keyset + "/keys.json", 0o600)

        // A fresh keyset without secrets refuses to gain one when open to others.
        let fresh = try Self.keysetPath()
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", fresh]).status == 0)
        chmod(fresh, 0o755)
        let open = try Tokenctl.run(["sign", "--api-key", "--keyset", fresh])
        #expect(open.status == 2, "\(open)")
        #expect(open.stderr.contains("chmod 700"))
        #expect(try Self.secretRecords(fresh).isEmpty)

        // A verifier holding only jwks.json cannot check bound keys, and says why.
        let publicOnly = try Self.keysetPath()
        try FileManager.default.createDirectory(atPath: publicOnly, withIntermediateDirectories: true)
        chmod(publicOnly, 0o755)
        try FileManager.default.copyItem(atPath: keyset + "/jwks.json", toPath: publicOnly + "/jwks.json")
        let result = try Tokenctl.run(["verify", "--keyset", publicOnly, key])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("keys.json"), "\(result)")
    }

    @Test("The secret bytes never appear in jwks.json or in any output; --status and --json list secrets by id")
    func noSecretMaterial() throws {
        let keyset = try Self.keysetPath()
        var outputs: [String] = []
        func run(_ arguments: [String], stdin: String? = nil) throws -> RunResult {
            let result = try Tokenctl.run(arguments, stdin: stdin.map { Array($0.utf8) })
            outputs += [result.stdout, result.stderr]
            return result
        }
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        let keys = try run(["sign", "--api-key", "--keyset", keyset, "--count", "3", "--now", String(Self.t0)]).stdout
        _ = try run(["verify", "--keyset", keyset, "--json", "-"], stdin: keys)
        _ = try run(["decode", "--json", String(keys.prefix(while: { $0 != "\n" }))])
        let status = try run(["rotate-keys", "--keyset", keyset, "--status", "--now", String(Self.t0 + Self.hour)])
        let ids = try Self.secretRecords(keyset).compactMap { $0["kid"] as? String }
        #expect(ids.count == 2)
        #expect(status.stdout.contains("API-key secrets"), "\(status)")
        for id in ids { #expect(status.stdout.contains(id)) }
        let json = try run(["rotate-keys", "--keyset", keyset, "--json", "--now", String(Self.t0 + Self.day)])
        let report = try KeysetFiles.object(json.stdout)
        let listed = try #require(report["api_key_secrets"] as? [[String: Any]])
        #expect(listed.count == 3, "\(json)")
        #expect(listed.allSatisfy { Set($0.keys).isSubset(of: ["id", "state", "since", "age_seconds", "removal_due"]) })
        _ = try run(["rotate-keys", "--keyset", keyset, "--dry-run", "--force", "--now", String(Self.t0 + 2 * Self.day)])
        _ = try run(["rotate-keys", "--keyset", keyset, "--status", "--json", "--now", String(Self.t0 + 2 * Self.day)])
        let jwks = try String(contentsOfFile: keyset + "/jwks.json", encoding: .utf8)
        let published = try KeysetFiles.publishedKids(keyset)
        let records = try Self.secretRecords(keyset)
        #expect(records.count == 3)
        for record in records {
            #expect(record["kty"] as? String == "oct")
            let k = try #require(record["k"] as? String)
            let id = try #require(record["kid"] as? String)
            #expect(!published.contains(id))
            #expect(!jwks.contains(k) && !jwks.contains(id))
            var base64 = k.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            let hex = try #require(Data(base64Encoded: base64)).map { String(format: "%02x", $0) }.joined()
            for output in outputs {
                #expect(!output.contains(k) && !output.contains(hex) && !output.contains(String(base64.prefix(40))))
            }
        }
        #expect(!jwks.contains("api_key_secret") && !jwks.contains("\"oct\""))
    }

    @Test("An API-key secret never verifies a JWT, even one HMAC-signed with its bytes and its id as kid")
    func secretIsNotAJWTKey() throws {
        let keyset = try Self.keysetPath()
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset]).status == 0)
        _ = try Self.mint(["--keyset", keyset])
        let record = try #require(try Self.secretRecords(keyset).first { $0["state"] as? String == "active" })
        let work = try Tokenctl.temporaryDirectory()
        let secretFile = work.appendingPathComponent("secret").path
        try Data((try #require(record["k"] as? String)).utf8).write(to: URL(fileURLWithPath: secretFile))
        let kid = try #require(record["kid"] as? String)
        let token = try Tokenctl.run([
            "sign", "--secret-file", secretFile, "--secret-encoding", "base64url", "--alg", "HS256", "--kid", kid, "--sub", "x",
        ])
        #expect(token.status == 0, "\(token)")
        let result = try Tokenctl.run(["verify", "--keyset", keyset, token.output])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error[key_not_found]") || result.stderr.contains("error[signature_invalid]"), "\(result)")
    }

    @Test("10,000 bound keys are unique, pass the independent checksum, and verify in one batch")
    func manyBoundKeys() throws {
        let keyset = try Self.keysetPath()
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset]).status == 0)
        let minted = try Tokenctl.run(["sign", "--api-key", "--keyset", keyset, "--prefix", "acme", "--count", "10000"])
        #expect(minted.status == 0)
        let keys = minted.stdout.split(separator: "\n").map(String.init)
        #expect(keys.count == 10_000 && Set(keys).count == 10_000)
        let id = try #require(try Self.secretIDs(keyset, state: "active").first)
        for key in keys {
            #expect(key.utf8.count == "acme_".utf8.count + 58 && key.hasPrefix("acme_" + id))
            #expect(Issue9APIKeyTests.base62(Issue9APIKeyTests.crc32(Array(key.utf8.dropLast(6)))) == String(key.suffix(6)))
        }
        let verified = try Tokenctl.run(["verify", "--keyset", keyset], stdin: Array(minted.stdout.utf8), timeout: 120)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout == String(repeating: "valid\n", count: 10_000))
    }

    @Test("A crash while the first secret is written leaves a keyset that loads; the next bound key creates it")
    func crashDuringCreation() throws {
        for point in ["tmp1", "1"] {
            let keyset = try Self.keysetPath()
            #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset]).status == 0)
            let token = try Tokenctl.run(["sign", "--keyset", keyset, "--sub", "a"]).stdout
            let crashed = try Tokenctl.run(["sign", "--api-key", "--keyset", keyset], environment: ["TOKENCTL_KEYSET_FAULT": point])
            #expect(crashed.status != 0, "\(point): \(crashed)")
            #expect(try Tokenctl.run(["verify", "--keyset", keyset, token]).status == 0)
            let secrets = try Self.secretRecords(keyset)
            #expect(secrets.isEmpty || secrets.count == 2, "\(point): all or nothing")
            let key = try Self.mint(["--keyset", keyset]).key
            #expect(try Tokenctl.run(["verify", "--keyset", keyset, key]).status == 0)
            #expect(try Self.secretRecords(keyset).count == 2)
        }
    }
}
