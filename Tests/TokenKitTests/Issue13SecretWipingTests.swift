import Foundation
import Testing
@testable import TokenKit

/// Issue 13, secrets: what can be observed of wiping. The owned buffer's memory after
/// `deinit` cannot be read safely, so these tests check the wiping primitives on buffers the
/// test still holds, and that the paths rebuilt to avoid copies (the keyset writer, the
/// thumbprint, PEM cut as bytes, reads that grow) give the same results as before.
/// `SecretBytes` has no accessor that returns its bytes as an array (`bytes` was removed), so
/// no test can, or needs to, call one: a reintroduced accessor is a compile-time API change.
@Suite("issue 13: secret wiping")
struct Issue13SecretWipingTests {
    static let t0: Int64 = 1_800_000_000

    @Test("Secrets.wipe zeroes a uniquely held array in place, keeping its length")
    func wipeZeroes() {
        var bytes: [UInt8] = Array(1...64)
        let before = bytes.withUnsafeBufferPointer { $0.baseAddress }
        Secrets.wipe(&bytes)
        #expect(bytes == [UInt8](repeating: 0, count: 64))
        #expect(bytes.withUnsafeBufferPointer { $0.baseAddress } == before, "wiped in place, not in a copy")
        var optional: [UInt8]? = Array("password".utf8)
        Secrets.wipe(&optional)
        #expect(optional == [UInt8](repeating: 0, count: 8))
        var none: [UInt8]? = nil
        Secrets.wipe(&none)
        #expect(none == nil)
    }

    @Test("SecretBytes(wiping:) zeroes its source and holds the secret; init(copying:) leaves it")
    func wipingInit() {
        var source: [UInt8] = (0..<48).map { UInt8(0xA0 ^ $0) }
        let expected = source
        let secret = SecretBytes(wiping: &source)
        #expect(source == [UInt8](repeating: 0, count: 48))
        #expect(secret.count == 48)
        #expect(secret.withUnsafeBytes { Array($0) } == expected)
        let kept = expected
        let copied = SecretBytes(copying: kept)
        #expect(kept == expected)
        #expect(copied.withUnsafeBytes { Array($0) } == expected)
    }

