import Foundation
import Testing
@testable import TokenKit

@Suite("Base64URL")
struct Base64URLTests {
    @Test("round-trips every length")
    func roundTrips() throws {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
            let text = Base64URL.encode(bytes)
            #expect(text.utf8.count == Base64URL.encodedLength(ofByteCount: length))
            #expect(try Base64URL.decode(text) == bytes)
        }
    }

    @Test("matches RFC 4648 test vectors")
    func rfcVectors() {
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test("rejects non-canonical input", arguments: ["Zm8=", "Zm9v+A", "Zm9v/A", "Zm 9v", "Zm9\n", "Z", "Zh", "Zm9vYmFy="])
    func rejects(text: String) {
        #expect(throws: TokenError(.malformed, "")) { try Base64URL.decode(text) }
    }

    @Test("decodes what Foundation's base64 decoder decodes, and names a bad character at any place of a group")
    func agreesWithFoundation() throws {
        var random = SplitMix64(state: 0xB64)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Independent encoding: Foundation's, in the URL alphabet, padding dropped.
            let text = String(
                Data(bytes).base64EncodedString().map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.filter { $0 != "=" })
            #expect(try Base64URL.decode(text) == bytes)
            #expect(try Base64URL.decode(utf8: Array(text.utf8)) == bytes)
            // A character outside the alphabet at each offset (in a whole group of four or in
            // the tail) is refused and named with its offset.
            for offset in 0..<text.utf8.count {
                for bad in ["=", "+", ".", " ", "\u{80}"] {
                    var broken = Array(text.utf8)
                    broken.replaceSubrange(offset...offset, with: Array(bad.utf8))
                    do {
                        _ = try Base64URL.decode(utf8: broken)
                        Issue.record("accepted \(String(decoding: broken, as: UTF8.self))")
                    } catch let error as TokenError {
                        // One byte for one: the length stays valid and the character is named.
                        if bad.utf8.count == 1 { #expect(error.reason.hasSuffix("at offset \(offset)"), "\(error.reason)") }
                    }
                }
            }
        }
    }
}
