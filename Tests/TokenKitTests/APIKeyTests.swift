import Foundation
import Testing
import TokenKit

/// API keys (issue 9): the checksum against Python's `zlib.crc32`, base62, prefix rules,
/// minting, parsing, single-character changes, keyset-bound MACs and forged bodies.
@Suite("API keys")
struct APIKeyTests {
    static let vectors: JSONObject = {
        (try? VectorFiles.object("vectors.json", in: "apikey")) ?? JSONObject()
    }()

    static func entries(_ name: String) throws -> [JSONObject] {
        try #require(vectors[name]?.arrayValue).compactMap(\.objectValue)
    }

    @Test("CRC-32 and its base62 form match Python's zlib.crc32 on every vector")
    func crc32MatchesZlib() throws {
        let cases = try Self.entries("crc32")
        #expect(cases.count >= 10)
        for entry in cases {
            let input = try #require(entry["input"]?.stringValue)
            let expected = try #require(entry["crc32"]?.numberValue?.int64Value)
            #expect(Int64(CRC32.checksum(Array(input.utf8))) == expected, "crc32(\(input.prefix(20)))")
            #expect(APIKey.checksum(of: Array(input.utf8)) == entry["base62"]?.stringValue)
        }
    }

    @Test("base62 writes numbers in 6 digits, most significant first, left-padded with 0")
    func base62Vectors() throws {
        for entry in try Self.entries("base62") {
            let value = try #require(entry["value"]?.numberValue?.int64Value)
            #expect(Base62.encode(UInt32(value), width: 6) == entry["base62"]?.stringValue)
        }
        #expect(Base62.encode(bytes: [0x01, 0x00], width: 4) == "0048")  // 256 = 4·62 + 8
        #expect(Base62.encode(bytes: [UInt8](repeating: 0xFF, count: 16), width: 22).count == 22)
        #expect(Base62.alphabet.count == 62)
        #expect(Base62.value(of: UInt8(ascii: "z")) == 61)
        #expect(Base62.value(of: UInt8(ascii: "_")) == nil)
    }

    @Test("Opaque keys built by Python parse as valid, with their prefix and kind")
    func opaqueVectorsParse() throws {
        for entry in try Self.entries("opaque") {
            let text = try #require(entry["key"]?.stringValue)
            let key = try APIKey(text)
            #expect(key.kind == .opaque)
            #expect(key.prefix == entry["prefix"]?.stringValue)
            #expect(key.secretID == nil)
        }
    }

