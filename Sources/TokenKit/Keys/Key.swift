/// A signing or verification key: RSA, EC, Ed25519/Ed448 (OpenSSL `EVP_PKEY`) or an HMAC secret.
///
/// A key pins the algorithms it may be used with (RFC 8725 §3.1): see ``allowedAlgorithms``.
/// Load one with ``init(jwk:)``, ``init(pemRepresentation:password:)``, ``init(hmacSecret:)``
/// or ``KeySource/keys(from:password:)``, or make one with ``generate(for:rsaBits:)``.
/// Keys are values; the OpenSSL object behind an asymmetric key is shared and immutable.
///
/// Wiping: an HMAC secret lives in one owned buffer, shared by every copy of the key and
/// wiped with `OPENSSL_cleanse` when the last copy goes; no API returns it as an array
/// (signing lends the buffer to OpenSSL, export encodes from it into buffers that are
/// wiped). An asymmetric private key lives inside OpenSSL's `EVP_PKEY`, which OpenSSL
/// cleanses when the last copy of the key frees it. Loading wipes what TokenKit decodes on
/// the way (JWK members' bytes, PEM blocks cut from bytes given to
/// ``KeySource/keys(from:password:)``); it cannot wipe Swift `String`s it was given or parsed
/// (a JWK's member strings, the text passed to ``init(pemRepresentation:password:)``), nor
/// the caller's own arrays (``init(hmacSecret:)`` copies them). ``privateJWK()`` and
/// ``privatePEM()`` return private key material as Swift strings, which are not wiped.
public struct Key: Sendable {
    /// The kind of key, with its size or curve.
    public enum KeyType: Hashable, Sendable {
        /// An RSA key with a modulus of `bits` bits.
        case rsa(bits: Int)
        /// An elliptic-curve key on `curve` (P-256, P-384, P-521 or secp256k1).
        case ec(curve: ECCurve)
        /// An Edwards-curve key (RFC 8037) on `curve` (Ed25519 or Ed448).
        case okp(curve: OKPCurve)
        /// An HMAC secret of `byteCount` bytes (JWK `kty` "oct").
        case oct(byteCount: Int)
    }

    /// Where the key material lives.
    enum Material: Sendable {
        case asymmetric(EVPKey)
        case secret(SecretBytes)
    }

    /// A key's parts, in one object that copies of the key share: a copy costs one reference
    /// count, not one for each part (verification hands a copy on for every token). A change
    /// to a shared one copies it first (``Key/writableStorage``), so it is never changed while
    /// another key holds it.
    private final class Storage: @unchecked Sendable {
        let material: Material
        let type: KeyType
        var kid: String?
        var algorithm: Algorithm?
        var use: String?
        var keyOperations: [String]?

        init(material: Material, type: KeyType) {
            self.material = material
            self.type = type
        }

        /// A copy of its own.
        func copy() -> Storage {
            let copy = Storage(material: material, type: type)
            copy.kid = kid
            copy.algorithm = algorithm
            copy.use = use
            copy.keyOperations = keyOperations
            return copy
        }
    }

    private var storage: Storage

    /// The key's own storage, copied first when another key shares it.
    private var writableStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    var material: Material { storage.material }

    /// The kind of key.
    public var type: KeyType { storage.type }
    /// The key id (JWK `kid`); callers may set it.
    public var kid: String? {
        get { storage.kid }
        set { writableStorage.kid = newValue }
    }
    /// The one algorithm this key is for (JWK `alg`), or `nil` for every algorithm that fits its type.
    public var algorithm: Algorithm? {
        get { storage.algorithm }
        set { writableStorage.algorithm = newValue }
    }
    /// The intended use (JWK `use`, usually `"sig"`).
    public var use: String? {
        get { storage.use }
        set { writableStorage.use = newValue }
    }
    /// The permitted operations (JWK `key_ops`).
    public var keyOperations: [String]? {
        get { storage.keyOperations }
        set { writableStorage.keyOperations = newValue }
    }

