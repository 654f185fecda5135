/// A JWS signature algorithm (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864).
///
/// The wire names appear only here. `none` is deliberately not an algorithm: it can be
/// neither produced nor accepted, so `Algorithm(rawValue: "none")` is `nil`.
public struct Algorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The family of primitives an algorithm belongs to; a key type allows exactly one family
    /// (two for RSA).
    public enum Family: Sendable, Hashable {
        case hmac, rsaPKCS1, rsaPSS, ecdsa, eddsa
    }

    /// The algorithms, numbered: an algorithm is compared and hashed by its number, not by its
    /// name (a verifier looks the token's algorithm up in its allowed set for every token).
    private enum Backing: UInt8, CaseIterable {
        case hs256, hs384, hs512, rs256, rs384, rs512, ps256, ps384, ps512, es256, es384, es512, es256k
        case edDSA, ed25519, ed448

        /// The wire name: the one place each is written.
        var literal: StaticString {
            switch self {
            case .hs256: "HS256"
            case .hs384: "HS384"
            case .hs512: "HS512"
            case .rs256: "RS256"
            case .rs384: "RS384"
            case .rs512: "RS512"
            case .ps256: "PS256"
            case .ps384: "PS384"
            case .ps512: "PS512"
            case .es256: "ES256"
            case .es384: "ES384"
            case .es512: "ES512"
            case .es256k: "ES256K"
            case .edDSA: "EdDSA"
            case .ed25519: "Ed25519"
            case .ed448: "Ed448"
            }
        }

        /// The wire name as a String.
        var name: String { literal.description }
    }

    private let backing: Backing

    private init(_ backing: Backing) { self.backing = backing }

    /// Every backing case, built once (`allCases` builds a new array on every use).
    private static let backings = Backing.allCases

    /// The algorithm named exactly `rawValue` (case-sensitive, as RFC 7515 requires), or
    /// `nil` for `none` and unknown names.
    public init?(rawValue: String) {
        // Byte-exact: String's == would take "ES256\u{212A}" (KELVIN SIGN) for ES256K.
        let found = rawValue.withUTF8Bytes { bytes in
            Self.backings.first { backing in backing.literal.withUTF8Buffer { sameBytes($0, bytes) } }
        }
        guard let backing = found else { return nil }
        self.backing = backing
    }

    /// The `alg` header value.
    public var rawValue: String { backing.name }

    public static func == (left: Algorithm, right: Algorithm) -> Bool { left.backing == right.backing }

    public func hash(into hasher: inout Hasher) { hasher.combine(backing) }
    public var description: String { rawValue }

    /// Appends the `alg` header value as a JSON string (`"HS256"`; no name needs an escape),
    /// from its literal: a verdict line writes it for every token, and serializing the name
    /// as a String costs ten times as much.
    public func appendJSONString(to out: inout ByteWriter) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: backing.literal)
        out.append(UInt8(ascii: "\""))
    }

    public static let hs256 = Algorithm(.hs256)
    public static let hs384 = Algorithm(.hs384)
    public static let hs512 = Algorithm(.hs512)
    public static let rs256 = Algorithm(.rs256)
    public static let rs384 = Algorithm(.rs384)
    public static let rs512 = Algorithm(.rs512)
    public static let ps256 = Algorithm(.ps256)
    public static let ps384 = Algorithm(.ps384)
    public static let ps512 = Algorithm(.ps512)
    public static let es256 = Algorithm(.es256)
    public static let es384 = Algorithm(.es384)
    public static let es512 = Algorithm(.es512)
    /// ECDSA over secp256k1 with SHA-256 (RFC 8812).
    public static let es256k = Algorithm(.es256k)
    /// EdDSA with the curve taken from the key (RFC 8037), Ed25519 or Ed448.
    public static let edDSA = Algorithm(.edDSA)
    /// EdDSA over Ed25519, fully specified (RFC 9864). Accepted on verify; `sign` writes `EdDSA`.
    public static let ed25519 = Algorithm(.ed25519)
    /// EdDSA over Ed448, fully specified (RFC 9864). Accepted on verify; `sign` writes `EdDSA`.
    public static let ed448 = Algorithm(.ed448)

    /// Every algorithm, in documentation order.
    public static let all: [Algorithm] = Backing.allCases.map(Algorithm.init)

    /// The family of primitives this algorithm uses.
    public var family: Family {
        switch backing {
        case .hs256, .hs384, .hs512: return .hmac
        case .rs256, .rs384, .rs512: return .rsaPKCS1
        case .ps256, .ps384, .ps512: return .rsaPSS
        case .es256, .es384, .es512, .es256k: return .ecdsa
        case .edDSA, .ed25519, .ed448: return .eddsa
        }
    }

    /// The length in bytes of the hash this algorithm uses (SHA-256: 32, SHA-384: 48,
    /// SHA-512: 64); `nil` for EdDSA, which hashes internally.
    public var hashByteCount: Int? {
        switch backing {
        case .hs256, .rs256, .ps256, .es256, .es256k: return 32
        case .hs384, .rs384, .ps384, .es384: return 48
        case .hs512, .rs512, .ps512, .es512: return 64
        case .edDSA, .ed25519, .ed448: return nil
        }
    }

    /// The name a signer writes in `alg` for this algorithm: `EdDSA` for the fully specified
    /// `Ed25519` and `Ed448` of RFC 9864 (every verifier understands `EdDSA`, RFC 8037 §3.1),
    /// the algorithm itself otherwise. The one place this rule is written.
    public var signingName: Algorithm {
        family == .eddsa ? .edDSA : self
    }

    /// The length in bytes of a signature made with this algorithm.
    ///
    /// - Parameter rsaModulusBits: the RSA key size, for RS* and PS* (ignored otherwise).
    /// - Parameter okpCurve: the curve of the key under `EdDSA` (ignored otherwise).
    public func signatureByteCount(rsaModulusBits: Int = 2048, okpCurve: OKPCurve = .ed25519) -> Int {
        switch backing {
        case .hs256: return 32
        case .hs384: return 48
        case .hs512: return 64
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: return (rsaModulusBits + 7) / 8
        case .es256, .es256k: return 64
        case .es384: return 96
        case .es512: return 132
        case .ed25519: return 64
        case .ed448: return 114
        case .edDSA: return okpCurve == .ed448 ? 114 : 64
        }
    }
}
