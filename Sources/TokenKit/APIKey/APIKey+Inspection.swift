extension APIKey {
    /// What an API key's text says about itself, whether or not it is valid: what `decode`
    /// shows. Holds no secret part.
    public struct Inspection: Hashable, Sendable {
        /// Everything before the last `_`.
        public let prefix: String
        /// The kind told by the body's length, or `nil` for a length neither kind has.
        public let kind: Kind?
        /// Whether the checksum matches.
        public let checksumValid: Bool
        /// The secret id of a keyset-bound key.
        public let secretID: String?
        /// The key's length in bytes (its characters are ASCII).
        public let byteCount: Int
        /// The first problem found, checksum first, then prefix, then layout; `nil` for a
        /// valid key.
        public let problem: TokenError?
    }

    /// Describes a text shaped like an API key.
    ///
    /// - Parameter text: the key.
    /// - Returns: what the key says; its ``Inspection/problem`` tells whether it is valid.
    /// - Throws: ``TokenError/Code/malformed`` when the text is not shaped like an API key
    ///   (a character outside `[A-Za-z0-9_]`, no `_`, or too short to hold a checksum).
    public static func inspect(_ text: String) throws -> Inspection {
        let bytes = Array(text.utf8)
        guard looksLikeAPIKey(text), let underscore = bytes.lastIndex(of: UInt8(ascii: "_")) else {
            throw TokenError.malformed("not an API key: an API key is <prefix>_<body> made of A-Z, a-z, 0-9 and '_'")
        }
        let bodyLength = bytes.count - underscore - 1
        guard bodyLength > checksumLength else {
            throw TokenError.malformed("not an API key: the body after the last '_' has \(bodyLength) characters, too few to end in a \(checksumLength)-character checksum")
        }
        let split = bytes.count - checksumLength
        let checksumValid = Array(checksum(of: bytes[..<split]).utf8) == Array(bytes[split...])
        let prefix = String(decoding: bytes[..<underscore], as: UTF8.self)
        let kind: Kind? = switch bodyLength {
        case opaqueBodyLength: .opaque
        case boundBodyLength: .keyset
        default: nil
        }
        let secretID = kind == .keyset
            ? String(decoding: bytes[(underscore + 1)...].prefix(secretIDLength), as: UTF8.self) : nil
        var problem: TokenError?
        if !checksumValid {
            problem = TokenError(.checksumInvalid, "the API key's checksum does not match: it was mistyped or truncated")
        } else if let prefixProblem = prefixProblem(prefix) {
            problem = .malformed("the API key's prefix \(prefixProblem)")
        } else if kind == nil {
            problem = .malformed("the API key's body has \(bodyLength) characters; an opaque key has \(opaqueBodyLength), a keyset-bound key \(boundBodyLength)")
        }
        return Inspection(
            prefix: prefix, kind: kind, checksumValid: checksumValid, secretID: secretID, byteCount: bytes.count,
            problem: problem)
    }
}
