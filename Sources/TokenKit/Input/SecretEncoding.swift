/// How the bytes of an HMAC secret are written in a file or variable (`--secret-encoding`).
public enum SecretEncoding: String, Sendable, CaseIterable {
    /// The exact bytes, newline included (the default: a secret is never silently trimmed).
    case raw
    /// Standard base64 (RFC 4648 §4), padding optional; surrounding whitespace ignored.
    case base64
    /// base64url (RFC 4648 §5) without padding; surrounding whitespace ignored.
    case base64url
    /// Hexadecimal, either case; surrounding whitespace ignored.
    case hex

    /// Decodes secret text into key bytes (internal: the public way is
    /// ``Key/init(hmacSecretText:encoding:)``, which wipes the result).
    ///
    /// The result is a new array for the caller to wipe (for ``raw``, the same bytes). Every
    /// intermediate this decoding makes (the trimmed text, the translated base64 digits, a
    /// partly decoded hex buffer) is wiped before it returns or throws; `bytes` is not.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` (never echoing the secret).
    func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        if self == .raw { return bytes }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let start = bytes.firstIndex(where: { !isSpace($0) }) ?? bytes.count
        let end = (bytes.lastIndex(where: { !isSpace($0) }) ?? -1) + 1
        var text = start < end ? bytes.withUnsafeBytes { Array($0[start..<end]) } : []
        defer { SecretBytes.wipe(&text) }
        switch self {
        case .raw: return bytes
        case .base64url:
            guard let decoded = try? Base64URL.decode(utf8: text) else {
                throw TokenError.invalidValue("the secret is not valid base64url")
            }
            return decoded
        case .base64:
            guard let decoded = try? Base64URL.decodeStandard(utf8: text) else {
                throw TokenError.invalidValue("the secret is not valid base64")
            }
            return decoded
        case .hex:
            guard text.count % 2 == 0 else { throw TokenError.invalidValue("the secret is not valid hex (odd length)") }
            var out: [UInt8] = []
            out.reserveCapacity(text.count / 2)  // no growth, so no unwiped reallocation
            for index in stride(from: 0, to: text.count, by: 2) {
                guard let high = HexDigit.value(text[index]), let low = HexDigit.value(text[index + 1]) else {
                    SecretBytes.wipe(&out)
                    throw TokenError.invalidValue("the secret is not valid hex")
                }
                out.append(high << 4 | low)
            }
            return out
        }
    }
}
