internal import COpenSSL

/// The elliptic curves JWS signs with (RFC 7518 §3.4, RFC 8812).
public enum ECCurve: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case p256, p384, p521, secp256k1

    /// The JWK `crv` name, such as `P-256`.
    public var description: String { jwkName }

    /// The one ECDSA algorithm that signs with this curve (ES256, ES384, ES512, ES256K).
    public var algorithm: Algorithm {
        switch self {
        case .p256: return .es256
        case .p384: return .es384
        case .p521: return .es512
        case .secp256k1: return .es256k
        }
    }

    /// The JWK `crv` name.
    public var jwkName: String {
        switch self {
        case .p256: return "P-256"
        case .p384: return "P-384"
        case .p521: return "P-521"
        case .secp256k1: return "secp256k1"
        }
    }

    /// The curve with JWK `crv` name `name` (byte-exact).
    public init?(jwkName name: String) {
        guard let curve = ECCurve.allCases.first(where: { $0.jwkName == name }) else { return nil }
        self = curve
    }

    /// The curve with OpenSSL group name `name` (as `EVP_PKEY_get_group_name` reports it).
    init?(groupName name: String) {
        switch name {
        case "prime256v1", "P-256", "secp256r1": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        case "secp256k1": self = .secp256k1
        default: return nil
        }
    }

    /// OpenSSL's group name, as a static C string (OSSL_PARAM keeps the pointer).
    var groupName: StaticString {
        switch self {
        case .p256: return "prime256v1"
        case .p384: return "secp384r1"
        case .p521: return "secp521r1"
        case .secp256k1: return "secp256k1"
        }
    }

    /// The length of one coordinate (and of the private scalar) in bytes.
    var coordinateByteCount: Int {
        switch self {
        case .p256, .secp256k1: return 32
        case .p384: return 48
        case .p521: return 66
        }
    }

    /// The curve's OpenSSL NID.
    var nid: Int32 {
        switch self {
        case .p256: return NID_X9_62_prime256v1
        case .p384: return NID_secp384r1
        case .p521: return NID_secp521r1
        case .secp256k1: return NID_secp256k1
        }
    }

    /// The group order n, big-endian, padded to ``coordinateByteCount`` (empty if OpenSSL
    /// could not build the group, which makes every signature check fail).
    var order: [UInt8] { CurveGroup.of(self).order }
}

/// OpenSSL's group of one curve and its order, built when the curve is first used (about
/// 0.12-0.26 million instructions each, so a one-shot `verify ES256` builds the one group
/// it needs, not all four). Only read once built: OpenSSL takes a group as `const` to
/// multiply and compare points, so threads share it.
final class CurveGroup: @unchecked Sendable {
    /// The `EC_GROUP`, `nil` if OpenSSL could not build it.
    let pointer: OpaquePointer?
    /// The group order n, big-endian, padded to the coordinate size (empty without a group).
    let order: [UInt8]

    private static let p256 = CurveGroup(.p256)
    private static let p384 = CurveGroup(.p384)
    private static let p521 = CurveGroup(.p521)
    private static let secp256k1 = CurveGroup(.secp256k1)

    /// The group of `curve`, built at its first use.
    static func of(_ curve: ECCurve) -> CurveGroup {
        switch curve {
        case .p256: return p256
        case .p384: return p384
        case .p521: return p521
        case .secp256k1: return secp256k1
        }
    }

    private init(_ curve: ECCurve) {
        defer { OpenSSLError.clear() }
        pointer = EC_GROUP_new_by_curve_name(curve.nid)
        var bytes = [UInt8](repeating: 0, count: curve.coordinateByteCount)
        if let pointer, let order = EC_GROUP_get0_order(pointer), BN_bn2binpad(order, &bytes, Int32(bytes.count)) == Int32(bytes.count) {
            self.order = bytes
        } else {
            self.order = []
        }
    }

    deinit { EC_GROUP_free(pointer) }
}

/// The Edwards curves of RFC 8037 that sign (X25519 and X448 only agree keys).
public enum OKPCurve: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ed25519, ed448

    /// The JWK `crv` name, such as `Ed25519`.
    public var description: String { jwkName }

    /// The fully specified algorithm of this curve (RFC 9864): Ed25519 or Ed448.
    public var algorithm: Algorithm { self == .ed448 ? .ed448 : .ed25519 }

    /// The JWK `crv` name.
    public var jwkName: String {
        switch self {
        case .ed25519: return "Ed25519"
        case .ed448: return "Ed448"
        }
    }

    /// The curve with JWK `crv` name `name` (byte-exact).
    public init?(jwkName name: String) {
        guard let curve = OKPCurve.allCases.first(where: { $0.jwkName == name }) else { return nil }
        self = curve
    }

    /// OpenSSL's key type name.
    var opensslName: String {
        switch self {
        case .ed25519: return "ED25519"
        case .ed448: return "ED448"
        }
    }

    /// The length of the public and of the private key in bytes.
    var keyByteCount: Int {
        switch self {
        case .ed25519: return 32
        case .ed448: return 57
        }
    }
}
