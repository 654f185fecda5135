/// Finds the token in a line pasted from an HTTP exchange, a log or a script.
///
/// Accepted forms: a bare token; the token in single or double quotes; `Bearer <t>`,
/// `DPoP <t>` or `JWT <t>`; `Authorization: Bearer <t>` (or `DPoP`, `JWT`; any case, any
/// amount of spaces); a `Cookie:` header (the
/// first cookie whose value looks like a JWS, else the only cookie); a `Set-Cookie:`
/// header (its value, without attributes).
public enum TokenExtractor {
    /// The `Authorization` schemes that carry a JWT (RFC 6750 `Bearer`, RFC 9449 `DPoP`, and
    /// the `JWT` some servers use), lowercased.
    public static let authorizationSchemes: Set<String> = ["bearer", "dpop", "jwt"]

    /// The token in `line`, or `nil` for a blank line.
    ///
    /// The result is not validated; ``CompactToken`` does that.
    public static func token(fromLine line: String) -> String? {
        if isBareToken(line) { return line }
        var text = trimmed(Substring(line))
        if text.isEmpty { return nil }
        if let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")), let name = headerName(text[..<colon]) {
            let value = trimmed(text[text.index(after: colon)...])
            switch name {
            case "authorization", "proxy-authorization": text = value
            case "cookie": return cookieToken(value)
            case "set-cookie":
                let pair = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                return cookieValue(trimmed(pair))
            default: break
            }
        }
        if let space = text.utf8.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }),
            text.utf8.distance(from: text.startIndex, to: space) <= 6,  // "bearer", the longest scheme
            authorizationSchemes.contains(text[..<space].lowercased())
        {
            text = trimmed(text[space...])
        }
        return String(unquoted(text))
    }

    /// The common case, checked on bytes: the line is nothing but base64url and dots.
    private static func isBareToken(_ line: String) -> Bool {
        line.withUTF8Bytes(isBareToken)
    }

    /// Whether a line's bytes are nothing but base64url and dots, so that the whole line is
    /// its token (``token(fromLine:)`` returns it unchanged). Such bytes are ASCII, hence
    /// valid UTF-8: a reader of raw lines can make the token's string without validating it.
    public static func isBareToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return false }
        return bareTokenBytes.withUnsafeBufferPointer { table in
            // A table lookup a byte, OR-ed together: no branch per byte.
            var outside: UInt8 = 0
            for byte in bytes { outside |= table[Int(byte)] }
            return outside == 0
        }
    }

    /// 0 for the bytes of a bare token (base64url and dots), 1 for every other byte.
    private static let bareTokenBytes: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return 0
        default:
            return 1
        }
    }

    private static func headerName(_ text: Substring) -> String? {
        guard text.utf8.count <= 19 else { return nil }  // "proxy-authorization", the longest
        let name = text.lowercased()
        return ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(name) ? name : nil
    }

    private static func cookieToken(_ header: Substring) -> String? {
        let values = header.split(separator: ";").compactMap { cookieValue(trimmed($0)) }
        return values.first(where: looksLikeJWS) ?? (values.count == 1 ? values[0] : values.first)
    }

    private static func cookieValue(_ pair: Substring) -> String? {
        guard let equals = pair.firstIndex(of: "=") else { return nil }
        let value = unquoted(trimmed(pair[pair.index(after: equals)...]))
        return value.isEmpty ? nil : String(value)
    }

    private static func looksLikeJWS(_ value: String) -> Bool {
        value.hasPrefix("eyJ") && value.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    private static func unquoted(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        if utf8.count >= 2, let first = utf8.first, first == UInt8(ascii: "\"") || first == UInt8(ascii: "'"), utf8.last == first {
            return text.dropFirst().dropLast()
        }
        return text
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return text[start...end]
    }
}
