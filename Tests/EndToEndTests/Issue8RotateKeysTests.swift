import Foundation
import Testing

/// issue-8: `rotate-keys` and the keyset states next, active and retiring.
@Suite("issue-8 rotate-keys")
struct Issue8RotateKeysTests {
    static let t0: Int64 = 1_800_000_000
    static let day: Int64 = 86_400

    func newKeysetPath() throws -> String {
        try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
    }

    func rotate(_ keyset: String, at now: Int64, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", String(now)] + extra)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    func sign(_ keyset: String, at now: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try Tokenctl.run(["sign", "--keyset", keyset, "--now", String(now), "--exp", "1h"])
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result.output
    }

    func verify(_ keyset: String, _ token: String, at now: Int64) throws -> RunResult {
        try Tokenctl.run(["verify", "--keyset", keyset, "--now", String(now), token])
    }

    @Test("issue-8: a missing keyset is created with an active and a next key, 0700/0600/0644")
    func create() throws {
        let keyset = try newKeysetPath()
        let result = try rotate(keyset, at: Self.t0, ["--json"])
        let report = try KeysetFiles.object(result.stdout)
        #expect(report["action"] as? String == "created")
        #expect((report["added"] as? [Any])?.count == 2)
        #expect(try KeysetFiles.kids(keyset, state: "active").count == 1)
        #expect(try KeysetFiles.kids(keyset, state: "next").count == 1)
        #expect(report["active"] as? String == (try KeysetFiles.kids(keyset, state: "active").first))
        #expect(try KeysetFiles.object(file: keyset + "/keys.json")["version"] as? Int == 1)
        #expect(Set(try KeysetFiles.publishedKids(keyset)) == Set(try KeysetFiles.kids(keyset)))
        #expect(KeysetFiles.mode(keyset) == 0o700 && KeysetFiles.mode(keyset + "/keys.json") == 0o600)
        #expect(KeysetFiles.mode(keyset + "/jwks.json") == 0o644)
        let text = try rotate(try newKeysetPath(), at: Self.t0)
        #expect(text.stdout.hasPrefix("created keyset "), "\(text)")
    }

    @Test("issue-8: one rotation moves next to active and active to retiring; sign uses the active key, verify all three")
    func rotation() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        let firstActive = try KeysetFiles.kids(keyset, state: "active")[0]
        let firstNext = try KeysetFiles.kids(keyset, state: "next")[0]
        let oldToken = try sign(keyset, at: Self.t0 + 10)
        #expect(try KeysetFiles.kid(of: oldToken) == firstActive)

        let result = try rotate(keyset, at: Self.t0 + 7200, ["--json"])
        let report = try KeysetFiles.object(result.stdout)
        #expect(report["action"] as? String == "rotated")
        #expect(report["active"] as? String == firstNext)
        #expect(try KeysetFiles.kids(keyset, state: "active") == [firstNext])
        #expect(try KeysetFiles.kids(keyset, state: "retiring") == [firstActive])
        let newNext = try #require(try KeysetFiles.kids(keyset, state: "next").first)
        #expect(![firstActive, firstNext].contains(newNext))
        #expect(Set(try KeysetFiles.publishedKids(keyset)) == Set([firstActive, firstNext, newNext]))
        let retiringRecord = try #require(try KeysetFiles.records(keyset).first { $0["kid"] as? String == firstActive })
        #expect(retiringRecord["retired"] as? Int == Int(Self.t0 + 7200))

        let newToken = try sign(keyset, at: Self.t0 + 7300)
        #expect(try KeysetFiles.kid(of: newToken) == firstNext)
        #expect(try verify(keyset, oldToken, at: Self.t0 + 20).status == 0)
        #expect(try verify(keyset, newToken, at: Self.t0 + 7300).status == 0)
        // A token signed (outside tokenctl's rules) with the next key verifies by its kid too.
        let nextToken = try Tokenctl.run(["sign", "--key", keyset + "/keys.json", "--kid", newNext, "--now", String(Self.t0 + 7300)])
        #expect(nextToken.status == 0, "\(nextToken)")
        #expect(try verify(keyset, nextToken.output, at: Self.t0 + 7300).status == 0)

