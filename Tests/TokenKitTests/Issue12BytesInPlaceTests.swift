import Foundation
import Testing

@testable import TokenKit

/// Issue 12, twelfth pass: checks that read a string's bytes in place instead of its
/// characters, and fixed-width fields written in place, agree with what they replace.
@Suite("issue 12: byte-level checks agree with the character-level ones")
struct Issue12BytesInPlaceTests {
    /// A random string made of `pieces`.
    static func generated(_ pieces: [String], upTo count: Int, using generator: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...count, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    @Test("free text: as hasPrefix(\"eyJ\") and a look at every byte decide it, combining marks after eyJ included")
    func freeText() {
        func reference(_ text: String) -> Bool {
            if text.hasPrefix("eyJ") { return false }
            return text.utf8.contains { byte in
                !(LineScanner.isTokenByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
                    || byte == UInt8(ascii: "="))
            }
        }
        for text in ["eyJ", "eyJ\u{301}abc", "eyJé", "eyJ abc", "ey", "", " eyJ", "eyJ\u{200D}x", "eyJ\r\n"] {
            #expect(TokenExtractor.looksLikeFreeText(text) == reference(text), "\(Array(text.utf8))")
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["eyJ", "e", "y", "J", "\u{301}", "é", " ", "abc", ".", "+", "/", "=", "\r\n", "€", "\u{0}", "-_"]
        for _ in 0..<5_000 {
            let text = Self.generated(pieces, upTo: 6, using: &generator)
            #expect(TokenExtractor.looksLikeFreeText(text) == reference(text), "\(Array(text.utf8))")
        }
    }

    @Test("an integer NumericDate: no fraction and no exponent, read from the number's bytes")
    func integerNumbers() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["0", "1", "9", "-", ".", "e", "E", "+"]
        var checked = 0
        for _ in 0..<4_000 {
            let text = Self.generated(pieces, upTo: 8, using: &generator)
            // Only what the parser takes is a JSONNumber.
            guard case .number(let number)? = try? JSONParser.parse(Array(text.utf8)) else { continue }
            let reference = !text.contains(".") && !text.contains("e") && !text.contains("E")
            #expect(number.isInteger == reference, "\(text)")
            checked += 1
        }
        #expect(checked > 100)
    }

    /// From 1600 on: Foundation's calendar is Julian before October 1582, RFC 3339's is the
    /// proleptic Gregorian one (the fixed cases of Issue12TimeBytesTests cover years 1 to 5).
    @Test("RFC 3339 as Foundation's ISO 8601 formatter writes it, over random instants of years 1600 to 9999")
    func rfc3339AgainstFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        let year1600: Int64 = -11_676_096_000
        for _ in 0..<3_000 {
            let seconds = Bool.random(using: &generator)
                ? Int64.random(in: year1600...Instant.maxSeconds, using: &generator)
                : Int64.random(in: 1_700_000_000...1_900_000_000, using: &generator)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            var out = ByteWriter()
            Instant.appendRFC3339(seconds, to: &out)
            #expect(out.string == expected, "\(seconds)")
        }
    }

    @Test("durations: the largest unit and the next, as interpolated strings wrote them, over random lengths")
    func durations() {
        func reference(_ seconds: Int64) -> String {
            let rest = seconds.magnitude
            let units: [(String, UInt64)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
            guard let first = units.firstIndex(where: { rest >= $0.1 }) else { return "0s" }
            var text = "\(rest / units[first].1)\(units[first].0)"
            if first + 1 < units.count {
                let next = rest % units[first].1 / units[first + 1].1
                if next > 0 { text += "\(next)\(units[first + 1].0)" }
            }
            return text
        }
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, -1, 59, 60, 61, 3_599, 3_600, 86_399, 86_400, 604_799, 604_800, .max, .min]
        for _ in 0..<3_000 {
            values.append(Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator) >> Int64.random(in: 0...30, using: &generator))
        }
        for seconds in values {
            #expect(TokenDuration.format(seconds) == reference(seconds), "\(seconds)")
        }
    }

    @Test("a field written in place lands after what is there, the writer growing for it")
    func fieldInPlace() {
        var out = ByteWriter(capacity: 16)
        out.append(contentsOf: "0123456789abcde")
        out.append(count: 5) { field in
            for index in field.indices { field[index] = UInt8(ascii: "v") + UInt8(index) }
        }
        out.append(count: 0) { _ in }
        #expect(out.string == "0123456789abcdevwxyz")
        #expect(out.count == 20)
    }
}
