import Testing
@testable import TokenKit

@Suite("Secret encodings")
struct SecretEncodingTests {
    @Test("decodes each encoding")
    func decodes() throws {
        let bytes: [UInt8] = [0xFB, 0xFF, 0x00, 0x41]
        #expect(try SecretEncoding.raw.decode([0x61, 0x0A]) == [0x61, 0x0A])
        #expect(try SecretEncoding.hex.decode(Array("fbff0041\n".utf8)) == bytes)
        #expect(try SecretEncoding.hex.decode(Array("FBFF0041".utf8)) == bytes)
        #expect(try SecretEncoding.base64.decode(Array("+/8AQQ==\n".utf8)) == bytes)
        #expect(try SecretEncoding.base64url.decode(Array("-_8AQQ".utf8)) == bytes)
    }

    @Test("rejects bad text", arguments: [
        (SecretEncoding.hex, "abc"), (.hex, "zz"), (.base64, "-_8AQQ"), (.base64url, "+/8AQQ"), (.base64url, "a"),
    ])
    func rejects(encoding: SecretEncoding, text: String) {
        #expect(throws: TokenError(.invalidValue, "")) { try encoding.decode(Array(text.utf8)) }
    }
}
