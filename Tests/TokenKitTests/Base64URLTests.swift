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
}
