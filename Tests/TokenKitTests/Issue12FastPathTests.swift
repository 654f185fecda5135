import Foundation
import Testing
@testable import TokenKit

/// The hand-written fast paths of batch verification give exactly what the general code gives.
@Suite("Issue 12 fast paths")
struct Issue12FastPathTests {
    @Test("segments are counted by their dots wherever the dots are")
    func segmentCounts() {
        for count in 1...8 {
            for width in [0, 1, 7, 40] {
                let text = Array(repeating: String(repeating: "A", count: width), count: count).joined(separator: ".")
                if text.isEmpty { continue }  // "empty token", not a count
                let reason: String
                do {
                    _ = try CompactToken(text)
                    reason = "parsed"
                } catch let error as TokenError {
                    reason = error.reason
                } catch {
                    reason = "\(error)"
                }
                switch count {
                case 3: #expect(!reason.contains("segments;"), "\(text): \(reason)")
                case 5: #expect(reason.contains("5 segments: a JWE"), "\(text): \(reason)")
                case 6...: #expect(reason.contains("more than 5 segments"), "\(text): \(reason)")
                default: #expect(reason.contains(count == 1 ? "has 1 segment;" : "has \(count) segments;"), "\(text): \(reason)")
                }
            }
        }
    }

    @Test("JSON strings are escaped eight bytes at a time exactly as byte by byte")
    func stringEscapingMatchesByteByByte() {
        /// The rule written plainly: `"`, `\\` and C0 controls escaped, everything else literal.
        func reference(_ string: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for byte in string.utf8 {
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0x08: out += [0x5C, 0x62]
                case 0x0C: out += [0x5C, 0x66]
                case 0..<0x20: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
                default: out.append(byte)
                }
            }
            return out + [0x22]
        }
        func escaped(_ string: String) -> [UInt8] {
            var out = ByteWriter()
            JSONValue.serialize(string: string, to: &out)
            return out.bytes
        }
        // Every ASCII byte at every place of a word and across the word boundary.
        for byte in UInt8(0)..<0x80 {
            for place in 0..<18 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 19)
                bytes[place] = byte
                let string = String(decoding: bytes, as: UTF8.self)
                #expect(escaped(string) == reference(string), "byte \(byte) at \(place)")
            }
        }
        // Random mixes of plain text, characters to escape and multi-byte characters.
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", "é", "\u{2028}", "😀", "~", "/"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let string = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(escaped(string) == reference(string), "\(Array(string.utf8))")
        }
    }

    @Test("base64url decodes whole groups and tails alike, and still names a bad character's offset")
    func base64Groups() throws {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 7) }
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(throws: TokenError.self) { try Base64URL.decode("AAAAAAA+AAAA") }
        do {
            _ = try Base64URL.decode("AAAAAAA+AAAA")
        } catch let error as TokenError {
            #expect(error.reason.contains("offset 7"), "\(error.reason)")
        }
    }

    @Test("integer NumericDates parse without a Double and keep their range")
    func integers() throws {
        #expect(JSONNumber(validatedText: "1827623463").int64Value == 1_827_623_463)
        #expect(JSONNumber(validatedText: "-0").int64Value == 0)
        #expect(JSONNumber(validatedText: "-9223372036854775808").int64Value == Int64.min)
        #expect(JSONNumber(validatedText: "9223372036854775808").int64Value == nil)
        #expect(JSONNumber(validatedText: "1e3").int64Value == nil)
        #expect(JSONNumber(validatedText: "1.5").int64Value == nil)
        #expect(JWTClaims.numericDate(of: .number(JSONNumber(validatedText: "253402300800"))) == nil)
        #expect(JWTClaims.numericDate(of: .number(JSONNumber(validatedText: "253402300799"))) == 253_402_300_799)
        #expect(JWTClaims.numericDate(of: .number(JSONNumber(validatedText: "1.9e1"))) == 19)
    }

    @Test("integers of every length, both signs and both sides of each bound read as Int64(text) reads them")
    func integersAgreeWithTheStandardLibrary() {
        var texts = ["0", "-0", "7", "-7", "1e3", "-1.5", "12a", "1-2", "--1", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999"]
        for digits in 1...20 {
            let nines = String(repeating: "9", count: digits)
            let mixed = String(String(repeating: "1234567890", count: 2).prefix(digits))
            texts += [nines, "-" + nines, mixed, "-" + mixed, "1" + String(repeating: "0", count: digits - 1)]
        }
        for text in texts {
            #expect(JSONNumber(validatedText: text).int64Value == Int64(text), "\(text)")
        }
    }

    @Test("JSON strings are escaped byte for byte as before; duplicates are found past 16 members")
    func jsonStrings() throws {
        let value = JSONValue.string("a\"b\\c\n\u{01}\u{1F}é\u{2028}")
        #expect(value.serialized == "\"a\\\"b\\\\c\\n\\u0001\\u001fé\u{2028}\"")
        let many = (0..<20).map { "\"k\($0)\":1" }.joined(separator: ",")
        #expect(throws: TokenError.self) { try JSONParser.parse("{\(many),\"k17\":2}") }
        #expect(throws: TokenError.self) { try JSONParser.parse("{\"a\":1,\"a\":2}") }
        #expect(try JSONParser.parse("{\"K\":1,\"\u{212A}\":2}").objectValue?.count == 2)
    }
}
