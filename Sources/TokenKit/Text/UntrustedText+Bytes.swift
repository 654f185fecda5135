extension UntrustedText {
    /// Whether UTF-8 text holds nothing ``escapedLines(_:)`` would escape (line breaks `\n`
    /// are kept) and no carriage return: then the text prints as it is. A byte scan that
    /// lets a renderer write a result straight into the output buffer and escape only the
    /// rare result that needs it (``needsEscape(_:)`` decides each scalar).
    ///
    /// - Parameter bytes: valid UTF-8 (from Swift strings); for other bytes the answer is `false`.
    public static func printsUnescaped(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer(printsUnescaped)
    }

    /// ``printsUnescaped(_:)-(ArraySlice<UInt8>)`` of bytes in memory.
    public static func printsUnescaped(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            var index = 0
            let count = buffer.count
            while index < count {
                let byte = buffer[index]
                if byte < 0x80 {
                    if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { return false }
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
}
