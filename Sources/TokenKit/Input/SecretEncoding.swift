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

    /// Decodes secret text into key bytes.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` (never echoing the secret).
    public func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        if self == .raw { return bytes }
        let text = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
        switch self {
        case .raw: return bytes
        case .base64url:
            guard let decoded = try? Base64URL.decode(text) else {
                throw TokenError.invalidValue("the secret is not valid base64url")
            }
            return decoded
        case .base64:
            guard let decoded = try? Base64URL.decodeStandard(utf8: Array(text.utf8)) else {
                throw TokenError.invalidValue("the secret is not valid base64")
            }
            return decoded
        case .hex:
            let digits = Array(text.utf8)
            guard digits.count % 2 == 0 else { throw TokenError.invalidValue("the secret is not valid hex (odd length)") }
            var out: [UInt8] = []
            out.reserveCapacity(digits.count / 2)
            for index in stride(from: 0, to: digits.count, by: 2) {
                guard let high = HexDigit.value(digits[index]), let low = HexDigit.value(digits[index + 1]) else {
                    throw TokenError.invalidValue("the secret is not valid hex")
                }
                out.append(high << 4 | low)
            }
            return out
        }
    }
}

extension String {
    /// The text without the ASCII spaces, tabs, CRs and LFs at either end.
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
