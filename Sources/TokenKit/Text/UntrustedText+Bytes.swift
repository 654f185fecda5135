extension UntrustedText {
    /// Whether UTF-8 text holds nothing ``escapedLines(_:)`` would escape (line breaks `\n`
    /// are kept) and no carriage return: then the text prints as it is. A byte scan that
    /// lets a renderer write a result straight into the output buffer and escape only the
    /// rare result that needs it (``needsEscape(_:)`` decides each scalar).
    ///
    /// - Parameter buffer: valid UTF-8 (from Swift strings); for other bytes the answer is `false`.
    public static func printsUnescaped(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            var index = 0
            let count = buffer.count
            while index < count {
                // Past printable ASCII, eight bytes at a time; then a line break, a control
                // character or the lead byte of a multi-byte scalar.
                index = printableRunEnd(in: buffer, from: index)
                guard index < count else { break }
                let byte = buffer[index]
                if byte < 0x80 {
                    if byte != 0x0A { return false }  // a control character (not \n) or DEL
                    index += 1
                    continue
                }
                // A multi-byte scalar: decoded, then asked of needsEscape.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
                guard length > 0, index + length <= count else { return false }
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length {
                    let next = buffer[index + offset]
                    guard next & 0xC0 == 0x80 else { return false }
                    value = value << 6 | UInt32(next & 0x3F)
                }
                guard let scalar = Unicode.Scalar(value), !needsEscape(scalar) else { return false }
                index += length
            }
            return true
        }
    }

    /// The offset of the first byte at or after `start` that is not printable ASCII (0x20
    /// to 0x7E), or `bytes.count`. Eight bytes are tested at a time, with the flags of
    /// ``JSONStringRun/nonPlainFlags(_:)``'s kind: bytes below 0x20, 0x7F, and 0x80 or more;
    /// a borrow can flag a byte above a flagged one, never below, so the lowest flag is exact.
    private static func printableRunEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let control = (word &- ones &* 0x20) & ~word
                let delete = word ^ (ones &* 0x7F)
                let deleteZero = (delete &- ones) & ~delete
                let flags = (word | control | deleteZero) & (ones &* 0x80)
                if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count, bytes[index] >= 0x20, bytes[index] < 0x7F { index += 1 }
        return index
    }
}