    init(material: Material) {
        let type: KeyType
        switch material {
        case .secret(let secret):
            type = .oct(byteCount: secret.count)
        case .asymmetric(let key):
            switch key.kind {
            case .rsa(let bits): type = .rsa(bits: bits)
            case .ec(let curve): type = .ec(curve: curve)
            case .okp(let curve): type = .okp(curve: curve)
            }
        }
        storage = Storage(material: material, type: type)
    }

    /// Whether the key can sign: an asymmetric private key, or an HMAC secret.
    public var isPrivate: Bool {
        switch material {
        case .asymmetric(let key): return key.isPrivate
        case .secret: return true
        }
    }

    /// The algorithms that fit this key's type, whatever ``algorithm`` says.
    var fittingAlgorithms: [Algorithm] {
        switch type {
        case .rsa: return [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]
        case .ec(let curve): return [curve.algorithm]
        case .okp(let curve): return [.edDSA, curve.algorithm]
        case .oct(let byteCount): return [.hs256, .hs384, .hs512].filter { ($0.hashByteCount ?? .max) <= byteCount }
        }
    }

    /// Algorithms this key may be used with, bound to the key type (RFC 8725 §3.1).
    ///
    /// RSA: RS256/384/512 and PS256/384/512; EC P-256: ES256, P-384: ES384, P-521: ES512,
    /// secp256k1: ES256K; Ed25519: EdDSA and Ed25519; Ed448: EdDSA and Ed448; an HMAC secret:
    /// the HS* whose hash is no longer than the secret. When ``algorithm`` is set, only that
    /// one (and none when it does not fit the type); for an OKP key, `EdDSA` and the curve's
    /// fully specified name stand for each other.
    public var allowedAlgorithms: [Algorithm] {
        let fitting = fittingAlgorithms
        guard let algorithm else { return fitting }
        guard fitting.contains(algorithm) else { return [] }
        // EdDSA and the fully specified Ed25519/Ed448 (RFC 9864) name one primitive once the
        // key fixes the curve: a key pinned to either name allows both.
        return algorithm.family == .eddsa ? fitting : [algorithm]
    }

    /// Whether ``allowedAlgorithms`` contains `candidate`, decided without building the list
    /// (verification asks this for every token).
    func allows(_ candidate: Algorithm) -> Bool {
        func fits(_ algorithm: Algorithm) -> Bool {
            switch type {
            case .rsa: return algorithm.family == .rsaPKCS1 || algorithm.family == .rsaPSS
            case .ec(let curve): return algorithm == curve.algorithm
            case .okp(let curve): return algorithm == .edDSA || algorithm == curve.algorithm
            case .oct(let byteCount): return algorithm.family == .hmac && (algorithm.hashByteCount ?? .max) <= byteCount
            }
        }
        guard fits(candidate) else { return false }
        guard let algorithm else { return true }
        return fits(algorithm) && (algorithm.family == .eddsa || algorithm == candidate)
    }

    /// The algorithm to sign with when none is asked for: ``algorithm`` when set and fitting;
    /// otherwise RS256 for RSA, the curve's ES* for EC, EdDSA for OKP, HS256 for a secret.
    public var defaultAlgorithm: Algorithm {
        if let algorithm, fittingAlgorithms.contains(algorithm) { return algorithm }
        switch type {
        case .rsa: return .rs256
        case .ec: return fittingAlgorithms.first ?? .es256
        case .okp: return .edDSA
        case .oct: return .hs256
        }
    }

    /// The OpenSSL key, for asymmetric keys.
    var evpKey: EVPKey? {
        if case .asymmetric(let key) = material { return key }
        return nil
    }
}

extension Key: CustomStringConvertible {
    /// A short description without key material, such as "EC P-256 private key (kid abc)".
    public var description: String {
        var text: String
        switch type {
        case .rsa(let bits): text = "RSA \(bits)-bit " + (isPrivate ? "private key" : "public key")
        case .ec(let curve): text = "EC \(curve) " + (isPrivate ? "private key" : "public key")
        case .okp(let curve): text = "\(curve) " + (isPrivate ? "private key" : "public key")
        case .oct(let byteCount): text = "HMAC secret (\(byteCount) bytes)"
        }
        var details: [String] = []
        if let kid { details.append("kid \(kid)") }
        if let algorithm { details.append("alg \(algorithm)") }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        return text
    }
}
