/// Strict base64url (RFC 4648 §5) without padding, as JWS requires (RFC 7515 §2).
///
/// Decoding rejects padding, the `+` and `/` of plain base64, whitespace, a length of
/// 1 mod 4, and non-zero trailing bits, so every byte string has exactly one accepted
/// encoding and a token cannot be altered without changing its bytes.
public enum Base64URL {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = UInt8(index) }
        return table
    }()

    /// ``decodeTable`` four times over, each value already shifted to its place in a group of
    /// four characters (position k of the group at `k * 256`, shifted by `18 - 6k`), and
    /// ``invalidInGroup`` for a character outside the alphabet: a group is four look-ups
    /// OR-ed together, with one test for all four characters.
    private static let groupTable: [UInt32] = {
        var table = [UInt32](repeating: invalidInGroup, count: 4 * 256)
        for (index, char) in alphabet.enumerated() {
            for position in 0..<4 { table[position * 256 + Int(char)] = UInt32(index) << UInt32(18 - 6 * position) }
        }
        return table
    }()

    /// A ``groupTable`` entry's mark of a character outside the alphabet: above the 24 bits
    /// of a decoded group.
    private static let invalidInGroup: UInt32 = 0xFF00_0000

    /// Encodes bytes as unpadded base64url.
    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(alphabet[Int(chunk >> 6 & 63)])
            out.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest == 1 {
            let chunk = UInt32(input[index]) << 16
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
        } else if rest == 2 {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(alphabet[Int(chunk >> 6 & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The length of the unpadded base64url encoding of `byteCount` bytes.
    public static func encodedLength(ofByteCount byteCount: Int) -> Int {
        (byteCount * 4 + 2) / 3
    }

    /// Decodes strict unpadded base64url.
    ///
    /// - Throws: ``TokenError/Code/malformed`` naming the first offending character or
    ///   the bad length or trailing bits.
    public static func decode<Text: StringProtocol>(_ text: Text) throws -> [UInt8] {
        if let decoded = try text.utf8.withContiguousStorageIfAvailable({ try decode(utf8Buffer: $0) }) {
            return decoded
        }
        return try decode(utf8: Array(text.utf8))
    }

    /// Decodes strict unpadded base64url from its UTF-8 bytes.
    ///
    /// - Throws: ``TokenError/Code/malformed``.
    public static func decode(utf8 input: [UInt8]) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { try decode(utf8Buffer: $0) }
    }

    /// Decodes strict unpadded base64url from UTF-8 bytes in place.
    ///
    /// - Throws: ``TokenError/Code/malformed``.
    static func decode(utf8Buffer input: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        // Copied into an array of its exact size: an array made from a buffer takes the
        // standard library's code specialised for bytes, while one filled in place
        // (`init(unsafeUninitializedCapacity:)`) looks its storage type up at run time, ~500
        // instructions an array (callgrind). The text may be a secret (a JWK's `k` or `d`):
        // the scratch bytes are wiped.
        try withDecoded(utf8Buffer: input, wiping: true) { Array($0) }
    }

    /// Decodes strict unpadded base64url from UTF-8 bytes into scratch space (on the stack
    /// when small) lent to `body`, wiped afterwards when `wiping` (the text is a secret).
    ///
    /// - Throws: ``TokenError/Code/malformed`` for text that is not strict base64url; what
    ///   `body` throws.
    @inline(__always)  // and `body` with it
    static func withDecoded<Result>(
        utf8Buffer input: UnsafeBufferPointer<UInt8>, wiping: Bool, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: decodingRoom(input.count)) { scratch in
            defer { if wiping { SecretBytes.wipe(UnsafeMutableRawBufferPointer(scratch)) } }
            let written = try decode(input, into: scratch)
            return try body(UnsafeBufferPointer(rebasing: scratch[..<written]))
        }
    }

    /// The room, in bytes, that ``decodedIfStrict(_:into:)`` needs for `count` characters.
    static func decodingRoom(_ count: Int) -> Int { count * 3 / 4 + 2 }

    /// Decodes strict unpadded base64url from UTF-8 bytes into `out`, which has
    /// ``decodingRoom(_:)`` bytes for them: the decoded bytes, or `nil` when the text is not
    /// strict base64url (``decode(_:)`` names the problem).
    static func decodedIfStrict(
        _ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>
    ) -> UnsafeBufferPointer<UInt8>? {
        guard let written = try? decode(input, into: out) else { return nil }
        return UnsafeBufferPointer(rebasing: out[..<written])
    }

    /// Decodes `input` into `out`, returning the count. `out` has room for two bytes more
    /// than the decoded bytes (``decodingRoom(_:)``): eight characters are written as one
    /// eight-byte store of their six bytes.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        precondition(out.count >= decodingRoom(input.count))
        if input.count % 4 == 1 {
            throw TokenError.malformed("base64url text has an impossible length (\(input.count) characters)")
        }
        var written = 0
        // Whole groups of four characters first, two at a time; a group with an invalid
        // character falls through to the character-by-character loop below, which names it.
        var start = 0
        groupTable.withUnsafeBufferPointer { groups in
            let base = UnsafeMutableRawPointer(out.baseAddress!)
            while start + 8 <= input.count {
                let first =
                    groups[Int(input[start])] | groups[256 + Int(input[start + 1])]
                    | groups[512 + Int(input[start + 2])] | groups[768 + Int(input[start + 3])]
                let second =
                    groups[Int(input[start + 4])] | groups[256 + Int(input[start + 5])]
                    | groups[512 + Int(input[start + 6])] | groups[768 + Int(input[start + 7])]
                if (first | second) & invalidInGroup != 0 { break }
                // Six bytes, most significant first, then two that the next store overwrites.
                let bytes = UInt64(first) << 40 | UInt64(second) << 16
                base.storeBytes(of: bytes.bigEndian, toByteOffset: written, as: UInt64.self)
                written += 6
                start += 8
            }
            while start + 4 <= input.count {
                let chunk =
                    groups[Int(input[start])] | groups[256 + Int(input[start + 1])]
                    | groups[512 + Int(input[start + 2])] | groups[768 + Int(input[start + 3])]
                if chunk & invalidInGroup != 0 { break }
                out[written] = UInt8(truncatingIfNeeded: chunk >> 16)
                out[written + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                out[written + 2] = UInt8(truncatingIfNeeded: chunk)
                written += 3
                start += 4
            }
        }
        if start == input.count { return written }
        let table = decodeTable
        var accumulator: UInt32 = 0
        var bits = 0
        for offset in start..<input.count {
            let char = input[offset]
            let value = table[Int(char)]
            if value == 0xFF {
                throw TokenError.malformed(
                    "invalid base64url character \(describe(char)) at offset \(offset)")
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        if accumulator != 0 {
            throw TokenError.malformed("base64url text has non-zero trailing bits (not canonical)")
        }
        return written
    }

    private static func describe(_ char: UInt8) -> String {
        switch char {
        case UInt8(ascii: "="): return "'=' (padding is not allowed)"
        case UInt8(ascii: "+"), UInt8(ascii: "/"): return "'\(Character(Unicode.Scalar(char)))' (plain base64, not base64url)"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(char)))'"
        default: return "0x" + String(char, radix: 16, uppercase: true)
        }
    }
}