    @Test("Keyset-bound keys built by Python (HMAC-SHA256) verify with the secret, not without it")
    func boundVectorsVerify() throws {
        for entry in try Self.entries("bound") {
            let text = try #require(entry["key"]?.stringValue)
            let id = try #require(entry["secret_id"]?.stringValue)
            let secret = try APIKeySecret(id: id, bytes: Array(0..<32))
            let store = InMemoryAPIKeySecrets(secrets: [secret], activeID: id)
            let verified = try APIKeyVerifier(secrets: store).verify(text)
            #expect(verified.key.kind == .keyset)
            #expect(verified.key.secretID == id)
            #expect(verified.checks == [.checksum, .mac])
            #expect(try verified.key.sha256Hex() == entry["sha256"]?.stringValue)
            let other = try APIKeySecret(id: id, bytes: Array(1..<33))
            #expect(throws: TokenError(.signatureInvalid, "")) {
                try APIKeyVerifier(secrets: InMemoryAPIKeySecrets(secrets: [other], activeID: id)).verify(text)
            }
        }
    }

    @Test("Prefix rules: lowercase letters and digits in _-joined parts, at most 32 characters")
    func prefixRules() throws {
        for good in ["tk", "acme", "acme_live", "a1_b2_c3", "0", String(repeating: "a", count: 32)] {
            try APIKey.validatePrefix(good)
            #expect(try APIKey.mintOpaque(prefix: good)[0].prefix == good)
        }
        for bad in ["", "Acme", "acme-live", "acme__live", "_acme", "acme_", "é", "acme live",
                    String(repeating: "a", count: 33)] {
            #expect(throws: TokenError(.invalidValue, ""), "prefix '\(bad)'") { try APIKey.validatePrefix(bad) }
            #expect(throws: TokenError(.invalidValue, "")) { try APIKey.mintOpaque(prefix: bad) }
        }
    }

    @Test("Minted opaque keys have the documented layout and parse back")
    func mintedOpaqueLayout() throws {
        let keys = try APIKey.mintOpaque(prefix: "acme_live", count: 200)
        #expect(Set(keys.map(\.text)).count == 200)
        for key in keys {
            #expect(key.text.hasPrefix("acme_live_"))
            #expect(key.text.utf8.count == "acme_live_".utf8.count + APIKey.opaqueBodyLength)
            #expect(Base62.isBase62(key.text.utf8.dropFirst("acme_live_".utf8.count)))
            #expect(try APIKey(key.text) == key)
        }
    }

    @Test("Every single-character change of a key is rejected, opaque or bound")
    func singleCharacterChanges() throws {
        let secret = try APIKeySecret.generate()
        let store = InMemoryAPIKeySecrets(secrets: [secret], activeID: secret.id)
        let keys = [try APIKey.mintOpaque(prefix: "acme_live")[0], try APIKey.mintBound(prefix: "acme", secrets: store)[0]]
        let replacements = Array("0aZz_9".utf8)
        for key in keys {
            let bytes = Array(key.text.utf8)
            for index in bytes.indices {
                for replacement in replacements where replacement != bytes[index] {
                    var changed = bytes
                    changed[index] = replacement
                    let text = String(decoding: changed, as: UTF8.self)
                    #expect(throws: TokenError.self, "position \(index)") { try APIKey(text) }
                }
            }
            // A truncated key is caught by its checksum.
            #expect(throws: TokenError(.checksumInvalid, "")) { try APIKey(String(key.text.dropLast())) }
        }
    }

    @Test("A forged bound key with a recomputed checksum is rejected by its MAC")
    func forgedBoundKey() throws {
        let secret = try APIKeySecret.generate()
        let store = InMemoryAPIKeySecrets(secrets: [secret], activeID: secret.id)
        let key = try APIKey.mintBound(prefix: "acme", secrets: store)[0]
        #expect(try APIKeyVerifier(secrets: store).verify(key.text).checks == [.checksum, .mac])
        var bytes = Array(key.text.utf8.dropLast(APIKey.checksumLength))
        // Change one character of the random part, then make the checksum valid again.
        let randomIndex = "acme_".utf8.count + APIKey.secretIDLength + 3
        bytes[randomIndex] = bytes[randomIndex] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let forged = String(decoding: bytes + Array(APIKey.checksum(of: bytes).utf8), as: UTF8.self)
        #expect(try APIKey(forged).kind == .keyset)  // well-formed, checksum valid
        #expect(throws: TokenError(.signatureInvalid, "")) { try APIKeyVerifier(secrets: store).verify(forged) }
        // The same key under a store without its secret (removed) is key_not_found.
        let other = try APIKeySecret.generate()
        #expect(throws: TokenError(.keyNotFound, "")) {
            try APIKeyVerifier(secrets: InMemoryAPIKeySecrets(secrets: [other], activeID: other.id)).verify(key.text)
        }
    }

    @Test("A retired secret still verifies; the active one mints")
    func secretsRotate() throws {
        let old = try APIKeySecret.generate()
        let new = try APIKeySecret.generate()
        let before = InMemoryAPIKeySecrets(secrets: [old], activeID: old.id)
        let key = try APIKey.mintBound(secrets: before)[0]
        let after = InMemoryAPIKeySecrets(secrets: [new, old], activeID: new.id)
        #expect(try APIKeyVerifier(secrets: after).verify(key.text).key.secretID == old.id)
        #expect(try APIKey.mintBound(secrets: after)[0].secretID == new.id)
        #expect(throws: TokenError(.keyNotFound, "")) {
            try APIKey.mintBound(secrets: InMemoryAPIKeySecrets(secrets: [old], activeID: nil))
        }
    }

    @Test("Secrets need an 8-character base62 id and 32 bytes")
    func secretRules() throws {
        #expect(throws: TokenError(.malformedKey, "")) { try APIKeySecret(id: "short", bytes: Array(0..<32)) }
        #expect(throws: TokenError(.malformedKey, "")) { try APIKeySecret(id: "abc_defg", bytes: Array(0..<32)) }
        #expect(throws: TokenError(.weakKey, "")) { try APIKeySecret(id: "abcdefgh", bytes: Array(0..<31)) }
    }

    @Test("Shapes: JWTs and other text are not API keys; bad shapes are malformed")
    func shapes() throws {
        #expect(!APIKey.looksLikeAPIKey("eyJhbGciOiJIUzI1NiJ9.e30.sig"))
        #expect(!APIKey.looksLikeAPIKey("nounderscore"))
        #expect(APIKey.looksLikeAPIKey("tk_abc"))
        #expect(!APIKey.looksLikeAPIKey(""), "empty")
        #expect(!APIKey.looksLikeAPIKey("tk_abc."), "a dot at the end")
        #expect(!APIKey.looksLikeAPIKey(".tk_abc"), "a dot at the start")
        #expect(!APIKey.looksLikeAPIKey("tk_ab-c"))
        #expect(APIKey.looksLikeAPIKey("_"))
        #expect(throws: TokenError(.malformed, "")) { try APIKey("tk_abc") }
        #expect(throws: TokenError(.malformed, "")) { try APIKey("tk-abc") }
        // A valid checksum on a body of neither length.
        let body = Array("tk_abcdefghij".utf8)
        #expect(throws: TokenError(.malformed, "")) {
            try APIKey(String(decoding: body + Array(APIKey.checksum(of: body).utf8), as: UTF8.self))
        }
        // A valid checksum and layout with an uppercase prefix.
        let upper = Array("Tk_".utf8) + Array(repeating: UInt8(ascii: "a"), count: 32)
        #expect(throws: TokenError(.malformed, "")) {
            try APIKey(String(decoding: upper + Array(APIKey.checksum(of: upper).utf8), as: UTF8.self))
        }
    }

    @Test("The hash list: comments, blank lines, membership, and a bad line named")
    func hashList() throws {
        let keys = try APIKey.mintOpaque(count: 50)
        var text = "# issued keys\n\n"
        for key in keys.prefix(40) { text += "  \(try key.sha256Hex())\r\n" }
        let list = try APIKeyHashList(parsing: Array(text.utf8), name: "issued")
        #expect(list.count == 40)
        for key in keys.prefix(40) { #expect(try list.contains(key)) }
        for key in keys.suffix(10) { #expect(try !list.contains(key)) }
        let verifier = APIKeyVerifier(hashes: list)
        #expect(try verifier.verify(keys[0].text).checks == [.checksum, .hashList])
        #expect(throws: TokenError(.keyNotFound, "")) { try verifier.verify(keys[45].text) }
        #expect(throws: TokenError(.invalidValue, "")) {
            try APIKeyHashList(parsing: Array("\(try keys[0].sha256Hex())\nnot-a-hash\n".utf8), name: "bad")
        }
        #expect(throws: TokenError(.invalidValue, "")) {
            try APIKeyHashList(parsing: Array(String(repeating: "a", count: 63).utf8), name: "short")
        }
    }

    @Test("Nothing to check a well-formed key against is key_unsuitable, after the checksum")
    func nothingToCheck() throws {
        let key = try APIKey.mintOpaque()[0]
        #expect(throws: TokenError(.keyUnsuitable, "")) { try APIKeyVerifier().verify(key.text) }
        #expect(throws: TokenError(.checksumInvalid, "")) { try APIKeyVerifier().verify(String(key.text.dropLast())) }
        let secret = try APIKeySecret.generate()
        let bound = try APIKey.mintBound(secrets: InMemoryAPIKeySecrets(secrets: [secret], activeID: secret.id))[0]
        #expect(throws: TokenError(.keyUnsuitable, "")) { try APIKeyVerifier().verify(bound.text) }
    }

    @Test("inspect describes an invalid key: prefix, kind, checksum, secret id")
    func inspection() throws {
        let key = try APIKey.mintOpaque(prefix: "acme")[0]
        let good = try APIKey.inspect(key.text)
        #expect(good.checksumValid && good.problem == nil && good.kind == .opaque && good.prefix == "acme")
        let bad = try APIKey.inspect(String(key.text.dropLast()) + (key.text.hasSuffix("0") ? "1" : "0"))
        #expect(!bad.checksumValid)
        #expect(bad.problem?.code == .checksumInvalid)
        #expect(bad.prefix == "acme")
    }
}
