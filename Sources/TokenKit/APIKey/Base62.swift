/// Base62 with the alphabet `0-9A-Za-z`, in that order (digit values 0 to 61), as API keys
/// use it: numbers are written most significant digit first, left-padded with `0` to a
/// fixed width.
public enum Base62 {
    /// The 62 digits in value order: `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// The value of one digit, or `nil` for a byte outside the alphabet.
    public static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return digit - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return digit - UInt8(ascii: "a") + 36
        default: return nil
        }
    }

    /// Whether every byte of `text` is a base62 digit (an empty text is).
    public static func isBase62<Bytes: Sequence>(_ text: Bytes) -> Bool where Bytes.Element == UInt8 {
        text.allSatisfy { value(of: $0) != nil }
    }

    /// `value` in `width` digits, most significant first, left-padded with `0`.
    ///
    /// - Precondition: `value` fits in `width` digits (`62^width > value`); a CRC-32 needs 6.
    public static func encode(_ value: UInt32, width: Int) -> String {
        var digits = [UInt8](repeating: alphabet[0], count: width)
        var rest = value
        var index = width
        while rest > 0, index > 0 {
            index -= 1
            digits[index] = alphabet[Int(rest % 62)]
            rest /= 62
        }
        precondition(rest == 0, "value does not fit in \(width) base62 digits")
        return String(decoding: digits, as: UTF8.self)
    }

    /// The big-endian unsigned integer `bytes` in `width` digits, most significant first,
    /// left-padded with `0`.
    ///
    /// - Precondition: the number fits in `width` digits (16 bytes need 22).
    public static func encode(bytes: [UInt8], width: Int) -> String {
        var number = bytes
        var digits = [UInt8](repeating: alphabet[0], count: width)
        var index = width
        while number.contains(where: { $0 != 0 }) {
            precondition(index > 0, "number does not fit in \(width) base62 digits")
            // Long division of the big-endian number by 62.
            var remainder = 0
            for position in number.indices {
                let current = remainder << 8 | Int(number[position])
                number[position] = UInt8(current / 62)
                remainder = current % 62
            }
            index -= 1
            digits[index] = alphabet[remainder]
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