    @Test("SecretBytes(count:initializingWith:) fills in place and gives up on a throw")
    func initializingInit() throws {
        let filled = SecretBytes(count: 4) { buffer in
            for index in 0..<3 { buffer[index] = UInt8(index + 1) }
            return 3
        }
        #expect(filled.withUnsafeBytes { Array($0) } == [1, 2, 3])
        #expect(throws: TokenError(.backendFailure, "")) {
            _ = try SecretBytes(count: 8) { _ in throw TokenError(.backendFailure, "no") }
        }
        let random = try SecretBytes(count: 32) { try SecureRandom.fill($0) }
        #expect(random.withUnsafeBytes { bytes in bytes.contains { $0 != 0 } })
    }

    @Test("base64url from the owned buffer matches Base64URL.encode for every length")
    func base64URLFromBuffer() {
        var random = SplitMix64(state: 13)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let secret = SecretBytes(copying: bytes)
            var out: [UInt8] = []
            out.reserveCapacity(secret.base64URLCount)
            secret.appendBase64URL(to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Base64URL.encode(bytes), "length \(length)")
            #expect(out.count == secret.base64URLCount)
        }
    }

    @Test("keys.json built as bytes is byte for byte the pretty-printed private JWKs, for every key type")
    func privateFileFormat() throws {
        var entries: [Keyset.Entry] = []
        for algorithm in [Algorithm.es256, .es512, .edDSA, .hs256, .hs512] {
            entries.append(try Keyset.newEntry(algorithm: algorithm, state: entries.isEmpty ? .active : .next, now: Self.t0))
        }
        var rsa = try KeyFixtures.key("rsa2048.pkcs8.pem")
        rsa.kid = "rsa"
        rsa.algorithm = .rs256
        entries.append(Keyset.Entry(key: rsa, state: .retiring, created: Self.t0, activated: Self.t0, retired: Self.t0 + 1))
        entries.append(try Keyset.newAPIKeySecretEntry(state: .active, now: Self.t0, avoiding: entries.map(\.kid)))
        let other = JSONObject([("kind", .string("future")), ("kid", .string("tokenctl-private-member-0"))])
        let keyset = Keyset(directory: "/ks", entries: entries, otherRecords: [other])
        // The former way: JSON strings of every private member, pretty-printed.
        var records: [JSONValue] = []
        for entry in entries {
            var object = try entry.key.privateJWK()
            object["kind"] = .string(entry.kind.rawValue)
            object["state"] = .string(entry.state.rawValue)
            object["created"] = .number(JSONNumber(entry.created))
            if let activated = entry.activated { object["activated"] = .number(JSONNumber(activated)) }
            if let retired = entry.retired { object["retired"] = .number(JSONNumber(retired)) }
            records.append(.object(object))
        }
        records.append(.object(other))
        let file = JSONObject([("version", .number(JSONNumber(1))), ("keys", .array(records))])
        let expected = JSONValue.object(file).prettyPrinted() + "\n"
        let bytes = try keyset.privateFileBytes()
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        let parsed = try Keyset.parse(bytes, directory: "/ks", path: "/ks/keys.json", isPrivate: true)
        #expect(parsed.entries.count == entries.count && parsed.otherRecords.count == 1)
    }

    @Test("the thumbprint of an HMAC secret is still RFC 7638's, over {\"k\",\"kty\"}")
    func octThumbprint() throws {
        let key = try Key.generate(for: .hs256)
        let k = try #require(try key.privateJWK()["k"]?.stringValue)
        let json = JSONObject([("k", .string(k)), ("kty", .string("oct"))]).serialized
        #expect(key.thumbprint() == Base64URL.encode(try Digest.sha256(Array(json.utf8))))
    }

    @Test("HMAC through the lent buffer signs and verifies as before, and an empty key still gets a tag")
    func hmacFromBuffer() throws {
        let secret = Array("0123456789abcdef0123456789ABCDEF".utf8)
        let key = try Key(hmacSecret: secret)
        let input = Array("header.payload".utf8)
        let tag = try key.signature(for: input, algorithm: .hs256)
        #expect(key.isValidSignature(tag, for: input, algorithm: .hs256))
        let expected = try secret.withUnsafeBytes { try HMACBackend.authenticationCode(digest: .sha256, key: $0, data: input) }
        #expect(tag == expected)
        let empty = try [UInt8]().withUnsafeBytes { try HMACBackend.authenticationCode(digest: .sha256, key: $0, data: input) }
        #expect(empty.count == 32)
    }

    @Test("PEM cut as bytes: indentation, CRLF, CR and several blocks read as before")
    func pemAsBytes() throws {
        let pem = try KeyFixtures.text("rsa2048.pkcs8.pem")
        let reference = try Key(pemRepresentation: pem)
        let indented = pem.split(separator: "\n").map { "    \($0)\t" }.joined(separator: "\r\n")
        let oldMac = pem.replacingOccurrences(of: "\n", with: "\r")
        let twoBlocks = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\nnoise\n" + pem + pem
        for text in [indented, oldMac, twoBlocks] {
            let keys = try KeySource.keys(from: Array(text.utf8))
            #expect(keys.allSatisfy { $0.thumbprint() == reference.thumbprint() })
        }
        #expect(try KeySource.keys(from: Array(twoBlocks.utf8)).count == 2)
        let blocks = PEMBlock.blocks(in: Array(twoBlocks.utf8))
        #expect(blocks.map(\.label) == ["EC PARAMETERS", "PRIVATE KEY", "PRIVATE KEY"])
        var block = blocks[1]
        block.wipe()
        #expect(block.bytes.allSatisfy { $0 == 0 } && !block.bytes.isEmpty)
        #expect(blocks[1].bytes.first == UInt8(ascii: "-"), "a copy of the block is a value of its own")
    }

    @Test("a read that outgrows its first buffer returns every byte (the growth path that wipes)")
    func growingRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big").path
        var random = SplitMix64(state: 7)
        let content = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        #expect(try FileAccess.read(path) == content)
        #expect(try FileAccess.readRegularFile(path) == content)
        #expect(throws: TokenError(.inputUnreadable, "")) { try FileAccess.read(path, maxBytes: 100_000) }
    }

    @Test("files of every size around the read chunks come back whole, by both readers")
    func readSizes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sizes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SplitMix64(state: 11)
        for size in [0, 1, 240, 4_095, 4_096, 4_097, 65_535, 65_536, 65_537, 70_000] {
            let path = directory.appendingPathComponent("file-\(size)").path
            let content = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try Data(content).write(to: URL(fileURLWithPath: path))
            #expect(try FileAccess.read(path) == content, "\(size) bytes")
            #expect(try FileAccess.readRegularFile(path) == content, "\(size) bytes")
        }
    }

    @Test("Key(hmacSecretText:encoding:) decodes each encoding to the same key, and refuses as before")
    func hmacSecretText() throws {
        let secret: [UInt8] = (0..<40).map { UInt8(($0 * 37 + 11) & 0xFF) }
        let reference = try Key(hmacSecret: secret).thumbprint()
        let texts: [(SecretEncoding, String)] = [
            (.hex, secret.map { String(format: "%02X", $0) }.joined() + "\n"),
            (.base64, Data(secret).base64EncodedString()),
            (.base64url, Base64URL.encode(secret)),
        ]
        for (encoding, text) in texts {
            #expect(try Key(hmacSecretText: Array(text.utf8), encoding: encoding).thumbprint() == reference, "\(encoding)")
        }
        #expect(try Key(hmacSecretText: secret, encoding: .raw).thumbprint() == reference)
        #expect(throws: TokenError(.invalidValue, "")) { try Key(hmacSecretText: Array("zz".utf8), encoding: .hex) }
        #expect(throws: TokenError(.weakKey, "")) { try Key(hmacSecretText: Array("00ff".utf8), encoding: .hex) }
    }

    @Test("a JWK's private members decoded into owned buffers: wrong lengths and empty members are refused as before")
    func jwkSecrets() throws {
        let jwk = try Key.generate(for: .es256).privateJWK()
        var short = jwk
        short["d"] = .string(Base64URL.encode([UInt8](repeating: 7, count: 31)))
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: short) }
        var empty = jwk
        empty["d"] = .string("")
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: empty) }
        let rsa = try KeyFixtures.key("rsa2048.pkcs8.pem").privateJWK()
        let reloaded = try Key(jwk: rsa)
        #expect(try reloaded.privateJWK() == rsa)
        let ed = try Key.generate(for: .ed448).privateJWK()
        #expect(try Key(jwk: ed).privateJWK() == ed)
    }
}
