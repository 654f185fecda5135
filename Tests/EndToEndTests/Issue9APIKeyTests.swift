import Foundation
import Testing

/// Issue 9, end to end through the binary: `sign --api-key`, `decode`, `verify` and
/// `inspect-size` on API keys. The format is checked by an independent CRC-32 and base62
/// written here, not by TokenKit.
@Suite("Issue 9: API keys, end to end")
struct Issue9APIKeyTests {
    /// CRC-32 (IEEE 802.3, as zlib computes it), bit by bit: independent of TokenKit's table code.
    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// `value` in 6 base62 digits (`0-9A-Za-z`), most significant first, left-padded with `0`.
    static func base62(_ value: UInt32) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits: [Character] = []
        var rest = value
        for _ in 0..<6 {
            digits.insert(alphabet[Int(rest % 62)], at: 0)
            rest /= 62
        }
        return String(digits)
    }

    /// Whether `key` is `<prefix>_<32 base62><6-character checksum>` with a checksum that the
    /// independent CRC-32 above confirms.
    static func isWellFormedOpaque(_ key: String, prefix: String) -> Bool {
        let base62Set = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        guard key.hasPrefix(prefix + "_") else { return false }
        let body = key.dropFirst(prefix.count + 1)
        guard body.count == 38, body.allSatisfy(base62Set.contains) else { return false }
        return base62(crc32(Array(key.utf8.dropLast(6)))) == String(key.suffix(6))
    }

    /// The SHA-256 of `text` by the system's `sha256sum`, independent of TokenKit.
    static func sha256sum(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// Mints `count` keys with `--json`, returning (key, sha256) pairs.
    static func mint(_ count: Int, prefix: String = "acme") throws -> [(key: String, sha256: String)] {
        let result = try Tokenctl.run(["sign", "--api-key", "--prefix", prefix, "--count", String(count), "--json"])
        #expect(result.status == 0, "\(result)")
        return try result.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["kind"] as? String == "opaque")
            #expect(object["prefix"] as? String == prefix)
            return (try #require(object["key"] as? String), try #require(object["sha256"] as? String))
        }
    }

    static func writeFile(_ text: String) throws -> String {
        let url = try Tokenctl.temporaryDirectory().appendingPathComponent("hashes.txt")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("10,000 minted keys are unique, match the format and pass an independent CRC-32")
    func tenThousandKeys() throws {
        let result = try Tokenctl.run(["sign", "--api-key", "--prefix", "acme_live", "--count", "10000"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let keys = result.stdout.split(separator: "\n").map(String.init)
        #expect(keys.count == 10_000)
        #expect(Set(keys).count == 10_000)
        let bad = keys.filter { !Self.isWellFormedOpaque($0, prefix: "acme_live") }
        #expect(bad.isEmpty, "\(bad.count) keys do not match the format, e.g. \(bad.first ?? "")")
        // The default prefix is tk.
        let one = try Tokenctl.run(["sign", "--api-key"])
        #expect(Self.isWellFormedOpaque(one.output, prefix: "tk"), "\(one)")
    }

    @Test("The independent CRC-32 agrees with zlib on the standard check value")
    func independentChecksumIsRight() {
        #expect(Self.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Self.base62(0xCBF4_3926) == "3jZRME")  // Python: zlib.crc32(b"123456789") in base62
    }

    @Test("--json gives key, kind, prefix and the key's SHA-256 as sha256sum computes it")
    func jsonSHA256() throws {
        for (key, sha256) in try Self.mint(3) {
            #expect(Self.isWellFormedOpaque(key, prefix: "acme"))
            #expect(sha256 == (try Self.sha256sum(key)))
        }
    }

    @Test("A bad prefix, a bad count or a JWT option is a usage error (exit 2) that says what is allowed")
    func signUsageErrors() throws {
        for prefix in ["Acme", "acme-live", "acme__x", "_x", String(repeating: "a", count: 33), ""] {
            let result = try Tokenctl.run(["sign", "--api-key", "--prefix", prefix])
            #expect(result.status == 2, "\(prefix): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("lowercase letters and digits"), "\(result)")
        }
        for count in ["0", "-3", "x", "1000001"] {
            let result = try Tokenctl.run(["sign", "--api-key", "--count=\(count)"])
            #expect(result.status == 2, "\(count): \(result)")
            #expect(result.stderr.contains("error[invalid_value]"))
        }
        let conflict = try Tokenctl.run(["sign", "--api-key", "--sub", "alice"])
        #expect(conflict.status == 2)
        #expect(conflict.stderr.contains("error[conflicting_options]"))
        let prefixAlone = try Tokenctl.run(["sign", "--prefix", "acme"])
        #expect(prefixAlone.status == 2)
        #expect(prefixAlone.stderr.contains("--api-key"))
    }

    @Test("decode shows prefix, kind and checksum; a bad checksum is exit 1")
    func decodeKeys() throws {
        let (key, sha256) = try Self.mint(1, prefix: "acme_live")[0]
        let text = try Tokenctl.run(["decode", key])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("opaque"))
        #expect(text.stdout.contains("Prefix: acme_live"))
        #expect(text.stdout.contains("Checksum: valid"))
        #expect(!text.stdout.contains(key), "decode must not print the key itself")

        let json = try Tokenctl.run(["decode", "--json", key])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["prefix"] as? String == "acme_live")
        #expect(object["kind"] as? String == "opaque")
        #expect(object["checksum_valid"] as? Bool == true)
        #expect(object["sha256"] as? String == sha256)

        let last = key.last!
        let typo = String(key.dropLast()) + (last == "a" ? "b" : "a")
        let bad = try Tokenctl.run(["decode", typo])
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stdout.contains("Checksum: INVALID"))
        #expect(bad.stderr.contains("error[checksum_invalid]"))
        let badJSON = try Tokenctl.run(["decode", "--json", typo])
        #expect(badJSON.status == 1)
        #expect(badJSON.stdout.contains("\"checksum_valid\":false"))
        #expect(badJSON.stdout.contains("\"code\":\"checksum_invalid\""))
    }

    @Test("verify: checksum first (exit 1), then the hash list; nothing to check is exit 2")
    func verifyExitCodes() throws {
        let keys = try Self.mint(3)
        let list = try Self.writeFile("# issued\n\(keys[0].sha256)\n\(keys[1].sha256)\n")

        let valid = try Tokenctl.run(["verify", "--api-key-hashes", list, keys[0].key])
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.output == "valid")

        let unknown = try Tokenctl.run(["verify", "--api-key-hashes", list, keys[2].key])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("error[key_not_found]"))

        let typo = String(keys[0].key.dropLast()) + (keys[0].key.hasSuffix("x") ? "y" : "x")
        let badChecksum = try Tokenctl.run(["verify", "--api-key-hashes", list, typo])
        #expect(badChecksum.status == 1)
        #expect(badChecksum.stderr.contains("error[checksum_invalid]"), "\(badChecksum)")
        // The checksum is checked even with nothing else to check against.
        let badAlone = try Tokenctl.run(["verify", typo])
        #expect(badAlone.status == 1)
        #expect(badAlone.stderr.contains("error[checksum_invalid]"))

        let nothing = try Tokenctl.run(["verify", keys[0].key])
        #expect(nothing.status == 2, "\(nothing)")
        #expect(nothing.stdout.isEmpty)
        #expect(nothing.stderr.contains("--api-key-hashes FILE"))

        let json = try Tokenctl.run(["verify", "--json", "--api-key-hashes", list, keys[1].key])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object["kind"] as? String == "opaque")
        #expect(object["prefix"] as? String == "acme")
        let jsonBad = try Tokenctl.run(["verify", "--json", "--api-key-hashes", list, typo])
        #expect(jsonBad.status == 1)
        #expect(jsonBad.stdout.contains("\"valid\":false"))
        #expect(jsonBad.stdout.contains("\"code\":\"checksum_invalid\""))

        let badList = try Tokenctl.run(["verify", "--api-key-hashes", try Self.writeFile("nope\n"), keys[0].key])
        #expect(badList.status == 2)
        #expect(badList.stderr.contains("line 1"))
    }

    @Test("Any single changed character is rejected with exit 1")
    func singleCharacterChanges() throws {
        let (key, sha256) = try Self.mint(1, prefix: "acme_live")[0]
        let list = try Self.writeFile(sha256 + "\n")
        var variants: [String] = []
        let characters = Array(key)
        for index in characters.indices {
            for replacement in ["0", "Z", "z", "_", "-"] where Character(replacement) != characters[index] {
                var changed = characters
                changed[index] = Character(replacement)
                variants.append(String(changed))
            }
        }
        let batch = try Tokenctl.run(["verify", "--api-key-hashes", list], input: variants.joined(separator: "\n") + "\n")
        #expect(batch.status == 1)
        let lines = batch.stdout.split(separator: "\n")
        #expect(lines.count == variants.count)
        #expect(lines.allSatisfy { $0.hasPrefix("invalid ") }, "\(batch.stdout.prefix(500))")
        // One at a time too, for a few positions: exit 1 each.
        for variant in [variants.first!, variants[variants.count / 2], variants.last!] {
            #expect(try Tokenctl.run(["verify", "--api-key-hashes", list, variant]).status == 1)
            #expect(try Tokenctl.run(["decode", variant]).status == 1)
        }
    }

    @Test("A hash list of 100,000 hashes: listed keys verify, others do not, in order")
    func hundredThousandHashes() throws {
        let keys = try Self.mint(40)
        let listed = keys.prefix(30)
        var lines = ["# 100,000 hashes: 99,970 of other keys and 30 issued here"]
        var generator = SystemRandomNumberGenerator()
        for index in 0..<99_970 {
            if index % 3333 == 0, index / 3333 < listed.count { lines.append(listed[listed.startIndex + index / 3333].sha256) }
            let hex = Array("0123456789abcdef".utf8)
            var line = [UInt8](repeating: 0, count: 64)
            for position in 0..<64 { line[position] = hex[Int(generator.next() & 15)] }
            lines.append(String(decoding: line, as: UTF8.self))
        }
        let hashLines = lines.filter { !$0.hasPrefix("#") }
        #expect(hashLines.count == 100_000)
        let list = try Self.writeFile(lines.joined(separator: "\n") + "\n")
        let input = keys.map(\.key).joined(separator: "\n") + "\n"
        let result = try Tokenctl.run(["verify", "--api-key-hashes", list], input: input)
        #expect(result.status == 1)
        let expected = Array(repeating: "valid", count: 30) + Array(repeating: "invalid key_not_found", count: 10)
        #expect(result.stdout.split(separator: "\n").map { $0.hasPrefix("valid") ? "valid" : String($0.prefix(21)) } == expected)
        let onlyListed = try Tokenctl.run(["verify", "-q", "--api-key-hashes", list], input: listed.map(\.key).joined(separator: "\n"))
        #expect(onlyListed.status == 0, "\(onlyListed)")
    }

    @Test("Batch input mixes API keys and JWTs: one result a line, in order")
    func mixedBatch() throws {
        let secret = Tokenctl.fixture("keys/hs256.secret")
        let jwt = try Tokenctl.run(["sign", "--secret-file", secret, "--alg", "HS256", "--sub", "alice"]).output
        let keys = try Self.mint(2)
        let list = try Self.writeFile(keys[0].sha256 + "\n")
        let input = [keys[0].key, jwt, keys[1].key, "Bearer " + keys[0].key, jwt + "x"].joined(separator: "\n") + "\n"
        let result = try Tokenctl.run(["verify", "--secret-file", secret, "--api-key-hashes", list], input: input)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result)")
        #expect(lines[0] == "valid")
        #expect(lines[1] == "valid")
        #expect(lines[2].hasPrefix("invalid key_not_found"))
        #expect(lines[3] == "valid")
        #expect(lines[4].hasPrefix("invalid signature_invalid") || lines[4].hasPrefix("invalid malformed"), "\(lines[4])")

        let json = try Tokenctl.run(["verify", "--json", "--secret-file", secret, "--api-key-hashes", list], input: input)
        let objects = json.stdout.split(separator: "\n")
        #expect(objects.count == 5)
        #expect(objects[0].contains("\"kind\":\"opaque\""))
        #expect(objects[1].contains("\"alg\":\"HS256\""))

        let decoded = try Tokenctl.run(["decode", "--json"], input: [keys[0].key, jwt].joined(separator: "\n"))
        #expect(decoded.status == 0)
        let decodedLines = decoded.stdout.split(separator: "\n")
        #expect(decodedLines.count == 2)
        #expect(decodedLines[0].contains("\"api_key\":true"))
        #expect(decodedLines[1].contains("\"payload\""))
    }

    @Test("inspect-size reports an API key's length like a token's")
    func inspectSize() throws {
        let key = try Self.mint(1)[0].key
        let text = try Tokenctl.run(["inspect-size", key])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("API key (opaque)"))
        #expect(text.stdout.contains("  \(key.utf8.count) bytes"))
        #expect(!text.stdout.contains("could not be sized"))
        let json = try Tokenctl.run(["inspect-size", "--format", "json", key])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "api_key")
        #expect(object["total_bytes"] as? Int == key.utf8.count)
        let over = try Tokenctl.run(["inspect-size", "--budget", "20", key])
        #expect(over.status == 1)
    }

    /// A keyset-bound key made by Python (HMAC-SHA256 under bytes 0...31, secret id
    /// `zZ9yY8xX`; see Tests/TokenKitTests/Vectors/apikey/README.md).
    static let boundKey = "acme_live_zZ9yY8xX0000000000000000000000113vaivqkHEy0nGDlhVbid3DPmbz"

    @Test("A keyset-bound key made elsewhere: decode shows its secret id; a hash list verifies it")
    func boundKeyFromPython() throws {
        let decoded = try Tokenctl.run(["decode", "--json", Self.boundKey])
        #expect(decoded.status == 0, "\(decoded)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "keyset")
        #expect(object["secret_id"] as? String == "zZ9yY8xX")
        #expect(object["prefix"] as? String == "acme_live")
        #expect(object["checksum_valid"] as? Bool == true)
        let text = try Tokenctl.run(["decode", Self.boundKey])
        #expect(text.stdout.contains("Secret id: zZ9yY8xX"))

        let list = try Self.writeFile(try Self.sha256sum(Self.boundKey) + "\n")
        let verified = try Tokenctl.run(["verify", "--json", "--api-key-hashes", list, Self.boundKey])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.contains("\"kind\":\"keyset\""))
        #expect(verified.stdout.contains("\"checks\":[\"checksum\",\"hash_list\"]"))

        let nothing = try Tokenctl.run(["verify", Self.boundKey])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("keyset"))
    }
}
