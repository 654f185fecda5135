import Testing
@testable import TokenKit

/// `JSONDigitRun`, which the parser and the claims scanner use to skip a number's digits,
/// and the eight-digit reading of `JSONNumber.int64Value`, against the definitions written
/// out digit by digit.
@Suite("JSONDigitRun")
struct JSONDigitRunTests {
    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func expectedEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }

    private func end(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { JSONDigitRun.end(in: $0, from: start) }
    }

    @Test("every byte value, at every place of an eight-byte step and of the tail, ends a run exactly when it should")
    func everyByteEverywhere() {
        for value in 0...255 {
            for place in 0..<19 {
                var bytes = [UInt8](repeating: UInt8(ascii: "7"), count: 19)
                bytes[place] = UInt8(value)
                for start in [0, 1, 7, 8, 11] where start <= place {
                    #expect(end(bytes, from: start) == expectedEnd(bytes, from: start), "byte \(value) at \(place), from \(start)")
                }
            }
        }
    }

    @Test("random words: the lowest flag is the first byte that is not a digit")
    func randomWords() {
        var random = SplitMix64(state: 12)
        // Bytes near the digits' bounds, where a carry or borrow could mislead.
        let near: [UInt8] = [0x00, 0x2F, 0x30, 0x39, 0x3A, 0x46, 0x7F, 0x80, 0xB9, 0xBA, 0xC6, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ -> UInt8 in
                switch random.next() % 3 {
                case 0: return UInt8(ascii: "0") + UInt8(random.next() % 10)
                case 1: return near[Int(random.next() % UInt64(near.count))]
                default: return UInt8(truncatingIfNeeded: random.next())
                }
            }
            let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let flags = JSONDigitRun.nonDigitFlags(word)
            let first = bytes.firstIndex { !isDigit($0) }
            #expect((flags == 0) == (first == nil), "\(bytes)")
            if let first { #expect(flags.trailingZeroBitCount / 8 == first, "\(bytes)") }
        }
    }

    @Test("eight digits read at once are their decimal value")
    func eightDigitValues() {
        var random = SplitMix64(state: 8)
        let fixed: [UInt64] = [0, 1, 9, 10, 99_999_999, 10_000_000, 12_345_678, 90_000_009]
        for value in fixed + (0..<5_000).map({ _ in random.next() % 100_000_000 }) {
            let text = Array(String(value).utf8)
            let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 8 - text.count) + text
            let word = padded.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            #expect(JSONDigitRun.eightDigitValue(word) == value)
        }
    }

    @Test("int64Value agrees with Int64(String) for integers of 1 to 19 digits, and refuses other numbers")
    func int64Values() {
        var random = SplitMix64(state: 64)
        for _ in 0..<10_000 {
            let digits = Int(random.next() % 19) + 1
            var text = String(random.next() % 9 + 1)
            for _ in 1..<digits { text += String(random.next() % 10) }
            if random.next() % 3 == 0 { text = "-" + text }
            let value = Array(text.utf8).withUnsafeBufferPointer(JSONNumber.int64Value)
            #expect(value == Int64(text), "\(text)")
        }
        for text in ["12345678.5", "1234567e10", "123456789.0", "-12345678.25", "1.5", "12345678901234567e1", "9223372036854775808"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer(JSONNumber.int64Value) == nil, "\(text)")
        }
    }
}
