extension Base64URL {
    /// Decodes standard base64 (RFC 4648 §4: `+` and `/`, optional `=` padding), skipping
    /// line breaks as MIME-wrapped text has them. The one reading of standard base64, shared by
    /// `--secret-encoding base64` and base64 bodies of HAR files.
    ///
    /// - Throws: ``TokenError/Code/malformed`` for a base64url character (`-`, `_`) or any
    ///   other byte outside the alphabet.
    public static func decodeStandard(utf8 input: [UInt8]) throws -> [UInt8] {
        var translated: [UInt8] = []
        translated.reserveCapacity(input.count)
        defer { SecretBytes.wipe(&translated) }  // a copy of the text, perhaps a secret's (--secret-encoding base64)
        for byte in input {
            switch byte {
            case UInt8(ascii: "+"): translated.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): translated.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="), 0x0A, 0x0D: continue
            case UInt8(ascii: "-"), UInt8(ascii: "_"):
                throw TokenError.malformed("'\(Character(Unicode.Scalar(byte)))' is base64url, not standard base64")
            default: translated.append(byte)
            }
        }
        return try decode(utf8: translated)
    }
}
