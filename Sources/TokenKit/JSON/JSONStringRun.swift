/// Runs of plain characters inside JSON strings: printable ASCII (0x20...0x7F) other than `"`
/// and `\`. Such bytes stand for themselves in JSON text, so the parser, the claims scanner
/// and the serializer skip them without looking further; only the byte that ends a run (a
/// quote, a backslash, a control character, or the lead byte of a multi-byte UTF-8 sequence)
/// needs their own rules.
enum JSONStringRun {
    /// The offset of the first byte at or after `start` that is not plain, or `bytes.count`
    /// when every byte from `start` on is. Eight bytes are tested at a time, the last few
    /// one by one.
    @inline(__always)
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let flags = nonPlainFlags(word)
                if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count, isPlain(bytes[index]) { index += 1 }
        return index
    }

    /// Whether `byte` is plain (see ``JSONStringRun``).
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// The top bit of each byte of `word` (in memory order: byte i at bits 8i...8i+7) set
    /// when that byte may not be plain, tested on all eight at once: `(x - 0x01…) & ~x & 0x80…`
    /// flags the bytes of `x` that are zero (and with 0x20… in place of 0x01…, those below
    /// 0x20), and a byte of 0x80 or more has its top bit set. A borrow can flag a byte above a
    /// flagged one, never below it: the lowest flag is exact, and there is one exactly when
    /// some byte is not plain.
    static func nonPlainFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return (word | control | quoteZero | backslashZero) & highBits
    }
}
