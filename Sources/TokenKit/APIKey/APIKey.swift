/// An API key: `<prefix>_<body>`, written only with `[A-Za-z0-9_]` so that one double-click
/// selects it and secret scanners can match it.
///
/// The format, exactly:
/// - **prefix**: lowercase letters and digits, optionally in `_`-joined parts (`acme`,
///   `acme_live`), at most 32 characters (``validatePrefix(_:)``). The body has no `_`, so
///   the prefix is everything before the last `_`.
/// - **body**: base62 (alphabet `0-9A-Za-z`, ``Base62``), ending in a 6-character
///   **checksum**: the CRC-32 (IEEE 802.3, as zlib computes it) of the UTF-8 bytes of
///   everything before it (prefix and `_` included), in base62, most significant digit
///   first, left-padded with `0`.
/// - An **opaque** key's body is 38 characters: 32 random base62 characters (about 190 bits
///   from OpenSSL's `RAND_bytes`), then the checksum. A service stores only its SHA-256.
/// - A **keyset-bound** key's body is 58 characters: the 8-character base62 id of an HMAC
///   secret, 22 random base62 characters (about 131 bits), 22 characters of MAC, then the
///   checksum. The MAC is the first 16 bytes (128 bits) of HMAC-SHA256, under the secret,
///   of the UTF-8 bytes of `<prefix>_<secret id><random>` (everything before the MAC),
///   written as a big-endian number in 22 base62 digits. A service holding the secret
///   checks the key with no lookup.
///
/// The kind is told by the body's length. An `APIKey` value has a valid checksum, prefix and
/// layout; ``inspect(_:)`` describes a key that may not.
public struct APIKey: Hashable, Sendable, CustomStringConvertible {
    /// The two kinds of key.
    public enum Kind: String, Hashable, Sendable {
        /// Random bytes only: checked against a list of the SHA-256 of issued keys.
        case opaque
        /// Carries a secret id and an HMAC under that secret: checked with the keyset.
        case keyset
    }

    /// The whole key, as a service receives it. It is a secret: never log it.
    public let text: String
    /// The prefix, without the `_` that ends it.
    public let prefix: String
    /// Opaque or keyset-bound.
    public let kind: Kind
    /// The id of the HMAC secret of a keyset-bound key; `nil` for an opaque key.
    public let secretID: String?

    /// The prefix `sign --api-key` uses when none is given.
    public static let defaultPrefix = "tk"
    /// The longest prefix allowed.
    public static let maxPrefixLength = 32
    /// The checksum's length in characters.
    public static let checksumLength = 6
    /// The random part of an opaque key, in base62 characters.
    public static let opaqueRandomLength = 32
    /// A secret id, in base62 characters.
    public static let secretIDLength = 8
    /// The random part of a keyset-bound key, in base62 characters.
    public static let boundRandomLength = 22
    /// The MAC of a keyset-bound key, in base62 characters.
    public static let macLength = 22
    /// The MAC's length in bytes before base62 encoding: HMAC-SHA256 truncated to 128 bits.
    public static let macByteCount = 16

    /// The body length of an opaque key (random part and checksum).
    public static let opaqueBodyLength = opaqueRandomLength + checksumLength
    /// The body length of a keyset-bound key (secret id, random part, MAC and checksum).
    public static let boundBodyLength = secretIDLength + boundRandomLength + macLength + checksumLength

    /// Describes the key without its secret part.
    public var description: String { "\(kind) API key \(prefix)_…" }

    /// Parses a key and checks its checksum, prefix and layout, in that order.
    ///
    /// - Parameter text: the key, exactly (no spaces around it).
    /// - Throws: ``TokenError/Code/malformed`` when it is not shaped like an API key, has a
    ///   bad prefix or an unknown body length; ``TokenError/Code/checksumInvalid`` when the
    ///   checksum does not match (a typo or a truncated key).
    public init(_ text: String) throws {
        let inspection = try APIKey.inspect(text)
        if let problem = inspection.problem { throw problem }
        self.init(text: text, prefix: inspection.prefix, kind: inspection.kind!, secretID: inspection.secretID)
    }

    init(text: String, prefix: String, kind: Kind, secretID: String?) {
        self.text = text
        self.prefix = prefix
        self.kind = kind
        self.secretID = secretID
    }

    /// The lowercase hex SHA-256 of the key's UTF-8 bytes: what a service stores.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public func sha256Hex() throws -> String {
        try APIKey.sha256Hex(of: text)
    }

    /// The lowercase hex SHA-256 of a text's UTF-8 bytes.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public static func sha256Hex(of text: String) throws -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        let digest = try Digest.sha256(Array(text.utf8))
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 6-character base62 CRC-32 checksum of `bytes` (everything before the checksum).
    public static func checksum<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Base62.encode(CRC32.checksum(bytes), width: checksumLength)
    }

    /// Checks a prefix: lowercase letters and digits, optionally in `_`-joined parts, 1 to
    /// 32 characters.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` saying what is allowed.
    public static func validatePrefix(_ prefix: String) throws {
        if let problem = prefixProblem(prefix) {
            throw TokenError.invalidValue("API key prefix '\(prefix)' \(problem): use 1 to \(maxPrefixLength) lowercase letters and digits, optionally in parts joined by '_' (acme, acme_live)")
        }
    }

    /// What is wrong with a prefix, or `nil` when it is allowed.
    static func prefixProblem(_ prefix: String) -> String? {
        let bytes = Array(prefix.utf8)
        if bytes.isEmpty { return "is empty" }
        if bytes.count > maxPrefixLength { return "is longer than \(maxPrefixLength) characters" }
        var previousWasUnderscore = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasUnderscore = false
            case UInt8(ascii: "_"):
                if previousWasUnderscore { return "has an empty part" }
                previousWasUnderscore = true
            default:
                return "has a character other than a-z, 0-9 and '_'"
            }
        }
        return previousWasUnderscore ? "has an empty part" : nil
    }

    /// Whether `text` has an API key's shape rather than a JWT's: only `[A-Za-z0-9_]`, with
    /// at least one `_` (a compact JWS always has two dots). Commands use it to decide how
    /// to treat an input; ``init(_:)`` then checks the key.
    public static func looksLikeAPIKey(_ text: String) -> Bool {
        // On the contiguous bytes (no copy for a native string): every batch line comes here,
        // and nearly every one is a JWT, which a dot (found by memchr, ByteSearch) rules out first.
        return text.withUTF8Bytes { bytes in
            if bytes.isEmpty || ByteSearch.find(UInt8(ascii: "."), in: bytes, 0..<bytes.count) != nil { return false }
            var underscore = false
            for byte in bytes {
                if byte == UInt8(ascii: "_") {
                    underscore = true
                } else if Base62.value(of: byte) == nil {
                    return false
                }
            }
            return underscore
        }
    }
}