        // The retiring key is removed after --retire-after (default 1d), and its token is rejected.
        let later = Self.t0 + 7200 + Self.day
        let removal = try KeysetFiles.object(try rotate(keyset, at: later, ["--rotate-after", "30d", "--json"]).stdout)
        #expect(removal["action"] as? String == "removed")
        #expect(!(try KeysetFiles.kids(keyset)).contains(firstActive))
        #expect(!(try KeysetFiles.publishedKids(keyset)).contains(firstActive))
        let rejected = try Tokenctl.run(["verify", "--keyset", keyset, "--now", String(Self.t0 + 20), oldToken])
        #expect(rejected.status == 1 && rejected.stderr.contains("key_not_found"), "\(rejected)")
    }

    @Test("issue-8: --rotate-after does nothing until due and says when; --force rotates now")
    func rotateAfter() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        let before = try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8)
        let idle = try rotate(keyset, at: Self.t0 + 10 * Self.day, ["--rotate-after", "30d"])
        #expect(idle.stdout.hasPrefix("nothing to do for keyset"), "\(idle)")
        #expect(idle.stdout.contains("next rotation due 2027-02-14T08:00:00Z (in 20 days)"), "\(idle)")
        #expect(try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8) == before)
        let json = try KeysetFiles.object(try rotate(keyset, at: Self.t0 + 10 * Self.day, ["--rotate-after", "30d", "--json"]).stdout)
        #expect(json["action"] as? String == "unchanged" && json["changed"] as? Bool == false)
        #expect(json["next_rotation"] as? Int == Int(Self.t0 + 30 * Self.day))

        let forced = try rotate(keyset, at: Self.t0 + 10 * Self.day, ["--rotate-after", "30d", "--force"])
        #expect(forced.stdout.hasPrefix("rotated keyset"), "\(forced)")
        let due = try rotate(keyset, at: Self.t0 + 40 * Self.day, ["--rotate-after", "30d"])
        #expect(due.stdout.hasPrefix("rotated keyset"), "\(due)")
    }

    @Test("issue-8: a keyset written before versions (no version, no next key) loads, then first gets a next key")
    func legacyKeyset() throws {
        let keyset = try newKeysetPath()
        let created = try Tokenctl.run(["sign", "--now", String(Self.t0)], environment: ["TOKENCTL_KEYSET": keyset])
        #expect(created.status == 0, "\(created)")
        // Rewrite keys.json exactly as the previous tokenctl wrote it: no version, no kind.
        var record = try #require(try KeysetFiles.records(keyset).first)
        record["kind"] = nil
        record["kid"] = "legacy-kid"
        let legacy = try JSONSerialization.data(withJSONObject: ["keys": [record]])
        try legacy.write(to: URL(fileURLWithPath: keyset + "/keys.json"))
        #expect(!String(decoding: legacy, as: UTF8.self).contains("version"))
        let token = try sign(keyset, at: Self.t0)
        #expect(try KeysetFiles.kid(of: token) == "legacy-kid")
        #expect(try verify(keyset, token, at: Self.t0).status == 0)

        let first = try rotate(keyset, at: Self.t0, ["--force"])
        #expect(first.stdout.hasPrefix("added a next key to keyset"), "\(first)")
        #expect(first.stdout.contains("no key signs before it has been published"), "\(first)")
        #expect(try KeysetFiles.kids(keyset, state: "active") == ["legacy-kid"])
        #expect(try KeysetFiles.kids(keyset, state: "next").count == 1)
        #expect(try KeysetFiles.publishedKids(keyset).contains("legacy-kid"))
        let second = try rotate(keyset, at: Self.t0 + Self.day, ["--force"])
        #expect(second.stdout.hasPrefix("rotated keyset"), "\(second)")
        #expect(try KeysetFiles.kids(keyset, state: "retiring") == ["legacy-kid"])
        #expect(try verify(keyset, token, at: Self.t0).status == 0)
    }

    @Test("issue-8: an unknown format version is refused, naming it, by sign, verify and rotate-keys")
    func unknownVersion() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        let path = keyset + "/keys.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2").write(toFile: path, atomically: false, encoding: .utf8)
        for arguments in [["sign", "--keyset", keyset], ["verify", "--keyset", keyset, "a.b.c"], ["rotate-keys", "--keyset", keyset]] {
            let result = try Tokenctl.run(arguments)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("format version 2"), "\(result)")
        }
    }

    @Test("issue-8: --dry-run writes nothing; --status shows states, ages and what is due")
    func dryRunAndStatus() throws {
        let keyset = try newKeysetPath()
        let dryCreate = try rotate(keyset, at: Self.t0, ["--dry-run"])
        #expect(dryCreate.stdout.hasPrefix("dry run, nothing written: would create keyset"), "\(dryCreate)")
        #expect(!FileManager.default.fileExists(atPath: keyset))
        _ = try rotate(keyset, at: Self.t0)
        let before = try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8)
        let publicBefore = try String(contentsOfFile: keyset + "/jwks.json", encoding: .utf8)
        let dry = try rotate(keyset, at: Self.t0 + Self.day, ["--dry-run", "--json"])
        let report = try KeysetFiles.object(dry.stdout)
        #expect(report["action"] as? String == "rotated" && report["dry_run"] as? Bool == true)
        #expect(try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8) == before)
        #expect(try String(contentsOfFile: keyset + "/jwks.json", encoding: .utf8) == publicBefore)

        _ = try rotate(keyset, at: Self.t0 + Self.day)
        let status = try rotate(keyset, at: Self.t0 + 2 * Self.day, ["--status", "--rotate-after", "30d", "--retire-after", "2d"])
        let retiring = try KeysetFiles.kids(keyset, state: "retiring")[0]
        #expect(status.stdout.contains("retiring \(retiring)  ES256  retiring for 24 hours, removal due 2027-01-18T08:00:00Z (in 24 hours)"), "\(status)")
        #expect(status.stdout.contains("active for 24 hours"), "\(status)")
        #expect(status.stdout.contains("next rotation due 2027-02-15T08:00:00Z (in 29 days)"), "\(status)")
        let statusJSON = try KeysetFiles.object(try rotate(keyset, at: Self.t0 + 2 * Self.day, ["--status", "--json"]).stdout)
        let keys = try #require(statusJSON["keys"] as? [[String: Any]])
        #expect(keys.map { $0["state"] as? String } == ["next", "active", "retiring"])
        #expect(keys.allSatisfy { $0["age_seconds"] as? Int == Int(Self.day) })
        let missing = try Tokenctl.run(["rotate-keys", "--status", "--keyset", keyset + "-none"])
        #expect(missing.status == 2 && missing.stderr.contains("does not exist"), "\(missing)")
    }

    @Test("issue-8: --alg changes the algorithm of new keys and says so; an HMAC keyset publishes no secret")
    func algorithms() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        let switched = try rotate(keyset, at: Self.t0 + Self.day, ["--alg", "EdDSA"])
        #expect(switched.stdout.contains("the new next key uses EdDSA, which signs from the next rotation on (the active key uses ES256)"), "\(switched)")
        let second = try rotate(keyset, at: Self.t0 + 2 * Self.day)
        #expect(second.stdout.contains("the signing algorithm changes from ES256 to EdDSA"), "\(second)")
        let token = try sign(keyset, at: Self.t0 + 2 * Self.day)
        #expect(try Tokenctl.run(["decode", "--json", token]).stdout.contains("\"alg\":\"EdDSA\""))
        #expect(try verify(keyset, token, at: Self.t0 + 2 * Self.day).status == 0)

        let hmac = try newKeysetPath()
        let created = try rotate(hmac, at: Self.t0, ["--alg", "HS256", "--json"])
        let published = try String(contentsOfFile: hmac + "/jwks.json", encoding: .utf8)
        #expect(!published.contains("\"k\""), "\(published)")
        #expect(try KeysetFiles.object(file: hmac + "/jwks.json")["keys"] as? [Any] != nil)
        #expect((try KeysetFiles.object(created.stdout))["published"] as? [Any] != nil)
        #expect(try KeysetFiles.publishedKids(hmac).isEmpty)
        let secret = try #require(try KeysetFiles.records(hmac).first?["k"] as? String)
        #expect(!created.stdout.contains(secret))
        let hmacToken = try sign(hmac, at: Self.t0)
        #expect(try verify(hmac, hmacToken, at: Self.t0).status == 0)
        #expect(try Tokenctl.run(["decode", "--json", hmacToken]).stdout.contains("\"alg\":\"HS256\""))
    }

    @Test("issue-8: no private material in jwks.json, in the output, in --json or in --jwks-out")
    func noPrivateMaterial() throws {
        let keyset = try newKeysetPath()
        let webRoot = try Tokenctl.temporaryDirectory().appendingPathComponent("jwks.json").path
        var outputs = [try rotate(keyset, at: Self.t0, ["--jwks-out", webRoot]).stdout]
        outputs.append(try rotate(keyset, at: Self.t0 + Self.day, ["--json", "--jwks-out", webRoot]).stdout)
        outputs.append(try rotate(keyset, at: Self.t0 + Self.day, ["--status"]).stdout)
        let published = try String(contentsOfFile: keyset + "/jwks.json", encoding: .utf8)
        #expect(try String(contentsOfFile: webRoot, encoding: .utf8) == published)
        #expect(KeysetFiles.mode(webRoot) == 0o644)
        #expect(!published.contains("\"d\""))
        for record in try KeysetFiles.records(keyset) {
            let d = try #require(record["d"] as? String)
            for text in outputs + [published] { #expect(!text.contains(d)) }
        }
    }

    @Test("issue-8: the key about to sign was published less than an hour ago: a warning")
    func earlyActivationWarning() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        let early = try rotate(keyset, at: Self.t0 + 600)
        #expect(early.stderr.contains("warning: key ") && early.stderr.contains("becomes active 10 minutes after it was published; verifiers that cache the JWKS may not know it yet"), "\(early)")
        let onTime = try rotate(keyset, at: Self.t0 + 600 + 2 * 3600)
        #expect(onTime.stderr.isEmpty, "\(onTime)")
    }

    @Test("issue-8: a keyset that cannot be read is exit 2 with the path and the cause, never 1")
    func unreadable() throws {
        let keyset = try newKeysetPath()
        _ = try rotate(keyset, at: Self.t0)
        try "{not json".write(toFile: keyset + "/keys.json", atomically: false, encoding: .utf8)
        let result = try Tokenctl.run(["rotate-keys", "--keyset", keyset])
        #expect(result.status == 2 && result.stderr.contains(keyset + "/keys.json"), "\(result)")
        let unwritable = try Tokenctl.run(["rotate-keys", "--keyset", "/proc/tokenctl-keyset"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("error[output_unwritable]"), "\(unwritable)")
        let bad = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--retire-after", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("invalid duration 'soon'"), "\(bad)")
    }

    @Test("issue-8: rotate-keys without --keyset uses the default keyset, the one sign created")
    func defaultKeyset() throws {
        let keyset = try newKeysetPath()
        let signed = try Tokenctl.run(["sign", "--sub", "x", "--now", String(Self.t0)], environment: ["TOKENCTL_KEYSET": keyset])
        #expect(signed.status == 0)
        let result = try Tokenctl.run(["rotate-keys", "--now", String(Self.t0)], environment: ["TOKENCTL_KEYSET": keyset])
        #expect(result.status == 0 && result.stdout.hasPrefix("added a next key to keyset \(keyset)"), "\(result)")
    }
}
