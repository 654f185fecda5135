import Foundation
import Synchronization
import Testing
@testable import TokenKit

/// The per-token fast paths of batch verification (issue 12): each gives exactly what the
/// general code gives.
@Suite("issue 12: per-token fast paths")
struct Issue12ThroughputUnitTests {
    // MARK: header cache

    @Test("the header cache finds exactly the bytes stored, replaces the oldest when full, skips huge segments")
    func headerCacheEntries() throws {
        let cache = HeaderCache(capacity: 2)
        func entry(_ text: String) throws -> HeaderCache.Entry {
            let json = try Base64URL.decode(text)
            return HeaderCache.Entry(segment: Array(text.utf8), json: json, header: try JSONParser.parseObject(json, what: "h", code: .malformed))
        }
        func lookup(_ text: String) -> HeaderCache.Entry? {
            Array(text.utf8).withUnsafeBufferPointer { cache.entry(for: $0) }
        }
        let first = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        let second = Base64URL.encode(Array(#"{"alg":"ES256"}"#.utf8))
        let third = Base64URL.encode(Array(#"{"alg":"RS256"}"#.utf8))
        #expect(lookup(first) == nil)
        cache.store(try entry(first))
        cache.store(try entry(first))
        #expect(cache.count == 1)
        #expect(lookup(first)?.header["alg"]?.stringValue == "HS256")
        #expect(lookup(String(first.dropLast())) == nil)
        #expect(lookup(first + "A") == nil)
        cache.store(try entry(second))
        cache.store(try entry(third))
        #expect(cache.count == 2)
        #expect(lookup(first) == nil, "the oldest entry is replaced")
        #expect(lookup(second)?.json == Array(#"{"alg":"ES256"}"#.utf8))
        #expect(lookup(third)?.header["alg"]?.stringValue == "RS256")
        let huge = Base64URL.encode(Array(("{\"alg\":\"HS256\",\"x\":\"" + String(repeating: "y", count: 2000) + "\"}").utf8))
        cache.store(try entry(huge))
        #expect(lookup(huge) == nil)
    }

    @Test("a token whose header comes from the cache parses exactly as the first one did; failures are never cached")
    func cachedHeaderParsesTheSame() throws {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","kid":"cache-test-\#(UUID().uuidString)"}"#.utf8))
        let first = try CompactToken(header + ".e30.AAAA")
        let second = try CompactToken(header + ".eyJhIjoxfQ.AAAA")
        #expect(first.header == second.header)
        #expect(first.headerJSON == second.headerJSON)
        #expect(second.headerJSON == (try Base64URL.decode(header)))
        #expect(try JWTClaims(payload: second.payload).object["a"] == .number(JSONNumber(1)))
        // A header that fails fails the same way every time.
        let bad = Base64URL.encode(Array(#"{"alg":1}"#.utf8)) + ".e30.AAAA"
        for _ in 0..<2 {
            #expect(throws: TokenError.malformed("header \"alg\" is a number, not a string")) { try CompactToken(bad) }
        }
    }

    // MARK: HMAC contexts

    /// ``HMACContextPool/isValidTag(_:digest:key:data:)`` on arrays.
    static func isValidTag(_ tag: [UInt8], _ message: [UInt8], _ secret: SecretBytes, _ digest: DigestKind) -> Bool {
        tag.withUnsafeBytes { tag in
            message.withUnsafeBytes { secret.hmacContexts.isValidTag(tag, digest: digest, key: secret, data: $0) }
        }
    }

    @Test("pooled keyed HMAC contexts give the one-shot HMAC's tags, message after message, on several threads")
    func hmacPool() throws {
        let secret = SecretBytes(copying: (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) })
        for digest in [DigestKind.sha256, .sha384, .sha512] {
            for length in [0, 1, 55, 64, 300, 1000] {
                let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) }
                let expected = try secret.withUnsafeBytes { try HMACBackend.authenticationCode(digest: digest, key: $0, data: message) }
                for _ in 0..<3 {
                    #expect(Self.isValidTag(expected, message, secret, digest))
                }
                var wrong = expected
                wrong[0] ^= 1
                #expect(!Self.isValidTag(wrong, message, secret, digest))
                #expect(!Self.isValidTag(Array(expected.dropLast()), message, secret, digest))
            }
        }
        let message = Array("header.payload".utf8)
        let expected = try secret.withUnsafeBytes { try HMACBackend.authenticationCode(digest: .sha256, key: $0, data: message) }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 where !Self.isValidTag(expected, message, secret, .sha256) {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test("Key.allows agrees with allowedAlgorithms for every key type, pinned or not")
    func keyAllows() throws {
        var keys = try [32, 48, 64].map { count in
            try Key(hmacSecret: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        }
        for algorithm in [Algorithm.es256, .es384, .edDSA, .rs256] { keys.append(try Key.generate(for: algorithm, rsaBits: 2048)) }
        for key in keys {
            for pinned in [nil] + Algorithm.all {
                var key = key
                key.algorithm = pinned
                for candidate in Algorithm.all {
                    #expect(key.allows(candidate) == key.allowedAlgorithms.contains(candidate), "\(key) \(String(describing: pinned)) \(candidate)")
                }
            }
        }
    }

    @Test("each algorithm's name as a JSON string is its alg value in quotes")
    func algorithmJSONString() {
        for algorithm in Algorithm.all {
            var out = ByteWriter()
            algorithm.appendJSONString(to: &out)
            #expect(out.string == "\"" + algorithm.rawValue + "\"")
            #expect((try? JSONParser.parse(out.string))?.stringValue == algorithm.rawValue)
        }
    }

    // MARK: compact JSON

    @Test("a compact JSON text is copied as received and equals its serialization; any other is serialized")
    func compactSerialization() throws {
        let texts = [
            #"{}"#, #"{"a":1}"#, #"{"a":"b c","d":[1,2.5e3,true,false,null,{}],"e":{"f":[]}}"#, #"{"é":"ü 𝄞"}"#,
            #"{ "a":1}"#, "{\"a\":1}\n", #"{"a":"\u00e9"}"#, #"{"a":"\/"}"#, #"{"a":"\"\\"}"#, "{\"a\":[1, 2]}",
            "{\"a\":\"\\t\"}", #"{"a":"\u001f"}"#, #"{"a b":1,"c":" "}"#,
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let object = try JSONParser.parseObject(bytes, what: "t", code: .malformed)
            // Compact means the serialization is the text itself (a text with escapes may be
            // its own serialization too, and is then serialized anyway).
            let compact = bytes.withUnsafeBytes(JSONValue.isCompactSerialization)
            #expect(try JSONParser.parseDocument(bytes).isCompact == compact, "\(text)")
            if compact { #expect(object.serialized == text, "\(text)") }
            #expect(compact == (!text.contains("\\") && object.serialized == text), "\(text)")
            var out = ByteWriter()
            out.append(0x2A)
            object.serialize(to: &out, parsedFrom: bytes)
            #expect(out.bytes == [0x2A] + Array(object.serialized.utf8), "\(text)")
            var string = ByteWriter()
            JSONValue.serialize(string: text, to: &string)
            #expect(string.bytes == JSONValue.string(text).serializedBytes)
        }
    }

    @Test("small JSON objects built from pairs keep the first position and the last value of a repeated name")
    func smallObjectPairs() {
        let pairs: [(String, JSONValue)] = [("a", .number(JSONNumber(1))), ("b", .null), ("a", .bool(true)), ("K", .null), ("\u{212A}", .null)]
        let object = JSONObject(pairs)
        #expect(object.names == ["a", "b", "K", "\u{212A}"])
        #expect(object["a"] == .bool(true))
        let many = (0..<40).map { ("n\($0 % 20)", JSONValue.number(JSONNumber($0))) }
        let large = JSONObject(many)
        #expect(large.count == 20)
        #expect(large["n3"] == .number(JSONNumber(23)))
        #expect(large.names.first == "n0")
    }

    @Test("integer NumericDates are read from the number's bytes as before")
    func integerText() throws {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("-0", 0), ("1800000000", 1_800_000_000), ("-12", -12), ("9223372036854775807", .max),
            ("-9223372036854775808", .min), ("9223372036854775808", nil), ("1.5", nil), ("1e3", nil),
        ]
        for (text, expected) in cases {
            let value = try JSONParser.parse(text)
            #expect(value.numberValue?.int64Value == expected, "\(text)")
        }
    }
}
