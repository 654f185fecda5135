/// Runs of ASCII digits in JSON numbers. The parser and the claims scanner skip a number's
/// digits with ``end(in:from:)``, eight bytes at a time: a JWT's times are ten digits.
enum JSONDigitRun {
    /// The offset of the first byte at or after `start` that is not an ASCII digit, or
    /// `bytes.count` when every byte from `start` on is one.
    @inline(__always)
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let flags = nonDigitFlags(word)
                if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }

    /// The value of eight ASCII digits read as one little-endian word (the first digit, the
    /// most significant, in the low byte); `word` must hold digits only (``nonDigitFlags(_:)``
    /// of it is zero). Pairs of digits are combined, then pairs of pairs, with a few
    /// multiplications in place of eight.
    static func eightDigitValue(_ word: UInt64) -> UInt64 {
        let digits = word &- 0x3030_3030_3030_3030
        // Each 16-bit lane's low byte: ten times its first digit plus its second.
        let pairs = digits &* 10 &+ digits >> 8
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let firstPairs = (pairs & mask) &* (100 + 1_000_000 << 32)
        let secondPairs = (pairs >> 16 & mask) &* (1 + 10_000 << 32)
        return (firstPairs &+ secondPairs) >> 32
    }

    /// Whether `byte` is an ASCII digit.
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The top bit of each byte of `word` (in memory order: byte i at bits 8i...8i+7) set
    /// when that byte may not be a digit, tested on all eight at once: a byte of 0x80 or more
    /// has its top bit set; adding 0x46 sets it in a byte of 0x3A (past `9`) or more; and
    /// `(x - 0x30…) & ~x` sets it in a byte below 0x30 (`0`). A carry or a borrow can flag a
    /// byte above a flagged one, never below it: the lowest flag is exact, and there is one
    /// exactly when some byte is not a digit (as in ``JSONStringRun/nonPlainFlags(_:)``).
    static func nonDigitFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let aboveNine = word &+ ones &* 0x46
        let belowZero = (word &- ones &* 0x30) & ~word
        return (word | aboveNine | belowZero) & highBits
    }
}
